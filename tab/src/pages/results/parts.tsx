import { useId, useState, type ReactNode } from 'react';
import {
  ToggleButton,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';

export const usePartStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    breakInside: 'avoid',
  },
  sectionHead: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    breakInside: 'avoid',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  table: { tableLayout: 'auto', maxWidth: '720px' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  num: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  chart: { width: '100%', maxWidth: '720px' },
  noPrint: { '@media print': { display: 'none' } },
});

/** A titled section of the dashboard, with an optional control beside the heading. */
export function Section({
  title,
  description,
  action,
  headingId,
  children,
}: {
  title: string;
  /** Lets controls inside the section refer to its heading. */
  headingId?: string;
  description?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
}) {
  const styles = usePartStyles();
  const ownId = useId();
  const id = headingId ?? ownId;
  return (
    <section className={styles.section} aria-labelledby={id}>
      <div className={styles.sectionHead}>
        <Heading level={2} id={id}>
          {title}
        </Heading>
        {action}
      </div>
      {description && <Text className={styles.muted}>{description}</Text>}
      {children}
    </section>
  );
}

export interface FigureTableProps {
  caption: string;
  columns: string[];
  /** The first cell of each row is its header; the rest are figures. */
  rows: { key: string; cells: ReactNode[] }[];
  /** False when the columns after the first hold words rather than figures. */
  numeric?: boolean;
}

/** A small figures table: a row header, then right-aligned numbers. */
export function FigureTable({ caption, columns, rows, numeric = true }: FigureTableProps) {
  const styles = usePartStyles();
  const figure = numeric ? styles.num : undefined;
  return (
    <Table aria-label={caption} size="small" className={styles.table}>
      <TableHeader>
        <TableRow className={styles.row}>
          {columns.map((column, i) => (
            <TableHeaderCell key={column} className={i > 0 ? figure : undefined}>
              {column}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key} className={styles.row}>
            {row.cells.map((cell, i) => (
              <TableCell key={i} className={i > 0 ? figure : undefined}>
                {cell}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * A chart with a "Show as table" toggle. The table is the same data in rows and columns,
 * for screen readers, keyboard users and anyone who prefers exact numbers.
 */
export function ChartOrTable({
  chart,
  table,
  describedBy,
  chartHeight,
}: {
  /** The charts size themselves to their container, so the container gets a fixed height. */
  chartHeight: number;
  chart: ReactNode;
  table: ReactNode;
  /** Id of the heading the toggle belongs to, so its purpose is clear out of context. */
  describedBy?: string;
}) {
  const styles = usePartStyles();
  const [asTable, setAsTable] = useState(false);
  return (
    <>
      <div className={styles.noPrint}>
        <ToggleButton size="small" checked={asTable} aria-describedby={describedBy} onClick={() => setAsTable((v) => !v)}>
          Show as table
        </ToggleButton>
      </div>
      {asTable ? table : <div className={styles.chart} style={{ height: `${chartHeight}px` }}>
          {chart}
        </div>}
    </>
  );
}

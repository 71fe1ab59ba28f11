import { forwardRef, type ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens, typographyStyles } from '@fluentui/react-components';

const useStyles = makeStyles({
  base: { margin: 0, color: tokens.colorNeutralForeground1 },
  h1: typographyStyles.title2,
  h2: typographyStyles.subtitle1,
  h3: typographyStyles.subtitle2,
  h4: typographyStyles.body1Strong,
  focusable: { ':focus': { outline: 'none' }, ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
});

export interface HeadingProps {
  level: 1 | 2 | 3 | 4;
  id?: string;
  className?: string;
  /** -1 lets the page move focus here after an action removes the focused control. */
  tabIndex?: -1;
  children: ReactNode;
}

/** A real heading element with Fluent typography and no browser margins. */
export const Heading = forwardRef<HTMLHeadingElement, HeadingProps>(function Heading(
  { level, id, className, tabIndex, children },
  ref,
) {
  const styles = useStyles();
  const Tag = `h${level}` as const;
  return (
    <Tag
      ref={ref}
      id={id}
      tabIndex={tabIndex}
      className={mergeClasses(
        styles.base,
        styles[Tag],
        tabIndex === -1 && styles.focusable,
        className,
      )}
    >
      {children}
    </Tag>
  );
});

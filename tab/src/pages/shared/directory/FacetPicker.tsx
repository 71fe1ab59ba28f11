import { useMemo, useState } from 'react';
import {
  makeStyles,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  tokens,
} from '@fluentui/react-components';
import type { FacetCount } from '../../../api/types';
import type { Load } from '../../../app/useLoad';
import { PickerStatus, withoutStatus } from './PickerStatus';

const useStyles = makeStyles({
  option: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, width: '100%' },
  count: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
});

function fold(value: string): string {
  return value.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

export interface FacetPickerProps {
  /** The values chosen. */
  value: string[];
  onChange: (value: string[]) => void;
  /** The values the directory knows, with head counts. */
  options: Load<FacetCount[]>;
  /** e.g. "org unit" / "org units", for the list's messages and the chosen values' label. */
  noun: { one: string; many: string };
  disabled?: boolean;
}

/**
 * Several values picked from the directory's list (org units, job levels), with how many active
 * people have each. Only listed values can be chosen, except when the list could not be loaded:
 * then an exact value can be typed. Place it inside a Field, which labels it.
 */
export function FacetPicker({ value, onChange, options, noun, disabled }: FacetPickerProps) {
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const known = useMemo(
    () => (options.kind === 'ready' ? options.data.filter((f) => f.value.trim() !== '') : []),
    [options],
  );
  const counts = useMemo(() => new Map(known.map((f) => [f.value, f.count])), [known]);

  const matches = useMemo(() => {
    const q = fold(query.trim());
    return known.filter((f) => !value.includes(f.value) && (q === '' || fold(f.value).includes(q)));
  }, [known, query, value]);

  const typed = query.trim();
  const offerTyped =
    options.kind === 'error' && typed !== '' && !value.some((v) => fold(v) === fold(typed));

  let list;
  if (options.kind === 'loading') {
    list = <PickerStatus>{`Loading ${noun.many}…`}</PickerStatus>;
  } else if (offerTyped) {
    list = (
      <TagPickerOption value={typed} text={typed}>
        {`Use “${typed}”`}
      </TagPickerOption>
    );
  } else if (options.kind === 'error') {
    list = <PickerStatus error>{`The list could not be loaded. Type an exact ${noun.one}.`}</PickerStatus>;
  } else if (known.length === 0) {
    list = <PickerStatus>{`No ${noun.many} are known yet. They come from the directory sync or the HR file.`}</PickerStatus>;
  } else if (matches.length === 0) {
    list = <PickerStatus>{typed ? `No ${noun.one} matches “${typed}”.` : `Every ${noun.one} is chosen.`}</PickerStatus>;
  } else {
    list = matches.map((f) => (
      <TagPickerOption key={f.value} value={f.value} text={f.value} aria-label={`${f.value}, ${people(f.count)}`}>
        <span className={styles.option}>
          <span>{f.value}</span>
          <span className={styles.count}>{people(f.count)}</span>
        </span>
      </TagPickerOption>
    ));
  }

  return (
    <TagPicker
      selectedOptions={value}
      disabled={disabled}
      onOptionSelect={(_, data) => {
        const chosen = withoutStatus(data.selectedOptions);
        if (chosen.length === data.selectedOptions.length) {
          onChange(chosen);
          setQuery('');
        }
      }}
    >
      <TagPickerControl>
        <TagPickerGroup aria-label={`Chosen ${noun.many}`}>
          {value.map((v) => {
            const count = counts.get(v);
            const unknown = options.kind === 'ready' && count === undefined;
            return (
              <Tag
                key={v}
                value={v}
                shape="rounded"
                secondaryText={unknown ? 'No one at present' : undefined}
                title={unknown ? `No active person has the ${noun.one} ${v}` : count !== undefined ? people(count) : undefined}
              >
                {v}
              </Tag>
            );
          })}
        </TagPickerGroup>
        <TagPickerInput
          value={query}
          placeholder={value.length === 0 ? `Search ${noun.many}` : undefined}
          onChange={(event) => setQuery(event.target.value)}
        />
      </TagPickerControl>
      <TagPickerList aria-busy={options.kind === 'loading'}>{list}</TagPickerList>
    </TagPicker>
  );
}

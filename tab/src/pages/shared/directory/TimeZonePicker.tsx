import { useEffect, useMemo, useState } from 'react';
import {
  Combobox,
  makeStyles,
  Option,
  OptionGroup,
  tokens,
  type ComboboxProps,
} from '@fluentui/react-components';
import { allTimeZones, zoneLabel, zoneMatches, zoneOffset } from './timeZones';

const useStyles = makeStyles({
  root: { minWidth: '0' },
  listbox: { maxHeight: '320px', overflowY: 'auto' },
  option: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, width: '100%' },
  offset: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
});

const NONE: readonly string[] = [];

export interface TimeZonePickerProps {
  /** The chosen IANA zone ('' for none). */
  value: string;
  onChange: (zone: string) => void;
  /** The zones to offer, e.g. the list the API accepts; the browser's own list by default. */
  zones?: readonly string[];
  /** Zones to list first, e.g. the viewer's own zone. */
  suggested?: readonly string[];
  /** The heading of the suggested zones. */
  suggestedLabel?: string;
  disabled?: boolean;
  className?: string;
  /** Passed to the input, e.g. `aria-describedby`. */
  inputProps?: Pick<ComboboxProps, 'aria-describedby'>;
}

/**
 * A searchable list of IANA time zones. Typing filters by city, region or offset ("london",
 * "new york", "gmt+2"); only a zone from the list can be chosen. Place it inside a Field, which
 * labels it.
 */
export function TimeZonePicker({
  value,
  onChange,
  zones,
  suggested = NONE,
  suggestedLabel = 'Suggested',
  disabled,
  className,
  inputProps,
}: TimeZonePickerProps) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState(value);

  // Show the chosen zone whenever the list is closed (after a choice, Escape or leaving the field).
  useEffect(() => {
    if (!open) setQuery(value);
  }, [open, value]);

  const groups = useMemo(() => {
    if (!open) return null;
    // Right after opening, the input holds the chosen zone: list everything, not just that one.
    const filter = query.trim() === value ? '' : query;
    const known = zones && zones.length > 0 ? zones : allTimeZones();
    // The chosen zone stays choosable even when the list does not name it (an alias, say).
    const first = [...new Set([...suggested.filter((z) => known.includes(z)), ...(value && !known.includes(value) ? [value] : [])])];
    const firstSet = new Set(first);
    return {
      first: first.filter((zone) => zoneMatches(zone, filter)),
      rest: known.filter((zone) => !firstSet.has(zone) && zoneMatches(zone, filter)),
    };
  }, [open, query, value, suggested, zones]);

  const renderOption = (zone: string) => (
    <Option key={zone} value={zone} text={zone} aria-label={[zoneLabel(zone), zoneOffset(zone)].filter(Boolean).join(', ')}>
      <span className={styles.option}>
        <span>{zoneLabel(zone)}</span>
        <span className={styles.offset}>{zoneOffset(zone)}</span>
      </span>
    </Option>
  );

  return (
    <Combobox
      {...inputProps}
      className={className ?? styles.root}
      value={query}
      selectedOptions={value ? [value] : []}
      disabled={disabled}
      placeholder="Type a city, region or offset"
      listbox={{ className: styles.listbox }}
      onChange={(event) => {
        setQuery(event.target.value);
      }}
      onOpenChange={(_, data) => setOpen(data.open)}
      onOptionSelect={(_, data) => {
        if (data.optionValue) {
          setQuery(data.optionValue);
          if (data.optionValue !== value) onChange(data.optionValue);
        }
      }}
    >
      {groups && groups.first.length + groups.rest.length === 0 && (
        <Option value="" text="" disabled>
          No time zone matches “{query.trim()}”.
        </Option>
      )}
      {groups && groups.first.length > 0 && (
        <OptionGroup label={suggestedLabel}>{groups.first.map(renderOption)}</OptionGroup>
      )}
      {groups && groups.rest.length > 0 &&
        (groups.first.length > 0 ? (
          <OptionGroup label="All time zones">{groups.rest.map(renderOption)}</OptionGroup>
        ) : (
          groups.rest.map(renderOption)
        ))}
    </Combobox>
  );
}

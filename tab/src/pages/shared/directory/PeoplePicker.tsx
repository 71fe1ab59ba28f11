import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import {
  Avatar,
  makeStyles,
  Spinner,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort, type ApiClient } from '../../../api/client';
import type { DirectoryPerson } from '../../../api/types';
import { useApi } from '../../../app/ApiContext';
import { LiveRegion } from '../../../ui/VisuallyHidden';

const useStyles = makeStyles({
  status: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, color: tokens.colorNeutralForeground3 },
  error: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, color: tokens.colorPaletteRedForeground1 },
});

const SEARCH_DELAY_MS = 250;
const RESULTS = 20;

/** People seen in any search, by id, so that chosen people keep their names (per API client). */
const known = new WeakMap<ApiClient, Map<string, DirectoryPerson>>();
/** Ids whose names were asked for and not found. */
const unresolved = new WeakMap<ApiClient, Set<string>>();

function remember(api: ApiClient, people: readonly DirectoryPerson[]): Map<string, DirectoryPerson> {
  let map = known.get(api);
  if (!map) known.set(api, (map = new Map()));
  for (const person of people) map.set(person.userId, person);
  return map;
}

type Results =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; term: string; people: DirectoryPerson[] }
  | { kind: 'error'; message: string };

export interface PeoplePickerProps {
  /** The ids of the people chosen. */
  value: string[];
  onChange: (value: string[]) => void;
  /** People who cannot be chosen here, with why (e.g. already invited by name). */
  excluded?: ReadonlyMap<string, string>;
  /** Label of the group of chosen people, e.g. "Chosen people". */
  chosenLabel?: string;
  disabled?: boolean;
}

function detail(person: DirectoryPerson): string {
  return [person.email, person.orgUnit, person.jobLevel].filter(Boolean).join(' · ');
}

/**
 * Chooses people from the directory: type part of a name or an email, pick from the matches.
 * Chosen people are removable tags. Place it inside a Field, which labels it.
 */
export function PeoplePicker({ value, onChange, excluded, chosenLabel = 'Chosen people', disabled }: PeoplePickerProps) {
  const styles = useStyles();
  const api = useApi();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<Results>({ kind: 'idle' });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const search = useRef<AbortController | null>(null);
  const names = known.get(api);

  // Names of people chosen before (a saved design): ask once for those not seen in a search.
  const missing = value.filter((id) => !names?.has(id) && !unresolved.get(api)?.has(id));
  const missingKey = missing.join(',');
  useEffect(() => {
    if (!missingKey) return;
    const ids = missingKey.split(',');
    const controller = new AbortController();
    const giveUp = () => {
      let set = unresolved.get(api);
      if (!set) unresolved.set(api, (set = new Set()));
      for (const id of ids) set.add(id);
    };
    api
      .getDirectoryPeopleByIds(ids, controller.signal)
      .then(({ people }) => {
        const map = remember(api, people);
        giveUp();
        for (const id of ids) if (map.has(id)) unresolved.get(api)?.delete(id);
        rerender();
      })
      .catch((error: unknown) => {
        if (isAbort(error) || controller.signal.aborted) return;
        giveUp();
        rerender();
      });
    return () => controller.abort();
  }, [api, missingKey]);

  // Search while the list is open: at once on opening, then after a pause in typing.
  const term = query.trim();
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    search.current?.abort();
    search.current = controller;
    const timer = window.setTimeout(
      () => {
        setResults({ kind: 'loading' });
        api
          .getDirectoryPeople({ search: term, limit: RESULTS }, controller.signal)
          .then(({ people }) => {
            remember(api, people);
            setResults({ kind: 'ready', term, people });
          })
          .catch((error: unknown) => {
            if (isAbort(error) || controller.signal.aborted) return;
            setResults({ kind: 'error', message: errorMessage(error) });
          });
      },
      term === '' ? 0 : SEARCH_DELAY_MS,
    );
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [api, open, term]);

  const options = useMemo(
    () =>
      results.kind === 'ready'
        ? results.people.filter((p) => !value.includes(p.userId) && !excluded?.has(p.userId))
        : [],
    [results, value, excluded],
  );
  const hiddenByExclusion =
    results.kind === 'ready' ? results.people.filter((p) => excluded?.has(p.userId)) : [];

  let list;
  if (results.kind === 'idle' || results.kind === 'loading') {
    list = <Spinner size="tiny" labelPosition="after" label="Searching…" className={styles.status} />;
  } else if (results.kind === 'error') {
    list = <div className={styles.error}>People could not be searched. {results.message}</div>;
  } else if (options.length === 0) {
    const why = hiddenByExclusion[0] ? excluded?.get(hiddenByExclusion[0].userId) : undefined;
    list = (
      <div className={styles.status}>
        {results.people.length === 0
          ? results.term
            ? `No one matches “${results.term}”.`
            : 'No people are in the directory yet.'
          : why
            ? `${hiddenByExclusion.map((p) => p.name).join(', ')}: ${why}`
            : 'Everyone found is already chosen.'}
      </div>
    );
  } else {
    list = options.map((person) => (
      <TagPickerOption
        key={person.userId}
        value={person.userId}
        text={person.name}
        media={<Avatar aria-hidden name={person.name} color="colorful" size={24} />}
        secondaryContent={detail(person)}
      >
        {person.name}
      </TagPickerOption>
    ));
  }

  const announcement =
    open && results.kind === 'ready'
      ? options.length === 0
        ? 'No people found.'
        : `${options.length} ${options.length === 1 ? 'person' : 'people'} found.`
      : '';

  return (
    <>
      <TagPicker
        selectedOptions={value}
        disabled={disabled}
        onOpenChange={(_, data) => setOpen(data.open)}
        onOptionSelect={(_, data) => {
          onChange(data.selectedOptions);
          setQuery('');
        }}
      >
        <TagPickerControl>
          <TagPickerGroup aria-label={chosenLabel}>
            {value.map((id) => {
              const person = names?.get(id);
              const name =
                person?.name ?? (unresolved.get(api)?.has(id) ? `Unknown person (…${id.slice(-6)})` : 'Loading…');
              return (
                <Tag
                  key={id}
                  value={id}
                  shape="rounded"
                  media={<Avatar aria-hidden name={person?.name} color={person ? 'colorful' : 'neutral'} />}
                  title={person ? detail(person) : `User id ${id}`}
                >
                  {name}
                </Tag>
              );
            })}
          </TagPickerGroup>
          <TagPickerInput
            value={query}
            placeholder={value.length === 0 ? 'Type a name or email' : undefined}
            onChange={(event) => {
              setQuery(event.target.value);
            }}
          />
        </TagPickerControl>
        <TagPickerList>{list}</TagPickerList>
      </TagPicker>
      <LiveRegion message={announcement} />
    </>
  );
}

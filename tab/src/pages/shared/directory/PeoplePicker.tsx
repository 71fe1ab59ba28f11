import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Avatar,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
} from '@fluentui/react-components';
import { errorMessage } from '../../../api/client';
import { keys, queries } from '../../../api/queries';
import type { DirectoryPerson } from '../../../api/types';
import { useApi } from '../../../app/ApiContext';
import { useSettled } from '../../../app/useSettled';
import { LiveRegion } from '../../../ui/VisuallyHidden';
import { PickerStatus, withoutStatus } from './PickerStatus';

const SEARCH_DELAY_MS = 250;
const RESULTS = 20;

type Results =
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
  const api = useApi();
  const client = useQueryClient();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);

  // Search while the list is open: at once on opening, then after a pause in typing.
  const term = useSettled(query.trim(), query.trim() === '' ? 0 : SEARCH_DELAY_MS);
  const search = useQuery({ ...queries.directorySearch(api, term, RESULTS), enabled: open });

  // Chosen people keep their names: from any search this session made, else asked for once.
  const searched = new Map<string, DirectoryPerson>();
  for (const [key, people] of client.getQueriesData<DirectoryPerson[]>({ queryKey: keys.directoryPeople.all })) {
    if (key[1] === 'search') for (const person of people ?? []) searched.set(person.userId, person);
  }
  const unseen = value.filter((id) => !searched.has(id));
  const named = useQuery({ ...queries.directoryPeopleByIds(api, unseen), enabled: unseen.length > 0 });
  const nameOf = (id: string) => searched.get(id) ?? named.data?.find((p) => p.userId === id);
  const unresolved = (id: string) => (named.isSuccess || named.isError) && !nameOf(id);

  const results: Results = search.isError
    ? { kind: 'error', message: errorMessage(search.error) }
    : search.data
      ? { kind: 'ready', term, people: search.data }
      : { kind: 'loading' };

  const options = results.kind === 'ready' ? results.people.filter((p) => !value.includes(p.userId) && !excluded?.has(p.userId)) : [];
  const hiddenByExclusion =
    results.kind === 'ready' ? results.people.filter((p) => excluded?.has(p.userId)) : [];

  let list;
  if (results.kind === 'loading') {
    list = <PickerStatus>Searching…</PickerStatus>;
  } else if (results.kind === 'error') {
    list = <PickerStatus error>{`People could not be searched. ${results.message}`}</PickerStatus>;
  } else if (options.length === 0) {
    const why = hiddenByExclusion[0] ? excluded?.get(hiddenByExclusion[0].userId) : undefined;
    list = (
      <PickerStatus>
        {results.people.length === 0
          ? results.term
            ? `No one matches “${results.term}”.`
            : 'No people are in the directory yet.'
          : why
            ? `${hiddenByExclusion.map((p) => p.name).join(', ')}: ${why}`
            : 'Everyone found is already chosen.'}
      </PickerStatus>
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
          const chosen = withoutStatus(data.selectedOptions);
          if (chosen.length === data.selectedOptions.length) {
            onChange(chosen);
            setQuery('');
          }
        }}
      >
        <TagPickerControl>
          <TagPickerGroup aria-label={chosenLabel}>
            {value.map((id) => {
              const person = nameOf(id);
              // Someone chosen who has left since stays chosen (the owner decides), marked so.
              const name = person ? (person.departed ? `${person.name} (has left)` : person.name) : unresolved(id) ? `Unknown person (…${id.slice(-6)})` : 'Loading…';
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
        <TagPickerList aria-busy={results.kind === 'loading'}>{list}</TagPickerList>
      </TagPicker>
      <LiveRegion message={announcement} />
    </>
  );
}

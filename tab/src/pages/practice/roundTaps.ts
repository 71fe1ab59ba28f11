import { useCallback, useState } from 'react';
import type { TapView } from '../../api/types';

/** The taps of the latest round this page has heard of, in the order they reached it. */
interface RoundTaps {
  round: number | null;
  taps: readonly TapView[];
}

/**
 * Adds taps from any source (the stored room, a live event, the observer's own button) by id: a
 * tap heard twice counts once. Taps of an earlier round are ignored; a later round starts afresh.
 */
function mergeTaps(state: RoundTaps, round: number, incoming: readonly TapView[]): RoundTaps {
  if (state.round !== null && round < state.round) return state;
  const base = state.round === round ? state.taps : [];
  const ids = new Set(base.map((t) => t.id));
  const added = incoming.filter((t) => !ids.has(t.id) && ids.add(t.id));
  if (state.round === round && added.length === 0) return state;
  return { round, taps: [...base, ...added] };
}

export function useRoundTaps() {
  const [state, setState] = useState<RoundTaps>({ round: null, taps: [] });
  const merge = useCallback((round: number, incoming: readonly TapView[]) => setState((s) => mergeTaps(s, round, incoming)), []);
  /** Takes back a tap the API refused, so this page agrees with everyone else's. */
  const drop = useCallback((id: string) => setState((s) => ({ ...s, taps: s.taps.filter((t) => t.id !== id) })), []);
  return { state, merge, drop };
}

const ownKey = (roomId: string) => `coaching-pilots.practice-own-taps.${roomId}`;

function readOwn(roomId: string): { round: number | null; ids: string[] } {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(ownKey(roomId)) ?? 'null') as { round?: unknown; ids?: unknown } | null;
    if (stored && typeof stored.round === 'number' && Array.isArray(stored.ids)) return { round: stored.round, ids: stored.ids.filter((x): x is string => typeof x === 'string') };
  } catch {
    // Unreadable: start with none.
  }
  return { round: null, ids: [] };
}

/**
 * The taps this observer made in the current round (kept for the tab's session, so a reload keeps
 * them): "Undo last" takes back the observer's own last tap, never a second observer's.
 */
export function useOwnTaps(roomId: string) {
  const [own, setOwn] = useState(() => readOwn(roomId));
  const add = useCallback(
    (round: number, id: string) =>
      setOwn((s) => {
        const next = { round, ids: s.round === round ? [...s.ids, id] : [id] };
        try {
          window.sessionStorage.setItem(ownKey(roomId), JSON.stringify(next));
        } catch {
          // Storage blocked: the ids stay in memory.
        }
        return next;
      }),
    [roomId],
  );
  return { own, add };
}

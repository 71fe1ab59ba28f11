import { groupIntoRooms, hintFor, lastUndoable, ratiosOf, reachedGood, rolesFor, roundState, tallyOf, type Tally, type Tap } from '../../service/src/domain/practice';

const t = (counts: Partial<Tally>): Tally => ({ open_question: 0, closed_question: 0, simple_reflection: 0, complex_reflection: 0, advice: 0, affirmation: 0, ...counts });

describe('the observer’s tally', () => {
  const taps: Tap[] = [
    { id: 'a', code: 'open_question' },
    { id: 'b', code: 'advice' },
    { id: 'c', code: 'simple_reflection' },
    { id: 'd', code: 'undo', undoes: 'b' },
    { id: 'e', code: 'complex_reflection' },
  ];

  test('counts behaviours, minus the ones taken back', () => {
    expect(tallyOf(taps)).toEqual(t({ open_question: 1, simple_reflection: 1, complex_reflection: 1 }));
  });

  test('is the same whatever the order, and a tap received twice counts once', () => {
    const want = tallyOf(taps);
    for (let shift = 0; shift < taps.length; shift++) {
      const rotated = [...taps.slice(shift), ...taps.slice(0, shift)];
      expect(tallyOf(rotated)).toEqual(want);
      expect(tallyOf([...rotated].reverse())).toEqual(want);
      expect(tallyOf([...rotated, ...rotated])).toEqual(want);
    }
  });

  test('undo takes back the latest behaviour not already taken back', () => {
    expect(lastUndoable(taps)).toBe('e');
    expect(lastUndoable([...taps, { id: 'f', code: 'undo', undoes: 'e' }])).toBe('c');
    expect(lastUndoable([{ id: 'x', code: 'advice' }, { id: 'y', code: 'undo', undoes: 'x' }])).toBeNull();
  });
});

describe('ratios against the adapted MITI 4.2.1 thresholds', () => {
  test('R:Q is fair from 1:1 and good from 2:1', () => {
    expect(ratiosOf(t({ open_question: 2, simple_reflection: 1 })).reflectionsToQuestions).toEqual({ value: 0.5, band: 'not_yet' });
    expect(ratiosOf(t({ open_question: 2, simple_reflection: 2 })).reflectionsToQuestions).toEqual({ value: 1, band: 'fair' });
    expect(ratiosOf(t({ open_question: 1, closed_question: 1, complex_reflection: 4 })).reflectionsToQuestions).toEqual({ value: 2, band: 'good' });
  });

  test('complex reflections are fair from 40% and good from 50% of reflections', () => {
    expect(ratiosOf(t({ simple_reflection: 2, complex_reflection: 1 })).complexShare.band).toBe('not_yet');
    expect(ratiosOf(t({ simple_reflection: 3, complex_reflection: 2 })).complexShare).toEqual({ value: 0.4, band: 'fair' });
    expect(ratiosOf(t({ simple_reflection: 1, complex_reflection: 1 })).complexShare).toEqual({ value: 0.5, band: 'good' });
  });

  test('nothing counted yet is no verdict; ask:tell and open questions have no threshold', () => {
    const r = ratiosOf(t({}));
    expect(Object.values(r).every((x) => x.value === null && x.band === null)).toBe(true);
    const asks = ratiosOf(t({ open_question: 3, closed_question: 1, advice: 2 }));
    expect(asks.askTell).toEqual({ value: 2, band: null });
    expect(asks.openShare).toEqual({ value: 0.75, band: null });
  });

  test('the hint names the most useful next step', () => {
    expect(hintFor(t({}))).toMatch(/open question/);
    expect(hintFor(t({ open_question: 1, advice: 1 }))).toMatch(/advice into a question/);
    expect(hintFor(t({ open_question: 3, simple_reflection: 1 }))).toMatch(/reflection before your next question/);
    expect(hintFor(t({ open_question: 1, closed_question: 2, simple_reflection: 4 }))).toMatch(/"what" or "how"/);
    expect(hintFor(t({ open_question: 2, simple_reflection: 4 }))).toMatch(/meaning or feeling/);
    expect(hintFor(t({ open_question: 2, simple_reflection: 2, complex_reflection: 2 }))).toMatch(/keep listening/);
  });
});

describe('rooms and rounds', () => {
  test('in a room of three, everyone practises, partners and observes once in three rounds', () => {
    const members = ['a', 'b', 'c'];
    const rounds = [0, 1, 2].map((i) => rolesFor(members, i));
    expect(rounds.map((r) => r.practisingId).sort()).toEqual(members);
    expect(rounds.map((r) => r.partnerId).sort()).toEqual(members);
    expect(rounds.flatMap((r) => r.observerIds).sort()).toEqual(members);
    expect(rolesFor(members, 3)).toEqual(rounds[0]);
    expect(rolesFor(['a', 'b', 'c', 'd'], 1)).toEqual({ practisingId: 'b', partnerId: 'c', observerIds: ['d', 'a'] });
    expect(() => rolesFor(['a', 'b'], 0)).toThrow();
  });

  test('people are grouped in threes, and one or two left over join rooms as extra observers', () => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
    expect(groupIntoRooms(people(2))).toEqual([]);
    expect(groupIntoRooms(people(3)).map((r) => r.length)).toEqual([3]);
    expect(groupIntoRooms(people(4)).map((r) => r.length)).toEqual([4]);
    expect(groupIntoRooms(people(5)).map((r) => r.length)).toEqual([5]);
    expect(groupIntoRooms(people(7)).map((r) => r.length)).toEqual([3, 4]);
    expect(groupIntoRooms(people(8)).map((r) => r.length)).toEqual([4, 4]);
    expect(groupIntoRooms(people(9)).flat().sort()).toEqual(people(9).sort());
  });

  test('a round runs until its time is up or someone ends it', () => {
    const endsAt = new Date('2026-12-04T10:10:00Z');
    expect(roundState({ endsAt, endedAt: null }, new Date('2026-12-04T10:09:59Z'))).toBe('running');
    expect(roundState({ endsAt, endedAt: null }, endsAt)).toBe('ended');
    expect(roundState({ endsAt, endedAt: new Date('2026-12-04T10:05:00Z') }, new Date('2026-12-04T10:06:00Z'))).toBe('ended');
  });

  test('"good" R:Q in the first and the last round', () => {
    expect(reachedGood([])).toBeNull();
    expect(reachedGood([t({ open_question: 2 }), t({ open_question: 1, simple_reflection: 2 })])).toEqual({ first: false, last: true });
  });
});

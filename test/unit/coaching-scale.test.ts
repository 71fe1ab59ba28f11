import { answerProblems, DEFAULT_PULSE_ITEMS, PULSE_ITEMS, pulseItemsOf, scaleScore, scoresOf } from '../../service/src/domain/coaching-scale';
import { BUILT_IN_METRICS, catalogue, metricChoiceProblems, outcomeProblem, type CatalogueMetric } from '../../service/src/domain/metrics';

describe('the team pulse scale', () => {
  test('six statements by default, each a different construct, in our own words', () => {
    expect(DEFAULT_PULSE_ITEMS).toHaveLength(6);
    expect(new Set(DEFAULT_PULSE_ITEMS.map((k) => PULSE_ITEMS[k].construct)).size).toBe(6);
  });

  test('the items asked: locked ones once sponsored, else as designed, the first three for programmes from before the choice', () => {
    expect(pulseItemsOf({ pulseItems: ['listens', 'feelHeard', 'holdsBack'], locked: { at: new Date(), pulseItems: ['asksQuestions', 'feelHeard', 'listens'] } })).toEqual(['asksQuestions', 'feelHeard', 'listens']);
    expect(pulseItemsOf({ pulseItems: ['listens', 'feelHeard', 'holdsBack'], locked: { at: null } })).toEqual(['listens', 'feelHeard', 'holdsBack']);
    expect(pulseItemsOf({})).toEqual(['asksQuestions', 'feelHeard', 'supportNotInstructions']);
  });

  test('answers stored before the scale (three top-level scores) read the same as new ones', () => {
    expect(scoresOf({ asksQuestions: 2, feelHeard: 4, supportNotInstructions: 3 })).toEqual({ asksQuestions: 2, feelHeard: 4, supportNotInstructions: 3 });
    expect(scoresOf({ scores: { listens: 5 } })).toEqual({ listens: 5 });
  });

  test('the scale score is the mean of the chosen items, none when one is missing', () => {
    expect(scaleScore({ asksQuestions: 2, feelHeard: 4, listens: 3 }, ['asksQuestions', 'feelHeard', 'listens'])).toBe(3);
    expect(scaleScore({ asksQuestions: 2, feelHeard: 4 }, ['asksQuestions', 'feelHeard', 'listens'])).toBeNull();
  });

  test('an answer covers exactly the statements asked', () => {
    const items = ['asksQuestions', 'feelHeard', 'listens'] as const;
    expect(answerProblems({ asksQuestions: 1, feelHeard: 2, listens: 3 }, items)).toBeNull();
    expect(answerProblems({ asksQuestions: 1, feelHeard: 2 }, items)).toContain('1 left');
    expect(answerProblems({ asksQuestions: 1, feelHeard: 2, listens: 3, holdsBack: 4 }, items)).toContain('holdsBack');
  });
});

describe('the metric catalogue', () => {
  const own: CatalogueMetric = { key: 'nps_team', label: 'Team NPS', unit: 'points', direction: 'higher_is_better', source: 'imported', min: -100, max: 100, builtIn: false, archived: false };
  const old: CatalogueMetric = { ...own, key: 'old_survey', label: 'Old survey', archived: true };
  const known = catalogue([own, old]);

  test('built-in metrics and the organisation’s own, by key', () => {
    expect([...known.keys()]).toEqual([...BUILT_IN_METRICS.map((m) => m.key), 'nps_team', 'old_survey']);
  });

  test('a programme may choose only catalogue metrics, each once; an archived one only where already chosen', () => {
    expect(metricChoiceProblems(['coaching_scale', 'nps_team'], known)).toEqual([]);
    expect(metricChoiceProblems(['wellbeing'], known)).toEqual([{ path: 'metrics.0', message: expect.stringContaining('not in the organisation') }]);
    expect(metricChoiceProblems(['old_survey'], known)).toEqual([{ path: 'metrics.0', message: expect.stringContaining('archived') }]);
    expect(metricChoiceProblems(['old_survey'], known, ['old_survey'])).toEqual([]);
    expect(metricChoiceProblems(['nps_team', 'nps_team'], known)).toEqual([{ path: 'metrics', message: expect.any(String) }]);
  });

  test('an imported figure must feed an imported, current metric within its range', () => {
    expect(outcomeProblem('nps_team', 40, known)).toBeNull();
    expect(outcomeProblem('nps_team', 140, known)).toContain('outside');
    expect(outcomeProblem('coaching_scale', 3, known)).toContain('in-app pulse');
    expect(outcomeProblem('wellbeing', 3, known)).toContain('catalogue');
    expect(outcomeProblem('old_survey', 3, known)).toContain('archived');
    expect(outcomeProblem('absence_days', -1, known)).toContain('outside');
  });
});

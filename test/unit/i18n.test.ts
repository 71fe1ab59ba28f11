import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_LANGUAGE, resolveLocale, SUPPORTED_LANGUAGES } from '../../tab/src/i18n/locale';
import { de } from '../../tab/src/i18n/messages/de';
import { en } from '../../tab/src/i18n/messages/en';
import { PULSE_ITEMS } from '../../service/src/domain/coaching-scale';

/** The tab's localisation: which language and locale it picks, and that every catalogue matches English. */

const ROOT = path.resolve(__dirname, '../..');
const CATALOGUES: Record<(typeof SUPPORTED_LANGUAGES)[number], Record<string, string>> = { en, de };

describe('resolveLocale', () => {
  it.each([
    ['a German browser', { browser: ['de-DE', 'en'] }, { language: 'de', locale: 'de-DE' }],
    ['an Austrian browser (German messages, Austrian formats)', { browser: ['de-AT'] }, { language: 'de', locale: 'de-AT' }],
    ['a British browser (English messages, British dates)', { browser: ['en-GB'] }, { language: 'en', locale: 'en-GB' }],
    ['an American browser', { browser: ['en-US'] }, { language: 'en', locale: 'en-US' }],
    ['the first language the tab speaks, in order of preference', { browser: ['fr-FR', 'de-CH', 'en-GB'] }, { language: 'de', locale: 'de-CH' }],
    ['English when no preference is spoken', { browser: ['fr-FR', 'ja'] }, { language: 'en', locale: 'en' }],
    ['English with nothing to go on', {}, { language: 'en', locale: 'en' }],
    ["the Teams locale (lower case, as Teams sends it) over the browser's", { teams: 'de-de', browser: ['en-US'] }, { language: 'de', locale: 'de-DE' }],
    ['the browser when Teams names a language the tab does not speak', { teams: 'fr-fr', browser: ['de-DE'] }, { language: 'de', locale: 'de-DE' }],
    ['?lang= over Teams and the browser', { requested: 'de', teams: 'en-us', browser: ['en-GB'] }, { language: 'de', locale: 'de' }],
    ['?lang=en in a German browser', { requested: 'en', browser: ['de-DE'] }, { language: 'en', locale: 'en' }],
    ['an unsupported ?lang= falls through', { requested: 'xx', browser: ['de-DE'] }, { language: 'de', locale: 'de-DE' }],
    ['a malformed ?lang= falls through', { requested: 'not a tag!', browser: ['en-GB'] }, { language: 'en', locale: 'en-GB' }],
    ['language tags in any case', { requested: 'DE-at' }, { language: 'de', locale: 'de-AT' }],
    ['empty values are skipped', { requested: '', teams: '', browser: ['', 'de'] }, { language: 'de', locale: 'de' }],
  ])('%s', (_, sources, expected) => {
    expect(resolveLocale(sources)).toEqual(expected);
  });

  it('falls back to a language it has messages for', () => {
    expect(SUPPORTED_LANGUAGES).toContain(DEFAULT_LANGUAGE);
    expect(Object.keys(CATALOGUES).sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
  });
});

/** The ICU parser is an ES module, which Jest cannot require here: a plain Node process parses them. */
function parseAll(catalogues: Record<string, Record<string, string>>): Record<string, Record<string, unknown[] | string>> {
  const script = `
    import { parse } from '@formatjs/icu-messageformat-parser';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const out = {};
    for (const [language, messages] of Object.entries(JSON.parse(input))) {
      out[language] = {};
      for (const [id, message] of Object.entries(messages)) {
        try { out[language][id] = parse(message); } catch (e) { out[language][id] = 'syntax error: ' + e.message; }
      }
    }
    process.stdout.write(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, input: JSON.stringify(catalogues) });
  return JSON.parse(stdout.toString('utf8')) as Record<string, Record<string, unknown[] | string>>;
}

interface Element {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}
const KIND: Record<number, string> = { 1: 'argument', 2: 'number', 3: 'date', 4: 'time', 5: 'select', 6: 'plural', 8: 'tag' };

/** The arguments a message takes and how it uses them, e.g. ["count:plural", "name:argument"]. */
function signature(elements: Element[], into = new Set<string>()): string[] {
  for (const element of elements) {
    if (KIND[element.type]) into.add(`${element.value}:${KIND[element.type]}`);
    for (const option of Object.values(element.options ?? {})) signature(option.value, into);
    if (element.children) signature(element.children, into);
  }
  return [...into].sort();
}

describe('message catalogues', () => {
  const parsed = parseAll(CATALOGUES);

  it.each(Object.keys(CATALOGUES).filter((language) => language !== 'en'))('%s has exactly the English ids', (language) => {
    expect(Object.keys(CATALOGUES[language as keyof typeof CATALOGUES]).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(CATALOGUES))('every %s message is valid ICU MessageFormat', (language) => {
    const broken = Object.entries(parsed[language]!).filter(([, ast]) => typeof ast === 'string');
    expect(broken).toEqual([]);
  });

  it.each(Object.keys(CATALOGUES).filter((language) => language !== 'en'))(
    'every %s message takes the same arguments as the English one',
    (language) => {
      const differ = Object.keys(en)
        .map((id) => ({ id, en: signature(parsed.en![id] as Element[]), [language]: signature(parsed[language]![id] as Element[]) }))
        .filter((row) => JSON.stringify(row.en) !== JSON.stringify(row[language]));
      expect(differ).toEqual([]);
    },
  );

  it('no message is left empty or untranslated by accident', () => {
    const empty = Object.entries(CATALOGUES).flatMap(([language, messages]) =>
      Object.entries(messages).filter(([, text]) => text.trim() === '').map(([id]) => `${language}:${id}`),
    );
    expect(empty).toEqual([]);
    // Words that are the same in both languages are fine; a long sentence left in English is not.
    const untranslated = Object.keys(en).filter((id) => en[id as keyof typeof en].length > 30 && de[id as keyof typeof de] === en[id as keyof typeof en]);
    expect(untranslated).toEqual([]);
  });

  it('the parity test can fail: a German catalogue with a renamed argument is caught', () => {
    const broken = parseAll({ de: { 'manager.intro': 'Willkommen, {person}.' } });
    expect(signature(broken.de!['manager.intro'] as Element[])).not.toEqual(signature(parsed.en!['manager.intro'] as Element[]));
  });
});

describe('pulse statements', () => {
  it("the tab's English words for each statement are the API's, and every statement has them", () => {
    const tab = Object.fromEntries(Object.entries(en).filter(([id]) => id.startsWith('pulse.item.')).map(([id, text]) => [id.slice('pulse.item.'.length), text]));
    expect(tab).toEqual(Object.fromEntries(Object.values(PULSE_ITEMS).map((i) => [i.key, i.statement])));
  });
});

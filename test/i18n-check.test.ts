import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { checkPackage, compareLocales, DYNAMIC_KEYS, formatMessages, messageArguments, parseMessageFile, usageProblems } from '../scripts/i18n-check.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The one problem the checker reports, or a failure naming all of them. */
function only(problems: string[], pattern: RegExp): void {
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0]!, pattern);
}

describe('npm run i18n:check', () => {
  const en = { 'a.count': '{count, plural, one {# item} other {# items}}', 'a.name': 'Hello {name}', 'a.plain': 'Plain' };
  const good = { 'a.count': '{count, plural, one {# artikull} other {# artikuj}}', 'a.name': 'Tung {name}', 'a.plain': 'Thjesht' };

  test('complete, matching locales have no problem', () => {
    assert.deepEqual(compareLocales(en, { sq: good, fr: { ...good } }, { 'sr-Cyrl': { 'a.plain': 'Обично' } }), []);
  });

  test('a key missing from a locale, or empty there', () => {
    const { 'a.plain': _, ...missing } = good;
    only(compareLocales(en, { sq: missing }), /^sq: a\.plain is missing$/);
    only(compareLocales(en, { sq: { ...good, 'a.plain': ' ' } }), /^sq: a\.plain is empty$/);
  });

  test('a key unknown to English, in a written locale or in the Cyrillic overrides', () => {
    only(compareLocales(en, { fr: { ...good, 'a.old': 'Ancien' } }), /^fr: a\.old is unknown/);
    only(compareLocales(en, {}, { 'sr-Cyrl': { 'a.gone': 'Нема' } }), /^sr-Cyrl: a\.gone is unknown/);
  });

  test('an ICU message that does not parse, in English or a translation', () => {
    only(compareLocales(en, { sq: { ...good, 'a.name': 'Tung {name' } }), /^sq: a\.name is not a valid ICU message/);
    only(compareLocales({ ...en, 'a.plain': '{count, plural, one {x}}' }, {}), /^en: a\.plain is not a valid ICU message/);
  });

  test('arguments that differ from English: a renamed or dropped argument, another type', () => {
    only(compareLocales(en, { sq: { ...good, 'a.name': 'Tung {emri}' } }), /^sq: a\.name has the arguments \{emri:argument\}, en has \{name:argument\}/);
    only(compareLocales(en, { sq: { ...good, 'a.name': 'Tung' } }), /^sq: a\.name has the arguments \{\}/);
    only(compareLocales(en, { sq: { ...good, 'a.count': '{count, date} artikuj' } }), /a\.count has the arguments \{count:date\}, en has \{count:number\}/);
    only(compareLocales(en, { sq: { ...good, 'a.count': 'Artikuj: {count}' } }), /a\.count has the arguments \{count:argument\}, en has \{count:number\}/);
    only(compareLocales(en, {}, { 'sr-Cyrl': { 'a.name': 'Здраво {ime}' } }), /^sr-Cyrl: a\.name has the arguments/);
  });

  test('a count written as a number instead of plural forms is the same argument', () => {
    assert.deepEqual(compareLocales(en, { sq: { ...good, 'a.count': 'Artikuj: {count, number}' } }), []);
    assert.deepEqual(messageArguments('{n, selectordinal, one {#st} other {#th}} <b>{who}</b> {s, select, a {x} other {y}} {d, date}'), [
      'b:tag',
      'd:date',
      'n:number',
      's:select',
      'who:argument',
    ]);
  });

  test('an unused key; a key used as a literal or through a dynamic pattern is not; a stale pattern is', () => {
    const keys = ['x.used', 'x.double', 'x.template', 'x.status.open', 'x.status.closed', 'x.mail.sent.subject', 'x.unused'];
    const code = "t('x.used'); label=\"x.double\"; t(`x.template`); t(`x.status.${s}`); t(`x.mail.${k}.subject`); // x.unused in a comment";
    only(usageProblems(keys, code, ['x.status.*', 'x.mail.*.subject']), /^en: x\.unused is used nowhere in src/);
    only(usageProblems(['x.used'], code, ['y.gone.*']), /the dynamic key pattern y\.gone\.\* matches no key/);
    // `*` is one segment: a pattern does not cover deeper keys.
    only(usageProblems(['x.status.open', 'x.status.open.extra'], '', ['x.status.*']), /x\.status\.open\.extra is used nowhere/);
  });

  test('the house format: sorted keys, 2-space indent, trailing newline; repeated and non-string values', () => {
    const text = formatMessages({ 'b.two': 'Two', 'a.one': 'One' });
    assert.equal(text, '{\n  "a.one": "One",\n  "b.two": "Two"\n}\n');
    assert.deepEqual(parseMessageFile('locales/en.json', text), { messages: { 'a.one': 'One', 'b.two': 'Two' }, problems: [] });
    only(parseMessageFile('locales/en.json', '{\n  "b.two": "Two",\n  "a.one": "One"\n}\n').problems, /not in the house format/);
    only(parseMessageFile('locales/en.json', text.trimEnd()).problems, /not in the house format/);
    only(parseMessageFile('locales/en.json', '{\n  "a.one": "One",\n  "a.one": "Uno"\n}\n').problems, /a\.one appears twice/);
    only(parseMessageFile('locales/en.json', '{\n  "a": {\n    "one": "One"\n  }\n}\n').problems, /a is not a string/);
    only(parseMessageFile('locales/en.json', '{ "a.one": ').problems, /not valid JSON/);
  });

  describe('on a package', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'besa-i18n-'));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    test("Besa's own locales pass", () => {
      assert.deepEqual(checkPackage(root), []);
      assert.ok(DYNAMIC_KEYS.length > 0);
    });

    test('a broken package is reported file by file; --fix sorts the files and leaves the rest to fix by hand', () => {
      mkdirSync(join(scratch, 'locales'));
      mkdirSync(join(scratch, 'src'));
      writeFileSync(join(scratch, 'src', 'page.tsx'), "t('p.hello'); t('p.bye');\n");
      const write = (locale: string, messages: Record<string, string>, text = formatMessages(messages)) => writeFileSync(join(scratch, 'locales', `${locale}.json`), text);
      write('en', { 'p.hello': 'Hello', 'p.bye': 'Bye', 'p.never': 'Never' });
      write('sq', {}, '{\n  "p.hello": "Tung",\n  "p.bye": "Mirupafshim",\n  "p.never": "Kurrë"\n}\n');
      write('sr-Latn', { 'p.hello': 'Zdravo', 'p.bye': 'Doviđenja' });
      write('fr', { 'p.hello': 'Bonjour {name}', 'p.bye': 'Au revoir', 'p.never': 'Jamais' });
      write('de', { 'p.hello': 'Hallo' });
      const problems = checkPackage(scratch);
      assert.deepEqual(
        problems.map((p) => p.replace(/ \(.*$|: run npm.*$/, '')).sort(),
        [
          'en: p.never is used nowhere in src/',
          'fr: p.hello has the arguments {name:argument}, en has {}',
          'locales/de.json: no such locale in src/i18n/locales.ts',
          'locales/sq.json: not in the house format',
          'sr-Latn: p.never is missing',
        ].concat(DYNAMIC_KEYS.map((p) => `scripts/i18n-check.ts: the dynamic key pattern ${p} matches no key`)).sort(),
      );
      const fixed = checkPackage(scratch, true);
      assert.ok(!fixed.some((p) => p.includes('house format')), fixed.join('\n'));
      assert.equal(readFileSync(join(scratch, 'locales', 'sq.json'), 'utf8'), formatMessages({ 'p.bye': 'Mirupafshim', 'p.hello': 'Tung', 'p.never': 'Kurrë' }));
    });
  });
});

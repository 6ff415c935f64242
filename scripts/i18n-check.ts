/**
 * `npm run i18n:check`: checks the interface messages, `locales/*.json` (docs/TRANSLATING.md).
 * Exit 1 with every problem listed when:
 *  - a key of the source locale (en) is missing from a written locale (sq, sr-Latn, fr), or empty;
 *  - a locale has a key en does not have (unknown), including a derived locale's overrides (sr-Cyrl);
 *  - an ICU message does not parse, or its arguments (names and types) differ from en's;
 *  - a key of en is used nowhere in src/ (see `usageProblems`: literal keys, and DYNAMIC_KEYS);
 *  - a file is not in the house format: a flat object, keys sorted, 2-space indent, one trailing newline.
 *
 * `npm run i18n:check -- --fix` rewrites every file in the house format first (sorted keys), which
 * is what to run after a translation platform or a hand edit has reordered a file.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { DERIVED_LOCALES, SOURCE_LOCALE, WRITTEN_LOCALES } from '../src/i18n/locales.js';

/**
 * Keys built at run time rather than written out, e.g. t(`reporting.obstacle.${obstacle}`): every
 * key matching one of these patterns counts as used, `*` standing for one segment of a key (no dot).
 * Each entry is the template literal of the code with its `${…}` parts replaced by `*`, followed by
 * the files that build it. The check fails on a pattern that matches no key (a stale entry). A new
 * dynamic key family needs its line here, or the check reports its keys as unused.
 */
export const DYNAMIC_KEYS: readonly string[] = [
  'accounts.role.*', // modules/accounts/admin-routes.ts, modules/accounts/commands.ts, modules/accounts/views.tsx
  'api.op.*', // modules/api/page.tsx
  'bodies.group.*', // modules/bodies/admin-views.tsx, modules/bodies/history-words.ts, modules/bodies/public-views.tsx
  'bodies.history.action.*', // modules/bodies/history-words.ts
  'bodies.kind.*', // modules/bodies/admin-views.tsx, modules/bodies/history-words.ts, modules/bodies/public-views.tsx
  'bodies.role.*', // modules/bodies/admin-views.tsx, modules/bodies/history-words.ts, modules/bodies/public-views.tsx
  'bodies.rule.*', // modules/bodies/admin-views.tsx, modules/bodies/history-words.ts, modules/bodies/public-views.tsx
  'bodies.sector.*', // modules/bodies/admin-views.tsx, modules/bodies/history-words.ts, modules/bodies/public-views.tsx
  'consultations.group.*', // modules/participation/consultation-views.tsx
  'consultations.history.action.*', // modules/participation/consultation-sources.ts
  'consultations.moderation.*', // modules/participation/consultation-admin-views.tsx, modules/participation/consultation-sources.ts, modules/participation/consultation-views.tsx
  'consultations.moderation.*.public', // modules/participation/consultation-admin-views.tsx, modules/participation/consultation-sources.ts, modules/participation/consultation-views.tsx
  'consultations.status.*', // modules/participation/consultation-views.tsx
  'consultations.subject.*', // modules/participation/consultation-admin-views.tsx, modules/participation/consultation-sources.ts, modules/participation/consultation-views.tsx
  'contribution.flag.reason.*', // modules/participation/contribution-views.tsx
  'domain.*.*', // modules/transparency/describe.tsx
  'interop.kind.*', // modules/interop/admin-views.tsx
  'interop.reason.*', // modules/interop/admin-views.tsx
  'mailAdmin.status.*', // modules/mail/admin-views.tsx
  'meetings.action.status.*', // modules/meetings/admin-views.tsx, modules/meetings/history-words.ts, modules/meetings/public-views.tsx
  'meetings.attendance.*', // modules/meetings/admin-views.tsx, modules/meetings/public-views.tsx
  'meetings.history.action.*', // modules/meetings/history-words.ts
  'meetings.kind.*', // modules/meetings/admin-views.tsx, modules/meetings/commands.ts, modules/meetings/history-words.ts, modules/meetings/ical.ts, modules/meetings/public-views.tsx, modules/meetings/recent.ts, modules/news/draft.ts
  'meetings.role.*', // modules/meetings/admin-views.tsx, modules/meetings/public-views.tsx
  'meetings.status.*', // modules/meetings/admin-views.tsx, modules/meetings/history-words.ts, modules/meetings/public-views.tsx
  'news.history.action.*', // modules/news/history.ts
  'news.kind.*', // modules/news/admin-views.tsx, modules/news/history.ts
  'news.status.*', // modules/news/admin-views.tsx
  'opendata.entity.*', // modules/opendata/views.tsx
  'opendata.type.*', // modules/opendata/views.tsx
  'provenance.document.*', // modules/provenance/admin-views.tsx, modules/provenance/views.tsx, modules/transparency/describe.tsx
  'provenance.rendering.*', // modules/provenance/admin-views.tsx, modules/provenance/views.tsx, modules/transparency/describe.tsx
  'reporting.completion.*', // modules/reporting/admin-views.tsx, modules/reporting/public-views.tsx, modules/reports/document.ts, modules/reviews/public-views.tsx, modules/transparency/describe.tsx
  'reporting.cycleStatus.*', // modules/reporting/admin-views.tsx
  'reporting.mail.*.subject', // modules/reporting/commands.ts
  'reporting.mail.*.text', // modules/reporting/commands.ts
  'reporting.obstacle.*', // modules/reporting/admin-views.tsx, modules/reporting/public-views.tsx, modules/reporting/search.ts
  'reporting.punctuality.*', // modules/reporting/public-views.tsx
  'reporting.updateStatus.*', // modules/reporting/admin-views.tsx
  'responses.csv.*', // modules/participation/response-csv.ts
  'responses.kind.*', // modules/participation/moderation-views.tsx, modules/participation/response-csv.ts, modules/participation/response-section.tsx, modules/participation/response-sources.ts, modules/participation/response-views.tsx
  'responses.status.*', // modules/participation/response-views.tsx
  'reviews.assessment.*', // modules/reports/document.ts, modules/reviews/history-words.ts, modules/reviews/public-views.tsx
  'reviews.followUp.after.*', // modules/reports/document.ts, modules/reviews/admin-views.tsx
  'reviews.history.*.label', // modules/reviews/history-words.ts
  'reviews.history.*.title', // modules/reviews/history-words.ts
  'reviews.history.action.*', // modules/reviews/history-words.ts
  'reviews.rating.*', // modules/reports/document.ts, modules/reviews/history-words.ts, modules/reviews/public-views.tsx
  'reviews.rating.*.*', // modules/reports/document.ts, modules/reviews/history-words.ts, modules/reviews/public-views.tsx
  'reviews.recommendationStatus.*', // modules/reports/document.ts, modules/reviews/history-words.ts, modules/reviews/public-views.tsx
  'reviews.reportStatus.*', // modules/reviews/admin-views.tsx
  'reviews.response.*', // modules/reports/document.ts, modules/reviews/history-words.ts, modules/reviews/public-views.tsx
  'reviews.reviewStatus.*', // modules/reviews/admin-views.tsx
  'reviews.side.disagreement.*', // modules/reviews/public-views.tsx
  'search.kind.*', // modules/search/routes.ts
  'standards.item.*', // modules/standards/public-views.tsx
  'standards.measure.*', // modules/standards/public-views.tsx
  'standards.reason.end.*', // modules/standards/checklist.ts
  'standards.reason.inception.*', // modules/standards/checklist.ts
  'standards.status.*', // modules/standards/public-views.tsx
  'standards.what.*', // modules/standards/public-views.tsx
  'subscriptions.frequency.*', // modules/subscriptions/commands.ts, modules/subscriptions/deliver.ts, modules/subscriptions/views.tsx
  'subscriptions.mail.digest.intro.*', // modules/subscriptions/deliver.ts
  'subscriptions.mail.digest.subject.*', // modules/subscriptions/deliver.ts
  'subscriptions.notice.kind.*', // modules/subscriptions/deliver.ts
  'subscriptions.topicType.*', // modules/subscriptions/views.tsx
  'transparency.action.*', // modules/transparency/views.tsx
  'transparency.role.*', // modules/transparency/views.tsx
  'ui.error.*.body', // ui/error-page.tsx
  'ui.error.*.title', // ui/error-page.tsx
];

/** A DYNAMIC_KEYS pattern as a regular expression (`*`: one segment). */
export function dynamicPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}$`);
}

export type Messages = Record<string, string>;

/** A file's text in the house format: keys sorted by code point, 2-space indent, trailing newline. */
export function formatMessages(messages: Messages): string {
  const sorted = Object.fromEntries(Object.keys(messages).sort(compareKeys).map((k) => [k, messages[k]]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parses a file's text into messages, or reports why it cannot (not JSON, not flat, repeated keys). */
export function parseMessageFile(name: string, text: string): { messages?: Messages; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problems: [`${name}: not valid JSON (${(error as Error).message})`] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { problems: [`${name}: not a JSON object of messages`] };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') problems.push(`${name}: ${key} is not a string (the files are flat: one key, one message)`);
  }
  const seen = new Set<string>();
  for (const match of text.matchAll(/^ {2}"((?:[^"\\]|\\.)*)":/gm)) {
    const key = JSON.parse(`"${match[1]}"`) as string;
    if (seen.has(key)) problems.push(`${name}: ${key} appears twice (the last one wins; keep one)`);
    seen.add(key);
  }
  if (problems.length) return { problems };
  const messages = data as Messages;
  if (formatMessages(messages) !== text) problems.push(`${name}: not in the house format (sorted keys, 2-space indent, trailing newline): run npm run i18n:check -- --fix`);
  return { messages, problems };
}

/**
 * The arguments of an ICU message as `name:type`, sorted: `name:argument` (plain `{name}`), `n:number`
 * (`{n, number}`, `{n, plural, …}` or `{n, selectordinal, …}`), `d:date`, `t:time`, `s:select`, `b:tag`.
 * Throws if the message does not parse.
 */
export function messageArguments(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      switch (el.type) {
        case TYPE.argument:
          found.add(`${el.value}:argument`);
          break;
        case TYPE.number:
          found.add(`${el.value}:number`);
          break;
        case TYPE.date:
          found.add(`${el.value}:date`);
          break;
        case TYPE.time:
          found.add(`${el.value}:time`);
          break;
        case TYPE.select:
          found.add(`${el.value}:select`);
          for (const option of Object.values(el.options)) walk(option.value);
          break;
        case TYPE.plural:
          // A count may be phrased without plural forms in a translation: plural, selectordinal and
          // number all take a number, so they count as one type.
          found.add(`${el.value}:number`);
          for (const option of Object.values(el.options)) walk(option.value);
          break;
        case TYPE.tag:
          found.add(`${el.value}:tag`);
          walk(el.children);
          break;
        default:
          break;
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
}

/**
 * The problems between the source locale's messages and the others': missing, empty and unknown
 * keys, ICU messages that do not parse or whose arguments differ. `derived` holds the overrides of
 * a derived locale (sr-Cyrl), which may leave keys out but must not add any.
 */
export function compareLocales(source: Messages, written: Record<string, Messages>, derived: Record<string, Messages> = {}): string[] {
  const problems: string[] = [];
  const sourceArguments = new Map<string, string[]>();
  for (const [key, message] of Object.entries(source)) {
    if (message.trim() === '') problems.push(`${SOURCE_LOCALE}: ${key} is empty`);
    try {
      sourceArguments.set(key, messageArguments(message));
    } catch (error) {
      problems.push(`${SOURCE_LOCALE}: ${key} is not a valid ICU message (${(error as Error).message})`);
    }
  }
  const compare = (locale: string, key: string, message: string) => {
    if (!(key in source)) {
      problems.push(`${locale}: ${key} is unknown (not in ${SOURCE_LOCALE}.json)`);
      return;
    }
    if (message.trim() === '') {
      problems.push(`${locale}: ${key} is empty`);
      return;
    }
    let args: string[];
    try {
      args = messageArguments(message);
    } catch (error) {
      problems.push(`${locale}: ${key} is not a valid ICU message (${(error as Error).message})`);
      return;
    }
    const expected = sourceArguments.get(key);
    if (expected && args.join(', ') !== expected.join(', ')) {
      problems.push(`${locale}: ${key} has the arguments {${args.join(', ')}}, ${SOURCE_LOCALE} has {${expected.join(', ')}}`);
    }
  };
  for (const [locale, messages] of Object.entries(written)) {
    for (const key of Object.keys(source)) if (!(key in messages)) problems.push(`${locale}: ${key} is missing`);
    for (const [key, message] of Object.entries(messages)) compare(locale, key, message);
  }
  for (const [locale, messages] of Object.entries(derived)) {
    for (const [key, message] of Object.entries(messages)) compare(locale, key, message);
  }
  return problems;
}

/**
 * The keys of `keys` not used in the code: a key is used when written whole as a string literal
 * (`'a.b'`, `"a.b"` or `` `a.b` ``) somewhere in `code`, or when it matches one of `dynamicKeys`.
 * Also reports each dynamic pattern that matches no key (a stale entry).
 */
export function usageProblems(keys: readonly string[], code: string, dynamicKeys: readonly string[] = DYNAMIC_KEYS): string[] {
  const problems: string[] = [];
  const patterns = dynamicKeys.map(dynamicPattern);
  dynamicKeys.forEach((pattern, i) => {
    if (!keys.some((k) => patterns[i]!.test(k))) problems.push(`scripts/i18n-check.ts: the dynamic key pattern ${pattern} matches no key`);
  });
  for (const key of keys) {
    if (patterns.some((p) => p.test(key))) continue;
    if (code.includes(`'${key}'`) || code.includes(`"${key}"`) || code.includes(`\`${key}\``)) continue;
    problems.push(`${SOURCE_LOCALE}: ${key} is used nowhere in src/ (delete it from every locale, or list its pattern in DYNAMIC_KEYS, scripts/i18n-check.ts)`);
  }
  return problems;
}

/** The text of every source file under `dir` (*.ts, *.tsx, tests left out: a key only a test names is unused). */
export function readCode(dir: string): string {
  const parts: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) parts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return parts.join('\n');
}

/** Runs every check on a package root; with `fix`, first rewrites the files in the house format. Returns the problems. */
export function checkPackage(root: string, fix = false): string[] {
  const dir = join(root, 'locales');
  const problems: string[] = [];
  const read = (locale: string, optional: boolean): Messages | undefined => {
    const path = join(dir, `${locale}.json`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      if (!optional) problems.push(`locales/${locale}.json: missing`);
      return optional ? {} : undefined;
    }
    const name = relative(root, path);
    const parsed = parseMessageFile(name, text);
    if (fix && parsed.messages) {
      writeFileSync(path, formatMessages(parsed.messages));
      problems.push(...parsed.problems.filter((p) => !p.includes('house format')));
    } else {
      problems.push(...parsed.problems);
    }
    return parsed.messages;
  };
  const source = read(SOURCE_LOCALE, false);
  const written: Record<string, Messages> = {};
  for (const locale of WRITTEN_LOCALES) {
    if (locale === SOURCE_LOCALE) continue;
    const messages = read(locale, false);
    if (messages) written[locale] = messages;
  }
  const derived: Record<string, Messages> = {};
  for (const { locale } of DERIVED_LOCALES) {
    const messages = read(locale, true);
    if (messages) derived[locale] = messages;
  }
  const known = new Set<string>([...WRITTEN_LOCALES, ...DERIVED_LOCALES.map((d) => d.locale)].map((l) => `${l}.json`));
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.json') && !known.has(file)) problems.push(`locales/${file}: no such locale in src/i18n/locales.ts (add its entry there)`);
  }
  if (!source) return problems;
  problems.push(...compareLocales(source, written, derived));
  problems.push(...usageProblems(Object.keys(source), readCode(join(root, 'src'))));
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const fix = process.argv.includes('--fix');
  const problems = checkPackage(root, fix);
  if (problems.length) {
    for (const problem of problems) console.error(`✖ ${problem}`);
    console.error(`i18n: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    process.exit(1);
  }
  console.log(`i18n: every locale is complete and every message is used${fix ? ' (files rewritten in the house format)' : ''}`);
}

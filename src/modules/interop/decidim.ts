import { stringify } from 'csv-stringify/sync';
import type { Db, Executor, Trx } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';
import { translate } from '../../i18n/index.js';
import { formulaSafe } from '../../lib/spreadsheet.js';
import { parseTranslatable, setLocaleText, type Translatable } from '../../lib/translatable.js';
import { authorize, runCommand, type Actor, type AuditRecorder } from '../audit/index.js';
import { canManageContent } from '../accounts/index.js';
import { commitmentStatusOf, MILESTONE_STATUSES, progressOf, type MilestoneStatus } from '../commitments/domain.js';
import { refreshSearchDocuments } from '../search/index.js';
import { headerKey, readCsv } from './csv.js';
import { readDate } from './dates.js';
import { ImportFileError, type ImportOptions } from './ogp.js';
import { emptyReport, type ImportReport } from './report.js';
import { loadExternalIds, saveExternalId, upsertRecord, type ExternalRef } from './store.js';

/**
 * Decidim's accountability results, both ways (docs/adr/0008-imports.md).
 *
 * The file is Decidim's results export: semicolon-separated, a header row, nested fields flattened
 * with slashes (`category/id`, `parent/id`, `status/key`) and translatable ones per locale
 * (`title/en`, `description/ca`). Results without a parent are commitments, their children
 * milestones; deeper results are skipped with a reason. Besa's locales map to Decidim's codes
 * (sr-Latn as `sr`; sr-Cyrl is derived, never stored); other languages' columns are left out.
 * Decidim's status key and progress are kept with the external id, so that what Besa cannot derive
 * (a commitment's progress without milestones, a key Besa names differently) goes back unchanged.
 */

/** Besa's stored locales and Decidim's codes for them. */
export const DECIDIM_LOCALES: readonly { besa: Locale; decidim: string }[] = [
  { besa: 'en', decidim: 'en' },
  { besa: 'sq', decidim: 'sq' },
  { besa: 'sr-Latn', decidim: 'sr' },
  { besa: 'fr', decidim: 'fr' },
];

/** Decidim's codes read as Besa's locales (`sr-Latn` also accepted). */
function besaLocale(code: string): Locale | undefined {
  const c = code.toLowerCase();
  if (c === 'sr' || c === 'sr-latn') return 'sr-Latn';
  return DECIDIM_LOCALES.find((l) => l.decidim === c)?.besa;
}

/** A Decidim status key read as a Besa milestone status; undefined when Besa cannot tell. */
export function statusFromKey(key: string): MilestoneStatus | undefined {
  const k = key.toLowerCase().replace(/[\s-]+/g, '_');
  if (!k) return undefined;
  if ((MILESTONE_STATUSES as readonly string[]).includes(k)) return k as MilestoneStatus;
  if (/cancel|discard|abandon|withdraw/.test(k)) return 'cancelled';
  if (/delay|late|paused|blocked/.test(k)) return 'delayed';
  if (/not_started|planned|pending|proposed|to_do|todo/.test(k)) return 'not_started';
  if (/complet|finish|done|executed|achieved|closed/.test(k)) return 'completed';
  if (/progress|ongoing|execution|started|running/.test(k)) return 'in_progress';
  return undefined;
}

function statusFromProgress(progress: number | undefined): MilestoneStatus {
  if (progress === undefined || progress <= 0) return 'not_started';
  return progress >= 100 ? 'completed' : 'in_progress';
}

/** Decidim's descriptions are HTML: paragraphs and line breaks become line breaks, tags go, entities are read. */
export function htmlToText(html: string): string {
  return html
    .replace(/\r\n?/g, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>\s*/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text as Decidim's HTML: a paragraph per blank-line-separated block, line breaks kept, escaped. */
export function textToHtml(text: string): string {
  if (!text.trim()) return '';
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

interface DecidimRow {
  line: number;
  id: string;
  parent: string;
  externalId: string;
  title: Translatable;
  description: Translatable;
  start: string | undefined;
  end: string | undefined;
  statusKey: string;
  statusId: string;
  progress: number | undefined;
}

/**
 * Text cells of Besa's export are protected from formula injection (formulaSafe: a leading `=`, `+`,
 * `-`, `@`, tab or carriage return gets an apostrophe). A text that already starts with apostrophes
 * before such a character gets one more, so an import of Besa's own export (rows whose
 * `external_id` is `besa:…`) can take exactly one away and the round trip gives the text back.
 */
const APOSTROPHES_BEFORE_FORMULA = /^'+[=+\-@\t\r]/;

export function exportText(value: string): string {
  return APOSTROPHES_BEFORE_FORMULA.test(value) ? `'${value}` : formulaSafe(value);
}

/** The inverse of exportText, for cells of Besa's own export only. */
export function importedText(value: string): string {
  return APOSTROPHES_BEFORE_FORMULA.test(value) ? value.slice(1) : value;
}

function readDecidimRows(text: string, report: ImportReport): DecidimRow[] {
  const table = readCsv(text, text.replace(/^\uFEFF/, '').split('\n', 1)[0]!.includes(';') ? ';' : ',');
  const keys = table.header.map(headerKey);
  if (!keys.includes('id') || !keys.some((k) => k.startsWith('title/'))) throw new ImportFileError('not Decidim’s accountability results: no column “id” or “title/…”');
  const index = (name: string) => keys.indexOf(name);
  const ignored = new Set<string>();
  const localeColumns = (field: string) =>
    table.header.flatMap((h, i) => {
      const k = keys[i]!;
      if (!k.startsWith(`${field}/`)) return [];
      const code = h.trim().slice(field.length + 1);
      const locale = besaLocale(code);
      if (!locale) {
        ignored.add(code);
        return [];
      }
      return [{ i, locale }];
    });
  const titles = localeColumns('title');
  const descriptions = localeColumns('description');
  if (ignored.size) report.warnings.push({ row: 0, reason: 'ignored_locales', detail: [...ignored].join(', ') });
  const at = (cells: string[], name: string) => {
    const i = index(name);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  report.rows = table.rows.length;
  for (const line of table.cleaned) report.warnings.push({ row: line, reason: 'control_characters' });
  const rows: DecidimRow[] = [];
  for (const { line, cells } of table.rows) {
    const id = at(cells, 'id');
    if (!id) {
      report.skipped.push({ row: line, reason: 'missing_id' });
      continue;
    }
    // Besa's own export protected its text cells from formulas (exportText): taken back here.
    const fromBesa = at(cells, 'external_id').startsWith('besa:');
    const title: Translatable = {};
    for (const { i, locale } of titles) {
      const t = (cells[i] ?? '').trim().replace(/\s+/g, ' ');
      if (t) title[locale] = fromBesa ? importedText(t) : t;
    }
    if (Object.keys(title).length === 0) {
      report.skipped.push({ row: line, reason: 'missing_title' });
      continue;
    }
    const description: Translatable = {};
    for (const { i, locale } of descriptions) {
      const t = htmlToText(fromBesa ? importedText(cells[i] ?? '') : (cells[i] ?? ''));
      if (t) description[locale] = t;
    }
    const date = (name: string, edge: 'start' | 'end') => {
      const r = readDate(at(cells, name), edge, 'dmy');
      if (r.kind === 'bad') report.warnings.push({ row: line, reason: 'bad_date', detail: `${name}: ${r.text}` });
      return r.kind === 'date' ? r.iso : undefined;
    };
    const progressText = at(cells, 'progress');
    const progress = progressText && Number.isFinite(Number(progressText)) ? Math.max(0, Math.min(100, Number(progressText))) : undefined;
    rows.push({
      line,
      id,
      parent: at(cells, 'parent/id'),
      externalId: at(cells, 'external_id'),
      title,
      description,
      start: date('start_date', 'start'),
      end: date('end_date', 'end'),
      statusKey: at(cells, 'status/key'),
      statusId: at(cells, 'status/id'),
      progress,
    });
  }
  return rows;
}

/** The jurisdiction and plan given by slug (the plan: the one named, else the latest by start). */
async function target(db: Executor, options: { jurisdiction?: string | undefined; plan?: string | undefined }): Promise<{ jurisdictionId: number; jurisdictionSlug: string; planId?: number | undefined }> {
  if (!options.jurisdiction) throw new ImportFileError('--jurisdiction is required');
  const j = await db.selectFrom('jurisdictions').select(['id', 'slug']).where('slug', '=', options.jurisdiction).executeTakeFirst();
  if (!j) throw new ImportFileError(`no jurisdiction “${options.jurisdiction}”`);
  if (options.plan === undefined) return { jurisdictionId: j.id, jurisdictionSlug: j.slug };
  const p = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', j.id).where('slug', '=', options.plan).executeTakeFirst();
  if (!p) throw new ImportFileError(`no plan “${options.plan}” in ${j.slug}`);
  return { jurisdictionId: j.id, jurisdictionSlug: j.slug, planId: p.id };
}

/** The Besa record a row is, by Besa's own id in `external_id` (an export of Besa), else by Decidim's id imported before. */
function besaRef(externalId: string): { entityType: string; entityId: number } | undefined {
  const m = /^besa:(commitment|milestone):(\d+)$/.exec(externalId);
  return m ? { entityType: m[1]!, entityId: Number(m[2]) } : undefined;
}

/**
 * Imports Decidim's accountability results into a jurisdiction's plan (the one given, else its
 * latest): one transaction, each change published, nothing published when nothing changed.
 */
export async function importDecidim(db: Db, actor: Actor, text: string, scope: { jurisdiction?: string | undefined; plan?: string | undefined }, options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport();
  const where = await target(db, scope);
  authorize(actor, (user) => canManageContent(user, where.jurisdictionId));
  let planId = where.planId;
  if (planId === undefined) {
    const latest = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', where.jurisdictionId).orderBy('starts_on', 'desc').orderBy('id', 'desc').executeTakeFirst();
    if (!latest) throw new ImportFileError(`${where.jurisdictionSlug} has no action plan to import into`);
    planId = latest.id;
  }
  const rows = readDecidimRows(text, report);
  const prefix = `j${where.jurisdictionId}:`;
  const known = await loadExternalIds(db, 'decidim', prefix);
  let done = report.skipped.length;
  options.onProgress?.(done, report.rows);
  await runCommand(db, actor, async (trx, audit) => {
    const changed = await importRows(trx, audit, report, rows, { planId: planId!, jurisdictionId: where.jurisdictionId, prefix, known, fileName: options.fileName, tick: () => options.onProgress?.(++done, report.rows) });
    if (changed) await refreshSearchDocuments(trx, where.jurisdictionId);
    else audit.nothingPublic();
  });
  options.onProgress?.(report.rows, report.rows);
  return report;
}

interface RowsContext {
  planId: number;
  jurisdictionId: number;
  prefix: string;
  known: Map<string, ExternalRef>;
  fileName: string;
  tick: () => void;
}

async function importRows(trx: Trx, audit: AuditRecorder, report: ImportReport, rows: DecidimRow[], c: RowsContext): Promise<boolean> {
  let changed = false;
  const plan = await trx.selectFrom('action_plans').select(['id', 'starts_on', 'ends_on']).where('id', '=', c.planId).executeTakeFirstOrThrow();
  const jurisdiction = await trx.selectFrom('jurisdictions').select(['country_code', 'slug']).where('id', '=', c.jurisdictionId).executeTakeFirstOrThrow();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const commitmentOf = new Map<string, number>();
  const seen = new Set<string>();

  // Where an existing record is: Besa's own id (exported by Besa), else the Decidim id imported before.
  const existing = async (row: DecidimRow, entityType: 'commitment' | 'milestone'): Promise<number | undefined> => {
    const own = besaRef(row.externalId);
    const table = entityType === 'commitment' ? 'commitments' : 'milestones';
    if (own && own.entityType === entityType) {
      // Besa's id from this instance's export: only a record of this jurisdiction (another instance's ids mean nothing here).
      const found =
        entityType === 'commitment'
          ? await trx.selectFrom('commitments').innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id').select('commitments.id').where('commitments.id', '=', own.entityId).where('action_plans.jurisdiction_id', '=', c.jurisdictionId).executeTakeFirst()
          : await trx.selectFrom('milestones').innerJoin('commitments', 'commitments.id', 'milestones.commitment_id').innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id').select('milestones.id').where('milestones.id', '=', own.entityId).where('action_plans.jurisdiction_id', '=', c.jurisdictionId).executeTakeFirst();
      if (found) return found.id;
    }
    const ref = c.known.get(`${c.prefix}result:${row.id}`);
    if (ref && ref.entityType === entityType) {
      const found = await trx.selectFrom(table).select('id').where('id', '=', ref.entityId).executeTakeFirst();
      if (found) return found.id;
    }
    return undefined;
  };

  // Codes for new commitments: the plan's own prefix when its codes have one, else the country's letters and the jurisdiction's.
  const codes = (await trx.selectFrom('commitments').select('code').where('action_plan_id', '=', c.planId).execute()).map((r) => r.code);
  const codePrefix = codes.map((code) => /^([A-Z]{2,8}?)\d{4}$/.exec(code)?.[1]).find(Boolean) ?? `${jurisdiction.country_code}${jurisdiction.slug.replace(/[^a-z]/g, '').slice(0, 3).toUpperCase()}`;
  let codeNumber = Math.max(0, ...codes.map((code) => Number(/(\d{4})$/.exec(code)?.[1] ?? 0)));
  let position = Math.max(0, ...(await trx.selectFrom('commitments').select('position').where('action_plan_id', '=', c.planId).execute()).map((r) => r.position));

  const roots = rows.filter((r) => !r.parent);
  const children = rows.filter((r) => r.parent);
  for (const row of roots) {
    if (seen.has(row.id)) {
      report.skipped.push({ row: row.line, reason: 'duplicate_row', detail: row.id });
      c.tick();
      continue;
    }
    seen.add(row.id);
    const id = await existing(row, 'commitment');
    const current = id !== undefined ? await trx.selectFrom('commitments').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!row.start || !row.end) report.warnings.push({ row: row.line, reason: 'dates_from_plan' });
    let title = current?.title ?? '{}';
    for (const [locale, t] of Object.entries(row.title)) title = setLocaleText(title, locale as Locale, t);
    let action = current?.action ?? '{}';
    for (const [locale, t] of Object.entries(row.description)) action = setLocaleText(action, locale as Locale, t);
    const values: Record<string, string | number | null> = {
      title,
      action,
      starts_on: row.start ?? plan.starts_on,
      ends_on: row.end ?? plan.ends_on,
    };
    let insertOnly: Record<string, string | number | null> = {};
    if (!current) {
      let code: string;
      do code = `${codePrefix}${String(++codeNumber).padStart(4, '0')}`;
      while (codes.includes(code));
      codes.push(code);
      values.action_plan_id = c.planId;
      values.code = code;
      values.ogp_values = '[]';
      values.policy_areas = '[]';
      insertOnly = { position: ++position, problem: '{}', status_quo: '{}', contribution: '{}', long_term_goal: '{}' };
    }
    const result = await upsertRecord(trx, audit, report, 'commitment', 'commitments', 'commitment', current?.id, values, {
      insertOnly,
      ...(current ? {} : { derived: { institutions: [] } }),
      summary: { source: 'decidim' },
    });
    if (result.outcome !== 'unchanged') changed = true;
    commitmentOf.set(row.id, result.id);
    await saveExternalId(trx, 'decidim', `${c.prefix}result:${row.id}`, { entityType: 'commitment', entityId: result.id, data: keptData(row) }, `${c.fileName}, row ${row.line}`, c.known);
    c.tick();
  }

  const milestoneCount = new Map<number, number>();
  for (const row of children) {
    if (seen.has(row.id)) {
      report.skipped.push({ row: row.line, reason: 'duplicate_row', detail: row.id });
      c.tick();
      continue;
    }
    seen.add(row.id);
    const parentRow = byId.get(row.parent);
    let commitmentId = commitmentOf.get(row.parent);
    if (commitmentId === undefined && !parentRow) {
      const ref = c.known.get(`${c.prefix}result:${row.parent}`);
      if (ref?.entityType === 'commitment') commitmentId = ref.entityId;
    }
    if (commitmentId === undefined) {
      report.skipped.push({ row: row.line, reason: parentRow?.parent ? 'too_deep' : 'unknown_parent', detail: row.parent });
      c.tick();
      continue;
    }
    const commitment = await trx.selectFrom('commitments').select(['id', 'code', 'starts_on', 'ends_on']).where('id', '=', commitmentId).executeTakeFirstOrThrow();
    const id = await existing(row, 'milestone');
    const current = id !== undefined ? await trx.selectFrom('milestones').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    let status = statusFromKey(row.statusKey);
    if (!status) {
      if (row.statusKey) report.warnings.push({ row: row.line, reason: 'unknown_status', detail: row.statusKey });
      status = statusFromProgress(row.progress);
    }
    if (!row.end) report.warnings.push({ row: row.line, reason: 'dates_from_plan' });
    const due = row.end ?? commitment.ends_on;
    let title = current?.title ?? '{}';
    for (const [locale, t] of Object.entries(row.title)) title = setLocaleText(title, locale as Locale, t);
    let output = current?.expected_output ?? '{}';
    for (const [locale, t] of Object.entries(row.description)) output = setLocaleText(output, locale as Locale, t);
    const values: Record<string, string | number | null> = {
      commitment_id: commitment.id,
      title,
      expected_output: output,
      starts_on: row.start ?? null,
      due_on: due,
      status,
      completed_on: status === 'completed' ? (current?.completed_on ?? due) : null,
      cancelled_on: status === 'cancelled' ? (current?.cancelled_on ?? due) : null,
    };
    let insertOnly: Record<string, string | number | null> = {};
    if (!current) {
      const taken = (await trx.selectFrom('milestones').select(['code', 'position']).where('commitment_id', '=', commitment.id).execute());
      let n = Math.max(milestoneCount.get(commitment.id) ?? 0, ...taken.map((m) => Number(/\.(\d+)$/.exec(m.code)?.[1] ?? 0)));
      let code: string;
      do code = `${commitment.code}.${++n}`;
      while (taken.some((m) => m.code === code));
      milestoneCount.set(commitment.id, n);
      values.code = code;
      values.indicator = '{}';
      values.responsible_institution_id = null;
      values.weight = 1;
      insertOnly = { position: Math.max(0, ...taken.map((m) => m.position)) + 1, is_demo: 0 };
    }
    const result = await upsertRecord(trx, audit, report, 'milestone', 'milestones', 'milestone', current?.id, values, { insertOnly, summary: { source: 'decidim' } });
    if (result.outcome !== 'unchanged') changed = true;
    await saveExternalId(trx, 'decidim', `${c.prefix}result:${row.id}`, { entityType: 'milestone', entityId: result.id, data: keptData(row) }, `${c.fileName}, row ${row.line}`, c.known);
    c.tick();
  }
  return changed;
}

/** What Decidim says that Besa derives or names differently, kept for the way back. */
function keptData(row: DecidimRow): Record<string, unknown> {
  return {
    ...(row.statusKey ? { statusKey: row.statusKey } : {}),
    ...(row.statusId ? { statusId: row.statusId } : {}),
    ...(row.progress !== undefined ? { progress: row.progress } : {}),
  };
}

/** The header of the export: Decidim's result serializer's fields, flattened as Decidim flattens them. */
export function decidimHeader(): string[] {
  const per = (field: string) => DECIDIM_LOCALES.map((l) => `${field}/${l.decidim}`);
  return [
    'id',
    'category/id',
    ...per('category/name'),
    'scope/id',
    ...per('scope/name'),
    'parent/id',
    ...per('title'),
    ...per('description'),
    'start_date',
    'end_date',
    'status/id',
    'status/key',
    ...per('status/name'),
    'progress',
    'created_at',
    'url',
    'component/id',
    'proposal_urls',
    'external_id',
  ];
}

/**
 * Decidim's accountability CSV of a jurisdiction's commitments (one plan's, or every plan's) and
 * their milestones: a commitment's row, then its milestones' rows. Ids: Decidim's when the record
 * came from Decidim, otherwise numbers above every Decidim id of the jurisdiction, given in order
 * (they only tie children to parents inside the file); `external_id` holds Besa's own id, which
 * an import into Besa reads first.
 */
export async function decidimExportRows(db: Executor, scope: { jurisdiction?: string | undefined; plan?: string | undefined }): Promise<string[][]> {
  const where = await target(db, scope);
  const prefix = `j${where.jurisdictionId}:`;
  const known = await loadExternalIds(db, 'decidim', prefix);
  const decidimId = new Map<string, { id: string; data: Record<string, unknown> }>();
  let highest = 0;
  for (const [key, ref] of known) {
    const id = key.slice(`${prefix}result:`.length);
    decidimId.set(`${ref.entityType}:${ref.entityId}`, { id, data: ref.data });
    if (/^\d+$/.test(id)) highest = Math.max(highest, Number(id));
  }
  let commitmentsQuery = db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .select(['commitments.id', 'commitments.title', 'commitments.action', 'commitments.starts_on', 'commitments.ends_on', 'commitments.created_at'])
    .where('action_plans.jurisdiction_id', '=', where.jurisdictionId);
  if (where.planId !== undefined) commitmentsQuery = commitmentsQuery.where('action_plans.id', '=', where.planId);
  const commitments = await commitmentsQuery.orderBy('action_plans.starts_on').orderBy('action_plans.id').orderBy('commitments.position').orderBy('commitments.id').execute();
  const ids = commitments.map((c) => c.id);
  const milestones = ids.length
    ? await db.selectFrom('milestones').select(['id', 'commitment_id', 'title', 'expected_output', 'starts_on', 'due_on', 'status', 'weight', 'created_at']).where('commitment_id', 'in', ids).orderBy('position').orderBy('id').execute()
    : [];
  const byCommitment = new Map<number, typeof milestones>();
  for (const m of milestones) byCommitment.set(m.commitment_id, [...(byCommitment.get(m.commitment_id) ?? []), m]);

  const idOf = (type: string, id: number): { id: string; data: Record<string, unknown> } => {
    const kept = decidimId.get(`${type}:${id}`);
    if (kept) return kept;
    const fresh = { id: String(++highest), data: {} as Record<string, unknown> };
    decidimId.set(`${type}:${id}`, fresh);
    return fresh;
  };
  const texts = (json: string) => {
    const t = parseTranslatable(json);
    return DECIDIM_LOCALES.map((l) => t[l.besa] ?? '');
  };
  const empty = DECIDIM_LOCALES.map(() => '');
  const statusNames = (status: string) => DECIDIM_LOCALES.map((l) => ((MILESTONE_STATUSES as readonly string[]).includes(status) ? translate(l.besa, `domain.milestoneStatus.${status}` as never) : ''));
  // A Besa status as Decidim's key: the key it came with when it still means the same, else Besa's name.
  const keyOf = (status: string, data: Record<string, unknown>) => (typeof data.statusKey === 'string' && statusFromKey(data.statusKey) === status ? data.statusKey : status);
  // Decidim's status id, when the key written is the one it came with.
  const statusIdOf = (key: string, data: Record<string, unknown>) => (key && data.statusKey === key && typeof data.statusId === 'string' ? data.statusId : '');
  const row = (r: { id: string; parent: string; title: string; description: string; start: string | null; end: string; statusKey: string; statusId: string; statusName: string[]; progress: string; createdAt: string; externalId: string }) => [
    r.id,
    '',
    ...empty,
    '',
    ...empty,
    r.parent,
    ...texts(r.title).map(exportText),
    ...texts(r.description).map((t) => exportText(textToHtml(t))),
    r.start ?? '',
    r.end,
    r.statusId,
    r.statusKey,
    ...r.statusName.map(exportText),
    r.progress,
    r.createdAt,
    '',
    '',
    '',
    r.externalId,
  ];

  const out: string[][] = [];
  for (const c of commitments) {
    const own = idOf('commitment', c.id);
    const ms = byCommitment.get(c.id) ?? [];
    let statusKey = '';
    let statusName = empty;
    let progress = '';
    if (ms.length) {
      const status = commitmentStatusOf(ms);
      statusKey = status === 'no_milestones' ? '' : keyOf(status, own.data);
      statusName = statusNames(status);
      const p = progressOf(ms);
      progress = p === null ? '' : String(Math.round(p * 100));
    } else {
      // Nothing for Besa to derive from: what Decidim said, when it said something.
      if (typeof own.data.statusKey === 'string') {
        statusKey = own.data.statusKey;
        const s = statusFromKey(statusKey);
        if (s) statusName = statusNames(s);
      }
      if (typeof own.data.progress === 'number') progress = String(own.data.progress);
    }
    out.push(row({ id: own.id, parent: '', title: c.title, description: c.action, start: c.starts_on, end: c.ends_on, statusKey, statusId: statusIdOf(statusKey, own.data), statusName, progress, createdAt: c.created_at, externalId: `besa:commitment:${c.id}` }));
    for (const m of ms) {
      const mine = idOf('milestone', m.id);
      const kept = typeof mine.data.progress === 'number' ? mine.data.progress : undefined;
      const progress = m.status === 'completed' ? '100' : m.status === 'not_started' ? '0' : kept !== undefined && statusFromKey(String(mine.data.statusKey ?? '')) === m.status ? String(kept) : '';
      out.push(row({ id: mine.id, parent: own.id, title: m.title, description: m.expected_output, start: m.starts_on, end: m.due_on, statusKey: keyOf(m.status, mine.data), statusId: statusIdOf(keyOf(m.status, mine.data), mine.data), statusName: statusNames(m.status), progress, createdAt: m.created_at, externalId: `besa:milestone:${m.id}` }));
    }
  }
  return out;
}

/** The export as CSV text (semicolons, a header row, CRLF line ends as Decidim writes them). */
export async function decidimCsv(db: Executor, scope: { jurisdiction?: string | undefined; plan?: string | undefined }): Promise<string> {
  const rows = await decidimExportRows(db, scope);
  return stringify([decidimHeader(), ...rows], { delimiter: ';', record_delimiter: 'windows' });
}

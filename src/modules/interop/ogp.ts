import type { Db, Trx } from '../../db/database.js';
import { serializeTranslatable, setLocaleText } from '../../lib/translatable.js';
import { authorize, runCommand, type Actor, type AuditRecorder } from '../audit/index.js';
import { canManageJurisdictions } from '../accounts/index.js';
import { OGP_LENSES, OGP_VALUES } from '../commitments/domain.js';
import { refreshSearchDocuments } from '../search/index.js';
import { publicChanges } from '../transparency/index.js';
import { cellReader, headerKey, readCsv, slugOf } from './csv.js';
import { readDate, slashOrder, type DateReading, type SlashOrder } from './dates.js';
import { emptyReport, type ImportReport, type ReportLine } from './report.js';
import { loadExternalIds, saveExternalId, upsertRecord, type ExternalRef } from './store.js';

/**
 * `besa import ogp FILE`: OGP's commitment data download. Each Country/Locality becomes a
 * jurisdiction, each action plan a plan, each row a commitment with its institutions, OGP values,
 * policy areas and IRM assessment. Identifiers are kept in `external_ids` (source `ogp`), so a
 * second import of the same file changes nothing and publishes nothing, and a changed row updates
 * the same commitment. The mapping is explained in docs/adr/0008-imports.md.
 */

/** The columns read by name (matched case- and space-insensitively). */
export const OGP_COLUMNS = {
  id: 'Commitment Unique Identifier',
  place: 'Country/Locality',
  planNumber: 'Action Plan Number',
  planId: 'Action Plan ID',
  code: 'Code',
  kind: 'National Or Local',
  title: 'Commitment Title',
  text: 'Full Text',
  start: 'Start Date',
  end: 'End Date',
  lead: 'Lead Institution',
  supporting: 'Supporting Institution(s)',
} as const;

/** IRM assessment columns: these names, and any column starting like them. */
const IRM_PREFIXES = ['verifiable', 'potential impact', 'potential for results', 'completion', 'did it open government', 'early results', 'relevance', 'starred', 'ambition', 'transformative', 'irm '];

/** OGP's value columns (0/1 flags) to Besa's keys for OGP values and lenses. */
const OGP_VALUE_COLUMNS: Record<string, (typeof OGP_VALUES)[number] | (typeof OGP_LENSES)[number]> = {
  'access to information': 'transparency',
  transparency: 'transparency',
  'civic participation': 'civic_participation',
  'public accountability': 'public_accountability',
  'technology & innovation for transparency & accountability': 'technology_and_innovation',
  'technology and innovation for transparency and accountability': 'technology_and_innovation',
  'technology & innovation': 'technology_and_innovation',
  'technology and innovation': 'technology_and_innovation',
  inclusion: 'inclusion',
};

export class ImportFileError extends Error {}

export interface ImportOptions {
  /** Where the file came from, kept with each external identifier ("ogp.csv"). */
  fileName: string;
  /** Called after each row is handled, with the number handled and the total. */
  onProgress?: (done: number, total: number) => void;
}

interface OgpRow {
  line: number;
  key: string;
  place: string;
  kind: 'national' | 'local';
  planKey: string;
  planNumber: string;
  code: string;
  title: string;
  text: string;
  start: string | undefined;
  end: string | undefined;
  lead: string[];
  supporting: string[];
  ogpValues: string[];
  areas: string[];
  irm: { name: string; value: string | null }[];
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Names in an institutions cell: one per line or separated by semicolons (commas belong to names). */
function institutionNames(cell: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of cell.split(/[;\n\r]+/)) {
    const name = part.replace(/\s+/g, ' ').trim();
    if (!name || /^(n\/?a|nd|nr|none|-)$/i.test(name) || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Reads the file into rows to import, skipping (with reasons) those that cannot be. */
export function readOgpRows(text: string): { rows: OgpRow[]; report: ImportReport } {
  const report = emptyReport();
  // The header line first: another kind of file (Decidim's, with semicolons) is named as such, not as a CSV error.
  const firstLine = headerKey(text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '');
  const absent = [OGP_COLUMNS.place, OGP_COLUMNS.title].filter((c) => !firstLine.includes(headerKey(c)));
  if (absent.length) throw new ImportFileError(`not OGP’s commitment data: no column ${absent.map((m) => `“${m}”`).join(', ')}`);
  const table = readCsv(text, ',');
  const keys = table.header.map(headerKey);
  const missing = [OGP_COLUMNS.place, OGP_COLUMNS.title].filter((c) => !keys.includes(headerKey(c)));
  if (missing.length) throw new ImportFileError(`not OGP’s commitment data: no column ${missing.map((m) => `“${m}”`).join(', ')}`);
  const cell = cellReader(table.header);
  report.rows = table.rows.length;
  for (const line of table.cleaned) report.warnings.push({ row: line, reason: 'control_characters' });

  // Columns: the known ones, IRM ratings, 0/1 flags (OGP values or policy areas), the rest ignored.
  const known = new Set(Object.values(OGP_COLUMNS).map(headerKey));
  const irmColumns: number[] = [];
  const flagColumns: number[] = [];
  const ignored: string[] = [];
  table.header.forEach((h, i) => {
    const k = keys[i]!;
    if (!h || known.has(k) || keys.indexOf(k) !== i) return;
    if (IRM_PREFIXES.some((p) => k.startsWith(p))) irmColumns.push(i);
    else if (table.rows.every((r) => /^[01]?$/.test((r.cells[i] ?? '').trim())) && table.rows.some((r) => (r.cells[i] ?? '').trim() !== '')) flagColumns.push(i);
    else ignored.push(h);
  });
  if (ignored.length) report.warnings.push({ row: 0, reason: 'ignored_columns', detail: ignored.join(', ') });

  const dateCells = table.rows.flatMap((r) => [cell(r.cells, OGP_COLUMNS.start), cell(r.cells, OGP_COLUMNS.end)]);
  const order: SlashOrder | undefined = slashOrder(dateCells);
  if (!order && dateCells.some((d) => /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/.test(d) && !/^(\d{1,2})[/.-]\1[/.-]/.test(d))) report.warnings.push({ row: 0, reason: 'slash_order_guessed' });

  const rows: OgpRow[] = [];
  const seenKeys = new Map<string, number>();
  const skip = (line: number, reason: ReportLine['reason'], detail?: string) => report.skipped.push({ row: line, reason, ...(detail ? { detail } : {}) });
  for (const { line, cells } of table.rows) {
    const place = cell(cells, OGP_COLUMNS.place).replace(/\s+/g, ' ');
    const title = cell(cells, OGP_COLUMNS.title).replace(/\s+/g, ' ');
    const code = cell(cells, OGP_COLUMNS.code).replace(/\s+/g, '').toUpperCase();
    const planId = cell(cells, OGP_COLUMNS.planId);
    const planNumber = cell(cells, OGP_COLUMNS.planNumber);
    if (!place) {
      skip(line, 'missing_place');
      continue;
    }
    if (!title) {
      skip(line, 'missing_title');
      continue;
    }
    if (!planId && !planNumber) {
      skip(line, 'missing_plan');
      continue;
    }
    if (!code) {
      skip(line, 'missing_code');
      continue;
    }
    if (!CODE.test(code)) {
      skip(line, 'bad_code', code);
      continue;
    }
    const kindCell = cell(cells, OGP_COLUMNS.kind).toLowerCase();
    const kind = kindCell === 'local' ? 'local' : 'national';
    if (kindCell && kindCell !== 'local' && kindCell !== 'national') report.warnings.push({ row: line, reason: 'unknown_kind', detail: cell(cells, OGP_COLUMNS.kind) });
    const planKey = planId ? `action_plan:${planId}` : `action_plan:${nameKey(place)}#${planNumber}`;
    const id = cell(cells, OGP_COLUMNS.id);
    const key = id ? `commitment:${id}` : `commitment:${planKey}#${code}`;
    const earlier = seenKeys.get(key);
    if (earlier !== undefined) {
      skip(line, 'duplicate_row', `row ${earlier}`);
      continue;
    }
    seenKeys.set(key, line);

    const date = (name: string, edge: 'start' | 'end'): string | undefined => {
      const reading: DateReading = readDate(cell(cells, name), edge, order ?? 'mdy');
      if (reading.kind === 'bad') report.warnings.push({ row: line, reason: 'bad_date', detail: `${name}: ${reading.text}` });
      return reading.kind === 'date' ? reading.iso : undefined;
    };
    let start = date(OGP_COLUMNS.start, 'start');
    let end = date(OGP_COLUMNS.end, 'end');
    if (start && end && end < start) {
      report.warnings.push({ row: line, reason: 'end_before_start', detail: `${start} / ${end}` });
      [start, end] = [end, start];
    }
    const ogpValues = new Set<string>();
    const areas: string[] = [];
    for (const i of flagColumns) {
      if ((cells[i] ?? '').trim() !== '1') continue;
      const value = OGP_VALUE_COLUMNS[keys[i]!];
      if (value) ogpValues.add(value);
      else areas.push(table.header[i]!);
    }
    rows.push({
      line,
      key,
      place,
      kind,
      planKey,
      planNumber,
      code,
      title,
      text: cell(cells, OGP_COLUMNS.text).replace(/\r\n?/g, '\n'),
      start,
      end,
      lead: institutionNames(cell(cells, OGP_COLUMNS.lead)),
      supporting: institutionNames(cell(cells, OGP_COLUMNS.supporting)),
      ogpValues: [...OGP_VALUES, ...OGP_LENSES].filter((v) => ogpValues.has(v)),
      areas,
      irm: irmColumns.map((i) => ({ name: table.header[i]!, value: (cells[i] ?? '').trim() || null })),
    });
  }
  return { rows, report };
}

interface PlanGroup {
  key: string;
  number: string;
  starts: string | undefined;
  ends: string | undefined;
  rows: OgpRow[];
}

interface PlaceGroup {
  key: string;
  name: string;
  kind: 'national' | 'local';
  plans: Map<string, PlanGroup>;
}

/** Rows grouped by jurisdiction and plan, in the file's order; a plan's dates span its commitments'. */
function group(rows: OgpRow[]): Map<string, PlaceGroup> {
  const places = new Map<string, PlaceGroup>();
  for (const row of rows) {
    const placeKey = `jurisdiction:${nameKey(row.place)}`;
    let place = places.get(placeKey);
    if (!place) places.set(placeKey, (place = { key: placeKey, name: row.place, kind: row.kind, plans: new Map() }));
    let plan = place.plans.get(row.planKey);
    if (!plan) place.plans.set(row.planKey, (plan = { key: row.planKey, number: row.planNumber, starts: undefined, ends: undefined, rows: [] }));
    plan.rows.push(row);
    for (const d of [row.start, row.end]) {
      if (!d) continue;
      if (!plan.starts || d < plan.starts) plan.starts = d;
      if (!plan.ends || d > plan.ends) plan.ends = d;
    }
  }
  return places;
}

async function uniqueSlug(taken: (slug: string) => Promise<boolean>, base: string): Promise<string> {
  let slug = base;
  for (let n = 2; await taken(slug); n++) slug = `${base.slice(0, 55)}-${n}`;
  return slug;
}

/**
 * Imports OGP's commitment data: one transaction per jurisdiction (its institutions, plans,
 * commitments and IRM assessments), each published change in the transparency log, the search
 * documents refreshed; a jurisdiction where nothing changed publishes nothing and leaves the page
 * cache alone. Instance administrators only (or the system, from the command line).
 */
export async function importOgp(db: Db, actor: Actor, text: string, options: ImportOptions): Promise<ImportReport> {
  authorize(actor, canManageJurisdictions);
  const { rows, report } = readOgpRows(text);
  const places = group(rows);
  const known = await loadExternalIds(db, 'ogp');
  const ours = new Map<number, string>();
  for (const [key, ref] of known) if (ref.entityType === 'commitment') ours.set(ref.entityId, key);
  let done = report.skipped.length;
  options.onProgress?.(done, report.rows);
  for (const place of places.values()) {
    await runCommand(db, actor, async (trx, audit) => {
      const changed = await importPlace(trx, audit, place, known, ours, report, options.fileName, () => options.onProgress?.(++done, report.rows));
      if (changed !== undefined) await refreshSearchDocuments(trx, changed);
      else audit.nothingPublic();
    });
  }
  options.onProgress?.(report.rows, report.rows);
  return report;
}

/** One jurisdiction's rows; returns the jurisdiction's id when something changed. */
async function importPlace(trx: Trx, audit: AuditRecorder, place: PlaceGroup, known: Map<string, ExternalRef>, ours: Map<number, string>, report: ImportReport, fileName: string, tick: () => void): Promise<number | undefined> {
  let changed = false;
  const note = (o: { outcome: string }) => {
    if (o.outcome !== 'unchanged') changed = true;
  };
  const firstRow = [...place.plans.values()][0]!.rows[0]!;
  const origin = (line: number) => `${fileName}, row ${line}`;

  // The jurisdiction.
  // Found by its external id, else by slug and kind (one entered by hand is adopted, not duplicated).
  const claimed = (type: string, id: number) => [...known.values()].some((r) => r.entityType === type && r.entityId === id);
  const jRef = known.get(place.key);
  let jCurrent = jRef ? await trx.selectFrom('jurisdictions').select(['id', 'name']).where('id', '=', jRef.entityId).executeTakeFirst() : undefined;
  if (!jCurrent) {
    const same = await trx.selectFrom('jurisdictions').select(['id', 'name']).where('slug', '=', slugOf(place.name)).where('kind', '=', place.kind).executeTakeFirst();
    if (same && !claimed('jurisdiction', same.id)) jCurrent = same;
  }
  const jValues: Record<string, string | number | null> = {
    kind: place.kind,
    name: setLocaleText(jCurrent?.name ?? '{}', 'en', place.name),
  };
  if (!jCurrent) {
    jValues.slug = await uniqueSlug(async (s) => !!(await trx.selectFrom('jurisdictions').select('id').where('slug', '=', s).executeTakeFirst()), slugOf(place.name));
    jValues.country_code = /^[A-Z]{2}/.test(firstRow.code) ? firstRow.code.slice(0, 2) : 'ZZ';
    jValues.description = '{}';
    jValues.website = null;
    jValues.time_zone = 'UTC';
  }
  const j = await upsertRecord(trx, audit, report, 'jurisdiction', 'jurisdictions', 'jurisdiction', jCurrent?.id, jValues, { summary: { locale: 'en', source: 'ogp' } });
  note(j);
  await saveExternalId(trx, 'ogp', place.key, { entityType: 'jurisdiction', entityId: j.id, data: {} }, origin(firstRow.line), known);

  // Its institutions: found by their external id, else by slug (one made by hand), else created.
  const institutionIds = new Map<string, number>();
  const institution = async (name: string, kind: string, line: number): Promise<number> => {
    const key = `institution:${j.id}:${nameKey(name)}`;
    const cached = institutionIds.get(key);
    if (cached !== undefined) return cached;
    let id = known.get(key)?.entityId;
    if (id !== undefined && !(await trx.selectFrom('institutions').select('id').where('id', '=', id).executeTakeFirst())) id = undefined;
    if (id === undefined) {
      const slug = slugOf(name);
      const same = await trx.selectFrom('institutions').select(['id', 'name']).where('jurisdiction_id', '=', j.id).where('slug', '=', slug).executeTakeFirst();
      if (same) {
        id = same.id;
        report.unchanged.institution++;
      } else {
        const created = await upsertRecord(trx, audit, report, 'institution', 'institutions', 'institution', undefined, {
          jurisdiction_id: j.id,
          slug,
          kind,
          website: null,
          name: serializeTranslatable({ en: name }),
          description: '{}',
        }, { summary: { locale: 'en', source: 'ogp' } });
        note(created);
        id = created.id;
      }
    } else report.unchanged.institution++;
    await saveExternalId(trx, 'ogp', key, { entityType: 'institution', entityId: id, data: {} }, origin(line), known);
    institutionIds.set(key, id);
    return id;
  };

  for (const plan of place.plans.values()) {
    if (!plan.starts || !plan.ends) {
      for (const row of plan.rows) {
        report.skipped.push({ row: row.line, reason: 'no_dates' });
        tick();
      }
      continue;
    }
    const pRef = known.get(plan.key);
    let pCurrent = pRef ? await trx.selectFrom('action_plans').select(['id', 'title']).where('id', '=', pRef.entityId).executeTakeFirst() : undefined;
    if (!pCurrent) {
      // A plan of the jurisdiction entered by hand for the same years is adopted (its commitments then by their codes).
      const same = await trx.selectFrom('action_plans').select(['id', 'title']).where('jurisdiction_id', '=', j.id).where('slug', '=', `${plan.starts.slice(0, 4)}-${plan.ends.slice(0, 4)}`).executeTakeFirst();
      if (same && !claimed('action_plan', same.id)) pCurrent = same;
    }
    const years = `${plan.starts.slice(0, 4)}–${plan.ends.slice(0, 4)}`;
    const title = plan.number ? `${place.name}: action plan ${plan.number} (${years})` : `${place.name}: action plan ${years}`;
    const pValues: Record<string, string | number | null> = {
      title: setLocaleText(pCurrent?.title ?? '{}', 'en', title),
      starts_on: plan.starts,
      ends_on: plan.ends,
    };
    let derived: Record<string, unknown> | undefined;
    if (!pCurrent) {
      pValues.jurisdiction_id = j.id;
      pValues.slug = await uniqueSlug(
        async (s) => !!(await trx.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', j.id).where('slug', '=', s).executeTakeFirst()),
        `${plan.starts.slice(0, 4)}-${plan.ends.slice(0, 4)}`,
      );
      Object.assign(pValues, { submitted_on: null, withdrawn_on: null, assessed_on: null, foreword: '{}', cocreation_groups: null, cocreation_public_meetings: null, cocreation_summary: '{}' });
      derived = { lead_institution_ids: [], endorsements: [], vision_sections: [] };
    }
    const p = await upsertRecord(trx, audit, report, 'action_plan', 'action_plans', 'action_plan', pCurrent?.id, pValues, {
      ...(derived ? { derived } : {}),
      insertOnly: { status: 'derived', is_demo: 0 },
      summary: { locale: 'en', source: 'ogp' },
    });
    note(p);
    await saveExternalId(trx, 'ogp', plan.key, { entityType: 'action_plan', entityId: p.id, data: {} }, origin(plan.rows[0]!.line), known);

    // The plan's commitments as stored: codes taken, and who holds them.
    const stored = await trx.selectFrom('commitments').select(['id', 'code', 'position']).where('action_plan_id', '=', p.id).execute();
    const byCode = new Map(stored.map((c) => [c.code, c.id]));
    let position = stored.reduce((max, c) => Math.max(max, c.position), 0);

    for (const row of plan.rows) {
      await importCommitment(trx, audit, report, row, { planId: p.id, planStarts: plan.starts, planEnds: plan.ends, byCode, ours, nextPosition: () => ++position, institution, known, origin: origin(row.line), note });
      tick();
    }
  }
  return changed ? j.id : undefined;
}

interface CommitmentContext {
  planId: number;
  planStarts: string;
  planEnds: string;
  byCode: Map<string, number>;
  ours: Map<number, string>;
  nextPosition: () => number;
  institution: (name: string, kind: string, line: number) => Promise<number>;
  known: Map<string, ExternalRef>;
  origin: string;
  note: (o: { outcome: string }) => void;
}

async function importCommitment(trx: Trx, audit: AuditRecorder, report: ImportReport, row: OgpRow, c: CommitmentContext): Promise<void> {
  let id = c.known.get(row.key)?.entityId;
  let current = id !== undefined ? await trx.selectFrom('commitments').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!current) id = undefined;
  const holder = c.byCode.get(row.code);
  if (holder !== undefined && holder !== id) {
    const holderKey = c.ours.get(holder);
    if (holderKey && holderKey !== row.key) {
      report.skipped.push({ row: row.line, reason: 'duplicate_code', detail: row.code });
      return;
    }
    if (id === undefined) {
      // A commitment entered by hand with the same code in the same plan: this row is it.
      id = holder;
      current = await trx.selectFrom('commitments').selectAll().where('id', '=', holder).executeTakeFirst();
    } else {
      report.skipped.push({ row: row.line, reason: 'duplicate_code', detail: row.code });
      return;
    }
  }
  if (!row.start || !row.end) report.warnings.push({ row: row.line, reason: 'dates_from_plan' });

  const leads: number[] = [];
  for (const name of row.lead) leads.push(await c.institution(name, 'government', row.line));
  const supporting: number[] = [];
  for (const name of row.supporting) {
    const iid = await c.institution(name, 'other', row.line);
    if (!leads.includes(iid) && !supporting.includes(iid)) supporting.push(iid);
  }
  const roles = [...leads.map((i) => `lead:${i}`), ...supporting.map((i) => `supporting:${i}`)].sort();
  const rolesBefore = current
    ? (await trx.selectFrom('commitment_institutions').select(['institution_id', 'role']).where('commitment_id', '=', current.id).execute()).map((r) => `${r.role}:${r.institution_id}`).sort()
    : [];

  const values: Record<string, string | number | null> = {
    action_plan_id: c.planId,
    code: row.code,
    title: setLocaleText(current?.title ?? '{}', 'en', row.title),
    action: setLocaleText(current?.action ?? '{}', 'en', row.text),
    ogp_values: JSON.stringify(row.ogpValues),
    policy_areas: JSON.stringify(row.areas),
    starts_on: row.start ?? c.planStarts,
    ends_on: row.end ?? c.planEnds,
  };
  const insertOnly: Record<string, string | number | null> = current ? {} : { position: c.nextPosition(), problem: '{}', status_quo: '{}', contribution: '{}', long_term_goal: '{}' };
  const result = await upsertRecord(trx, audit, report, 'commitment', 'commitments', 'commitment', current?.id, values, {
    derived: { institutions: roles },
    derivedBefore: { institutions: rolesBefore },
    insertOnly,
    summary: { code: row.code, locale: 'en', source: 'ogp' },
  });
  c.note(result);
  if (result.outcome !== 'unchanged' && roles.join() !== rolesBefore.join()) {
    await trx.deleteFrom('commitment_institutions').where('commitment_id', '=', result.id).execute();
    const links = [...leads.map((i) => ({ commitment_id: result.id, institution_id: i, role: 'lead' })), ...supporting.map((i) => ({ commitment_id: result.id, institution_id: i, role: 'supporting' }))];
    if (links.length) await trx.insertInto('commitment_institutions').values(links).execute();
  }
  c.byCode.set(row.code, result.id);
  c.ours.set(result.id, row.key);
  await saveExternalId(trx, 'ogp', row.key, { entityType: 'commitment', entityId: result.id, data: {} }, c.origin, c.known);

  // The IRM assessment, kept as OGP's data gives it.
  const assessed = row.irm.some((r) => r.value !== null);
  const ratings = JSON.stringify(row.irm);
  const before = await trx.selectFrom('irm_assessments').select('ratings').where('commitment_id', '=', result.id).executeTakeFirst();
  if (!assessed && !before) return;
  if (before && before.ratings === ratings) {
    report.unchanged.irm_assessment++;
    return;
  }
  const now = new Date().toISOString();
  if (!assessed) await trx.deleteFrom('irm_assessments').where('commitment_id', '=', result.id).execute();
  else if (before) await trx.updateTable('irm_assessments').set({ ratings, source: 'ogp', updated_at: now }).where('commitment_id', '=', result.id).execute();
  else await trx.insertInto('irm_assessments').values({ commitment_id: result.id, source: 'ogp', ratings, updated_at: now }).execute();
  if (before) report.updated.irm_assessment++;
  else report.created.irm_assessment++;
  c.note({ outcome: 'updated' });
  await audit.publish('commitment.irm_assessment', 'commitment', result.id, {
    code: row.code,
    source: 'ogp',
    ...publicChanges(undefined, { irm_assessment: assessed ? Object.fromEntries(row.irm.map((r) => [r.name, r.value])) : null }),
  });
}

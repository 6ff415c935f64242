import type { Executor } from '../../db/database.js';
import { DEFAULT_LOCALE } from '../../i18n/locales.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { commitmentStatusOf, commitmentStatusOn, planStatusOf, progressOf } from '../commitments/domain.js';
import { rdb } from '../reporting/tables.js';
import { tdb } from '../transparency/tables.js';
import { pageOf, type Paged } from './cursor.js';

/**
 * The API's read models: every public entity as the API gives it, from the same tables the pages
 * read, with nothing private (no e-mail, no person, no draft, no coordinator's comment, no form token).
 * Lists go through `pageOf` (cursor over the id, or the log index).
 */

export interface ListFilters {
  after: number;
  limit: number;
  jurisdiction?: number | undefined;
  plan?: number | undefined;
  institution?: number | undefined;
  commitment?: number | undefined;
  status?: string | undefined;
  changedSince?: string | undefined;
  entityType?: string | undefined;
}

export interface Links {
  publicUrl: string;
  today: string;
}

const enc = encodeURIComponent;

function links(base: string, path: string) {
  return { url: `${base}/${DEFAULT_LOCALE}${path}`, path };
}

/** A translatable value as the API gives it: only languages (parseTranslatable keeps only those). */
function tr(json: string | null | undefined): Translatable {
  return parseTranslatable(json);
}

/** An instant as ISO-8601 (what is stored already; normalised for the schema's date-time). */
function iso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

// ---- Jurisdictions

const jurisdictionColumns = ['id', 'slug', 'name', 'kind', 'country_code', 'description', 'website', 'time_zone', 'updated_at'] as const;
type JurisdictionRow = { id: number; slug: string; name: string; kind: string; country_code: string; description: string; website: string | null; time_zone: string; updated_at: string };

function jurisdictionOf(r: JurisdictionRow, l: Links) {
  return {
    id: Number(r.id),
    slug: r.slug,
    name: tr(r.name),
    kind: r.kind,
    countryCode: r.country_code,
    description: tr(r.description),
    website: r.website,
    timeZone: r.time_zone,
    ...links(l.publicUrl, `/${enc(r.slug)}`),
    updatedAt: iso(r.updated_at),
  };
}

export async function listJurisdictions(db: Executor, f: ListFilters, l: Links) {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = db.selectFrom('jurisdictions').select(jurisdictionColumns).where('id', '>', after);
      if (f.changedSince) q = q.where('updated_at', '>=', f.changedSince);
      return q.orderBy('id').limit(count).execute();
    },
    positionOf: (r) => Number(r.id),
    build: async (rows) => rows.map((r) => jurisdictionOf(r, l)),
  });
}

export async function findJurisdiction(db: Executor, id: number, l: Links) {
  const row = await db.selectFrom('jurisdictions').select(jurisdictionColumns).where('id', '=', id).executeTakeFirst();
  return row ? jurisdictionOf(row, l) : undefined;
}

// ---- Institutions

function institutionQuery(db: Executor) {
  return db
    .selectFrom('institutions as i')
    .innerJoin('jurisdictions as j', 'j.id', 'i.jurisdiction_id')
    .select(['i.id', 'i.jurisdiction_id', 'i.slug', 'i.name', 'i.kind', 'i.description', 'i.website', 'i.updated_at', 'j.slug as jurisdiction_slug']);
}
type InstitutionRow = Awaited<ReturnType<ReturnType<typeof institutionQuery>['execute']>>[number];

function institutionOf(r: InstitutionRow, l: Links) {
  return {
    id: Number(r.id),
    jurisdictionId: Number(r.jurisdiction_id),
    slug: r.slug,
    name: tr(r.name),
    kind: r.kind,
    description: tr(r.description),
    website: r.website,
    ...links(l.publicUrl, `/${enc(r.jurisdiction_slug)}/institutions/${enc(r.slug)}`),
    updatedAt: iso(r.updated_at),
  };
}

export async function listInstitutions(db: Executor, f: ListFilters, l: Links) {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = institutionQuery(db).where('i.id', '>', after);
      if (f.jurisdiction) q = q.where('i.jurisdiction_id', '=', f.jurisdiction);
      if (f.changedSince) q = q.where('i.updated_at', '>=', f.changedSince);
      return q.orderBy('i.id').limit(count).execute();
    },
    positionOf: (r) => Number(r.id),
    build: async (rows) => rows.map((r) => institutionOf(r, l)),
  });
}

export async function findInstitution(db: Executor, id: number, l: Links) {
  const row = await institutionQuery(db).where('i.id', '=', id).executeTakeFirst();
  return row ? institutionOf(row, l) : undefined;
}

// ---- Plans

function planQuery(db: Executor) {
  return db
    .selectFrom('action_plans as p')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select([
      'p.id',
      'p.jurisdiction_id',
      'p.slug',
      'p.title',
      'p.starts_on',
      'p.ends_on',
      'p.submitted_on',
      'p.withdrawn_on',
      'p.assessed_on',
      'p.foreword',
      'p.is_demo',
      'p.updated_at',
      'j.slug as jurisdiction_slug',
    ]);
}
type PlanRow = Awaited<ReturnType<ReturnType<typeof planQuery>['execute']>>[number];

async function buildPlans(db: Executor, rows: PlanRow[], l: Links) {
  const ids = rows.map((r) => Number(r.id));
  const leads = ids.length
    ? await db.selectFrom('action_plan_lead_institutions').select(['action_plan_id', 'institution_id']).where('action_plan_id', 'in', ids).orderBy('action_plan_id').orderBy('position').execute()
    : [];
  return rows.map((r) => ({
    id: Number(r.id),
    jurisdictionId: Number(r.jurisdiction_id),
    slug: r.slug,
    title: tr(r.title),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    submittedOn: r.submitted_on,
    withdrawnOn: r.withdrawn_on,
    assessedOn: r.assessed_on,
    status: planStatusOf({ startsOn: r.starts_on, endsOn: r.ends_on, withdrawnOn: r.withdrawn_on, assessedOn: r.assessed_on }, l.today),
    foreword: tr(r.foreword),
    leadInstitutionIds: leads.filter((x) => Number(x.action_plan_id) === Number(r.id)).map((x) => Number(x.institution_id)),
    ...links(l.publicUrl, `/${enc(r.jurisdiction_slug)}/plans/${enc(r.slug)}`),
    isDemo: Number(r.is_demo) === 1,
    updatedAt: iso(r.updated_at),
  }));
}

export async function listPlans(db: Executor, f: ListFilters, l: Links) {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = planQuery(db).where('p.id', '>', after);
      if (f.jurisdiction) q = q.where('p.jurisdiction_id', '=', f.jurisdiction);
      if (f.institution) q = q.where('p.id', 'in', db.selectFrom('action_plan_lead_institutions').select('action_plan_id').where('institution_id', '=', f.institution));
      if (f.changedSince) q = q.where('p.updated_at', '>=', f.changedSince);
      return q.orderBy('p.id').limit(count).execute();
    },
    positionOf: (r) => Number(r.id),
    build: (rows) => buildPlans(db, rows, l),
    keep: f.status ? (p) => p.status === f.status : undefined,
  });
}

export async function findPlan(db: Executor, id: number, l: Links) {
  const rows = await planQuery(db).where('p.id', '=', id).execute();
  return (await buildPlans(db, rows, l))[0];
}

// ---- Commitments

function commitmentQuery(db: Executor) {
  return db
    .selectFrom('commitments as c')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select([
      'c.id',
      'c.action_plan_id',
      'c.code',
      'c.title',
      'c.problem',
      'c.status_quo',
      'c.action',
      'c.contribution',
      'c.long_term_goal',
      'c.ogp_values',
      'c.policy_areas',
      'c.starts_on',
      'c.ends_on',
      'c.updated_at',
      'p.slug as plan_slug',
      'p.is_demo as plan_is_demo',
      'p.jurisdiction_id',
      'j.slug as jurisdiction_slug',
    ]);
}
type CommitmentRow = Awaited<ReturnType<ReturnType<typeof commitmentQuery>['execute']>>[number];

async function buildCommitments(db: Executor, rows: CommitmentRow[], l: Links) {
  const ids = rows.map((r) => Number(r.id));
  const milestones = ids.length ? await db.selectFrom('milestones').select(['commitment_id', 'status', 'weight', 'is_demo']).where('commitment_id', 'in', ids).execute() : [];
  const institutions = ids.length
    ? await db.selectFrom('commitment_institutions').select(['commitment_id', 'institution_id', 'role']).where('commitment_id', 'in', ids).orderBy('commitment_id').orderBy('role').orderBy('institution_id').execute()
    : [];
  return rows.map((r) => {
    const mine = milestones.filter((m) => Number(m.commitment_id) === Number(r.id));
    const own = mine.map((m) => ({ status: m.status, weight: Number(m.weight) }));
    return {
      id: Number(r.id),
      planId: Number(r.action_plan_id),
      jurisdictionId: Number(r.jurisdiction_id),
      code: r.code,
      title: tr(r.title),
      problem: tr(r.problem),
      statusQuo: tr(r.status_quo),
      action: tr(r.action),
      contribution: tr(r.contribution),
      longTermGoal: tr(r.long_term_goal),
      ogpValues: parseList(r.ogp_values),
      policyAreas: parseList(r.policy_areas),
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      status: commitmentStatusOn(commitmentStatusOf(own), { startsOn: r.starts_on, endsOn: r.ends_on }, l.today) as string,
      progress: progressOf(own),
      institutions: institutions.filter((i) => Number(i.commitment_id) === Number(r.id)).map((i) => ({ id: Number(i.institution_id), role: i.role })),
      ...links(l.publicUrl, `/${enc(r.jurisdiction_slug)}/plans/${enc(r.plan_slug)}/commitments/${enc(r.code)}`),
      // Demonstration when its plan is or any of its milestones is (the demo seed adds milestones to real plans), as the feeds say.
      isDemo: Number(r.plan_is_demo) === 1 || mine.some((m) => Number(m.is_demo) === 1),
      updatedAt: iso(r.updated_at),
    };
  });
}

export async function listCommitments(db: Executor, f: ListFilters, l: Links) {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = commitmentQuery(db).where('c.id', '>', after);
      if (f.jurisdiction) q = q.where('p.jurisdiction_id', '=', f.jurisdiction);
      if (f.plan) q = q.where('c.action_plan_id', '=', f.plan);
      if (f.institution) q = q.where('c.id', 'in', db.selectFrom('commitment_institutions').select('commitment_id').where('institution_id', '=', f.institution));
      if (f.changedSince) q = q.where('c.updated_at', '>=', f.changedSince);
      return q.orderBy('c.id').limit(count).execute();
    },
    positionOf: (r) => Number(r.id),
    build: (rows) => buildCommitments(db, rows, l),
    keep: f.status ? (c) => c.status === f.status : undefined,
  });
}

export async function findCommitment(db: Executor, id: number, l: Links) {
  const rows = await commitmentQuery(db).where('c.id', '=', id).execute();
  return (await buildCommitments(db, rows, l))[0];
}

// ---- Milestones

function milestoneQuery(db: Executor) {
  return db
    .selectFrom('milestones as m')
    .innerJoin('commitments as c', 'c.id', 'm.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select([
      'm.id',
      'm.commitment_id',
      'm.code',
      'm.title',
      'm.expected_output',
      'm.indicator',
      'm.responsible_institution_id',
      'm.starts_on',
      'm.due_on',
      'm.status',
      'm.completed_on',
      'm.cancelled_on',
      'm.weight',
      'm.is_demo',
      'm.updated_at',
      'c.code as commitment_code',
      'c.action_plan_id',
      'p.slug as plan_slug',
      'p.is_demo as plan_is_demo',
      'p.jurisdiction_id',
      'j.slug as jurisdiction_slug',
    ]);
}
type MilestoneRow = Awaited<ReturnType<ReturnType<typeof milestoneQuery>['execute']>>[number];

function milestoneOf(r: MilestoneRow, l: Links) {
  return {
    id: Number(r.id),
    commitmentId: Number(r.commitment_id),
    planId: Number(r.action_plan_id),
    jurisdictionId: Number(r.jurisdiction_id),
    code: r.code,
    title: tr(r.title),
    expectedOutput: tr(r.expected_output),
    indicator: tr(r.indicator),
    responsibleInstitutionId: r.responsible_institution_id === null ? null : Number(r.responsible_institution_id),
    startsOn: r.starts_on,
    dueOn: r.due_on,
    status: r.status,
    completedOn: r.completed_on,
    cancelledOn: r.cancelled_on,
    weight: Number(r.weight),
    ...links(l.publicUrl, `/${enc(r.jurisdiction_slug)}/plans/${enc(r.plan_slug)}/commitments/${enc(r.commitment_code)}#${enc(r.code)}`),
    isDemo: Number(r.is_demo) === 1 || Number(r.plan_is_demo) === 1,
    updatedAt: iso(r.updated_at),
  };
}

export async function listMilestones(db: Executor, f: ListFilters, l: Links) {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = milestoneQuery(db).where('m.id', '>', after);
      if (f.jurisdiction) q = q.where('p.jurisdiction_id', '=', f.jurisdiction);
      if (f.plan) q = q.where('c.action_plan_id', '=', f.plan);
      if (f.commitment) q = q.where('m.commitment_id', '=', f.commitment);
      if (f.institution) q = q.where('m.responsible_institution_id', '=', f.institution);
      if (f.status) q = q.where('m.status', '=', f.status);
      if (f.changedSince) q = q.where('m.updated_at', '>=', f.changedSince);
      return q.orderBy('m.id').limit(count).execute();
    },
    positionOf: (r) => Number(r.id),
    build: async (rows) => rows.map((r) => milestoneOf(r, l)),
  });
}

export async function findMilestone(db: Executor, id: number, l: Links) {
  const row = await milestoneQuery(db).where('m.id', '=', id).executeTakeFirst();
  return row ? milestoneOf(row, l) : undefined;
}

// ---- Published progress updates (never a draft, a submitted or a returned one)

function updateQuery(db: Executor) {
  return rdb(db)
    .selectFrom('progress_updates as u')
    .innerJoin('reporting_cycles as rc', 'rc.id', 'u.cycle_id')
    .innerJoin('commitments as c', 'c.id', 'u.commitment_id')
    .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
    .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
    .select([
      'u.id',
      'u.commitment_id',
      'u.summary',
      'u.first_submitted_at',
      'u.published_at',
      'rc.number as cycle_number',
      'rc.label as cycle_label',
      'rc.period_start',
      'rc.period_end',
      'rc.due_on',
      'c.code as commitment_code',
      'c.action_plan_id',
      'p.slug as plan_slug',
      'p.is_demo as plan_is_demo',
      'p.jurisdiction_id',
      'j.slug as jurisdiction_slug',
    ])
    .where('u.status', '=', 'published');
}
type UpdateRow = Awaited<ReturnType<ReturnType<typeof updateQuery>['execute']>>[number];

async function buildUpdates(db: Executor, rows: UpdateRow[], l: Links) {
  const ids = rows.map((r) => Number(r.id));
  const items = ids.length
    ? await rdb(db)
        .selectFrom('progress_update_items as pi')
        .innerJoin('milestones as m', 'm.id', 'pi.milestone_id')
        .select(['pi.update_id', 'pi.milestone_id', 'pi.status', 'pi.completion', 'pi.narrative', 'pi.obstacles', 'pi.obstacle_note', 'pi.evidence_links', 'm.code', 'm.is_demo'])
        .where('pi.update_id', 'in', ids)
        .orderBy('m.position')
        .orderBy('m.id')
        .execute()
    : [];
  const files = ids.length
    ? await rdb(db).selectFrom('evidence_files').select(['id', 'update_id', 'milestone_id', 'filename', 'content_type', 'size', 'sha256']).where('update_id', 'in', ids).orderBy('id').execute()
    : [];
  return rows.map((r) => {
    const reported = items.filter((i) => Number(i.update_id) === Number(r.id));
    const commitmentPath = `/${enc(r.jurisdiction_slug)}/plans/${enc(r.plan_slug)}/commitments/${enc(r.commitment_code)}`;
    return {
      id: Number(r.id),
      commitmentId: Number(r.commitment_id),
      commitmentCode: r.commitment_code,
      planId: Number(r.action_plan_id),
      jurisdictionId: Number(r.jurisdiction_id),
      cycle: { number: Number(r.cycle_number), label: tr(r.cycle_label), periodStart: r.period_start, periodEnd: r.period_end, dueOn: r.due_on },
      summary: tr(r.summary),
      firstSubmittedAt: r.first_submitted_at ? iso(r.first_submitted_at) : null,
      publishedAt: iso(r.published_at ?? ''),
      items: reported.map((i) => ({
          milestoneId: Number(i.milestone_id),
          milestoneCode: i.code,
          status: i.status,
          completion: i.completion,
          narrative: tr(i.narrative),
          obstacles: parseList(i.obstacles),
          obstacleNote: tr(i.obstacle_note),
          links: parseList(i.evidence_links),
        })),
      files: files
        .filter((x) => Number(x.update_id) === Number(r.id))
        .map((x) => ({
          id: Number(x.id),
          milestoneId: x.milestone_id === null ? null : Number(x.milestone_id),
          filename: x.filename,
          contentType: x.content_type,
          size: Number(x.size),
          sha256: x.sha256,
          url: `${l.publicUrl}/evidence/${Number(x.id)}/${enc(x.filename)}`,
        })),
      ...links(l.publicUrl, `${commitmentPath}#update-${Number(r.id)}`),
      // Demonstration when its plan is or it reports on a demonstration milestone (the demo seed's updates), as the feeds say.
      isDemo: Number(r.plan_is_demo) === 1 || reported.some((i) => Number(i.is_demo) === 1),
    };
  });
}

export async function listUpdates(db: Executor, f: ListFilters, l: Links) {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = updateQuery(db).where('u.id', '>', after);
      if (f.jurisdiction) q = q.where('p.jurisdiction_id', '=', f.jurisdiction);
      if (f.plan) q = q.where('c.action_plan_id', '=', f.plan);
      if (f.commitment) q = q.where('u.commitment_id', '=', f.commitment);
      if (f.institution) q = q.where('u.commitment_id', 'in', db.selectFrom('commitment_institutions').select('commitment_id').where('institution_id', '=', f.institution));
      if (f.changedSince) q = q.where('u.published_at', '>=', f.changedSince);
      return q.orderBy('u.id').limit(count).execute();
    },
    positionOf: (r) => Number(r.id),
    build: (rows) => buildUpdates(db, rows, l),
  });
}

export async function findPublishedUpdate(db: Executor, id: number, l: Links) {
  const rows = await updateQuery(db).where('u.id', '=', id).execute();
  return (await buildUpdates(db, rows, l))[0];
}

// ---- Transparency log entries (what the log published; public by construction)

function logQuery(db: Executor) {
  return tdb(db).selectFrom('transparency_entries').select(['leaf_index', 'occurred_at', 'action', 'entity_type', 'entity_id', 'role', 'summary', 'leaf_hash']);
}
type LogRow = Awaited<ReturnType<ReturnType<typeof logQuery>['execute']>>[number];

function summaryOf(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function logEntryOf(r: LogRow) {
  return {
    index: Number(r.leaf_index),
    occurredAt: iso(r.occurred_at),
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id === null ? null : Number(r.entity_id),
    role: r.role,
    summary: summaryOf(r.summary),
    leafHash: r.leaf_hash,
  };
}

export async function listLogEntries(db: Executor, f: ListFilters): Promise<Paged<ReturnType<typeof logEntryOf>>> {
  return pageOf({
    after: f.after,
    limit: f.limit,
    fetch: (after, count) => {
      let q = logQuery(db).where('leaf_index', '>', after);
      if (f.entityType) q = q.where('entity_type', '=', f.entityType);
      if (f.changedSince) q = q.where('occurred_at', '>=', f.changedSince);
      return q.orderBy('leaf_index').limit(count).execute();
    },
    positionOf: (r) => Number(r.leaf_index),
    build: async (rows) => rows.map(logEntryOf),
  });
}

export async function findLogEntry(db: Executor, index: number) {
  const row = await logQuery(db).where('leaf_index', '=', index).executeTakeFirst();
  return row ? logEntryOf(row) : undefined;
}

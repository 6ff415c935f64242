import type { Db, Executor, Trx } from '../../db/database.js';
import { SlugTakenError, UNIQUE_KEYS, withSlugGuard } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { parseTranslatable, serializeTranslatable, setLocaleText, withLocaleText, type Translatable } from '../../lib/translatable.js';
import { canManageContent } from '../accounts/index.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { publicChanges } from '../transparency/index.js';
import type { ENDORSEMENT_SECTORS } from '../commitments/domain.js';
import { refreshSearchDocuments } from '../search/index.js';

/** Commands that change action plans (with their lead institutions, vision and endorsements), and admin reads. */

const RESERVED_SLUGS = new Set(['new']);

export type EndorsementSector = (typeof ENDORSEMENT_SECTORS)[number];

/** One vision section as edited in the content language; `id` is absent for a new one. */
export interface VisionSectionInput {
  id?: number | undefined;
  question: string;
  answer: string;
  /** Removes the section in every language. */
  remove?: boolean | undefined;
}

export interface EndorsementInput {
  organization: string;
  sector: EndorsementSector;
}

export interface ActionPlanInput {
  jurisdictionId: number;
  slug: string;
  startsOn: string;
  endsOn: string;
  submittedOn: string | null;
  /**
   * The events a plan's dates cannot tell: the day it was withdrawn, the day its end-of-term
   * assessment was published. Its status is derived from these and its dates (planStatusOf).
   */
  withdrawnOn: string | null;
  assessedOn: string | null;
  cocreationGroups: number | null;
  cocreationPublicMeetings: number | null;
  /** The content language the translatable fields below (and the vision sections) are written in. */
  contentLocale: Locale;
  title: string;
  foreword: string;
  cocreationSummary: string;
  /** Lead institutions in order; ids outside the plan's jurisdiction are ignored. */
  leadInstitutionIds: number[];
  /** Vision sections in their new order. Existing sections missing from the list are kept after these. */
  visionSections: VisionSectionInput[];
  /** Replaces the plan's endorsements. */
  endorsements: EndorsementInput[];
}

export interface ActionPlanUpdate extends Omit<ActionPlanInput, 'jurisdictionId'> {
  id: number;
}

/** True when the slug is free within the jurisdiction (forms check it to report every error at once). */
export async function isPlanSlugFree(db: Executor, jurisdictionId: number, slug: string, exceptId?: number): Promise<boolean> {
  if (RESERVED_SLUGS.has(slug)) return false;
  let query = db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return !(await query.executeTakeFirst());
}

async function writeLeadInstitutions(trx: Trx, planId: number, jurisdictionId: number, ids: number[]): Promise<number[]> {
  await trx.deleteFrom('action_plan_lead_institutions').where('action_plan_id', '=', planId).execute();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const valid = new Set(
    (await trx.selectFrom('institutions').select('id').where('jurisdiction_id', '=', jurisdictionId).where('id', 'in', unique).execute()).map((r) => r.id),
  );
  const kept = unique.filter((id) => valid.has(id));
  if (kept.length) {
    await trx
      .insertInto('action_plan_lead_institutions')
      .values(kept.map((institutionId, index) => ({ action_plan_id: planId, institution_id: institutionId, position: index + 1 })))
      .execute();
  }
  return kept;
}

async function writeEndorsements(trx: Trx, planId: number, endorsements: EndorsementInput[]): Promise<number> {
  await trx.deleteFrom('endorsements').where('action_plan_id', '=', planId).execute();
  const rows = endorsements
    .map((e) => ({ organization: e.organization.trim(), sector: e.sector }))
    .filter((e) => e.organization !== '')
    .map((e, index) => ({ action_plan_id: planId, position: index + 1, organization: e.organization, sector: e.sector }));
  if (rows.length) await trx.insertInto('endorsements').values(rows).execute();
  return rows.length;
}

/**
 * Applies the edited vision sections in one language: existing sections get that language's
 * text replaced, sections left with no text in any language (or marked for removal) are
 * deleted, new sections with text are added; positions follow the submitted order.
 */
async function writeVisionSections(trx: Trx, planId: number, locale: Locale, sections: VisionSectionInput[]): Promise<void> {
  const existing = await trx.selectFrom('vision_sections').selectAll().where('action_plan_id', '=', planId).orderBy('position').orderBy('id').execute();
  const byId = new Map(existing.map((s) => [s.id, s]));
  const seen = new Set<number>();
  type Planned = { id?: number; question: Translatable; answer: Translatable };
  const planned: Planned[] = [];
  const removed: number[] = [];
  for (const input of sections) {
    const current = input.id !== undefined ? byId.get(input.id) : undefined;
    if (input.id !== undefined) {
      if (!current || seen.has(current.id)) continue;
      seen.add(current.id);
      if (input.remove) {
        removed.push(current.id);
        continue;
      }
    }
    const question = withLocaleText(parseTranslatable(current?.question), locale, input.question);
    const answer = withLocaleText(parseTranslatable(current?.answer), locale, input.answer);
    const empty = Object.keys(question).length === 0 && Object.keys(answer).length === 0;
    if (empty) {
      if (current) removed.push(current.id);
      continue;
    }
    planned.push({ ...(current ? { id: current.id } : {}), question, answer });
  }
  for (const s of existing) {
    if (!seen.has(s.id)) planned.push({ id: s.id, question: parseTranslatable(s.question), answer: parseTranslatable(s.answer) });
  }
  if (removed.length) await trx.deleteFrom('vision_sections').where('id', 'in', removed).execute();
  for (const [index, section] of planned.entries()) {
    const values = { position: index + 1, question: serializeTranslatable(section.question), answer: serializeTranslatable(section.answer) };
    if (section.id !== undefined) await trx.updateTable('vision_sections').set(values).where('id', '=', section.id).execute();
    else await trx.insertInto('vision_sections').values({ action_plan_id: planId, ...values }).execute();
  }
}

/** A plan's lead institutions, endorsements and vision sections, as published in the transparency log. */
async function publishedParts(trx: Trx, planId: number) {
  const leads = await trx.selectFrom('action_plan_lead_institutions').select('institution_id').where('action_plan_id', '=', planId).orderBy('position').execute();
  const endorsements = await trx.selectFrom('endorsements').select(['organization', 'sector']).where('action_plan_id', '=', planId).orderBy('position').execute();
  const sections = await trx.selectFrom('vision_sections').select(['question', 'answer']).where('action_plan_id', '=', planId).orderBy('position').orderBy('id').execute();
  return {
    lead_institution_ids: leads.map((l) => l.institution_id),
    endorsements: endorsements.map((e) => ({ organization: e.organization, sector: e.sector })),
    vision_sections: sections.map((s) => ({ question: parseTranslatable(s.question), answer: parseTranslatable(s.answer) })),
  };
}

/** Creates an action plan in a jurisdiction; returns its id. Throws SlugTakenError when the slug is in use there. */
export async function createActionPlan(db: Db, actor: Actor, input: ActionPlanInput): Promise<number> {
  return withSlugGuard(UNIQUE_KEYS.planSlug, () => runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageContent(user, input.jurisdictionId));
    if (!(await isPlanSlugFree(trx, input.jurisdictionId, input.slug))) throw new SlugTakenError('slug');
    const now = new Date().toISOString();
    const values = {
      jurisdiction_id: input.jurisdictionId,
      slug: input.slug,
      title: serializeTranslatable(withLocaleText({}, input.contentLocale, input.title)),
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      submitted_on: input.submittedOn,
      withdrawn_on: input.withdrawnOn,
      assessed_on: input.assessedOn,
      foreword: serializeTranslatable(withLocaleText({}, input.contentLocale, input.foreword)),
      cocreation_groups: input.cocreationGroups,
      cocreation_public_meetings: input.cocreationPublicMeetings,
      cocreation_summary: serializeTranslatable(withLocaleText({}, input.contentLocale, input.cocreationSummary)),
    };
    const row = await trx
      .insertInto('action_plans')
      // `status` is no longer read (a plan's status is derived); the column still needs a value.
      .values({ ...values, status: 'derived', is_demo: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leads = await writeLeadInstitutions(trx, row.id, input.jurisdictionId, input.leadInstitutionIds);
    await writeVisionSections(trx, row.id, input.contentLocale, input.visionSections);
    const endorsements = await writeEndorsements(trx, row.id, input.endorsements);
    await audit.publish('action_plan.created', 'action_plan', row.id, {
      locale: input.contentLocale,
      leadInstitutionIds: leads,
      endorsementCount: endorsements,
      ...publicChanges(undefined, { ...values, ...(await publishedParts(trx, row.id)) }),
    });
    await refreshSearchDocuments(trx, input.jurisdictionId);
    return row.id;
  }));
}

/** Changes an action plan; only the content locale's text of translatable fields changes. */
export async function updateActionPlan(db: Db, actor: Actor, input: ActionPlanUpdate): Promise<void> {
  await withSlugGuard(UNIQUE_KEYS.planSlug, () => runCommand(db, actor, async (trx, audit) => {
    const current = await trx.selectFrom('action_plans').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!current) throw new Error(`No action plan ${input.id}`);
    authorize(actor, (user) => canManageContent(user, current.jurisdiction_id));
    if (!(await isPlanSlugFree(trx, current.jurisdiction_id, input.slug, input.id))) throw new SlugTakenError('slug');
    const before = { ...current, ...(await publishedParts(trx, input.id)) };
    const next = {
      slug: input.slug,
      title: setLocaleText(current.title, input.contentLocale, input.title),
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      submitted_on: input.submittedOn,
      withdrawn_on: input.withdrawnOn,
      assessed_on: input.assessedOn,
      foreword: setLocaleText(current.foreword, input.contentLocale, input.foreword),
      cocreation_groups: input.cocreationGroups,
      cocreation_public_meetings: input.cocreationPublicMeetings,
      cocreation_summary: setLocaleText(current.cocreation_summary, input.contentLocale, input.cocreationSummary),
    };
    await trx
      .updateTable('action_plans')
      .set({ ...next, updated_at: new Date().toISOString() })
      .where('id', '=', input.id)
      .execute();
    const leads = await writeLeadInstitutions(trx, input.id, current.jurisdiction_id, input.leadInstitutionIds);
    await writeVisionSections(trx, input.id, input.contentLocale, input.visionSections);
    const endorsements = await writeEndorsements(trx, input.id, input.endorsements);
    await audit.publish('action_plan.updated', 'action_plan', input.id, {
      jurisdictionId: current.jurisdiction_id,
      ...(current.slug !== input.slug ? { previousSlug: current.slug } : {}),
      locale: input.contentLocale,
      leadInstitutionIds: leads,
      endorsementCount: endorsements,
      ...publicChanges(before, { ...next, ...(await publishedParts(trx, input.id)) }),
    });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  }));
}

/* ---------- Reads for the admin pages ---------- */

export interface ActionPlanRow {
  id: number;
  jurisdictionId: number;
  slug: string;
  title: Translatable;
  startsOn: string;
  endsOn: string;
  submittedOn: string | null;
  withdrawnOn: string | null;
  assessedOn: string | null;
  foreword: Translatable;
  cocreationGroups: number | null;
  cocreationPublicMeetings: number | null;
  cocreationSummary: Translatable;
  isDemo: boolean;
}

export interface VisionSectionRow {
  id: number;
  position: number;
  question: Translatable;
  answer: Translatable;
}

export interface EndorsementRow {
  organization: string;
  sector: string;
}

export interface ActionPlanDetails extends ActionPlanRow {
  leadInstitutionIds: number[];
  visionSections: VisionSectionRow[];
  endorsements: EndorsementRow[];
}

export async function findActionPlanBySlug(db: Executor, jurisdictionId: number, slug: string): Promise<ActionPlanDetails | undefined> {
  const row = await db.selectFrom('action_plans').selectAll().where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug).executeTakeFirst();
  if (!row) return undefined;
  const [leads, vision, endorsements] = await Promise.all([
    db.selectFrom('action_plan_lead_institutions').select('institution_id').where('action_plan_id', '=', row.id).orderBy('position').execute(),
    db.selectFrom('vision_sections').selectAll().where('action_plan_id', '=', row.id).orderBy('position').orderBy('id').execute(),
    db.selectFrom('endorsements').select(['organization', 'sector']).where('action_plan_id', '=', row.id).orderBy('position').orderBy('id').execute(),
  ]);
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    slug: row.slug,
    title: parseTranslatable(row.title),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    submittedOn: row.submitted_on,
    withdrawnOn: row.withdrawn_on,
    assessedOn: row.assessed_on,
    foreword: parseTranslatable(row.foreword),
    cocreationGroups: row.cocreation_groups,
    cocreationPublicMeetings: row.cocreation_public_meetings,
    cocreationSummary: parseTranslatable(row.cocreation_summary),
    isDemo: row.is_demo === 1,
    leadInstitutionIds: leads.map((l) => l.institution_id),
    visionSections: vision.map((v) => ({ id: v.id, position: v.position, question: parseTranslatable(v.question), answer: parseTranslatable(v.answer) })),
    endorsements,
  };
}

export interface PlanCommitmentRow {
  code: string;
  title: Translatable;
  startsOn: string;
  endsOn: string;
}

/** The plan's commitments in order, for the admin plan page. */
export async function listPlanCommitments(db: Executor, planId: number): Promise<PlanCommitmentRow[]> {
  const rows = await db
    .selectFrom('commitments')
    .select(['code', 'title', 'starts_on', 'ends_on'])
    .where('action_plan_id', '=', planId)
    .orderBy('position')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, title: parseTranslatable(r.title), startsOn: r.starts_on, endsOn: r.ends_on }));
}

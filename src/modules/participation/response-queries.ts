import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { consultationStatus, type ConsultationStatus, type ConsultationView } from './consultation-queries.js';
import { pdb } from './tables.js';

/**
 * Read models of the reasoned responses: each answerable contribution of a consultation (published, or hidden after it was published)
 * with its response, the commitment or milestone it shaped, and the choices of commitments and
 * milestones a response may link to. Never the contributor's address.
 */

export const OUTCOMES = ['accepted', 'partly_accepted', 'not_accepted', 'out_of_scope'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

/**
 * The contributions that get a response: what the public sees (`published`) or saw before a
 * moderator hid it (`hidden` with a `published_at`). A contribution hidden without ever being
 * published (refused in pre-moderation) is not answerable: it is in no table, CSV, share or count.
 * `alias` is the contributions table's name or alias in the query.
 */
export function answerable(alias: string) {
  const status = sql.ref(`${alias}.status`);
  return sql<SqlBool>`(${status} = ${'published'} or (${status} = ${'hidden'} and ${sql.ref(`${alias}.published_at`)} is not null))`;
}

/**
 * A row as the public sees it: a hidden contribution keeps its number, kind and response, but not
 * its text, its author's name or its theme.
 */
export function publicResponseRow(row: ResponseRow): ResponseRow {
  if (row.status !== 'hidden') return row;
  return { ...row, authorName: null, body: '', theme: null, ogpValue: null, hiddenReason: null };
}

export interface ShapedLink {
  /** The commitment page's path without the locale, e.g. `/gjakova/plans/2024-2025/commitments/XKGJA0001` (+ `#XKGJA0001.2` for a milestone). */
  path: string;
  code: string;
  title: Translatable;
}

export interface ResponseRow {
  contributionId: number;
  parentId: number | null;
  depth: number;
  kind: string;
  /** Null once anonymised. */
  authorName: string | null;
  body: string;
  theme: string | null;
  ogpValue: string | null;
  status: 'published' | 'hidden';
  hiddenReason: string | null;
  locale: string;
  createdAt: string;
  publishedAt: string | null;
  isDemo: boolean;
  response: {
    outcome: Outcome;
    reasons: Translatable;
    commitmentId: number | null;
    milestoneId: number | null;
    shaped: ShapedLink | null;
    updatedAt: string;
  } | null;
}

function rowsQuery(db: Executor, consultationId: number) {
  return pdb(db)
    .selectFrom('contributions as c')
    .innerJoin('consultations as k', 'k.id', 'c.consultation_id')
    .innerJoin('jurisdictions as j', 'j.id', 'k.jurisdiction_id')
    .leftJoin('contribution_responses as r', 'r.contribution_id', 'c.id')
    .leftJoin('milestones as m', 'm.id', 'r.milestone_id')
    .leftJoin('commitments as cm', (join) => join.on((eb) => eb('cm.id', '=', eb.fn.coalesce('r.commitment_id', 'm.commitment_id'))))
    .leftJoin('action_plans as p', 'p.id', 'cm.action_plan_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.depth',
      'c.kind',
      'c.author_name',
      'c.body',
      'c.theme',
      'c.ogp_value',
      'c.status',
      'c.hidden_reason',
      'c.locale',
      'c.created_at',
      'c.published_at',
      'c.is_demo',
      'r.outcome',
      'r.reasons',
      'r.commitment_id',
      'r.milestone_id',
      'r.updated_at as response_updated_at',
      'm.code as milestone_code',
      'm.title as milestone_title',
      'cm.code as commitment_code',
      'cm.title as commitment_title',
      'p.slug as plan_slug',
      'j.slug as jurisdiction_slug',
    ])
    .where('c.consultation_id', '=', consultationId)
    .where(answerable('c'));
}

type Row = Awaited<ReturnType<ReturnType<typeof rowsQuery>['execute']>>[number];

function toRow(r: Row): ResponseRow {
  let shaped: ShapedLink | null = null;
  if (r.commitment_code && r.plan_slug) {
    const path = `/${r.jurisdiction_slug}/plans/${encodeURIComponent(r.plan_slug)}/commitments/${encodeURIComponent(r.commitment_code)}`;
    shaped = r.milestone_code
      ? { path: `${path}#${encodeURIComponent(r.milestone_code)}`, code: r.milestone_code, title: parseTranslatable(r.milestone_title) }
      : { path, code: r.commitment_code, title: parseTranslatable(r.commitment_title) };
  }
  return {
    contributionId: r.id,
    parentId: r.parent_id,
    depth: r.depth,
    kind: r.kind,
    authorName: r.author_name,
    body: r.body,
    theme: r.theme,
    ogpValue: r.ogp_value,
    status: r.status === 'hidden' ? 'hidden' : 'published',
    hiddenReason: r.hidden_reason,
    locale: r.locale,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    isDemo: r.is_demo === 1,
    response:
      r.outcome && isOutcome(r.outcome)
        ? { outcome: r.outcome, reasons: parseTranslatable(r.reasons), commitmentId: r.commitment_id, milestoneId: r.milestone_id, shaped, updatedAt: r.response_updated_at ?? '' }
        : null,
  };
}

/** Every answerable contribution of the consultation with its response (or none yet), oldest first; for the public, map through publicResponseRow. */
export async function listResponseRows(db: Executor, consultationId: number): Promise<ResponseRow[]> {
  const rows = await rowsQuery(db, consultationId).orderBy('c.created_at').orderBy('c.id').execute();
  return rows.map(toRow);
}

export async function findResponseRow(db: Executor, consultationId: number, contributionId: number): Promise<ResponseRow | undefined> {
  const row = await rowsQuery(db, consultationId).where('c.id', '=', contributionId).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** How many of the consultation's answerable contributions have a response. */
export async function countAnswered(db: Executor, consultationId: number): Promise<{ answered: number; total: number }> {
  const row = await pdb(db)
    .selectFrom('contributions as c')
    .leftJoin('contribution_responses as r', 'r.contribution_id', 'c.id')
    .select((eb) => [eb.fn.countAll<number | string>().as('total'), eb.fn.count<number | string>('r.contribution_id').as('answered')])
    .where('c.consultation_id', '=', consultationId)
    .where(answerable('c'))
    .executeTakeFirst();
  return { answered: Number(row?.answered ?? 0), total: Number(row?.total ?? 0) };
}

/** How many of the consultation's contributions wait for a moderator (held for pre-moderation, or after flags). */
export async function countPending(db: Executor, consultationId: number): Promise<number> {
  const row = await pdb(db)
    .selectFrom('contributions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Why the response table cannot be published yet, in the order a coordinator meets them: the
 * consultation is a draft; it is not closed (announced or still open on `today`, a day in the
 * jurisdiction's calendar: contributions may still come); contributions wait for a moderator (each
 * may yet be published and then needs an answer); contributions have no outcome yet.
 */
export type PublishBlock =
  | { reason: 'draft' }
  | { reason: 'notClosed'; status: ConsultationStatus; closesOn: string; opensOn: string }
  | { reason: 'pending'; pending: number }
  | { reason: 'incomplete'; answered: number; total: number };

/** What stops the table from being published today, or undefined when it may be (or already is) published. */
export async function publishBlock(db: Executor, consultation: ConsultationView, today: string): Promise<PublishBlock | undefined> {
  if (!consultation.publishedAt) return { reason: 'draft' };
  if (consultation.respondedAt) return undefined;
  const status = consultationStatus(consultation, today);
  if (status !== 'closed') return { reason: 'notClosed', status, closesOn: consultation.closesOn, opensOn: consultation.opensOn };
  const pending = await countPending(db, consultation.id);
  if (pending > 0) return { reason: 'pending', pending };
  const counts = await countAnswered(db, consultation.id);
  if (counts.answered < counts.total) return { reason: 'incomplete', ...counts };
  return undefined;
}

export interface ShapeChoice {
  /** `c:{id}` for a commitment, `m:{id}` for a milestone. */
  value: string;
  code: string;
  title: Translatable;
}

/**
 * The commitments and milestones a response may name: the consultation's plan's (or, for a
 * consultation on no plan, every plan's of the jurisdiction), in the plan's order.
 */
export async function listShapeChoices(db: Executor, consultation: { jurisdictionId: number; planId: number | null }): Promise<ShapeChoice[]> {
  let commitments = pdb(db)
    .selectFrom('commitments as cm')
    .innerJoin('action_plans as p', 'p.id', 'cm.action_plan_id')
    .select(['cm.id', 'cm.code', 'cm.title'])
    .where('p.jurisdiction_id', '=', consultation.jurisdictionId);
  if (consultation.planId !== null) commitments = commitments.where('p.id', '=', consultation.planId);
  const list = await commitments.orderBy('p.starts_on', 'desc').orderBy('cm.position').orderBy('cm.code').execute();
  if (!list.length) return [];
  const milestones = await pdb(db)
    .selectFrom('milestones')
    .select(['id', 'commitment_id', 'code', 'title'])
    .where(
      'commitment_id',
      'in',
      list.map((c) => c.id),
    )
    .orderBy('position')
    .orderBy('code')
    .execute();
  const out: ShapeChoice[] = [];
  for (const c of list) {
    out.push({ value: `c:${c.id}`, code: c.code, title: parseTranslatable(c.title) });
    for (const m of milestones.filter((x) => x.commitment_id === c.id)) out.push({ value: `m:${m.id}`, code: m.code, title: parseTranslatable(m.title) });
  }
  return out;
}

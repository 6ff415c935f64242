import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { pdb } from './tables.js';

/** A consultation as every part of the module sees it (the consultation files own this shape). */
export interface ConsultationView {
  id: number;
  jurisdictionId: number;
  jurisdictionSlug: string;
  timeZone: string;
  slug: string;
  subject: 'plan' | 'commitment' | 'topic';
  planId: number | null;
  commitmentId: number | null;
  title: Translatable;
  summary: Translatable;
  body: Translatable;
  /** Days in the jurisdiction's calendar, both included. */
  opensOn: string;
  closesOn: string;
  moderation: 'pre' | 'post';
  flagThreshold: number;
  allowsProposals: boolean;
  groupsConsulted: number | null;
  publicMeetings: number | null;
  outcome: Translatable;
  publishedAt: string | null;
  respondedAt: string | null;
  isDemo: boolean;
}

export type ConsultationStatus = 'draft' | 'announced' | 'open' | 'closed' | 'responded';

/** The status on `today` (a day in the jurisdiction's calendar, e.g. `todayIn(timeZone, …)`). */
export function consultationStatus(c: Pick<ConsultationView, 'publishedAt' | 'respondedAt' | 'opensOn' | 'closesOn'>, today: string): ConsultationStatus {
  if (!c.publishedAt) return 'draft';
  if (c.respondedAt) return 'responded';
  if (today < c.opensOn) return 'announced';
  if (today <= c.closesOn) return 'open';
  return 'closed';
}

export function consultationsPath(locale: string, jurisdiction: string): string {
  return `/${locale}/${encodeURIComponent(jurisdiction)}/consultations`;
}

export function consultationPath(locale: string, jurisdiction: string, slug: string): string {
  return `${consultationsPath(locale, jurisdiction)}/${encodeURIComponent(slug)}`;
}

function selectConsultations(db: Executor) {
  return pdb(db)
    .selectFrom('consultations as c')
    .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
    .selectAll('c')
    .select(['j.slug as jurisdiction_slug', 'j.time_zone as time_zone']);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectConsultations>['executeTakeFirstOrThrow']>>;

export function consultationView(r: Row): ConsultationView {
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionSlug: r.jurisdiction_slug,
    timeZone: r.time_zone,
    slug: r.slug,
    subject: r.subject as ConsultationView['subject'],
    planId: r.plan_id,
    commitmentId: r.commitment_id,
    title: parseTranslatable(r.title),
    summary: parseTranslatable(r.summary),
    body: parseTranslatable(r.body),
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    moderation: r.moderation === 'pre' ? 'pre' : 'post',
    flagThreshold: r.flag_threshold,
    allowsProposals: r.allows_proposals === 1,
    groupsConsulted: r.groups_consulted,
    publicMeetings: r.public_meetings,
    outcome: parseTranslatable(r.outcome),
    publishedAt: r.published_at,
    respondedAt: r.responded_at,
    isDemo: r.is_demo === 1,
  };
}

/** A consultation by its jurisdiction's slug and its own, drafts included (callers decide who may see a draft). */
export async function findConsultation(db: Executor, jurisdictionSlug: string, slug: string): Promise<ConsultationView | undefined> {
  const row = await selectConsultations(db).where('j.slug', '=', jurisdictionSlug).where('c.slug', '=', slug).executeTakeFirst();
  return row ? consultationView(row) : undefined;
}

export async function findConsultationById(db: Executor, id: number): Promise<ConsultationView | undefined> {
  const row = await selectConsultations(db).where('c.id', '=', id).executeTakeFirst();
  return row ? consultationView(row) : undefined;
}

import type { Executor } from '../../db/database.js';
import { sql, type SqlBool } from 'kysely';
import { dayIn } from '../../i18n/index.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { StandardsSnapshot } from './checklist.js';
import { sdb } from './tables.js';

/**
 * A contribution that gets a response (as the participation module counts them): published, or
 * hidden after it was published; one hidden without ever being published (refused before
 * publication) is not. The contributions table is `c` in the queries below.
 */
const answerable = sql<SqlBool>`(c.status = ${'published'} or (c.status = ${'hidden'} and c.published_at is not null))`;

/** The plan the checklist is about, as the pages show it. */
export interface StandardsPlan {
  id: number;
  slug: string;
  title: Translatable;
  jurisdiction: { id: number; slug: string; name: Translatable; timeZone: string };
  startsOn: string;
  endsOn: string;
  submittedOn: string | null;
  inceptionAssessedOn: string | null;
  isDemo: boolean;
}

/** The entity types whose published changes are changes to a plan's public pages (the `updates` item). */
export const PUBLISHED_PLAN_ENTITIES = ['action_plan', 'commitment', 'milestone', 'progress_update'] as const;

export async function findStandardsPlan(db: Executor, jurisdictionSlug: string, planSlug: string): Promise<StandardsPlan | undefined> {
  const row = await sdb(db)
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select([
      'action_plans.id',
      'action_plans.slug',
      'action_plans.title',
      'action_plans.starts_on',
      'action_plans.ends_on',
      'action_plans.submitted_on',
      'action_plans.inception_assessed_on',
      'action_plans.is_demo',
      'jurisdictions.id as jurisdiction_id', 'jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name', 'jurisdictions.time_zone'])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .where('action_plans.slug', '=', planSlug)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    title: parseTranslatable(row.title),
    jurisdiction: { id: row.jurisdiction_id, slug: row.jurisdiction_slug, name: parseTranslatable(row.jurisdiction_name), timeZone: row.time_zone },
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    submittedOn: row.submitted_on,
    inceptionAssessedOn: row.inception_assessed_on,
    isDemo: row.is_demo === 1,
  };
}

/** The minute of a log entry (UTC, `YYYY-MM-DDTHH:MM`): zone offsets are whole minutes, so its day in any zone is exact. */
const MINUTE = sql<string>`substr(occurred_at, 1, 16)`.as('minute');

function hasText(json: string): boolean {
  return Object.values(parseTranslatable(json)).some((v) => typeof v === 'string' && v.trim() !== '');
}

/**
 * Everything the checklist of one plan reads, in one snapshot: the jurisdiction's forums with their
 * current membership and rules, the held meetings of the forums and the held monitoring reviews,
 * the plan's published monitoring reports, the days its public pages changed (published entries of
 * the transparency log about the plan, its commitments, milestones and progress updates), its
 * endorsements, its commitments' end dates and assessments, and its consultations' contributions and responses. Instants become days in the
 * jurisdiction's time zone. Read-only; the tables of bodies, meetings and reviews are read directly.
 */
export async function loadStandardsSnapshot(db: Executor, plan: StandardsPlan, today: string): Promise<StandardsSnapshot> {
  const s = sdb(db);
  const zone = plan.jurisdiction.timeZone;
  const dayOf = (iso: string) => (zone === 'UTC' ? iso.slice(0, 10) : dayIn(iso, zone));
  const jurisdictionId = plan.jurisdiction.id;

  const [forums, forumMeetings, endorsements, commitments, monitoringMeetings, monitoringReports, publications, consultations] = await Promise.all([
    s
      .selectFrom('bodies')
      .select(['id', 'slug', 'name', 'rules', 'meets_every_days', 'is_demo'])
      // Current members: their term covers today.
      .select((eb) =>
        eb
          .selectFrom('body_members')
          .select(eb.fn.countAll<number | string>().as('n'))
          .whereRef('body_members.body_id', '=', 'bodies.id')
          .where((m) => m.or([m('term_end', 'is', null), m('term_end', '>=', today)]))
          .where((m) => m.or([m('term_start', 'is', null), m('term_start', '<=', today)]))
          .as('member_count'),
      )
      .where('jurisdiction_id', '=', jurisdictionId)
      .where('kind', '=', 'forum')
      .orderBy('position')
      .orderBy('id')
      .execute(),
    s
      .selectFrom('meetings')
      .innerJoin('bodies', 'bodies.id', 'meetings.body_id')
      .select(['meetings.id', 'meetings.starts_at', 'meetings.is_demo'])
      .where('bodies.jurisdiction_id', '=', jurisdictionId)
      .where('bodies.kind', '=', 'forum')
      .where('meetings.status', '=', 'held')
      .orderBy('meetings.starts_at')
      .execute(),
    db.selectFrom('endorsements').select(['organization', 'sector']).where('action_plan_id', '=', plan.id).orderBy('position').execute(),
    s.selectFrom('commitments').select(['code', 'title', 'ends_on', 'end_assessed_on']).where('action_plan_id', '=', plan.id).orderBy('position').orderBy('code').execute(),
    s
      .selectFrom('meetings')
      .select(['id', 'starts_at', 'is_demo'])
      .where('jurisdiction_id', '=', jurisdictionId)
      .where('kind', '=', 'monitoring_review')
      .where('status', '=', 'held')
      .orderBy('starts_at')
      .execute(),
    s
      .selectFrom('monitoring_reports')
      .innerJoin('reporting_cycles', 'reporting_cycles.id', 'monitoring_reports.cycle_id')
      .select(['reporting_cycles.number', 'monitoring_reports.published_at', 'monitoring_reports.is_demo'])
      .where('reporting_cycles.action_plan_id', '=', plan.id)
      .where('monitoring_reports.status', '=', 'published')
      .where('monitoring_reports.published_at', 'is not', null)
      .orderBy('monitoring_reports.published_at')
      .execute(),
    // One indexed look-up per entity type (transparency_entries_entity), never a scan of the log;
    // only the distinct minutes come back (a bulk import publishes thousands of entries in one).
    s
      .selectFrom('transparency_entries')
      .select(MINUTE)
      .distinct()
      .where('entity_type', '=', 'action_plan')
      .where('entity_id', '=', plan.id)
      .union((eb) => eb.selectFrom('transparency_entries').select(MINUTE).where('entity_type', '=', 'commitment').where('entity_id', 'in', eb.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id)))
      .union((eb) =>
        eb
          .selectFrom('transparency_entries')
          .select(MINUTE)
          .where('entity_type', '=', 'milestone')
          .where('entity_id', 'in', eb.selectFrom('milestones').innerJoin('commitments', 'commitments.id', 'milestones.commitment_id').select('milestones.id').where('commitments.action_plan_id', '=', plan.id)),
      )
      .union((eb) =>
        eb
          .selectFrom('transparency_entries')
          .select(MINUTE)
          .where('entity_type', '=', 'progress_update')
          .where('entity_id', 'in', eb.selectFrom('progress_updates').innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id').select('progress_updates.id').where('reporting_cycles.action_plan_id', '=', plan.id)),
      )
      .execute(),
    // The plan's published consultations (on the plan or one of its commitments), with their answerable contributions and responses counted.
    s
      .selectFrom('consultations as k')
      .select((eb) => [
        'k.id',
        'k.slug',
        'k.title',
        'k.closes_on',
        'k.responded_at',
        'k.is_demo',
        eb.selectFrom('contributions as c').select(eb.fn.countAll<number | string>().as('n')).whereRef('c.consultation_id', '=', 'k.id').where(answerable).as('total'),
        eb
          .selectFrom('contributions as c')
          .innerJoin('contribution_responses as r', 'r.contribution_id', 'c.id')
          .select(eb.fn.countAll<number | string>().as('n'))
          .whereRef('c.consultation_id', '=', 'k.id')
          .where(answerable)
          .as('answered'),
      ])
      .where('k.jurisdiction_id', '=', jurisdictionId)
      .where('k.published_at', 'is not', null)
      .where((eb) => eb.or([eb('k.plan_id', '=', plan.id), eb('k.commitment_id', 'in', eb.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id))]))
      .orderBy('k.closes_on')
      .orderBy('k.id')
      .execute(),
  ]);

  return {
    jurisdiction: { slug: plan.jurisdiction.slug },
    plan: { id: plan.id, slug: plan.slug, startsOn: plan.startsOn, endsOn: plan.endsOn, submittedOn: plan.submittedOn, inceptionAssessedOn: plan.inceptionAssessedOn, isDemo: plan.isDemo },
    forums: forums.map((f) => ({
      id: f.id,
      slug: f.slug,
      name: parseTranslatable(f.name),
      hasRules: hasText(f.rules),
      memberCount: Number(f.member_count ?? 0),
      meetsEveryDays: f.meets_every_days,
      isDemo: f.is_demo === 1,
    })),
    forumMeetings: forumMeetings.map((m) => ({ id: m.id, day: dayOf(m.starts_at), isDemo: m.is_demo === 1 })),
    monitoringMeetings: monitoringMeetings.map((m) => ({ id: m.id, day: dayOf(m.starts_at), isDemo: m.is_demo === 1 })),
    monitoringReports: monitoringReports.map((r) => ({ cycleNumber: r.number, day: dayOf(r.published_at!), isDemo: r.is_demo === 1 })),
    publicationDays: [...new Set([...publications.map((p) => dayOf(`${p.minute}:00.000Z`)), ...monitoringReports.map((r) => dayOf(r.published_at!))])].sort(),
    endorsements,
    commitments: commitments.map((c) => ({ code: c.code, title: parseTranslatable(c.title), endsOn: c.ends_on, endAssessedOn: c.end_assessed_on, isDemo: plan.isDemo })),
    consultations: consultations.map((c) => ({
      slug: c.slug,
      title: parseTranslatable(c.title),
      closed: !!c.responded_at || c.closes_on < today,
      responded: !!c.responded_at,
      total: Number(c.total ?? 0),
      answered: Number(c.answered ?? 0),
      isDemo: c.is_demo === 1,
    })),
  };
}

import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dayIn } from '../../i18n/index.js';
import { parseList, parseTranslatable, parseTranslatableShared } from '../../lib/translatable.js';
import { commitmentStatusOf, progressOf } from '../commitments/domain.js';
import type { CommitmentDetail, InstitutionLink, MilestoneView } from '../commitments/queries.js';
import { evidenceUrl, type EvidenceFileView, type PublishedItem, type PublishedUpdate } from '../reporting/queries.js';
import { rdb } from '../reporting/tables.js';

/**
 * The plan report's reads: every commitment of a plan with its milestones, institutions and
 * published progress updates (items and evidence files), in six queries whatever the number of
 * commitments, where reading them one commitment at a time (findCommitmentDetail and
 * listPublishedUpdates) took four or five queries each. Each result has the shape, order and
 * values those functions give for one commitment (reports.test.ts compares them).
 */

const commitmentsOf = (planId: number) => sql<number>`(select id from commitments where action_plan_id = ${planId})`;
const publishedUpdatesOf = (planId: number) => sql<number>`(select id from progress_updates where status = 'published' and commitment_id in ${commitmentsOf(planId)})`;

function group<T>(rows: readonly T[], keyOf: (row: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}

/** Every commitment of the plan as findCommitmentDetail reads one, by commitment id. */
export async function planCommitmentDetails(db: Executor, planId: number): Promise<Map<number, CommitmentDetail>> {
  const [rows, institutions, milestones] = await Promise.all([
    db
      .selectFrom('commitments')
      .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select([
        'commitments.id',
        'commitments.code',
        'commitments.title',
        'commitments.problem',
        'commitments.status_quo',
        'commitments.action',
        'commitments.contribution',
        'commitments.long_term_goal',
        'commitments.ogp_values',
        'commitments.policy_areas',
        'commitments.starts_on',
        'commitments.ends_on',
        'jurisdictions.slug as jurisdiction_slug',
        'jurisdictions.name as jurisdiction_name',
        'action_plans.slug as plan_slug',
        'action_plans.title as plan_title',
      ])
      .where('commitments.action_plan_id', '=', planId)
      .execute(),
    db
      .selectFrom('commitment_institutions')
      .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
      .select(['commitment_institutions.commitment_id', 'institutions.slug', 'institutions.name', 'commitment_institutions.role'])
      .where('commitment_institutions.commitment_id', 'in', commitmentsOf(planId))
      .orderBy('commitment_institutions.role')
      .orderBy('institutions.slug')
      .execute(),
    db
      .selectFrom('milestones')
      .leftJoin('institutions', 'institutions.id', 'milestones.responsible_institution_id')
      .select([
        'milestones.commitment_id',
        'milestones.id',
        'milestones.code',
        'milestones.title',
        'milestones.expected_output',
        'milestones.indicator',
        'milestones.starts_on',
        'milestones.due_on',
        'milestones.status',
        'milestones.completed_on',
        'milestones.cancelled_on',
        'milestones.weight',
        'milestones.is_demo',
        'institutions.slug as responsible_slug',
        'institutions.name as responsible_name',
      ])
      .where('milestones.commitment_id', 'in', commitmentsOf(planId))
      .orderBy('milestones.position')
      .orderBy('milestones.code')
      .execute(),
  ]);
  const institutionsBy = group(institutions, (i) => Number(i.commitment_id));
  const milestonesBy = group(milestones, (m) => Number(m.commitment_id));
  const details = new Map<number, CommitmentDetail>();
  for (const row of rows) {
    const ms: MilestoneView[] = (milestonesBy.get(Number(row.id)) ?? []).map((m) => ({
      id: Number(m.id),
      code: m.code,
      title: parseTranslatableShared(m.title),
      expectedOutput: parseTranslatableShared(m.expected_output),
      indicator: parseTranslatableShared(m.indicator),
      responsible: m.responsible_slug ? { slug: m.responsible_slug, name: parseTranslatableShared(m.responsible_name) } : null,
      startsOn: m.starts_on,
      dueOn: m.due_on,
      status: m.status,
      completedOn: m.completed_on,
      cancelledOn: m.cancelled_on,
      weight: m.weight,
      isDemo: m.is_demo === 1,
    }));
    const links: InstitutionLink[] = (institutionsBy.get(Number(row.id)) ?? []).map((i) => ({ slug: i.slug, name: parseTranslatableShared(i.name), role: i.role }));
    details.set(Number(row.id), {
      id: row.id,
      code: row.code,
      jurisdiction: { slug: row.jurisdiction_slug, name: parseTranslatableShared(row.jurisdiction_name) },
      plan: { slug: row.plan_slug, title: parseTranslatableShared(row.plan_title) },
      title: parseTranslatableShared(row.title),
      problem: parseTranslatableShared(row.problem),
      statusQuo: parseTranslatableShared(row.status_quo),
      action: parseTranslatableShared(row.action),
      contribution: parseTranslatableShared(row.contribution),
      longTermGoal: parseTranslatableShared(row.long_term_goal),
      ogpValues: parseList(row.ogp_values),
      policyAreas: parseList(row.policy_areas),
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      institutions: links,
      milestones: ms,
      status: commitmentStatusOf(ms),
      progress: progressOf(ms),
    });
  }
  return details;
}

/** Submitted on or before the due day, as the day is counted in the jurisdiction's time zone (as listPublishedUpdates counts it). */
function onTime(submittedAt: string | null, dueOn: string, timeZone: string): boolean {
  return !!submittedAt && dayIn(submittedAt, timeZone) <= dueOn;
}

/** Every commitment's published progress updates as listPublishedUpdates reads one's (newest period first), by commitment id. */
export async function planPublishedUpdates(db: Executor, planId: number): Promise<Map<number, PublishedUpdate[]>> {
  const r = rdb(db);
  const [updates, items, files] = await Promise.all([
    r
      .selectFrom('progress_updates')
      .innerJoin('reporting_cycles', 'reporting_cycles.id', 'progress_updates.cycle_id')
      .innerJoin('action_plans', 'action_plans.id', 'reporting_cycles.action_plan_id')
      .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
      .select([
        'progress_updates.id',
        'progress_updates.commitment_id',
        'progress_updates.summary',
        'progress_updates.first_submitted_at',
        'progress_updates.published_at',
        'reporting_cycles.number',
        'reporting_cycles.label',
        'reporting_cycles.period_start',
        'reporting_cycles.period_end',
        'reporting_cycles.due_on',
        'jurisdictions.time_zone',
      ])
      .where('progress_updates.commitment_id', 'in', commitmentsOf(planId))
      .where('progress_updates.status', '=', 'published')
      .orderBy('reporting_cycles.period_end', 'desc')
      .orderBy('progress_updates.published_at', 'desc')
      .execute(),
    r
      .selectFrom('progress_update_items')
      .innerJoin('milestones', 'milestones.id', 'progress_update_items.milestone_id')
      .select([
        'progress_update_items.update_id',
        'progress_update_items.milestone_id',
        'progress_update_items.status',
        'progress_update_items.completion',
        'progress_update_items.narrative',
        'progress_update_items.obstacles',
        'progress_update_items.obstacle_note',
        'progress_update_items.evidence_links',
        'milestones.code',
        'milestones.title',
      ])
      .where('progress_update_items.update_id', 'in', publishedUpdatesOf(planId))
      .orderBy('milestones.position')
      .orderBy('milestones.id')
      .execute(),
    r
      .selectFrom('evidence_files')
      .select(['id', 'update_id', 'milestone_id', 'filename', 'content_type', 'size'])
      .where('update_id', 'in', publishedUpdatesOf(planId))
      .orderBy('id')
      .execute(),
  ]);
  const fileView = (f: (typeof files)[number]): EvidenceFileView => ({ id: f.id, filename: f.filename, contentType: f.content_type, size: f.size, url: evidenceUrl(f.id, f.filename) });
  const itemsBy = group(items, (i) => Number(i.update_id));
  const filesBy = group(files, (f) => Number(f.update_id));
  const out = new Map<number, PublishedUpdate[]>();
  for (const u of updates) {
    const own = filesBy.get(Number(u.id)) ?? [];
    const published: PublishedUpdate = {
      id: u.id,
      cycle: { number: u.number, label: parseTranslatable(u.label), periodStart: u.period_start, periodEnd: u.period_end, dueOn: u.due_on },
      summary: parseTranslatable(u.summary),
      submittedAt: u.first_submitted_at,
      publishedAt: u.published_at ?? '',
      timeZone: u.time_zone,
      onTime: onTime(u.first_submitted_at, u.due_on, u.time_zone),
      files: own.filter((f) => f.milestone_id === null).map(fileView),
      items: (itemsBy.get(Number(u.id)) ?? []).map(
        (i): PublishedItem => ({
          milestoneId: i.milestone_id,
          code: i.code,
          title: parseTranslatable(i.title),
          status: i.status,
          completion: i.completion,
          narrative: parseTranslatable(i.narrative),
          obstacles: parseList(i.obstacles),
          obstacleNote: parseTranslatable(i.obstacle_note),
          links: parseList(i.evidence_links),
          files: own.filter((f) => f.milestone_id === i.milestone_id).map(fileView),
        }),
      ),
    };
    const list = out.get(Number(u.commitment_id));
    if (list) list.push(published);
    else out.set(Number(u.commitment_id), [published]);
  }
  return out;
}

import type { Executor } from '../../db/database.js';
import { findPlanDetail, type PlanDetail } from '../plans/queries.js';
import { findCommitmentDetail, type CommitmentDetail } from '../commitments/queries.js';
import { listPublishedUpdates, type PublishedUpdate } from '../reporting/queries.js';
import { planCommitmentDetails, planPublishedUpdates } from './queries.js';
import { findPublicPlan, listCycleReviews, listPublishedReports, findCommitmentFindings, type ReportSummary, type ReviewView } from '../reviews/queries.js';

/**
 * The reports' model, read once from the database and rendered three ways (printable page, PDF,
 * DOCX) in any locale: everything is published content only (published progress updates and
 * reviews; no person, no address). Texts stay translatable here; the renderings pick a language.
 */

/** One commitment as the plan report shows it: its description, milestones and latest published update. */
export interface ReportCommitment {
  detail: CommitmentDetail;
  /** Published progress updates, newest period first (the plan report shows the first only). */
  updates: PublishedUpdate[];
  isDemo: boolean;
}

export interface PlanReportModel {
  kind: 'plan';
  plan: PlanDetail;
  commitments: ReportCommitment[];
  isDemo: boolean;
}

export interface MonitoringReportModel {
  kind: 'monitoring';
  plan: PlanDetail;
  /** The plan's published monitoring reports (newest cycle first), each with its published reviews. */
  reports: { report: ReportSummary; reviews: ReviewView[] }[];
  isDemo: boolean;
}

export interface CommitmentReportModel {
  kind: 'commitment';
  plan: PlanDetail;
  commitment: ReportCommitment;
  /** The monitoring body's published reviews of the commitment, oldest cycle first. */
  reviews: ReviewView[];
  isDemo: boolean;
}

export type ReportModel = PlanReportModel | MonitoringReportModel | CommitmentReportModel;

async function reportCommitment(db: Executor, jurisdictionSlug: string, planSlug: string, code: string): Promise<ReportCommitment | undefined> {
  const detail = await findCommitmentDetail(db, jurisdictionSlug, planSlug, code);
  if (!detail) return undefined;
  const updates = await listPublishedUpdates(db, detail.id);
  return { detail, updates, isDemo: detail.milestones.some((m) => m.isDemo) };
}

export async function planReportModel(db: Executor, jurisdictionSlug: string, planSlug: string): Promise<PlanReportModel | undefined> {
  const plan = await findPlanDetail(db, jurisdictionSlug, planSlug);
  if (!plan) return undefined;
  // Every commitment at once (a fixed number of queries, however many commitments), in the plan's order.
  const [details, updates] = await Promise.all([planCommitmentDetails(db, plan.id), planPublishedUpdates(db, plan.id)]);
  const commitments: ReportCommitment[] = [];
  for (const c of plan.commitments) {
    const detail = details.get(c.id);
    if (detail) commitments.push({ detail, updates: updates.get(c.id) ?? [], isDemo: detail.milestones.some((m) => m.isDemo) });
  }
  return { kind: 'plan', plan, commitments, isDemo: plan.hasDemo || commitments.some((c) => c.isDemo) };
}

/** The plan's published monitoring reports with their reviews; `reports` is empty while none is published. */
export async function monitoringReportModel(db: Executor, jurisdictionSlug: string, planSlug: string): Promise<MonitoringReportModel | undefined> {
  const [plan, publicPlan] = await Promise.all([findPlanDetail(db, jurisdictionSlug, planSlug), findPublicPlan(db, jurisdictionSlug, planSlug)]);
  if (!plan || !publicPlan) return undefined;
  const summaries = await listPublishedReports(db, plan.id);
  const reports = [];
  for (const report of summaries) reports.push({ report, reviews: await listCycleReviews(db, report.cycle.id, true) });
  const isDemo = plan.isDemo || reports.some((r) => r.report.isDemo || r.reviews.some((v) => v.isDemo));
  return { kind: 'monitoring', plan, reports, isDemo };
}

export async function commitmentReportModel(db: Executor, jurisdictionSlug: string, planSlug: string, code: string): Promise<CommitmentReportModel | undefined> {
  const plan = await findPlanDetail(db, jurisdictionSlug, planSlug);
  if (!plan) return undefined;
  const commitment = await reportCommitment(db, jurisdictionSlug, planSlug, code);
  if (!commitment) return undefined;
  const { reviews } = await findCommitmentFindings(db, commitment.detail.id);
  const ordered = [...reviews].sort((a, b) => a.cycleNumber - b.cycleNumber);
  return { kind: 'commitment', plan, commitment, reviews: ordered, isDemo: plan.isDemo || commitment.isDemo || ordered.some((r) => r.isDemo) };
}

/**
 * Every public page the browser tests visit, in one list: e2e/public-pages.test.ts checks each with
 * axe-core and html-validate, e2e/small-screens.test.ts checks that nothing overflows on phones.
 * Paths are without the locale; the ids they need are read from the seeded database once.
 */
import type { Db } from '../src/db/database.js';
import { SYSTEM } from '../src/modules/audit/index.js';
import { updateJurisdictionBranding } from '../src/modules/jurisdictions/branding.js';
import { insertReportingFixture, TINY_PNG } from '../test/reporting-fixture.js';
import { prepareMeetingPages } from '../test/meetings-fixture.js';

export interface PageIds {
  /** The first institution of Gjakova. */
  institution: string;
  /** An institution that reports on a commitment (its page shows report punctuality once cycles exist). */
  reportingInstitution: string;
  jurisdictionId: number;
  institutionId: number;
  planId: number;
  commitmentId: number;
  milestoneId: number;
  /** A held meeting of Gjakova's forum, and its next upcoming one (demonstration meetings). */
  heldMeeting: number;
  upcomingMeeting: number;
}

export interface PublicPage {
  label: string;
  path: (ids: PageIds) => string;
  status: number;
}

export const PUBLIC_PAGES: readonly PublicPage[] = [
  { label: '/', path: () => '/', status: 200 },
  { label: '/gjakova', path: () => '/gjakova', status: 200 },
  { label: '/gjakova/plans/2024-2025', path: () => '/gjakova/plans/2024-2025', status: 200 },
  { label: 'the plan timeline', path: () => '/gjakova/plans/2024-2025/timeline', status: 200 },
  { label: 'the OGP standards checklist', path: () => '/gjakova/plans/2024-2025/standards', status: 200 },
  { label: 'commitment XKGJA0001', path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0001', status: 200 },
  { label: 'commitment XKGJA0002', path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0002', status: 200 },
  { label: 'commitment XKGJA0003', path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0003', status: 200 },
  { label: 'an institution', path: (ids) => `/gjakova/institutions/${ids.institution}`, status: 200 },
  { label: 'a reporting institution', path: (ids) => `/gjakova/institutions/${ids.reportingInstitution}`, status: 200 },
  { label: '/search?q=gjakova', path: () => '/search?q=gjakova', status: 200 },
  { label: '/search?q=dakovica', path: () => '/search?q=dakovica', status: 200 },
  { label: '/transparency', path: () => '/transparency', status: 200 },
  { label: 'the history of the jurisdiction', path: (ids) => `/history/jurisdiction/${ids.jurisdictionId}`, status: 200 },
  { label: 'the history of an institution', path: (ids) => `/history/institution/${ids.institutionId}`, status: 200 },
  { label: 'the history of the plan', path: (ids) => `/history/plan/${ids.planId}`, status: 200 },
  { label: 'the history of a commitment', path: (ids) => `/history/commitment/${ids.commitmentId}`, status: 200 },
  { label: 'the history of a milestone', path: (ids) => `/history/milestone/${ids.milestoneId}`, status: 200 },
  { label: 'the bodies of Gjakova', path: () => '/gjakova/bodies', status: 200 },
  { label: 'the Transparency Forum', path: () => '/gjakova/bodies/transparency-forum', status: 200 },
  { label: 'the monitoring body', path: () => '/gjakova/bodies/monitoring-body', status: 200 },
  { label: 'a working group (demonstration)', path: () => '/gjakova/bodies/working-group-digital-services-demo', status: 200 },
  { label: 'the monitoring reports of the plan', path: () => '/gjakova/plans/2024-2025/monitoring', status: 200 },
  { label: 'a monitoring report (demonstration, cycle 2)', path: () => '/gjakova/plans/2024-2025/monitoring/2', status: 200 },
  { label: '/accessibility', path: () => '/accessibility', status: 200 },
  { label: '/privacy', path: () => '/privacy', status: 200 },
  { label: '/login', path: () => '/login', status: 200 },
  { label: '404 /no-such-place', path: () => '/no-such-place', status: 404 },
  { label: 'branded /brandtown', path: () => '/brandtown', status: 200 },
  { label: 'the meetings of Gjakova', path: () => '/gjakova/meetings', status: 200 },
  { label: 'the meetings of the forum', path: () => '/gjakova/bodies/transparency-forum/meetings', status: 200 },
  { label: 'a held meeting', path: (ids) => `/gjakova/meetings/${ids.heldMeeting}`, status: 200 },
  { label: 'an upcoming meeting with carried action items', path: (ids) => `/gjakova/meetings/${ids.upcomingMeeting}`, status: 200 },
  { label: 'branded commitment', path: () => '/brandtown/plans/2024-2025/commitments/XKGJA0001', status: 200 },
  // Consultations (issue 11, consultations part): the list, the seeded co-creation call, the open and the answered demonstration, a draft-free 404.
  { label: 'the consultations of Gjakova', path: () => '/gjakova/consultations', status: 200 },
  { label: 'the 2024 co-creation call (closed)', path: () => '/gjakova/consultations/co-creation-2024', status: 200 },
  { label: 'an open consultation (demonstration)', path: () => '/gjakova/consultations/digital-services-demo', status: 200 },
  { label: 'an answered consultation (demonstration)', path: () => '/gjakova/consultations/waste-collection-demo', status: 200 },
  { label: 'a consultation that does not exist', path: () => '/gjakova/consultations/no-such-consultation', status: 404 },
  // Subscriptions (issue 11): the form to follow something by e-mail (not cached: it holds a CSRF token).
  { label: 'the form to follow a commitment', path: (ids) => `/subscriptions/new?topic=commitment:${ids.commitmentId}`, status: 200 },
  { label: 'the form to follow the jurisdiction', path: (ids) => `/subscriptions/new?topic=jurisdiction:${ids.jurisdictionId}`, status: 200 },
  { label: 'a confirmation link that does not work', path: () => '/subscriptions/confirm/no-such-confirmation-token', status: 410 },
  // Contributions (issue 11, contributions part): the pages of a confirmation or erasure link that no longer works.
  { label: 'an unknown confirmation link', path: () => '/contributions/confirm/no-such-token', status: 410 },
  { label: 'an unknown erasure link', path: () => '/privacy/erase/no-such-token', status: 410 },
  // The contribution forms of the open demonstration consultation (not cached: they hold a CSRF token).
  { label: 'the comment form of the open consultation', path: () => '/gjakova/consultations/digital-services-demo/contribute', status: 200 },
  { label: 'the proposal form of the open consultation', path: () => '/gjakova/consultations/digital-services-demo/contribute?kind=proposal', status: 200 },
  { label: 'the comment form of a closed consultation', path: () => '/gjakova/consultations/co-creation-2024/contribute', status: 200 },
  // News (issue 12): the demonstration seed publishes item 1 (a press release) and keeps item 2 a draft (not public).
  { label: 'the news of Gjakova', path: () => '/gjakova/news', status: 200 },
  { label: 'a press release (demonstration)', path: () => '/gjakova/news/1', status: 200 },
  { label: 'the history of a press release', path: () => '/history/news/1', status: 200 },
  { label: 'a news draft (not public)', path: () => '/gjakova/news/2', status: 404 },
  // Issue 12, API part: what the API is, its endpoints read from the generated OpenAPI document.
  { label: 'the API page', path: () => '/api', status: 200 },
  // Reports (issue 12, reports part): the printable pages; a monitoring report before any is published; unknown commitment.
  { label: 'the plan progress report (printable)', path: () => '/gjakova/plans/2024-2025/report', status: 200 },
  { label: 'the monitoring report (printable, demonstration reviews)', path: () => '/gjakova/plans/2024-2025/monitoring-report', status: 200 },
  { label: 'an end-of-commitment report (printable)', path: () => '/gjakova/plans/2024-2025/commitments/XKGJA0001/report', status: 200 },
  { label: 'a monitoring report before any is published', path: () => '/brandtown/plans/2024-2025/monitoring-report', status: 200 },
  { label: 'the report of a commitment that does not exist', path: () => '/gjakova/plans/2024-2025/commitments/XKGJA9999/report', status: 404 },
  // Open data: the downloads and the format explained; a jurisdiction's downloads and snapshots.
  { label: '/open-data', path: () => '/open-data', status: 200 },
  { label: "Gjakova's open data and snapshots", path: () => '/gjakova/open-data', status: 200 },
];

/**
 * Prepares a database seeded with Gjakova's plan and the demonstration data for PUBLIC_PAGES: adds a
 * second, branded jurisdiction (test data: Gjakova ships with no portal name, emblem or colour), so
 * the home shows two cards and its pages carry the portal's header (its milestones are overdue), and
 * returns the ids the paths need.
 */
export async function preparePublicPages(db: Db): Promise<PageIds> {
  const town = await insertReportingFixture(db, 'brandtown');
  await updateJurisdictionBranding(db, SYSTEM, { jurisdictionId: town.jurisdictionId, contentLocale: 'en', portalName: 'Brandtown Open Government', accentColor: '#1d4f91', emblem: { content: TINY_PNG } });
  // Gjakova's demonstration meetings (and its bodies, when the bodies' demonstration seed did not make them).
  const meetings = await prepareMeetingPages(db);
  return { ...(await publicPageIds(db)), ...meetings };
}

/** The ids the page paths need, from a database seeded with Gjakova's plan and the demonstration data. */
export async function publicPageIds(db: Db): Promise<Omit<PageIds, 'heldMeeting' | 'upcomingMeeting'>> {
  const jurisdiction = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
  const institution = await db.selectFrom('institutions').select(['id', 'slug']).where('jurisdiction_id', '=', jurisdiction.id).orderBy('id').executeTakeFirstOrThrow();
  const plan = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', jurisdiction.id).where('slug', '=', '2024-2025').executeTakeFirstOrThrow();
  const commitment = await db.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id).where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
  const milestone = await db.selectFrom('milestones').select('id').where('commitment_id', '=', commitment.id).orderBy('position').orderBy('id').executeTakeFirstOrThrow();
  const reporting = await db
    .selectFrom('commitment_institutions')
    .innerJoin('institutions', 'institutions.id', 'commitment_institutions.institution_id')
    .select('institutions.slug')
    .where('commitment_institutions.commitment_id', '=', commitment.id)
    .where('commitment_institutions.role', 'in', ['lead', 'involved'])
    .orderBy('institutions.id')
    .executeTakeFirstOrThrow();
  return {
    institution: institution.slug,
    reportingInstitution: reporting.slug,
    jurisdictionId: jurisdiction.id,
    institutionId: institution.id,
    planId: plan.id,
    commitmentId: commitment.id,
    milestoneId: milestone.id,
  };
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readContentVersion } from '../src/db/content-version.js';
import { ForbiddenError, SYSTEM, type Actor } from '../src/modules/audit/index.js';
import { AccountInputError, changePassword, inviteUser, removeUserAccess, setAccountLanguage, signOutEverywhere, updateUserRoles } from '../src/modules/accounts/commands.js';
import { createCommitment, createMilestone, updateCommitment, updateMilestone } from '../src/modules/commitments/commands.js';
import { createInstitution, updateInstitution } from '../src/modules/institutions/commands.js';
import { recordSource } from '../src/modules/provenance/commands.js';
import { createJurisdiction, updateJurisdiction } from '../src/modules/jurisdictions/commands.js';
import { updateJurisdictionBranding } from '../src/modules/jurisdictions/branding.js';
import { createActionPlan, updateActionPlan } from '../src/modules/plans/commands.js';
import { generateCycles, publishProgressUpdate, returnProgressUpdate, saveProgressUpdate, updateCycle } from '../src/modules/reporting/commands.js';
import { rdb } from '../src/modules/reporting/tables.js';
import { recordAssessments } from '../src/modules/standards/commands.js';
import {
  approveMinutes,
  cancelMeeting,
  followUpActionItem,
  recordActionItem,
  recordDecision,
  recordMeetingOutcome,
  saveMeetingPreparation,
  scheduleMeeting,
  updateMeeting,
} from '../src/modules/meetings/commands.js';
import { meetingInputFor, preparedMeeting } from './meetings-fixture.js';
import { addBodyMember, bdb, createBody, removeBodyMember, updateBody, updateBodyMember } from '../src/modules/bodies/index.js';
import { addFollowUp, publishMonitoringReport, respondToRecommendation, saveRecommendation, saveReview } from '../src/modules/reviews/commands.js';
// Consultations (issue 11, consultations part)
import {
  addConsultationDocument,
  createConsultation,
  publishConsultation,
  recordConsultationOutcome,
  removeConsultationDocument,
  setMinimumNotice,
  updateConsultation,
  type ConsultationInput,
} from '../src/modules/participation/consultation-commands.js';
import { requestSubscription } from '../src/modules/subscriptions/commands.js';
import { sdb } from '../src/modules/subscriptions/tables.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './db.js';
// Issue 11, moderation and responses:
import { approveContribution, hideContribution } from '../src/modules/participation/moderation-commands.js';
import { publishResponseTable, saveContributionResponse } from '../src/modules/participation/response-commands.js';
import { ensureTestConsultation, insertTestConsultation, insertTestContribution } from './response-fixture.js';
// Contributions (issue 11, contributions part)
import { confirmContribution, flagContribution, submitContribution } from '../src/modules/participation/contribution-commands.js';
import { matrixConsultation, matrixContributionInput, matrixErasureToken, matrixPublished, matrixToken, matrixUnconfirmed } from './contribution-fixture.js';
import { eraseByLink } from '../src/modules/participation/privacy-erase.js';
import { insertReportingFixture, type ReportingFixture } from './reporting-fixture.js';
// News (issue 12)
import { createNewsDraft, generateNewsDraft, publishNewsItem, updateNewsItem, withdrawNewsItem, type NewsInput } from '../src/modules/news/commands.js';
import { ndb } from '../src/modules/news/tables.js';
import { createApiToken, revokeApiToken } from '../src/modules/accounts/api-tokens.js';
// Issue 12, imports:
import { importOgp } from '../src/modules/interop/ogp.js';
import { importDecidim } from '../src/modules/interop/decidim.js';
import { decidimCsvFile, ogpCsv } from '../src/modules/interop/test-files.js';
// Witnesses (issue 14)
import { generateKeyPairSync } from 'node:crypto';
import { formatVkey, rawEd25519PublicKey, SIGNATURE_COSIGNATURE_V1 } from '../src/lib/tlog/note.js';
import { addWitness, deactivateWitness, reactivateWitness, setWitnessQuorum, updateWitness } from '../src/modules/transparency/witnesses/commands.js';
import { tdb } from '../src/modules/transparency/tables.js';

/** A new witness's input (a fresh cosigner key each time). */
function witnessInput(name: string) {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { name, vkey: formatVkey(name, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(privateKey)), url: 'https://witness.example.org/', operator: 'Matrix Association', policy: { en: 'Matrix policy.' } };
}

/**
 * Every command checks the actor's roles itself, whatever route (or none) calls it: each command
 * below runs for every kind of person, on both databases. Those not allowed get ForbiddenError and
 * nothing is written (no audit event, no content version bump); those allowed get past the check
 * (the command runs). The expectations follow the policies in src/modules/accounts/policy.ts and
 * src/modules/reporting/policy.ts, the same ones test/role-matrix.test.ts checks on the routes.
 */

const PEOPLE = [
  'instanceAdmin',
  'admin',
  'otherAdmin',
  'coordinator',
  'otherCoordinator',
  'holder',
  'otherHolder',
  'secretary',
  'monitoring',
  'moderator',
  'noRole',
] as const;
type Who = (typeof PEOPLE)[number];

const INSTANCE: Who[] = ['instanceAdmin'];
const CONTENT: Who[] = ['instanceAdmin', 'admin'];
const CYCLES: Who[] = ['instanceAdmin', 'admin', 'coordinator'];
const FILE: Who[] = ['instanceAdmin', 'admin', 'coordinator', 'holder'];
const USERS: Who[] = ['instanceAdmin', 'admin'];
const MEETINGS: Who[] = ['instanceAdmin', 'admin', 'coordinator', 'secretary']; // canManageMeetings(gjakova)
const BODIES: Who[] = ['instanceAdmin', 'admin', 'coordinator', 'secretary']; // canManageBodies
/** Reviews, recommendations, follow-ups, monitoring reports: monitoring members and administrators. */
const REVIEWS: Who[] = ['instanceAdmin', 'admin', 'monitoring'];
/** The government's response to a recommendation owned by the fixture's lead institution: its holder, coordinators, administrators. */
const RESPOND: Who[] = ['instanceAdmin', 'admin', 'coordinator', 'holder'];
/** Consultations (issue 11, consultations part): canManageConsultations, administrators and coordinators of the jurisdiction. */
const CONSULTATIONS: Who[] = ['instanceAdmin', 'admin', 'coordinator'];
// Issue 11, moderation and responses: canModerate (administrators, moderators); canRespondToContributions (administrators, coordinators).
const MODERATE: Who[] = ['instanceAdmin', 'admin', 'moderator'];
const ANSWER: Who[] = ['instanceAdmin', 'admin', 'coordinator'];
/** News (issue 12): canManageNews, administrators and coordinators of the jurisdiction. */
const NEWS: Who[] = ['instanceAdmin', 'admin', 'coordinator'];

interface Check {
  name: string;
  allow: Who[];
  /** Makes what one run needs (as the system, before the "nothing changed" marks are taken). */
  prepare?: (n: number) => Promise<number>;
  /** Runs the command as `actor`; `n` makes slugs and codes unique between runs; `id` is what prepare made. */
  run: (actor: Actor, n: number, id: number) => Promise<unknown>;
}

for (const dialect of DIALECTS) {
  describe(`every command checks the role itself [${dialect}]`, () => {
    let database: TestDatabase;
    let f: ReportingFixture;
    let other: ReportingFixture;
    let cycleId = 0;
    const actors = {} as Record<Who, Actor>;
    const seen: string[] = [];

    before(async () => {
      database = await openTestDatabase(dialect);
      f = await insertReportingFixture(database.db, 'gjakova');
      other = await insertReportingFixture(database.db, 'prizren');
      await generateCycles(database.db, SYSTEM, f.planId);
      cycleId = (await rdb(database.db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', f.planId).where('number', '=', 1).executeTakeFirstOrThrow()).id;
      const one = (role: string, jurisdictionId: number | null, institutionId: number | null = null): Actor => ({
        userId: null,
        role,
        roles: [{ role, jurisdictionId, institutionId }],
      });
      Object.assign(actors, {
        instanceAdmin: one('administrator', null),
        admin: one('administrator', f.jurisdictionId),
        otherAdmin: one('administrator', other.jurisdictionId),
        coordinator: one('coordinator', f.jurisdictionId),
        otherCoordinator: one('coordinator', other.jurisdictionId),
        holder: one('commitment_holder', f.jurisdictionId, f.leadId),
        otherHolder: one('commitment_holder', f.jurisdictionId, f.otherId),
        secretary: one('forum_secretary', f.jurisdictionId),
        monitoring: one('monitoring_member', f.jurisdictionId),
        moderator: one('moderator', f.jurisdictionId),
        noRole: { userId: null, role: 'user', roles: [] },
      } satisfies Record<Who, Actor>);
    });

    after(async () => {
      console.log(`[${dialect}] command × person: ${seen.length} runs\n${seen.join('\n')}`);
      await database.destroy();
    });

    /** A submitted update of a fresh commitment led by the fixture's lead institution (for publish and return). */
    async function submittedUpdate(n: number): Promise<number> {
      const created = await createCommitment(database.db, SYSTEM, {
        ...commitment(`XKGJA${String(500 + n).padStart(4, '0')}`),
        actionPlanId: f.planId,
      });
      const saved = await saveProgressUpdate(database.db, SYSTEM, {
        cycleId,
        commitmentId: created.id,
        locale: 'en',
        summary: 'Submitted for review.',
        items: [],
        files: [],
        removeFileIds: [],
        submit: true,
        formToken: null,
      });
      return saved.id;
    }

    /** A review (by the system) of the fixture's commitment in cycle 1: the same one each time. */
    function review(): Promise<number> {
      return saveReview(database.db, SYSTEM, { cycleId, commitmentId: f.commitmentId, assessment: 'on_track', ratings: {}, findings: { en: 'Findings.' }, links: [] });
    }

    /** A new recommendation owned by the fixture's lead institution, on the published report of cycle 1 (the government answers published ones). */
    async function recommendation(n: number): Promise<number> {
      const reviewId = await review();
      await publishMonitoringReport(database.db, SYSTEM, { cycleId, summary: {} }).catch(() => undefined);
      return saveRecommendation(database.db, SYSTEM, { reviewId, text: { en: `Recommendation ${n}` }, institutionId: f.leadId, dueOn: '2025-06-30' });
    }

    /** A new person with a coordinator role on Gjakova (each removal needs its own). */
    async function gjakovaPerson(n: number): Promise<number> {
      const user = await database.db
        .insertInto('users')
        .values({ email: `person-${n}@example.org`, display_name: `Person ${n}`, password_hash: 'x', created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db.insertInto('user_roles').values({ user_id: user.id, role: 'coordinator', jurisdiction_id: f.jurisdictionId, institution_id: null }).execute();
      return user.id;
    }

    function commitment(code: string) {
      return {
        code,
        locale: 'en' as const,
        texts: { title: `Commitment ${code}` },
        ogpValues: ['access_to_information'],
        policyAreas: [],
        leadInstitutionIds: [f.leadId],
        supportingInstitutionIds: [],
        startsOn: '2024-01-01',
        endsOn: '2025-12-31',
      };
    }

    function milestone(code: string) {
      return {
        code,
        locale: 'en' as const,
        texts: { title: `Milestone ${code}` },
        responsibleInstitutionId: f.leadId,
        startsOn: null,
        dueOn: '2025-06-30',
        status: 'not_started',
        completedOn: null,
        cancelledOn: null,
        weight: 1,
      };
    }

    const text = { contentLocale: 'en' as const, description: '' };
    const planInput = (slug: string) => ({
      slug,
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      submittedOn: null,
      withdrawnOn: null,
      assessedOn: null,
      cocreationGroups: null,
      cocreationPublicMeetings: null,
      contentLocale: 'en' as const,
      title: `Plan ${slug}`,
      foreword: '',
      cocreationSummary: '',
      leadInstitutionIds: [],
      visionSections: [],
      endorsements: [],
    });

    const bodyInput = (slug: string) => ({
      kind: 'monitoring_body',
      parentId: null,
      slug,
      locale: 'en' as const,
      texts: { name: `Body ${slug}`, mandate: 'Reviews progress.' },
      compositionRules: ['civil_society_majority'],
      meetsEveryDays: 92,
      establishedOn: null,
    });
    const memberInput = (organisation: string) => ({
      locale: 'en' as const,
      organisation,
      personName: '',
      nameConsent: false,
      email: 'member@example.org',
      sector: 'civil_society',
      representedGroups: ['youth'],
      role: 'member',
      termStart: null,
      termEnd: null,
    });
    /** A body of Gjakova made by the system (for the commands that change one). */
    const aBody = async (n: number) => (await createBody(database.db, SYSTEM, { ...bodyInput(`prepared-${n}`), jurisdictionId: f.jurisdictionId })).id;
    /** A member of a fresh body, made by the system. */
    const aMember = async (n: number) => (await addBodyMember(database.db, SYSTEM, { ...memberInput(`Prepared ${n}`), bodyId: await aBody(n) })).id;

    /** Consultations (issue 11, consultations part). */
    const consultationInput = (slug: string): ConsultationInput => ({
      slug,
      locale: 'en',
      texts: { title: `Consultation ${slug}`, summary: '', body: 'Text.' },
      subject: 'plan',
      planId: f.planId,
      commitmentId: null,
      opensOn: '2027-01-01',
      closesOn: '2027-01-31',
      moderation: 'post',
      flagThreshold: 3,
      allowsProposals: true,
      groupsConsulted: null,
      publicMeetings: null,
    });
    const aConsultation = async (n: number) => (await createConsultation(database.db, SYSTEM, { ...consultationInput(`prepared-consultation-${n}`), jurisdictionId: f.jurisdictionId })).id;
    const aDocument = async (n: number) => {
      const id = await aConsultation(n);
      await addConsultationDocument(database.db, SYSTEM, { consultationId: id, locale: 'en', title: 'Draft', url: 'https://example.org/draft.pdf', documentLocale: null });
      return id;
    };
    const documentOf = async (consultationId: number) =>
      (await database.db.withTables<{ consultation_documents: { id: number; consultation_id: number } }>().selectFrom('consultation_documents').select('id').where('consultation_id', '=', consultationId).executeTakeFirstOrThrow()).id;
    const consultationChecks = (): Check[] => [
      { name: 'createConsultation', allow: CONSULTATIONS, run: (a, n) => createConsultation(database.db, a, { ...consultationInput(`consultation-${n}`), jurisdictionId: f.jurisdictionId }) },
      { name: 'updateConsultation', allow: CONSULTATIONS, prepare: aConsultation, run: (a, n, id) => updateConsultation(database.db, a, { ...consultationInput(`prepared-consultation-${n}`), texts: { title: `Renamed ${n}` }, consultationId: id }) },
      { name: 'publishConsultation', allow: CONSULTATIONS, prepare: aConsultation, run: (a, _n, id) => publishConsultation(database.db, a, { consultationId: id }) },
      { name: 'addConsultationDocument', allow: CONSULTATIONS, prepare: aConsultation, run: (a, _n, id) => addConsultationDocument(database.db, a, { consultationId: id, locale: 'en', title: 'Map', url: 'https://example.org/map.pdf', documentLocale: 'en' }) },
      { name: 'removeConsultationDocument', allow: CONSULTATIONS, prepare: aDocument, run: async (a, _n, id) => removeConsultationDocument(database.db, a, { consultationId: id, documentId: await documentOf(id) }) },
      { name: 'recordConsultationOutcome', allow: CONSULTATIONS, prepare: aConsultation, run: (a, n, id) => recordConsultationOutcome(database.db, a, { consultationId: id, locale: 'en', outcome: `Outcome ${n}` }) },
      { name: 'setMinimumNotice', allow: CONSULTATIONS, run: (a, n) => setMinimumNotice(database.db, a, { jurisdictionId: f.jurisdictionId, days: 15 + (n % 10) }) },
    ];

    // News (issue 12): a draft's texts in English.
    const newsInput = (title: string): NewsInput => ({ jurisdictionId: f.jurisdictionId, kind: 'news', contentLocale: 'en', title, summary: '', body: 'Text.', periodFrom: null, periodTo: null });

    const CHECKS: Check[] = [
      // Content
      { name: 'createJurisdiction', allow: INSTANCE, run: (a, n) => createJurisdiction(database.db, a, { ...text, slug: `place-${n}`, kind: 'local', countryCode: 'XK', website: null, name: `Place ${n}` }) },
      { name: 'updateJurisdiction', allow: INSTANCE, run: (a) => updateJurisdiction(database.db, a, { ...text, id: f.jurisdictionId, slug: 'gjakova', kind: 'local', countryCode: 'XK', website: null, name: 'Municipality of Gjakova' }) },
      { name: 'updateJurisdictionBranding', allow: CONTENT, run: (a) => updateJurisdictionBranding(database.db, a, { jurisdictionId: f.jurisdictionId, contentLocale: 'en', portalName: 'Test Open Government', accentColor: '#1d4f91' }) },
      { name: 'createInstitution', allow: CONTENT, run: (a, n) => createInstitution(database.db, a, { ...text, jurisdictionId: f.jurisdictionId, slug: `office-${n}`, kind: 'government', website: null, name: `Office ${n}` }) },
      { name: 'updateInstitution', allow: CONTENT, run: (a) => updateInstitution(database.db, a, { ...text, id: f.leadId, slug: 'information-office', kind: 'government', website: null, name: 'Information Office' }) },
      { name: 'createActionPlan', allow: CONTENT, run: (a, n) => createActionPlan(database.db, a, { ...planInput(`plan-${n}`), jurisdictionId: f.jurisdictionId }) },
      { name: 'updateActionPlan', allow: CONTENT, run: (a) => updateActionPlan(database.db, a, { ...planInput('2024-2025'), startsOn: '2024-01-01', endsOn: '2025-12-31', id: f.planId }) },
      { name: 'createCommitment', allow: CONTENT, run: (a, n) => createCommitment(database.db, a, { ...commitment(`XKGJA${String(100 + n).padStart(4, '0')}`), actionPlanId: f.planId }) },
      { name: 'updateCommitment', allow: CONTENT, run: (a) => updateCommitment(database.db, a, { ...commitment('XKGJA0001'), commitmentId: f.commitmentId }) },
      { name: 'createMilestone', allow: CONTENT, run: (a, n) => createMilestone(database.db, a, { ...milestone(`XKGJA0001.${10 + n}`), commitmentId: f.commitmentId }) },
      { name: 'updateMilestone', allow: CONTENT, run: (a) => updateMilestone(database.db, a, { ...milestone('XKGJA0001.1'), milestoneId: f.milestoneIds[0] }) },
      {
        name: 'recordSource',
        allow: CONTENT,
        run: (a, n) =>
          recordSource(database.db, a, {
            jurisdictionId: f.jurisdictionId,
            entityType: 'commitment',
            entityId: f.commitmentId,
            source: { field: 'action', document: 'minutes', title: `Forum meeting ${n}`, rendering: 'summary' },
          }),
      },
      // Bodies and members
      { name: 'createBody', allow: BODIES, run: (a, n) => createBody(database.db, a, { ...bodyInput(`body-${n}`), jurisdictionId: f.jurisdictionId }) },
      { name: 'updateBody', allow: BODIES, prepare: aBody, run: (a, n, id) => updateBody(database.db, a, { ...bodyInput(`prepared-${n}`), texts: { name: `Renamed ${n}` }, bodyId: id }) },
      { name: 'addBodyMember', allow: BODIES, prepare: aBody, run: (a, n, id) => addBodyMember(database.db, a, { ...memberInput(`Added ${n}`), bodyId: id }) },
      { name: 'updateBodyMember', allow: BODIES, prepare: aMember, run: (a, n, id) => updateBodyMember(database.db, a, { ...memberInput(`Updated ${n}`), memberId: id }) },
      { name: 'removeBodyMember', allow: BODIES, prepare: aMember, run: (a, _n, id) => removeBodyMember(database.db, a, { memberId: id }) },
      // Consultations (issue 11, consultations part: canManageConsultations, administrators and coordinators of the jurisdiction)
      ...consultationChecks(),
      // Reporting
      { name: 'generateCycles', allow: CYCLES, run: (a) => generateCycles(database.db, a, f.planId) },
      {
        name: 'updateCycle',
        allow: CYCLES,
        run: (a) => updateCycle(database.db, a, { cycleId, locale: 'en', label: 'First quarter', periodStart: '2024-01-01', periodEnd: '2024-03-31', dueOn: '2024-04-15', status: 'open' }),
      },
      {
        name: 'saveProgressUpdate',
        allow: FILE,
        run: (a) =>
          saveProgressUpdate(database.db, a, { cycleId, commitmentId: f.commitmentId, locale: 'en', summary: 'A draft.', items: [], files: [], removeFileIds: [], submit: false, formToken: null }),
      },
      { name: 'publishProgressUpdate', allow: CYCLES, prepare: submittedUpdate, run: (a, _n, id) => publishProgressUpdate(database.db, a, { updateId: id }) },
      { name: 'returnProgressUpdate', allow: CYCLES, prepare: submittedUpdate, run: (a, _n, id) => returnProgressUpdate(database.db, a, { updateId: id, comment: 'Please add the minutes.' }) },
      // Standards: the assessment days the checklist cannot derive (a new day each run, so each allowed run changes something)
      {
        name: 'recordAssessments',
        allow: CYCLES,
        run: (a, n) =>
          recordAssessments(database.db, a, { planId: f.planId, inceptionAssessedOn: `2024-03-${String(1 + (n % 28)).padStart(2, '0')}`, endAssessedOn: { [f.commitmentId]: '' }, today: '2026-12-31' }),
      },
      // Meetings (canManageMeetings: administrators, coordinators, forum secretaries of the jurisdiction)
      { name: 'scheduleMeeting', allow: MEETINGS, run: (a, n) => scheduleMeeting(database.db, a, meetingInputFor(f.jurisdictionId, null, `2027-01-${String((n % 28) + 1).padStart(2, '0')}`)) },
      {
        name: 'updateMeeting',
        allow: MEETINGS,
        prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'scheduled'),
        run: (a, _n, id) => updateMeeting(database.db, a, id, meetingInputFor(f.jurisdictionId, null, '2027-06-01')),
      },
      { name: 'cancelMeeting', allow: MEETINGS, prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'scheduled'), run: (a, _n, id) => cancelMeeting(database.db, a, id) },
      {
        name: 'saveMeetingPreparation',
        allow: MEETINGS,
        prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'scheduled'),
        run: (a, _n, id) => saveMeetingPreparation(database.db, a, id, { contentLocale: 'en', agenda: [{ title: 'Progress', commitmentId: f.commitmentId, reportingCycleId: null }], documents: [], guests: [] }),
      },
      {
        name: 'recordMeetingOutcome',
        allow: MEETINGS,
        prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'scheduled'),
        run: (a, _n, id) => recordMeetingOutcome(database.db, a, id, { contentLocale: 'en', minutes: 'Held.', attendance: new Map(), guests: new Map() }),
      },
      {
        name: 'recordDecision',
        allow: MEETINGS,
        prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'held'),
        run: (a, _n, id) => recordDecision(database.db, a, id, { contentLocale: 'en', text: 'Decided.', votesFor: 3, votesAgainst: 0, votesAbstaining: 0, commitmentIds: [f.commitmentId] }),
      },
      {
        name: 'recordActionItem',
        allow: MEETINGS,
        prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'held'),
        run: (a, _n, id) => recordActionItem(database.db, a, id, { contentLocale: 'en', text: 'To do.', ownerInstitutionId: f.leadId, ownerMemberId: null, ownerLabel: '', dueOn: null, commitmentId: null }),
      },
      {
        name: 'followUpActionItem',
        allow: MEETINGS,
        prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'item'),
        run: (a, _n, id) => followUpActionItem(database.db, a, id, { contentLocale: 'en', note: 'Done.', status: 'done', meetingId: null }),
      },
      { name: 'approveMinutes', allow: MEETINGS, prepare: (n) => preparedMeeting(database.db, f.jurisdictionId, n, 'approvable'), run: (a, _n, id) => approveMinutes(database.db, a, id, id - 1) },
      // People (a Gjakova coordinator is invited, changed and removed)
      {
        name: 'inviteUser',
        allow: USERS,
        run: (a, n) => inviteUser(database.db, a, { email: `invited-${n}@example.org`, role: 'coordinator', jurisdictionId: f.jurisdictionId, institutionId: null }, { publicUrl: '', locale: 'en' }),
      },
      {
        name: 'updateUserRoles',
        allow: USERS,
        run: (a) =>
          updateUserRoles(database.db, a, f.users.otherHolder, [
            { role: 'commitment_holder', jurisdictionId: f.jurisdictionId, institutionId: f.otherId },
            { role: 'monitoring_member', jurisdictionId: f.jurisdictionId, institutionId: null },
          ]),
      },
      { name: 'removeUserAccess', allow: USERS, prepare: gjakovaPerson, run: (a, _n, id) => removeUserAccess(database.db, a, id) },
      // Someone else's own account: only that person (and no one here is them).
      { name: 'saveReview', allow: REVIEWS, run: (a) => saveReview(database.db, a, { cycleId, commitmentId: f.commitmentId, assessment: 'minor_delays', ratings: { completion: 'limited' }, findings: { en: 'Findings.' }, links: [] }) },
      { name: 'saveRecommendation', allow: REVIEWS, prepare: () => review(), run: (a, n, id) => saveRecommendation(database.db, a, { reviewId: id, text: { en: `Recommendation by ${n}` }, institutionId: f.leadId, dueOn: '' }) },
      { name: 'respondToRecommendation', allow: RESPOND, prepare: recommendation, run: (a, _n, id) => respondToRecommendation(database.db, a, { recommendationId: id, response: 'accepted', reasons: {} }) },
      { name: 'addFollowUp', allow: REVIEWS, prepare: recommendation, run: (a, _n, id) => addFollowUp(database.db, a, { recommendationId: id, note: { en: 'Done.' }, status: 'closed' }) },
      { name: 'publishMonitoringReport', allow: REVIEWS, prepare: () => review(), run: (a) => publishMonitoringReport(database.db, a, { cycleId, summary: {} }) },
      // Issue 11, moderation and responses (a contribution to a Gjakova consultation made for each run).
      { name: 'approveContribution', allow: MODERATE, prepare: async () => insertTestContribution(database.db, { consultationId: await ensureTestConsultation(database.db, f.jurisdictionId, 'matrix-call'), status: 'pending' }), run: (a, _n, id) => approveContribution(database.db, a, { contributionId: id }) },
      { name: 'hideContribution', allow: MODERATE, prepare: async () => insertTestContribution(database.db, { consultationId: await ensureTestConsultation(database.db, f.jurisdictionId, 'matrix-call') }), run: (a, _n, id) => hideContribution(database.db, a, { contributionId: id, reason: 'Off topic.' }, '') },
      { name: 'saveContributionResponse', allow: ANSWER, prepare: async () => insertTestContribution(database.db, { consultationId: await ensureTestConsultation(database.db, f.jurisdictionId, 'matrix-call') }), run: async (a, _n, id) => saveContributionResponse(database.db, a, { consultationId: await ensureTestConsultation(database.db, f.jurisdictionId, 'matrix-call'), contributionId: id, outcome: 'accepted', locale: 'en', reasons: 'Taken up.', shaped: '' }, '') },
      { name: 'publishResponseTable', allow: ANSWER, prepare: (n) => insertTestConsultation(database.db, { jurisdictionId: f.jurisdictionId, slug: `matrix-table-${n}` }), run: (a, _n, id) => publishResponseTable(database.db, a, { consultationId: id }, '') },
      { name: 'signOutEverywhere (another person)', allow: [], run: (a) => signOutEverywhere(database.db, a, f.users.holder) },
      { name: 'changePassword (another person)', allow: [], run: (a) => changePassword(database.db, a, f.users.holder, 'x', 'a long enough password') },
      { name: 'setAccountLanguage (another person)', allow: [], run: (a) => setAccountLanguage(database.db, a, f.users.holder, 'fr') },
      // Subscriptions (issue 11): anyone may follow something by e-mail, signed in or not, whatever their roles (the
      // confirmation link, not a role, is the authority); the commands take no actor and act as SUBSCRIBER.
      { name: 'requestSubscription (anyone)', allow: [...PEOPLE], run: (_a, n) => requestSubscription(database.db, { topic: { type: 'plan', id: f.planId }, email: `follower-${n}@example.net`, frequency: 'daily', locale: 'en', clientIp: `192.0.2.${n % 250}` }, { publicUrl: '' }) },
      // Contributions (issue 11, contributions part): the public's commands need no role (a member of
      // the public has no account), so every kind of person gets past them alike.
      { name: 'submitContribution', allow: [...PEOPLE], run: async (_a, n) => submitContribution(database.db, matrixContributionInput((await matrixConsultation(database.db)).open.id, n), { publicUrl: 'https://besa.example.org', ip: `198.19.0.${(n % 250) + 1}` }) },
      { name: 'confirmContribution', allow: [...PEOPLE], prepare: (n) => matrixUnconfirmed(database.db, n), run: (_a, _n, id) => confirmContribution(database.db, matrixToken(id), 'https://besa.example.org') },
      { name: 'flagContribution', allow: [...PEOPLE], prepare: (n) => matrixPublished(database.db, n), run: async (_a, n, id) => flagContribution(database.db, { contributionId: id, consultationId: (await matrixConsultation(database.db)).open.id, reason: 'spam', details: '', ip: `198.20.0.${(n % 250) + 1}` }, 'https://besa.example.org') },
      { name: 'eraseByLink', allow: [...PEOPLE], prepare: (n) => matrixPublished(database.db, n), run: (_a, _n, id) => eraseByLink(database.db, matrixErasureToken(id)) },
      // News (issue 12): drafts made by the system for each run; the allowed publish and withdraw one each.
      { name: 'createNewsDraft', allow: NEWS, run: (a, n) => createNewsDraft(database.db, a, newsInput(`Matrix news ${n}`)) },
      { name: 'updateNewsItem', allow: NEWS, prepare: (n) => createNewsDraft(database.db, SYSTEM, newsInput(`Matrix draft ${n}`)), run: (a, n, id) => updateNewsItem(database.db, a, id, newsInput(`Matrix edited ${n}`)) },
      { name: 'generateNewsDraft', allow: NEWS, run: (a) => generateNewsDraft(database.db, a, { jurisdiction: { id: f.jurisdictionId, slug: 'gjakova', timeZone: 'UTC' }, period: { kind: 'range', from: '2024-01-01', to: '2024-12-31' }, kind: 'press_release', publicUrl: 'https://besa.example.org' }) },
      { name: 'publishNewsItem', allow: NEWS, prepare: (n) => createNewsDraft(database.db, SYSTEM, newsInput(`Matrix publish ${n}`)), run: (a, _n, id) => publishNewsItem(database.db, a, id) },
      {
        name: 'withdrawNewsItem',
        allow: NEWS,
        prepare: async (n) => {
          const id = await createNewsDraft(database.db, SYSTEM, newsInput(`Matrix withdraw ${n}`));
          await publishNewsItem(database.db, SYSTEM, id);
          return id;
        },
        run: (a, _n, id) => withdrawNewsItem(database.db, a, id),
      },
      // API tokens (issue 12, API part): only a person for their own account; no one here is a person of their own (userId null).
      { name: 'createApiToken', allow: [], run: (a, n) => createApiToken(database.db, a, { name: `token ${n}` }) },
      { name: 'revokeApiToken', allow: [], run: (a) => revokeApiToken(database.db, a, 1) },
      // Imports (issue 12): OGP's data makes jurisdictions (instance administrators); Decidim's results go into one jurisdiction (its content managers).
      { name: 'importOgp', allow: INSTANCE, run: (a) => importOgp(database.db, a, ogpCsv(), { fileName: 'ogp.csv' }) },
      { name: 'importDecidim', allow: CONTENT, run: (a) => importDecidim(database.db, a, decidimCsvFile(), { jurisdiction: 'gjakova' }, { fileName: 'results.csv' }) },
      // Witnesses (issue 14): instance administrators only (canManageWitnesses); witnesses to change are made by the system for each run.
      { name: 'addWitness', allow: INSTANCE, run: (a, n) => addWitness(database.db, a, witnessInput(`witness.matrix.example.org/added-${n}`)) },
      { name: 'updateWitness', allow: INSTANCE, prepare: (n) => addWitness(database.db, SYSTEM, witnessInput(`witness.matrix.example.org/update-${n}`)), run: (a, n, id) => updateWitness(database.db, a, id, { url: 'https://witness.example.org/changed', operator: `Matrix changed ${n}`, policy: {} }) },
      { name: 'deactivateWitness', allow: INSTANCE, prepare: (n) => addWitness(database.db, SYSTEM, witnessInput(`witness.matrix.example.org/deactivate-${n}`)), run: (a, _n, id) => deactivateWitness(database.db, a, id) },
      {
        name: 'reactivateWitness',
        allow: INSTANCE,
        prepare: async (n) => {
          const id = await addWitness(database.db, SYSTEM, witnessInput(`witness.matrix.example.org/reactivate-${n}`));
          await deactivateWitness(database.db, SYSTEM, id);
          return id;
        },
        run: (a, _n, id) => reactivateWitness(database.db, a, id),
      },
      { name: 'setWitnessQuorum', allow: INSTANCE, prepare: (n) => setWitnessQuorum(database.db, SYSTEM, n % 2).then(() => n), run: (a, n) => setWitnessQuorum(database.db, a, (n + 1) % 2) },
    ];

    /** What a refused command must leave as it was: the audit trail and the content version. */
    async function marks(): Promise<string> {
      const events = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const version = await readContentVersion(database.db);
      return JSON.stringify([Number(events.n), version]);
    }

    let n = 0;
    for (const check of CHECKS) {
      test(`${check.name}: allowed for ${check.allow.join(', ') || 'nobody here'}, refused to everyone else`, async () => {
        const row: string[] = [];
        for (const who of PEOPLE) {
          n++;
          const id = check.prepare ? await check.prepare(n) : 0;
          const beforeMarks = await marks();
          let outcome: unknown = 'done';
          try {
            await check.run(actors[who], n, id);
          } catch (error) {
            outcome = error;
          }
          if (check.allow.includes(who)) {
            // The person passes the check; the command may still refuse the input (e.g. a duplicate),
            // but never because of the role.
            assert.ok(!(outcome instanceof ForbiddenError), `${check.name} must be allowed for ${who}`);
            row.push(`${who} ✓`);
          } else {
            // Refused: ForbiddenError; an invitation form naming a jurisdiction the person does not
            // administer is answered as a field error (the form offers only theirs).
            const refused = outcome instanceof ForbiddenError || (outcome instanceof AccountInputError && outcome.messageKey === 'accounts.error.notYourJurisdiction');
            assert.ok(refused, `${check.name} must be refused to ${who}, got ${String(outcome)}`);
            assert.equal(await marks(), beforeMarks, `${check.name} by ${who} must change nothing`);
            row.push(`${who} ✗`);
          }
        }
        seen.push(`${check.name.padEnd(36)} ${row.join('  ')}`);
      });
    }

    test('the same commands by the allowed people really ran (not refused for another reason)', async () => {
      const db = database.db;
      // Each allowed person created one jurisdiction, institution, plan, commitment, milestone and invitation.
      assert.equal((await db.selectFrom('jurisdictions').select('id').where('slug', 'like', 'place-%').execute()).length, INSTANCE.length);
      assert.equal((await db.selectFrom('institutions').select('id').where('slug', 'like', 'office-%').execute()).length, CONTENT.length);
      assert.equal((await db.selectFrom('action_plans').select('id').where('slug', 'like', 'plan-%').execute()).length, CONTENT.length);
      assert.equal((await db.selectFrom('invitations').select('id').where('email', 'like', 'invited-%').execute()).length, USERS.length);
      const published = await rdb(db).selectFrom('progress_updates').select('id').where('status', '=', 'published').execute();
      assert.equal(published.length, CYCLES.length);
      const returned = await rdb(db).selectFrom('progress_updates').select('id').where('status', '=', 'returned').execute();
      assert.equal(returned.length, CYCLES.length);
      const draft = await rdb(db).selectFrom('progress_updates').select(['status']).where('commitment_id', '=', f.commitmentId).where('cycle_id', '=', cycleId).executeTakeFirstOrThrow();
      assert.equal(draft.status, 'draft');
      const removed = await db.selectFrom('users').select('id').where('email', 'like', 'person-%').where('disabled_at', 'is not', null).execute();
      assert.equal(removed.length, USERS.length, 'removeUserAccess ran for each allowed administrator');
      // Each allowed person approved one earlier meeting's minutes and closed one action item.
      const approved = await db.withTables<{ meetings: { id: number; minutes_approved_in_id: number | null } }>().selectFrom('meetings').select('id').where('minutes_approved_in_id', 'is not', null).execute();
      assert.equal(approved.length, MEETINGS.length);
      const closed = await db.withTables<{ action_items: { id: number; status: string } }>().selectFrom('action_items').select('id').where('status', '=', 'done').execute();
      assert.equal(closed.length, MEETINGS.length);
      const bodies = await bdb(db).selectFrom('bodies').select('id').where('slug', 'like', 'body-%').execute();
      assert.equal(bodies.length, BODIES.length, 'createBody ran for each allowed person');
      const members = await bdb(db).selectFrom('body_members').select('organisation').execute();
      assert.equal(members.filter((m) => m.organisation.includes('Added ')).length, BODIES.length, 'addBodyMember ran for each allowed person');
      assert.equal(members.filter((m) => m.organisation.includes('Updated ')).length, BODIES.length, 'updateBodyMember ran for each allowed person');
      const renamed = await bdb(db).selectFrom('bodies').select('id').where('name', 'like', '%Renamed%').execute();
      assert.equal(renamed.length, BODIES.length, 'updateBody ran for each allowed person');
      const reviews = db.withTables<{ recommendations: { id: number; text: string; response: string | null }; recommendation_follow_ups: { id: number; status: string }; monitoring_reports: { id: number; status: string } }>();
      assert.equal((await reviews.selectFrom('recommendations').select('id').where('text', 'like', '%Recommendation by%').execute()).length, REVIEWS.length);
      assert.equal((await reviews.selectFrom('recommendations').select('id').where('response', '=', 'accepted').execute()).length, RESPOND.length);
      assert.equal((await reviews.selectFrom('recommendation_follow_ups').select('id').where('status', '=', 'closed').execute()).length, REVIEWS.length);
      assert.equal((await reviews.selectFrom('monitoring_reports').select('id').where('status', '=', 'published').execute()).length, 1, 'the first allowed person published it; the others found it published');
      const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', f.users.otherHolder).orderBy('role').execute();
      assert.deepEqual(roles.map((r) => r.role), ['commitment_holder', 'monitoring_member']);
      // Subscriptions (issue 11): each person's request made one subscription.
      assert.equal((await sdb(db).selectFrom('subscriptions').select('id').where('email', 'like', 'follower-%').execute()).length, PEOPLE.length);
      // News (issue 12): each allowed person wrote, edited, generated, published and withdrew one item.
      const news = await ndb(db).selectFrom('news_items').select(['title', 'status', 'generated']).execute();
      assert.equal(news.filter((i) => i.title.includes('Matrix news')).length, NEWS.length);
      assert.equal(news.filter((i) => i.title.includes('Matrix edited')).length, NEWS.length);
      assert.equal(news.filter((i) => i.generated === 1).length, NEWS.length);
      assert.equal(news.filter((i) => i.title.includes('Matrix publish') && i.status === 'published').length, NEWS.length);
      assert.equal(news.filter((i) => i.title.includes('Matrix withdraw') && i.status === 'withdrawn').length, NEWS.length);
      // Witnesses (issue 14): each allowed person added, changed, deactivated and reactivated one.
      const witnesses = await tdb(db).selectFrom('transparency_witnesses').select(['name', 'operator', 'active']).execute();
      assert.equal(witnesses.filter((w) => w.name.includes('/added-')).length, INSTANCE.length);
      assert.equal(witnesses.filter((w) => w.operator.startsWith('Matrix changed')).length, INSTANCE.length);
      assert.equal(witnesses.filter((w) => w.name.includes('/deactivate-') && Number(w.active) === 0).length, INSTANCE.length);
      assert.equal(witnesses.filter((w) => w.name.includes('/reactivate-') && Number(w.active) === 1).length, INSTANCE.length);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ForbiddenError } from '../src/modules/audit/index.js';
import {
  actorFor,
  canAccessAdmin,
  canManageContent,
  canManageJurisdictions,
  canManageUsers,
  findSessionUser,
  insertSession,
  type SessionUser,
  createApiToken,
} from '../src/modules/accounts/index.js';
import { canManageReportingCycles, canPublishProgressUpdates, canReportOnCommitment, canViewReporting } from '../src/modules/reporting/policy.js';
import { AccountInputError, inviteUser, removeUserAccess, updateUserRoles } from '../src/modules/accounts/commands.js';
import { canOpenRecommendations, canRespondToRecommendation, canWriteReviews } from '../src/modules/reviews/policy.js';
import { TINY_PNG } from './reporting-fixture.js';
import { preparedMeeting } from './meetings-fixture.js';
import { DIALECTS } from './db.js';
// Issue 11, moderation and responses:
import { canModerateAny, canRespondToContributions } from '../src/modules/participation/moderation-policy.js';
import { insertResponsesMatrixFixture, MATRIX_CONSULTATION, MATRIX_PUBLISHED } from './response-fixture.js';
import { openTestApp, type TestApp } from './app.js';
// News (issue 12)
import { canManageNews } from '../src/modules/news/policy.js';
// Witnesses (issue 14)
import { canManageWitnesses } from '../src/modules/transparency/witnesses/policy.js';
import { csrfFromSignIn, insertPeopleFixture, PEOPLE, TARGET_EMAIL, type Person } from './people-fixture.js';

/**
 * Who may open what in the administration: every admin route (GET and POST) for every kind of
 * person, on both databases. The table below is the expectation, written from the policies in
 * src/modules/accounts/policy.ts and src/modules/reporting/policy.ts; a new admin route without a
 * row here fails the test "every admin route of the app has a row".
 */

const ROLE_NAMES = PEOPLE;
type Who = Person;

// Who may do what (anonymous visitors are never allowed: they are sent to sign in).
const ANY_ROLE: Who[] = ['admin', 'otherAdmin', 'coordinator', 'holder', 'otherHolder', 'secretary', 'monitoring', 'moderator'];
/** Your own account: everyone signed in, also without a role. */
const SIGNED_IN: Who[] = [...ANY_ROLE, 'noRole'];
const INSTANCE_ADMIN: Who[] = ['admin']; // canManageJurisdictions
const GJAKOVA_CONTENT: Who[] = ['admin']; // canManageContent(gjakova)
const OTHER_CONTENT: Who[] = ['admin', 'otherAdmin']; // canManageContent(the second jurisdiction)
const USERS: Who[] = ['admin', 'otherAdmin']; // canManageUsers: an administrator of any jurisdiction
const CYCLES: Who[] = ['admin', 'coordinator']; // canManageReportingCycles(gjakova)
const VIEW_REPORTING: Who[] = ['admin', 'coordinator', 'holder', 'otherHolder']; // canViewReporting(gjakova)
const OVERVIEW: Who[] = ['admin', 'otherAdmin', 'coordinator', 'holder', 'otherHolder']; // /reporting: administrators, coordinators, holders anywhere
const FILE_0001: Who[] = ['admin', 'coordinator', 'holder']; // canReportOnCommitment(XKGJA0001) or canPublish
const FILE_0003: Who[] = ['admin', 'coordinator', 'otherHolder'];
const REVIEW: Who[] = ['admin', 'coordinator']; // canPublishProgressUpdates(gjakova)
const MEETINGS: Who[] = ['admin', 'coordinator', 'secretary']; // canManageMeetings(gjakova)
const BODIES: Who[] = ['admin', 'coordinator', 'secretary']; // canManageBodies(gjakova)
/** Issue 11, consultations part. */
const CONSULTATIONS: Who[] = ['admin', 'coordinator']; // canManageConsultations(gjakova)
const WRITE_REVIEWS: Who[] = ['admin', 'monitoring']; // canWriteReviews(gjakova)
const RECOMMENDATIONS: Who[] = ['admin', 'coordinator', 'holder', 'otherHolder', 'monitoring']; // canOpenRecommendations(gjakova)
/** The demonstration's answered recommendation (id 1, owned by the Information Office): its holder, coordinators, administrators respond; monitoring members follow up. */
const RESPOND_1: Who[] = ['admin', 'coordinator', 'holder']; // canRespondToRecommendation(gjakova, information-office)
const SEE_1: Who[] = ['admin', 'coordinator', 'holder', 'monitoring'];
// Issue 11, moderation and responses: the queue (canModerateAny: moderators and administrators anywhere; an item of another jurisdiction is a 404), the responses (canRespondToContributions(gjakova)).
const MODERATE_ANY: Who[] = ['admin', 'otherAdmin', 'moderator'];
const ANSWER: Who[] = ['admin', 'coordinator'];
/** News (issue 12): canManageNews(gjakova), administrators and coordinators of the jurisdiction. */
const NEWS: Who[] = ['admin', 'coordinator'];


const L = '/:locale/admin';
const A = '/en/admin';
const J = `${A}/jurisdictions/gjakova`;
const P = `${J}/plans/2024-2025`;
const TITLE_0001 = 'Digitalization of municipal services';
const MON = `${P}/monitoring`;
const REC = `${J}/recommendations`;

interface Row {
  method: 'GET' | 'POST';
  /** The route as registered (parameter names do not matter). */
  pattern: string;
  /** A real URL of that route, with parameters from the seeded data; `{target}`: the target user's id, `{mail}`: a failed e-mail's. */
  url: string;
  allow: Who[];
  /** Harmless input for POSTs (usually empty: the allowed get 422, or a 404 for an unknown record). */
  body?: Record<string, string>;
  /** The request deletes the person's sessions: sign them in again afterwards. */
  signsOut?: boolean;
  /** Sent as multipart/form-data with an evidence file, like the real progress update form. */
  multipart?: boolean;
}

const ROWS: Row[] = [
  // Start page, own account, two-factor
  { method: 'GET', pattern: `${L}`, url: `${A}`, allow: ANY_ROLE },
  { method: 'GET', pattern: `${L}/account`, url: `${A}/account`, allow: SIGNED_IN },
  { method: 'GET', pattern: `${L}/account/two-factor`, url: `${A}/account/two-factor`, allow: SIGNED_IN },
  { method: 'POST', pattern: `${L}/account/password`, url: `${A}/account/password`, allow: SIGNED_IN },
  { method: 'POST', pattern: `${L}/account/language`, url: `${A}/account/language`, allow: SIGNED_IN, body: { language: 'fr' } },
  { method: 'POST', pattern: `${L}/account/sign-out-everywhere`, url: `${A}/account/sign-out-everywhere`, allow: SIGNED_IN, signsOut: true },
  { method: 'POST', pattern: `${L}/account/two-factor/start`, url: `${A}/account/two-factor/start`, allow: SIGNED_IN },
  { method: 'POST', pattern: `${L}/account/two-factor/enable`, url: `${A}/account/two-factor/enable`, allow: SIGNED_IN },
  { method: 'POST', pattern: `${L}/account/two-factor/disable`, url: `${A}/account/two-factor/disable`, allow: SIGNED_IN },
  // People and roles, mail outbox
  { method: 'GET', pattern: `${L}/users`, url: `${A}/users`, allow: USERS },
  { method: 'GET', pattern: `${L}/users/invite`, url: `${A}/users/invite`, allow: USERS },
  { method: 'POST', pattern: `${L}/users/invite`, url: `${A}/users/invite`, allow: USERS },
  // The target holds a role in Gjakova only: the Prizren administrator may not see them.
  { method: 'GET', pattern: `${L}/users/:id`, url: `${A}/users/{target}`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/users/:id`, url: `${A}/users/{target}`, allow: INSTANCE_ADMIN, body: { new_role: 'not-a-role' } },
  { method: 'POST', pattern: `${L}/users/:id/remove`, url: `${A}/users/999999/remove`, allow: USERS },
  // The outbox: an administrator sees the messages to the people of their jurisdictions (all of them
  // if instance-wide). {mail} goes to the target, a Gjakova person: the Prizren administrator gets a 404
  // (see "mail outbox: …" below), the instance-wide administrator requeues it.
  { method: 'GET', pattern: `${L}/mail`, url: `${A}/mail`, allow: USERS },
  { method: 'POST', pattern: `${L}/mail/:id/retry`, url: `${A}/mail/{mail}/retry`, allow: USERS },
  // Jurisdictions
  { method: 'GET', pattern: `${L}/jurisdictions`, url: `${A}/jurisdictions`, allow: ANY_ROLE },
  { method: 'GET', pattern: `${L}/jurisdictions/new`, url: `${A}/jurisdictions/new`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/jurisdictions/new`, url: `${A}/jurisdictions/new`, allow: INSTANCE_ADMIN },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug`, url: J, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug`, url: `${A}/jurisdictions/prizren`, allow: OTHER_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/edit`, url: `${J}/edit`, allow: INSTANCE_ADMIN },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/edit`, url: `${A}/jurisdictions/prizren/edit`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/jurisdictions/:slug/edit`, url: `${J}/edit`, allow: INSTANCE_ADMIN },
  // The portal (name, emblem, colour): the jurisdiction's administrators; a refused colour keeps the POST harmless (422).
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/branding`, url: `${J}/branding`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/branding`, url: `${A}/jurisdictions/prizren/branding`, allow: OTHER_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:slug/branding`, url: `${J}/branding`, allow: GJAKOVA_CONTENT, body: { accent_color: '#ffcc00' }, multipart: true },
  // Institutions
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/institutions/new`, url: `${J}/institutions/new`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/institutions/new`, url: `${A}/jurisdictions/prizren/institutions/new`, allow: OTHER_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:slug/institutions/new`, url: `${J}/institutions/new`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/institutions/:institution/edit`, url: `${J}/institutions/information-office/edit`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:slug/institutions/:institution/edit`, url: `${J}/institutions/information-office/edit`, allow: GJAKOVA_CONTENT },
  // Plans
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/plans/new`, url: `${J}/plans/new`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/plans/new`, url: `${A}/jurisdictions/prizren/plans/new`, allow: OTHER_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:slug/plans/new`, url: `${J}/plans/new`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/plans/:plan`, url: P, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:slug/plans/:plan/edit`, url: `${P}/edit`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:slug/plans/:plan/edit`, url: `${P}/edit`, allow: GJAKOVA_CONTENT },
  // Commitments and milestones
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/new`, url: `${P}/commitments/new`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/new`, url: `${P}/commitments/new`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/edit`, url: `${P}/commitments/XKGJA0001/edit`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/edit`, url: `${P}/commitments/XKGJA0001/edit`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/sources`, url: `${P}/sources`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/sources`, url: `${P}/sources`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/sources`, url: `${P}/commitments/XKGJA0001/sources`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/sources`, url: `${P}/commitments/XKGJA0001/sources`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/milestones/new`, url: `${P}/commitments/XKGJA0001/milestones/new`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/milestones/new`, url: `${P}/commitments/XKGJA0001/milestones/new`, allow: GJAKOVA_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/milestones/:m/edit`, url: `${P}/commitments/XKGJA0001/milestones/XKGJA0001.1/edit`, allow: GJAKOVA_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/commitments/:code/milestones/:m/edit`, url: `${P}/commitments/XKGJA0001/milestones/XKGJA0001.1/edit`, allow: GJAKOVA_CONTENT },
  // Reporting
  { method: 'GET', pattern: `${L}/reporting`, url: `${A}/reporting`, allow: OVERVIEW },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles`, url: `${P}/cycles`, allow: VIEW_REPORTING },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/generate`, url: `${P}/cycles/generate`, allow: CYCLES },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number`, url: `${P}/cycles/1`, allow: VIEW_REPORTING },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/edit`, url: `${P}/cycles/1/edit`, allow: CYCLES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/edit`, url: `${P}/cycles/1/edit`, allow: CYCLES },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code`, url: `${P}/cycles/1/updates/XKGJA0001`, allow: FILE_0001 },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code`, url: `${P}/cycles/1/updates/XKGJA0003`, allow: FILE_0003 },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code`, url: `${P}/cycles/1/updates/XKGJA0001`, allow: FILE_0001 },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code`, url: `${P}/cycles/1/updates/XKGJA0003`, allow: FILE_0003 },
  {
    method: 'POST',
    pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code`,
    url: `${P}/cycles/1/updates/XKGJA0003`,
    allow: FILE_0003,
    multipart: true,
    body: { summary: 'Forbidden people must not file this.', action: 'save' },
  },
  // Publishing asks for confirmation first (the confirm page, 200); with `confirm=yes` it publishes.
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code/publish`, url: `${P}/cycles/1/updates/XKGJA0001/publish`, allow: REVIEW },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code/publish`, url: `${P}/cycles/1/updates/XKGJA0001/publish`, allow: REVIEW, body: { confirm: 'yes' } },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/cycles/:number/updates/:code/return`, url: `${P}/cycles/1/updates/XKGJA0001/return`, allow: REVIEW },
  // The standards checklist's assessment days (canRecordAssessments: administrators and coordinators).
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/standards`, url: `${P}/standards`, allow: CYCLES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/standards`, url: `${P}/standards`, allow: CYCLES },
  // Meetings (`{meeting}`: a scheduled meeting of Gjakova's forum; the allowed move it along: cancelled, then refused politely)
  { method: 'GET', pattern: `${L}/jurisdictions/:j/meetings`, url: `${J}/meetings`, allow: MEETINGS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/meetings/new`, url: `${J}/meetings/new`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/new`, url: `${J}/meetings/new`, allow: MEETINGS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/meetings/:id`, url: `${J}/meetings/{meeting}`, allow: MEETINGS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/meetings/:id/edit`, url: `${J}/meetings/{meeting}/edit`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/edit`, url: `${J}/meetings/{meeting}/edit`, allow: MEETINGS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/meetings/:id/agenda`, url: `${J}/meetings/{meeting}/agenda`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/agenda`, url: `${J}/meetings/{meeting}/agenda`, allow: MEETINGS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/meetings/:id/outcome`, url: `${J}/meetings/{meeting}/outcome`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/outcome`, url: `${J}/meetings/{meeting}/outcome`, allow: MEETINGS, body: { minutes: 'Held.' } },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/decisions`, url: `${J}/meetings/{meeting}/decisions`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/action-items`, url: `${J}/meetings/{meeting}/action-items`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/action-items/:item`, url: `${J}/meetings/{meeting}/action-items/999999`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/approve`, url: `${J}/meetings/{meeting}/approve`, allow: MEETINGS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/meetings/:id/cancel`, url: `${J}/meetings/{meeting}/cancel`, allow: MEETINGS },
  // Bodies and members (canManageBodies). Member 1 is the first demonstration member of the Forum (a
  // fresh database); empty POSTs are refused with 422 and the removal without `confirm` only asks.
  { method: 'GET', pattern: `${L}/jurisdictions/:j/bodies`, url: `${J}/bodies`, allow: BODIES },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/bodies`, url: `${A}/jurisdictions/prizren/bodies`, allow: OTHER_CONTENT },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/bodies/new`, url: `${J}/bodies/new`, allow: BODIES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/bodies/new`, url: `${J}/bodies/new`, allow: BODIES },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/bodies/:body/edit`, url: `${J}/bodies/transparency-forum/edit`, allow: BODIES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/bodies/:body/edit`, url: `${J}/bodies/transparency-forum/edit`, allow: BODIES },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/bodies/:body/members/new`, url: `${J}/bodies/transparency-forum/members/new`, allow: BODIES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/bodies/:body/members/new`, url: `${J}/bodies/transparency-forum/members/new`, allow: BODIES },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/bodies/:body/members/:member/edit`, url: `${J}/bodies/transparency-forum/members/1/edit`, allow: BODIES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/bodies/:body/members/:member/edit`, url: `${J}/bodies/transparency-forum/members/1/edit`, allow: BODIES },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/bodies/:body/members/:member/remove`, url: `${J}/bodies/transparency-forum/members/1/remove`, allow: BODIES },
  // Consultations (issue 11, consultations part): canManageConsultations, administrators and coordinators of the jurisdiction.
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations`, url: `${J}/consultations`, allow: CONSULTATIONS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations`, url: `${A}/jurisdictions/prizren/consultations`, allow: OTHER_CONTENT },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/settings`, url: `${J}/consultations/settings`, allow: CONSULTATIONS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations/new`, url: `${J}/consultations/new`, allow: CONSULTATIONS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/new`, url: `${J}/consultations/new`, allow: CONSULTATIONS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations/:consultation/edit`, url: `${J}/consultations/co-creation-2024/edit`, allow: CONSULTATIONS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/:consultation/edit`, url: `${J}/consultations/co-creation-2024/edit`, allow: CONSULTATIONS },
  // Without `confirm=yes` it only shows the confirmation page.
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/:consultation/publish`, url: `${J}/consultations/co-creation-2024/publish`, allow: CONSULTATIONS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/:consultation/documents`, url: `${J}/consultations/co-creation-2024/documents`, allow: CONSULTATIONS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/:consultation/documents/:document/remove`, url: `${J}/consultations/co-creation-2024/documents/999999/remove`, allow: CONSULTATIONS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations/:consultation/outcome`, url: `${J}/consultations/co-creation-2024/outcome`, allow: CONSULTATIONS },
  {
    method: 'POST',
    pattern: `${L}/jurisdictions/:j/consultations/:consultation/outcome`,
    url: `${J}/consultations/co-creation-2024/outcome`,
    allow: CONSULTATIONS,
    body: { content: 'en', outcome: 'The action plan of Gjakova, Kosovo, 2024–2025, submitted on 29 November 2024.' },
  },
  // Monitoring reviews (the demonstration's published report is cycle 2; recommendation 2 is on XKGJA0001)
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring`, url: MON, allow: WRITE_REVIEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number`, url: `${MON}/1`, allow: WRITE_REVIEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number/publish`, url: `${MON}/1/publish`, allow: WRITE_REVIEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number/reviews/:code`, url: `${MON}/2/reviews/XKGJA0001`, allow: WRITE_REVIEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number/reviews/:code`, url: `${MON}/2/reviews/XKGJA0001`, allow: WRITE_REVIEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number/reviews/:code/recommendations`, url: `${MON}/2/reviews/XKGJA0001/recommendations`, allow: WRITE_REVIEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number/reviews/:code/recommendations/:id`, url: `${MON}/2/reviews/XKGJA0001/recommendations/2`, allow: WRITE_REVIEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/plans/:plan/monitoring/:number/reviews/:code/recommendations/:id`, url: `${MON}/2/reviews/XKGJA0001/recommendations/2`, allow: WRITE_REVIEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/recommendations`, url: REC, allow: RECOMMENDATIONS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/recommendations/:id`, url: `${REC}/1`, allow: SEE_1 },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/recommendations/:id/response`, url: `${REC}/1/response`, allow: RESPOND_1 },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/recommendations/:id/follow-ups`, url: `${REC}/1/follow-ups`, allow: WRITE_REVIEWS },
  // Issue 11, moderation and responses (the POSTs are harmless: an unknown contribution, a form without input, the publishing confirmation page).
  { method: 'GET', pattern: `${L}/moderation`, url: `${A}/moderation`, allow: MODERATE_ANY },
  { method: 'POST', pattern: `${L}/moderation/:id/approve`, url: `${A}/moderation/999999/approve`, allow: MODERATE_ANY },
  { method: 'POST', pattern: `${L}/moderation/:id/hide`, url: `${A}/moderation/999999/hide`, allow: MODERATE_ANY },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations/:slug/responses`, url: `${J}/consultations/${MATRIX_CONSULTATION}/responses`, allow: ANSWER },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/:slug/responses/publish`, url: `${J}/consultations/${MATRIX_CONSULTATION}/responses/publish`, allow: ANSWER },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/consultations/:slug/responses/:id`, url: `${J}/consultations/${MATRIX_CONSULTATION}/responses/${MATRIX_PUBLISHED}`, allow: ANSWER },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/consultations/:slug/responses/:id`, url: `${J}/consultations/${MATRIX_CONSULTATION}/responses/${MATRIX_PUBLISHED}`, allow: ANSWER },
  // News (issue 12). The demonstration seed makes item 1 (a published press release) and item 2 (a draft);
  // the POSTs are harmless: empty forms (422), publishing what is published and withdrawing a draft (refused with a flash, 303).
  { method: 'GET', pattern: `${L}/jurisdictions/:j/news`, url: `${J}/news`, allow: NEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/news/new`, url: `${J}/news/new`, allow: NEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/news/new`, url: `${J}/news/new`, allow: NEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/news/draft`, url: `${J}/news/draft`, allow: NEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/news/draft`, url: `${J}/news/draft`, allow: NEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/news/:id`, url: `${J}/news/2`, allow: NEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/news/:id`, url: `${J}/news/2`, allow: NEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/news/:id/publish`, url: `${J}/news/2/publish`, allow: NEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/news/:id/publish`, url: `${J}/news/1/publish`, allow: NEWS },
  { method: 'GET', pattern: `${L}/jurisdictions/:j/news/:id/withdraw`, url: `${J}/news/1/withdraw`, allow: NEWS },
  { method: 'POST', pattern: `${L}/jurisdictions/:j/news/:id/withdraw`, url: `${J}/news/2/withdraw`, allow: NEWS },
  // API tokens on one's own account (issue 12, API part): an empty name is refused (422); an unknown token is a 404.
  { method: 'POST', pattern: `${L}/account/tokens`, url: `${A}/account/tokens`, allow: SIGNED_IN },
  { method: 'POST', pattern: `${L}/account/tokens/:id/revoke`, url: `${A}/account/tokens/999999/revoke`, allow: SIGNED_IN, body: { confirm: 'yes' } },
  // Issue 12, imports: instance administrators (an OGP file makes jurisdictions); the POST without a file answers 422.
  { method: 'GET', pattern: `${L}/imports`, url: `${A}/imports`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/imports`, url: `${A}/imports`, allow: INSTANCE_ADMIN },
  // Issue 14, witnesses: instance administrators (canManageWitnesses). The demonstration seed makes witnesses 1–3 (quorum 2);
  // the POSTs are harmless: empty forms (422), witness 1 deactivated then reactivated (303).
  { method: 'GET', pattern: `${L}/witnesses`, url: `${A}/witnesses`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/witnesses/quorum`, url: `${A}/witnesses/quorum`, allow: INSTANCE_ADMIN },
  { method: 'GET', pattern: `${L}/witnesses/new`, url: `${A}/witnesses/new`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/witnesses/new`, url: `${A}/witnesses/new`, allow: INSTANCE_ADMIN },
  { method: 'GET', pattern: `${L}/witnesses/:id`, url: `${A}/witnesses/1`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/witnesses/:id`, url: `${A}/witnesses/1`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/witnesses/:id/deactivate`, url: `${A}/witnesses/1/deactivate`, allow: INSTANCE_ADMIN },
  { method: 'POST', pattern: `${L}/witnesses/:id/reactivate`, url: `${A}/witnesses/1/reactivate`, allow: INSTANCE_ADMIN },
];

/** '/:locale/admin/users/:id' → '/:/admin/users/:' (parameter names differ between modules). */
function normalize(path: string): string {
  return path.replace(/:[^/]+/g, ':').replace(/\/+$/, '') || '/';
}

/** Every "METHOD path" of app.printRoutes({ commonPrefix: false }), HEAD left out. */
function registeredRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line.trimEnd());
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + match[2];
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) out.push(`${method} ${path}`);
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`role matrix of the administration [${dialect}]`, () => {
    let t: TestApp;
    const sessions = {} as Record<Who, string>;
    const userIds = {} as Record<Who, number>;
    let targetId = 0;
    let gjakovaId = 0;
    let otherJurisdictionId = 0;
    let csrf: { token: string; cookie: string };
    /** Status codes seen, by "METHOD url" and person: printed as the matrix at the end. */
    const seen = new Map<string, Partial<Record<Who | 'anonymous', number>>>();
    function note(method: string, url: string, who: Who | 'anonymous', status: number, multipart = false): void {
      const key = `${method} ${url}${multipart ? ' (multipart)' : ''}`;
      seen.set(key, { ...seen.get(key), [who]: status });
    }

    let failedMailId = 0;
    let meetingId = 0;

    function urlOf(row: Row): string {
      return row.url.replace('{target}', String(targetId)).replace('{mail}', String(failedMailId)).replace('{meeting}', String(meetingId));
    }

    /** The row as the matrix names it: the publishing confirmation is a row of its own on the same URL. */
    function noted(row: Row): string {
      return row.body?.confirm ? `${urlOf(row)} (confirmed)` : urlOf(row);
    }

    /** Every table's rows (sorted), by table: what "nothing changed" compares. */
    async function snapshot(): Promise<Map<string, string>> {
      const tables = (await t.database.db.introspection.getTables()).map((x) => x.name).filter((n) => !n.startsWith('kysely_') && n !== 'login_attempts').sort();
      const out = new Map<string, string>();
      for (const name of tables) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.database.db);
        out.set(name, rows.rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort().join('\n'));
      }
      return out;
    }

    /** The tables whose rows differ between two snapshots. */
    function changedTables(before: Map<string, string>, after: Map<string, string>, ignore: string[] = []): string[] {
      const names = new Set([...before.keys(), ...after.keys()]);
      return [...names].filter((n) => !ignore.includes(n) && before.get(n) !== after.get(n)).sort();
    }

    function get(url: string, who?: Who) {
      return t.app.inject({ method: 'GET', url, cookies: who ? { besa_session: sessions[who] } : {} });
    }

    function post(url: string, who: Who | undefined, body: Record<string, string> = {}, withCsrf = true, multipart = false) {
      const fields: Record<string, string> = withCsrf ? { _csrf: csrf.token, ...body } : body;
      const cookies: Record<string, string> = {};
      if (withCsrf) cookies._csrf = csrf.cookie;
      if (who) cookies.besa_session = sessions[who];
      if (multipart) {
        const boundary = '----besa-role-matrix';
        const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files_general"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`), TINY_PNG, Buffer.from(`\r\n--${boundary}--\r\n`));
        return t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, cookies });
      }
      return t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies });
    }

    before(async () => {
      t = await openTestApp(dialect);
      const f = await insertPeopleFixture(t.database.db);
      ({ gjakovaId, otherJurisdictionId, targetId, failedMailId } = f);
      Object.assign(userIds, f.userIds);
      Object.assign(sessions, f.sessions);
      meetingId = await preparedMeeting(t.database.db, gjakovaId, 1, 'scheduled');
      csrf = await csrfFromSignIn(t.app);
      await insertResponsesMatrixFixture(t.database.db, gjakovaId, f.planId); // Issue 11, moderation and responses
    });

    after(async () => {
      await t?.close();
    });

    test('every admin route of the app has a row in the table, and every row is a route', () => {
      const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false }))
        .filter((r) => /^[A-Z]+ \/:[^/]+\/admin(\/|$)/.test(r))
        .map((r) => {
          const [method, path] = r.split(' ');
          return `${method} ${normalize(path ?? '')}`;
        });
      assert.ok(registered.length >= 40, `found ${registered.length} admin routes in printRoutes`);
      const inTable = new Set(ROWS.map((r) => `${r.method} ${normalize(r.pattern)}`));
      const missing = [...new Set(registered)].filter((r) => !inTable.has(r));
      assert.deepEqual(missing, [], 'admin routes without a row in the role matrix');
      const stale = [...inTable].filter((r) => !registered.includes(r));
      assert.deepEqual(stale, [], 'rows for routes the app does not have');
    });

    test('anonymous visitors: every GET redirects to sign in and shows no data', async () => {
      const wrong: string[] = [];
      for (const row of ROWS.filter((r) => r.method === 'GET')) {
        const res = await get(urlOf(row));
        note('GET', urlOf(row), 'anonymous', res.statusCode);
        const location = String(res.headers.location ?? '');
        if (res.statusCode !== 303 || !location.startsWith('/en/login')) wrong.push(`GET ${urlOf(row)}: ${res.statusCode} ${location}`);
        if (res.body.includes(TITLE_0001) || res.body.includes(TARGET_EMAIL)) wrong.push(`GET ${urlOf(row)}: body shows seeded data`);
      }
      assert.deepEqual(wrong, []);
    });

    test('anonymous visitors: every POST (with or without a CSRF token) is refused and changes nothing', async () => {
      const wrong: string[] = [];
      const before = await snapshot();
      for (const row of ROWS.filter((r) => r.method === 'POST')) {
        for (const withCsrf of [false, true]) {
          const res = await post(urlOf(row), undefined, row.body, withCsrf, row.multipart);
          if (withCsrf) note('POST', noted(row), 'anonymous', res.statusCode, row.multipart);
          const location = String(res.headers.location ?? '');
          const ok = (res.statusCode === 303 && location.startsWith('/en/login')) || res.statusCode === 403;
          if (!ok) wrong.push(`POST ${urlOf(row)} (csrf: ${withCsrf}): ${res.statusCode} ${location}`);
        }
      }
      assert.deepEqual(wrong, []);
      assert.deepEqual(changedTables(before, await snapshot()), [], 'an anonymous POST changed the database');
    });

    // Before the per-person tests below, while the message is still failed (the instance-wide administrator requeues it).
    test("mail outbox: the Prizren administrator neither sees nor retries a Gjakova person's failed message (404, nothing changed)", async () => {
      const list = await get(`${A}/mail`, 'otherAdmin');
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(`id="mail-${failedMailId}"`), 'not listed');
      assert.match(list.body, /Failed \(0\)/, 'not counted');
      const before = await snapshot();
      const retry = await post(`${A}/mail/${failedMailId}/retry`, 'otherAdmin');
      assert.equal(retry.statusCode, 404);
      assert.deepEqual(changedTables(before, await snapshot()), [], 'a retry outside the scope changed the database');
      const all = await get(`${A}/mail`, 'admin');
      assert.ok(all.body.includes(`id="mail-${failedMailId}"`), 'the instance-wide administrator sees it');
    });

    // The forbidden go first, the coordinator and the administrator last: they publish the submitted update.
    const ORDER: Who[] = ['noRole', 'moderator', 'monitoring', 'secretary', 'otherHolder', 'holder', 'otherAdmin', 'coordinator', 'admin'];
    assert.deepEqual([...ORDER].sort(), [...ROLE_NAMES].sort());
    for (const who of ORDER) {
      test(`${who}: GET is 200 where the policy allows and 403 elsewhere`, async () => {
        const wrong: string[] = [];
        for (const row of ROWS.filter((r) => r.method === 'GET')) {
          const expected = row.allow.includes(who) ? 200 : 403;
          const res = await get(urlOf(row), who);
          note('GET', urlOf(row), who, res.statusCode);
          if (res.statusCode !== expected) wrong.push(`GET ${urlOf(row)}: expected ${expected}, got ${res.statusCode}`);
          if (res.statusCode === 403 && (res.body.includes(TITLE_0001) || res.body.includes(TARGET_EMAIL))) wrong.push(`GET ${urlOf(row)}: 403 page shows seeded data`);
        }
        assert.deepEqual(wrong, []);
      });

      test(`${who}: POST is 403 and changes nothing where the policy forbids, and is never 403/500 where it allows`, async () => {
        const wrong: string[] = [];
        for (const row of ROWS.filter((r) => r.method === 'POST')) {
          const allowed = row.allow.includes(who);
          const before = allowed ? undefined : await snapshot();
          const res = await post(urlOf(row), who, row.body, true, row.multipart);
          note('POST', noted(row), who, res.statusCode, row.multipart);
          if (allowed) {
            if (res.statusCode === 403 || res.statusCode >= 500) wrong.push(`POST ${urlOf(row)}: allowed, got ${res.statusCode}`);
          } else {
            if (res.statusCode !== 403) wrong.push(`POST ${urlOf(row)}: expected 403, got ${res.statusCode}`);
            const changed = changedTables(before!, await snapshot());
            if (changed.length) wrong.push(`POST ${urlOf(row)}: forbidden, yet ${changed.join(', ')} changed`);
          }
          if (row.signsOut) sessions[who] = await insertSession(t.database.db, userIds[who]);
        }
        assert.deepEqual(wrong, []);
      });
    }

    test('the sets of the table are what the policy functions say', async () => {
      const { db } = t.database;
      const leadsOf = async (code: string) =>
        (
          await db
            .selectFrom('commitment_institutions')
            .innerJoin('commitments', 'commitments.id', 'commitment_institutions.commitment_id')
            .select('commitment_institutions.institution_id as id')
            .where('commitments.code', '=', code)
            .where('commitment_institutions.role', '=', 'lead')
            .execute()
        ).map((r) => r.id);
      const leads0001 = await leadsOf('XKGJA0001');
      const leads0003 = await leadsOf('XKGJA0003');
      const wrong: string[] = [];
      for (const who of ROLE_NAMES) {
        const user = await findSessionUser(db, sessions[who]);
        const checks: [string, boolean, Who[]][] = [
          ['canAccessAdmin', canAccessAdmin(user), ANY_ROLE],
          ['canManageJurisdictions', canManageJurisdictions(user), INSTANCE_ADMIN],
          ['canManageContent(gjakova)', canManageContent(user, gjakovaId), GJAKOVA_CONTENT],
          ['canManageContent(prizren)', canManageContent(user, otherJurisdictionId), OTHER_CONTENT],
          ['canManageUsers', canManageUsers(user), USERS],
          ['canManageReportingCycles(gjakova)', canManageReportingCycles(user, gjakovaId), CYCLES],
          ['canViewReporting(gjakova)', canViewReporting(user, gjakovaId), VIEW_REPORTING],
          ['canReportOnCommitment(XKGJA0001)', canReportOnCommitment(user, gjakovaId, leads0001), FILE_0001],
          ['canReportOnCommitment(XKGJA0003)', canReportOnCommitment(user, gjakovaId, leads0003), FILE_0003],
          ['canPublishProgressUpdates(gjakova)', canPublishProgressUpdates(user, gjakovaId), REVIEW],
          ['canWriteReviews(gjakova)', canWriteReviews(user, gjakovaId), WRITE_REVIEWS],
          ['canOpenRecommendations(gjakova)', canOpenRecommendations(user, gjakovaId), RECOMMENDATIONS],
          ['canRespondToRecommendation(information-office)', canRespondToRecommendation(user, gjakovaId, leads0001[0] ?? null), RESPOND_1],
          // Issue 11, moderation and responses:
          ['canModerateAny', canModerateAny(user), MODERATE_ANY],
          ['canRespondToContributions(gjakova)', canRespondToContributions(user, gjakovaId), ANSWER],
          // News (issue 12):
          ['canManageNews(gjakova)', canManageNews(user, gjakovaId), NEWS],
          // Witnesses (issue 14):
          ['canManageWitnesses', canManageWitnesses(user), INSTANCE_ADMIN],
        ];
        for (const [name, got, set] of checks) if (got !== set.includes(who)) wrong.push(`${name} for ${who}: policy ${got}, table ${set.includes(who)}`);
      }
      assert.deepEqual(wrong, []);
    });

    test('the matrix (status codes seen, printed as diagnostics)', (ctx) => {
      const columns = ['anonymous', ...ROLE_NAMES] as const;
      ctx.diagnostic(`matrix ${columns.join(' ')}`);
      for (const [route, statuses] of seen) ctx.diagnostic(`matrix ${route.replace(`/users/${targetId}`, '/users/{target}').replace(`/mail/${failedMailId}/`, '/mail/{mail}/')} ${columns.map((c) => statuses[c] ?? '-').join(' ')}`);
      assert.ok(seen.size >= ROWS.length);
    });

    test('user administration: an administrator of another jurisdiction cannot change or remove a Gjakova person', async () => {
      const before = await snapshot();
      const remove = await post(`${A}/users/${targetId}/remove`, 'otherAdmin');
      assert.equal(remove.statusCode, 403);
      // The target holds a role in Gjakova only, so the Prizren administrator may not even see them.
      const roles = await post(`${A}/users/${targetId}`, 'otherAdmin', {});
      assert.equal(roles.statusCode, 403);
      const grant = await post(`${A}/users/${targetId}`, 'otherAdmin', { new_role: 'coordinator', new_jurisdiction: String(gjakovaId) });
      assert.equal(grant.statusCode, 403);
      const list = await t.app.inject({ url: `${A}/users`, cookies: { besa_session: sessions.otherAdmin } });
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(TARGET_EMAIL), 'the Prizren administrator does not see Gjakova people');
      const invite = await post(`${A}/users/invite`, 'otherAdmin', { email: 'someone.new@example.org', role: 'coordinator', jurisdiction: String(gjakovaId) });
      assert.equal(invite.statusCode, 422);
      const everywhere = await post(`${A}/users/invite`, 'otherAdmin', { email: 'someone.new@example.org', role: 'coordinator', jurisdiction: '' });
      assert.equal(everywhere.statusCode, 422);
      const rolesOf = await t.database.db.selectFrom('user_roles').select(['role', 'jurisdiction_id']).where('user_id', '=', targetId).execute();
      assert.deepEqual(rolesOf, [{ role: 'monitoring_member', jurisdiction_id: gjakovaId }]);
      // Nothing changed, except the content version: every command bumps it, even one that changes nothing.
      assert.deepEqual(changedTables(before, await snapshot(), ['cache_state']), []);
    });

    test('commands that take the acting person check the role themselves (accounts)', async () => {
      const { db } = t.database;
      const sessionUser = async (who: Who): Promise<SessionUser> => {
        const user = await findSessionUser(db, sessions[who]);
        assert.ok(user, who);
        return user;
      };
      const before = await snapshot();
      const mail = { publicUrl: 'https://besa.example.org', locale: 'en' as const };
      for (const who of ['coordinator', 'moderator', 'otherAdmin', 'holder'] as const) {
        const by = await sessionUser(who);
        const actor = actorFor(by);
        await assert.rejects(
          inviteUser(db, actor, { email: `invited.by.${who.toLowerCase()}@example.org`, role: 'moderator', jurisdictionId: gjakovaId, institutionId: null }, mail),
          who === 'otherAdmin' ? AccountInputError : ForbiddenError,
          `inviteUser by ${who}`,
        );
        await assert.rejects(
          updateUserRoles(db, actor, targetId, [
            { role: 'monitoring_member', jurisdictionId: gjakovaId, institutionId: null },
            { role: 'coordinator', jurisdictionId: gjakovaId, institutionId: null },
          ]),
          ForbiddenError,
          `updateUserRoles by ${who}`,
        );
        await assert.rejects(removeUserAccess(db, actor, targetId), ForbiddenError, `removeUserAccess by ${who}`);
      }
      // Instance-wide roles need an instance-wide administrator.
      const otherAdmin = await sessionUser('otherAdmin');
      await assert.rejects(
        inviteUser(db, actorFor(otherAdmin), { email: 'everywhere@example.org', role: 'administrator', jurisdictionId: null, institutionId: null }, mail),
        AccountInputError,
      );
      assert.deepEqual(changedTables(before, await snapshot()), [], 'a refused command changed the database');
    });

    // Issue 12, API part: the write API files a progress update as the token's person, with the web form's policy.
    test('the write API (POST /api/v1/commitments/{id}/updates): each person with their own token, allowed exactly as the form (FILE_0001)', async () => {
      const { db } = t.database;
      const commitment = await db
        .selectFrom('commitments')
        .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
        .select('commitments.id')
        .where('action_plans.jurisdiction_id', '=', gjakovaId)
        .where('commitments.code', '=', 'XKGJA0001')
        .executeTakeFirstOrThrow();
      const url = `/api/v1/commitments/${commitment.id}/updates`;
      const body = { cycle: 1, language: 'en', summary: 'Filed through the API.', items: [] };
      const wrong: string[] = [];
      const before = await snapshot();
      const anonymous = await t.app.inject({ method: 'POST', url, payload: body });
      const cookieOnly = await t.app.inject({ method: 'POST', url, payload: body, cookies: { besa_session: sessions.admin } });
      note('POST', `${url} (API)`, 'anonymous', anonymous.statusCode);
      if (anonymous.statusCode !== 401) wrong.push(`anonymous: ${anonymous.statusCode}`);
      if (cookieOnly.statusCode !== 401) wrong.push(`a session cookie instead of a token: ${cookieOnly.statusCode}`);
      assert.deepEqual(changedTables(before, await snapshot()), [], 'a refused API request changed the database');
      for (const who of ORDER) {
        const user = await findSessionUser(db, sessions[who]);
        assert.ok(user, who);
        const { token } = await createApiToken(db, actorFor(user), { name: `matrix ${who}` });
        const allowed = FILE_0001.includes(who);
        const beforeOne = allowed ? undefined : await snapshot();
        const res = await t.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${token}` } });
        note('POST', `${url} (API)`, who, res.statusCode);
        if (allowed) {
          if ([401, 403].includes(res.statusCode) || res.statusCode >= 500) wrong.push(`${who}: allowed, got ${res.statusCode} ${res.body}`);
        } else {
          if (res.statusCode !== 403) wrong.push(`${who}: expected 403, got ${res.statusCode}`);
          // Only the token's own "last used" moment may change.
          const changed = changedTables(beforeOne!, await snapshot(), ['api_tokens']);
          if (changed.length) wrong.push(`${who}: forbidden, yet ${changed.join(', ')} changed`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}

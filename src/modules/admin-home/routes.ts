import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { sendHtml } from '../../plugins/locale.js';
import { adminContext, canManageContent, canManageJurisdictions, canManageUsers, describeRolesOf } from '../accounts/index.js';
import { canManageBodies } from '../bodies/index.js';
import { listJurisdictions } from '../jurisdictions/commands.js';
import { canOpenReportingOverview, countsOf, reportingTasksOf } from '../reporting/index.js';
import { canManageMeetings } from '../meetings/index.js';
import { reviewsHomeLinks } from '../reviews/index.js';
import { participationHomeOf } from '../participation/moderation-home.js';
import { canManageConsultations } from '../participation/consultation-policy.js';
import { canManageNews } from '../news/index.js';
import { canManageWitnesses } from '../transparency/witnesses/policy.js';
import { AdminHomePage } from './views.js';

/** GET /{locale}/admin: the administration's start page. */
export function adminHomeRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/', async (request, reply) => {
      const ctx = adminContext(request, reply);
      const user = request.user!;
      const all = await listJurisdictions(db);
      const jurisdictions = all.filter((j) => canManageContent(user, j.id));
      const data = {
        roles: await describeRolesOf(db, ctx, user.id),
        jurisdictions,
        canCreateJurisdiction: canManageJurisdictions(user),
        canManageUsers: canManageUsers(user),
        meetings: all.filter((j) => canManageMeetings(user, j.id)),
        canOpenReporting: canOpenReportingOverview(user),
        bodies: all.filter((j) => canManageBodies(user, j.id)),
        consultations: all.filter((j) => canManageConsultations(user, j.id)),
        news: all.filter((j) => canManageNews(user, j.id)),
        canImport: canManageJurisdictions(user),
        canManageWitnesses: canManageWitnesses(user),
        reporting: canOpenReportingOverview(user) ? countsOf(await reportingTasksOf(db, user, app.pageCache.today())) : undefined,
        reviews: await reviewsHomeLinks(db, user),
        participation: await participationHomeOf(db, user, app.pageCache.today()),
      };
      return sendHtml(reply, AdminHomePage({ ctx, data }) as string);
    });
  };
}

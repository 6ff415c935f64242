import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { sendHtml } from '../../plugins/locale.js';
import { adminContext, canManageContent, canManageJurisdictions, canManageUsers } from '../accounts/index.js';
import { listJurisdictions } from '../jurisdictions/commands.js';
import { canOpenReportingOverview } from '../reporting/index.js';
import { AdminHomePage } from './views.js';

/** GET /{locale}/admin: the administration's start page. */
export function adminHomeRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/', async (request, reply) => {
      const ctx = adminContext(request, reply);
      const jurisdictions = (await listJurisdictions(db)).filter((j) => canManageContent(request.user, j.id));
      return sendHtml(reply, AdminHomePage({ ctx, data: { jurisdictions, canCreateJurisdiction: canManageJurisdictions(request.user), canManageUsers: canManageUsers(request.user), canOpenReporting: canOpenReportingOverview(request.user) } }) as string);
    });
  };
}

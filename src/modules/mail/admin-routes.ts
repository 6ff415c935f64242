import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { adminContext, requestActor } from '../accounts/index.js';
import { retryFailedMail } from './commands.js';
import { outboxAccess } from './policy.js';
import { MailAdminPage, MailForbiddenPage } from './admin-views.js';
import { countByStatus, listOutbox, OUTBOX_STATUSES, type OutboxStatus } from './repository.js';
import { MAX_ATTEMPTS } from './worker.js';

const PAGE_SIZE = 50;

function forbidden(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendHtml(reply, MailForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
}

/** GET /{locale}/admin/mail and POST /{locale}/admin/mail/{id}/retry, inside the admin scope. */
export function mailAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/mail', async (request, reply) => {
      const access = await outboxAccess(db, request.user);
      if (!access) return forbidden(request, reply);
      const { scope } = access;
      const query = request.query as { status?: string; before?: string };
      const status = OUTBOX_STATUSES.includes(query.status as OutboxStatus) ? (query.status as OutboxStatus) : undefined;
      const before = query.before && /^\d{1,15}$/.test(query.before) ? Number(query.before) : undefined;
      const [rows, counts] = await Promise.all([
        listOutbox(db, { scope, ...(status ? { status } : {}), ...(before !== undefined ? { beforeId: before } : {}), limit: PAGE_SIZE + 1 }),
        countByStatus(db, scope),
      ]);
      const items = rows.slice(0, PAGE_SIZE);
      const ctx = adminContext(request, reply);
      return sendHtml(
        reply,
        MailAdminPage({
          ctx,
          data: {
            items,
            counts,
            status,
            olderThan: rows.length > PAGE_SIZE ? items[items.length - 1]?.id : undefined,
            paged: before !== undefined,
            maxAttempts: MAX_ATTEMPTS,
            jurisdictions: 'all' in scope ? undefined : access.jurisdictions,
          },
        }) as string,
      );
    });

    app.post('/mail/:id/retry', { preHandler: app.csrfProtection }, async (request, reply) => {
      const access = await outboxAccess(db, request.user);
      if (!access) return forbidden(request, reply);
      const { id: raw, locale } = request.params as { id: string; locale: string };
      if (!/^\d{1,15}$/.test(raw)) throw new NotFoundError();
      // A message outside the administrator's part of the outbox is as missing as one that never was (404).
      const requeued = await retryFailedMail(db, requestActor(request), Number(raw));
      setFlash(reply, requeued ? 'mailAdmin.retried' : 'mailAdmin.notFailed');
      return reply.redirect(`/${locale}/admin/mail`, 303);
    });
  };
}

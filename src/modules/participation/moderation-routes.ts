import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { formValues, unstorableErrors, type FormErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage } from '../../ui/admin.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, requestActor } from '../accounts/index.js';
import { approveContribution, hideContribution, ModerationInputError } from './moderation-commands.js';
import { canModerateAny, canModerateContributions, canRespondToContributions, moderatedJurisdictions } from './moderation-policy.js';
import { findModeratedContribution, loadModerationQueue } from './moderation-queries.js';
import { ModerationQueuePage, moderationPath } from './moderation-views.js';

/**
 * The moderation queue, /{locale}/admin/moderation (moderators and administrators; each sees the
 * contributions of the jurisdictions they moderate, an instance-wide role all of them), and its
 * actions: approve or restore, hide with a reason. A contribution outside the person's
 * jurisdictions is a 404, as if it did not exist.
 */
export function moderationAdminRoutes(db: Db, publicUrl: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    async function renderQueue(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, form?: { values: FormValues; errors: FormErrors; id: number }) {
      const queue = await loadModerationQueue(db, request.user);
      const labels: Record<string, string> = {};
      if (form) labels[`reason_${form.id}`] = ctx.t('moderation.field.reason', { id: form.id });
      return sendHtml(
        reply,
        ModerationQueuePage({
          ctx,
          queue,
          showJurisdiction: moderatedJurisdictions(request.user) === 'all' || (moderatedJurisdictions(request.user) as number[]).length > 1,
          canRespond: (id) => canRespondToContributions(request.user, id),
          values: form?.values,
          errors: form?.errors,
          labels,
        }) as string,
        form ? 422 : 200,
      );
    }

    /** The contribution, if the person moderates its jurisdiction; a 403 for someone who moderates nowhere. */
    async function loadItem(request: FastifyRequest, reply: FastifyReply, ctx: PageContext) {
      if (!canModerateAny(request.user)) {
        sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
        return undefined;
      }
      const raw = (request.params as { id: string }).id;
      if (!/^\d{1,9}$/.test(raw)) throw new NotFoundError();
      const item = await findModeratedContribution(db, Number(raw));
      if (!item || item.status === 'unconfirmed' || !canModerateContributions(request.user, item.jurisdiction_id)) throw new NotFoundError();
      return item;
    }

    app.get('/moderation', async (request, reply) => {
      const ctx = adminContext(request, reply);
      if (!canModerateAny(request.user)) return sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
      return renderQueue(request, reply, ctx);
    });

    app.post('/moderation/:id/approve', { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const item = await loadItem(request, reply, ctx);
      if (!item) return reply;
      const { from } = await approveContribution(db, requestActor(request, item.jurisdiction_id), { contributionId: item.id });
      setFlash(reply, from === 'hidden' ? 'moderation.flash.restored' : from === 'published' ? 'moderation.flash.unchanged' : 'moderation.flash.approved');
      return reply.redirect(`${moderationPath(ctx.locale)}#contribution-${item.id}`, 303);
    });

    app.post('/moderation/:id/hide', { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const item = await loadItem(request, reply, ctx);
      if (!item) return reply;
      const field = `reason_${item.id}`;
      const values = formValues(request.body);
      const early = unstorableErrors(values);
      try {
        if (early.any) throw new ModerationInputError(early);
        await hideContribution(db, requestActor(request, item.jurisdiction_id), { contributionId: item.id, reason: values[field] ?? '', field }, publicUrl);
      } catch (error) {
        if (!(error instanceof ModerationInputError)) throw error;
        return renderQueue(request, reply, ctx, { values, errors: error.errors, id: item.id });
      }
      setFlash(reply, 'moderation.flash.hidden');
      return reply.redirect(`${moderationPath(ctx.locale)}#contribution-${item.id}`, 303);
    });
  };
}

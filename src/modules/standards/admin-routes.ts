import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage } from '../../ui/admin.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import { commitmentField, recordAssessments, StandardsInputError } from './commands.js';
import { canRecordAssessments } from './policy.js';
import { AssessmentsPage, assessmentsPath, type AssessmentsScope } from './admin-views.js';
import { sdb } from './tables.js';

/**
 * The assessment days the checklist cannot derive, under /{locale}/admin (behind the admin guard):
 * the plan's inception assessment and each commitment's end-of-commitment assessment, recorded by
 * administrators and coordinators of the jurisdiction.
 */

interface Loaded {
  jurisdictionId: number;
  planId: number;
  scope: AssessmentsScope;
  stored: FormValues;
}

async function load(db: Db, request: FastifyRequest): Promise<Loaded> {
  const params = request.params as { jurisdiction: string; plan: string };
  const row = await sdb(db)
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.id', 'action_plans.slug', 'action_plans.title', 'action_plans.submitted_on', 'action_plans.inception_assessed_on', 'jurisdictions.id as jurisdiction_id', 'jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name'])
    .where('jurisdictions.slug', '=', params.jurisdiction)
    .where('action_plans.slug', '=', params.plan)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  const commitments = await sdb(db).selectFrom('commitments').select(['id', 'code', 'title', 'ends_on', 'end_assessed_on']).where('action_plan_id', '=', row.id).orderBy('position').orderBy('code').execute();
  const stored: FormValues = { inception_assessed_on: row.inception_assessed_on ?? '' };
  for (const c of commitments) stored[commitmentField(c.id)] = c.end_assessed_on ?? '';
  return {
    jurisdictionId: row.jurisdiction_id,
    planId: row.id,
    scope: {
      jurisdiction: { slug: row.jurisdiction_slug, name: parseTranslatable(row.jurisdiction_name) },
      plan: { slug: row.slug, title: parseTranslatable(row.title), submittedOn: row.submitted_on },
      commitments: commitments.map((c) => ({ id: c.id, code: c.code, title: parseTranslatable(c.title), endsOn: c.ends_on })),
      canManageContent: canManageContent(request.user, row.jurisdiction_id),
    },
    stored,
  };
}

function forbidden(reply: FastifyReply, ctx: ReturnType<typeof adminContext>): FastifyReply {
  return sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
}

export function standardsAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const PATH = '/jurisdictions/:jurisdiction/plans/:plan/standards';

    app.get(PATH, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const loaded = await load(db, request);
      if (!canRecordAssessments(request.user, loaded.jurisdictionId)) return forbidden(reply, ctx);
      return sendHtml(reply, AssessmentsPage({ ctx, scope: loaded.scope, values: loaded.stored }) as string);
    });

    app.post(PATH, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const loaded = await load(db, request);
      if (!canRecordAssessments(request.user, loaded.jurisdictionId)) return forbidden(reply, ctx);
      const form = formValues(request.body);
      const values: FormValues = { inception_assessed_on: (form.inception_assessed_on ?? '').trim() };
      const endAssessedOn: Record<number, string> = {};
      for (const c of loaded.scope.commitments) {
        const field = commitmentField(c.id);
        // A field left out of the form leaves the stored day as it is.
        if (form[field] === undefined) {
          values[field] = loaded.stored[field] ?? '';
          continue;
        }
        values[field] = (form[field] ?? '').trim();
        endAssessedOn[c.id] = values[field]!;
      }
      if (form.inception_assessed_on === undefined) values.inception_assessed_on = loaded.stored.inception_assessed_on ?? '';
      const refused = unstorableErrors(form);
      if (refused.any) return sendHtml(reply, AssessmentsPage({ ctx, scope: loaded.scope, values, errors: refused }) as string, 422);
      try {
        await recordAssessments(db, requestActor(request, loaded.jurisdictionId), {
          planId: loaded.planId,
          inceptionAssessedOn: values.inception_assessed_on ?? '',
          endAssessedOn,
          today: app.pageCache.today(),
        });
      } catch (error) {
        if (!(error instanceof StandardsInputError)) throw error;
        return sendHtml(reply, AssessmentsPage({ ctx, scope: loaded.scope, values, errors: error.errors }) as string, 422);
      }
      setFlash(reply, 'standards.flash.saved');
      return reply.redirect(assessmentsPath(ctx.locale, loaded.scope.jurisdiction.slug, loaded.scope.plan.slug), 303);
    });
  };
}

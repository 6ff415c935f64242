import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { FormErrors, formValues, type FormValues } from '../../lib/forms.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage } from '../../ui/admin.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import { recordSource } from './commands.js';
import { PROVENANCE_FIELDS, RENDERINGS, SOURCE_DOCUMENTS, type Rendering, type SourceDocument } from './domain.js';
import { provenanceOf } from './queries.js';
import { recordedByField, SourcesPage, sourcesPageName } from './admin-views.js';
import type { SourceInput } from './commands.js';

/**
 * Admins record where a plan's or a commitment's text or fact comes from (a document, a link, a
 * meeting's minutes), mounted under /{locale}/admin behind the administrator guard. Each source is
 * published in the record's history (provenance.recorded).
 */

const PLAN = '/jurisdictions/:jurisdiction/plans/:plan/sources';
const COMMITMENT = '/jurisdictions/:jurisdiction/plans/:plan/commitments/:code/sources';
const LANGUAGES = ['sq', 'sr-Latn', 'en', 'fr'];

interface Target {
  jurisdictionId: number;
  entityType: 'action_plan' | 'commitment';
  entityId: number;
  name: string;
  crumbs: { href?: string; label: string }[];
  action: string;
}

async function loadTarget(db: Db, request: FastifyRequest, reply: FastifyReply, kind: 'action_plan' | 'commitment'): Promise<Target | undefined> {
  const ctx = adminContext(request, reply);
  const params = request.params as { jurisdiction: string; plan: string; code?: string };
  const jurisdiction = await db.selectFrom('jurisdictions').select(['id', 'slug']).where('slug', '=', params.jurisdiction).executeTakeFirst();
  if (!jurisdiction) throw new NotFoundError();
  if (!canManageContent(request.user, jurisdiction.id)) {
    sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
    return undefined;
  }
  const plan = await db.selectFrom('action_plans').select(['id', 'slug', 'title']).where('jurisdiction_id', '=', jurisdiction.id).where('slug', '=', params.plan).executeTakeFirst();
  if (!plan) throw new NotFoundError();
  const base = `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction.slug)}/plans/${encodeURIComponent(plan.slug)}`;
  const planName = sourcesPageName(ctx.locale, parseTranslatable(plan.title));
  const crumbs = [
    { href: `/${ctx.locale}/admin`, label: ctx.t('provenance.admin.admin') },
    { href: `${base}/edit`, label: planName },
  ];
  if (kind === 'action_plan') return { jurisdictionId: jurisdiction.id, entityType: kind, entityId: plan.id, name: planName, crumbs, action: `${base}/sources` };
  const commitment = await db.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', plan.id).where('code', '=', params.code ?? '').executeTakeFirst();
  if (!commitment) throw new NotFoundError();
  const path = `${base}/commitments/${encodeURIComponent(commitment.code)}`;
  return {
    jurisdictionId: jurisdiction.id,
    entityType: kind,
    entityId: commitment.id,
    name: sourcesPageName(ctx.locale, parseTranslatable(commitment.title), commitment.code),
    crumbs: [...crumbs, { href: `${path}/edit`, label: commitment.code }],
    action: `${path}/sources`,
  };
}

/** Reads and checks the form; the command records exactly what passed. */
function readSourceForm(values: FormValues, entityType: 'action_plan' | 'commitment'): { source?: SourceInput; errors: FormErrors } {
  const errors = new FormErrors();
  const field = (values.field ?? '').trim();
  const document = (values.document ?? '').trim();
  const rendering = (values.rendering ?? '').trim();
  const language = (values.language ?? '').trim();
  const url = (values.url ?? '').trim();
  const title = (values.title ?? '').trim();
  const section = (values.section ?? '').trim();
  const note = (values.note ?? '').trim();
  if (!(PROVENANCE_FIELDS[entityType] as readonly string[]).includes(field)) errors.add('field', 'form.error.choice');
  if (!(SOURCE_DOCUMENTS as readonly string[]).includes(document)) errors.add('document', 'form.error.choice');
  if (url && !/^https?:\/\/[^\s]+$/i.test(url)) errors.add('url', 'provenance.admin.error.url');
  else if (document === 'link' && !url) errors.add('url', 'provenance.admin.error.url');
  if (['document', 'minutes'].includes(document) && !title) errors.add('title', 'provenance.admin.error.title');
  if (!(RENDERINGS as readonly string[]).includes(rendering)) errors.add('rendering', 'form.error.choice');
  if (language && !LANGUAGES.includes(language)) errors.add('language', 'form.error.choice');
  if (title.length > 500) errors.add('title', 'provenance.admin.error.length');
  if (section.length > 500) errors.add('section', 'provenance.admin.error.length');
  if (note.length > 2000) errors.add('note', 'provenance.admin.error.length');
  if (errors.any) return { errors };
  return {
    errors,
    source: {
      field,
      document: document as SourceDocument,
      rendering: rendering as Rendering,
      title,
      url: url || null,
      section,
      language: language || null,
      note: {},
    },
  };
}

export function provenanceAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    async function render(request: FastifyRequest, reply: FastifyReply, target: Target, values: FormValues, errors?: FormErrors) {
      const ctx = adminContext(request, reply);
      const provenance = await provenanceOf(db, { [target.entityType]: [target.entityId] });
      const recorded = recordedByField(target.entityType, (field) => provenance.get(target.entityType, target.entityId, field));
      return sendHtml(
        reply,
        SourcesPage({ ctx, entityType: target.entityType, name: target.name, crumbs: target.crumbs, action: target.action, recorded, values, errors }) as string,
        errors?.any ? 422 : 200,
      );
    }

    for (const [path, kind] of [
      [PLAN, 'action_plan'],
      [COMMITMENT, 'commitment'],
    ] as const) {
      app.get(path, async (request, reply) => {
        const target = await loadTarget(db, request, reply, kind);
        if (!target) return reply;
        // Nothing is pre-selected: what the text is (the source's words, a translation, a summary) is the person's answer.
        return render(request, reply, target, {});
      });

      app.post(path, { preHandler: app.csrfProtection }, async (request, reply) => {
        const target = await loadTarget(db, request, reply, kind);
        if (!target) return reply;
        const ctx = adminContext(request, reply);
        const values = formValues(request.body);
        const { source, errors } = readSourceForm(values, kind);
        if (!source) return render(request, reply, target, values, errors);
        const note = (values.note ?? '').trim();
        await recordSource(db, requestActor(request, target.jurisdictionId), {
          jurisdictionId: target.jurisdictionId,
          entityType: kind,
          entityId: target.entityId,
          source: { ...source, note: note ? { [ctx.locale === 'sr-Cyrl' ? 'sr-Cyrl' : ctx.locale]: note } : {} },
        });
        setFlash(reply, 'provenance.admin.flash');
        return reply.redirect(target.action, 303);
      });
    }
  };
}

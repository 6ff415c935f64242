import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { FormErrors, formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { pickText, parseTranslatable } from '../../lib/translatable.js';
import { verifyCsrf } from '../../plugins/csrf-check.js';
import { BadRequestError } from '../../plugins/errors.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage } from '../../ui/admin.js';
import { adminContext, canManageJurisdictions, requestActor } from '../accounts/index.js';
import { CsvError } from './csv.js';
import { importDecidim } from './decidim.js';
import { ImportFileError, importOgp } from './ogp.js';
import { ImportPage, MAX_IMPORT_BYTES } from './admin-views.js';
import type { ImportReport } from './report.js';

interface ImportForm {
  values: FormValues;
  file?: { name: string; content: Buffer; truncated: boolean } | undefined;
}

/** Reads the form: multipart (a few fields and one CSV file, bounded) or urlencoded (no file). */
async function readImportForm(request: FastifyRequest): Promise<ImportForm> {
  if (!request.isMultipart()) return { values: formValues(request.body) };
  const body: Record<string, string> = {};
  let file: ImportForm['file'];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.fieldname === 'file' && (part.filename || content.length)) file = { name: part.filename || 'upload.csv', content, truncated: part.file.truncated };
      } else if (typeof part.value === 'string') {
        body[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if (typeof (error as { statusCode?: unknown })?.statusCode === 'number') throw error;
    throw new BadRequestError('malformed multipart body', { cause: error });
  }
  request.body = body;
  return { values: formValues(body), file };
}

/**
 * /{locale}/admin/imports: upload OGP's commitment data or Decidim's results and see the report.
 * Instance administrators only (an OGP file makes jurisdictions); the role is checked before the
 * body is read, the CSRF token before anything is imported. A file that cannot be read answers 422
 * with the reason and the choices kept.
 */
export function interopAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, parts: 12, fieldSize: 10_000 }, throwFileSizeLimit: false });

    const jurisdictions = async (locale: Parameters<typeof pickText>[1]) =>
      (await db.selectFrom('jurisdictions').select(['slug', 'name']).orderBy('slug').execute()).map((j) => ({ slug: j.slug, name: pickText(parseTranslatable(j.name), locale) || j.slug }));

    app.get('/imports', async (request, reply) => {
      const ctx = adminContext(request, reply);
      if (!canManageJurisdictions(request.user)) return sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
      return sendHtml(reply, ImportPage({ ctx, values: { format: 'ogp' }, jurisdictions: await jurisdictions(ctx.locale) }) as string);
    });

    app.post('/imports', async (request, reply) => {
      if (!canManageJurisdictions(request.user)) return sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
      const form = await readImportForm(request);
      verifyCsrf(app, request, reply);
      const ctx = adminContext(request, reply);
      const { values } = form;
      const errors = unstorableErrors(values);
      const format = values.format ?? '';
      if (format !== 'ogp' && format !== 'decidim') errors.add('format', 'form.error.choice');
      if (format === 'decidim' && !values.jurisdiction) errors.add('jurisdiction', 'interop.error.jurisdiction');
      if (!form.file || form.file.content.length === 0) errors.add('file', 'interop.error.file');
      else if (form.file.truncated) errors.add('file', 'interop.error.tooLarge', { mb: Math.round(MAX_IMPORT_BYTES / 1024 / 1024) });
      let report: ImportReport | undefined;
      if (!errors.any && form.file) {
        const text = form.file.content.toString('utf8');
        const actor = requestActor(request, null);
        try {
          report =
            format === 'ogp'
              ? await importOgp(db, actor, text, { fileName: form.file.name })
              : await importDecidim(db, actor, text, { jurisdiction: values.jurisdiction, plan: values.plan || undefined }, { fileName: form.file.name });
        } catch (error) {
          if (!(error instanceof ImportFileError || error instanceof CsvError)) throw error;
          errors.add('file', 'interop.error.unreadable', { reason: error.message });
        }
      }
      const list = await jurisdictions(ctx.locale);
      if (report) return sendHtml(reply, ImportPage({ ctx, values, jurisdictions: list, report }) as string);
      return sendHtml(reply, ImportPage({ ctx, values, errors: errors.any ? errors : new FormErrors(), jurisdictions: list }) as string, 422);
    });
  };
}

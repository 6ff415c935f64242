import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { currentContentVersion } from '../../db/content-version.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { findBrand } from '../jurisdictions/brand.js';
import { ReportFileCache } from './cache.js';
import { reportDocument } from './document.js';
import { renderDocx } from './docx.js';
import { ReportPage } from './html.js';
import { commitmentReportModel, monitoringReportModel, planReportModel, type ReportModel } from './model.js';
import { renderPdf } from './pdf.js';

type Params = { jurisdiction: string; plan: string; code?: string };

/** The three reports, each at a path (below `/{locale}/{jurisdiction}/plans/{plan}`) and with its model. */
const REPORTS: { path: string; load(db: Db, p: Params): Promise<ReportModel | undefined> }[] = [
  { path: '/:jurisdiction/plans/:plan/report', load: (db, p) => planReportModel(db, p.jurisdiction, p.plan) },
  { path: '/:jurisdiction/plans/:plan/monitoring-report', load: (db, p) => monitoringReportModel(db, p.jurisdiction, p.plan) },
  { path: '/:jurisdiction/plans/:plan/commitments/:code/report', load: (db, p) => commitmentReportModel(db, p.jurisdiction, p.plan, p.code ?? '') },
];

/** A monitoring report has files only once the monitoring body has published one. */
function hasFiles(model: ReportModel): boolean {
  return model.kind !== 'monitoring' || model.reports.length > 0;
}

/** A file's cache key: the day (statuses are derived for it), locale, report kind, jurisdiction, plan, commitment and format. */
export function fileKey(today: string, locale: string, model: ReportModel, ext: string): string {
  const code = model.kind === 'commitment' ? model.commitment.detail.code : '';
  return JSON.stringify([today, locale, model.kind, model.plan.jurisdiction.slug, model.plan.slug, code, ext]);
}

const FORMATS = {
  pdf: { ext: 'pdf', type: 'application/pdf', disposition: 'inline', render: renderPdf },
  docx: { ext: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', disposition: 'attachment', render: renderDocx },
} as const;

/** Public report pages and files: `…/report`, `…/report.pdf`, `…/report.docx` and the same for monitoring-report and a commitment's report. */
export function reportRoutes(db: Db, cache: ReportFileCache = new ReportFileCache()) {
  return async function routes(app: FastifyInstance): Promise<void> {
    for (const report of REPORTS) {
      app.get(report.path, (request, reply) => {
        const params = request.params as Params;
        return app.pageCache.serve(request, reply, async ({ today }) => {
          const model = await report.load(db, params);
          if (!model) throw new NotFoundError();
          const ctx = pageContext(request, { brand: await findBrand(db, model.plan.jurisdiction.slug) });
          const doc = reportDocument(model, ctx.locale, today);
          const path = request.url.split('?')[0] ?? '';
          return ReportPage({ ctx, model, report: doc, path, files: hasFiles(model) }) as string;
        });
      });
      for (const [ext, format] of Object.entries(FORMATS)) {
        app.get(`${report.path}.${ext}`, (request, reply) => serveFile(request, reply, report.load, format));
      }
    }

    async function serveFile(request: FastifyRequest, reply: FastifyReply, load: (db: Db, p: Params) => Promise<ReportModel | undefined>, format: (typeof FORMATS)[keyof typeof FORMATS]) {
      const params = request.params as Params;
      const ctx = pageContext(request);
      const today = app.pageCache.today();
      const version = await currentContentVersion(db);
      // The report is looked up first and the file keyed on what was found, never on the address:
      // a trailing slash or a percent-encoded code names the same file and must not make it again.
      const model = await load(db, params);
      if (!model || !hasFiles(model)) throw new NotFoundError();
      const key = fileKey(today, ctx.locale, model, format.ext);
      const file = await cache.get(key, version, async () => {
        const doc = reportDocument(model, ctx.locale, today);
        return { body: await format.render(doc), fileName: `${doc.fileName}.${format.ext}` };
      });
      reply
        .header('content-type', format.type)
        .header('content-disposition', `${format.disposition}; filename="${file.fileName}"`)
        .header('etag', file.etag)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
      return reply.code(200).send(file.body);
    }
  };
}


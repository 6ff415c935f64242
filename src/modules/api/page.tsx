import { escapeHtml } from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import { hasMessage } from '../../i18n/index.js';
import { pageContext } from '../../plugins/locale.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import type { ModuleContext } from '../manifest.js';
import { API_PREFIX, openApiDocumentOf, type OpenApiDocument } from './routes.js';

/** The /{locale}/api page: what the API is, its base address, tokens, and the endpoints read from the generated document. */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface Endpoint {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  needsToken: boolean;
}

/** Every documented operation, in the document's order. */
export function endpointsOf(document: OpenApiDocument | undefined): Endpoint[] {
  const out: Endpoint[] = [];
  for (const [path, operations] of Object.entries(document?.paths ?? {})) {
    for (const method of METHODS) {
      const op = operations[method];
      if (!op) continue;
      out.push({ method: method.toUpperCase(), path, operationId: op.operationId ?? '', summary: op.summary ?? '', needsToken: !!op.security?.length });
    }
  }
  return out;
}

export function ApiPage({ ctx, publicUrl, endpoints }: { ctx: PageContext; publicUrl: string; endpoints: Endpoint[] }): JSX.Element {
  const { t, locale } = ctx;
  const base = `${publicUrl}${API_PREFIX}`;
  const what = (e: Endpoint) => (hasMessage('en', `api.op.${e.operationId}`) ? t(`api.op.${e.operationId}` as 'api.title') : e.summary);
  return (
    <Layout ctx={ctx} title={t('api.page.title')}>
      <h1 safe>{t('api.page.title')}</h1>
      <p safe>{t('api.page.intro')}</p>
      <dl>
        <dt safe>{t('api.page.baseUrl')}</dt>
        <dd>
          <code safe>{base}</code>
        </dd>
      </dl>
      <p>
        {escapeHtml(t('api.page.description'))} <a href={`${API_PREFIX}/openapi.json`} hreflang="en" type="application/json" safe>{t('api.page.descriptionLink')}</a>
      </p>
      <p safe>{t('api.page.paging')}</p>
      <p safe>{t('api.page.ids')}</p>
      <h2 safe>{t('api.page.endpoints')}</h2>
      <table class="stacked">
        <caption class="visually-hidden" safe>{t('api.page.endpoints')}</caption>
        <thead>
          <tr>
            <th scope="col" safe>{t('api.page.method')}</th>
            <th scope="col" safe>{t('api.page.path')}</th>
            <th scope="col" safe>{t('api.page.what')}</th>
            <th scope="col" safe>{t('api.page.auth')}</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr>
              <td data-label={t('api.page.method')}>
                <code safe>{e.method}</code>
              </td>
              <td data-label={t('api.page.path')}>
                <code safe>{e.path}</code>
              </td>
              <td data-label={t('api.page.what')} safe>{what(e)}</td>
              <td data-label={t('api.page.auth')} safe>{t(e.needsToken ? 'api.page.yes' : 'api.page.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 safe>{t('api.page.writeHeading')}</h2>
      <p safe>{t('api.page.write')}</p>
      <p>
        {escapeHtml(t('api.page.tokens'))} <a href={`/${locale}/admin/account#api-tokens`} safe>{t('api.page.tokensLink')}</a>
      </p>
    </Layout>
  );
}

export function apiPageRoutes(context: ModuleContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/api', (request, reply) =>
      app.pageCache.serve(request, reply, () => ApiPage({ ctx: pageContext(request), publicUrl: context.publicUrl, endpoints: endpointsOf(openApiDocumentOf(context)) }) as string),
    );
  };
}

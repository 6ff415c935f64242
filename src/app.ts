import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { isLocale, negotiateLocale } from './i18n/locales.js';
import errors, { NotFoundError } from './plugins/errors.js';
import pageCache from './plugins/page-cache.js';
import security from './plugins/security.js';
import { accountRoutes, adminGuard, userAdminRoutes } from './modules/accounts/index.js';
import { adminHomeRoutes } from './modules/admin-home/index.js';
import { jurisdictionAdminRoutes, jurisdictionPublicRoutes } from './modules/jurisdictions/index.js';
import { institutionAdminRoutes, institutionPublicRoutes } from './modules/institutions/index.js';
import { planAdminRoutes, planPublicRoutes } from './modules/plans/index.js';
import { commitmentAdminRoutes, commitmentPublicRoutes } from './modules/commitments/index.js';
import { searchRoutes } from './modules/search/index.js';
import { pageRoutes } from './modules/pages/index.js';
import { transparencyApiRoutes, transparencyPageRoutes } from './modules/transparency/index.js';
import { mailAdminRoutes } from './modules/mail/index.js';
import { reportingAdminRoutes, reportingFileRoutes } from './modules/reporting/index.js';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** The clock pages are rendered by (derived statuses, what is overdue); tests pin it. */
  now?: (() => Date) | undefined;
}

/** public/ at the package root, from src/app.ts (tsx) or dist/src/app.js (compiled). */
const publicDir = fileURLToPath(new URL(import.meta.url.endsWith('/dist/src/app.js') ? '../../public/' : '../public/', import.meta.url));

/** Builds the app: infrastructure plugins first, then each module's routes, listed explicitly. */
export async function buildApp({ config, database, now }: AppOptions): Promise<FastifyInstance> {
  const { db } = database;
  const app = Fastify({
    // Request logs keep method, path and status only: no address, no query string (searches), no cookies.
    logger: {
      level: config.logLevel,
      serializers: {
        req: (req) => ({ method: req.method, path: req.url.split('?')[0] }),
      },
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    // One line per response, below; errors and slow requests at info, the rest at debug.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.addHook('onResponse', async (request, reply) => {
    const line = { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 400 || reply.elapsedTime > 500) request.log.info(line, 'request');
    else request.log.debug(line, 'request');
  });

  await app.register(security, { https: config.publicUrl.startsWith('https:') });
  await app.register(errors);
  await app.register(cookie);
  await app.register(csrf, { cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' } });
  await app.register(formbody, { bodyLimit: config.bodyLimit });
  await app.register(pageCache, { readVersion: database.readContentVersion, maxEntries: config.pageCacheEntries, now });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/assets/', maxAge: '1h', index: false });

  app.get('/healthz', async (_request, reply) => {
    await db.selectFrom('cache_state').select('version').executeTakeFirstOrThrow();
    return reply.type('text/plain').send('ok');
  });

  app.get('/', async (request, reply) => {
    reply.header('vary', 'accept-language');
    return reply.redirect(`/${negotiateLocale(request.headers['accept-language'])}/`, 302);
  });

  // The transparency log's JSON API and downloads, the same in every language.
  await app.register(transparencyApiRoutes(db));
  // Evidence files of progress updates, the same in every language.
  await app.register(reportingFileRoutes(db));

  // Everything a person reads lives under /{locale}; an unknown first segment is a 404.
  await app.register(
    async (localized) => {
      localized.addHook('onRequest', async (request) => {
        const { locale } = request.params as { locale?: string };
        if (!isLocale(locale)) throw new NotFoundError();
      });
      await localized.register(accountRoutes(db, { publicUrl: config.publicUrl }));
      await localized.register(pageRoutes());
      await localized.register(searchRoutes(db));
      await localized.register(transparencyPageRoutes(db, config.publicUrl));
      await localized.register(
        async (admin) => {
          admin.addHook('preHandler', adminGuard(db));
          await admin.register(adminHomeRoutes(db));
          await admin.register(userAdminRoutes(db, { publicUrl: config.publicUrl }));
          await admin.register(jurisdictionAdminRoutes(db));
          await admin.register(institutionAdminRoutes(db));
          await admin.register(planAdminRoutes(db));
          await admin.register(commitmentAdminRoutes(db));
          await admin.register(mailAdminRoutes(db));
          await admin.register(reportingAdminRoutes(db));
        },
        { prefix: '/admin' },
      );
      // Public content routes last: their slugs must not shadow the fixed paths above.
      await localized.register(jurisdictionPublicRoutes(db));
      await localized.register(institutionPublicRoutes(db));
      await localized.register(planPublicRoutes(db));
      await localized.register(commitmentPublicRoutes(db));
    },
    { prefix: '/:locale' },
  );

  return app;
}

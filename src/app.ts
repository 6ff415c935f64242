import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config, TrustProxy } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { isLocale, negotiateLocale } from './i18n/locales.js';
import { hasUnstorable } from './lib/forms.js';
import { lingerBeforeClosing } from './lib/linger.js';
import errors, { NotFoundError } from './plugins/errors.js';
import health from './plugins/health.js';
import metrics from './plugins/metrics.js';
import pageCache, { CachedPageFront } from './plugins/page-cache.js';
import requestLog, { LogPaths } from './plugins/request-log.js';
import security from './plugins/security.js';
import assets from './ui/assets.js';
import { MODULES } from './modules/index.js';
import type { ModuleContext, ModuleManifest } from './modules/manifest.js';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** Where log lines go (standard output when absent); tests read them from here. */
  logStream?: { write(line: string): void };
  /** The clock pages are rendered by (derived statuses, what is overdue); tests pin it. */
  now?: (() => Date) | undefined;
  /** The modules whose routes are registered (MODULES unless a test adds or replaces some). */
  modules?: readonly ModuleManifest[] | undefined;
}

/**
 * Fastify's trustProxy for BESA_TRUST_PROXY. Fastify refuses a bare hop count (it would trust no
 * one), so N hops is spelled as the function proxy-addr asks: the socket's peer is hop 0, the
 * right-most X-Forwarded-For entry hop 1, and so on; the first N are proxies, the next is the client.
 */
export function trustProxyOption(trustProxy: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy !== 'number') return trustProxy;
  const hops = trustProxy;
  return (_address, hop) => hop < hops;
}

/** Builds the app: infrastructure plugins first, then every module's routes (modules/index.ts MODULES). */
export async function buildApp({ config, database, logStream, now, modules = MODULES }: AppOptions): Promise<FastifyInstance> {
  const { db } = database;
  const logPaths = new LogPaths();
  // Cached public pages are sent from the HTTP server's first look at a request (plugins/page-cache.ts).
  const front = new CachedPageFront();
  const app = Fastify({
    serverFactory: front.serverFactory,
    // Request logs keep method, path and status only: no address, no query string (searches), no
    // cookies, and no one-time token (a path segment holding one is written as [token]).
    logger: {
      level: config.logLevel,
      serializers: { req: logPaths.serializer() },
      ...(logStream ? { stream: logStream } : {}),
    },
    bodyLimit: config.bodyLimit,
    // false, a number of proxy hops or a list of proxy addresses (config.ts): never every X-Forwarded-For.
    trustProxy: trustProxyOption(config.trustProxy),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    // One line per response instead (plugins/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
  });

  // First, so its onRoute hook sees every route.
  await app.register(requestLog, { paths: logPaths });
  // Also before the routes: its onResponse hook counts every one of them (only with BESA_METRICS_TOKEN).
  await app.register(metrics, { token: config.metricsToken, db });
  await app.register(security, { https: config.publicUrl.startsWith('https:') });
  await app.register(errors);
  // Every cookie (session, CSRF, flash, sign-in challenge) takes `secure` from here unless it names its own.
  await app.register(cookie, { parseOptions: { secure: config.cookieSecure } });
  await app.register(csrf, { cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure } });
  await app.register(formbody, { bodyLimit: config.bodyLimit });
  await app.register(pageCache, { readVersion: database.readContentVersion, maxEntries: config.pageCacheEntries, now, front, https: config.publicUrl.startsWith('https:'), logsEveryRequest: ['debug', 'trace'].includes(config.logLevel) });
  // public/ under /assets/: content-hashed names, immutable, precompressed (ui/assets.ts).
  await app.register(assets);

  // No slug, code or token holds a character that cannot be stored (lib/forms.ts): such a path names
  // nothing, and PostgreSQL would refuse the lookup (a NUL), so it is a 404 before any query.
  app.addHook('onRequest', async (request) => {
    const params = request.params as Record<string, unknown> | undefined;
    if (params && Object.values(params).some((value) => typeof value === 'string' && hasUnstorable(value))) throw new NotFoundError();
  });

  // An answer given before the request's body was read in full (a refusal before an upload is read,
  // a 413, a multipart body abandoned part-way) closes the connection: the rest of that body must not
  // be taken for the next request on a kept-alive connection, and is never read.
  // The connection lingers a moment before it is destroyed, so the answer is not lost to a reset
  // (lib/linger.ts).
  app.addHook('onSend', async (request, reply) => {
    if (!request.raw.complete && request.headers['content-length'] !== '0' && (request.headers['content-length'] || request.headers['transfer-encoding'])) {
      reply.header('connection', 'close');
      if (request.raw.socket) lingerBeforeClosing(request.raw.socket);
    }
  });

  // /healthz and /readyz, outside any language (plugins/health.ts).
  await app.register(health, { database });

  app.get('/', async (request, reply) => {
    reply.header('vary', 'accept-language');
    return reply.redirect(`/${negotiateLocale(request.headers['accept-language'])}/`, 302);
  });

  // Every module's routes, in three passes over the modules, each in their order: paths without a
  // language (the transparency API, evidence files, emblems, /admin without a language); under
  // /{locale} the fixed paths, with the administration under /admin behind the one guard; last the
  // content pages whose first segment is a slug, so that a slug never shadows a fixed path.
  const context: ModuleContext = { db, publicUrl: config.publicUrl, modules };
  const guards = modules.filter((module) => module.adminGuard);
  if (guards.length !== 1) throw new Error(`Exactly one module must guard the administration (found ${guards.length})`);
  const guard = guards[0]!.adminGuard!(context);
  for (const module of modules) if (module.routes?.unlocalized) await app.register(module.routes.unlocalized(context));

  // Everything a person reads lives under /{locale}; an unknown first segment is a 404.
  await app.register(
    async (localized) => {
      localized.addHook('onRequest', async (request) => {
        const { locale } = request.params as { locale?: string };
        if (!isLocale(locale)) throw new NotFoundError();
      });
      for (const module of modules) if (module.routes?.public) await localized.register(module.routes.public(context));
      await localized.register(
        async (admin) => {
          admin.addHook('preHandler', guard);
          for (const module of modules) if (module.routes?.admin) await admin.register(module.routes.admin(context));
        },
        { prefix: '/admin' },
      );
      for (const module of modules) if (module.routes?.content) await localized.register(module.routes.content(context));
    },
    { prefix: '/:locale' },
  );

  return app;
}

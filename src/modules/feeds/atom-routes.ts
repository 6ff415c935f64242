import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Executor } from '../../db/database.js';
import { translator } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { renderAtom, tagUri } from '../../lib/atom.js';
import { pickText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import type { FeedItem, ModuleContext, ModuleManifest } from '../manifest.js';
import type { VersionedCache } from './cache.js';
import { collectFeedItems } from './collect.js';
import { commitmentSubject, INSTANCE_SUBJECT, jurisdictionSubject, planSubject, type FeedSubject } from './queries.js';

export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/** The feed's path after the locale for a page's locale-less path ('/' → '/feed.atom'). */
export function feedPathOf(pagePath: string): string {
  return pagePath === '/' ? '/feed.atom' : `${pagePath}/feed.atom`;
}

/** The Atom document of a subject's feed in one language. */
export function atomFeedOf(subject: FeedSubject, items: FeedItem[], locale: Locale, publicUrl: string, now: Date = new Date()): string {
  const t = translator(locale);
  const site = t('ui.siteName');
  const subjectName = subject.scope.kind === 'instance' ? site : `${subject.code ? `${subject.code} ` : ''}${pickText(subject.name, locale) || subject.code || site}`;
  const pageUrl = `${publicUrl}/${locale}${subject.path === '/' ? '/' : subject.path}`;
  const selfUrl = `${publicUrl}/${locale}${feedPathOf(subject.path)}`;
  const entries = items.map((item) => ({
    id: tagUri(publicUrl, item.key),
    title: `${item.code ? `${item.code} ` : ''}${pickText(item.title, locale) || item.key}${item.isDemo ? ` ${t('feeds.demo')}` : ''}`,
    url: `${publicUrl}/${locale}${item.path}`,
    published: new Date(item.published),
    updated: new Date(item.updated),
    summary: pickText(item.summary, locale) || undefined,
  }));
  // An empty feed is as new as the moment it is rendered (it is stored until the content changes).
  const updated = entries.reduce<Date | undefined>((newest, e) => (!newest || e.updated > newest ? e.updated : newest), undefined) ?? now;
  return renderAtom({
    id: tagUri(publicUrl, `feed:${locale}${feedPathOf(subject.path)}`),
    title: t('feeds.atom.title', { name: subjectName }),
    language: locale,
    selfUrl,
    pageUrl,
    updated,
    author: pickText(subject.publisher, locale) || site,
    entries,
  });
}

function localeOf(request: FastifyRequest): Locale {
  const { locale } = request.params as { locale?: string };
  if (!isLocale(locale)) throw new NotFoundError();
  return locale;
}

/** A feed's cache key: its scope and language. */
export function atomKey(subject: FeedSubject, locale: Locale): string {
  const { scope } = subject;
  return `atom ${locale} ${scope.kind}${scope.kind === 'instance' ? '' : ` ${scope.id}`}`;
}

/** Serves one feed: the subject found (else a 404 page), its items from every module, stored until the content changes. */
function serveFeed(cache: VersionedCache, db: Executor, modules: readonly ModuleManifest[], publicUrl: string, find: () => Promise<FeedSubject | undefined>) {
  return async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const locale = localeOf(request);
    // The subject is looked up first and the feed keyed on it, never on the address: a trailing
    // slash or a percent-encoded code is the same feed and must not render (and store) it again.
    const subject = await find();
    if (!subject) throw new NotFoundError();
    return cache.serve(request, reply, atomKey(subject, locale), ATOM_TYPE, async () => {
      return atomFeedOf(subject, await collectFeedItems(db, modules, subject.scope), locale, publicUrl);
    });
  };
}

/** The instance's feed, `/{locale}/feed.atom` (a fixed path under the locale). */
export function instanceFeedRoutes({ db, modules, publicUrl }: ModuleContext, cache: VersionedCache) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/feed.atom', serveFeed(cache, db, modules, publicUrl, async () => INSTANCE_SUBJECT));
  };
}

/** A jurisdiction's, a plan's and a commitment's feeds, beside their pages. */
export function contentFeedRoutes({ db, modules, publicUrl }: ModuleContext, cache: VersionedCache) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/feed.atom', (request, reply) => {
      const { jurisdiction } = request.params as { jurisdiction: string };
      return serveFeed(cache, db, modules, publicUrl, () => jurisdictionSubject(db, jurisdiction))(request, reply);
    });
    app.get('/:jurisdiction/plans/:plan/feed.atom', (request, reply) => {
      const { jurisdiction, plan } = request.params as { jurisdiction: string; plan: string };
      return serveFeed(cache, db, modules, publicUrl, () => planSubject(db, jurisdiction, plan))(request, reply);
    });
    app.get('/:jurisdiction/plans/:plan/commitments/:code/feed.atom', (request, reply) => {
      const { jurisdiction, plan, code } = request.params as { jurisdiction: string; plan: string; code: string };
      return serveFeed(cache, db, modules, publicUrl, () => commitmentSubject(db, jurisdiction, plan, code))(request, reply);
    });
  };
}

import type { Executor } from '../../db/database.js';
import { DEFAULT_LOCALE, LOCALES } from '../../i18n/locales.js';

/** The protocol's limit of URLs in one sitemap file (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;

/** Public pages that are not items of a module: the homes and the fixed pages every instance has. */
export const STATIC_PATHS = ['/', '/search', '/transparency', '/accessibility', '/privacy'];

/**
 * Every public page's locale-less path, once: the fixed pages, then every page the search index
 * holds (each module's published items, path per document, anchors dropped: a milestone is on its
 * commitment's page). Demonstration data is left out: it is not the plan's record, and a search
 * engine should not present it as one.
 */
export async function sitemapPaths(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('search_documents').select('path').where('is_demo', '=', 0).orderBy('path').execute();
  const seen = new Set<string>(STATIC_PATHS);
  const out = [...STATIC_PATHS];
  for (const { path } of rows) {
    const page = path.split('#')[0]!;
    if (!page.startsWith('/') || seen.has(page)) continue;
    seen.add(page);
    out.push(page);
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function localized(publicUrl: string, locale: string, path: string): string {
  return `${publicUrl}/${locale}${path === '/' ? '/' : path}`;
}

/** How many paths one file holds: each path is one URL per locale. */
export function pathsPerFile(maxUrls = SITEMAP_MAX_URLS): number {
  return Math.max(1, Math.floor(maxUrls / LOCALES.length));
}

/**
 * A `urlset` of the paths: one `url` per page and locale, each naming every language's version
 * (`xhtml:link rel="alternate" hreflang`) and the default (x-default: the root for the home, which
 * picks the reader's language, else the default locale's page).
 */
export function urlset(publicUrl: string, paths: readonly string[]): string {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'];
  for (const path of paths) {
    const alternates =
      LOCALES.map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${escapeXml(localized(publicUrl, l, path))}"/>`).join('') +
      `<xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(path === '/' ? `${publicUrl}/` : localized(publicUrl, DEFAULT_LOCALE, path))}"/>`;
    for (const locale of LOCALES) parts.push(`<url><loc>${escapeXml(localized(publicUrl, locale, path))}</loc>${alternates}</url>\n`);
  }
  parts.push('</urlset>\n');
  return parts.join('');
}

/** A `sitemapindex` naming `count` child sitemaps, `/sitemaps/1.xml` and on. */
export function sitemapIndex(publicUrl: string, count: number): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'];
  for (let n = 1; n <= count; n++) parts.push(`<sitemap><loc>${escapeXml(`${publicUrl}/sitemaps/${n}.xml`)}</loc></sitemap>\n`);
  parts.push('</sitemapindex>\n');
  return parts.join('');
}

/** `/sitemap.xml`: the one urlset while every URL fits, else the index of the child files. */
export function sitemapDocument(publicUrl: string, paths: readonly string[], maxUrls = SITEMAP_MAX_URLS): string {
  const per = pathsPerFile(maxUrls);
  if (paths.length <= per) return urlset(publicUrl, paths);
  return sitemapIndex(publicUrl, Math.ceil(paths.length / per));
}

/** Whether child sitemap `n` (1-based) exists: the paths need more than one file and `n` is not past the last. */
export function hasChildSitemap(paths: readonly string[], n: number, maxUrls = SITEMAP_MAX_URLS): boolean {
  const per = pathsPerFile(maxUrls);
  return paths.length > per && n >= 1 && (n - 1) * per < paths.length;
}

/** Child sitemap `n` (1-based), or undefined past the last. */
export function childSitemap(publicUrl: string, paths: readonly string[], n: number, maxUrls = SITEMAP_MAX_URLS): string | undefined {
  const per = pathsPerFile(maxUrls);
  if (!hasChildSitemap(paths, n, maxUrls)) return undefined;
  return urlset(publicUrl, paths.slice((n - 1) * per, n * per));
}

/**
 * robots.txt: public pages allowed; the administration, accounts and the pages that only carry a
 * form (sign-in, one-time links, contributing, subscribing, flagging) disallowed in every language,
 * and so are the generated report files and open-data downloads.
 */
export function robotsTxt(publicUrl: string): string {
  const perLocale = ['/admin', '/login', '/account', '/password-reset', '/setup/', '/invitations/', '/subscriptions/', '/contributions/', '/privacy/erase/'];
  const lines = ['User-agent: *', 'Allow: /', 'Disallow: /admin'];
  for (const locale of LOCALES) for (const path of perLocale) lines.push(`Disallow: /${locale}${path}`);
  // Each consultation's contribution and flag forms (the consultation page itself stays allowed).
  lines.push('Disallow: /*/consultations/*/contribute', 'Disallow: /*/consultations/*/contributions/');
  // Generated files, each a second or more of rendering: the reports' PDF and DOCX (their printable
  // pages stay allowed) and the open-data downloads under /open-data/ (the /{locale}/open-data page
  // stays allowed). The reports sit below a jurisdiction and plan, so only the `*` wildcard reaches
  // them (RFC 9309; every major crawler honours it); no `$` anchor is used.
  for (const file of ['report.pdf', 'report.docx', 'monitoring-report.pdf', 'monitoring-report.docx']) lines.push(`Disallow: /*/${file}`);
  lines.push('Disallow: /open-data/');
  lines.push('', `Sitemap: ${publicUrl}/sitemap.xml`, '');
  return lines.join('\n');
}

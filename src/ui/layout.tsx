import type { Children } from '@kitajs/html';
import { escapeHtml } from '@kitajs/html';
import { LOCALES, LOCALE_NAMES } from '../i18n/locales.js';
import { pick } from '../lib/translatable.js';
import { assetUrl } from './assets.js';
import type { Brand } from './brand.js';
import type { PageContext } from './context.js';
import { FallbackNotice } from './components.js';

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** Shows the demonstration-data banner. */
  demo?: boolean;
  /** Admin pages: no hreflang alternates, and the footer links to the administration instead of sign-in. */
  admin?: boolean;
  /** A jurisdiction's portal (its name, emblem, colour) instead of Besa's header; defaults to ctx.brand. */
  brand?: Brand | undefined;
  /** Feeds of the page (e.g. an iCalendar feed), named in the head as `<link rel="alternate">`. */
  feeds?: { href: string; type: string; title: string }[] | undefined;
  /**
   * What a link to the page shows when it is shared (Open Graph and Twitter card meta). Without it
   * a public page still says its title, a description (Besa's tagline) and its URL.
   */
  share?: Share | undefined;
  children?: Children;
}

export interface Share {
  /** Defaults to the page's title. */
  title?: string | undefined;
  description?: string | undefined;
  /** Absolute URL of a PNG (e.g. a commitment's share image, 1200×630) and its text alternative. */
  image?: { url: string; alt: string; width: number; height: number } | undefined;
  /** `website` (default) or `article`. */
  type?: 'website' | 'article' | undefined;
  /** Absolute URL of the page; defaults to the public URL of the page in its language. */
  url?: string | undefined;
}

/** Open Graph's locale names (language_TERRITORY) for Besa's locales. */
const OG_LOCALES: Record<string, string> = { sq: 'sq_AL', 'sr-Latn': 'sr_RS', 'sr-Cyrl': 'sr_RS', en: 'en_GB', fr: 'fr_FR' };

/** The share meta of a public page: Open Graph (og:*) and Twitter card (twitter:*). */
function ShareMeta({ ctx, title, siteName, share }: { ctx: PageContext; title: string; siteName: string; share: Share | undefined }): JSX.Element {
  // Attribute values are escaped whole here (@kitajs/html escapes only the quote in attributes):
  // a title's `<b>` or `&copy;` must reach a social site as the text it is.
  const description = escapeHtml(share?.description || ctx.t('ui.tagline'));
  const shareTitle = escapeHtml(share?.title ?? title);
  const pagePath = ctx.path.split('?')[0] || '/';
  const url = share?.url ?? (ctx.publicUrl ? `${ctx.publicUrl}${localizedPath(ctx.locale, pagePath)}` : undefined);
  const image = share?.image;
  const ogLocale = OG_LOCALES[ctx.locale] ?? 'en_GB';
  const alternates = [...new Set(LOCALES.map((l) => OG_LOCALES[l]!))].filter((l) => l !== ogLocale);
  return (
    <>
      <meta name="description" content={description} />
      <meta property="og:site_name" content={escapeHtml(siteName)} />
      <meta property="og:title" content={shareTitle} />
      <meta property="og:description" content={description} />
      <meta property="og:type" content={share?.type ?? 'website'} />
      {url ? <meta property="og:url" content={escapeHtml(url)} /> : ''}
      <meta property="og:locale" content={ogLocale} />
      {alternates.map((l) => (
        <meta property="og:locale:alternate" content={l} />
      ))}
      {image ? (
        <>
          <meta property="og:image" content={escapeHtml(image.url)} />
          <meta property="og:image:type" content="image/png" />
          <meta property="og:image:width" content={String(image.width)} />
          <meta property="og:image:height" content={String(image.height)} />
          <meta property="og:image:alt" content={escapeHtml(image.alt)} />
        </>
      ) : (
        ''
      )}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={shareTitle} />
      <meta name="twitter:description" content={description} />
      {image ? (
        <>
          <meta name="twitter:image" content={escapeHtml(image.url)} />
          <meta name="twitter:image:alt" content={escapeHtml(image.alt)} />
        </>
      ) : (
        ''
      )}
    </>
  );
}

function localizedPath(locale: string, path: string): string {
  return `/${locale}${path === '/' ? '/' : path}`;
}

/**
 * The header's name and tagline: the portal's name over the jurisdiction's, or the jurisdiction's
 * name over Besa's tagline, or Besa's own. A name shown from another language carries its `lang`.
 */
function headerText(ctx: PageContext, brand: Brand | undefined) {
  const besa = { name: ctx.t('ui.siteName'), nameLang: undefined, tagline: ctx.t('ui.tagline'), taglineLang: undefined };
  if (!brand) return besa;
  const portal = pick(brand.portalName, ctx.locale);
  const jurisdiction = pick(brand.jurisdictionName, ctx.locale);
  if (portal) return { name: portal.text, nameLang: portal.fallback ? portal.lang : undefined, tagline: jurisdiction?.text ?? '', taglineLang: jurisdiction?.fallback ? jurisdiction.lang : undefined };
  if (jurisdiction) return { name: jurisdiction.text, nameLang: jurisdiction.fallback ? jurisdiction.lang : undefined, tagline: besa.tagline, taglineLang: undefined };
  return besa;
}

export function Layout({ ctx, title, demo, admin, brand = ctx.brand, feeds, share, children }: LayoutProps): JSX.Element {
  const { t, locale } = ctx;
  const header = headerText(ctx, brand);
  return (
    <>
      {'<!doctype html>'}
      <html lang={locale} dir="ltr">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} · ${header.name}`}</title>
          <link rel="stylesheet" href={assetUrl('besa.css')} />
          {brand?.stylesheetUrl ? <link rel="stylesheet" href={brand.stylesheetUrl} /> : ''}
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
          {admin
            ? ''
            : LOCALES.map((l) => <link rel="alternate" hreflang={l} href={localizedPath(l, ctx.path)} />)}
          {admin ? '' : <link rel="alternate" hreflang="x-default" href="/" />}
          {(feeds ?? []).map((f) => <link rel="alternate" type={f.type} href={f.href} title={f.title} />)}
          {admin ? '' : <ShareMeta ctx={ctx} title={title} siteName={header.name} share={share} />}
          <script src={assetUrl('besa.js')} defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">
            {escapeHtml(t('ui.skip'))}
          </a>
          {/* One header shape for every page, public or admin, signed in or not; a jurisdiction's
              pages carry its portal (name, emblem, accent colour) and Besa moves to the footer. */}
          <header class={brand ? 'site-header branded' : 'site-header'}>
            <div class="wrap header-row">
              <a class="brand" href={brand ? `/${locale}/${brand.slug}` : `/${locale}/`}>
                {brand?.emblemUrl ? <img class="brand-emblem" src={brand.emblemUrl} alt="" /> : ''}
                <span class="brand-text">
                  <span class="brand-name" lang={header.nameLang}>
                    {escapeHtml(header.name)}
                  </span>
                  {header.tagline ? (
                    <span class="brand-tagline" lang={header.taglineLang}>
                      {escapeHtml(header.tagline)}
                    </span>
                  ) : (
                    ''
                  )}
                </span>
              </a>
              <nav aria-label={t('ui.nav.label')} class="site-nav">
                <ul>
                  <li>
                    <a href={`/${locale}/`}>{escapeHtml(t('ui.nav.home'))}</a>
                  </li>
                  <li>
                    <a href={`/${locale}/search`}>{escapeHtml(t('ui.nav.search'))}</a>
                  </li>
                </ul>
              </nav>
              <nav aria-label={t('ui.languages')} class="language-switcher">
                <ul>
                  {LOCALES.map((l) => (
                    <li>
                      <a
                        href={localizedPath(l, ctx.path)}
                        lang={l}
                        hreflang={l}
                        aria-current={l === locale ? 'true' : undefined}
                      >
                        {escapeHtml(LOCALE_NAMES[l])}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </header>
          <main id="main" class="wrap" tabindex="-1">
            <FallbackNotice ctx={ctx} />
            {demo ? (
              <p class="demo-banner" role="note">
                <strong>{escapeHtml(t('ui.demo'))}</strong>
              </p>
            ) : (
              ''
            )}
            {ctx.flash ? (
              <div class="flash" role="status">
                <p safe>{ctx.flash}</p>
              </div>
            ) : (
              ''
            )}
            {children}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              {brand ? (
                <p class="runs-on">
                  <a href={`/${locale}/transparency`}>{escapeHtml(t('ui.footer.runsOn'))}</a> {escapeHtml(t('ui.footer.about'))}
                </p>
              ) : (
                <p>{escapeHtml(t('ui.footer.about'))}</p>
              )}
              <ul class="footer-links">
                <li>
                  <a href={`/${locale}/accessibility`}>{escapeHtml(t('ui.footer.accessibility'))}</a>
                </li>
                <li>
                  <a href={`/${locale}/privacy`}>{escapeHtml(t('ui.footer.privacy'))}</a>
                </li>
                <li>
                  <a href={`/${locale}/transparency`}>{escapeHtml(t('ui.footer.transparency'))}</a>
                </li>
                <li>
                  <a href={`/${locale}/open-data`}>{escapeHtml(t('ui.footer.openData'))}</a>
                </li>
                <li>
                  <a href={`/${locale}/api`}>{escapeHtml(t('ui.footer.api'))}</a>
                </li>
                {/* Public pages (the same for everyone, cached): sign-in for those who run the plan; signed
                    in already, the sign-in page sends them on to the administration. Admin pages put the
                    administration's link in the same place, so the header keeps one shape. */}
                {admin ? (
                  ctx.user?.mayAccessAdmin ? (
                    <li class="sign-in">
                      <a href={`/${locale}/admin`}>{escapeHtml(t('ui.nav.admin'))}</a>
                    </li>
                  ) : (
                    ''
                  )
                ) : (
                  <li class="sign-in">
                    <a href={`/${locale}/login`}>{escapeHtml(t('ui.signIn'))}</a>
                  </li>
                )}
              </ul>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

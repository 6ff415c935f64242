import type { Children } from '@kitajs/html';
import { escapeHtml } from '@kitajs/html';
import { LOCALES, LOCALE_NAMES } from '../i18n/locales.js';
import type { PageContext } from './context.js';
import { FallbackNotice } from './components.js';

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** Shows the demonstration-data banner. */
  demo?: boolean;
  /** Admin pages get the admin navigation and no hreflang alternates. */
  admin?: boolean;
  children?: Children;
}

function localizedPath(locale: string, path: string): string {
  return `/${locale}${path === '/' ? '/' : path}`;
}

export function Layout({ ctx, title, demo, admin, children }: LayoutProps): JSX.Element {
  const { t, locale } = ctx;
  return (
    <>
      {'<!doctype html>'}
      <html lang={locale} dir="ltr">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${title} · ${t('ui.siteName')}`}</title>
          <link rel="stylesheet" href="/assets/besa.css" />
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          {admin
            ? ''
            : LOCALES.map((l) => <link rel="alternate" hreflang={l} href={localizedPath(l, ctx.path)} />)}
          {admin ? '' : <link rel="alternate" hreflang="x-default" href="/" />}
          <script src="/assets/besa.js" defer></script>
        </head>
        <body>
          <a class="skip-link" href="#main">
            {escapeHtml(t('ui.skip'))}
          </a>
          <header class="site-header">
            <div class="wrap header-row">
              <a class="brand" href={`/${locale}/`}>
                <span class="brand-name">{escapeHtml(t('ui.siteName'))}</span>
                <span class="brand-tagline">{escapeHtml(t('ui.tagline'))}</span>
              </a>
              <nav aria-label={t('ui.nav.label')} class="site-nav">
                <ul>
                  <li>
                    <a href={`/${locale}/`}>{escapeHtml(t('ui.nav.home'))}</a>
                  </li>
                  <li>
                    <a href={`/${locale}/search`}>{escapeHtml(t('ui.nav.search'))}</a>
                  </li>
                  {admin && ctx.user?.mayAccessAdmin ? (
                    <li>
                      <a href={`/${locale}/admin`}>{escapeHtml(t('ui.nav.admin'))}</a>
                    </li>
                  ) : (
                    ''
                  )}
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
              <p>{escapeHtml(t('ui.footer.about'))}</p>
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
                {/* Public pages (the same for everyone, cached): sign-in for those who run the plan; signed
                    in already, the sign-in page sends them on to the administration. */}
                {admin ? (
                  ''
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

import { formatDate } from '../../i18n/index.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { ParticipationPrivacyNotice } from '../participation/privacy-notice.js';

/** When the statements were last reviewed; change it whenever their text changes. */
export const ACCESSIBILITY_REVIEWED_ON = '2026-12-04';
export const PRIVACY_UPDATED_ON = '2026-12-04';

/** The facts the texts cite, kept out of the messages so every locale (and the Cyrillic conversion) shows them alike. */
const TERMS = {
  standard: 'WCAG 2.2',
  javascript: 'JavaScript',
  tool: 'axe-core',
  law: '06/L-082',
  html: 'HTML',
  pdf: 'PDF',
};

/** The cookies Besa sets; names and lifetimes match src/plugins/flash.ts, accounts and @fastify/csrf-protection. */
const COOKIES = {
  session: { name: 'besa_session', days: 14 },
  csrf: { name: '_csrf' },
  flash: { name: 'besa_flash', seconds: 60 },
};

export function AccessibilityPage({ ctx }: { ctx: PageContext }): JSX.Element {
  const { t } = ctx;
  const title = t('pages.a11y.title');
  return (
    <Layout ctx={ctx} title={title}>
      <article class="prose" aria-labelledby="page-title">
        <h1 id="page-title" safe>{title}</h1>
        <p class="lead" safe>{t('pages.a11y.intro')}</p>

        <h2 safe>{t('pages.a11y.standard.title')}</h2>
        <p safe>{t('pages.a11y.standard.body', { standard: TERMS.standard })}</p>

        <h2 safe>{t('pages.a11y.built.title')}</h2>
        <ul>
          <li safe>{t('pages.a11y.built.noJs', { javascript: TERMS.javascript, html: TERMS.html })}</li>
          <li safe>{t('pages.a11y.built.keyboard')}</li>
          <li safe>{t('pages.a11y.built.screenReaders')}</li>
          <li safe>{t('pages.a11y.built.language')}</li>
          <li safe>{t('pages.a11y.built.fallbacks')}</li>
          <li safe>{t('pages.a11y.built.timeline')}</li>
          <li safe>{t('pages.a11y.built.zoom')}</li>
        </ul>

        <h2 safe>{t('pages.a11y.limits.title')}</h2>
        <p safe>{t('pages.a11y.limits.body', { pdf: TERMS.pdf })}</p>

        <h2 safe>{t('pages.a11y.report.title')}</h2>
        <p safe>{t('pages.a11y.report.body')}</p>
        <p safe>{t('pages.a11y.report.answer')}</p>

        <h2 safe>{t('pages.a11y.testing.title')}</h2>
        <p safe>{t('pages.a11y.testing.body', { tool: TERMS.tool, javascript: TERMS.javascript, html: TERMS.html })}</p>

        <h2 safe>{t('pages.a11y.review.title')}</h2>
        <p safe>
          {t('pages.a11y.review.body', { date: formatDate(ctx.locale, ACCESSIBILITY_REVIEWED_ON) })}
        </p>
      </article>
    </Layout>
  );
}

export function PrivacyPage({ ctx }: { ctx: PageContext }): JSX.Element {
  const { t } = ctx;
  const title = t('pages.privacy.title');
  return (
    <Layout ctx={ctx} title={title}>
      <article class="prose" aria-labelledby="page-title">
        <h1 id="page-title" safe>{title}</h1>
        <p class="lead" safe>{t('pages.privacy.intro')}</p>

        <h2 safe>{t('pages.privacy.visitors.title')}</h2>
        <ul>
          <li safe>{t('pages.privacy.visitors.noData')}</li>
          <li safe>{t('pages.privacy.visitors.noTracking')}</li>
          <li safe>{t('pages.privacy.visitors.noThirdParty')}</li>
          <li safe>{t('pages.privacy.visitors.search')}</li>
        </ul>
        <p safe>{t('pages.privacy.visitors.logs')}</p>

        <h2 safe>{t('pages.privacy.cookies.title')}</h2>
        <p safe>{t('pages.privacy.cookies.intro')}</p>
        <div class="table-wrap">
          <table class="cookies stacked">
            <caption safe>{t('pages.privacy.cookies.caption')}</caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('pages.privacy.cookies.name')}</th>
                <th scope="col" safe>{t('pages.privacy.cookies.purpose')}</th>
                <th scope="col" safe>{t('pages.privacy.cookies.duration')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">
                  <code safe>{COOKIES.session.name}</code>
                </th>
                <td data-label={t('pages.privacy.cookies.purpose')} safe>{t('pages.privacy.cookies.session.purpose')}</td>
                <td data-label={t('pages.privacy.cookies.duration')} safe>{t('pages.privacy.cookies.session.duration', { days: COOKIES.session.days })}</td>
              </tr>
              <tr>
                <th scope="row">
                  <code safe>{COOKIES.csrf.name}</code>
                </th>
                <td data-label={t('pages.privacy.cookies.purpose')} safe>{t('pages.privacy.cookies.csrf.purpose')}</td>
                <td data-label={t('pages.privacy.cookies.duration')} safe>{t('pages.privacy.cookies.csrf.duration')}</td>
              </tr>
              <tr>
                <th scope="row">
                  <code safe>{COOKIES.flash.name}</code>
                </th>
                <td data-label={t('pages.privacy.cookies.purpose')} safe>{t('pages.privacy.cookies.flash.purpose')}</td>
                <td data-label={t('pages.privacy.cookies.duration')} safe>{t('pages.privacy.cookies.flash.duration', { seconds: COOKIES.flash.seconds })}</td>
              </tr>
            </tbody>
          </table>
        </div>

        <h2 safe>{t('pages.privacy.accounts.title')}</h2>
        <p safe>{t('pages.privacy.accounts.body')}</p>

        <h2 safe>{t('pages.privacy.published.title')}</h2>
        <p safe>{t('pages.privacy.published.body')}</p>

        <ParticipationPrivacyNotice ctx={ctx} />

        <h2 safe>{t('pages.privacy.law.title')}</h2>
        <p safe>{t('pages.privacy.law.body', { law: TERMS.law })}</p>

        <h2 safe>{t('pages.privacy.rights.title')}</h2>
        <p safe>{t('pages.privacy.rights.body')}</p>

        <h2 safe>{t('pages.privacy.contact.title')}</h2>
        <p safe>{t('pages.privacy.contact.body')}</p>

        <p class="updated" safe>{t('pages.privacy.updated', { date: formatDate(ctx.locale, PRIVACY_UPDATED_ON) })}</p>
      </article>
    </Layout>
  );
}

import { formatDate } from '../../i18n/index.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';

/** When the statements were last reviewed; change it whenever their text changes. */
export const ACCESSIBILITY_REVIEWED_ON = '2026-11-29';
export const PRIVACY_UPDATED_ON = '2026-11-29';

/** The facts the texts cite, kept out of the messages so every locale (and the Cyrillic conversion) shows them alike. */
const TERMS = {
  standard: 'WCAG 2.2',
  javascript: 'JavaScript',
  tool: 'axe-core',
  law: '06/L-082',
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
        <h1 id="page-title">{title}</h1>
        <p class="lead">{t('pages.a11y.intro')}</p>

        <h2>{t('pages.a11y.standard.title')}</h2>
        <p>{t('pages.a11y.standard.body', { standard: TERMS.standard })}</p>

        <h2>{t('pages.a11y.built.title')}</h2>
        <ul>
          <li>{t('pages.a11y.built.noJs', { javascript: TERMS.javascript })}</li>
          <li>{t('pages.a11y.built.keyboard')}</li>
          <li>{t('pages.a11y.built.screenReaders')}</li>
          <li>{t('pages.a11y.built.language')}</li>
          <li>{t('pages.a11y.built.fallbacks')}</li>
          <li>{t('pages.a11y.built.timeline')}</li>
          <li>{t('pages.a11y.built.zoom')}</li>
        </ul>

        <h2>{t('pages.a11y.limits.title')}</h2>
        <p>{t('pages.a11y.limits.body')}</p>

        <h2>{t('pages.a11y.report.title')}</h2>
        <p>{t('pages.a11y.report.body')}</p>
        <p>{t('pages.a11y.report.answer')}</p>

        <h2>{t('pages.a11y.testing.title')}</h2>
        <p>{t('pages.a11y.testing.body', { tool: TERMS.tool, javascript: TERMS.javascript })}</p>

        <h2>{t('pages.a11y.review.title')}</h2>
        <p>
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
        <h1 id="page-title">{title}</h1>
        <p class="lead">{t('pages.privacy.intro')}</p>

        <h2>{t('pages.privacy.visitors.title')}</h2>
        <ul>
          <li>{t('pages.privacy.visitors.noData')}</li>
          <li>{t('pages.privacy.visitors.noTracking')}</li>
          <li>{t('pages.privacy.visitors.noThirdParty')}</li>
          <li>{t('pages.privacy.visitors.search')}</li>
        </ul>
        <p>{t('pages.privacy.visitors.logs')}</p>

        <h2>{t('pages.privacy.cookies.title')}</h2>
        <p>{t('pages.privacy.cookies.intro')}</p>
        <div class="table-wrap">
          <table>
            <caption>{t('pages.privacy.cookies.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('pages.privacy.cookies.name')}</th>
                <th scope="col">{t('pages.privacy.cookies.purpose')}</th>
                <th scope="col">{t('pages.privacy.cookies.duration')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">
                  <code>{COOKIES.session.name}</code>
                </th>
                <td>{t('pages.privacy.cookies.session.purpose')}</td>
                <td>{t('pages.privacy.cookies.session.duration', { days: COOKIES.session.days })}</td>
              </tr>
              <tr>
                <th scope="row">
                  <code>{COOKIES.csrf.name}</code>
                </th>
                <td>{t('pages.privacy.cookies.csrf.purpose')}</td>
                <td>{t('pages.privacy.cookies.csrf.duration')}</td>
              </tr>
              <tr>
                <th scope="row">
                  <code>{COOKIES.flash.name}</code>
                </th>
                <td>{t('pages.privacy.cookies.flash.purpose')}</td>
                <td>{t('pages.privacy.cookies.flash.duration', { seconds: COOKIES.flash.seconds })}</td>
              </tr>
            </tbody>
          </table>
        </div>

        <h2>{t('pages.privacy.accounts.title')}</h2>
        <p>{t('pages.privacy.accounts.body')}</p>

        <h2>{t('pages.privacy.published.title')}</h2>
        <p>{t('pages.privacy.published.body')}</p>

        <h2>{t('pages.privacy.law.title')}</h2>
        <p>{t('pages.privacy.law.body', { law: TERMS.law })}</p>

        <h2>{t('pages.privacy.rights.title')}</h2>
        <p>{t('pages.privacy.rights.body')}</p>

        <h2>{t('pages.privacy.contact.title')}</h2>
        <p>{t('pages.privacy.contact.body')}</p>

        <p class="updated">{t('pages.privacy.updated', { date: formatDate(ctx.locale, PRIVACY_UPDATED_ON) })}</p>
      </article>
    </Layout>
  );
}

import { escapeHtml } from '@kitajs/html';
import { formatDate, formatDateTime } from '../../i18n/index.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import type { ApiTokenRow } from './api-tokens.js';

/**
 * The account page's API tokens section (the write API, modules/api): the person's live tokens
 * (name, created, last used, expiry) each with a revoke button, a new token shown once after it is
 * made, and the form that makes one. Words are the API module's (`api.tokens.*`).
 */
export interface TokenSectionData {
  tokens: ApiTokenRow[];
  /** Shown once, right after it was made. */
  created?: { name: string; token: string } | undefined;
  values?: FormValues | undefined;
}

export function ApiTokensSection({ ctx, data, errors }: { ctx: PageContext; data: TokenSectionData; errors?: FormErrors | undefined }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin/account/tokens`;
  const when = (iso: string | null) => (iso ? formatDateTime(locale, iso, 'UTC', 'medium') : t('api.tokens.never'));
  return (
    <section aria-labelledby="api-tokens">
      <h2 id="api-tokens">{escapeHtml(t('api.tokens.heading'))}</h2>
      <p>
        {escapeHtml(t('api.tokens.intro'))} <a href={`/${locale}/api`}>{escapeHtml(t('api.tokens.docs'))}</a>
      </p>
      {data.created ? (
        <div class="notice notice-warning" role="alert" id="new-api-token">
          <p safe>{t('api.tokens.created', { name: data.created.name })}</p>
          <p>
            <code id="new-api-token-value" safe>
              {data.created.token}
            </code>
          </p>
          <p safe>{t('api.tokens.onlyOnce')}</p>
        </div>
      ) : (
        ''
      )}
      {data.tokens.length ? (
        <table>
          <caption safe>{t('api.tokens.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('api.tokens.name')}</th>
              <th scope="col" safe>{t('api.tokens.createdAt')}</th>
              <th scope="col" safe>{t('api.tokens.lastUsed')}</th>
              <th scope="col" safe>{t('api.tokens.expires')}</th>
              <th scope="col" safe>{t('api.tokens.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.tokens.map((token) => (
              <tr>
                <td safe>{token.name}</td>
                <td safe>{when(token.createdAt)}</td>
                <td safe>{when(token.lastUsedAt)}</td>
                <td safe>{token.expiresAt ? formatDate(locale, new Date(Date.parse(token.expiresAt) - 1).toISOString().slice(0, 10)) : t('api.tokens.noExpiry')}</td>
                <td>
                  <form method="post" action={`${base}/${token.id}/revoke`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="button-secondary">
                      {escapeHtml(t('api.tokens.revoke'))}
                      <span class="visually-hidden" safe>
                        {` ${token.name}`}
                      </span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p safe>{t('api.tokens.none')}</p>
      )}
      <h3 safe>{t('api.tokens.new')}</h3>
      <form method="post" action={base} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="token_name" label={t('api.tokens.name')} hint={t('api.tokens.nameHint')} values={data.values ?? {}} errors={errors} />
        <TextField ctx={ctx} name="token_expires" type="date" label={t('api.tokens.expires')} hint={t('api.tokens.expiresHint')} optional values={data.values ?? {}} errors={errors} />
        <button type="submit">{escapeHtml(t('api.tokens.create'))}</button>
      </form>
    </section>
  );
}

/** Revoking asks first (a page, so it works without JavaScript); the confirmation's own POST revokes. */
export function RevokeTokenPage({ ctx, token }: { ctx: PageContext; token: ApiTokenRow }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin/account/tokens/${token.id}/revoke`;
  return (
    <Layout ctx={ctx} title={t('api.tokens.revokeTitle')} admin>
      <h1 safe>{t('api.tokens.revokeTitle')}</h1>
      <p safe>{t('api.tokens.revokeQuestion', { name: token.name })}</p>
      <form method="post" action={base}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit">{escapeHtml(t('api.tokens.revokeConfirm'))}</button>
      </form>
      <p>
        <a href={`/${locale}/admin/account`}>{escapeHtml(t('form.cancel'))}</a>
      </p>
    </Layout>
  );
}

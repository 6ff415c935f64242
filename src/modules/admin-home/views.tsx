import { escapeHtml } from '@kitajs/html';
import { Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import type { Translatable } from '../../lib/translatable.js';

export interface AdminHomeData {
  /** The roles the person holds, described ("Coordinator · Municipality of Gjakova"). */
  roles: string[];
  jurisdictions: { slug: string; name: Translatable; kind: string; countryCode: string }[];
  canCreateJurisdiction: boolean;
  /** Shows the link to people and roles (canManageUsers from the accounts module). */
  canManageUsers?: boolean;
  /** Shows the link to the reporting overview. */
  canOpenReporting?: boolean;
}

/** The administration's start page: who is signed in, their roles, and what they may do. */
export function AdminHomePage({ ctx, data }: { ctx: PageContext; data: AdminHomeData }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin`;
  // Roles without tasks in Besa yet (the Forum's secretary, the monitoring body, moderators): say so.
  const nothingToDo = data.jurisdictions.length === 0 && !data.canCreateJurisdiction && !data.canManageUsers && !data.canOpenReporting;
  return (
    <Layout ctx={ctx} title={t('adminHome.title')} admin>
      <h1>{escapeHtml(t('adminHome.title'))}</h1>
      <div class="account-bar">
        <p safe>{t('accounts.signedInAs', { name: ctx.user?.displayName ?? '' })}</p>
        <a href={`${base}/account`}>{escapeHtml(t('accounts.account.title'))}</a>
        <form method="post" action={`/${locale}/logout`} class="inline-form">
          <CsrfField ctx={ctx} />
          <button type="submit" class="button-secondary">
            {escapeHtml(t('accounts.logout'))}
          </button>
        </form>
      </div>

      <h2>{escapeHtml(t('adminHome.roles'))}</h2>
      <ul class="admin-roles">
        {data.roles.map((role) => (
          <li safe>{role}</li>
        ))}
      </ul>
      {nothingToDo ? <p safe>{t('adminHome.nothingYet')}</p> : ''}

      {data.jurisdictions.length === 0 && !data.canCreateJurisdiction ? (
        ''
      ) : (
        <h2>{escapeHtml(t('adminHome.jurisdictions'))}</h2>
      )}
      {data.jurisdictions.length === 0 ? (
        data.canCreateJurisdiction ? (
          <p safe>{t('adminHome.empty.first')}</p>
        ) : (
          ''
        )
      ) : (
        <ul class="admin-jurisdictions">
          {data.jurisdictions.map((j) => (
            <li>
              <a href={`${base}/jurisdictions/${encodeURIComponent(j.slug)}`}>
                <Localized ctx={ctx} value={j.name} empty={j.slug} />
              </a>{' '}
              <span class="meta" safe>
                {`${t(`domain.jurisdictionKind.${j.kind}` as 'domain.jurisdictionKind.local')} · ${j.countryCode}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ul class="admin-actions">
        {data.canOpenReporting ? (
          <li>
            <a href={`${base}/reporting`}>{escapeHtml(t('reporting.overview.title'))}</a>
          </li>
        ) : (
          ''
        )}
        {data.canCreateJurisdiction ? (
          <li>
            <a class="button" href={`${base}/jurisdictions/new`}>
              {escapeHtml(t('adminHome.newJurisdiction'))}
            </a>
          </li>
        ) : (
          ''
        )}
        {data.jurisdictions.length > 0 ? (
          <li>
            <a href={`${base}/jurisdictions`}>{escapeHtml(t('adminHome.allJurisdictions'))}</a>
          </li>
        ) : (
          ''
        )}
        {data.canManageUsers ? (
          <li>
            <a href={`${base}/users`}>{escapeHtml(t('accounts.users.title'))}</a>
          </li>
        ) : (
          ''
        )}
        {data.canManageUsers ? (
          <li>
            <a href={`${base}/mail`}>{escapeHtml(t('mailAdmin.title'))}</a>
          </li>
        ) : (
          ''
        )}
      </ul>
    </Layout>
  );
}

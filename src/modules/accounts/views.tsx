import { escapeHtml } from '@kitajs/html';
import { LOCALES, LOCALE_NAMES } from '../../i18n/locales.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { ApiTokensSection, type TokenSectionData } from './api-token-views.js';

export function LoginPage({ ctx, values, errors, next }: { ctx: PageContext; values: FormValues; errors?: FormErrors; next: string }): JSX.Element {
  const { t } = ctx;
  const labels = { email: t('accounts.login.email'), password: t('accounts.login.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.login.title')} admin>
      <h1>{escapeHtml(t('accounts.login.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`/${ctx.locale}/login`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={next} />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} values={values} errors={errors} autocomplete="username" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} values={values} errors={errors} autocomplete="current-password" />
        <button type="submit">{escapeHtml(t('accounts.login.submit'))}</button>
      </form>
      <p>
        <a href={`/${ctx.locale}/password-reset`}>{escapeHtml(t('accounts.login.forgot'))}</a>
      </p>
    </Layout>
  );
}

export function SetupPage({ ctx, token, values, errors }: { ctx: PageContext; token: string; values: FormValues; errors?: FormErrors }): JSX.Element {
  const { t } = ctx;
  const labels = { display_name: t('accounts.setup.displayName'), email: t('accounts.setup.email'), password: t('accounts.setup.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.setup.title')} admin>
      <h1>{escapeHtml(t('accounts.setup.title'))}</h1>
      <p>{escapeHtml(t('accounts.setup.intro'))}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`/${ctx.locale}/setup/${encodeURIComponent(token)}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="display_name" label={labels.display_name} values={values} errors={errors} autocomplete="name" />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} values={values} errors={errors} autocomplete="email" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('accounts.setup.passwordHint')} values={values} errors={errors} autocomplete="new-password" />
        <button type="submit">{escapeHtml(t('accounts.setup.submit'))}</button>
      </form>
    </Layout>
  );
}

export function MessagePage({ ctx, title, body }: { ctx: PageContext; title: string; body: string }): JSX.Element {
  return (
    <Layout ctx={ctx} title={title} admin>
      <h1 safe>{title}</h1>
      <p safe>{body}</p>
    </Layout>
  );
}

// ─── Sign-in, second step, invitations, password reset ──────────────────────────────────

export function TwoFactorLoginPage({ ctx, errors, next }: { ctx: PageContext; errors?: FormErrors | undefined; next: string }): JSX.Element {
  const { t } = ctx;
  const labels = { code: t('accounts.twoFactor.code') };
  return (
    <Layout ctx={ctx} title={t('accounts.twoFactor.login.title')} admin>
      <h1>{escapeHtml(t('accounts.twoFactor.login.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p>{escapeHtml(t('accounts.twoFactor.login.intro'))}</p>
      <form method="post" action={`/${ctx.locale}/login/two-factor`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={next} />
        <TextField ctx={ctx} name="code" label={labels.code} values={{}} errors={errors} autocomplete="one-time-code" />
        <button type="submit">{escapeHtml(t('accounts.twoFactor.login.submit'))}</button>
      </form>
    </Layout>
  );
}

export function InvitationPage(props: { ctx: PageContext; token: string; email: string; role: string; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  const labels = { display_name: t('accounts.setup.displayName'), password: t('accounts.setup.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.invitation.title')} admin>
      <h1>{escapeHtml(t('accounts.invitation.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p safe>{t('accounts.invitation.intro', { role: t(`accounts.role.${props.role}` as 'accounts.role.administrator') })}</p>
      <p safe>{t('accounts.invitation.email', { email: props.email })}</p>
      <form method="post" action={`/${ctx.locale}/invitations/${encodeURIComponent(props.token)}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="display_name" label={labels.display_name} values={values} errors={errors} autocomplete="name" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('accounts.setup.passwordHint')} values={values} errors={errors} autocomplete="new-password" />
        <button type="submit">{escapeHtml(t('accounts.invitation.submit'))}</button>
      </form>
    </Layout>
  );
}

export function ResetRequestPage({ ctx, values, errors }: { ctx: PageContext; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { t } = ctx;
  const labels = { email: t('accounts.login.email') };
  return (
    <Layout ctx={ctx} title={t('accounts.reset.title')} admin>
      <h1>{escapeHtml(t('accounts.reset.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p>{escapeHtml(t('accounts.reset.intro'))}</p>
      <form method="post" action={`/${ctx.locale}/password-reset`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} values={values} errors={errors} autocomplete="username" />
        <button type="submit">{escapeHtml(t('accounts.reset.submit'))}</button>
      </form>
    </Layout>
  );
}

export function ResetPasswordPage({ ctx, token, errors }: { ctx: PageContext; token: string; errors?: FormErrors | undefined }): JSX.Element {
  const { t } = ctx;
  const labels = { password: t('accounts.reset.new.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.reset.new.title')} admin>
      <h1>{escapeHtml(t('accounts.reset.new.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`/${ctx.locale}/password-reset/${encodeURIComponent(token)}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('accounts.setup.passwordHint')} values={{}} errors={errors} autocomplete="new-password" />
        <button type="submit">{escapeHtml(t('accounts.reset.new.submit'))}</button>
      </form>
    </Layout>
  );
}

// ─── Own account ────────────────────────────────────────────────────────────────────────

export interface AccountData {
  sessions: number;
  twoFactor: boolean;
  canManageUsers: boolean;
  /** The language of one's e-mails, or '' for the language of the page that causes each. */
  language: string;
}

/** The languages to write to a person in, each named in itself (as in the language switcher). */
const LANGUAGE_OPTIONS = LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }));

export function AccountPage({ ctx, data, errors, tokens }: { ctx: PageContext; data: AccountData; errors?: FormErrors | undefined; tokens?: TokenSectionData | undefined }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin`;
  const labels = {
    current_password: t('accounts.account.password.current'),
    new_password: t('accounts.account.password.new'),
    language: t('accounts.account.language.label'),
    token_name: t('api.tokens.name'),
    token_expires: t('api.tokens.expires'),
  };
  return (
    <Layout ctx={ctx} title={t('accounts.account.title')} admin>
      <h1>{escapeHtml(t('accounts.account.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p safe>{t('accounts.signedInAs', { name: ctx.user?.displayName ?? '' })}</p>
      {data.canManageUsers ? (
        <p>
          <a href={`${base}/users`}>{escapeHtml(t('accounts.users.title'))}</a>
        </p>
      ) : (
        ''
      )}

      <h2>{escapeHtml(t('accounts.account.password.heading'))}</h2>
      <form method="post" action={`${base}/account/password`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="current_password" type="password" label={labels.current_password} values={{}} errors={errors} autocomplete="current-password" />
        <TextField ctx={ctx} name="new_password" type="password" label={labels.new_password} hint={t('accounts.setup.passwordHint')} values={{}} errors={errors} autocomplete="new-password" />
        <button type="submit">{escapeHtml(t('accounts.account.password.submit'))}</button>
      </form>

      <h2>{escapeHtml(t('accounts.account.language.heading'))}</h2>
      <form method="post" action={`${base}/account/language`} novalidate>
        <CsrfField ctx={ctx} />
        <Select
          ctx={ctx}
          name="language"
          label={labels.language}
          hint={t('accounts.account.language.hint')}
          optional
          values={{ language: data.language }}
          errors={errors}
          options={LANGUAGE_OPTIONS}
        />
        <button type="submit">{escapeHtml(t('accounts.account.language.submit'))}</button>
      </form>

      <h2>{escapeHtml(t('accounts.account.twoFactor.heading'))}</h2>
      <p>{escapeHtml(t(data.twoFactor ? 'accounts.account.twoFactor.on' : 'accounts.account.twoFactor.off'))}</p>
      <p>
        <a href={`${base}/account/two-factor`}>{escapeHtml(t('accounts.account.twoFactor.manage'))}</a>
      </p>

      <h2>{escapeHtml(t('accounts.account.sessions.heading'))}</h2>
      <p>{escapeHtml(t('accounts.account.sessions.count', { count: data.sessions }))}</p>
      <p>{escapeHtml(t('accounts.account.sessions.intro'))}</p>
      <form method="post" action={`${base}/account/sign-out-everywhere`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button-secondary">
          {escapeHtml(t('accounts.account.sessions.submit'))}
        </button>
      </form>
      {tokens ? <ApiTokensSection ctx={ctx} data={tokens} errors={errors} /> : ''}
    </Layout>
  );
}

export type TwoFactorState = { kind: 'off' } | { kind: 'setup'; secret: string; formattedSecret: string; uri: string } | { kind: 'on' };

export function TwoFactorPage({ ctx, state, errors }: { ctx: PageContext; state: TwoFactorState; errors?: FormErrors | undefined }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin/account/two-factor`;
  const labels = { code: t('accounts.twoFactor.code'), password: t('accounts.login.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.twoFactor.title')} admin>
      <h1>{escapeHtml(t('accounts.twoFactor.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      {state.kind === 'off' ? (
        <>
          <p>{escapeHtml(t('accounts.twoFactor.start.intro'))}</p>
          <form method="post" action={`${base}/start`}>
            <CsrfField ctx={ctx} />
            <button type="submit">{escapeHtml(t('accounts.twoFactor.start.submit'))}</button>
          </form>
        </>
      ) : state.kind === 'setup' ? (
        <>
          <p>{escapeHtml(t('accounts.twoFactor.setup.step1'))}</p>
          <dl class="totp-secret">
            <dt>{escapeHtml(t('accounts.twoFactor.setup.secret'))}</dt>
            <dd>
              <code safe>{state.formattedSecret}</code>
            </dd>
            <dt>{escapeHtml(t('accounts.twoFactor.setup.uri'))}</dt>
            <dd>
              <code class="break" safe>
                {state.uri}
              </code>
            </dd>
          </dl>
          <p>{escapeHtml(t('accounts.twoFactor.setup.step2'))}</p>
          <form method="post" action={`${base}/enable`} novalidate>
            <CsrfField ctx={ctx} />
            <TextField ctx={ctx} name="code" label={labels.code} values={{}} errors={errors} autocomplete="one-time-code" />
            <button type="submit">{escapeHtml(t('accounts.twoFactor.setup.submit'))}</button>
          </form>
        </>
      ) : (
        <>
          <p>{escapeHtml(t('accounts.twoFactor.on.intro'))}</p>
          <form method="post" action={`${base}/disable`} novalidate>
            <CsrfField ctx={ctx} />
            <TextField ctx={ctx} name="password" type="password" label={labels.password} values={{}} errors={errors} autocomplete="current-password" />
            <TextField ctx={ctx} name="code" label={labels.code} values={{}} errors={errors} autocomplete="one-time-code" />
            <button type="submit" class="button-secondary">
              {escapeHtml(t('accounts.twoFactor.disable.submit'))}
            </button>
          </form>
        </>
      )}
      <p>
        <a href={`/${locale}/admin/account`}>{escapeHtml(t('accounts.twoFactor.back'))}</a>
      </p>
    </Layout>
  );
}

// ─── People and roles (administrators) ──────────────────────────────────────────────────

export interface RoleView {
  key: string;
  label: string;
  manageable: boolean;
}

export interface UserListItem {
  id: number;
  email: string;
  displayName: string;
  disabled: boolean;
  twoFactor: boolean;
  roles: string[];
}

export interface PendingInvitation {
  email: string;
  role: string;
  expiresOn: string;
}

export function UsersPage({ ctx, users, invitations }: { ctx: PageContext; users: UserListItem[]; invitations: PendingInvitation[] }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin/users`;
  return (
    <Layout ctx={ctx} title={t('accounts.users.title')} admin>
      <h1>{escapeHtml(t('accounts.users.title'))}</h1>
      <p>
        <a class="button" href={`${base}/invite`}>
          {escapeHtml(t('accounts.users.invite'))}
        </a>
      </p>
      <div class="table-wrap">
        <table>
          <caption>{escapeHtml(t('accounts.users.caption', { count: users.length }))}</caption>
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('accounts.users.name'))}</th>
              <th scope="col">{escapeHtml(t('accounts.login.email'))}</th>
              <th scope="col">{escapeHtml(t('accounts.users.roles'))}</th>
              <th scope="col">{escapeHtml(t('accounts.users.status'))}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <th scope="row">
                  <a href={`${base}/${u.id}`} safe>
                    {u.displayName}
                  </a>
                </th>
                <td safe>{u.email}</td>
                <td>
                  {u.roles.length === 0 ? (
                    escapeHtml(t('accounts.roles.none'))
                  ) : (
                    <ul class="plain">
                      {u.roles.map((r) => (
                        <li safe>{r}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td safe>
                  {[u.disabled ? t('accounts.users.status.removed') : t('accounts.users.status.active'), u.twoFactor ? t('accounts.users.status.twoFactor') : ''].filter(Boolean).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {invitations.length > 0 ? (
        <>
          <h2>{escapeHtml(t('accounts.users.pending'))}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{escapeHtml(t('accounts.login.email'))}</th>
                  <th scope="col">{escapeHtml(t('accounts.invite.role'))}</th>
                  <th scope="col">{escapeHtml(t('accounts.users.validUntil'))}</th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr>
                    <td safe>{i.email}</td>
                    <td safe>{i.role}</td>
                    <td safe>{i.expiresOn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        ''
      )}
      <p>
        <a href={`/${locale}/admin/account`}>{escapeHtml(t('accounts.account.title'))}</a>
      </p>
    </Layout>
  );
}

export interface ScopeOptions {
  roles: { value: string; label: string }[];
  jurisdictions: { value: string; label: string }[];
  institutions: { value: string; label: string }[];
}

export function InvitePage({ ctx, options, values, errors }: { ctx: PageContext; options: ScopeOptions; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { t, locale } = ctx;
  const labels = {
    email: t('accounts.invite.email'),
    role: t('accounts.invite.role'),
    jurisdiction: t('accounts.invite.jurisdiction'),
    institution: t('accounts.invite.institution'),
    language: t('accounts.invite.language'),
  };
  return (
    <Layout ctx={ctx} title={t('accounts.invite.title')} admin>
      <h1>{escapeHtml(t('accounts.invite.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p>{escapeHtml(t('accounts.invite.intro'))}</p>
      <form method="post" action={`/${locale}/admin/users/invite`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} values={values} errors={errors} autocomplete="off" />
        <Select ctx={ctx} name="role" label={labels.role} values={values} errors={errors} options={options.roles} />
        <Select ctx={ctx} name="jurisdiction" label={labels.jurisdiction} hint={t('accounts.invite.jurisdictionHint')} optional values={values} errors={errors} options={options.jurisdictions} />
        <Select ctx={ctx} name="institution" label={labels.institution} hint={t('accounts.invite.institutionHint')} optional values={values} errors={errors} options={options.institutions} />
        <Select
          ctx={ctx}
          name="language"
          label={labels.language}
          hint={t('accounts.invite.languageHint')}
          values={{ ...values, language: values.language || locale }}
          errors={errors}
          options={LANGUAGE_OPTIONS}
        />
        <button type="submit">{escapeHtml(t('accounts.invite.submit'))}</button>
        <a href={`/${locale}/admin/users`}>{escapeHtml(t('form.cancel'))}</a>
      </form>
    </Layout>
  );
}

export function UserPage(props: {
  ctx: PageContext;
  user: { id: number; displayName: string; email: string; disabled: boolean; isSelf: boolean; canRemove: boolean };
  roles: RoleView[];
  kept: string[];
  options: ScopeOptions;
  values: FormValues;
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { ctx, user, roles, options, values, errors } = props;
  const { t, locale } = ctx;
  const base = `/${locale}/admin/users/${user.id}`;
  const labels = { keep: t('accounts.user.current'), new_role: t('accounts.invite.role'), new_jurisdiction: t('accounts.invite.jurisdiction'), new_institution: t('accounts.invite.institution') };
  const manageable = roles.filter((r) => r.manageable);
  const fixed = roles.filter((r) => !r.manageable);
  return (
    <Layout ctx={ctx} title={t('accounts.user.title', { name: user.displayName })} admin>
      <h1 safe>{t('accounts.user.title', { name: user.displayName })}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p safe>{user.email}</p>
      {user.disabled ? <p class="notice">{escapeHtml(t('accounts.user.removedNote'))}</p> : ''}
      <form method="post" action={base} novalidate>
        <CsrfField ctx={ctx} />
        {manageable.length > 0 ? <p class="hint">{escapeHtml(t('accounts.user.keepHint'))}</p> : ''}
        {manageable.length > 0 ? (
          <Checkboxes ctx={ctx} name="keep" label={labels.keep} values={values} errors={errors} options={manageable.map((r) => ({ value: r.key, label: r.label }))} selected={props.kept} />
        ) : errors?.for('keep') ? (
          <p class="error-message" id="field-keep" safe>
            {t(errors.for('keep')!.message as 'accounts.error.ownAdmin')}
          </p>
        ) : (
          ''
        )}
        {fixed.length > 0 ? (
          <>
            <h2>{escapeHtml(t('accounts.user.notManaged'))}</h2>
            <ul>
              {fixed.map((r) => (
                <li safe>{r.label}</li>
              ))}
            </ul>
          </>
        ) : (
          ''
        )}
        <h2>{escapeHtml(t('accounts.user.add'))}</h2>
        <Select ctx={ctx} name="new_role" label={labels.new_role} optional values={values} errors={errors} options={options.roles} />
        <Select ctx={ctx} name="new_jurisdiction" label={labels.new_jurisdiction} hint={t('accounts.invite.jurisdictionHint')} optional values={values} errors={errors} options={options.jurisdictions} />
        <Select ctx={ctx} name="new_institution" label={labels.new_institution} hint={t('accounts.invite.institutionHint')} optional values={values} errors={errors} options={options.institutions} />
        <button type="submit">{escapeHtml(t('accounts.user.save'))}</button>
      </form>
      {user.canRemove ? (
        <>
          <h2>{escapeHtml(t('accounts.user.remove.heading'))}</h2>
          <p>{escapeHtml(t('accounts.user.remove.intro'))}</p>
          <form method="post" action={`${base}/remove`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button-warning">
              {escapeHtml(t('accounts.user.remove.submit'))}
            </button>
          </form>
        </>
      ) : (
        ''
      )}
      <p>
        <a href={`/${locale}/admin/users`}>{escapeHtml(t('accounts.users.title'))}</a>
      </p>
    </Layout>
  );
}

import { formatDate, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { BODY_KINDS, COMPOSITION_RULES, GROUPS, isCurrent, MEMBER_ROLES, SECTORS } from './domain.js';
import type { AdminMember, BodyView } from './queries.js';
import { bodiesPath as publicBodiesPath, bodyPath as publicBodyPath } from './public-views.js';

/** Admin pages of bodies, under /{locale}/admin/jurisdictions/{j}/bodies. */

export interface AdminScope {
  jurisdiction: { slug: string; name: Translatable };
}

export function adminBodiesPath(locale: Locale, jurisdiction: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/bodies`;
}

export function adminBodyPath(locale: Locale, jurisdiction: string, body: string): string {
  return `${adminBodiesPath(locale, jurisdiction)}/${encodeURIComponent(body)}/edit`;
}

export function adminMemberPath(locale: Locale, jurisdiction: string, body: string, memberId: number): string {
  return `${adminBodiesPath(locale, jurisdiction)}/${encodeURIComponent(body)}/members/${memberId}/edit`;
}

/** Adds `?content=` when the content language is not the page's own. */
export function withContent(path: string, ctx: PageContext, contentLocale: Locale): string {
  return contentLocale === ctx.locale ? path : `${path}?content=${encodeURIComponent(contentLocale)}`;
}

function crumbs(ctx: PageContext, scope: AdminScope, canOpenJurisdiction: boolean): Crumb[] {
  const j = `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}`;
  const name = pickText(scope.jurisdiction.name, ctx.locale) || scope.jurisdiction.slug;
  return [
    { href: `/${ctx.locale}/admin`, label: ctx.t('ui.nav.admin') },
    canOpenJurisdiction ? { href: j, label: name } : { label: name },
    { href: adminBodiesPath(ctx.locale, scope.jurisdiction.slug), label: ctx.t('bodies.admin.title') },
  ];
}

/** Whether the member's name is published: consent and its date, or none; '—' for a member without a name. */
function consentText(ctx: PageContext, m: AdminMember): string {
  if (!m.storedName) return '—';
  return m.nameConsentAt ? ctx.t('bodies.member.consentSince', { date: formatDate(ctx.locale, m.nameConsentAt.slice(0, 10)) }) : ctx.t('bodies.member.noConsent');
}

function memberWho(ctx: PageContext, m: AdminMember): string {
  return m.storedName || pickText(m.organisation, ctx.locale) || ctx.t('bodies.member.unnamed');
}

export function BodiesAdminPage(props: { ctx: PageContext; scope: AdminScope; canOpenJurisdiction: boolean; bodies: BodyView[]; memberCounts: Map<number, number> }): JSX.Element {
  const { ctx, scope } = props;
  const { t } = ctx;
  const title = t('bodies.admin.title');
  const base = adminBodiesPath(ctx.locale, scope.jurisdiction.slug);
  const [first, second] = crumbs(ctx, scope, props.canOpenJurisdiction);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[first!, second!, { label: title }]} />
      <h1 safe>{title}</h1>
      <p safe>{t('bodies.admin.intro')}</p>
      <p>
        <a class="button" href={`${base}/new`} safe>
          {t('bodies.admin.new')}
        </a>{' '}
        <a href={publicBodiesPath(ctx.locale, scope.jurisdiction.slug)} safe>
          {t('bodies.admin.publicPage')}
        </a>
      </p>
      {props.bodies.length === 0 ? (
        <p safe>{t('bodies.list.none')}</p>
      ) : (
        <table>
          <caption safe>{t('bodies.admin.caption', { count: props.bodies.length })}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('bodies.field.name')}</th>
              <th scope="col" safe>{t('bodies.field.kind')}</th>
              <th scope="col" safe>{t('bodies.admin.members')}</th>
              <th scope="col" safe>{t('bodies.admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.bodies.map((b) => (
              <tr>
                <th scope="row">
                  <Localized ctx={ctx} value={b.name} empty={b.slug} />
                  {b.isDemo ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </th>
                <td safe>{t(`bodies.kind.${b.kind}` as MessageKey)}</td>
                <td safe>{String(props.memberCounts.get(b.id) ?? 0)}</td>
                <td>
                  <a href={adminBodyPath(ctx.locale, scope.jurisdiction.slug, b.slug)}>
                    <span safe>{t('bodies.admin.edit')}</span>
                    <span class="visually-hidden" safe>{` ${pickText(b.name, ctx.locale) || b.slug}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function bodyLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    kind: t('bodies.field.kind'),
    parent_id: t('bodies.field.parent'),
    slug: t('bodies.field.slug'),
    name: t('bodies.field.name'),
    mandate: t('bodies.field.mandate'),
    rules: t('bodies.field.rules'),
    composition_rules: t('bodies.field.compositionRules'),
    meets_every_days: t('bodies.field.meetsEveryDays'),
    established_on: t('bodies.field.establishedOn'),
  };
}

export interface BodyFormProps {
  ctx: PageContext;
  scope: AdminScope;
  canOpenJurisdiction: boolean;
  /** The stored body when editing. */
  body?: BodyView | undefined;
  action: string;
  forums: BodyView[];
  values: FormValues;
  compositionRules: string[];
  contentLocale: Locale;
  filledLocales: Locale[];
  errors?: FormErrors | undefined;
  members?: AdminMember[] | undefined;
  today: string;
}

export function BodyFormPage(props: BodyFormProps): JSX.Element {
  const { ctx, scope, values, contentLocale, body } = props;
  const { t } = ctx;
  const labels = bodyLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const title = body ? t('bodies.admin.editTitle', { name: pickText(body.name, ctx.locale) || body.slug }) : t('bodies.admin.newTitle');
  const lang = contentLocale;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope, props.canOpenJurisdiction), { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      {body ? (
        <>
          <p>
            <a href={publicBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug)} safe>
              {t('bodies.admin.publicBodyPage')}
            </a>
          </p>
          <MemberList ctx={ctx} scope={scope} body={body} members={props.members ?? []} today={props.today} />
          <h2 id="body-form-title" safe>
            {t('bodies.admin.formTitle')}
          </h2>
        </>
      ) : (
        ''
      )}
      <ContentLanguages ctx={ctx} current={contentLocale} path={props.action} withText={body ? props.filledLocales : undefined} />
      <form method="post" action={withContent(props.action, ctx, contentLocale)} novalidate aria-labelledby={body ? 'body-form-title' : undefined}>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <Select
          ctx={ctx}
          name="kind"
          label={labels.kind!}
          values={values}
          errors={errors}
          placeholder={body ? undefined : t('bodies.field.kindChoose')}
          options={BODY_KINDS.map((k) => ({ value: k, label: t(`bodies.kind.${k}` as MessageKey) }))}
        />
        <Select
          ctx={ctx}
          name="parent_id"
          label={labels.parent_id!}
          hint={t('bodies.field.parentHint')}
          values={values}
          errors={errors}
          optional
          options={props.forums.filter((f) => f.id !== body?.id).map((f) => ({ value: String(f.id), label: pickText(f.name, ctx.locale) || f.slug }))}
        />
        <TextField ctx={ctx} name="slug" label={labels.slug!} hint={t('bodies.field.slugHint')} values={values} errors={errors} />
        <fieldset class="translatable">
          <legend safe>{t('bodies.admin.texts', { language: languageName(ctx, contentLocale) })}</legend>
          <TextField ctx={ctx} name="name" label={labels.name!} values={values} errors={errors} lang={lang} />
          <TranslationReference ctx={ctx} label={labels.name!} value={body?.name} locale={contentLocale} />
          <TextArea ctx={ctx} name="mandate" label={labels.mandate!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.mandate!} value={body?.mandate} locale={contentLocale} />
          <TextArea ctx={ctx} name="rules" label={labels.rules!} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.rules!} value={body?.rules} locale={contentLocale} />
        </fieldset>
        <Checkboxes
          ctx={ctx}
          name="composition_rules"
          label={labels.composition_rules!}
          values={values}
          errors={errors}
          selected={props.compositionRules}
          options={COMPOSITION_RULES.map((r) => ({ value: r, label: t(`bodies.rule.${r}` as MessageKey) }))}
        />
        <TextField ctx={ctx} name="meets_every_days" type="number" label={labels.meets_every_days!} hint={t('bodies.field.meetsEveryDaysHint')} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="established_on" type="date" label={labels.established_on!} hint={t('bodies.field.dateHint')} values={values} errors={errors} optional />
        <div class="form-actions">
          <button type="submit" safe>
            {body ? t('form.save') : t('bodies.admin.create')}
          </button>{' '}
          <a href={adminBodiesPath(ctx.locale, scope.jurisdiction.slug)} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

function MemberList({ ctx, scope, body, members, today }: { ctx: PageContext; scope: AdminScope; body: BodyView; members: AdminMember[]; today: string }): JSX.Element {
  const { t } = ctx;
  const base = `${adminBodiesPath(ctx.locale, scope.jurisdiction.slug)}/${encodeURIComponent(body.slug)}`;
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title" safe>
        {t('bodies.body.members')}
      </h2>
      <p>
        <a class="button" href={`${base}/members/new`} safe>
          {t('bodies.admin.addMember')}
        </a>
      </p>
      {members.length === 0 ? (
        <p safe>{t('bodies.body.noMembers')}</p>
      ) : (
        <table>
          <caption safe>{t('bodies.admin.membersCaption', { count: members.length })}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('bodies.member.who')}</th>
              <th scope="col" safe>{t('bodies.member.namePublished')}</th>
              <th scope="col" safe>{t('bodies.field.email')}</th>
              <th scope="col" safe>{t('bodies.member.sector')}</th>
              <th scope="col" safe>{t('bodies.member.role')}</th>
              <th scope="col" safe>{t('bodies.member.term')}</th>
              <th scope="col" safe>{t('bodies.admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr>
                <th scope="row">
                  <span safe>{memberWho(ctx, m)}</span>
                  {m.isDemo ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </th>
                <td safe>{consentText(ctx, m)}</td>
                <td safe>{m.email ?? '—'}</td>
                <td safe>{t(`bodies.sector.${m.sector}` as MessageKey)}</td>
                <td safe>{t(`bodies.role.${m.role}` as MessageKey)}</td>
                <td safe>{isCurrent(m, today) ? t('bodies.term.current') : t('bodies.term.notCurrent')}</td>
                <td>
                  <a href={adminMemberPath(ctx.locale, scope.jurisdiction.slug, body.slug, m.id)}>
                    <span safe>{t('bodies.admin.edit')}</span>
                    <span class="visually-hidden" safe>{` ${memberWho(ctx, m)}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function memberLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    organisation: t('bodies.field.organisation'),
    person_name: t('bodies.field.personName'),
    name_consent: t('bodies.field.nameConsent'),
    email: t('bodies.field.email'),
    sector: t('bodies.member.sector'),
    represented_groups: t('bodies.member.groups'),
    role: t('bodies.member.role'),
    term_start: t('bodies.field.termStart'),
    term_end: t('bodies.field.termEnd'),
  };
}

export interface MemberFormProps {
  ctx: PageContext;
  scope: AdminScope;
  canOpenJurisdiction: boolean;
  body: BodyView;
  member?: AdminMember | undefined;
  action: string;
  values: FormValues;
  groups: string[];
  consent: boolean;
  contentLocale: Locale;
  errors?: FormErrors | undefined;
}

export function MemberFormPage(props: MemberFormProps): JSX.Element {
  const { ctx, scope, body, member, values, contentLocale } = props;
  const { t } = ctx;
  const labels = memberLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const bodyName = pickText(body.name, ctx.locale) || body.slug;
  const title = member ? t('bodies.admin.editMemberTitle', { name: memberWho(ctx, member) }) : t('bodies.admin.newMemberTitle', { body: bodyName });
  const bodyAdmin = adminBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope, props.canOpenJurisdiction), { href: bodyAdmin, label: bodyName }, { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={props.action} withText={member ? Object.keys(member.organisation) as Locale[] : undefined} />
      <form method="post" action={withContent(props.action, ctx, contentLocale)} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <TextField ctx={ctx} name="organisation" label={`${labels.organisation!} (${languageName(ctx, contentLocale)})`} hint={t('bodies.field.organisationHint')} values={values} errors={errors} lang={contentLocale} optional />
        <TranslationReference ctx={ctx} label={labels.organisation!} value={member?.organisation} locale={contentLocale} />
        <TextField ctx={ctx} name="person_name" label={labels.person_name!} hint={t('bodies.field.personNameHint')} values={values} errors={errors} optional autocomplete="off" />
        <Checkboxes
          ctx={ctx}
          name="name_consent"
          label={labels.name_consent!}
          values={values}
          errors={errors}
          selected={props.consent ? ['yes'] : []}
          options={[{ value: 'yes', label: t('bodies.field.nameConsentOption') }]}
        />
        <TextField ctx={ctx} name="email" type="email" label={labels.email!} hint={t('bodies.field.emailHint')} values={values} errors={errors} optional autocomplete="off" />
        <Select ctx={ctx} name="sector" label={labels.sector!} values={values} errors={errors} placeholder={member ? undefined : t('bodies.field.choose')} options={SECTORS.map((s) => ({ value: s, label: t(`bodies.sector.${s}` as MessageKey) }))} />
        <Checkboxes
          ctx={ctx}
          name="represented_groups"
          label={labels.represented_groups!}
          values={values}
          errors={errors}
          selected={props.groups}
          options={GROUPS.map((g) => ({ value: g, label: t(`bodies.group.${g}` as MessageKey) }))}
        />
        <Select ctx={ctx} name="role" label={labels.role!} values={values} errors={errors} placeholder={member ? undefined : t('bodies.field.choose')} options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`bodies.role.${r}` as MessageKey) }))} />
        <TextField ctx={ctx} name="term_start" type="date" label={labels.term_start!} hint={t('bodies.field.dateHint')} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="term_end" type="date" label={labels.term_end!} hint={t('bodies.field.termEndHint')} values={values} errors={errors} optional />
        <div class="form-actions">
          <button type="submit" safe>
            {member ? t('form.save') : t('bodies.admin.addMember')}
          </button>{' '}
          <a href={withContent(bodyAdmin, ctx, contentLocale)} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
      {member ? (
        <form method="post" action={`${adminBodiesPath(ctx.locale, scope.jurisdiction.slug)}/${encodeURIComponent(body.slug)}/members/${member.id}/remove`}>
          <CsrfField ctx={ctx} />
          <button type="submit" class="button-secondary" safe>
            {t('bodies.admin.removeMember')}
          </button>
        </form>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function RemoveMemberPage(props: { ctx: PageContext; scope: AdminScope; canOpenJurisdiction: boolean; body: BodyView; member: AdminMember; action: string; attended: number }): JSX.Element {
  const { ctx, scope, body, member } = props;
  const { t } = ctx;
  const bodyName = pickText(body.name, ctx.locale) || body.slug;
  const title = t('bodies.admin.removeTitle', { name: memberWho(ctx, member), body: bodyName });
  const bodyAdmin = adminBodyPath(ctx.locale, scope.jurisdiction.slug, body.slug);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope, props.canOpenJurisdiction), { href: bodyAdmin, label: bodyName }, { label: title }]} />
      <h1 safe>{title}</h1>
      {props.attended > 0 ? (
        <>
          <p class="notice notice-warning" role="alert" safe>
            {t('bodies.admin.removeAttended', { count: props.attended })}
          </p>
          <p>
            <a class="button" href={adminMemberPath(ctx.locale, scope.jurisdiction.slug, body.slug, member.id)} safe>
              {t('bodies.admin.endTerm')}
            </a>
          </p>
        </>
      ) : (
        <>
          <p safe>{t('bodies.admin.removeExplain')}</p>
          <form method="post" action={props.action}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" safe>
              {t('bodies.admin.removeConfirm')}
            </button>{' '}
            <a href={adminMemberPath(ctx.locale, scope.jurisdiction.slug, body.slug, member.id)} safe>
              {t('form.cancel')}
            </a>
          </form>
        </>
      )}
    </Layout>
  );
}

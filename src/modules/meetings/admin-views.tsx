import { escapeHtml } from '@kitajs/html';
import { formatDate, formatDateTime, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { ACTION_STATUSES, ATTENDANCE, CLOSED_ACTION_STATUSES, GUEST_ATTENDANCE, MEETING_KINDS } from './domain.js';
import { meetingTitle, spokenLanguage } from './public-views.js';
import type { ActionItemView, BodyRef, JurisdictionRef, MeetingDetail, MeetingSummary } from './queries.js';

/** The administration's pages of meetings, under /{locale}/admin/jurisdictions/{j}/meetings. */

/** Languages a meeting may be held in (ISO 639-1/2 codes, named in the reader's language). */
export const MEETING_LANGUAGES = ['sq', 'sr', 'en', 'fr', 'tr', 'bs'] as const;

export function meetingsAdminPath(ctx: PageContext, jurisdictionSlug: string): string {
  return `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdictionSlug)}/meetings`;
}

function crumbs(ctx: PageContext, jurisdiction: JurisdictionRef, tail: { href?: string; label: string }[]) {
  const { t } = ctx;
  return [
    { href: `/${ctx.locale}/admin`, label: t('ui.nav.admin') },
    jurisdiction.adminLink
      ? { href: `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction.slug)}`, label: pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug }
      : { label: pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug },
    ...tail,
  ];
}

export interface ChoiceLists {
  bodies: BodyRef[];
  commitments: { id: number; code: string; title: Translatable }[];
  cycles: { id: number; number: number; label: Translatable; plan: string; planTitle: Translatable }[];
  institutions: { id: number; slug: string; name: Translatable }[];
}

function cycleLabel(ctx: PageContext, c: ChoiceLists['cycles'][number]): string {
  const label = pickText(c.label, ctx.locale) || ctx.t('meetings.cycle.number', { number: c.number });
  return `${pickText(c.planTitle, ctx.locale) || c.plan} · ${label}`;
}

/** The list of a jurisdiction's meetings in the administration. */
export function MeetingsAdminPage({ ctx, jurisdiction, meetings }: { ctx: PageContext; jurisdiction: JurisdictionRef; meetings: MeetingSummary[] }): JSX.Element {
  const { t, locale } = ctx;
  const base = meetingsAdminPath(ctx, jurisdiction.slug);
  const title = t('meetings.admin.title');
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, jurisdiction, [{ label: title }])} />
      <h1 safe>{title}</h1>
      <p>
        <a class="button" href={`${base}/new`} safe>
          {t('meetings.admin.new')}
        </a>{' '}
        <a href={`/${locale}/${jurisdiction.slug}/meetings`} safe>
          {t('meetings.admin.publicPage')}
        </a>
      </p>
      {meetings.length === 0 ? (
        <p safe>{t('meetings.list.none')}</p>
      ) : (
        <table class="stacked">
          <caption safe>{title}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('meetings.field.when')}</th>
              <th scope="col" safe>{t('meetings.field.title')}</th>
              <th scope="col" safe>{t('meetings.field.body')}</th>
              <th scope="col" safe>{t('meetings.field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {[...meetings].reverse().map((m) => (
              <tr>
                <td data-label={t('meetings.field.when')} safe>
                  {formatDateTime(locale, m.startsAt, m.timeZone, 'medium')}
                </td>
                <td data-label={t('meetings.field.title')}>
                  <a href={`${base}/${m.id}`}>
                    <Localized ctx={ctx} value={meetingTitle(ctx, m)} />
                  </a>{' '}
                  {m.isDemo ? <DemoTag ctx={ctx} /> : ''}
                </td>
                <td data-label={t('meetings.field.body')}>{m.body ? <Localized ctx={ctx} value={m.body.name} /> : escapeHtml(t('meetings.body.none'))}</td>
                <td data-label={t('meetings.field.status')}>
                  <StatusTag status={m.status} label={t(`meetings.status.${m.status}` as MessageKey)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function meetingLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    body: t('meetings.field.body'),
    kind: t('meetings.field.kind'),
    title: t('meetings.field.title'),
    start_date: t('meetings.field.startDate'),
    start_time: t('meetings.field.startTime'),
    end_date: t('meetings.field.endDate'),
    end_time: t('meetings.field.endTime'),
    place: t('meetings.field.place'),
    online_url: t('meetings.field.onlineUrl'),
    step_free: t('meetings.access.stepFree'),
    sign_language: t('meetings.access.signLanguage'),
    languages: t('meetings.access.languages'),
    accessibility_note: t('meetings.access.note'),
    cycle: t('meetings.field.cycle'),
  };
}

/** Schedule or edit (move) a meeting; times are the jurisdiction's local time. */
export function MeetingFormPage(props: {
  ctx: PageContext;
  jurisdiction: JurisdictionRef;
  meeting?: { id: number; title: Translatable; kind: string; place: Translatable; accessibilityNote: Translatable } | undefined;
  choices: ChoiceLists;
  contentLocale: Locale;
  values: FormValues;
  languages: string[];
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { ctx, jurisdiction, meeting, choices, contentLocale, values } = props;
  const { t } = ctx;
  const labels = meetingLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const base = meetingsAdminPath(ctx, jurisdiction.slug);
  const title = meeting ? t('meetings.admin.editTitle', { title: pickText(meetingTitle(ctx, meeting), ctx.locale) }) : t('meetings.admin.new');
  const action = meeting ? `${base}/${meeting.id}/edit` : `${base}/new`;
  const yesNo = [
    { value: '1', label: t('meetings.access.yes') },
    { value: '0', label: t('meetings.access.no') },
  ];
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, jurisdiction, [{ href: base, label: t('meetings.admin.title') }, ...(meeting ? [{ href: `${base}/${meeting.id}`, label: pickText(meetingTitle(ctx, meeting), ctx.locale) }] : []), { label: title }])} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />
        <Select
          ctx={ctx}
          name="body"
          label={labels.body!}
          values={values}
          errors={errors}
          optional
          options={choices.bodies.map((b) => ({ value: String(b.id), label: pickText(b.name, ctx.locale) || b.slug }))}
        />
        <Select ctx={ctx} name="kind" label={labels.kind!} values={values} errors={errors} options={MEETING_KINDS.map((k) => ({ value: k, label: t(`meetings.kind.${k}` as MessageKey) }))} />
        <fieldset class="translatable">
          <legend safe>{t('jurisdictionsAdmin.content.legend', { language: languageName(ctx, contentLocale) })}</legend>
          <TextField ctx={ctx} name="title" label={labels.title!} hint={t('meetings.field.titleHint')} values={values} errors={errors} lang={contentLocale} optional />
          <TextField ctx={ctx} name="place" label={labels.place!} values={values} errors={errors} lang={contentLocale} optional />
          <TextArea ctx={ctx} name="accessibility_note" label={labels.accessibility_note!} values={values} errors={errors} lang={contentLocale} optional rows={3} />
        </fieldset>
        <fieldset>
          <legend safe>{t('meetings.field.timesLegend', { zone: jurisdiction.timeZone })}</legend>
          <TextField ctx={ctx} name="start_date" type="date" label={labels.start_date!} values={values} errors={errors} />
          <TextField ctx={ctx} name="start_time" label={labels.start_time!} hint={t('meetings.field.timeHint')} values={values} errors={errors} />
          <TextField ctx={ctx} name="end_date" type="date" label={labels.end_date!} values={values} errors={errors} />
          <TextField ctx={ctx} name="end_time" label={labels.end_time!} hint={t('meetings.field.timeHint')} values={values} errors={errors} />
        </fieldset>
        <TextField ctx={ctx} name="online_url" type="url" label={labels.online_url!} values={values} errors={errors} optional />
        <Select ctx={ctx} name="step_free" label={labels.step_free!} values={values} errors={errors} optional options={yesNo} />
        <Select ctx={ctx} name="sign_language" label={labels.sign_language!} values={values} errors={errors} optional options={yesNo} />
        <Checkboxes ctx={ctx} name="languages" label={labels.languages!} values={values} errors={errors} selected={props.languages} options={MEETING_LANGUAGES.map((l) => ({ value: l, label: spokenLanguage(ctx, l) }))} />
        <Select ctx={ctx} name="cycle" label={labels.cycle!} hint={t('meetings.field.cycleHint')} values={values} errors={errors} optional options={choices.cycles.map((c) => ({ value: String(c.id), label: cycleLabel(ctx, c) }))} />
        <div class="form-actions">
          <button type="submit" safe>
            {meeting ? t('form.save') : t('meetings.admin.schedule')}
          </button>{' '}
          <a href={meeting ? `${base}/${meeting.id}` : base} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** Blank rows added after the saved ones on the agenda form (more: save, and three more appear). */
export const BLANK_ROWS = 3;

/** The agenda, documents and invited guests of a meeting, one language of their text at a time. */
export function PreparationPage(props: { ctx: PageContext; m: MeetingDetail; choices: ChoiceLists; contentLocale: Locale; values: FormValues; rows: { agenda: number; documents: number; guests: number }; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, m, choices, contentLocale, values, rows } = props;
  const { t } = ctx;
  const base = meetingsAdminPath(ctx, m.jurisdiction.slug);
  const name = pickText(meetingTitle(ctx, m), ctx.locale);
  const title = t('meetings.admin.preparation', { title: name });
  const action = `${base}/${m.id}/agenda`;
  const labels: Record<string, string> = {};
  for (let i = 0; i < rows.agenda; i++) labels[`agenda_title_${i}`] = t('meetings.agenda.item', { number: i + 1 });
  for (let i = 0; i < rows.documents; i++) labels[`doc_url_${i}`] = t('meetings.documents.url', { number: i + 1 });
  for (let i = 0; i < rows.guests; i++) labels[`guest_name_${i}`] = t('meetings.guests.name', { number: i + 1 });
  const errors = inFormOrder(props.errors, labels);
  const n = (i: number) => String(i + 1);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, m.jurisdiction, [{ href: base, label: t('meetings.admin.title') }, { href: `${base}/${m.id}`, label: name }, { label: t('meetings.agenda.title') }])} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />
        <h2 safe>{t('meetings.agenda.title')}</h2>
        <p class="hint" safe>{t('meetings.agenda.hint')}</p>
        {Array.from({ length: rows.agenda }, (_, i) => (
          <fieldset class="row-group">
            <legend safe>{t('meetings.agenda.item', { number: n(i) })}</legend>
            <TextField ctx={ctx} name={`agenda_title_${i}`} label={t('meetings.field.title')} values={values} errors={errors} lang={contentLocale} optional />
            <Select ctx={ctx} name={`agenda_commitment_${i}`} label={t('meetings.field.commitment')} values={values} errors={errors} optional options={choices.commitments.map((c) => ({ value: String(c.id), label: `${c.code} ${pickText(c.title, ctx.locale)}` }))} />
            <Select ctx={ctx} name={`agenda_cycle_${i}`} label={t('meetings.field.cycle')} values={values} errors={errors} optional options={choices.cycles.map((c) => ({ value: String(c.id), label: cycleLabel(ctx, c) }))} />
          </fieldset>
        ))}
        <h2 safe>{t('meetings.documents.title')}</h2>
        {Array.from({ length: rows.documents }, (_, i) => (
          <fieldset class="row-group">
            <legend safe>{t('meetings.documents.item', { number: n(i) })}</legend>
            <TextField ctx={ctx} name={`doc_title_${i}`} label={t('meetings.field.title')} values={values} errors={errors} lang={contentLocale} optional />
            <TextField ctx={ctx} name={`doc_url_${i}`} type="url" label={t('meetings.documents.url', { number: n(i) })} hint={t('meetings.documents.urlHint')} values={values} errors={errors} optional />
          </fieldset>
        ))}
        <h2 safe>{t('meetings.guests.title')}</h2>
        <p class="hint" safe>{t('meetings.guests.hint')}</p>
        {Array.from({ length: rows.guests }, (_, i) => (
          <fieldset class="row-group">
            <legend safe>{t('meetings.guests.item', { number: n(i) })}</legend>
            <TextField ctx={ctx} name={`guest_name_${i}`} label={t('meetings.guests.name', { number: n(i) })} values={values} errors={errors} optional />
            <div class="checkbox">
              <input type="checkbox" id={`field-guest_public_${i}`} name={`guest_public_${i}`} value="1" checked={values[`guest_public_${i}`] === '1'} />
              <label for={`field-guest_public_${i}`} safe>
                {t('meetings.guests.consent')}
              </label>
            </div>
            <TextField ctx={ctx} name={`guest_org_${i}`} label={t('meetings.guests.organisation')} values={values} errors={errors} lang={contentLocale} optional />
            <TextField ctx={ctx} name={`guest_reason_${i}`} label={t('meetings.guests.reason')} values={values} errors={errors} lang={contentLocale} optional />
          </fieldset>
        ))}
        <div class="form-actions">
          <button type="submit" safe>
            {t('form.save')}
          </button>{' '}
          <button type="submit" name="more" value="1" class="button-secondary" safe>
            {t('meetings.admin.moreRows')}
          </button>{' '}
          <a href={`${base}/${m.id}`} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** Minutes and the attendance roll: the meeting was held. */
export function OutcomePage(props: { ctx: PageContext; m: MeetingDetail; contentLocale: Locale; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, m, contentLocale, values } = props;
  const { t } = ctx;
  const base = meetingsAdminPath(ctx, m.jurisdiction.slug);
  const name = pickText(meetingTitle(ctx, m), ctx.locale);
  const title = t('meetings.admin.outcome', { title: name });
  const action = `${base}/${m.id}/outcome`;
  const labels: Record<string, string> = { minutes: t('meetings.minutes.title') };
  const errors = inFormOrder(props.errors, labels);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, m.jurisdiction, [{ href: base, label: t('meetings.admin.title') }, { href: `${base}/${m.id}`, label: name }, { label: t('meetings.minutes.title') }])} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />
        <p class="hint" safe>{t('meetings.outcome.hint')}</p>
        <TextArea ctx={ctx} name="minutes" label={labels.minutes!} values={values} errors={errors} lang={contentLocale} optional rows={12} />
        {m.attendance.length ? (
          <fieldset>
            <legend safe>{t('meetings.attendance.title')}</legend>
            {m.attendance.map((a) => (
              <Select
                ctx={ctx}
                name={`att_${a.memberId}`}
                label={`${a.personName ? `${a.personName}, ` : ''}${pickText(a.organisation, ctx.locale) || t('meetings.attendance.unnamed')} (${t(`meetings.role.${a.role}` as MessageKey)})`}
                values={values}
                errors={errors}
                optional
                options={ATTENDANCE.map((s) => ({ value: s, label: t(`meetings.attendance.${s}` as MessageKey) }))}
              />
            ))}
          </fieldset>
        ) : (
          ''
        )}
        {m.guests.length ? (
          <fieldset>
            <legend safe>{t('meetings.guests.title')}</legend>
            {m.guests.map((g) => (
              <Select
                ctx={ctx}
                name={`guest_${g.id}`}
                label={`${g.privateName}${Object.keys(g.organisation).length ? `, ${pickText(g.organisation, ctx.locale)}` : ''}`}
                values={values}
                errors={errors}
                options={GUEST_ATTENDANCE.map((s) => ({ value: s, label: t(`meetings.attendance.${s}` as MessageKey) }))}
              />
            ))}
          </fieldset>
        ) : (
          ''
        )}
        <div class="form-actions">
          <button type="submit" safe>
            {t('meetings.outcome.save')}
          </button>{' '}
          <a href={`${base}/${m.id}`} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

function FollowUpForm({ ctx, item, action, contentLocale }: { ctx: PageContext; item: ActionItemView; action: string; contentLocale: Locale }): JSX.Element {
  const { t } = ctx;
  const id = `fu-${item.id}`;
  return (
    <form method="post" action={action} class="follow-up-form" novalidate>
      <CsrfField ctx={ctx} />
      <ContentLocaleField locale={contentLocale} />
      <div class="field">
        <label for={`${id}-status`} safe>
          {t('meetings.action.newStatus')}
        </label>
        <select id={`${id}-status`} name="status">
          {ACTION_STATUSES.map((s) => (
            <option value={s} selected={s === item.status} safe>
              {t(`meetings.action.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-note`} safe>
          {t('meetings.action.note')}
        </label>
        <input id={`${id}-note`} name="note" type="text" lang={contentLocale} />
      </div>
      <button type="submit" class="button-secondary" safe>
        {t('meetings.action.followUp')}
      </button>
    </form>
  );
}

function AdminActionItems({ ctx, items, base, m, contentLocale }: { ctx: PageContext; items: ActionItemView[]; base: string; m: MeetingDetail; contentLocale: Locale }): JSX.Element {
  const { t, locale } = ctx;
  return (
    <ul class="action-items">
      {items.map((i) => (
        <li id={`action-${i.id}`}>
          <Localized ctx={ctx} value={i.text} /> <StatusTag status={i.status} label={t(`meetings.action.status.${i.status}` as MessageKey)} />
          {i.owner ? (
            <>
              {' · '}
              <Localized ctx={ctx} value={i.owner.name} />
            </>
          ) : (
            ''
          )}
          {i.dueOn ? <span safe>{` · ${t('meetings.action.due')}: ${formatDate(locale, i.dueOn)}`}</span> : ''}
          {i.meetingId !== m.id ? <span class="meta" safe>{` · ${t('meetings.action.raisedAt')}: ${formatDate(locale, i.raisedAt.startsAt)}`}</span> : ''}
          {!CLOSED_ACTION_STATUSES.includes(i.status) ? <FollowUpForm ctx={ctx} item={i} action={`${base}/${m.id}/action-items/${i.id}`} contentLocale={contentLocale} /> : ''}
        </li>
      ))}
    </ul>
  );
}

export function meetingAdminLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    decision_text: t('meetings.decisions.text'),
    votes_for: t('meetings.decisions.for'),
    votes_against: t('meetings.decisions.against'),
    votes_abstaining: t('meetings.decisions.abstaining'),
    decision_commitments: t('meetings.decisions.commitmentCodes'),
    action_text: t('meetings.action.text'),
    owner_institution: t('meetings.action.ownerInstitution'),
    owner_member: t('meetings.action.ownerMember'),
    owner_label: t('meetings.action.ownerLabel'),
    due_on: t('meetings.action.due'),
    action_commitment: t('meetings.action.commitmentCode'),
  };
}

/** One meeting in the administration: what it is, what to do next, and the forms recorded at it. */
export function MeetingAdminPage(props: {
  ctx: PageContext;
  m: MeetingDetail;
  choices: ChoiceLists;
  members: { id: number; label: Translatable; role: string }[];
  contentLocale: Locale;
  values: FormValues;
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { ctx, m, choices, members, contentLocale, values } = props;
  const { t, locale } = ctx;
  const base = meetingsAdminPath(ctx, m.jurisdiction.slug);
  const name = pickText(meetingTitle(ctx, m), locale);
  const labels = meetingAdminLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const here = `${base}/${m.id}`;
  const held = m.status === 'held';
  return (
    <Layout ctx={ctx} title={name} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, m.jurisdiction, [{ href: base, label: t('meetings.admin.title') }, { label: name }])} />
      <Localized ctx={ctx} value={meetingTitle(ctx, m)} as="h1" />
      <p>
        <StatusTag status={m.status} label={t(`meetings.status.${m.status}` as MessageKey)} /> {m.isDemo ? <DemoTag ctx={ctx} /> : ''}
      </p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <dl class="summary-list">
        <dt safe>{t('meetings.field.body')}</dt>
        <dd>{m.body ? <Localized ctx={ctx} value={m.body.name} /> : escapeHtml(t('meetings.body.none'))}</dd>
        <dt safe>{t('meetings.field.starts')}</dt>
        <dd safe>{formatDateTime(locale, m.startsAt, m.timeZone)}</dd>
        <dt safe>{t('meetings.field.ends')}</dt>
        <dd safe>{formatDateTime(locale, m.endsAt, m.timeZone)}</dd>
        <dt safe>{t('meetings.field.place')}</dt>
        <dd>
          <Localized ctx={ctx} value={m.place} empty={t('meetings.place.none')} />
        </dd>
        <dt safe>{t('meetings.admin.reminded')}</dt>
        <dd safe>{m.remindedAt ? formatDateTime(locale, m.remindedAt, m.timeZone) : t('meetings.admin.notReminded')}</dd>
        <dt safe>{t('meetings.minutes.title')}</dt>
        <dd safe>{!held || !Object.keys(m.minutes).length ? t('meetings.minutes.none') : m.minutesApprovedIn ? t('meetings.minutes.approvedOn', { date: formatDate(locale, m.minutesApprovedIn.startsAt) }) : t('meetings.minutes.notApproved')}</dd>
      </dl>
      <ul class="admin-actions">
        <li>
          <a href={`${here}/edit`} safe>
            {t('meetings.admin.edit')}
          </a>
        </li>
        <li>
          <a href={`${here}/agenda`} safe>
            {t('meetings.admin.editAgenda')}
          </a>
        </li>
        {m.status !== 'cancelled' ? (
          <li>
            <a href={`${here}/outcome`} safe>
              {t('meetings.admin.recordOutcome')}
            </a>
          </li>
        ) : (
          ''
        )}
        <li>
          <a href={`/${locale}/${m.jurisdiction.slug}/meetings/${m.id}`} safe>
            {t('meetings.admin.publicPage')}
          </a>
        </li>
      </ul>
      {m.status === 'scheduled' ? (
        <form method="post" action={`${here}/cancel`} class="inline-form">
          <CsrfField ctx={ctx} />
          <button type="submit" class="button-warning" safe>
            {t('meetings.admin.cancel')}
          </button>
        </form>
      ) : (
        ''
      )}

      <ContentLanguages ctx={ctx} current={contentLocale} path={here} />

      {m.awaitingApproval.length && held ? (
        <>
          <h2 id="approve" safe>{t('meetings.approve.title')}</h2>
          <ul>
            {m.awaitingApproval.map((a) => (
              <li>
                <form method="post" action={`${here}/approve`} class="inline-form">
                  <CsrfField ctx={ctx} />
                  <input type="hidden" name="meeting" value={String(a.id)} />
                  <button type="submit" safe>
                    {t('meetings.approve.button', { title: pickText(meetingTitle(ctx, a), locale), date: formatDate(locale, a.startsAt) })}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}

      {m.carried.length ? (
        <>
          <h2 id="carried" safe>{t('meetings.carried.title')}</h2>
          <AdminActionItems ctx={ctx} items={m.carried} base={base} m={m} contentLocale={contentLocale} />
        </>
      ) : (
        ''
      )}

      <h2 id="decisions" safe>{t('meetings.decisions.title')}</h2>
      {m.decisions.length ? (
        <ol>
          {m.decisions.map((d) => (
            <li>
              <Localized ctx={ctx} value={d.text} />
            </li>
          ))}
        </ol>
      ) : (
        <p safe>{t('meetings.decisions.none')}</p>
      )}
      {held ? (
        <form method="post" action={`${here}/decisions`} novalidate>
          <CsrfField ctx={ctx} />
          <ContentLocaleField locale={contentLocale} />
          <h3 safe>{t('meetings.decisions.add')}</h3>
          <TextArea ctx={ctx} name="decision_text" label={labels.decision_text!} values={values} errors={errors} lang={contentLocale} rows={3} />
          <TextField ctx={ctx} name="votes_for" type="number" label={labels.votes_for!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="votes_against" type="number" label={labels.votes_against!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="votes_abstaining" type="number" label={labels.votes_abstaining!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="decision_commitments" label={labels.decision_commitments!} hint={t('meetings.decisions.commitmentHint')} values={values} errors={errors} optional />
          <button type="submit" safe>
            {t('meetings.decisions.save')}
          </button>
        </form>
      ) : (
        <p class="hint" safe>{t('meetings.admin.afterHeld')}</p>
      )}

      <h2 id="action-items" safe>{t('meetings.action.title')}</h2>
      {m.actionItems.length ? <AdminActionItems ctx={ctx} items={m.actionItems} base={base} m={m} contentLocale={contentLocale} /> : <p safe>{t('meetings.action.none')}</p>}
      {held ? (
        <form method="post" action={`${here}/action-items`} novalidate>
          <CsrfField ctx={ctx} />
          <ContentLocaleField locale={contentLocale} />
          <h3 safe>{t('meetings.action.add')}</h3>
          <TextArea ctx={ctx} name="action_text" label={labels.action_text!} values={values} errors={errors} lang={contentLocale} rows={2} />
          <Select ctx={ctx} name="owner_institution" label={labels.owner_institution!} values={values} errors={errors} optional options={choices.institutions.map((i) => ({ value: String(i.id), label: pickText(i.name, locale) || i.slug }))} />
          {members.length ? (
            <Select ctx={ctx} name="owner_member" label={labels.owner_member!} values={values} errors={errors} optional options={members.map((mb) => ({ value: String(mb.id), label: pickText(mb.label, locale) || String(mb.id) }))} />
          ) : (
            ''
          )}
          <TextField ctx={ctx} name="owner_label" label={labels.owner_label!} values={values} errors={errors} lang={contentLocale} optional />
          <TextField ctx={ctx} name="due_on" type="date" label={labels.due_on!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="action_commitment" label={labels.action_commitment!} values={values} errors={errors} optional />
          <button type="submit" safe>
            {t('meetings.action.save')}
          </button>
        </form>
      ) : (
        ''
      )}
    </Layout>
  );
}

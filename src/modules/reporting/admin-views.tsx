import { escapeHtml } from '@kitajs/html';
import { formatDate, formatDateTime, INTL_LOCALE, type MessageKey } from '../../i18n/index.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { FormErrors, type FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, Localized, Paragraphs, StatusTag, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { MILESTONE_STATUSES } from '../commitments/domain.js';
import { COMPLETION_LEVELS, CYCLE_STATUSES, MAX_FILE_BYTES, OBSTACLES } from './domain.js';
import { overdueSince, PUBLISHED_SHOWN, type ReportingTasks, type ReportTask } from './admin-tasks.js';

export interface PlanScopeView {
  /** `timeZone`: the jurisdiction's (IANA); times of its reports are shown in it, named (UTC when absent). */
  jurisdiction: { slug: string; name: Translatable; timeZone?: string };
  plan: { slug: string; title: Translatable };
  /**
   * The viewer may open the jurisdiction's and the plan's admin pages (canManageContent of the
   * jurisdiction): only then do the breadcrumbs link to them. Coordinators and commitment holders
   * work on the reporting pages without them.
   */
  canManageContent?: boolean;
}

export interface CycleView {
  number: number;
  label: Translatable;
  periodStart: string;
  periodEnd: string;
  dueOn: string;
  status: string;
}

export function cyclesPath(locale: Locale, jurisdiction: string, plan: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}/cycles`;
}

export function cyclePath(locale: Locale, jurisdiction: string, plan: string, number: number): string {
  return `${cyclesPath(locale, jurisdiction, plan)}/${number}`;
}

export function updatePath(locale: Locale, jurisdiction: string, plan: string, number: number, code: string): string {
  return `${cyclePath(locale, jurisdiction, plan, number)}/updates/${encodeURIComponent(code)}`;
}

/** A cycle's name: its label in the page's language, else "Cycle N". */
export function cycleName(ctx: PageContext, cycle: { number: number; label: Translatable }): string {
  return pickText(cycle.label, ctx.locale) || ctx.t('reporting.cycle.defaultLabel', { number: cycle.number });
}

function languageName(ctx: PageContext, locale: Locale): string {
  try {
    return new Intl.DisplayNames([INTL_LOCALE[ctx.locale]], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

function planCrumbs(ctx: PageContext, scope: PlanScopeView): Crumb[] {
  const jurisdiction = `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}`;
  // No link to a page the viewer may not open: without canManageContent the crumbs go from the
  // administration straight to the reporting cycles (whose page names the plan).
  const content: Crumb[] = scope.canManageContent
    ? [
        { href: jurisdiction, label: pickText(scope.jurisdiction.name, ctx.locale) || scope.jurisdiction.slug },
        { href: `${jurisdiction}/plans/${encodeURIComponent(scope.plan.slug)}`, label: pickText(scope.plan.title, ctx.locale) || scope.plan.slug },
      ]
    : [];
  return [
    { href: `/${ctx.locale}/admin`, label: ctx.t('ui.nav.admin') },
    ...content,
    { href: cyclesPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug), label: ctx.t('reporting.cycles.title') },
  ];
}

export function MessagePage({ ctx, title, body }: { ctx: PageContext; title: string; body: string }): JSX.Element {
  return (
    <Layout ctx={ctx} title={title} admin>
      <h1 safe>{title}</h1>
      <p safe>{body}</p>
    </Layout>
  );
}

export function ForbiddenPage({ ctx }: { ctx: PageContext }): JSX.Element {
  return <MessagePage ctx={ctx} title={ctx.t('reporting.forbidden.title')} body={ctx.t('reporting.forbidden.body')} />;
}

// ---------------------------------------------------------------------------------------------
// Cycles

export function CyclesPage(props: { ctx: PageContext; scope: PlanScopeView; cycles: CycleView[]; canManage: boolean }): JSX.Element {
  const { ctx, scope, cycles } = props;
  const { t, locale } = ctx;
  const title = t('reporting.cycles.title');
  const base = cyclesPath(locale, scope.jurisdiction.slug, scope.plan.slug);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...planCrumbs(ctx, scope).slice(0, -1), { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={scope.plan.title} />
      </p>
      {cycles.length === 0 ? (
        <p safe>{t('reporting.cycles.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption safe>{t('reporting.cycles.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{escapeHtml(t('reporting.cycles.col.cycle'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycles.col.period'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycles.col.due'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycles.col.status'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycles.col.actions'))}</th>
              </tr>
            </thead>
            <tbody>
              {cycles.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`${base}/${c.number}`} safe>
                      {cycleName(ctx, c)}
                    </a>
                  </th>
                  <td safe>{t('reporting.period', { start: formatDate(locale, c.periodStart), end: formatDate(locale, c.periodEnd) })}</td>
                  <td safe>{formatDate(locale, c.dueOn)}</td>
                  <td>
                    <StatusTag status={c.status} label={t(`reporting.cycleStatus.${c.status}` as MessageKey)} />
                  </td>
                  <td>
                    {props.canManage ? (
                      <a href={`${base}/${c.number}/edit`} safe>
                        {t('reporting.cycles.edit', { cycle: cycleName(ctx, c) })}
                      </a>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.canManage ? (
        <form method="post" action={`${base}/generate`} class="inline-form">
          <CsrfField ctx={ctx} />
          <p class="hint" safe>
            {t('reporting.cycles.generateHint')}
          </p>
          <button type="submit">{escapeHtml(t('reporting.cycles.generate'))}</button>
        </form>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function cycleLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    label: t('reporting.cycle.field.label'),
    period_start: t('reporting.cycle.field.periodStart'),
    period_end: t('reporting.cycle.field.periodEnd'),
    due_on: t('reporting.cycle.field.dueOn'),
    status: t('reporting.cycle.field.status'),
  };
}

export function CycleFormPage(props: {
  ctx: PageContext;
  scope: PlanScopeView;
  cycle: CycleView;
  values: FormValues;
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { ctx, scope, cycle, values, errors } = props;
  const { t, locale } = ctx;
  const labels = cycleLabels(ctx);
  const title = t('reporting.cycle.editTitle', { cycle: cycleName(ctx, cycle) });
  const action = `${cyclePath(locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number)}/edit`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...planCrumbs(ctx, scope), { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="label" label={labels.label!} hint={t('reporting.cycle.labelHint', { language: languageName(ctx, locale) })} values={values} errors={errors} optional />
        <TextField ctx={ctx} name="period_start" type="date" label={labels.period_start!} values={values} errors={errors} />
        <TextField ctx={ctx} name="period_end" type="date" label={labels.period_end!} values={values} errors={errors} />
        <TextField ctx={ctx} name="due_on" type="date" label={labels.due_on!} values={values} errors={errors} />
        <Select
          ctx={ctx}
          name="status"
          label={labels.status!}
          values={values}
          errors={errors}
          options={CYCLE_STATUSES.map((s) => ({ value: s, label: t(`reporting.cycleStatus.${s}` as MessageKey) }))}
        />
        <div class="form-actions">
          <button type="submit">{escapeHtml(t('form.save'))}</button>{' '}
          <a href={cyclesPath(locale, scope.jurisdiction.slug, scope.plan.slug)} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export interface CycleRow {
  code: string;
  title: Translatable;
  updateStatus: string;
  submittedAt: string | null;
  canFile: boolean;
  canReview: boolean;
}

export function CyclePage(props: { ctx: PageContext; scope: PlanScopeView; cycle: CycleView; rows: CycleRow[]; today: string }): JSX.Element {
  const { ctx, scope, cycle, rows } = props;
  const { t, locale } = ctx;
  const title = t('reporting.cycle.title', { cycle: cycleName(ctx, cycle) });
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...planCrumbs(ctx, scope), { label: cycleName(ctx, cycle) }]} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('reporting.cycle.facts', {
          start: formatDate(locale, cycle.periodStart),
          end: formatDate(locale, cycle.periodEnd),
          due: formatDate(locale, cycle.dueOn),
        })}
      </p>
      <p>
        <StatusTag status={cycle.status} label={t(`reporting.cycleStatus.${cycle.status}` as MessageKey)} />
      </p>
      {rows.length === 0 ? (
        <p safe>{t('reporting.cycle.noCommitments')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption safe>{t('reporting.cycle.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{escapeHtml(t('reporting.cycle.col.commitment'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycle.col.status'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycle.col.submitted'))}</th>
                <th scope="col">{escapeHtml(t('reporting.cycle.col.actions'))}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">
                    <span class="code" safe>
                      {r.code}
                    </span>{' '}
                    <Localized ctx={ctx} value={r.title} />
                  </th>
                  <td>
                    <StatusTag status={r.updateStatus} label={t(`reporting.updateStatus.${r.updateStatus}` as MessageKey)} />{' '}
                    <OverdueMark ctx={ctx} since={cycle.status === 'open' ? overdueSince(r.updateStatus, cycle.dueOn, props.today) : null} />
                  </td>
                  <td safe>{r.submittedAt ? formatDateTime(locale, r.submittedAt, scope.jurisdiction.timeZone, 'medium') : t('ui.none')}</td>
                  <td>
                    {r.canFile || r.canReview ? (
                      <a href={updatePath(locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number, r.code)} safe>
                        {t(r.canFile && (r.updateStatus === 'missing' || r.updateStatus === 'draft' || r.updateStatus === 'returned') ? 'reporting.cycle.file' : 'reporting.cycle.open', { code: r.code })}
                      </a>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Progress update form

export interface MilestoneFormView {
  id: number;
  code: string;
  title: Translatable;
  currentStatus: string;
}

export interface FileView {
  id: number;
  milestoneId: number | null;
  filename: string;
  size: number;
}

export interface UpdatePageProps {
  ctx: PageContext;
  scope: PlanScopeView;
  cycle: CycleView;
  commitment: { code: string; title: Translatable };
  /** The stored update's status, or 'missing'. */
  status: string;
  coordinatorComment: string | null;
  milestones: MilestoneFormView[];
  values: FormValues;
  obstacles: Record<number, string[]>;
  files: FileView[];
  contentLocale: Locale;
  editable: boolean;
  canReview: boolean;
  formToken: string;
  errors?: FormErrors | undefined;
  /** The form was refused: files chosen were not kept. */
  filesLost?: boolean;
  /** Errors of the return form. */
  reviewErrors?: FormErrors | undefined;
  reviewValues?: FormValues;
  /** The report in every language written, to read (and to confirm before publishing). */
  document: UpdateDocument;
  /** Who last submitted it (display name), and the dates of its steps. */
  submittedBy: string | null;
  submittedAt: string | null;
  returnedAt: string | null;
  publishedAt: string | null;
  /** The day the page is shown for (overdue is derived from it). */
  today: string;
  /** On the confirmation: the report changed (submitted again) since the confirmation was opened. */
  confirmChanged?: boolean;
}

export interface UpdateDocument {
  summary: Translatable;
  /** By milestone id: what was reported for it. */
  items: Record<
    number,
    { status: string; completion: string; narrative: Translatable; obstacles: string[]; obstacleNote: Translatable; links: string[] }
  >;
}

export function updateLabels(ctx: PageContext, milestones: MilestoneFormView[]): Record<string, string> {
  const { t } = ctx;
  const labels: Record<string, string> = { summary: t('reporting.update.summary'), files_general: t('reporting.update.files') };
  for (const m of milestones) {
    const p = `m${m.id}_`;
    labels[`${p}status`] = `${m.code}: ${t('reporting.update.milestone.status')}`;
    labels[`${p}completion`] = `${m.code}: ${t('reporting.update.milestone.completion')}`;
    labels[`${p}narrative`] = `${m.code}: ${t('reporting.update.milestone.narrative')}`;
    labels[`${p}obstacles`] = `${m.code}: ${t('reporting.update.milestone.obstacles')}`;
    labels[`${p}obstacle_note`] = `${m.code}: ${t('reporting.update.milestone.obstacleNote')}`;
    labels[`${p}links`] = `${m.code}: ${t('reporting.update.milestone.links')}`;
    labels[`${p}files`] = `${m.code}: ${t('reporting.update.files')}`;
  }
  return labels;
}

function inOrder(errors: FormErrors | undefined, labels: Record<string, string>): FormErrors | undefined {
  if (!errors) return undefined;
  const order = Object.keys(labels);
  const rank = (f: string) => (order.includes(f) ? order.indexOf(f) : order.length);
  const sorted = new FormErrors();
  for (const e of [...errors.list].sort((a, b) => rank(a.field) - rank(b.field))) sorted.add(e.field, e.message, e.values);
  return sorted;
}

function FileField(props: { ctx: PageContext; name: string; label: string; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, name } = props;
  const error = props.errors?.for(name);
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`field-${name}`} safe>
        {props.label}
      </label>
      <p class="hint" id={`hint-${name}`} safe>
        {ctx.t('reporting.update.filesHint', { max: MAX_FILE_BYTES / (1024 * 1024) })}
      </p>
      {error ? (
        <p class="error-message" id={`error-${name}`} safe>
          {ctx.t(error.message as MessageKey, error.values)}
        </p>
      ) : (
        ''
      )}
      <input
        type="file"
        id={`field-${name}`}
        name={name}
        multiple
        accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods"
        aria-describedby={error ? `hint-${name} error-${name}` : `hint-${name}`}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

function ExistingFiles(props: { ctx: PageContext; files: FileView[]; editable: boolean; idPrefix: string }): JSX.Element {
  const { ctx, files } = props;
  if (files.length === 0) return <></>;
  return (
    <ul class="evidence-files">
      {files.map((f) => (
        <li>
          <a href={`/evidence/${f.id}/${encodeURIComponent(f.filename)}`} safe>
            {f.filename}
          </a>{' '}
          <span class="muted" safe>
            {ctx.t('reporting.fileSize', { size: Math.max(1, Math.round(f.size / 1024)) })}
          </span>
          {props.editable ? (
            <span class="checkbox">
              {' '}
              <input type="checkbox" id={`${props.idPrefix}-remove-${f.id}`} name="remove_file" value={String(f.id)} />
              <label for={`${props.idPrefix}-remove-${f.id}`} safe>
                {ctx.t('reporting.update.removeFile', { filename: f.filename })}
              </label>
            </span>
          ) : (
            ''
          )}
        </li>
      ))}
    </ul>
  );
}

export function UpdatePage(props: UpdatePageProps): JSX.Element {
  const { ctx, scope, cycle, commitment, values, contentLocale } = props;
  const { t, locale } = ctx;
  const labels = updateLabels(ctx, props.milestones);
  const errors = inOrder(props.errors, labels);
  const title = t('reporting.update.title', { code: commitment.code });
  const action = updatePath(locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number, commitment.code);
  const lang = contentLocale;
  const fields = (
    <>
      <TextArea ctx={ctx} name="summary" label={labels.summary!} hint={t('reporting.update.summaryHint')} values={values} errors={errors} lang={lang} optional />
      <FileField ctx={ctx} name="files_general" label={labels.files_general!} errors={errors} />
      <ExistingFiles ctx={ctx} files={props.files.filter((f) => f.milestoneId === null)} editable idPrefix="general" />
      {props.milestones.map((m) => {
        const p = `m${m.id}_`;
        return (
          <fieldset class="milestone-report" id={`milestone-${m.id}`}>
            <legend>
              <span class="code" safe>
                {m.code}
              </span>{' '}
              <Localized ctx={ctx} value={m.title} />
            </legend>
            <p class="hint" safe>
              {t('reporting.update.currentStatus', { status: t(`domain.milestoneStatus.${m.currentStatus}` as MessageKey) })}
            </p>
            <Select
              ctx={ctx}
              name={`${p}status`}
              label={labels[`${p}status`]!}
              values={values}
              errors={errors}
              placeholder={t('reporting.update.milestone.statusChoose')}
              options={MILESTONE_STATUSES.map((s) => ({ value: s, label: t(`domain.milestoneStatus.${s}` as MessageKey) }))}
            />
            <Select
              ctx={ctx}
              name={`${p}completion`}
              label={labels[`${p}completion`]!}
              values={values}
              errors={errors}
              placeholder={t('reporting.update.milestone.completionChoose')}
              options={COMPLETION_LEVELS.map((c) => ({ value: c, label: t(`reporting.completion.${c}` as MessageKey) }))}
            />
            <TextArea ctx={ctx} name={`${p}narrative`} label={labels[`${p}narrative`]!} values={values} errors={errors} lang={lang} rows={4} optional />
            <Checkboxes
              ctx={ctx}
              name={`${p}obstacles`}
              label={`${labels[`${p}obstacles`]!} ${t('reporting.update.milestone.obstaclesHint')}`}
              values={values}
              errors={errors}
              selected={props.obstacles[m.id] ?? []}
              options={OBSTACLES.map((o) => ({ value: o, label: t(`reporting.obstacle.${o}` as MessageKey) }))}
            />
            <TextArea ctx={ctx} name={`${p}obstacle_note`} label={labels[`${p}obstacle_note`]!} values={values} errors={errors} lang={lang} rows={2} optional />
            <TextArea
              ctx={ctx}
              name={`${p}links`}
              label={labels[`${p}links`]!}
              hint={t('reporting.update.milestone.linksHint')}
              values={values}
              errors={errors}
              rows={2}
              optional
            />
            <FileField ctx={ctx} name={`${p}files`} label={labels[`${p}files`]!} errors={errors} />
            <ExistingFiles ctx={ctx} files={props.files.filter((f) => f.milestoneId === m.id)} editable idPrefix={`m${m.id}`} />
          </fieldset>
        );
      })}
      <div class="form-actions">
        <button type="submit" name="action" value="save" class="button-secondary">
          {escapeHtml(t('reporting.update.saveDraft'))}
        </button>{' '}
        <button type="submit" name="action" value="submit">
          {escapeHtml(t('reporting.update.submit'))}
        </button>
      </div>
    </>
  );
  const state = stateMessage(props);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[...planCrumbs(ctx, scope), { href: cyclePath(locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number), label: cycleName(ctx, cycle) }, { label: title }]}
      />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={commitment.title} />
      </p>
      <p safe>
        {t('reporting.cycle.facts', { start: formatDate(locale, cycle.periodStart), end: formatDate(locale, cycle.periodEnd), due: formatDate(locale, cycle.dueOn) })}
      </p>
      <p>
        <span safe>{t('reporting.update.statusLabel')}</span> <StatusTag status={props.status} label={t(`reporting.updateStatus.${props.status}` as MessageKey)} />{' '}
        <OverdueMark ctx={ctx} since={cycle.status === 'open' ? overdueSince(props.status, cycle.dueOn, props.today) : null} />
      </p>
      {props.coordinatorComment && (props.status === 'returned' || props.status === 'draft') ? (
        <div class="notice" role="note">
          <h2 safe>{t(props.canReview ? 'reporting.update.returnedCommentReviewer' : 'reporting.update.returnedComment')}</h2>
          <p safe>{props.coordinatorComment}</p>
        </div>
      ) : (
        ''
      )}
      {state ? (
        <p class="notice" safe>
          {state}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      {props.filesLost ? (
        <p class="notice" safe>
          {t('reporting.update.filesAgain')}
        </p>
      ) : (
        ''
      )}
      {props.editable ? (
        <>
          <nav class="content-languages" aria-label={t('reporting.content.label')}>
            <p safe>{t('reporting.content.editing', { language: languageName(ctx, contentLocale) })}</p>
            <ul>
              {LOCALES.map((l) => (
                <li>
                  <a href={`${action}?content=${encodeURIComponent(l)}`} hreflang={l} aria-current={l === contentLocale ? 'true' : undefined} safe>
                    {languageName(ctx, l)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <form method="post" action={contentLocale === locale ? action : `${action}?content=${encodeURIComponent(contentLocale)}`} enctype="multipart/form-data" novalidate>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="content" value={contentLocale} />
            <input type="hidden" name="form_token" value={props.formToken} />
            {fields}
          </form>
        </>
      ) : (
        <UpdateDocumentView {...props} />
      )}
      {props.canReview && props.status === 'submitted' ? <Review {...props} action={action} /> : ''}
    </Layout>
  );
}

/** What the page says about where the update stands, in the words of the person reading it. */
function stateMessage(props: UpdatePageProps): string | undefined {
  const { ctx, status } = props;
  const { t, locale } = ctx;
  const date = (iso: string | null) => (iso ? formatDateTime(locale, iso, props.scope.jurisdiction.timeZone) : t('ui.none'));
  if (status === 'published') return t('reporting.update.state.published', { date: date(props.publishedAt) });
  if (status === 'submitted') {
    return props.canReview
      ? t('reporting.update.state.submittedReviewer', { name: props.submittedBy ?? t('reporting.update.someone'), date: date(props.submittedAt) })
      : t('reporting.update.state.submittedHolder', { date: date(props.submittedAt) });
  }
  if (props.editable) return undefined;
  if (props.cycle.status !== 'open') return t('reporting.update.state.closed');
  if (status === 'returned') return t('reporting.update.state.returnedReviewer', { date: date(props.returnedAt) });
  if (status === 'draft') return t('reporting.update.state.draftReviewer');
  return t('reporting.update.state.missingReviewer');
}

/** A translatable text in every language it was written in, each marked with its language. */
function TextsByLanguage({ ctx, value, empty }: { ctx: PageContext; value: Translatable; empty?: string }): JSX.Element {
  const written = LOCALES.filter((l) => (value[l] ?? '').trim() !== '');
  if (written.length === 0) {
    return empty ? (
      <p class="muted" safe>
        {empty}
      </p>
    ) : (
      <></>
    );
  }
  return (
    <>
      {written.map((l) => (
        <div class="document-text" lang={l}>
          {written.length > 1 || l !== ctx.locale ? (
            <p class="meta" lang={ctx.locale} safe>
              {ctx.t('reporting.doc.inLanguage', { language: languageName(ctx, l) })}
            </p>
          ) : (
            ''
          )}
          <Paragraphs text={value[l] ?? ''} />
        </div>
      ))}
    </>
  );
}

/** A report's evidence files as download links (the submitted report, read as a document). */
function FileLinks({ ctx, files }: { ctx: PageContext; files: FileView[] }): JSX.Element {
  return <ExistingFiles ctx={ctx} files={files} editable={false} idPrefix="" />;
}

/**
 * A submitted (or published, or not editable) report, read as a document: the overall progress
 * and each milestone's status, completion, narrative in every language written, obstacles,
 * links and evidence files as download links. No form control.
 */
function UpdateDocumentView(props: UpdatePageProps): JSX.Element {
  const { ctx, document: doc } = props;
  const { t } = ctx;
  const generalFiles = props.files.filter((f) => f.milestoneId === null);
  const nothing = props.status === 'missing';
  return (
    <section class="update-document" aria-labelledby="document-title">
      <h2 id="document-title" safe>
        {t('reporting.doc.title')}
      </h2>
      {nothing ? (
        <p safe>{t('reporting.doc.empty')}</p>
      ) : (
        <>
          <h3 safe>{t('reporting.update.summary')}</h3>
          <TextsByLanguage ctx={ctx} value={doc.summary} empty={t('reporting.doc.notStated')} />
          {generalFiles.length ? (
            <>
              <h3 safe>{t('reporting.update.files')}</h3>
              <FileLinks ctx={ctx} files={generalFiles} />
            </>
          ) : (
            ''
          )}
          {props.milestones.map((m) => {
            const item = doc.items[m.id];
            const files = props.files.filter((f) => f.milestoneId === m.id);
            return (
              <section class="update-item" aria-labelledby={`document-m${m.id}`}>
                <h3 id={`document-m${m.id}`}>
                  <span class="code" safe>
                    {m.code}
                  </span>{' '}
                  <Localized ctx={ctx} value={m.title} />
                </h3>
                {!item ? (
                  <p class="muted" safe>
                    {t('reporting.doc.notFiled')}
                  </p>
                ) : (
                  <dl class="summary-list">
                    <dt safe>{t('reporting.doc.status')}</dt>
                    <dd>
                      <StatusTag status={item.status} label={t(`domain.milestoneStatus.${item.status}` as MessageKey)} />
                    </dd>
                    <dt safe>{t('reporting.update.milestone.completion')}</dt>
                    <dd safe>{item.completion ? t(`reporting.completion.${item.completion}` as MessageKey) : t('reporting.doc.notStated')}</dd>
                    <dt safe>{t('reporting.update.milestone.narrative')}</dt>
                    <dd>
                      <TextsByLanguage ctx={ctx} value={item.narrative} empty={t('reporting.doc.notStated')} />
                    </dd>
                    <dt safe>{t('reporting.update.milestone.obstacles')}</dt>
                    <dd>
                      {item.obstacles.length === 0 ? (
                        escapeHtml(t('ui.none'))
                      ) : (
                        <ul>
                          {item.obstacles.map((o) => (
                            <li safe>{obstacleLabel(ctx, o)}</li>
                          ))}
                        </ul>
                      )}
                      <TextsByLanguage ctx={ctx} value={item.obstacleNote} />
                    </dd>
                    <dt safe>{t('reporting.update.milestone.links')}</dt>
                    <dd>
                      {item.links.length === 0 ? (
                        escapeHtml(t('ui.none'))
                      ) : (
                        <ul>
                          {item.links.map((href) => (
                            <li>
                              <a href={href} class="break" safe>
                                {href}
                              </a>
                            </li>
                          ))}
                        </ul>
                      )}
                    </dd>
                    <dt safe>{t('reporting.update.files')}</dt>
                    <dd>{files.length === 0 ? escapeHtml(t('ui.none')) : <FileLinks ctx={ctx} files={files} />}</dd>
                  </dl>
                )}
              </section>
            );
          })}
        </>
      )}
    </section>
  );
}

function Review(props: UpdatePageProps & { action: string }): JSX.Element {
  const { ctx } = props;
  const { t } = ctx;
  const labels = { comment: t('reporting.review.comment') };
  return (
    <section class="panel" aria-labelledby="review-title">
      <h2 id="review-title" safe>
        {t('reporting.review.title')}
      </h2>
      <ErrorSummary ctx={ctx} errors={props.reviewErrors} labels={labels} />
      <form method="post" action={`${props.action}/publish`} class="inline-form">
        <CsrfField ctx={ctx} />
        <p class="hint" safe>
          {t('reporting.review.publishHint')}
        </p>
        <button type="submit">{escapeHtml(t('reporting.review.publish'))}</button>
      </form>
      <form method="post" action={`${props.action}/return`} novalidate>
        <CsrfField ctx={ctx} />
        <TextArea ctx={ctx} name="comment" label={labels.comment} hint={t('reporting.review.returnHint')} values={props.reviewValues ?? {}} errors={props.reviewErrors} rows={3} />
        <button type="submit" class="button-secondary">
          {escapeHtml(t('reporting.review.return'))}
        </button>
      </form>
    </section>
  );
}

/** An obstacle's name in a document ("Other", not the form's "Other (describe below)"). */
function obstacleLabel(ctx: PageContext, obstacle: string): string {
  return obstacle === 'other' ? ctx.t('reporting.doc.obstacleOther') : ctx.t(`reporting.obstacle.${obstacle}` as MessageKey);
}

/** The languages a text was written in, named in the reader's language ("English, French"). */
function languagesOf(ctx: PageContext, value: Translatable): string {
  return LOCALES.filter((l) => (value[l] ?? '').trim() !== '')
    .map((l) => languageName(ctx, l))
    .join(', ');
}

/**
 * The confirmation before publishing: what becomes public (each milestone's new status, the
 * texts, the evidence files by name), said plainly, with Publish (a POST carrying `confirm=yes`
 * and its CSRF token) and Cancel (back to the report). A page, so it works without JavaScript.
 */
export function PublishConfirmPage(props: UpdatePageProps): JSX.Element {
  const { ctx, scope, cycle, commitment, document: doc } = props;
  const { t, locale } = ctx;
  const title = t('reporting.confirm.title', { code: commitment.code });
  const action = updatePath(locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number, commitment.code);
  const generalFiles = props.files.filter((f) => f.milestoneId === null);
  const names = (files: FileView[]) => files.map((f) => f.filename).join(', ');
  const status = (s: string) => t(`domain.milestoneStatus.${s}` as MessageKey);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          ...planCrumbs(ctx, scope),
          { href: cyclePath(locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number), label: cycleName(ctx, cycle) },
          { href: action, label: t('reporting.update.title', { code: commitment.code }) },
          { label: title },
        ]}
      />
      <h1 safe>{title}</h1>
      {props.confirmChanged ? (
        <div class="flash" role="alert">
          <p safe>{t('reporting.confirm.changed')}</p>
        </div>
      ) : (
        ''
      )}
      <p class="lead">
        <Localized ctx={ctx} value={commitment.title} />
      </p>
      <div class="notice notice-warning">
        <p safe>{t('reporting.confirm.lead')}</p>
      </div>
      <h2 safe>{t('reporting.confirm.becomesPublic')}</h2>
      <ul class="confirm-list">
        {languagesOf(ctx, doc.summary) ? <li safe>{t('reporting.confirm.summary', { languages: languagesOf(ctx, doc.summary) })}</li> : ''}
        {generalFiles.length ? <li safe>{t('reporting.confirm.generalFiles', { files: names(generalFiles) })}</li> : ''}
        {props.milestones.map((m) => {
          const item = doc.items[m.id];
          if (!item) return '';
          const files = props.files.filter((f) => f.milestoneId === m.id);
          const narrative = languagesOf(ctx, item.narrative);
          return (
            <li>
              <span class="code" safe>
                {m.code}
              </span>{' '}
              <Localized ctx={ctx} value={m.title} />
              <ul>
                <li safe>
                  {item.status === m.currentStatus
                    ? t('reporting.confirm.statusStays', { status: status(item.status) })
                    : t('reporting.confirm.statusBecomes', { status: status(item.status), current: status(m.currentStatus) })}
                </li>
                {item.completion ? <li safe>{t('reporting.confirm.completion', { level: t(`reporting.completion.${item.completion}` as MessageKey) })}</li> : ''}
                {narrative ? <li safe>{t('reporting.confirm.narrative', { languages: narrative })}</li> : ''}
                {item.obstacles.length ? (
                  <li safe>{t('reporting.confirm.obstacles', { obstacles: item.obstacles.map((o) => obstacleLabel(ctx, o)).join(', ') })}</li>
                ) : (
                  ''
                )}
                {item.links.length ? <li safe>{t('reporting.confirm.links', { links: item.links.join(', ') })}</li> : ''}
                {files.length ? <li safe>{t('reporting.confirm.files', { files: names(files) })}</li> : ''}
              </ul>
            </li>
          );
        })}
      </ul>
      <form method="post" action={`${action}/publish`} class="form-actions">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="confirm" value="yes" />
        {/* What was confirmed: publishing refuses if the report was submitted again since. */}
        <input type="hidden" name="submitted_at" value={props.submittedAt ?? ''} />
        <button type="submit">{escapeHtml(t('reporting.confirm.publish'))}</button>{' '}
        <a href={action} safe>
          {t('form.cancel')}
        </a>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Overview: what to do next

export interface OverviewPlan {
  jurisdiction: { slug: string; name: Translatable };
  plan: { slug: string; title: Translatable };
}

/** "Overdue since 31 March 2025", derived from the day the page is shown for (never stored). */
export function OverdueMark({ ctx, since }: { ctx: PageContext; since: string | null }): JSX.Element {
  if (!since) return <></>;
  return (
    <strong class="overdue" safe>
      {ctx.t('reporting.overdueSince', { date: formatDate(ctx.locale, since) })}
    </strong>
  );
}

type TaskColumn = 'institutions' | 'submitted' | 'published';

/** One group of reports: its heading, a line saying what to do, and the table (or why it is empty). */
function TaskGroup(props: { ctx: PageContext; id: string; title: string; hint: string; empty: string; tasks: ReportTask[]; extra?: TaskColumn }): JSX.Element {
  const { ctx, tasks, extra } = props;
  const { t, locale } = ctx;
  return (
    <section class="task-group" aria-labelledby={`group-${props.id}`}>
      <h3 id={`group-${props.id}`}>
        <span safe>{props.title}</span> <span class="count" safe>{`(${tasks.length})`}</span>
      </h3>
      {tasks.length === 0 ? (
        <p class="muted" safe>
          {props.empty}
        </p>
      ) : (
        <>
          <p class="hint" safe>
            {props.hint}
          </p>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden" safe>
                {props.title}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{escapeHtml(t('reporting.cycle.col.commitment'))}</th>
                  {extra === 'institutions' ? <th scope="col">{escapeHtml(t('reporting.overview.col.institutions'))}</th> : ''}
                  <th scope="col">{escapeHtml(t('reporting.cycles.col.cycle'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.cycles.col.due'))}</th>
                  {extra === 'submitted' ? <th scope="col">{escapeHtml(t('reporting.cycle.col.submitted'))}</th> : ''}
                  {extra === 'published' ? <th scope="col">{escapeHtml(t('reporting.overview.col.published'))}</th> : ''}
                  <th scope="col">{escapeHtml(t('reporting.cycle.col.status'))}</th>
                </tr>
              </thead>
              <tbody>
                {tasks.map((task) => (
                  <tr>
                    <th scope="row">
                      <a href={updatePath(locale, task.jurisdictionSlug, task.planSlug, task.cycle.number, task.commitment.code)}>
                        <span class="code" safe>
                          {task.commitment.code}
                        </span>{' '}
                        <Localized ctx={ctx} value={task.commitment.title} />
                      </a>
                    </th>
                    {extra === 'institutions' ? (
                      <td>
                        {task.institutions.length === 0
                          ? escapeHtml(t('ui.none'))
                          : task.institutions.map((name, i) => (
                              <>
                                {i > 0 ? ', ' : ''}
                                <Localized ctx={ctx} value={name} />
                              </>
                            ))}
                      </td>
                    ) : (
                      ''
                    )}
                    <td safe>{cycleName(ctx, task.cycle)}</td>
                    <td safe>{formatDate(locale, task.cycle.dueOn)}</td>
                    {extra === 'submitted' ? <td safe>{task.submittedAt ? formatDate(locale, task.submittedAt, 'long', task.timeZone) : t('ui.none')}</td> : ''}
                    {extra === 'published' ? <td safe>{task.publishedAt ? formatDate(locale, task.publishedAt, 'long', task.timeZone) : t('ui.none')}</td> : ''}
                    <td>
                      <StatusTag status={task.status} label={t(`reporting.updateStatus.${task.status}` as MessageKey)} /> <OverdueMark ctx={ctx} since={task.overdueSince} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/**
 * The signed-in person's reporting, grouped by what they must do next: a commitment holder's
 * reports to fill in (overdue first), returned, submitted and published; a reviewer's reports
 * waiting for review, overdue, in progress and published. Then every plan's cycles.
 */
export function OverviewPage({ ctx, plans, tasks }: { ctx: PageContext; plans: OverviewPlan[]; tasks: ReportingTasks }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('reporting.overview.title');
  const holder = tasks.holder;
  const review = tasks.review;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('ui.nav.admin') }, { label: title }]} />
      <h1 safe>{title}</h1>
      {review ? (
        <section aria-labelledby="review-tasks-title">
          <h2 id="review-tasks-title" safe>
            {t('reporting.overview.asReviewer')}
          </h2>
          <TaskGroup ctx={ctx} id="to-review" title={t('reporting.group.toReview')} hint={t('reporting.group.toReview.hint')} empty={t('reporting.group.toReview.empty')} tasks={review.toReview} extra="submitted" />
          <TaskGroup ctx={ctx} id="overdue" title={t('reporting.group.overdue')} hint={t('reporting.group.overdue.hint')} empty={t('reporting.group.overdue.empty')} tasks={review.overdue} extra="institutions" />
          <TaskGroup ctx={ctx} id="in-progress" title={t('reporting.group.inProgress')} hint={t('reporting.group.inProgress.hint')} empty={t('reporting.group.inProgress.empty')} tasks={review.inProgress} />
          <TaskGroup ctx={ctx} id="review-published" title={t('reporting.group.published')} hint={t('reporting.group.published.hint', { count: PUBLISHED_SHOWN })} empty={t('reporting.group.published.empty')} tasks={review.published} extra="published" />
        </section>
      ) : (
        ''
      )}
      {holder ? (
        <section aria-labelledby="holder-tasks-title">
          <h2 id="holder-tasks-title" safe>
            {t('reporting.overview.asHolder')}
          </h2>
          <TaskGroup ctx={ctx} id="to-fill" title={t('reporting.group.toFill')} hint={t('reporting.group.toFill.hint')} empty={t('reporting.group.toFill.empty')} tasks={holder.toFill} />
          <TaskGroup ctx={ctx} id="returned" title={t('reporting.group.returned')} hint={t('reporting.group.returned.hint')} empty={t('reporting.group.returned.empty')} tasks={holder.returned} />
          <TaskGroup ctx={ctx} id="submitted" title={t('reporting.group.submitted')} hint={t('reporting.group.submitted.hint')} empty={t('reporting.group.submitted.empty')} tasks={holder.submitted} extra="submitted" />
          <TaskGroup ctx={ctx} id="holder-published" title={t('reporting.group.published')} hint={t('reporting.group.published.hint', { count: PUBLISHED_SHOWN })} empty={t('reporting.group.published.empty')} tasks={holder.published} extra="published" />
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="plans-title">
        <h2 id="plans-title" safe>
          {t('reporting.overview.plans')}
        </h2>
        {plans.length === 0 ? (
          <p safe>{t('reporting.overview.noPlans')}</p>
        ) : (
          <ul class="summary-list">
            {plans.map((p) => (
              <li>
                <a href={cyclesPath(locale, p.jurisdiction.slug, p.plan.slug)}>
                  <Localized ctx={ctx} value={p.plan.title} />
                </a>{' '}
                <span class="meta">
                  <Localized ctx={ctx} value={p.jurisdiction.name} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

import { escapeHtml } from '@kitajs/html';
import { formatDate, INTL_LOCALE, type MessageKey } from '../../i18n/index.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { FormErrors, type FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, Localized, StatusTag, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { MILESTONE_STATUSES } from '../commitments/index.js';
import { COMPLETION_LEVELS, CYCLE_STATUSES, MAX_FILE_BYTES, OBSTACLES } from './domain.js';

export interface PlanScopeView {
  jurisdiction: { slug: string; name: Translatable };
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

export function CyclePage(props: { ctx: PageContext; scope: PlanScopeView; cycle: CycleView; rows: CycleRow[] }): JSX.Element {
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
                    <StatusTag status={r.updateStatus} label={t(`reporting.updateStatus.${r.updateStatus}` as MessageKey)} />
                  </td>
                  <td safe>{r.submittedAt ? formatDate(locale, r.submittedAt) : t('ui.none')}</td>
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
  const disabled = !props.editable;
  const fields = (
    <fieldset disabled={disabled}>
      <legend class="visually-hidden" safe>
        {title}
      </legend>
      <TextArea ctx={ctx} name="summary" label={labels.summary!} hint={t('reporting.update.summaryHint')} values={values} errors={errors} lang={lang} optional />
      <FileField ctx={ctx} name="files_general" label={labels.files_general!} errors={errors} />
      <ExistingFiles ctx={ctx} files={props.files.filter((f) => f.milestoneId === null)} editable={props.editable} idPrefix="general" />
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
            <ExistingFiles ctx={ctx} files={props.files.filter((f) => f.milestoneId === m.id)} editable={props.editable} idPrefix={`m${m.id}`} />
          </fieldset>
        );
      })}
      {props.editable ? (
        <div class="form-actions">
          <button type="submit" name="action" value="save" class="button-secondary">
            {escapeHtml(t('reporting.update.saveDraft'))}
          </button>{' '}
          <button type="submit" name="action" value="submit">
            {escapeHtml(t('reporting.update.submit'))}
          </button>
        </div>
      ) : (
        ''
      )}
    </fieldset>
  );
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
        <span safe>{t('reporting.update.statusLabel')}</span> <StatusTag status={props.status} label={t(`reporting.updateStatus.${props.status}` as MessageKey)} />
      </p>
      {props.coordinatorComment && (props.status === 'returned' || props.status === 'draft') ? (
        <div class="notice" role="note">
          <h2 safe>{t('reporting.update.returnedComment')}</h2>
          <p safe>{props.coordinatorComment}</p>
        </div>
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
      ) : (
        <p class="notice" safe>
          {t(props.status === 'published' ? 'reporting.update.readOnlyPublished' : 'reporting.update.readOnly')}
        </p>
      )}
      {props.editable ? (
        <form method="post" action={contentLocale === locale ? action : `${action}?content=${encodeURIComponent(contentLocale)}`} enctype="multipart/form-data" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="content" value={contentLocale} />
          <input type="hidden" name="form_token" value={props.formToken} />
          {fields}
        </form>
      ) : (
        <div class="update-readonly">{fields}</div>
      )}
      {props.canReview && props.status === 'submitted' ? <Review {...props} action={action} /> : ''}
    </Layout>
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
        <TextArea ctx={ctx} name="comment" label={labels.comment} values={props.reviewValues ?? {}} errors={props.reviewErrors} rows={3} />
        <button type="submit" class="button-secondary">
          {escapeHtml(t('reporting.review.return'))}
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Overview: where to report

export interface OverviewPlan {
  jurisdiction: { slug: string; name: Translatable };
  plan: { slug: string; title: Translatable };
}

export interface OverviewTask {
  jurisdictionSlug: string;
  planSlug: string;
  cycle: { number: number; label: Translatable; dueOn: string };
  commitment: { code: string; title: Translatable };
  status: string;
}

/** The signed-in person's reporting: updates to file in open cycles, and every plan's cycles. */
export function OverviewPage({ ctx, plans, tasks }: { ctx: PageContext; plans: OverviewPlan[]; tasks: OverviewTask[] }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('reporting.overview.title');
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('ui.nav.admin') }, { label: title }]} />
      <h1 safe>{title}</h1>
      <section aria-labelledby="tasks-title">
        <h2 id="tasks-title" safe>
          {t('reporting.overview.tasks')}
        </h2>
        {tasks.length === 0 ? (
          <p safe>{t('reporting.overview.noTasks')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden" safe>
                {t('reporting.overview.tasks')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{escapeHtml(t('reporting.cycle.col.commitment'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.cycles.col.cycle'))}</th>
                  <th scope="col">{escapeHtml(t('reporting.cycles.col.due'))}</th>
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
                    <td safe>{cycleName(ctx, task.cycle)}</td>
                    <td safe>{formatDate(locale, task.cycle.dueOn)}</td>
                    <td>
                      <StatusTag status={task.status} label={t(`reporting.updateStatus.${task.status}` as MessageKey)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
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

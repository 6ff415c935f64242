import { formatDate, translator, type MessageKey, type Translate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { pick, pickText, type Translatable } from '../../lib/translatable.js';
import { commitmentStatusOn, ogpValuesAndLenses, planStatusOf } from '../commitments/domain.js';
import { RATING_NAMES } from '../reviews/domain.js';
import type { ReviewView } from '../reviews/queries.js';
import type { PublishedUpdate } from '../reporting/queries.js';
import type { CommitmentReportModel, MonitoringReportModel, PlanReportModel, ReportCommitment, ReportModel } from './model.js';

/**
 * A report in one language as a list of blocks: headings, paragraphs, facts, lists and tables.
 * The printable page (html.tsx), the PDF (pdf.ts) and the DOCX (docx.ts) each render these same
 * blocks, so the three always carry the same sections in the same order.
 */

/** A run of text; `lang` when it is shown in another language than the report's (a fallback); `href` for a link. */
export interface Inline {
  text: string;
  lang?: Locale | undefined;
  href?: string | undefined;
  /** Shown where the data lacks it ("Not stated"). */
  missing?: boolean | undefined;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: Inline }
  | { kind: 'paragraph'; text: Inline; notice?: boolean }
  | { kind: 'facts'; rows: { label: string; value: Inline[] }[] }
  | { kind: 'list'; items: Inline[] }
  | { kind: 'table'; caption: string; head: string[]; rows: Inline[][] };

export interface ReportDocument {
  kind: ReportModel['kind'];
  locale: Locale;
  /** The document's title (also the H1). */
  title: string;
  /** Who publishes it (the PDF's author, the DOCX's creator). */
  author: string;
  /** The file name without extension: `{jurisdiction}-{plan}[-{code}]-{kind}-{locale}`. */
  fileName: string;
  isDemo: boolean;
  blocks: Block[];
}

/** The base path of the reports of a plan or commitment (locale-less, without the report's own segment). */
export function reportPaths(locale: string, jurisdiction: string, plan: string, code?: string) {
  const planBase = `/${locale}/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}`;
  if (code) return { page: `${planBase}/commitments/${encodeURIComponent(code)}/report` };
  return { page: `${planBase}/report`, monitoring: `${planBase}/monitoring-report` };
}

class Builder {
  readonly blocks: Block[] = [];
  readonly t: Translate;
  constructor(readonly locale: Locale) {
    this.t = translator(locale);
  }
  /** A translatable text, or "Not stated" when it has none. */
  text(value: Translatable | undefined): Inline {
    const picked = value ? pick(value, this.locale) : undefined;
    if (!picked || !picked.text.trim()) return { text: this.t('reports.notStated'), missing: true };
    return { text: picked.text, lang: picked.fallback ? picked.lang : undefined };
  }
  plain(text: string): Inline {
    return { text };
  }
  date(iso: string | null | undefined): Inline {
    return iso ? { text: formatDate(this.locale, iso) } : { text: this.t('reports.notStated'), missing: true };
  }
  heading(level: 1 | 2 | 3 | 4, text: string | Inline): void {
    this.blocks.push({ kind: 'heading', level, text: typeof text === 'string' ? { text } : text });
  }
  paragraph(text: string | Inline, notice = false): void {
    this.blocks.push({ kind: 'paragraph', text: typeof text === 'string' ? { text } : text, notice });
  }
  /** Long text: blank lines separate paragraphs, a block of "•"/"-" lines is a list. "Not stated" when empty. */
  prose(value: Translatable): void {
    const inline = this.text(value);
    if (inline.missing) {
      this.paragraph(inline);
      return;
    }
    for (const block of inline.text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean)) {
      const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.every((l) => /^[•\-*]\s/.test(l))) this.blocks.push({ kind: 'list', items: lines.map((l) => ({ text: l.replace(/^[•\-*]\s+/, ''), lang: inline.lang })) });
      else this.paragraph({ text: lines.join('\n'), lang: inline.lang });
    }
  }
  facts(rows: { label: string; value: Inline[] }[]): void {
    this.blocks.push({ kind: 'facts', rows });
  }
  list(items: Inline[]): void {
    this.blocks.push({ kind: 'list', items });
  }
  table(caption: string, head: string[], rows: Inline[][]): void {
    this.blocks.push({ kind: 'table', caption, head, rows });
  }
  status(status: string): string {
    return this.t(`domain.milestoneStatus.${status}` as MessageKey);
  }
  progress(value: number | null): Inline {
    return value === null ? { text: this.t('ui.none') } : { text: this.t('ui.progress', { percent: value }) };
  }
  names(list: { name: Translatable }[]): Inline[] {
    if (!list.length) return [{ text: this.t('reports.notStated'), missing: true }];
    return list.map((i) => this.text(i.name));
  }
  period(start: string, end: string): Inline {
    return { text: this.t('plan.periodValue', { start: formatDate(this.locale, start), end: formatDate(this.locale, end) }) };
  }
  demoNotice(isDemo: boolean): void {
    if (isDemo) this.paragraph(this.t('reports.demo'), true);
  }
}

function documentOf(b: Builder, model: ReportModel, title: string, fileParts: string[]): ReportDocument {
  const jurisdiction = pickText(model.plan.jurisdiction.name, b.locale);
  return {
    kind: model.kind,
    locale: b.locale,
    title,
    author: b.t('reports.author', { jurisdiction }),
    fileName: [model.plan.jurisdiction.slug, model.plan.slug, ...fileParts, b.locale].join('-').replace(/[^A-Za-z0-9._-]+/g, '-'),
    isDemo: model.isDemo,
    blocks: b.blocks,
  };
}

/** The plan's facts: jurisdiction, period, status, submission, lead institutions, progress. */
function planOverview(b: Builder, model: ReportModel, today: string): void {
  const { plan } = model;
  const { t } = b;
  b.facts([
    { label: t('reports.field.jurisdiction'), value: [b.text(plan.jurisdiction.name)] },
    { label: t('reports.field.plan'), value: [b.text(plan.title)] },
    { label: t('reports.field.period'), value: [b.period(plan.startsOn, plan.endsOn)] },
    { label: t('reports.field.status'), value: [b.plain(t(`domain.planStatus.${planStatusOf(plan, today)}` as MessageKey))] },
    { label: t('reports.field.submitted'), value: [b.date(plan.submittedOn)] },
    { label: t('reports.field.leadInstitutions'), value: b.names(plan.leadInstitutions) },
    { label: t('reports.field.commitments'), value: [b.plain(String(plan.commitments.length))] },
    { label: t('reports.field.progress'), value: [b.progress(plan.progress)] },
  ]);
}

function asOf(b: Builder, today: string): void {
  b.paragraph(b.t('reports.asOf', { date: formatDate(b.locale, today) }));
}

function commitmentStatus(rc: ReportCommitment, today: string): string {
  const d = rc.detail;
  return commitmentStatusOn(d.status, { startsOn: d.startsOn, endsOn: d.endsOn }, today);
}

/** A commitment's description under OGP's template headings, its facts and its milestones table. */
function commitmentDescription(b: Builder, rc: ReportCommitment, today: string, level: 2 | 3): void {
  const { t } = b;
  const d = rc.detail;
  const sub = (level + 1) as 3 | 4;
  const ogp = ogpValuesAndLenses(d.ogpValues);
  const ogpWords = [...ogp.values, ...ogp.lenses].map((v) => b.plain(t(`domain.ogpValue.${v}` as MessageKey)));
  b.facts([
    { label: t('reports.commitment.id'), value: [b.plain(d.code)] },
    { label: t('reports.commitment.period'), value: [b.period(d.startsOn, d.endsOn)] },
    { label: t('reports.commitment.lead'), value: b.names(d.institutions.filter((i) => i.role === 'lead')) },
    { label: t('reports.commitment.supporting'), value: b.names(d.institutions.filter((i) => i.role === 'supporting')) },
    // The sources of some plans name institutions "involved" without saying which lead.
    ...(d.institutions.some((i) => i.role === 'involved') ? [{ label: t('provenance.involved'), value: b.names(d.institutions.filter((i) => i.role === 'involved')) }] : []),
    { label: t('reports.commitment.ogpValues'), value: ogpWords.length ? ogpWords : [{ text: t('reports.notStated'), missing: true }] },
    { label: t('reports.field.status'), value: [b.plain(b.status(commitmentStatus(rc, today)))] },
    { label: t('reports.field.progress'), value: [b.progress(d.progress)] },
  ]);
  b.heading(level, t('reports.commitment.description'));
  const sections: [MessageKey, Translatable][] = [
    ['reports.commitment.problem', d.problem],
    ['reports.commitment.statusQuo', d.statusQuo],
    ['reports.commitment.action', d.action],
    ['reports.commitment.contribution', d.contribution],
    ['reports.commitment.longTermGoal', d.longTermGoal],
  ];
  for (const [key, value] of sections) {
    b.heading(sub, t(key));
    b.prose(value);
  }
  b.heading(level, t('reports.milestones'));
  if (!d.milestones.length) {
    b.paragraph(t('reports.milestones.none'));
    return;
  }
  b.table(
    t('reports.milestones.caption', { code: d.code }),
    [t('reports.milestone.code'), t('reports.milestone.title'), t('reports.milestone.output'), t('reports.milestone.dates'), t('reports.milestone.responsible'), t('reports.milestone.status')],
    d.milestones.map((m) => [
      b.plain(m.code),
      m.isDemo ? { ...b.text(m.title), text: `${b.text(m.title).text} ${t('reports.demoMark')}` } : b.text(m.title),
      b.text(m.expectedOutput),
      m.startsOn ? b.period(m.startsOn, m.dueOn) : b.date(m.dueOn),
      m.responsible ? b.text(m.responsible.name) : { text: t('reports.notStated'), missing: true },
      b.plain(b.status(m.status)),
    ]),
  );
}

/** One published progress update: its summary, each milestone's report, its evidence links. */
function progressUpdate(b: Builder, u: PublishedUpdate, level: 3 | 4): void {
  const { t } = b;
  const cycle = pickText(u.cycle.label, b.locale) || t('reports.review.headingCycle', { cycle: u.cycle.number });
  b.heading(level, t('reports.update.heading', { cycle, date: formatDate(b.locale, u.publishedAt.slice(0, 10)) }));
  b.prose(u.summary);
  if (u.items.length) {
    b.table(
      t('reports.update.caption', { cycle }),
      [t('reports.update.milestone'), t('reports.update.status'), t('reports.update.completion'), t('reports.update.narrative')],
      u.items.map((i) => [
        { ...b.text(i.title), text: `${i.code} ${b.text(i.title).text}` },
        b.plain(b.status(i.status)),
        b.plain(t(`reporting.completion.${i.completion}` as MessageKey)),
        b.text(i.narrative),
      ]),
    );
  }
  const links = [...u.items.flatMap((i) => i.links), ...u.files.map((f) => f.url), ...u.items.flatMap((i) => i.files.map((f) => f.url))];
  if (links.length) {
    b.paragraph(t('reports.evidence'));
    b.list(links.map((href) => ({ text: href, href })));
  }
}

function recommendationBlocks(b: Builder, review: ReviewView): void {
  const { t } = b;
  b.paragraph(t('reports.recommendations'));
  if (!review.recommendations.length) {
    b.paragraph(t('reports.recommendations.none'));
    return;
  }
  for (const r of review.recommendations) {
    b.prose(r.text);
    const followUps = r.followUps.map((f) => ({ label: t('reports.recommendation.followUp', { date: formatDate(b.locale, f.createdAt.slice(0, 10)) }), value: [b.text(f.note), b.plain(t(`reviews.followUp.after.${f.status}` as MessageKey))] }));
    b.facts([
      { label: t('reports.recommendation.owner'), value: r.institution ? [b.text(r.institution.name)] : [{ text: t('reports.notStated'), missing: true }] },
      { label: t('reports.recommendation.due'), value: [b.date(r.dueOn)] },
      { label: t('reports.recommendation.response'), value: [b.plain(t(`reviews.response.${r.response ?? 'none'}` as MessageKey))] },
      ...(r.response ? [{ label: t('reports.recommendation.reasons'), value: [b.text(r.reasons)] }] : []),
      { label: t('reports.recommendation.status'), value: [b.plain(t(`reviews.recommendationStatus.${r.status}` as MessageKey))] },
      ...followUps,
    ]);
  }
}

/** One published review: assessment, ratings, findings, evidence, recommendations with their follow-up. */
function reviewBlocks(b: Builder, review: ReviewView, heading: string, level: 3 | 4): void {
  const { t } = b;
  b.heading(level, heading);
  if (review.isDemo) b.paragraph(t('reports.demoMark'), true);
  b.facts([{ label: t('reports.review.assessment'), value: [b.plain(t(`reviews.assessment.${review.assessment}` as MessageKey))] }]);
  b.table(
    t('reports.review.ratingsCaption', { code: review.commitment.code }),
    [t('reports.review.rating'), t('reports.review.value')],
    RATING_NAMES.map((name) => {
      const value = review.ratings[name];
      return [b.plain(t(`reviews.rating.${name}` as MessageKey)), b.plain(value ? t(`reviews.rating.${name}.${value}` as MessageKey) : t('reviews.rating.notRated'))];
    }),
  );
  b.paragraph(t('reports.review.findings'));
  b.prose(review.findings);
  if (review.links.length) {
    b.paragraph(t('reports.evidence'));
    b.list(review.links.map((href) => ({ text: href, href })));
  }
  recommendationBlocks(b, review);
}

export function planReportDocument(model: PlanReportModel, locale: Locale, today: string): ReportDocument {
  const b = new Builder(locale);
  const { t } = b;
  const { plan } = model;
  const title = `${t('reports.plan')}: ${pickText(plan.title, locale)}`;
  b.heading(1, title);
  b.demoNotice(model.isDemo);
  asOf(b, today);
  b.heading(2, t('reports.section.overview'));
  planOverview(b, model, today);
  b.heading(2, t('reports.section.foreword'));
  b.prose(plan.foreword);
  b.heading(2, t('reports.section.vision'));
  if (plan.visionSections.length) {
    for (const v of plan.visionSections) {
      b.heading(3, b.text(v.question));
      b.prose(v.answer);
    }
  } else b.paragraph({ text: t('reports.notStated'), missing: true });
  b.heading(2, t('reports.section.engagement'));
  b.facts([
    { label: t('reports.field.leadInstitutions'), value: b.names(plan.leadInstitutions) },
    { label: t('reports.field.groups'), value: [plan.cocreationGroups === null ? { text: t('reports.notStated'), missing: true } : b.plain(String(plan.cocreationGroups))] },
    { label: t('reports.field.meetings'), value: [plan.cocreationPublicMeetings === null ? { text: t('reports.notStated'), missing: true } : b.plain(String(plan.cocreationPublicMeetings))] },
  ]);
  b.heading(3, t('reports.field.cocreation'));
  b.prose(plan.cocreationSummary);
  b.heading(3, t('reports.section.endorsements'));
  if (plan.endorsements.length) b.list(plan.endorsements.map((e) => ({ text: `${e.organization} (${t(`domain.sector.${e.sector}` as MessageKey)})` })));
  else b.paragraph({ text: t('reports.notStated'), missing: true });
  b.heading(2, t('reports.section.commitments'));
  if (model.commitments.length) {
    b.table(
      t('reports.section.summary'),
      [t('reports.table.code'), t('reports.table.title'), t('reports.table.lead'), t('reports.table.status'), t('reports.table.progress')],
      model.commitments.map((rc) => [
        b.plain(rc.detail.code),
        b.text(rc.detail.title),
        { text: b.names(rc.detail.institutions.filter((i) => i.role === 'lead')).map((n) => n.text).join(', ') },
        b.plain(b.status(commitmentStatus(rc, today))),
        b.progress(rc.detail.progress),
      ]),
    );
  }
  else b.paragraph({ text: t('reports.notStated'), missing: true });
  for (const rc of model.commitments) {
    const ct = b.text(rc.detail.title);
    b.heading(2, { ...ct, text: `${rc.detail.code} ${ct.text}` });
    if (rc.isDemo) b.paragraph(t('reports.demoMark'), true);
    commitmentDescription(b, rc, today, 3);
    b.heading(3, t('reports.progress'));
    const latest = rc.updates[0];
    if (latest) {
      b.paragraph(t('reports.progress.latest'));
      progressUpdate(b, latest, 4);
    } else b.paragraph(t('reports.progress.none'));
  }
  return documentOf(b, model, title, ['plan-report']);
}

export function monitoringReportDocument(model: MonitoringReportModel, locale: Locale, today: string): ReportDocument {
  const b = new Builder(locale);
  const { t } = b;
  const title = `${t('reports.monitoring')}: ${pickText(model.plan.title, locale)}`;
  b.heading(1, title);
  b.demoNotice(model.isDemo);
  asOf(b, today);
  b.heading(2, t('reports.section.overview'));
  planOverview(b, model, today);
  if (!model.reports.length) b.paragraph(t('reports.monitoring.none'));
  for (const { report, reviews } of model.reports) {
    const cycle = pickText(report.cycle.label, locale) || t('reports.review.headingCycle', { cycle: report.cycle.number });
    b.heading(2, t('reports.monitoring.cycle', { cycle, start: formatDate(locale, report.cycle.periodStart), end: formatDate(locale, report.cycle.periodEnd) }));
    if (report.isDemo) b.paragraph(t('reports.demoMark'), true);
    b.facts([{ label: t('reports.monitoring.published'), value: [b.date(report.publishedAt.slice(0, 10))] }]);
    b.heading(3, t('reports.monitoring.summary'));
    b.prose(report.summary);
    if (!reviews.length) b.paragraph(t('reports.monitoring.reviewsNone'));
    for (const review of reviews) {
      const ct = b.text(review.commitment.title);
      reviewBlocks(b, review, `${review.commitment.code} ${ct.text}`, 3);
    }
  }
  return documentOf(b, model, title, ['monitoring-report']);
}

export function commitmentReportDocument(model: CommitmentReportModel, locale: Locale, today: string): ReportDocument {
  const b = new Builder(locale);
  const { t } = b;
  const rc = model.commitment;
  const title = `${t('reports.commitment')}: ${rc.detail.code} ${b.text(rc.detail.title).text}`;
  b.heading(1, title);
  b.demoNotice(model.isDemo);
  asOf(b, today);
  b.heading(2, t('reports.section.overview'));
  b.facts([
    { label: t('reports.field.jurisdiction'), value: [b.text(model.plan.jurisdiction.name)] },
    { label: t('reports.field.plan'), value: [b.text(model.plan.title)] },
  ]);
  commitmentDescription(b, rc, today, 2);
  b.heading(2, t('reports.progress.all'));
  if (!rc.updates.length) b.paragraph(t('reports.progress.none'));
  // Oldest first: the commitment's story in order.
  for (const u of [...rc.updates].reverse()) progressUpdate(b, u, 3);
  b.heading(2, t('reports.reviews'));
  if (!model.reviews.length) b.paragraph(t('reports.reviews.none'));
  for (const review of model.reviews) reviewBlocks(b, review, t('reports.review.headingCycle', { cycle: review.cycleNumber }), 3);
  return documentOf(b, model, title, [rc.detail.code, 'report']);
}

export function reportDocument(model: ReportModel, locale: Locale, today: string): ReportDocument {
  if (model.kind === 'plan') return planReportDocument(model, locale, today);
  if (model.kind === 'monitoring') return monitoringReportDocument(model, locale, today);
  return commitmentReportDocument(model, locale, today);
}

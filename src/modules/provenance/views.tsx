import { escapeHtml } from '@kitajs/html';
import { formatDate, INTL_LOCALE, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { pick, type Translatable } from '../../lib/translatable.js';
import { Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { DOCUMENT_LANGUAGE, isNotStated, precisionOf, type DatePrecision, type SourceRef } from './domain.js';

const monthFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A date shown no more precisely than its source gives it: "September 2025", not "30 September 2025". */
export function formatPreciseDate(locale: Locale, iso: string, precision: DatePrecision): string {
  if (precision === 'day') return formatDate(locale, iso);
  if (precision === 'year') return iso.slice(0, 4);
  let format = monthFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' });
    monthFormats.set(locale, format);
  }
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}

/** A date field with the precision its sources give. */
export function preciseDate(ctx: PageContext, iso: string, sources: readonly SourceRef[]): string {
  return formatPreciseDate(ctx.locale, iso, precisionOf(sources));
}

function sameLanguage(a: string, b: string): boolean {
  return a === b || (a.startsWith('sr') && b.startsWith('sr'));
}

/** The sources that speak for the text shown in `shownLang` (rows without a language speak for every one). */
export function sourcesFor(sources: readonly SourceRef[], shownLang: string | undefined): SourceRef[] {
  if (!shownLang) return [...sources];
  return sources.filter((s) => s.language === null || sameLanguage(s.language, shownLang));
}

function DocumentName({ ctx, s }: { ctx: PageContext; s: SourceRef }): JSX.Element {
  const kind = ctx.t(`provenance.document.${s.document}` as MessageKey);
  const title = s.title ? <> “<span safe>{s.title}</span>”</> : '';
  if (s.url && /^https?:\/\//i.test(s.url)) {
    return (
      <>
        <a href={s.url}>{escapeHtml(kind)}</a>
        {title}
      </>
    );
  }
  return (
    <>
      {escapeHtml(kind)}
      {title}
    </>
  );
}

function Section({ ctx, s }: { ctx: PageContext; s: SourceRef }): JSX.Element {
  if (!s.section) return <></>;
  const lang = DOCUMENT_LANGUAGE[s.document];
  return (
    <>
      , {escapeHtml(ctx.t('provenance.section'))} “{lang ? <span lang={lang} safe>{s.section}</span> : <span safe>{s.section}</span>}”
    </>
  );
}

function Quote({ ctx, s }: { ctx: PageContext; s: SourceRef }): JSX.Element {
  if (!s.quote) return <></>;
  const lang = DOCUMENT_LANGUAGE[s.document];
  return (
    <>
      , {escapeHtml(ctx.t('provenance.inSource'))} “{lang ? <span lang={lang} safe>{s.quote}</span> : <span safe>{s.quote}</span>}”
    </>
  );
}

function Note({ ctx, note }: { ctx: PageContext; note: Translatable }): JSX.Element {
  if (!pick(note, ctx.locale)) return <></>;
  return (
    <>
      {' '}
      <Localized ctx={ctx} value={note} />
    </>
  );
}

/**
 * The unobtrusive note under a text or fact: "Source: action plan as adopted, section “…” (the
 * source’s words)." A field the sources leave unstated says so; a source that disagrees is named.
 * `shownLang`: the language of the text shown, to pick the sources of that language's text.
 */
export function SourceNotes({ ctx, sources, shownLang }: { ctx: PageContext; sources: readonly SourceRef[]; shownLang?: string }): JSX.Element {
  const relevant = sourcesFor(sources, shownLang);
  if (relevant.length === 0) return <></>;
  if (isNotStated(relevant)) return <NotStated ctx={ctx} sources={relevant} />;
  return (
    <>
      {relevant
        .filter((s) => s.rendering !== 'not_stated')
        .map((s) =>
          s.relation === 'conflict' ? (
            <p class="source-note conflict">
              {escapeHtml(ctx.t('provenance.conflict'))} <DocumentName ctx={ctx} s={s} />
              <Section ctx={ctx} s={s} />
              <Quote ctx={ctx} s={s} />.<Note ctx={ctx} note={s.note} />
            </p>
          ) : (
            <p class="source-note">
              {escapeHtml(ctx.t('provenance.source'))}: <DocumentName ctx={ctx} s={s} />
              <Section ctx={ctx} s={s} />
              <Quote ctx={ctx} s={s} /> ({escapeHtml(ctx.t(`provenance.rendering.${s.rendering}` as MessageKey))}).
              <Note ctx={ctx} note={s.note} />
            </p>
          ),
        )}
    </>
  );
}

/** "Not stated in the adopted plan as published.", with the notes that explain why (e.g. the public copy breaks off). */
export function NotStated({ ctx, sources }: { ctx: PageContext; sources: readonly SourceRef[] }): JSX.Element {
  const notes = sources.filter((s) => pick(s.note, ctx.locale));
  return (
    <p class="source-note not-stated">
      {escapeHtml(ctx.t('provenance.notStated'))}
      {notes.map((s) => (
        <Note ctx={ctx} note={s.note} />
      ))}
    </p>
  );
}

/**
 * A translatable text with its provenance: the text and its source note, or "not stated" when
 * the text is empty because the sources say nothing.
 */
export function SourcedText({ ctx, value, sources, as = 'div', class: className }: { ctx: PageContext; value: Translatable; sources: readonly SourceRef[]; as?: 'div' | 'span'; class?: string }): JSX.Element {
  const picked = pick(value, ctx.locale);
  if (!picked) return isNotStated(sources) ? <NotStated ctx={ctx} sources={sources} /> : <></>;
  return (
    <>
      <Localized ctx={ctx} value={value} as={as} class={className} />
      <SourceNotes ctx={ctx} sources={sources} shownLang={picked.lang} />
    </>
  );
}

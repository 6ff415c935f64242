import { escapeHtml } from '@kitajs/html';
import { INTL_LOCALE } from '../i18n/index.js';
import { FALLBACKS, type Locale } from '../i18n/locales.js';
import { pick, type Translatable } from '../lib/translatable.js';
import type { PageContext } from './context.js';

type Tag = 'span' | 'p' | 'div' | 'h1' | 'h2' | 'h3' | 'dd' | 'td' | 'li';

/**
 * Shows a translatable value in the page's locale. A fallback (a text not yet translated into
 * the page's language) carries its own `lang` and a subtle mark (class `fallback`), and is
 * recorded on the page's context: the layout then says once, at the top of the page, which
 * languages such texts are shown in (FallbackNotice), instead of a note after each one.
 */
export function Localized(props: { ctx: PageContext; value: Translatable; as?: Tag; class?: string; empty?: string }): JSX.Element {
  const { ctx, value } = props;
  const Tag = props.as ?? 'span';
  const picked = pick(value, ctx.locale);
  if (!picked) {
    return <Tag class={props.class ? `${props.class} missing` : 'missing'}>{escapeHtml(props.empty ?? ctx.t('ui.notSet'))}</Tag>;
  }
  const block = Tag === 'div';
  const body = block ? <Paragraphs text={picked.text} /> : <>{escapeHtml(picked.text)}</>;
  if (!picked.fallback) return <Tag class={props.class}>{body}</Tag>;
  recordFallback(ctx, picked.lang);
  return (
    <Tag class={props.class ? `${props.class} fallback` : 'fallback'} lang={picked.lang}>
      {body}
    </Tag>
  );
}

/** Notes that the page shows a text in `lang` because it is not yet translated into the page's language. */
export function recordFallback(ctx: PageContext, lang: Locale): void {
  (ctx.fallbacks ??= new Set()).add(lang);
}

/**
 * Once per page, at the top of <main>: "Some texts on this page are not yet translated into
 * Albanian; they are shown in English. Read this page in English." The languages are named in
 * the reader's language, and each link leads to the same page in the language of the original.
 * Renders nothing when every text is in the page's language.
 */
export function FallbackNotice({ ctx }: { ctx: PageContext }): JSX.Element {
  const langs = fallbackLanguages(ctx);
  if (langs.length === 0) return '';
  const { t, locale } = ctx;
  // Serbian in either script is one language in the sentence; each script keeps its own link.
  const names = [...new Set(langs.map((lang) => t('ui.fallback.languageIn', { language: languageKey(lang) })))];
  const shownIn = new Intl.ListFormat(INTL_LOCALE[locale], { type: 'conjunction' }).format(names);
  return (
    <div class="fallback-notice" role="note">
      <p>{escapeHtml(t('ui.fallback.notice', { page: languageKey(locale), languages: shownIn }))}</p>
      <ul class="fallback-links">
        {langs.map((lang) => (
          <li>
            <a href={`/${lang}${ctx.path === '/' ? '/' : ctx.path}`} hreflang={lang}>
              {escapeHtml(t('ui.fallback.read', { language: languageKey(lang) }))}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A locale as an ICU select key (no hyphen): the messages name each language in the reader's language. */
function languageKey(locale: Locale): string {
  return locale.replace('-', '');
}

/** The languages recorded as fallbacks on this page, in the page locale's fallback order. */
export function fallbackLanguages(ctx: PageContext): Locale[] {
  const recorded = ctx.fallbacks;
  if (!recorded || recorded.size === 0) return [];
  return FALLBACKS[ctx.locale].filter((lang) => recorded.has(lang));
}

/**
 * A link whose text is a translatable value (a title, a name), optionally after a code. A
 * fallback keeps its own `lang` inside the link and is recorded for the page's one notice.
 */
export function LocalizedLink(props: { ctx: PageContext; href: string; value: Translatable; code?: string; empty?: string }): JSX.Element {
  const { ctx, href, value, code } = props;
  const picked = pick(value, ctx.locale);
  const prefix = code ? (
    <>
      <span class="code" safe>
        {code}
      </span>{' '}
    </>
  ) : (
    ''
  );
  if (!picked) {
    return (
      <a href={href}>
        {prefix}
        <span class="missing">{escapeHtml(props.empty ?? ctx.t('ui.notSet'))}</span>
      </a>
    );
  }
  if (!picked.fallback) {
    return (
      <a href={href}>
        {prefix}
        {escapeHtml(picked.text)}
      </a>
    );
  }
  recordFallback(ctx, picked.lang);
  return (
    <a href={href}>
      {prefix}
      <span class="fallback" lang={picked.lang}>
        {escapeHtml(picked.text)}
      </span>
    </a>
  );
}

/** Plain text with blank lines as paragraph breaks and lines starting with "•" or "-" as list items. */
export function Paragraphs({ text }: { text: string }): JSX.Element {
  const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return (
    <>
      {blocks.map((block) => {
        const lines = block.split('\n').map((l) => l.trim());
        if (lines.every((l) => /^[•\-*]\s/.test(l))) {
          return (
            <ul>
              {lines.map((l) => (
                <li safe>{l.replace(/^[•\-*]\s+/, '')}</li>
              ))}
            </ul>
          );
        }
        return <p safe>{block}</p>;
      })}
    </>
  );
}

export function ProgressBar({ ctx, value, label }: { ctx: PageContext; value: number | null; label?: string }): JSX.Element {
  if (value === null) return <span class="progress-none">{escapeHtml(ctx.t('ui.none'))}</span>;
  const text = ctx.t('ui.progress', { percent: value });
  return (
    <span class="progress">
      <progress max="100" value={String(Math.round(value * 100))} aria-label={label ? `${label}: ${text}` : text}>
        {escapeHtml(text)}
      </progress>
      <span class="progress-text" safe>
        {text}
      </span>
    </span>
  );
}

export interface Crumb {
  href?: string;
  label: string;
}

export function Breadcrumbs({ ctx, items }: { ctx: PageContext; items: Crumb[] }): JSX.Element {
  return (
    <nav aria-label={ctx.t('ui.breadcrumbs')} class="breadcrumbs">
      <ol>
        {items.map((item) =>
          item.href ? (
            <li>
              <a href={item.href} safe>
                {item.label}
              </a>
            </li>
          ) : (
            <li aria-current="page" safe>
              {item.label}
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}

export function DemoTag({ ctx }: { ctx: PageContext }): JSX.Element {
  return <span class="tag tag-demo">{escapeHtml(ctx.t('ui.demo.tag'))}</span>;
}

export function StatusTag({ status, label }: { status: string; label: string }): JSX.Element {
  return (
    <span class={`tag tag-${status}`} safe>
      {label}
    </span>
  );
}

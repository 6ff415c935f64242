import { escapeHtml } from '@kitajs/html';
import { LOCALE_NAMES, type Locale } from '../i18n/locales.js';
import { pick, type Translatable } from '../lib/translatable.js';
import type { PageContext } from './context.js';

type Tag = 'span' | 'p' | 'div' | 'h1' | 'h2' | 'h3' | 'dd' | 'td' | 'li';

/**
 * Shows a translatable value in the page's locale. A fallback carries its own `lang`
 * and a visible note saying which language it is in.
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
  return (
    <Tag class={props.class ? `${props.class} fallback` : 'fallback'}>
      {block ? <div lang={picked.lang}>{body}</div> : <span lang={picked.lang}>{body}</span>}{' '}
      <FallbackNote ctx={ctx} lang={picked.lang} as={block ? 'p' : 'span'} />
    </Tag>
  );
}

/** The visible note that a text is shown in another language. */
function FallbackNote({ ctx, lang, as }: { ctx: PageContext; lang: Locale; as: 'p' | 'span' }): JSX.Element {
  const Tag = as;
  return <Tag class="fallback-note">{escapeHtml(ctx.t('ui.fallback', { language: LOCALE_NAMES[lang] }))}</Tag>;
}

/**
 * A link whose text is a translatable value (a title, a name), optionally after a code. A
 * fallback keeps its own `lang` inside the link, but the visible note follows the link instead
 * of sitting in it: the link's accessible name is then the title alone, not "… (in English)".
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
  return (
    <>
      <a href={href}>
        {prefix}
        <span lang={picked.lang}>{escapeHtml(picked.text)}</span>
      </a>{' '}
      <FallbackNote ctx={ctx} lang={picked.lang} as="span" />
    </>
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

import { INTL_LOCALE } from '../i18n/index.js';
import { isLocale, LOCALES, LOCALE_NAMES, type Locale } from '../i18n/locales.js';
import { FormErrors } from '../lib/forms.js';
import { pick, type Translatable } from '../lib/translatable.js';
import { Paragraphs } from './components.js';
import type { PageContext } from './context.js';
import { Layout } from './layout.js';

/**
 * Pieces shared by the admin pages of every module: the content language of an edit form
 * (switching links, hidden field, text to translate from), the error order and the 403 page.
 */

/** The content language of an edit form: `?content=<locale>` or the hidden field, else the page's locale. */
export function resolveContentLocale(requested: unknown, fallback: Locale): Locale {
  return isLocale(requested) ? requested : fallback;
}

/** The locales in which any of the given values has text. */
export function localesWithText(...values: Translatable[]): Locale[] {
  return LOCALES.filter((l) => values.some((v) => !!v[l]));
}

/** A language's name in the interface language (e.g. "Serbian (Latin)" on an English page). */
export function languageName(ctx: PageContext, locale: Locale): string {
  try {
    return new Intl.DisplayNames([INTL_LOCALE[ctx.locale]], { type: 'language' }).of(locale) ?? LOCALE_NAMES[locale];
  } catch {
    return LOCALE_NAMES[locale];
  }
}

/**
 * Links that switch the language of the translatable text being edited. `withText` lists the
 * languages that already have text (omitted on forms for new records: no state is shown).
 */
export function ContentLanguages(props: { ctx: PageContext; current: Locale; path: string; withText?: Locale[] | undefined }): JSX.Element {
  const { ctx, current, path, withText } = props;
  const { t } = ctx;
  return (
    <nav class="content-languages" aria-labelledby="content-languages-title">
      <h2 id="content-languages-title" safe>{t('admin.content.title')}</h2>
      <p safe>{t('admin.content.intro', { language: languageName(ctx, current) })}</p>
      <ul>
        {LOCALES.map((l) => (
          <li>
            <a href={`${path}?content=${encodeURIComponent(l)}`} hreflang={l} aria-current={l === current ? 'true' : undefined} safe>
              {languageName(ctx, l)}
            </a>
            {withText ? (
              <>
                {' '}
                <span class={withText.includes(l) ? 'content-state content-state-filled' : 'content-state content-state-empty'} safe>
                  {`(${withText.includes(l) ? t('admin.content.hasText') : t('admin.content.noText')})`}
                </span>
              </>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * A field's text in another language, folded away, to translate from: shown while the field
 * has no text in the language being edited.
 */
export function TranslationReference(props: { ctx: PageContext; label: string; value: Translatable | undefined; locale: Locale }): JSX.Element {
  const { ctx, label, value, locale } = props;
  if (!value || value[locale]) return <></>;
  const other = pick(value, locale);
  if (!other) return <></>;
  return (
    <details class="translation-reference">
      <summary safe>{ctx.t('admin.content.reference', { field: label, language: languageName(ctx, other.lang) })}</summary>
      <div lang={other.lang}>
        <Paragraphs text={other.text} />
      </div>
    </details>
  );
}

/** The errors in the order of the form's fields (the order of `labels`), so the summary reads top to bottom. */
export function inFormOrder(errors: FormErrors | undefined, labels: Record<string, string>): FormErrors | undefined {
  if (!errors) return undefined;
  const order = Object.keys(labels);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const sorted = new FormErrors();
  for (const e of [...errors.list].sort((a, b) => rank(a.field) - rank(b.field))) sorted.add(e.field, e.message, e.values);
  return sorted;
}

/** The hidden field that carries the content language through a POST (`content_locale` unless named otherwise). */
export function ContentLocaleField({ locale, name = 'content_locale' }: { locale: Locale; name?: string }): JSX.Element {
  return <input type="hidden" name={name} value={locale} />;
}

/** The page shown when a signed-in user lacks the role for one admin page. */
export function ForbiddenPage({ ctx }: { ctx: PageContext }): JSX.Element {
  const title = ctx.t('accounts.forbidden.title');
  return (
    <Layout ctx={ctx} title={title} admin>
      <h1 safe>{title}</h1>
      <p safe>{ctx.t('accounts.forbidden.body')}</p>
    </Layout>
  );
}

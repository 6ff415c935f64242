import type { MessageKey } from '../../i18n/index.js';
import { parseTranslatable, pickText } from '../../lib/translatable.js';
import { DemoTag, Localized, LocalizedLink } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { asTranslatable } from './text.js';
import type { JurisdictionOption, SearchHit, SearchResult } from './repository.js';

/** A kind of result the search form offers, with its label's message key (routes.ts searchKinds). */
export interface SearchKindOption {
  kind: string;
  label: MessageKey;
}

export interface SearchPageProps {
  ctx: PageContext;
  /** The query as typed (already cut to the maximum length). */
  query: string;
  kind: string;
  /** Every module's kinds of result, in order. */
  kinds: readonly SearchKindOption[];
  jurisdiction: string;
  /** Offered as a filter only when the instance serves more than one jurisdiction. */
  jurisdictions: JurisdictionOption[];
  /** Undefined when nothing was searched for yet. */
  result?: SearchResult | undefined;
  /** True when the query had words to search for. */
  hasTerms: boolean;
  truncatedTo?: number | undefined;
}

/**
 * The commitment code the hint gives as an example. Passed as an argument, never written in the
 * message: codes are Latin in every locale, and the Serbian Cyrillic messages are transliterated.
 */
export const EXAMPLE_CODE = 'XKGJA0001';

function SearchForm({ ctx, query, kind, kinds, jurisdiction, jurisdictions }: SearchPageProps): JSX.Element {
  const { t } = ctx;
  return (
    <form method="get" action={`/${ctx.locale}/search`} role="search" class="search-form">
      <div class="field">
        <label for="field-q" safe>{t('search.label')}</label>
        <p class="hint" id="hint-q" safe>
          {t('search.hint', { code: EXAMPLE_CODE })}
        </p>
        <input id="field-q" name="q" type="search" value={query} maxlength="200" aria-describedby="hint-q" />
      </div>
      <div class="field">
        <label for="field-kind" safe>{t('search.kind.label')}</label>
        <select id="field-kind" name="kind">
          <option value="" selected={kind === ''} safe>
            {t('search.kind.all')}
          </option>
          {kinds.map((k) => (
            <option value={k.kind} selected={kind === k.kind} safe>
              {t(k.label)}
            </option>
          ))}
        </select>
      </div>
      {jurisdictions.length > 1 ? (
        <div class="field">
          <label for="field-jurisdiction" safe>{t('search.jurisdiction.label')}</label>
          <select id="field-jurisdiction" name="jurisdiction">
            <option value="" selected={jurisdiction === ''} safe>
              {t('search.jurisdiction.all')}
            </option>
            {jurisdictions.map((j) => {
              const label = pickText(asTranslatable(j.name), ctx.locale) || j.slug;
              return (
                <option value={j.slug} selected={jurisdiction === j.slug} safe>
                  {label}
                </option>
              );
            })}
          </select>
        </div>
      ) : jurisdiction ? (
        <input type="hidden" name="jurisdiction" value={jurisdiction} />
      ) : (
        ''
      )}
      <button type="submit" safe>{t('search.submit')}</button>
    </form>
  );
}

/** The code of a commitment or milestone, read back from its path (`…/commitments/XKGJA0001#XKGJA0001.2`). */
function codeOf(hit: SearchHit): string {
  const segment = hit.kind === 'milestone' ? hit.path.split('#')[1] : hit.kind === 'commitment' ? hit.path.split('/').pop() : undefined;
  if (!segment) return '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function Results({ ctx, query, result, kinds }: { ctx: PageContext; query: string; result: SearchResult; kinds: readonly SearchKindOption[] }): JSX.Element {
  const { t } = ctx;
  const labels = new Map(kinds.map((k) => [k.kind, k.label]));
  if (result.count === 0) {
    return (
      <section aria-labelledby="search-results-title" class="search-results">
        <h2 id="search-results-title" safe>{t('search.results')}</h2>
        <p class="search-count" safe>
          {t('search.none', { query })}
        </p>
        <p safe>{t('search.noneHelp')}</p>
      </section>
    );
  }
  const shown = result.hits.length;
  return (
    <section aria-labelledby="search-results-title" class="search-results">
      <h2 id="search-results-title" safe>{t('search.results')}</h2>
      <p class="search-count" safe>
        {result.moreThanCount
          ? t('search.countMany', { shown, count: result.count, query })
          : shown < result.count
            ? t('search.countLimited', { shown, count: result.count, query })
            : t('search.count', { count: result.count, query })}
      </p>
      <ol class="result-list">
        {result.hits.map((hit) => (
          <li class={`result result-${hit.kind}`}>
            <p class="result-kind">
              <span class="tag" safe>{labels.has(hit.kind) ? t(labels.get(hit.kind)!) : hit.kind}</span>
              {codeOf(hit) ? (
                <>
                  {' '}
                  <span class="result-code" safe>
                    {codeOf(hit)}
                  </span>
                </>
              ) : (
                ''
              )}
              {hit.isDemo ? (
                <>
                  {' '}
                  <DemoTag ctx={ctx} />
                </>
              ) : (
                ''
              )}
            </p>
            <h3 class="result-title">
              <LocalizedLink ctx={ctx} href={`/${ctx.locale}${hit.path}`} value={parseTranslatable(hit.title)} />
            </h3>
            {hit.kind === 'jurisdiction' ? '' : <Localized ctx={ctx} value={asTranslatable(hit.jurisdictionName)} as="p" class="result-context" />}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function SearchPage(props: SearchPageProps): JSX.Element {
  const { ctx, query, result } = props;
  const { t } = ctx;
  // A long query is shortened in the window title (the page itself shows it whole).
  const chars = Array.from(query);
  const short = chars.length > 40 ? `${chars.slice(0, 39).join('').trimEnd()}…` : query;
  const title = query ? t('search.titleWithQuery', { query: short }) : t('search.title');
  // Demonstration data among the results: the same banner as every page showing it, and a tag on each.
  const demo = !!result?.hits.some((hit) => hit.isDemo);
  return (
    <Layout ctx={ctx} title={title} demo={demo}>
      <h1 safe>{t('search.title')}</h1>
      <p safe>{t('search.intro')}</p>
      <SearchForm {...props} />
      {props.truncatedTo ? <p class="notice" safe>{t('search.truncated', { max: props.truncatedTo })}</p> : ''}
      {query && !props.hasTerms ? <p class="notice" safe>{t('search.noTerms')}</p> : ''}
      {result ? <Results ctx={ctx} query={query} result={result} kinds={props.kinds} /> : ''}
    </Layout>
  );
}

import { formatDateTime, type MessageKey } from '../../i18n/index.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, Paragraphs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, TextArea } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { consultationPath } from './consultation-queries.js';
import type { ModerationQueue, QueueItem } from './moderation-queries.js';

/** The moderation queue, /{locale}/admin/moderation: each contribution with its flags and the moderator's actions. */

export function moderationPath(locale: string): string {
  return `/${locale}/admin/moderation`;
}

export function responsesAdminPath(locale: string, jurisdiction: string, slug: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/consultations/${encodeURIComponent(slug)}/responses`;
}

function kindLabel(ctx: PageContext, kind: string, depth: number): string {
  if (depth > 0) return ctx.t('moderation.kind.reply');
  return ctx.t(`responses.kind.${kind === 'proposal' ? 'proposal' : 'comment'}` as MessageKey);
}

function Item(props: { ctx: PageContext; item: QueueItem; values: FormValues; errors?: FormErrors | undefined; showJurisdiction: boolean; canRespond: (jurisdictionId: number) => boolean }): JSX.Element {
  const { ctx, item } = props;
  const { t, locale } = ctx;
  const base = moderationPath(locale);
  const field = `reason_${item.id}`;
  const when = item.status === 'hidden' && item.hiddenAt ? item.hiddenAt : item.status === 'published' && item.publishedAt ? item.publishedAt : item.createdAt;
  const whenKey: MessageKey = item.status === 'hidden' ? 'moderation.item.hiddenAt' : item.status === 'published' ? 'moderation.item.publishedAt' : 'moderation.item.receivedAt';
  return (
    <article class="moderation-item" id={`contribution-${item.id}`} aria-labelledby={`contribution-${item.id}-title`}>
      <h3 id={`contribution-${item.id}-title`}>
        <span safe>{`${kindLabel(ctx, item.kind, item.depth)} · `}</span>
        <a href={`${consultationPath(locale, item.jurisdiction.slug, item.consultation.slug)}`}>
          <Localized ctx={ctx} value={item.consultation.title} empty={item.consultation.slug} />
        </a>
        {item.isDemo ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </h3>
      <p class="meta">
        {props.showJurisdiction ? <span safe>{`${pickText(item.jurisdiction.name, locale) || item.jurisdiction.slug} · `}</span> : ''}
        <span safe>{t(whenKey, { date: formatDateTime(locale, when, item.jurisdiction.timeZone, 'medium') })}</span>
        {' · '}
        {item.authorName ? <span safe>{t('moderation.item.by', { name: item.authorName })}</span> : <em safe>{t('responses.table.anonymised')}</em>}
        {item.consultation.moderation === 'pre' && item.status === 'pending' && !item.flags.length ? <span safe>{` · ${t('moderation.item.preModerated')}`}</span> : ''}
      </p>
      {item.flags.length ? (
        <div class="flags">
          <p safe>{t('moderation.item.flags', { count: item.flags.length })}</p>
          <ul>
            {item.flags.map((reason) => (
              <li safe>{reason}</li>
            ))}
          </ul>
        </div>
      ) : (
        ''
      )}
      {item.status === 'hidden' && item.hiddenReason ? <p safe>{t('moderation.item.hiddenBecause', { reason: item.hiddenReason })}</p> : ''}
      <blockquote class="contribution-text">
        <Paragraphs text={item.body} />
      </blockquote>
      <div class="moderation-actions">
        {item.status !== 'published' ? (
          <form method="post" action={`${base}/${item.id}/approve`} class="inline-form">
            <CsrfField ctx={ctx} />
            <button type="submit">
              <span safe>{item.status === 'hidden' ? t('moderation.action.restore') : t('moderation.action.approve')}</span>
              <span class="visually-hidden" safe>{` ${t('moderation.item.number', { id: item.id })}`}</span>
            </button>
          </form>
        ) : (
          ''
        )}
        {item.status !== 'hidden' ? (
          <form method="post" action={`${base}/${item.id}/hide`} novalidate>
            <CsrfField ctx={ctx} />
            <TextArea ctx={ctx} name={field} label={t('moderation.field.reason', { id: item.id })} hint={t('moderation.field.reasonHint')} values={props.values} errors={props.errors} rows={3} />
            <button type="submit" class="button-secondary">
              <span safe>{t('moderation.action.hide')}</span>
              <span class="visually-hidden" safe>{` ${t('moderation.item.number', { id: item.id })}`}</span>
            </button>
          </form>
        ) : (
          ''
        )}
        {props.canRespond(item.jurisdiction.id) ? (
          <p>
            <a href={responsesAdminPath(locale, item.jurisdiction.slug, item.consultation.slug)} safe>
              {t('moderation.item.responses')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </article>
  );
}

export function ModerationQueuePage(props: {
  ctx: PageContext;
  queue: ModerationQueue;
  showJurisdiction: boolean;
  canRespond: (jurisdictionId: number) => boolean;
  values?: FormValues;
  errors?: FormErrors | undefined;
  labels?: Record<string, string>;
}): JSX.Element {
  const { ctx, queue } = props;
  const { t, locale } = ctx;
  const title = t('moderation.title');
  const values = props.values ?? {};
  const group = (id: string, heading: string, empty: string, items: QueueItem[]) => (
    <section aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`} safe>
        {heading}
      </h2>
      {items.length === 0 ? (
        <p safe>{empty}</p>
      ) : (
        items.map((item) => <Item ctx={ctx} item={item} values={values} errors={props.errors} showJurisdiction={props.showJurisdiction} canRespond={props.canRespond} />)
      )}
    </section>
  );
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('ui.nav.admin') }, { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} labels={props.labels ?? {}} />
      <p safe>{t('moderation.intro')}</p>
      {group('pending', t('moderation.pending.title', { count: queue.pending.length }), t('moderation.pending.none'), queue.pending)}
      {group('published', t('moderation.published.title'), t('moderation.published.none'), queue.published)}
      {group('hidden', t('moderation.hidden.title'), t('moderation.hidden.none'), queue.hidden)}
    </Layout>
  );
}

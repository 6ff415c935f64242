import { escapeHtml } from '@kitajs/html';
import { INTL_LOCALE } from '../../i18n/index.js';
import { pickText } from '../../lib/translatable.js';
import { Breadcrumbs, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import type { JurisdictionRow } from '../jurisdictions/commands.js';
import { maskAddress } from './address.js';
import { OUTBOX_STATUSES, type OutboxListItem, type OutboxStatus } from './repository.js';

export interface MailAdminData {
  items: OutboxListItem[];
  counts: Record<OutboxStatus, number>;
  status: OutboxStatus | undefined;
  /** Id to page from for older messages, when there are more. */
  olderThan: number | undefined;
  paged: boolean;
  maxAttempts: number;
  /** For the administrator of some jurisdictions: those (only their people's messages are listed). Undefined: the whole outbox. */
  jurisdictions?: readonly Pick<JurisdictionRow, 'slug' | 'name'>[] | undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateTimeText(ctx: PageContext, iso: string): string {
  let format = formats.get(ctx.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[ctx.locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    formats.set(ctx.locale, format);
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${format.format(date)} UTC`;
}

function dateTime(ctx: PageContext, iso: string): JSX.Element {
  return (
    <time datetime={iso} safe>
      {dateTimeText(ctx, iso)}
    </time>
  );
}

function statusLabel(ctx: PageContext, status: OutboxStatus): string {
  return ctx.t(`mailAdmin.status.${status}`);
}

/** GET /{locale}/admin/mail: the outbox, newest first, with "retry now" on failed messages. */
export function MailAdminPage({ ctx, data }: { ctx: PageContext; data: MailAdminData }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin/mail`;
  const total = data.counts.queued + data.counts.sent + data.counts.failed;
  const filterHref = (status: OutboxStatus | undefined) => (status ? `${base}?status=${status}` : base);
  return (
    <Layout ctx={ctx} title={t('mailAdmin.title')} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/admin`, label: t('adminHome.title') }, { label: t('mailAdmin.title') }]} />
      <h1>{escapeHtml(t('mailAdmin.title'))}</h1>
      <p safe>{t('mailAdmin.intro', { max: data.maxAttempts })}</p>
      {data.jurisdictions ? (
        <p safe>
          {t('mailAdmin.scope', {
            jurisdictions: new Intl.ListFormat(INTL_LOCALE[locale], { type: 'conjunction' }).format(data.jurisdictions.map((j) => pickText(j.name, locale) || j.slug)),
          })}
        </p>
      ) : (
        ''
      )}

      <nav aria-label={t('mailAdmin.filter')} class="mail-filter">
        <ul class="admin-actions">
          <li>
            <a href={filterHref(undefined)} aria-current={data.status === undefined ? 'true' : undefined} safe>
              {t('mailAdmin.filter.all', { count: total })}
            </a>
          </li>
          {OUTBOX_STATUSES.map((status) => (
            <li>
              <a href={filterHref(status)} aria-current={data.status === status ? 'true' : undefined} safe>
                {t('mailAdmin.filter.status', { status: statusLabel(ctx, status), count: data.counts[status] })}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      {data.items.length === 0 ? (
        <p>{escapeHtml(t('mailAdmin.empty'))}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{escapeHtml(t('mailAdmin.caption'))}</caption>
            <thead>
              <tr>
                <th scope="col">{escapeHtml(t('mailAdmin.col.created'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.recipient'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.subject'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.status'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.attempts'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.nextAttempt'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.lastError'))}</th>
                <th scope="col">{escapeHtml(t('mailAdmin.col.actions'))}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr id={`mail-${item.id}`}>
                  <td>{dateTime(ctx, item.createdAt)}</td>
                  <td safe>{maskAddress(item.to)}</td>
                  <td safe>{item.subject}</td>
                  <td>
                    <StatusTag status={`mail-${item.status}`} label={statusLabel(ctx, item.status)} />
                    {item.status === 'sent' && item.sentAt ? (
                      <>
                        {' '}
                        <span class="meta" safe>
                          {t('mailAdmin.sentAt', { time: dateTimeText(ctx, item.sentAt) })}
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td safe>{String(item.attempts)}</td>
                  <td>{item.status === 'queued' ? dateTime(ctx, item.nextAttemptAt) : '—'}</td>
                  <td safe>{item.lastError ?? '—'}</td>
                  <td>
                    {item.status === 'failed' ? (
                      <form method="post" action={`${base}/${item.id}/retry`} class="inline-form">
                        <CsrfField ctx={ctx} />
                        <button type="submit" class="button-secondary">
                          {escapeHtml(t('mailAdmin.retry'))}
                          <span class="visually-hidden" safe>{` (${t('mailAdmin.retry.which', { id: item.id })})`}</span>
                        </button>
                      </form>
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
      {data.paged || data.olderThan !== undefined ? (
        <ul class="admin-actions">
          {data.paged ? (
            <li>
              <a href={filterHref(data.status)}>{escapeHtml(t('mailAdmin.newest'))}</a>
            </li>
          ) : (
            ''
          )}
          {data.olderThan !== undefined ? (
            <li>
              <a href={`${base}?${new URLSearchParams({ ...(data.status ? { status: data.status } : {}), before: String(data.olderThan) }).toString()}`}>
                {escapeHtml(t('mailAdmin.older'))}
              </a>
            </li>
          ) : (
            ''
          )}
        </ul>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** The page a signed-in person sees when the outbox is not theirs to see. */
export function MailForbiddenPage({ ctx }: { ctx: PageContext }): JSX.Element {
  return (
    <Layout ctx={ctx} title={ctx.t('accounts.forbidden.title')} admin>
      <h1>{escapeHtml(ctx.t('accounts.forbidden.title'))}</h1>
      <p>{escapeHtml(ctx.t('accounts.forbidden.body'))}</p>
    </Layout>
  );
}

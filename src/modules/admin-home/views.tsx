import { escapeHtml } from '@kitajs/html';
import { Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import type { ReportingCounts } from '../reporting/index.js';
import { ReviewsHomeCard, type ReviewsHomeLinks } from '../reviews/index.js';
import type { ParticipationHome } from '../participation/moderation-home.js';

export interface AdminHomeData {
  /** The roles the person holds, described ("Coordinator · Municipality of Gjakova"). */
  roles: string[];
  jurisdictions: { slug: string; name: Translatable; kind: string; countryCode: string }[];
  canCreateJurisdiction: boolean;
  /** Shows the link to people and roles (canManageUsers from the accounts module). */
  canManageUsers?: boolean;
  /** Shows the link to the reporting overview. */
  canOpenReporting?: boolean;
  /** Jurisdictions whose meetings the person manages (canManageMeetings from the meetings module). */
  meetings?: { slug: string; name: Translatable }[];
  /** The jurisdictions whose bodies (Forum, monitoring body, working groups) the person manages (canManageBodies). */
  bodies?: { slug: string; name: Translatable }[];
  /** The jurisdictions whose news and press releases the person writes (canManageNews). */
  news?: { slug: string; name: Translatable }[];
  /** Shows the link to the imports of OGP's and Decidim's files (instance administrators). */
  canImport?: boolean;
  /** Shows the link to the witnesses of the transparency log (canManageWitnesses: instance administrators). */
  canManageWitnesses?: boolean;
  /** The jurisdictions whose consultations the person prepares and publishes (canManageConsultations). */
  consultations?: { slug: string; name: Translatable }[];
  /** What waits for the person in reporting (counted on the day the page is shown). */
  reporting?: ReportingCounts | undefined;
  /** Monitoring reviews to write, recommendations waiting for a response. */
  reviews?: ReviewsHomeLinks | undefined;
  /** The moderation queue's count (moderators, administrators) and the consultations still to answer (coordinators, administrators). */
  participation?: ParticipationHome | undefined;
}

/** One card of the start page: a heading, one line saying what is there, and its links. */
function Card(props: { id: string; title: string; text: string; children?: JSX.Element | JSX.Element[] | string }): JSX.Element {
  // The card's links and lists, built (and escaped) by the caller.
  const safeChildren = props.children ?? '';
  return (
    <section class="admin-card" aria-labelledby={`card-${props.id}`}>
      <h2 id={`card-${props.id}`} safe>
        {props.title}
      </h2>
      <p safe>{props.text}</p>
      {safeChildren}
    </section>
  );
}

/** The person's next actions in reporting, most pressing first, each linking to its list. */
function NextActions({ ctx, counts, participation }: { ctx: PageContext; counts?: ReportingCounts | undefined; participation?: ParticipationHome | undefined }): JSX.Element {
  const { t, locale } = ctx;
  const overview = `/${locale}/admin/reporting`;
  const items: [string, string][] = [];
  if (participation?.moderation?.pending) items.push([`/${locale}/admin/moderation#pending`, t('adminHome.next.moderation', { count: participation.moderation.pending })]);
  for (const task of participation?.responses ?? [])
    items.push([
      `/${locale}/admin/jurisdictions/${encodeURIComponent(task.jurisdictionSlug)}/consultations/${encodeURIComponent(task.slug)}/responses`,
      t('adminHome.next.responses', { count: task.total - task.answered, title: pickText(task.title, locale) || task.slug }),
    ]);
  if (!counts) return nextList(ctx, items, 'adminHome.next.noneParticipation');
  if (counts.toReview) items.push([`${overview}#group-to-review`, t('adminHome.next.toReview', { count: counts.toReview })]);
  if (counts.toFillOverdue) items.push([`${overview}#group-to-fill`, t('adminHome.next.toFillOverdue', { count: counts.toFillOverdue })]);
  if (counts.returned) items.push([`${overview}#group-returned`, t('adminHome.next.returned', { count: counts.returned })]);
  if (counts.toFill > counts.toFillOverdue) items.push([`${overview}#group-to-fill`, t('adminHome.next.toFill', { count: counts.toFill - counts.toFillOverdue })]);
  if (counts.overdue) items.push([`${overview}#group-overdue`, t('adminHome.next.overdue', { count: counts.overdue })]);
  return nextList(ctx, items, 'adminHome.next.none');
}

function nextList(ctx: PageContext, items: [string, string][], none: 'adminHome.next.none' | 'adminHome.next.noneParticipation'): JSX.Element {
  const { t } = ctx;
  return (
    <section class="next-actions" aria-labelledby="next-title">
      <h2 id="next-title" safe>
        {t('adminHome.next.title')}
      </h2>
      {items.length === 0 ? (
        <p safe>{t(none)}</p>
      ) : (
        <ul>
          {items.map(([href, text]) => (
            <li>
              <a href={href} safe>
                {text}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The administration's start page: who is signed in, what needs them now (reports to review,
 * to fill in, overdue), then one card per area they may open, each with a heading, one line
 * saying what is there and its link; their roles last.
 */
export function AdminHomePage({ ctx, data }: { ctx: PageContext; data: AdminHomeData }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/admin`;
  // Roles without tasks in Besa yet (the Forum's secretary, the monitoring body, moderators): say so.
  const nothingToDo =
    data.jurisdictions.length === 0 && !data.canCreateJurisdiction && !data.canManageUsers && !data.canOpenReporting && !data.meetings?.length && !data.bodies?.length && !data.consultations?.length && !data.participation?.moderation;
  const participationNext = !!data.participation?.moderation || !!data.participation?.responses.length;
  const showJurisdictions = data.jurisdictions.length > 0 || data.canCreateJurisdiction;
  return (
    <Layout ctx={ctx} title={t('adminHome.title')} admin>
      <h1>{escapeHtml(t('adminHome.title'))}</h1>
      <div class="account-bar">
        <p safe>{t('accounts.signedInAs', { name: ctx.user?.displayName ?? '' })}</p>
        <a href={`${base}/account`}>{escapeHtml(t('accounts.account.title'))}</a>
        <form method="post" action={`/${locale}/logout`} class="inline-form">
          <CsrfField ctx={ctx} />
          <button type="submit" class="button-secondary">
            {escapeHtml(t('accounts.logout'))}
          </button>
        </form>
      </div>
      {(data.canOpenReporting && data.reporting) || participationNext ? <NextActions ctx={ctx} counts={data.canOpenReporting ? data.reporting : undefined} participation={data.participation} /> : ''}
      {nothingToDo ? <p safe>{t('adminHome.nothingYet')}</p> : ''}

      <div class="admin-cards">
        {data.canOpenReporting ? (
          <Card id="reporting" title={t('reporting.overview.title')} text={t('adminHome.card.reporting.text')}>
            <p>
              <a href={`${base}/reporting`}>{escapeHtml(t('adminHome.card.reporting.link'))}</a>
            </p>
          </Card>
        ) : (
          ''
        )}
        {data.meetings?.length ? (
          <Card id="meetings" title={t('meetings.admin.title')} text={t('meetings.admin.card.text')}>
            <ul class="admin-jurisdictions">
              {data.meetings.map((j) => (
                <li>
                  <a href={`${base}/jurisdictions/${encodeURIComponent(j.slug)}/meetings`}>
                    <Localized ctx={ctx} value={j.name} empty={j.slug} />
                  </a>
                </li>
              ))}
            </ul>
          </Card>
        ) : (
          ''
        )}
        {data.reviews ? <ReviewsHomeCard ctx={ctx} links={data.reviews} /> : ''}
        {data.participation?.moderation ? (
          <Card id="moderation" title={t('moderation.title')} text={t('adminHome.card.moderation.text', { count: data.participation.moderation.pending })}>
            <p>
              <a href={`${base}/moderation`}>{escapeHtml(t('adminHome.card.moderation.link'))}</a>
            </p>
          </Card>
        ) : (
          ''
        )}
        {data.participation?.responses.length ? (
          <Card id="responses" title={t('adminHome.card.responses.title')} text={t('adminHome.card.responses.text')}>
            <ul>
              {data.participation.responses.map((task) => (
                <li>
                  <a href={`${base}/jurisdictions/${encodeURIComponent(task.jurisdictionSlug)}/consultations/${encodeURIComponent(task.slug)}/responses`}>
                    <Localized ctx={ctx} value={task.title} empty={task.slug} />
                  </a>{' '}
                  <span class="meta" safe>
                    {t('adminHome.card.responses.share', { answered: task.answered, total: task.total })}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        ) : (
          ''
        )}
        {showJurisdictions ? (
          <Card id="jurisdictions" title={t('adminHome.jurisdictions')} text={data.jurisdictions.length === 0 ? t('adminHome.empty.first') : t('adminHome.card.jurisdictions.text')}>
            {data.jurisdictions.length > 0 ? (
              <ul class="admin-jurisdictions">
                {data.jurisdictions.map((j) => (
                  <li>
                    <a href={`${base}/jurisdictions/${encodeURIComponent(j.slug)}`}>
                      <Localized ctx={ctx} value={j.name} empty={j.slug} />
                    </a>{' '}
                    <span class="meta" safe>
                      {`${t(`domain.jurisdictionKind.${j.kind}` as 'domain.jurisdictionKind.local')} · ${j.countryCode}`}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              ''
            )}
            <p class="card-links">
              {data.jurisdictions.length > 0 ? <a href={`${base}/jurisdictions`}>{escapeHtml(t('adminHome.allJurisdictions'))}</a> : ''}
              {data.jurisdictions.length > 0 && data.canCreateJurisdiction ? ' · ' : ''}
              {data.canCreateJurisdiction ? <a href={`${base}/jurisdictions/new`}>{escapeHtml(t('adminHome.newJurisdiction'))}</a> : ''}
            </p>
          </Card>
        ) : (
          ''
        )}
        {data.bodies && data.bodies.length > 0 ? (
          <Card id="bodies" title={t('bodies.adminHome.title')} text={t('bodies.adminHome.text')}>
            <ul>
              {data.bodies.map((j) => (
                <li>
                  <a href={`${base}/jurisdictions/${encodeURIComponent(j.slug)}/bodies`} safe>
                    {t('bodies.adminHome.link', { name: pickText(j.name, ctx.locale) || j.slug })}
                  </a>
                </li>
              ))}
            </ul>
          </Card>
        ) : (
          ''
        )}
        {data.consultations && data.consultations.length > 0 ? (
          <Card id="consultations" title={t('consultations.adminHome.title')} text={t('consultations.adminHome.text')}>
            <ul>
              {data.consultations.map((j) => (
                <li>
                  <a href={`${base}/jurisdictions/${encodeURIComponent(j.slug)}/consultations`} safe>
                    {t('consultations.adminHome.link', { name: pickText(j.name, ctx.locale) || j.slug })}
                  </a>
                </li>
              ))}
            </ul>
          </Card>
        ) : (
          ''
        )}
        {data.news && data.news.length > 0 ? (
          <Card id="news" title={t('news.adminHome.title')} text={t('news.adminHome.text')}>
            <ul>
              {data.news.map((j) => (
                <li>
                  <a href={`${base}/jurisdictions/${encodeURIComponent(j.slug)}/news`} safe>
                    {t('news.adminHome.link', { name: pickText(j.name, ctx.locale) || j.slug })}
                  </a>
                </li>
              ))}
            </ul>
          </Card>
        ) : (
          ''
        )}
        {data.canImport ? (
          <Card id="imports" title={t('interop.title')} text={t('interop.adminHome.text')}>
            <p>
              <a href={`${base}/imports`}>{escapeHtml(t('interop.adminHome.link'))}</a>
            </p>
          </Card>
        ) : (
          ''
        )}
        {data.canManageWitnesses ? (
          <Card id="witnesses" title={t('transparency.witnesses.admin.title')} text={t('transparency.witnesses.admin.cardText')}>
            <p>
              <a href={`${base}/witnesses`}>{escapeHtml(t('transparency.witnesses.admin.cardLink'))}</a>
            </p>
          </Card>
        ) : (
          ''
        )}
        {data.canManageUsers ? (
          <Card id="users" title={t('accounts.users.title')} text={t('adminHome.card.users.text')}>
            <p>
              <a href={`${base}/users`}>{escapeHtml(t('adminHome.card.users.link'))}</a>
            </p>
          </Card>
        ) : (
          ''
        )}
        {data.canManageUsers ? (
          <Card id="mail" title={t('mailAdmin.title')} text={t('adminHome.card.mail.text')}>
            <p>
              <a href={`${base}/mail`}>{escapeHtml(t('adminHome.card.mail.link'))}</a>
            </p>
          </Card>
        ) : (
          ''
        )}
        <Card id="roles" title={t('adminHome.roles')} text={t('adminHome.card.roles.text')}>
          <ul class="admin-roles">
            {data.roles.map((role) => (
              <li safe>{role}</li>
            ))}
          </ul>
          <p>
            <a href={`${base}/account`}>{escapeHtml(t('adminHome.card.account.link'))}</a>
          </p>
        </Card>
      </div>
    </Layout>
  );
}

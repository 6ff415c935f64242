import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pick, pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { countByGroup, countBySector, evaluateRules, isCurrent, type CompositionCount, type RuleVerdict } from './domain.js';
import type { BodyView, PublicMember } from './queries.js';
import { FollowLink } from '../subscriptions/follow.js';

/** Public pages of bodies: the jurisdiction's bodies, and one body with its members and composition. */

export function bodiesPath(locale: string, jurisdiction: string): string {
  return `/${locale}/${encodeURIComponent(jurisdiction)}/bodies`;
}

export function bodyPath(locale: string, jurisdiction: string, body: string): string {
  return `${bodiesPath(locale, jurisdiction)}/${encodeURIComponent(body)}`;
}

export interface JurisdictionScope {
  id: number;
  slug: string;
  name: Translatable;
}

function kindLabel(ctx: PageContext, kind: string): string {
  return ctx.t(`bodies.kind.${kind}` as MessageKey);
}

/** A rule's verdict in words: met or not met, with the figures (never colour alone). */
export function RuleVerdictText({ ctx, verdict }: { ctx: PageContext; verdict: RuleVerdict }): JSX.Element {
  const { t } = ctx;
  const state = verdict.met ? t('bodies.rule.met') : t('bodies.rule.notMet');
  const figures =
    verdict.rule === 'civil_society_majority'
      ? t('bodies.rule.civil_society_majority.figures', { count: verdict.count, total: verdict.total })
      : verdict.missing.length === 0
        ? t('bodies.rule.represents_all_groups.all', { total: verdict.total })
        : t('bodies.rule.represents_all_groups.missing', { groups: verdict.missing.map((g) => t(`bodies.group.${g}` as MessageKey)).join(', ') });
  return (
    <>
      {/* The tag's colours are the stylesheet's for done and late; the sign and the word carry the meaning. */}
      <StatusTag status={verdict.met ? 'completed' : 'delayed'} label={`${verdict.met ? '✓' : '✗'} ${state}`} />{' '}
      <span safe>{`${t(`bodies.rule.${verdict.rule}` as MessageKey)}: ${figures}`}</span>
    </>
  );
}

function firstParagraph(ctx: PageContext, value: Translatable): Translatable {
  const picked = pick(value, ctx.locale);
  if (!picked) return {};
  const first = picked.text.split(/\n\s*\n/)[0]?.trim() ?? '';
  const short = first.length > 320 ? `${first.slice(0, 317).trimEnd()}…` : first;
  return { [picked.lang]: short };
}

export interface BodiesPageProps {
  ctx: PageContext;
  jurisdiction: JurisdictionScope;
  bodies: BodyView[];
  members: Map<number, PublicMember[]>;
  today: string;
}

export function BodiesPage({ ctx, jurisdiction, bodies, members, today }: BodiesPageProps): JSX.Element {
  const { t, locale } = ctx;
  const title = t('bodies.list.title');
  const name = pickText(jurisdiction.name, locale) || jurisdiction.slug;
  const byId = new Map(bodies.map((b) => [b.id, b]));
  return (
    <Layout ctx={ctx} title={`${title} · ${name}`}>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${locale}/`, label: t('ui.nav.home') }, { href: `/${locale}/${encodeURIComponent(jurisdiction.slug)}`, label: name }, { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('bodies.list.intro')}
      </p>
      <p>
        <a href={`/${locale}/${encodeURIComponent(jurisdiction.slug)}/meetings`} safe>
          {t('bodies.link.allMeetings')}
        </a>
      </p>
      {bodies.length === 0 ? (
        <p safe>{t('bodies.list.none')}</p>
      ) : (
        <ul class="bodies-list">
          {bodies.map((b) => {
            const list = members.get(b.id) ?? [];
            const current = list.filter((m) => isCurrent(m, today)).length;
            const verdicts = evaluateRules(b.compositionRules, list, today);
            const parent = b.parentId === null ? undefined : byId.get(b.parentId);
            return (
              <li class="panel">
                <h2>
                  <a href={bodyPath(locale, jurisdiction.slug, b.slug)}>
                    <Localized ctx={ctx} value={b.name} empty={b.slug} />
                  </a>
                </h2>
                <p class="meta">
                  <span safe>{kindLabel(ctx, b.kind)}</span>
                  {parent ? (
                    <>
                      {' · '}
                      <span safe>{t('bodies.body.groupOf')}</span> <Localized ctx={ctx} value={parent.name} empty={parent.slug} />
                    </>
                  ) : (
                    ''
                  )}
                  {' · '}
                  <span safe>{t('bodies.body.memberCount', { count: current })}</span>
                  {b.isDemo ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </p>
                {Object.keys(b.mandate).length ? <Localized ctx={ctx} value={firstParagraph(ctx, b.mandate)} as="p" /> : ''}
                {verdicts.length ? (
                  <ul class="rule-verdicts">
                    {verdicts.map((v) => (
                      <li>
                        <RuleVerdictText ctx={ctx} verdict={v} />
                      </li>
                    ))}
                  </ul>
                ) : (
                  ''
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

/**
 * Bars drawn on the server as SVG (no script, no inline style): named by its <title>, its figures
 * also in the table beside it. The drawing is as wide as its column and keeps its pixel height, so
 * text stays at reading size on a phone: bar lengths are percentages of the width, the longest 80 %.
 * One dark fill with strong contrast on white; the count is written after each bar, so no meaning
 * rests on colour or length alone.
 */
export function CompositionChart({ id, title, rows }: { id: string; title: string; rows: { label: string; count: number }[] }): JSX.Element {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const rowHeight = 46;
  const height = rows.length * rowHeight + 4;
  return (
    <svg class="composition-chart" width="100%" height={String(height)} role="img" aria-labelledby={`${id}-title`} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-title`} safe>
        {`${title}: ${rows.map((r) => `${r.label} ${r.count}`).join(', ')}`}
      </title>
      {rows.map((r, i) => {
        const y = i * rowHeight;
        const percent = r.count === 0 ? 0 : Math.max(1, Math.round((r.count / max) * 80));
        return (
          <g>
            <text x="0" y={String(y + 16)} font-size="15" fill="#0b0c0c" safe>
              {r.label}
            </text>
            <rect x="0" y={String(y + 23)} width={`${percent}%`} height="16" fill="#1d4f91" />
            <text x={`${percent}%`} dx="6" y={String(y + 37)} font-size="15" font-weight="bold" fill="#0b0c0c" safe>
              {String(r.count)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function CompositionSection({ ctx, id, title, caption, keyLabel, rows }: { ctx: PageContext; id: string; title: string; caption: string; keyLabel: string; rows: { label: string; count: number }[] }): JSX.Element {
  return (
    <section class="composition" aria-labelledby={id}>
      <h3 id={id} safe>
        {title}
      </h3>
      <CompositionChart id={`${id}-chart`} title={title} rows={rows} />
      <table>
        <caption safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" safe>
              {keyLabel}
            </th>
            <th scope="col" safe>
              {ctx.t('bodies.composition.members')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row" safe>
                {r.label}
              </th>
              <td safe>{String(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function termText(ctx: PageContext, m: PublicMember): string {
  const { t, locale } = ctx;
  if (m.termStart && m.termEnd) return t('bodies.term.range', { start: formatDate(locale, m.termStart), end: formatDate(locale, m.termEnd) });
  if (m.termStart) return t('bodies.term.since', { start: formatDate(locale, m.termStart) });
  if (m.termEnd) return t('bodies.term.until', { end: formatDate(locale, m.termEnd) });
  return t('bodies.term.open');
}

function MembersTable({ ctx, id, caption, members }: { ctx: PageContext; id: string; caption: string; members: PublicMember[] }): JSX.Element {
  const { t } = ctx;
  return (
    <table class="stacked" id={id}>
      <caption safe>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" safe>{t('bodies.member.who')}</th>
          <th scope="col" safe>{t('bodies.member.organisation')}</th>
          <th scope="col" safe>{t('bodies.member.sector')}</th>
          <th scope="col" safe>{t('bodies.member.groups')}</th>
          <th scope="col" safe>{t('bodies.member.role')}</th>
          <th scope="col" safe>{t('bodies.member.term')}</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr>
            <th scope="row" data-label={t('bodies.member.who')}>
              {m.personName ? <span safe>{m.personName}</span> : Object.keys(m.organisation).length ? <Localized ctx={ctx} value={m.organisation} /> : <span safe>{t('bodies.member.unnamed')}</span>}
              {m.isDemo ? (
                <>
                  {' '}
                  <DemoTag ctx={ctx} />
                </>
              ) : (
                ''
              )}
            </th>
            <td data-label={t('bodies.member.organisation')}>{m.personName && Object.keys(m.organisation).length ? <Localized ctx={ctx} value={m.organisation} /> : '—'}</td>
            <td data-label={t('bodies.member.sector')} safe>
              {t(`bodies.sector.${m.sector}` as MessageKey)}
            </td>
            <td data-label={t('bodies.member.groups')} safe>
              {m.representedGroups.length ? m.representedGroups.map((g) => t(`bodies.group.${g}` as MessageKey)).join(', ') : t('bodies.member.noGroups')}
            </td>
            <td data-label={t('bodies.member.role')} safe>
              {t(`bodies.role.${m.role}` as MessageKey)}
            </td>
            <td data-label={t('bodies.member.term')} safe>
              {termText(ctx, m)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface BodyPageProps {
  ctx: PageContext;
  jurisdiction: JurisdictionScope;
  body: BodyView;
  parent: BodyView | undefined;
  groups: BodyView[];
  members: PublicMember[];
  today: string;
}

export function BodyPage({ ctx, jurisdiction, body, parent, groups, members, today }: BodyPageProps): JSX.Element {
  const { t, locale } = ctx;
  const name = pickText(body.name, locale) || body.slug;
  const jName = pickText(jurisdiction.name, locale) || jurisdiction.slug;
  const current = members.filter((m) => isCurrent(m, today));
  const others = members.filter((m) => !isCurrent(m, today));
  const verdicts = evaluateRules(body.compositionRules, members, today);
  const sectors: CompositionCount<string>[] = countBySector(members, today);
  const groupsCount: CompositionCount<string>[] = countByGroup(members, today);
  const base = bodyPath(locale, jurisdiction.slug, body.slug);
  return (
    <Layout ctx={ctx} title={`${name} · ${jName}`}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: `/${locale}/${encodeURIComponent(jurisdiction.slug)}`, label: jName },
          { href: bodiesPath(locale, jurisdiction.slug), label: t('bodies.list.title') },
          { label: name },
        ]}
      />
      <Localized ctx={ctx} value={body.name} as="h1" empty={body.slug} />
      <p class="meta">
        <span safe>{kindLabel(ctx, body.kind)}</span>
        {body.isDemo ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </p>
      <FollowLink ctx={ctx} topic={{ type: 'body', id: body.id }} />
      <dl class="facts">
        {parent ? (
          <>
            <dt safe>{t('bodies.body.groupOf')}</dt>
            <dd>
              <a href={bodyPath(locale, jurisdiction.slug, parent.slug)}>
                <Localized ctx={ctx} value={parent.name} empty={parent.slug} />
              </a>
            </dd>
          </>
        ) : (
          ''
        )}
        <dt safe>{t('bodies.body.established')}</dt>
        <dd safe>{body.establishedOn ? formatDate(locale, body.establishedOn) : t('bodies.body.notStated')}</dd>
        <dt safe>{t('bodies.body.rhythm')}</dt>
        <dd safe>{body.meetsEveryDays ? t('bodies.body.rhythmValue', { days: body.meetsEveryDays }) : t('bodies.body.notStated')}</dd>
        <dt safe>{t('bodies.body.currentMembers')}</dt>
        <dd safe>{String(current.length)}</dd>
      </dl>
      <p class="card-links">
        <a href={`${base}/meetings`} safe>
          {t('bodies.link.meetings')}
        </a>
        {' · '}
        <a href={`${base}/meetings.ics`} type="text/calendar" safe>
          {t('bodies.link.calendar')}
        </a>
        {' · '}
        <a href={`/${locale}/history/body/${body.id}`} safe>
          {t('bodies.link.history')}
        </a>
      </p>

      <section aria-labelledby="mandate">
        <h2 id="mandate" safe>
          {t('bodies.body.mandate')}
        </h2>
        <Localized ctx={ctx} value={body.mandate} as="div" empty={t('bodies.body.notStated')} />
      </section>
      <section aria-labelledby="rules">
        <h2 id="rules" safe>
          {t('bodies.body.rules')}
        </h2>
        <Localized ctx={ctx} value={body.rules} as="div" empty={t('bodies.body.notStated')} />
      </section>

      <section aria-labelledby="composition-rules">
        <h2 id="composition-rules" safe>
          {t('bodies.body.compositionRules')}
        </h2>
        {verdicts.length === 0 ? (
          <p safe>{t('bodies.body.noCompositionRules')}</p>
        ) : (
          <ul class="rule-verdicts">
            {verdicts.map((v) => (
              <li>
                <RuleVerdictText ctx={ctx} verdict={v} />
              </li>
            ))}
          </ul>
        )}
        <p class="hint" safe>
          {t('bodies.body.compositionHint')}
        </p>
      </section>

      <section aria-labelledby="members">
        <h2 id="members" safe>
          {t('bodies.body.members')}
        </h2>
        {members.length === 0 ? (
          <p safe>{t('bodies.body.noMembers')}</p>
        ) : (
          <>
            {current.length ? <MembersTable ctx={ctx} id="members-current" caption={t('bodies.body.currentCaption', { count: current.length })} members={current} /> : <p safe>{t('bodies.body.noCurrentMembers')}</p>}
            {others.length ? <MembersTable ctx={ctx} id="members-other" caption={t('bodies.body.otherCaption', { count: others.length })} members={others} /> : ''}
          </>
        )}
        <p class="hint" safe>
          {t('bodies.body.namesHint')}
        </p>
      </section>

      {current.length ? (
        <section aria-labelledby="composition">
          <h2 id="composition" safe>
            {t('bodies.composition.title')}
          </h2>
          <CompositionSection
            ctx={ctx}
            id="by-sector"
            title={t('bodies.composition.bySector')}
            caption={t('bodies.composition.bySectorCaption')}
            keyLabel={t('bodies.member.sector')}
            rows={sectors.map((s) => ({ label: t(`bodies.sector.${s.key}` as MessageKey), count: s.count }))}
          />
          <CompositionSection
            ctx={ctx}
            id="by-group"
            title={t('bodies.composition.byGroup')}
            caption={t('bodies.composition.byGroupCaption')}
            keyLabel={t('bodies.member.groups')}
            rows={groupsCount.map((g) => ({ label: t(`bodies.group.${g.key}` as MessageKey), count: g.count }))}
          />
        </section>
      ) : (
        ''
      )}

      {body.kind === 'forum' ? (
        <section aria-labelledby="working-groups">
          <h2 id="working-groups" safe>
            {t('bodies.body.workingGroups')}
          </h2>
          {groups.length === 0 ? (
            <p safe>{t('bodies.body.noWorkingGroups')}</p>
          ) : (
            <ul>
              {groups.map((g) => (
                <li>
                  <a href={bodyPath(locale, jurisdiction.slug, g.slug)}>
                    <Localized ctx={ctx} value={g.name} empty={g.slug} />
                  </a>
                  {g.isDemo ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        ''
      )}
      <p>
        <a href={bodiesPath(locale, jurisdiction.slug)} safe>
          {t('bodies.link.allBodies')}
        </a>
      </p>
    </Layout>
  );
}

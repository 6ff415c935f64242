import { escapeHtml } from '@kitajs/html';
import type { Executor } from '../../db/database.js';
import { dayIn, formatDate } from '../../i18n/index.js';
import { DemoTag, Paragraphs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { MAX_DEPTH } from './contribution-commands.js';
import { contributePath, flagPath } from './contribution-views.js';
import type { ConsultationView } from './consultation-queries.js';
import { pdb } from './tables.js';

/**
 * The published contributions of a consultation on its (cached) page: proposals, then comments
 * threaded (replies under their comment, three levels), each with its author's name or pseudonym
 * ("Anonymised" once erased), the day published in the jurisdiction's time zone, and links to the
 * reply and flag forms (their own uncached pages). Pending and hidden ones are not shown; one that
 * has published replies leaves a placeholder so the thread stays readable. Nothing per visitor.
 */

export interface ContributionNode {
  id: number;
  kind: 'comment' | 'proposal';
  depth: number;
  /** Null once anonymised. */
  authorName: string | null;
  anonymised: boolean;
  body: string;
  theme: string | null;
  ogpValue: string | null;
  /** The day published, in the jurisdiction's calendar. */
  publishedOn: string | null;
  /** false: a placeholder (hidden by a moderator or waiting for one) kept for its replies. */
  visible: boolean;
  isDemo: boolean;
  replies: ContributionNode[];
}

export interface ContributionThread {
  /** Published contributions (replies included). */
  count: number;
  proposals?: ContributionNode[];
  comments?: ContributionNode[];
}

export async function loadContributionThread(db: Executor, consultation: ConsultationView): Promise<ContributionThread> {
  const rows = await pdb(db)
    .selectFrom('contributions')
    .select(['id', 'parent_id', 'depth', 'kind', 'author_name', 'anonymised_at', 'body', 'theme', 'ogp_value', 'status', 'published_at', 'is_demo'])
    .where('consultation_id', '=', consultation.id)
    .where('status', 'in', ['published', 'pending', 'hidden'])
    .where('published_at', 'is not', null)
    .orderBy('published_at')
    .orderBy('id')
    .execute();
  const nodes = new Map<number, ContributionNode & { parentId: number | null }>();
  for (const r of rows) {
    const visible = r.status === 'published';
    nodes.set(r.id, {
      id: r.id,
      parentId: r.parent_id,
      kind: r.kind === 'proposal' ? 'proposal' : 'comment',
      depth: r.depth,
      authorName: visible ? r.author_name : null,
      anonymised: r.anonymised_at !== null || r.author_name === null,
      body: visible ? r.body : '',
      theme: visible ? r.theme : null,
      ogpValue: visible ? r.ogp_value : null,
      publishedOn: r.published_at ? dayIn(r.published_at, consultation.timeZone) : null,
      visible,
      isDemo: r.is_demo === 1,
      replies: [],
    });
  }
  const roots: (ContributionNode & { parentId: number | null })[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.replies.push(node);
    else if (node.parentId === null) roots.push(node);
  }
  // A placeholder stays only for a node with something visible below it.
  const keep = (n: ContributionNode): boolean => {
    n.replies = n.replies.filter(keep);
    return n.visible || n.replies.length > 0;
  };
  const kept = roots.filter(keep);
  const strip = ({ parentId: _p, ...n }: ContributionNode & { parentId?: number | null }): ContributionNode => ({ ...n, replies: n.replies.map(strip) });
  return {
    count: rows.filter((r) => r.status === 'published').length,
    proposals: kept.filter((n) => n.kind === 'proposal').map(strip),
    comments: kept.filter((n) => n.kind === 'comment').map(strip),
  };
}

function Contribution({ ctx, consultation, node, open }: { ctx: PageContext; consultation: ConsultationView; node: ContributionNode; open: boolean }): JSX.Element {
  const { t } = ctx;
  const repliesList = node.replies.length ? (
    <ol class="contribution-replies">
      {node.replies.map((r) => (
        <li>
          <Contribution ctx={ctx} consultation={consultation} node={r} open={open} />
        </li>
      ))}
    </ol>
  ) : (
    ''
  );
  if (!node.visible) {
    return (
      <article class="contribution contribution-hidden" id={`contribution-${node.id}`}>
        <p class="hint" safe>{t('contribution.section.hidden')}</p>
        {repliesList}
      </article>
    );
  }
  const name = node.authorName ?? t('contribution.anonymised');
  return (
    <article class="contribution" id={`contribution-${node.id}`} aria-labelledby={`contribution-${node.id}-by`}>
      <header>
        <p class="contribution-meta" id={`contribution-${node.id}-by`}>
          <strong>
            <bdi class={node.authorName ? undefined : 'anonymised'} safe>
              {name}
            </bdi>
          </strong>
          {node.publishedOn ? (
            <>
              {' · '}
              <time datetime={node.publishedOn} safe>
                {formatDate(ctx.locale, node.publishedOn)}
              </time>
            </>
          ) : (
            ''
          )}
          {node.isDemo ? <> <DemoTag ctx={ctx} /></> : ''}
        </p>
        {node.kind === 'proposal' ? (
          <dl class="contribution-proposal">
            <dt safe>{t('contribution.section.theme')}</dt>
            <dd safe>{node.theme ?? ''}</dd>
            {node.ogpValue ? (
              <>
                <dt safe>{t('contribution.section.value')}</dt>
                <dd safe>{t(`domain.ogpValue.${node.ogpValue}` as 'domain.ogpValue.transparency')}</dd>
              </>
            ) : (
              ''
            )}
          </dl>
        ) : (
          ''
        )}
      </header>
      <div class="contribution-body" dir="auto">
        <Paragraphs text={node.body} />
      </div>
      <p class="contribution-actions">
        {open && node.kind === 'comment' && node.depth < MAX_DEPTH ? (
          <>
            <a href={contributePath(ctx.locale, consultation, `?reply=${node.id}`)}>{escapeHtml(t('contribution.section.reply', { name }))}</a>{' '}
          </>
        ) : (
          ''
        )}
        <a href={flagPath(ctx.locale, consultation, node.id)}>{escapeHtml(t('contribution.section.flag', { name }))}</a>
      </p>
      {repliesList}
    </article>
  );
}

export function ContributionsSection({ ctx, consultation, thread, open }: { ctx: PageContext; consultation: ConsultationView; thread: ContributionThread; open: boolean }): JSX.Element {
  const { t } = ctx;
  const proposals = thread.proposals ?? [];
  const comments = thread.comments ?? [];
  return (
    <section class="contributions" id="contributions" aria-labelledby="contributions-title">
      <h2 id="contributions-title" safe>{t('contribution.section.title', { count: thread.count })}</h2>
      {open ? (
        <p class="contribution-calls">
          <a class="button" href={contributePath(ctx.locale, consultation)}>{escapeHtml(t('contribution.section.comment'))}</a>
          {consultation.allowsProposals ? (
            <>
              {' '}
              <a class="button" href={contributePath(ctx.locale, consultation, '?kind=proposal')}>{escapeHtml(t('contribution.section.propose'))}</a>
            </>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      {open ? <p class="hint" safe>{t('contribution.section.howItWorks')}</p> : ''}
      {thread.count === 0 && proposals.length === 0 && comments.length === 0 ? <p safe>{t('contribution.section.none')}</p> : ''}
      {proposals.length ? (
        <>
          <h3 safe>{t('contribution.section.proposals')}</h3>
          <ol class="contribution-list">
            {proposals.map((n) => (
              <li>
                <Contribution ctx={ctx} consultation={consultation} node={n} open={open} />
              </li>
            ))}
          </ol>
        </>
      ) : (
        ''
      )}
      {comments.length ? (
        <>
          <h3 safe>{t('contribution.section.comments')}</h3>
          <ol class="contribution-list">
            {comments.map((n) => (
              <li>
                <Contribution ctx={ctx} consultation={consultation} node={n} open={open} />
              </li>
            ))}
          </ol>
        </>
      ) : (
        ''
      )}
    </section>
  );
}

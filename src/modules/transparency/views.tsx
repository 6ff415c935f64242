import { escapeHtml } from '@kitajs/html';
import { formatDateTime, type MessageKey } from '../../i18n/index.js';
import type { Translatable } from '../../lib/translatable.js';
import type { HistorySource, HistoryWords } from '../manifest.js';
import { DemoTag, Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import type { HistoryProblem, StoredHistoryCheck } from './check.js';
import { KEY_ADOPTED, KEY_ROTATED, logVkey, type PublicKeyInfo } from './keys.js';
import { EntryDescription, isDemoEntry, isTranslatable, previousValues, type InstitutionNames } from './describe.js';
import type { Checkpoint, Entry } from './repository.js';
import { WITNESS_ADDED, WITNESS_CHANGED, WITNESS_DEACTIVATED, WITNESS_ENTITY, WITNESS_QUORUM_CHANGED, WITNESS_REACTIVATED } from './witnesses/commands.js';
import { witnessStatusWord } from './witnesses/admin-views.js';
import type { Cosigner, WitnessOverview, WitnessView } from './witnesses/queries.js';

/**
 * An instant with its zone named: a jurisdiction's item in the jurisdiction's time zone, the
 * instance-wide log in UTC. The raw UTC timestamp stays in `datetime`, for verifiers.
 */
function Instant({ ctx, iso, timeZone = 'UTC' }: { ctx: PageContext; iso: string; timeZone?: string | undefined }): JSX.Element {
  return <time datetime={iso}>{escapeHtml(formatDateTime(ctx.locale, iso, timeZone, 'medium'))}</time>;
}

function actionLabel(ctx: PageContext, action: string, words?: HistoryWords): string {
  const own = words?.action?.(ctx, action);
  if (own) return own;
  if (action.startsWith('seed.')) return ctx.t('transparency.action.seeded');
  if (action === 'progress_update.published') return ctx.t('transparency.action.progressUpdatePublished');
  if (action === 'milestone.status_changed') return ctx.t('transparency.action.statusChanged');
  if (action === 'provenance.recorded') return ctx.t('transparency.action.sourceRecorded');
  if (action.endsWith('.opened')) return ctx.t('transparency.action.opened');
  if (action === KEY_ROTATED) return ctx.t('transparency.action.keyRotated');
  if (action === KEY_ADOPTED) return ctx.t('transparency.action.keyAdopted');
  const witness = WITNESS_ACTION_WORDS[action];
  if (witness) return ctx.t(witness);
  const verb = action.split('.').pop();
  if (verb === 'created' || verb === 'updated' || verb === 'deleted') return ctx.t(`transparency.action.${verb}` as MessageKey);
  return ctx.t('transparency.action.other');
}

/** The witness list's entries (witnesses/commands.ts), each described in words. */
const WITNESS_ACTION_WORDS: Readonly<Record<string, MessageKey>> = {
  [WITNESS_ADDED]: 'transparency.witnesses.action.added',
  [WITNESS_CHANGED]: 'transparency.witnesses.action.changed',
  [WITNESS_DEACTIVATED]: 'transparency.witnesses.action.deactivated',
  [WITNESS_REACTIVATED]: 'transparency.witnesses.action.reactivated',
  [WITNESS_QUORUM_CHANGED]: 'transparency.witnesses.action.quorum_changed',
};

const ROLES = new Set(['system', 'administrator', 'coordinator', 'holder']);

function roleLabel(ctx: PageContext, role: string): string {
  return ctx.t(ROLES.has(role) ? (`transparency.role.${role}` as MessageKey) : 'transparency.role.other');
}

/** A name for the item from its published values (newest first), when one was published. */
function itemName(entries: Entry[]): { name?: Translatable | string | undefined; code?: string | undefined } {
  let name: Translatable | string | undefined;
  let code: string | undefined;
  for (const entry of entries) {
    const values = (entry.summary.values ?? entry.summary) as Record<string, unknown>;
    const value = values.title ?? values.name;
    if (name === undefined && (isTranslatable(value) || (typeof value === 'string' && value))) name = value;
    const published = [values.code, entry.summary.code, entry.action === 'progress_update.published' ? entry.summary.commitment : undefined].find((c) => typeof c === 'string' && c);
    if (code === undefined && typeof published === 'string') code = published;
    if (name !== undefined && code !== undefined) break;
  }
  return { name, code };
}

export interface HistoryPageProps {
  ctx: PageContext;
  /** The kind in the URL (HistorySource.kind). */
  kind: string;
  /** The owning module's words for its entries (HistorySource.describe). */
  words?: HistoryWords | undefined;
  entries: Entry[];
  treeSize: number;
  /** Current names of the institutions the entries refer to. */
  institutions?: InstitutionNames | undefined;
  /** The item itself is demonstration data (its stored flag): every entry is marked. */
  demo?: boolean | undefined;
  /** The time zone of the item's jurisdiction (IANA name): every time is shown in it, named. */
  timeZone?: string | undefined;
}

export function HistoryPage({ ctx, kind, words, entries, treeSize, institutions = new Map(), demo = false, timeZone = 'UTC' }: HistoryPageProps): JSX.Element {
  const { t } = ctx;
  const previous = previousValues(entries);
  const demoEntries = entries.map((entry) => demo || isDemoEntry(entry));
  // The module's own title, else the shared one ("History" for a kind it does not name).
  const title = words?.title ? t(words.title) : t('transparency.history.title', { kind });
  const { name, code } = itemName(entries);
  return (
    <Layout ctx={ctx} title={title} demo={demoEntries.some(Boolean)}>
      <h1 safe>{title}</h1>
      {name || code ? (
        <p class="lead">
          {code ? <span class="code" safe>{`${code} `}</span> : ''}
          {typeof name === 'string' ? <span safe>{name}</span> : name ? <Localized ctx={ctx} value={name} /> : ''}
        </p>
      ) : (
        ''
      )}
      <p>{escapeHtml(t('transparency.history.intro'))}</p>
      <p>
        <a href={`/${ctx.locale}/transparency`}>{escapeHtml(t('transparency.history.about'))}</a>
      </p>
      <div class="table-wrap">
        <table class="history stacked">
          <caption>
            {escapeHtml(t('transparency.history.caption'))} ({escapeHtml(t('transparency.history.count', { count: entries.length }))})
          </caption>
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('transparency.col.entry'))}</th>
              <th scope="col">{escapeHtml(t('transparency.col.when'))}</th>
              <th scope="col">{escapeHtml(t('transparency.col.what'))}</th>
              <th scope="col">{escapeHtml(t('transparency.col.who'))}</th>
              <th scope="col">{escapeHtml(t('transparency.col.changes'))}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, i) => (
              <tr>
                <th scope="row">
                  <span safe>{t('transparency.entryNumber', { index: entry.index })}</span>{' '}
                  <a href={`/transparency/proof/inclusion?index=${entry.index}&amp;size=${treeSize}`} aria-label={escapeHtml(t('transparency.proofLabel', { index: entry.index }))}>
                    {escapeHtml(t('transparency.proof'))}
                  </a>
                </th>
                <td data-label={t('transparency.col.when')}>
                  <Instant ctx={ctx} iso={entry.occurredAt} timeZone={timeZone} />
                </td>
                <td data-label={t('transparency.col.what')}>
                  {escapeHtml(actionLabel(ctx, entry.action, words))}
                  {demoEntries[i] ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td data-label={t('transparency.col.who')}>{escapeHtml(roleLabel(ctx, entry.role))}</td>
                <td data-label={t('transparency.col.changes')}>
                  <EntryDescription ctx={ctx} entry={entry} previous={previous[i] ?? {}} names={institutions} words={words} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export interface TransparencyPageProps {
  ctx: PageContext;
  /** Absolute base URL of the site, for the command lines. */
  publicUrl: string;
  checkpoint?: Checkpoint | undefined;
  publicKey?: PublicKeyInfo | undefined;
  /** The entry that announced the current key (a rotation or an adoption); none for the log's first key. */
  keySince?: number | undefined;
  /** The newest entries, newest first. */
  recent: Entry[];
  /** The latest check of the log and the content against it (server start, then hourly). */
  check?: StoredHistoryCheck | undefined;
  /** Every module's history sources by entity type: which entries link to a history page. */
  sources: ReadonlyMap<string, HistorySource>;
  /** The witnesses, the quorum and the cosigners of the latest checkpoint. */
  witnesses?: WitnessOverview | undefined;
}

/** A check's problem in words (no stored field names: each has a label in every language). */
function problemText(ctx: PageContext, problem: HistoryProblem | null): string {
  const { t } = ctx;
  if (!problem) return t('transparency.problem.previous');
  if (problem.kind === 'log') return t('transparency.problem.log', { index: problem.firstBadIndex ?? 0 });
  if (problem.kind === 'previous') return t('transparency.problem.previous');
  const d = problem.difference;
  const item = t('transparency.problem.item', { kind: d.entityType, code: d.code ?? `#${d.entityId}` });
  if (d.kind === 'removed') return t('transparency.problem.removed', { item });
  if (d.kind === 'unpublished') return t('transparency.problem.unpublished', { item });
  return t('transparency.problem.changed', { item, field: t('transparency.problem.field', { field: d.field ?? 'other' }) });
}

/** When the log and the content were last verified intact, or what the last check found. */
function CheckSection({ ctx, check }: { ctx: PageContext; check: StoredHistoryCheck | undefined }): JSX.Element {
  const { t } = ctx;
  const time = (iso: string) => formatDateTime(ctx.locale, iso, 'UTC', 'medium');
  let body: JSX.Element;
  if (!check) body = <p>{escapeHtml(t('transparency.check.none'))}</p>;
  else if (check.intact) {
    body = (
      <p class="flash" id="transparency-check-result" data-intact="true">
        {escapeHtml(t('transparency.check.intact', { time: time(check.checkedAt) }))}
      </p>
    );
  } else {
    body = (
      <div class="notice" id="transparency-check-result" data-intact="false">
        <p>
          <strong>{escapeHtml(t('transparency.check.broken', { time: time(check.checkedAt), problem: problemText(ctx, check.problem) }))}</strong>
        </p>
        <p>{escapeHtml(check.lastIntactAt ? t('transparency.check.lastIntact', { time: time(check.lastIntactAt) }) : t('transparency.check.neverIntact'))}</p>
      </div>
    );
  }
  return (
    <section aria-labelledby="transparency-check">
      <h2 id="transparency-check">{escapeHtml(t('transparency.check.title'))}</h2>
      {body}
      <p>{escapeHtml(t('transparency.check.about'))}</p>
    </section>
  );
}

function RecentEntries({ ctx, entries, treeSize, sources }: { ctx: PageContext; entries: Entry[]; treeSize: number; sources: ReadonlyMap<string, HistorySource> }): JSX.Element {
  const { t } = ctx;
  if (entries.length === 0) return <p>{escapeHtml(t('transparency.recentNone'))}</p>;
  return (
    <div class="table-wrap">
      <table class="history stacked">
        <thead>
          <tr>
            <th scope="col">{escapeHtml(t('transparency.col.entry'))}</th>
            <th scope="col">{escapeHtml(t('transparency.col.when'))}</th>
            <th scope="col">{escapeHtml(t('transparency.col.what'))}</th>
            <th scope="col">{escapeHtml(t('transparency.col.item'))}</th>
            <th scope="col">{escapeHtml(t('transparency.col.who'))}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const source = sources.get(entry.entityType);
            const kind = source?.kind;
            const witness = entry.entityType === WITNESS_ENTITY;
            const { name, code } = witness ? { name: typeof entry.summary.name === 'string' ? entry.summary.name : undefined, code: undefined } : itemName([entry]);
            const kindLabel = witness
              ? t(entry.entityId === null ? 'transparency.witnesses.kindQuorum' : 'transparency.witnesses.kind')
              : source?.describe?.label
                ? t(source.describe.label)
                : t('transparency.kind', { kind: kind ?? 'other' });
            const label = (
              <>
                <span safe>{kindLabel}</span>
                {code ? (
                  <>
                    {' '}
                    <span class="code" safe>
                      {code}
                    </span>
                  </>
                ) : (
                  ''
                )}
                {name ? (
                  <>
                    {': '}
                    {typeof name === 'string' ? <span safe>{name}</span> : <Localized ctx={ctx} value={name} />}
                  </>
                ) : (
                  ''
                )}
              </>
            );
            return (
              <tr>
                <th scope="row">
                  <span safe>{t('transparency.entryNumber', { index: entry.index })}</span>{' '}
                  <a href={`/transparency/proof/inclusion?index=${entry.index}&amp;size=${treeSize}`} aria-label={t('transparency.proofLabel', { index: entry.index })}>
                    {escapeHtml(t('transparency.proof'))}
                  </a>
                </th>
                <td data-label={t('transparency.col.when')}>
                  <Instant ctx={ctx} iso={entry.occurredAt} />
                </td>
                <td data-label={t('transparency.col.what')}>
                  {escapeHtml(actionLabel(ctx, entry.action, source?.describe))}
                  {isDemoEntry(entry) ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td data-label={t('transparency.col.item')}>{kind && entry.entityId !== null ? <a href={`/${ctx.locale}/history/${kind}/${entry.entityId}`}>{label}</a> : label}</td>
                <td data-label={t('transparency.col.who')}>{escapeHtml(roleLabel(ctx, entry.role))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TransparencyPage({ ctx, publicUrl, checkpoint, publicKey, keySince, recent, check, sources, witnesses }: TransparencyPageProps): JSX.Element {
  const { t } = ctx;
  const base = publicUrl.replace(/\/+$/, '');
  // Our own message with our own markup (the two endpoints in <code>).
  const safeApiHelp = t('transparency.verify.api', {
    inclusion: '<code>/transparency/proof/inclusion?index=…&amp;size=…</code>',
    consistency: '<code>/transparency/proof/consistency?from=…&amp;to=…</code>',
  });
  const commands = [
    `curl -o log.json ${base}/transparency/log.json`,
    `curl -o checkpoint.json ${base}/transparency/checkpoint`,
    `curl -o verify-log.mjs ${base}/transparency/verify-log.mjs`,
  ].join('\n');
  return (
    <Layout ctx={ctx} title={escapeHtml(t('transparency.title'))}>
      <h1>{escapeHtml(t('transparency.title'))}</h1>
      <p>{escapeHtml(t('transparency.intro'))}</p>
      <p>{escapeHtml(t('transparency.how'))}</p>

      <section aria-labelledby="transparency-latest">
        <h2 id="transparency-latest">{escapeHtml(t('transparency.latest'))}</h2>
        {checkpoint ? (
          <dl class="checkpoint">
            <dt>{escapeHtml(t('transparency.treeSize'))}</dt>
            <dd>{escapeHtml(t('transparency.entryCount', { count: checkpoint.treeSize }))}</dd>
            <dt>{escapeHtml(t('transparency.rootHash'))}</dt>
            <dd>
              <code class="hash" safe>
                {checkpoint.rootHash}
              </code>
            </dd>
            <dt>{escapeHtml(t('transparency.issuedAt'))}</dt>
            <dd>
              <Instant ctx={ctx} iso={checkpoint.issuedAt} />
            </dd>
            {publicKey ? (
              <>
                <dt>{escapeHtml(t('transparency.origin'))}</dt>
                <dd>
                  <code safe>{publicKey.origin}</code>
                </dd>
                <dt>{escapeHtml(t('transparency.publicKey'))}</dt>
                <dd>
                  <code class="hash" safe>
                    {publicKey.publicKey}
                  </code>
                  {keySince !== undefined ? <span safe>{` (${t('transparency.keySince', { index: keySince })})`}</span> : ''}
                </dd>
                <dt>{escapeHtml(t('transparency.logVkey'))}</dt>
                <dd>
                  <code class="hash" safe>
                    {logVkey(publicKey.origin, publicKey.publicKey)}
                  </code>
                </dd>
              </>
            ) : (
              ''
            )}
          </dl>
        ) : (
          <p>{escapeHtml(t('transparency.empty'))}</p>
        )}
      </section>

      <WitnessesSection ctx={ctx} checkpoint={checkpoint} overview={witnesses} publicUrl={base} />

      <CheckSection ctx={ctx} check={check} />

      <section aria-labelledby="transparency-recent">
        <h2 id="transparency-recent">{escapeHtml(t('transparency.recent'))}</h2>
        <RecentEntries ctx={ctx} entries={recent} treeSize={checkpoint?.treeSize ?? 0} sources={sources} />
        {recent.length ? (
          <p>
            <a href={`/transparency/entries?start=0&amp;end=${Math.min(checkpoint?.treeSize ?? 0, 1000)}`} type="application/json">
              {escapeHtml(t('transparency.allEntries'))}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>

      <section aria-labelledby="transparency-downloads">
        <h2 id="transparency-downloads">{escapeHtml(t('transparency.downloads'))}</h2>
        <ul>
          <li>
            <a href="/transparency/log.json" type="application/json" download="log.json">
              log.json
            </a>{' '}
            — {escapeHtml(t('transparency.download.log'))}
          </li>
          <li>
            <a href="/transparency/checkpoint" type="application/json" download="checkpoint.json">
              checkpoint.json
            </a>{' '}
            — {escapeHtml(t('transparency.download.checkpoint'))}
          </li>
          <li>
            <a href="/transparency/checkpoints" type="application/json">
              checkpoints
            </a>{' '}
            — {escapeHtml(t('transparency.download.checkpoints'))}
          </li>
          <li>
            <a href="/transparency/verify-log.mjs" type="text/javascript" download="verify-log.mjs">
              verify-log.mjs
            </a>{' '}
            — {escapeHtml(t('transparency.download.verifier'))}
          </li>
        </ul>
      </section>

      <section aria-labelledby="transparency-verify">
        <h2 id="transparency-verify">{escapeHtml(t('transparency.verify.title'))}</h2>
        <ol class="steps">
          <li>
            <p>{escapeHtml(t('transparency.verify.step1'))}</p>
            <pre>
              <code safe>{commands}</code>
            </pre>
          </li>
          <li>
            <p>{escapeHtml(t('transparency.verify.step2'))}</p>
            <pre>
              <code>node verify-log.mjs log.json</code>
            </pre>
          </li>
          <li>
            <p>{escapeHtml(t('transparency.verify.step3'))}</p>
            <pre>
              <code>node verify-log.mjs log.json --previous checkpoint.json</code>
            </pre>
          </li>
        </ol>
        <p>
          {safeApiHelp}
        </p>
        <p>{escapeHtml(t('transparency.verify.format'))}</p>
      </section>
    </Layout>
  );
}

/** "Demonstration data" after a demonstration witness, wherever it shows. */
function DemoMark({ ctx, demo }: { ctx: PageContext; demo: boolean }): JSX.Element {
  return demo ? (
    <>
      {' '}
      <DemoTag ctx={ctx} />
    </>
  ) : (
    <></>
  );
}

/** Who cosigned one checkpoint, each with the time it cosigned. */
function CosignerList({ ctx, cosigners }: { ctx: PageContext; cosigners: Cosigner[] }): JSX.Element {
  const { t } = ctx;
  return (
    <ul class="cosigners">
      {cosigners.map((c) => (
        <li>
          <span safe>{c.operator}</span> (<code safe>{c.name}</code>)<DemoMark ctx={ctx} demo={c.isDemo} />
          {': '}
          <span safe>{t('transparency.witnesses.cosignedAt')}</span> <Instant ctx={ctx} iso={c.signedAt} />
          {c.active ? '' : <span safe>{` (${t('transparency.witnesses.inactive')})`}</span>}
        </li>
      ))}
    </ul>
  );
}

function WitnessTable({ ctx, witnesses, caption, id }: { ctx: PageContext; witnesses: WitnessView[]; caption: string; id: string }): JSX.Element {
  const { t } = ctx;
  return (
    <div class="table-wrap">
      <table class="witnesses stacked" id={id}>
        <caption safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" safe>{t('transparency.witnesses.field.operator')}</th>
            <th scope="col" safe>{t('transparency.witnesses.field.name')}</th>
            <th scope="col" safe>{t('transparency.witnesses.field.policy')}</th>
            <th scope="col" safe>{t('transparency.witnesses.field.lastContact')}</th>
            <th scope="col" safe>{t('transparency.witnesses.field.vkey')}</th>
          </tr>
        </thead>
        <tbody>
          {witnesses.map((w) => (
            <tr id={`witness-${w.id}`}>
              <th scope="row">
                <span safe>{w.operator}</span>
                <DemoMark ctx={ctx} demo={w.isDemo} />
              </th>
              <td data-label={t('transparency.witnesses.field.name')}>
                <code safe>{w.name}</code>
              </td>
              <td data-label={t('transparency.witnesses.field.policy')}>
                <Localized ctx={ctx} value={w.policy} empty={t('transparency.witnesses.noPolicy')} />
              </td>
              <td data-label={t('transparency.witnesses.field.lastContact')}>
                <span safe>{witnessStatusWord(ctx, w)}</span>
                {w.lastContactAt ? (
                  <>
                    {' '}
                    <Instant ctx={ctx} iso={w.lastContactAt} />
                  </>
                ) : (
                  ''
                )}
                {w.latest ? <span safe>{` — ${t('transparency.witnesses.latestCosigned', { size: w.latest.treeSize })}`}</span> : ''}
              </td>
              <td data-label={t('transparency.witnesses.field.vkey')}>
                <code class="hash" safe>
                  {w.vkey}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Witnesses: what they protect against (a split view), the latest checkpoint with its cosigners
 * and the time each cosigned, the quorum and whether it is met, then every witness (operator,
 * name, policy, last contact, vkey), the inactive ones apart.
 */
function WitnessesSection({ ctx, checkpoint, overview, publicUrl }: { ctx: PageContext; checkpoint: Checkpoint | undefined; overview: WitnessOverview | undefined; publicUrl: string }): JSX.Element {
  const { t } = ctx;
  const witnesses = overview?.witnesses ?? [];
  const active = witnesses.filter((w) => w.active);
  const inactive = witnesses.filter((w) => !w.active);
  const quorum = overview?.quorum ?? 0;
  const cosigners = overview?.cosigners ?? [];
  const activeCosigners = cosigners.filter((c) => c.active).length;
  const met = activeCosigners >= quorum;
  const anyDemo = witnesses.some((w) => w.isDemo);
  return (
    <section aria-labelledby="transparency-witnesses">
      <h2 id="transparency-witnesses" safe>
        {t('transparency.witnesses.title')}
      </h2>
      <p safe>{t('transparency.witnesses.explain.splitView')}</p>
      <p safe>{t('transparency.witnesses.explain.cosign')}</p>
      <p>
        <span safe>{t('transparency.witnesses.explain.check')}</span>{' '}
        <a href="/transparency/tlog/checkpoint" type="text/plain" safe>
          {t('transparency.witnesses.checkpointLink')}
        </a>
      </p>
      <pre>
        <code safe>{`besa monitor ${publicUrl}`}</code>
      </pre>
      <p safe>{t('transparency.witnesses.explain.monitor')}</p>
      {witnesses.length === 0 ? (
        <p id="witnesses-none" safe>
          {t('transparency.witnesses.none')}
        </p>
      ) : (
        <>
          {anyDemo ? (
            <p class="notice" safe>
              {t('transparency.witnesses.demoNote')}
            </p>
          ) : (
            ''
          )}
          {checkpoint ? (
            <div id="witnesses-latest">
              <p safe>{t('transparency.witnesses.latestCheckpoint', { size: checkpoint.treeSize, time: formatDateTime(ctx.locale, checkpoint.issuedAt, 'UTC', 'medium') })}</p>
              <p>
                <strong safe>{t('transparency.witnesses.cosignedBy', { count: activeCosigners, total: active.length })}</strong>
              </p>
              {cosigners.length ? <CosignerList ctx={ctx} cosigners={cosigners} /> : ''}
            </div>
          ) : (
            ''
          )}
          <p id="witnesses-quorum" data-met={met ? 'true' : 'false'} safe>
            {quorum === 0
              ? t('transparency.witnesses.quorumNone')
              : met
                ? t('transparency.witnesses.quorumMet', { quorum })
                : t('transparency.witnesses.quorumNotMet', { quorum })}
          </p>
          {overview?.lastWitnessed ? (
            <div id="witnesses-last-witnessed">
              <p safe>
                {overview.lastWitnessed.issuedAt
                  ? t('transparency.witnesses.lastWitnessed', { size: overview.lastWitnessed.treeSize, time: formatDateTime(ctx.locale, overview.lastWitnessed.issuedAt, 'UTC', 'medium') })
                  : t('transparency.witnesses.lastWitnessedSize', { size: overview.lastWitnessed.treeSize })}
              </p>
              <CosignerList ctx={ctx} cosigners={overview.lastWitnessed.cosigners} />
            </div>
          ) : (
            ''
          )}
          {active.length ? <WitnessTable ctx={ctx} id="witnesses-active" witnesses={active} caption={t('transparency.witnesses.activeCaption', { count: active.length })} /> : ''}
          {inactive.length ? (
            <>
              <h3 safe>{t('transparency.witnesses.inactiveTitle')}</h3>
              <p safe>{t('transparency.witnesses.inactiveHelp')}</p>
              <WitnessTable ctx={ctx} id="witnesses-inactive" witnesses={inactive} caption={t('transparency.witnesses.inactiveCaption', { count: inactive.length })} />
            </>
          ) : (
            ''
          )}
        </>
      )}
    </section>
  );
}

/**
 * Migration 0031's indexes serve the queries that need them: the feeds' and recent changes' "newest
 * minutes", "newest meetings" and "newest responses to recommendations" read an index in order
 * (and stop after the limit) instead of sorting every meeting or recommendation. The queries are
 * the modules' own, captured as they run, then explained by the database: SQLite's query plan,
 * and PostgreSQL's with sequential scans and sorts discouraged (on test-sized tables it would rather
 * scan and sort, which costs nothing there): the plan shows that the index can give the order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';
import type { Db } from '../src/db/database.js';
import { meetingsFeed } from '../src/modules/meetings/feed.js';
import { meetingsRecent } from '../src/modules/meetings/recent.js';
import { reviewsFeed } from '../src/modules/reviews/feed.js';
import { reviewsRecent } from '../src/modules/reviews/recent.js';
import { describeEachDatabase } from './db.js';

/** Runs `read` on `db`, returning the SQL of every query it ran. */
async function captured(db: Db, read: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const nodes: { node: RootOperationNode; queryId: Parameters<KyselyPlugin['transformQuery']>[0]['queryId'] }[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => (nodes.push({ node: args.node, queryId: args.queryId }), args.node),
    transformResult: async (args) => args.result,
  };
  await read(db.withPlugin(plugin));
  return nodes.map((n) => db.getExecutor().compileQuery(n.node, n.queryId));
}

/** The database's plan of a query, as one text. */
async function planOf(db: Db, dialect: string, query: CompiledQuery): Promise<string> {
  if (dialect === 'sqlite') {
    const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return rows.map((r) => r.detail).join('\n');
  }
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
    await connection.executeQuery(CompiledQuery.raw('set enable_sort = off'));
    try {
      const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await connection.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
      await connection.executeQuery(CompiledQuery.raw('reset enable_sort'));
    }
  });
}

/** The plan of the one captured query whose SQL orders by `orderedBy`. */
async function planOrderedBy(db: Db, dialect: string, queries: CompiledQuery[], orderedBy: RegExp): Promise<string> {
  const found = queries.filter((q) => orderedBy.test(q.sql));
  assert.equal(found.length, 1, `one query ordered by ${orderedBy}: ${queries.map((q) => q.sql).join('\n')}`);
  return planOf(db, dialect, found[0]!);
}

describeEachDatabase('indexes of the feeds and recent changes (migration 0031)', (get) => {
  test('newest minutes, newest meetings and newest responses read an index in order', async () => {
    const { db, dialect } = get();
    await seedIfEmpty(db);
    await seedDemo(db);
    const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
    const minutes = /order by "meetings"\."minutes_published_at" desc/;
    const created = /order by "meetings"\."created_at" desc/;
    const responded = /order by "recommendations"\."responded_at" desc/;
    // Without a temporary sort on SQLite: the index gives the order, the limit stops the scan.
    const sorted = dialect === 'sqlite' ? /TEMP B-TREE FOR ORDER BY/ : /Sort Key/;

    const instanceMeetings = await captured(db, (d) => meetingsFeed.items(d, { kind: 'instance' }, 20));
    const p1 = await planOrderedBy(db, dialect, instanceMeetings, minutes);
    assert.match(p1, /meetings_minutes_published/, p1);
    assert.doesNotMatch(p1, sorted, p1);

    const jurisdictionMeetings = await captured(db, (d) => meetingsFeed.items(d, { kind: 'jurisdiction', id: gjakova.id }, 20));
    const p2 = await planOrderedBy(db, dialect, jurisdictionMeetings, minutes);
    assert.match(p2, /meetings_jurisdiction_minutes/, p2);
    assert.doesNotMatch(p2, sorted, p2);

    const recentMeetings = await captured(db, (d) => meetingsRecent.recent(d, gjakova.id, 20));
    const p3 = await planOrderedBy(db, dialect, recentMeetings, created);
    assert.match(p3, /meetings_jurisdiction_created/, p3);
    assert.doesNotMatch(p3, sorted, p3);
    const p4 = await planOrderedBy(db, dialect, recentMeetings, minutes);
    assert.match(p4, /meetings_jurisdiction_minutes/, p4);

    const instanceResponses = await captured(db, (d) => reviewsFeed.items(d, { kind: 'instance' }, 20));
    const p5 = await planOrderedBy(db, dialect, instanceResponses, responded);
    assert.match(p5, /recommendations_responded/, p5);
    assert.doesNotMatch(p5, sorted, p5);
    const recentResponses = await captured(db, (d) => reviewsRecent.recent(d, gjakova.id, 20));
    await planOrderedBy(db, dialect, recentResponses, responded);
  });
});

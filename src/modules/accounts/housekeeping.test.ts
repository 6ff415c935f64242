import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../../test/db.js';
import { pruneAccountRecords } from './housekeeping.js';
import { findSessionUser, insertSession } from './repository.js';
import { isThrottled, LONGEST_WINDOW_MINUTES, recordFailure, THROTTLE } from './throttle.js';

describeEachDatabase('account housekeeping', (get) => {
  test('ended throttling windows, expired sessions, challenges and reset links go; current ones stay', async () => {
    const { db } = get();
    const now = new Date('2026-03-01T12:00:00Z');
    const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
    const user = await db
      .insertInto('users')
      .values({ email: 'holder@example.org', display_name: 'Holder', password_hash: 'x', created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();

    // An old failure (its window ended) and a recent one that still counts.
    await recordFailure(db, 'old@example.org', '192.0.2.1', minutes(-LONGEST_WINDOW_MINUTES - 1));
    for (let i = 0; i < THROTTLE.perAccount; i++) await recordFailure(db, 'recent@example.org', '192.0.2.2', minutes(-1));
    assert.equal(await isThrottled(db, 'recent@example.org', '192.0.2.9', now), true);

    const expired = await insertSession(db, user.id, new Date(now.getTime() - 400 * 86_400_000));
    const current = await insertSession(db, user.id, now);
    await db.insertInto('login_challenges').values([
      { token_hash: 'expired', user_id: user.id, created_at: minutes(-20).toISOString(), expires_at: minutes(-10).toISOString(), failures: 0 },
      { token_hash: 'pending', user_id: user.id, created_at: minutes(-1).toISOString(), expires_at: minutes(9).toISOString(), failures: 0 },
    ]).execute();
    await db.insertInto('password_resets').values([
      { token_hash: 'old', user_id: user.id, created_at: minutes(-180).toISOString(), expires_at: minutes(-120).toISOString(), used_at: null },
      { token_hash: 'recent', user_id: user.id, created_at: minutes(-70).toISOString(), expires_at: minutes(-10).toISOString(), used_at: null },
    ]).execute();

    const pruned = await pruneAccountRecords(db, now);
    // Two keys (account and address) per throttled sign-in: the old pair goes.
    assert.deepEqual(pruned, { loginAttempts: 2, sessions: 1, challenges: 1, passwordResets: 1, totpSteps: 0, failed: {} });
    assert.equal((await db.selectFrom('login_attempts').select('key').execute()).length, 2);
    assert.equal(await isThrottled(db, 'recent@example.org', '192.0.2.9', now), true, 'a current refusal survives');
    assert.equal((await db.selectFrom('sessions').select('id').execute()).length, 1);
    assert.equal((await findSessionUser(db, current, now))?.id, user.id, 'the current session stays');
    void expired;
    assert.deepEqual((await db.selectFrom('login_challenges').select('token_hash').execute()).map((r) => r.token_hash), ['pending']);
    assert.deepEqual((await db.selectFrom('password_resets').select('token_hash').execute()).map((r) => r.token_hash), ['recent']);
    // Twice is harmless.
    assert.deepEqual(await pruneAccountRecords(db, now), { loginAttempts: 0, sessions: 0, challenges: 0, passwordResets: 0, totpSteps: 0, failed: {} });
  });

  test('a row that cannot be deleted stays alone: the rest of its kind and every other kind are pruned, one warning for the kind', async () => {
    const { db, dialect } = get();
    const now = new Date('2026-03-02T12:00:00Z');
    const longAgo = new Date(now.getTime() - 400 * 86_400_000);
    const user = await db
      .insertInto('users')
      .values({ email: 'stuck@example.org', display_name: 'Stuck', password_hash: 'x', created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('sessions').execute();
    await db.deleteFrom('login_challenges').execute();
    await db.deleteFrom('password_resets').execute();
    await db.insertInto('sessions').values([
      { id: 'bad', user_id: user.id, created_at: longAgo.toISOString(), expires_at: longAgo.toISOString() },
      { id: 'old-1', user_id: user.id, created_at: longAgo.toISOString(), expires_at: longAgo.toISOString() },
      { id: 'old-2', user_id: user.id, created_at: longAgo.toISOString(), expires_at: longAgo.toISOString() },
    ]).execute();
    await db.insertInto('login_challenges').values({ token_hash: 'old', user_id: user.id, created_at: longAgo.toISOString(), expires_at: longAgo.toISOString(), failures: 0 }).execute();
    await db.insertInto('password_resets').values({ token_hash: 'old', user_id: user.id, created_at: longAgo.toISOString(), expires_at: longAgo.toISOString(), used_at: null }).execute();
    // The forced failure: deleting the session 'bad' raises an error.
    if (dialect === 'sqlite') {
      await sql`create trigger refuse_bad_session before delete on sessions when old.id = 'bad' begin select raise(abort, 'forced failure'); end`.execute(db);
    } else {
      await sql`create function refuse_bad_session() returns trigger language plpgsql as $$ begin if old.id = 'bad' then raise exception 'forced failure'; end if; return old; end $$`.execute(db);
      await sql`create trigger refuse_bad_session before delete on sessions for each row execute function refuse_bad_session()`.execute(db);
    }
    const warnings: { data: object; message: string }[] = [];
    const pruned = await pruneAccountRecords(db, now, { warn: (data, message) => warnings.push({ data, message }) });
    assert.equal(pruned.sessions, 2, 'the other expired sessions go');
    assert.deepEqual(pruned.failed, { sessions: 1 });
    assert.equal(pruned.challenges, 1, 'the kinds after the failing one still run');
    assert.equal(pruned.passwordResets, 1);
    assert.deepEqual((await db.selectFrom('sessions').select('id').execute()).map((r) => r.id), ['bad']);
    assert.equal(warnings.length, 1, 'one warning for the failing kind');
    assert.match(JSON.stringify(warnings[0]!.data), /"kind":"sessions"/);
    if (dialect === 'sqlite') await sql`drop trigger refuse_bad_session`.execute(db);
    else await sql`drop trigger refuse_bad_session on sessions`.execute(db);
  });
});

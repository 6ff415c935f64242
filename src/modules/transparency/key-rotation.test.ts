/**
 * The log's signing key outside the database, on both databases: the key file is made 0600 on
 * first start and only public keys are stored; `besa key rotate` announces the new key in an entry
 * the old key signs, and both verifiers (verify.ts and scripts/verify-log.mjs) follow the chain; a
 * key inserted without such an entry, or the old key signing after the rotation, fails; a key file
 * that is not the log's key stops the start; a database from before migration 0029 moves its key
 * into the file and keeps no private key in any table.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import type { Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../config.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { createKeyFile, moveSigningKeyOutOfDatabase, prepareSigningKey, type SigningKeyConfig } from './signing-key.js';
import { KEY_ADOPTED, KEY_ROTATED, parsePrivateKey, privateKeyPem, processSigningKey, rawPublicKeyOf, signCheckpointNote, SigningKeyError, useSigningKey } from './keys.js';
import { resignAsFormat1 } from './format1.fixture.js';
import { publishKeyChange, rotateSigningKey } from './rotate.js';
import { logDocument } from './routes.js';
import { tdb } from './tables.js';
import { verifyTransparencyLog } from './verify.js';

const run = promisify(execFile);
const verifier = new URL('../../../scripts/verify-log.mjs', import.meta.url).pathname;

async function publish(db: Db, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await runCommand(db, SYSTEM, async (_trx, audit) => {
      await audit.publish('jurisdiction.updated', 'jurisdiction', 1, { changed: ['website'], values: { website: `https://example.org/${i}` } });
    });
  }
}

/** Runs the offline verifier on the database's /transparency/log.json. */
async function offline(db: Db, dir: string): Promise<{ code: number; out: string }> {
  let text = '';
  for await (const chunk of logDocument(db)) text += chunk;
  const path = join(dir, `log-${Date.now()}-${Math.random()}.json`);
  writeFileSync(path, text);
  try {
    const { stdout } = await run(process.execPath, [verifier, path]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

const quiet = () => undefined;

test('where the key is: beside the SQLite file, ./besa-signing-key.pem with PostgreSQL, or as configured', () => {
  const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv);
  assert.equal(config({}).signingKeyFile, join('data', 'signing-key.pem'));
  assert.equal(config({ BESA_DB: '/srv/besa/db/besa.sqlite' }).signingKeyFile, '/srv/besa/db/signing-key.pem');
  assert.equal(config({ DATABASE_URL: 'postgres://u@h/besa' }).signingKeyFile, 'besa-signing-key.pem');
  assert.equal(config({ BESA_SIGNING_KEY_FILE: '/etc/besa/key.pem' }).signingKeyFile, '/etc/besa/key.pem');
  assert.equal(config({}).signingKey, undefined);
  const pem = privateKeyPem(generateKeyPairSync('ed25519').privateKey);
  assert.equal(config({ BESA_SIGNING_KEY: pem }).signingKey, pem);
  // PEM or base64 DER, Ed25519 only.
  const der = generateKeyPairSync('ed25519').privateKey;
  assert.equal(rawPublicKeyOf(parsePrivateKey(der.export({ format: 'der', type: 'pkcs8' }).toString('base64'), 'env')), rawPublicKeyOf(der));
  assert.throws(() => parsePrivateKey(privateKeyPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), 'env'), /holds a ec key; the log signs with Ed25519/);
  assert.throws(() => parsePrivateKey('not a key', 'BESA_SIGNING_KEY'), /BESA_SIGNING_KEY does not hold a private key/);
});

for (const dialect of DIALECTS) {
  describe(`signing key rotation [${dialect}]`, () => {
    let dir: string;
    let database: TestDatabase | undefined;
    const saved = processSigningKey();
    const config = (): SigningKeyConfig => ({ signingKeyFile: join(dir, 'keys', 'signing-key.pem'), signingKey: undefined });

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'besa-keys-'));
    });
    afterEach(async () => {
      await database?.destroy();
      database = undefined;
      rmSync(join(dir, 'keys'), { recursive: true, force: true });
      useSigningKey(saved.privateKey, saved.source);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('the key file is made 0600 at first start; rotate, publish more: both verifiers follow the chain', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      const said: string[] = [];
      const first = await prepareSigningKey(config(), db, (m) => said.push(m));
      assert.equal(first.created, true);
      assert.equal(first.keyId, 1);
      assert.equal(statSync(config().signingKeyFile).mode & 0o777, 0o600);
      assert.match(said.join('\n'), /^signing key: .*signing-key\.pem \(created\), key 1/);
      const oldPem = readFileSync(config().signingKeyFile, 'utf8');
      assert.equal(rawPublicKeyOf(parsePrivateKey(oldPem, 'file')), first.publicKey);
      // A second start reads the same file.
      assert.equal((await prepareSigningKey(config(), db, quiet)).created, false);
      await publish(db, 3);

      const rotated = await rotateSigningKey(db, config(), quiet);
      assert.equal(rotated.previousKeyId, 1);
      assert.equal(rotated.keyId, 2);
      assert.equal(rotated.entry, 3);
      assert.equal(readFileSync(rotated.kept, 'utf8'), oldPem, 'the previous key is kept beside the file');
      const newPem = readFileSync(config().signingKeyFile, 'utf8');
      assert.notEqual(newPem, oldPem);
      assert.equal(statSync(config().signingKeyFile).mode & 0o777, 0o600);
      assert.equal(existsSync(`${config().signingKeyFile}.next`), false);
      await publish(db, 2);

      const rows = await tdb(db).selectFrom('transparency_checkpoints').select(['tree_size', 'key_id']).orderBy('tree_size').execute();
      assert.deepEqual(
        rows.map((r) => [Number(r.tree_size), Number(r.key_id)]),
        [[1, 1], [2, 1], [3, 1], [4, 1], [5, 2], [6, 2]],
        'the old key signs the entry announcing the new one; the new key signs after it',
      );
      const keys = await tdb(db).selectFrom('transparency_keys').selectAll().orderBy('id').execute();
      assert.deepEqual(keys.map((k) => Object.keys(k).sort()), [['created_at', 'id', 'origin', 'public_key'], ['created_at', 'id', 'origin', 'public_key']]);
      assert.equal(keys[1]!.public_key, rawPublicKeyOf(parsePrivateKey(newPem, 'file')));

      const check = await verifyTransparencyLog(db);
      assert.equal(check.ok, true, check.reason);
      assert.deepEqual(check.keyChanges, [{ index: 3, keyId: 2, kind: 'rotated' }]);
      const out = await offline(db, dir);
      assert.equal(out.code, 0, out.out);
      assert.match(out.out, /key 2 signs from entry 3: a rotation/);
    });

    test('a rotation that stopped after its commit, before its files were swapped, is finished at the next start', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      await prepareSigningKey(config(), db, quiet);
      await publish(db, 1);
      const path = config().signingKeyFile;
      const oldPem = readFileSync(path, 'utf8');
      const next = generateKeyPairSync('ed25519').privateKey;
      assert.equal(createKeyFile(`${path}.next`, privateKeyPem(next)), true);
      await publishKeyChange(db, KEY_ROTATED, next); // committed; the process dies before the renames
      // A server still running signs on with the announced key, found in FILE.next.
      await publish(db, 1);
      assert.equal(processSigningKey().publicKey, rawPublicKeyOf(next));
      const said: string[] = [];
      const prepared = await prepareSigningKey(config(), db, (m) => said.push(m));
      assert.equal(prepared.keyId, 2);
      assert.equal(prepared.publicKey, rawPublicKeyOf(next));
      assert.match(said.join('\n'), /finished the rotation to key 2/);
      assert.equal(readFileSync(path, 'utf8'), privateKeyPem(next));
      assert.ok(readdirSync(join(dir, 'keys')).some((f) => f.startsWith('signing-key.pem.old-') && readFileSync(join(dir, 'keys', f), 'utf8') === oldPem));
      await publish(db, 1);
      const check = await verifyTransparencyLog(db);
      assert.equal(check.ok, true, check.reason);
      assert.deepEqual(check.keyChanges, [{ index: 1, keyId: 2, kind: 'rotated' }]);
    });

    test('a key inserted without a rotation entry fails verification', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      await publish(db, 2);
      // An insider swaps keys in the database and signs on with the new one.
      const intruder = generateKeyPairSync('ed25519').privateKey;
      const publicKey = rawPublicKeyOf(intruder);
      await tdb(db).insertInto('transparency_keys').values({ id: 2, public_key: publicKey, origin: 'besa-log/intruder', created_at: new Date().toISOString() }).execute();
      useSigningKey(intruder);
      await publish(db, 1);
      assert.equal(Number((await tdb(db).selectFrom('transparency_checkpoints').select('key_id').where('tree_size', '=', 3).executeTakeFirstOrThrow()).key_id), 2);
      const check = await verifyTransparencyLog(db);
      assert.equal(check.ok, false);
      assert.equal(check.firstBadIndex, 2);
      assert.match(check.reason ?? '', /checkpoint of size 3 is signed by key 2, which does not sign the log there/);
      const out = await offline(db, dir);
      assert.equal(out.code, 1);
      assert.match(out.out, /FAILED: the checkpoint of size 3 is signed by key 2/);
    });

    test('an adoption after entries no checkpoint of the old key covers fails verification', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      await publish(db, 5);
      // An insider with database access but no key file deletes the recent checkpoints (entries 3
      // and 4 could now be rewritten unseen), appends an adoption and signs on with a key of their own.
      await tdb(db).deleteFrom('transparency_checkpoints').where('tree_size', '>', 3).execute();
      const intruder = generateKeyPairSync('ed25519').privateKey;
      useSigningKey(intruder);
      const adopted = await publishKeyChange(db, KEY_ADOPTED, intruder);
      assert.equal(adopted.entry, 5);
      await publish(db, 1);
      const check = await verifyTransparencyLog(db);
      assert.equal(check.ok, false);
      assert.equal(check.firstBadIndex, 3);
      assert.match(check.reason ?? '', /key adoption at entry 5 follows entries from 3 to 4 that no checkpoint of the previous key covers/);
      const out = await offline(db, dir);
      assert.equal(out.code, 1, out.out);
      assert.match(out.out, /FAILED: the key adoption at entry 5 follows entries from 3 to 4/);
    });

    test('a rotation whose next key file appeared meanwhile stops; an error after the commit keeps the announced key file', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      await prepareSigningKey(config(), db, quiet);
      await publish(db, 1);
      const path = config().signingKeyFile;
      // Another `besa key rotate` creates FILE.next between the existence check and our create.
      const other = privateKeyPem(generateKeyPairSync('ed25519').privateKey);
      const raced = rotateSigningKey(db, config(), quiet, { beforeCreate: () => createKeyFile(`${path}.next`, other) });
      await assert.rejects(raced, (e: unknown) => e instanceof SigningKeyError && /\.next was created meanwhile/.test(e.message));
      assert.equal(readFileSync(`${path}.next`, 'utf8'), other, 'the other rotation keeps its key file');
      assert.equal(Number((await tdb(db).selectFrom('transparency_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 1);
      rmSync(`${path}.next`);
      // The commit happened but an error was thrown after it: the announced key's file stays.
      await assert.rejects(rotateSigningKey(db, config(), quiet, { afterPublish: () => { throw new Error('connection lost after commit'); } }), /connection lost after commit/);
      assert.ok(existsSync(`${path}.next`), 'the key the log announced keeps its file');
      const announced = await tdb(db).selectFrom('transparency_keys').select('public_key').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.equal(rawPublicKeyOf(parsePrivateKey(readFileSync(`${path}.next`, 'utf8'), 'next')), announced.public_key);
    });

    test('a checkpoint signed by the old key after the rotation fails verification', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      await prepareSigningKey(config(), db, quiet);
      const old = processSigningKey().privateKey;
      await publish(db, 2);
      await rotateSigningKey(db, config(), quiet);
      await publish(db, 1);
      assert.equal((await verifyTransparencyLog(db)).ok, true);
      // Whoever kept the old key re-signs the newest checkpoint with it.
      const t = tdb(db);
      const latest = await t.selectFrom('transparency_checkpoints').selectAll().where('tree_size', '=', 4).executeTakeFirstOrThrow();
      const oldKey = { id: 1, origin: (await t.selectFrom('transparency_keys').select('origin').where('id', '=', 1).executeTakeFirstOrThrow()).origin, publicKey: rawPublicKeyOf(old), publicKeyPem: '', privateKey: old };
      const signature = signCheckpointNote(oldKey, 4, Buffer.from(latest.root_hash, 'hex'));
      await t.updateTable('transparency_checkpoints').set({ key_id: 1, signature }).where('tree_size', '=', 4).execute();
      const check = await verifyTransparencyLog(db);
      assert.equal(check.ok, false);
      assert.match(check.reason ?? '', /checkpoint of size 4 is signed by key 1, which does not sign the log there/);
      const out = await offline(db, dir);
      assert.equal(out.code, 1);
      assert.match(out.out, /checkpoint of size 4 is signed by key 1/);
    });

    test('a key file that is not the log\'s key, or that others may read, stops the start; nothing is signed with it', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      await prepareSigningKey(config(), db, quiet);
      await publish(db, 1);
      const path = config().signingKeyFile;
      chmodSync(path, 0o644);
      await assert.rejects(prepareSigningKey(config(), db, quiet), (e: unknown) => e instanceof SigningKeyError && /chmod 600/.test(e.message));
      rmSync(path);
      assert.equal(createKeyFile(path, privateKeyPem(generateKeyPairSync('ed25519').privateKey)), true);
      assert.equal(createKeyFile(path, 'the loser writes nothing'), false, 'an existing key file is never replaced');
      await assert.rejects(prepareSigningKey(config(), db, quiet), (e: unknown) => e instanceof SigningKeyError && /is not the log's current key 1/.test(e.message));
      await assert.rejects(publish(db, 1), SigningKeyError);
      assert.equal(Number((await tdb(db).selectFrom('transparency_checkpoints').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 1);
    });

    test('a database from before migration 0029: the key moves into the file, no table keeps it, the log signs on with it', async () => {
      database = await openTestDatabase(dialect);
      const db = database.db;
      // The old layout: the log's key in transparency_keys.private_key, migration 0029 not applied.
      const key = generateKeyPairSync('ed25519').privateKey;
      useSigningKey(key);
      await publish(db, 2);
      // …whose checkpoints an older Besa signed as besa-checkpoint/v1 (note format 1, what migration 0030 labels them).
      await resignAsFormat1(db, key);
      const pem = privateKeyPem(key);
      await sql`alter table transparency_keys add column private_key text`.execute(db);
      await sql`update transparency_keys set private_key = ${pem}`.execute(db);
      await sql`delete from kysely_migration where name = '0029_signing_key_out'`.execute(db);
      // …and nothing after it (migrations 0031 and 0030 undone).
      await sql`delete from kysely_migration where name = '0031_open_data_indexes'`.execute(db);
      for (const index of ['meetings_minutes_published', 'meetings_jurisdiction_minutes', 'meetings_jurisdiction_created', 'recommendations_responded']) await sql`drop index ${sql.ref(index)}`.execute(db);
      await sql`delete from kysely_migration where name = '0030_witnesses'`.execute(db);
      for (const table of ['transparency_cosignatures', 'transparency_witnesses', 'transparency_witness_settings']) await sql`drop table ${sql.table(table)}`.execute(db);
      await sql`alter table transparency_checkpoints drop column note_format`.execute(db);
      useSigningKey(generateKeyPairSync('ed25519').privateKey); // a new process, which has not read the key yet

      // The migration alone never destroys the key.
      await assert.rejects(migrateToLatest(db, database.dialect), /still in the database/);
      const said: string[] = [];
      const moved = await moveSigningKeyOutOfDatabase(config(), db, (m) => said.push(m));
      assert.equal(moved, join(dir, 'keys', 'signing-key.pem'));
      assert.match(said.join('\n'), /moved out of the database into .*signing-key\.pem\. Back it up/);
      assert.equal(readFileSync(moved!, 'utf8'), pem);
      assert.equal(statSync(moved!).mode & 0o777, 0o600);
      assert.deepEqual(await migrateToLatest(db, database.dialect), ['0029_signing_key_out', '0030_witnesses', '0031_open_data_indexes']);

      const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'))[0]!;
      for (const table of await db.introspection.getTables()) {
        if (table.name === 'transparency_keys') assert.ok(!table.columns.some((c) => c.name === 'private_key'));
        const rows = await sql`select * from ${sql.table(table.name)}`.execute(db);
        const text = JSON.stringify(rows.rows);
        assert.ok(!text.includes('PRIVATE KEY') && !text.includes(body), `${table.name} keeps no private key`);
      }
      const prepared = await prepareSigningKey(config(), db, quiet);
      assert.equal(prepared.keyId, 1);
      assert.equal(prepared.publicKey, rawPublicKeyOf(key));
      await publish(db, 1);
      const check = await verifyTransparencyLog(db);
      assert.equal(check.ok, true, check.reason);
      assert.equal(check.treeSize, 3);
      assert.equal(readdirSync(join(dir, 'keys')).length, 1, 'no temporary file is left');
    });
  });
}

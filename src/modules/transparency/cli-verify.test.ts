/**
 * `besa audit verify [--previous checkpoint.json]`, run as the command line: an untouched database
 * passes; a commitment title changed behind the log is named; a removed tail fails --previous
 * with a checkpoint saved before. The command is a thin shell over verifyPublishedHistory, which
 * tamper.test.ts runs on both databases; each run here starts a process, so SQLite only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { listPublicKeys } from './keys.js';
import { latestCheckpoint } from './repository.js';
import { checkpointJson } from './routes.js';
import { tdb } from './tables.js';

const run = promisify(execFile);
const cli = new URL('../../../src/cli.ts', import.meta.url).pathname;

{
  describe('besa audit verify [sqlite, as a command]', () => {
    let dir: string;
    let handle: DatabaseHandle;
    let env: NodeJS.ProcessEnv;

    async function besa(...args: string[]): Promise<{ code: number; out: string }> {
      try {
        const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env });
        return { code: 0, out: stdout + stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout + e.stderr };
      }
    }

    async function saveCheckpoint(name: string): Promise<string> {
      const latest = await latestCheckpoint(handle.db);
      assert.ok(latest);
      const key = (await listPublicKeys(handle.db)).find((k) => k.id === latest.keyId);
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(checkpointJson(latest, key)));
      return path;
    }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'besa-cli-verify-'));
      const path = join(dir, 'besa.sqlite');
      handle = openDatabase({ sqlitePath: path });
      await migrateToLatest(handle.db, handle.dialect);
      env = { PATH: process.env.PATH, BESA_DB: path };
      await seedIfEmpty(handle.db);
    });
    after(async () => {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    test('an untouched database passes; a title changed behind the log is named; a removed tail fails --previous', async () => {
      const good = await besa('audit', 'verify');
      assert.equal(good.code, 0, good.out);
      assert.match(good.out, /The transparency log is intact/);
      assert.match(good.out, /The public content equals what the log published last: \d+ items/);

      const commitment = await handle.db.selectFrom('commitments').select(['id', 'code', 'title']).orderBy('id').executeTakeFirstOrThrow();
      await handle.db.updateTable('commitments').set({ title: JSON.stringify({ en: 'Edited in the database' }) }).where('id', '=', commitment.id).execute();
      const edited = await besa('audit', 'verify');
      assert.equal(edited.code, 1, edited.out);
      assert.match(edited.out, new RegExp(`does NOT equal what the log published: commitment ${commitment.id} \\(${commitment.code}\\): field title differs`));
      await handle.db.updateTable('commitments').set({ title: commitment.title }).where('id', '=', commitment.id).execute();

      const size = (await latestCheckpoint(handle.db))!.treeSize;
      await runCommand(handle.db, SYSTEM, async (_trx, audit) => audit.publish('seed.note', 'jurisdiction', null, { note: 'one more' }));
      const saved = await saveCheckpoint('checkpoint.json');
      const extends_ = await besa('audit', 'verify', '--previous', saved);
      assert.equal(extends_.code, 0, extends_.out);
      assert.match(extends_.out, /The log extends the saved checkpoint/);
      // The same checkpoint saved as its C2SP signed note.
      const notePath = join(dir, 'checkpoint.note');
      writeFileSync(notePath, (JSON.parse(readFileSync(saved, 'utf8')) as { note: string }).note);
      const fromNote = await besa('audit', 'verify', '--previous', notePath);
      assert.equal(fromNote.code, 0, fromNote.out);
      assert.match(fromNote.out, /The log extends the saved checkpoint of \d+ entries: nothing/);

      // The last entry goes, with its checkpoint.
      const t = tdb(handle.db);
      await t.deleteFrom('transparency_entries').where('leaf_index', '>=', size).execute();
      await t.deleteFrom('transparency_checkpoints').where('tree_size', '>', size).execute();
      const nodes = await t.selectFrom('transparency_nodes').select(['level', 'node_index']).execute();
      for (const n of nodes) {
        if ((Number(n.node_index) + 1) * 2 ** Number(n.level) > size) await t.deleteFrom('transparency_nodes').where('level', '=', n.level).where('node_index', '=', n.node_index).execute();
      }
      const dropped = await besa('audit', 'verify', '--previous', saved);
      assert.equal(dropped.code, 1, dropped.out);
      assert.match(dropped.out, /does NOT extend the saved checkpoint: the log has \d+ entries, fewer than the \d+ of the saved checkpoint/);
      const droppedNote = await besa('audit', 'verify', '--previous', notePath);
      assert.equal(droppedNote.code, 1, droppedNote.out);
      assert.match(droppedNote.out, /does NOT extend the saved checkpoint: the log has \d+ entries, fewer than the \d+ of the saved checkpoint: entries were removed/);
    });
  });
}

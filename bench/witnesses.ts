/**
 * The cost of a publish with witnesses (issue 14): the same single-entry command (runCommand +
 * audit.publish: transaction, audit event, content version, log entry, signed C2SP checkpoint) on
 * a SQLite file, first with no witness configured, then with three `besa witness` servers running
 * in this process on loopback (real HTTP, real state files fsynced before they answer).
 *
 * Printed per case: the command's own time (what the person who saved waits for: the witnesses are
 * asked after commit, never inside it) and, with witnesses, the time until all three cosignatures
 * are stored (what a reader waits for before the page says "cosigned by 3 of 3").
 *
 *   node --import tsx bench/witnesses.ts [--runs=N]      (also: npm run bench -- --only=witnesses)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { parseVkey } from '../src/lib/tlog/note.js';
import { runCommand, type Actor } from '../src/modules/audit/index.js';
import { ensureSigningKey, logVkey } from '../src/modules/transparency/keys.js';
import { tdb } from '../src/modules/transparency/tables.js';
import { witnessesBeingAsked } from '../src/modules/transparency/witnesses/cosign.js';
import { createWitnessKey, readWitnessKey } from '../src/witness/files.js';
import { parseWitnessConfig } from '../src/witness/config.js';
import { createWitnessServer, type WitnessServer } from '../src/witness/server.js';
import { WitnessStore } from '../src/witness/store.js';

const ACTOR: Actor = { userId: 1, role: 'administrator', roles: [] };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function describe(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${label.padEnd(44)} median ${percentile(sorted, 50).toFixed(2).padStart(7)} ms   p95 ${percentile(sorted, 95).toFixed(2).padStart(7)} ms`;
}

async function publishOnce(db: DatabaseHandle['db'], i: number): Promise<number> {
  const started = performance.now();
  await runCommand(db, ACTOR, async (_trx, audit) => {
    await audit.publish('commitment.updated', 'commitment', 1 + (i % 20), { changed: ['title'], values: { title: { en: `Commitment, version ${i}` } } });
  });
  return performance.now() - started;
}

async function latestSize(db: DatabaseHandle['db']): Promise<number> {
  const row = await tdb(db).selectFrom('transparency_checkpoints').select('tree_size').orderBy('tree_size', 'desc').limit(1).executeTakeFirstOrThrow();
  return Number(row.tree_size);
}

export async function runWitnessesBench(runs = 60): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'besa-bench-witnesses-'));
  const handle = openDatabase({ sqlitePath: join(dir, 'besa.sqlite') });
  const witnesses: WitnessServer[] = [];
  try {
    const { db } = handle;
    await migrateToLatest(db, handle.dialect);
    for (let i = 0; i < 300; i += 1) await publishOnce(db, i); // warm-up (the JIT), and a log to extend
    const key = await ensureSigningKey(db);
    const vkey = logVkey(key.origin, key.publicKey);

    const without: number[] = [];
    for (let i = 0; i < runs; i += 1) without.push(await publishOnce(db, i));

    const now = new Date().toISOString();
    for (let w = 0; w < 3; w += 1) {
      const wdir = join(dir, `witness-${w}`);
      const keyFile = join(wdir, 'key.pem');
      createWitnessKey(keyFile);
      const config = parseWitnessConfig({ name: `witness-${w}.bench.besa.invalid/w`, keyFile, host: '127.0.0.1', port: 0, stateFile: 'state.json', logs: [{ origin: key.origin, vkeys: [vkey] }] }, 'bench', wdir);
      const server = createWitnessServer({ config, key: readWitnessKey(keyFile), store: WitnessStore.open(config.stateFile) });
      const url = await server.listen();
      witnesses.push(server);
      await tdb(db)
        .insertInto('transparency_witnesses')
        .values({ name: config.name, public_key: parseVkey(server.vkey).publicKey.toString('base64'), url, operator: `Bench ${w}`, policy: '{"en":"bench"}', active: 1, is_demo: 0, created_at: now, updated_at: now })
        .execute();
    }
    await tdb(db).updateTable('transparency_witness_settings').set({ quorum: 3 }).where('id', '=', 1).execute();
    // First contact: each witness learns the log from size 0.
    await publishOnce(db, 0);
    await witnessesBeingAsked(db);

    const command: number[] = [];
    const cosigned: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      command.push(await publishOnce(db, i));
      const size = await latestSize(db);
      for (;;) {
        await witnessesBeingAsked(db);
        const n = await tdb(db).selectFrom('transparency_cosignatures').select((eb) => eb.fn.countAll().as('n')).where('tree_size', '=', size).executeTakeFirstOrThrow();
        if (Number(n.n) >= 3) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      cosigned.push(performance.now() - started);
    }

    const [one] = loadavg();
    console.log(`\nPublish with witnesses (SQLite file, ${runs} single-entry commands each; load average ${one!.toFixed(1)})`);
    console.log(describe('command, no witness configured', without));
    console.log(describe('command, 3 witnesses configured', command));
    console.log(describe('until 3 cosignatures stored (loopback)', cosigned));
    const med = (v: number[]) => percentile([...v].sort((a, b) => a - b), 50);
    console.log(`the command with witnesses costs ${(med(command) / med(without)).toFixed(2)}× the command without; cosigned by all three ${(med(cosigned) - med(command)).toFixed(1)} ms after it returned (median)`);
  } finally {
    for (const w of witnesses) await w.close();
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 60);
  await runWitnessesBench(runs);
}

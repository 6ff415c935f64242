/**
 * The log served as C2SP tlog-tiles (tile-routes.ts, tiles.ts) and mirrored by
 * scripts/mirror-log.mjs through a real listening app: the copy verifies offline and reproduces the
 * checkpoint's root, a changed byte is caught, proofs from the tiles equal the proof API's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { actorWith } from '../../../test/actors.js';
import { describeEachDatabase } from '../../../test/db.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { entryBundle, parseEntryBundle, tilePath, tilesForSize } from '../../lib/tlog/tiles.js';
import { runCommand } from '../audit/index.js';
import { createCommitment } from '../commitments/commands.js';
import { createInstitution } from '../institutions/commands.js';
import { createJurisdiction } from '../jurisdictions/commands.js';
import { createActionPlan } from '../plans/commands.js';
import { checkpointNote, checkpointNoteText, logVkey, processSigningKey, rawPublicKey } from './keys.js';
import { hashLeaf, inclusionProofRanges, MemoryTree, verifyInclusion } from './merkle.js';
import { appendChanges, latestCheckpoint, listPublicKeys } from './repository.js';
import { FULL_TILE_CACHE, PARTIAL_TILE_CACHE, TLOG_PREFIX } from './tile-routes.js';

const run = promisify(execFile);
const mirrorScript = new URL('../../../scripts/mirror-log.mjs', import.meta.url).pathname;
const ADMIN = actorWith('administrator', { userId: 7 });

async function mirrorLog(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [mirrorScript, ...args], { timeout: 120_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/** Publishes `count` entries through runCommand, `perCommand` per command (each command signs a checkpoint). */
async function publish(db: Parameters<typeof runCommand>[0], from: number, count: number, perCommand: number): Promise<void> {
  for (let i = 0; i < count; i += perCommand) {
    await runCommand(db, ADMIN, async (_trx, audit) => {
      for (let j = i; j < Math.min(count, i + perCommand); j++) {
        const n = from + j;
        await audit.publish('commitment.updated', 'commitment', (n % 17) + 1, { changed: ['title'], values: { title: { sq: `Buxheti i hapur ${n} — ë`, 'sr-Latn': `Otvoreni budžet ${n}`, en: `Open budget ${n}` } } });
      }
    });
  }
}

test('three levels of tiles (the specification\'s example size, 70,000): the mirror script verifies them and proves from them', async () => {
  const size = 70_000;
  const leaves = Array.from({ length: size }, (_, i) => Buffer.from(`{"index":${i},"v":1}`));
  const tree = new MemoryTree(leaves.map((l) => hashLeaf(l)));
  const dir = mkdtempSync(join(tmpdir(), 'besa-tiles-70000-'));
  try {
    const paths: string[] = [];
    for (const t of tilesForSize(size)) {
      const path = tilePath(t);
      paths.push(path);
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      const hashes = Array.from({ length: t.width }, (_, i) => tree.node({ level: t.level === 'entries' ? 0 : 8 * t.level, index: t.index * 256 + i }));
      writeFileSync(join(dir, path), t.level === 'entries' ? entryBundle(leaves.slice(t.index * 256, t.index * 256 + t.width)) : Buffer.concat(hashes));
    }
    // c2sp.org/tlog-tiles: 273 full level-0 tiles and one of 112, one full level-1 tile and one of 17, one level-2 tile of 1.
    assert.deepEqual(
      paths.filter((p) => !p.startsWith('tile/entries/') && !/^tile\/0\/\d{3}$/.test(p)),
      ['tile/0/273.p/112', 'tile/1/000', 'tile/1/001.p/17', 'tile/2/000.p/1'],
    );
    const { privateKey } = generateKeyPairSync('ed25519');
    const publicKey = rawPublicKey(createPublicKey(privateKey));
    const origin = 'besa.example.org/transparency/tlog';
    const root = tree.rangeHash({ start: 0, end: size });
    const signature = sign(null, Buffer.from(checkpointNoteText(origin, size, root), 'utf8'), privateKey).toString('base64');
    writeFileSync(join(dir, 'checkpoint'), checkpointNote(origin, publicKey, size, root, signature));

    const result = await mirrorLog('verify', dir, '--vkey', logVkey(origin, publicKey));
    assert.equal(result.code, 0, result.out + result.err);
    assert.equal(result.out.trim(), `ok: ${origin}, tree size 70000, root ${root.toString('base64')}`);
    for (const index of [0, 65_535, 65_536, 69_999]) {
      const proof = JSON.parse((await mirrorLog('proof', dir, String(index))).out) as { path: string[]; rootHash: string };
      assert.deepEqual(proof.path, inclusionProofRanges(index, size).map((r) => tree.rangeHash(r).toString('hex')), `index ${index}`);
      assert.equal(proof.rootHash, root.toString('hex'));
    }
    // The level-2 tile is checked against the full level-1 tile below it.
    const top = readFileSync(join(dir, 'tile/2/000.p/1'));
    top[0] = top[0]! ^ 0x01;
    writeFileSync(join(dir, 'tile/2/000.p/1'), top);
    const bad = await mirrorLog('verify', dir);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /tile\/2\/000\.p\/1: hash 0 is not the root of tile\/1\/000/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeEachDatabase('transparency tiles', (get) => {
  let app: FastifyInstance;
  let base: string;
  let dir: string;
  let vkey: string;

  before(async () => {
    const database = get();
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
    // Until the C2SP checkpoint route is on this branch: the latest checkpoint as a signed note,
    // signed with this process's key (the log's key 1 in tests).
    if (!app.hasRoute({ method: 'GET', url: `${TLOG_PREFIX}/checkpoint` })) {
      app.get(`${TLOG_PREFIX}/checkpoint`, async (_request, reply) => {
        const latest = await latestCheckpoint(database.db);
        const key = (await listPublicKeys(database.db)).find((k) => k.id === latest?.keyId);
        if (!latest || !key) return reply.code(404).send('not found\n');
        const root = Buffer.from(latest.rootHash, 'hex');
        const signature = sign(null, Buffer.from(checkpointNoteText(key.origin, latest.treeSize, root), 'utf8'), processSigningKey().privateKey).toString('base64');
        return reply.header('cache-control', 'no-cache').type('text/plain; charset=utf-8').send(checkpointNote(key.origin, key.publicKey, latest.treeSize, root, signature));
      });
    }
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    dir = mkdtempSync(join(tmpdir(), 'besa-tiles-'));
  });
  after(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const tile = (path: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `${TLOG_PREFIX}/${path}`, headers });

  test('an empty log serves no tile', async () => {
    for (const path of ['tile/0/000.p/1', 'tile/entries/000.p/1', 'tile/0/000']) {
      const res = await tile(path);
      assert.equal(res.statusCode, 404, path);
    }
  });

  test('600 entries mirror into a copy that verifies offline and gives the checkpoint root', async () => {
    const { db } = get();
    await publish(db, 0, 600, 50);
    const cp = (await app.inject({ method: 'GET', url: '/transparency/checkpoint' })).json();
    assert.equal(cp.treeSize, 600);
    vkey = logVkey(cp.origin, cp.publicKey);

    const copy = await mirrorLog(base, dir, '--verify', '--vkey', vkey);
    assert.equal(copy.code, 0, copy.out + copy.err);
    assert.equal(copy.out.trim(), `ok: ${cp.origin}, tree size 600, root ${cp.rootHashBase64}`);
    // 600 = 2 full level-0 tiles + one of 88; level 1 has the two full tiles' roots.
    assert.match(copy.err, /fetched 7 tiles/);
    assert.equal(readFileSync(join(dir, 'tile/0/000')).length, 8192);
    assert.equal(readFileSync(join(dir, 'tile/0/002.p/88')).length, 88 * 32);
    assert.equal(readFileSync(join(dir, 'tile/1/000.p/2')).length, 64);
    assert.equal(parseEntryBundle(readFileSync(join(dir, 'tile/entries/002.p/88'))).length, 88);

    // The tiles hold exactly what the JSON API publishes: leaf hashes and leaf texts.
    const entries = (await app.inject({ method: 'GET', url: '/transparency/entries?start=256&end=512' })).json().entries as Array<{ leaf: string; leafHash: string }>;
    assert.equal(readFileSync(join(dir, 'tile/0/001')).toString('hex'), entries.map((e) => e.leafHash).join(''));
    assert.deepEqual(
      parseEntryBundle(readFileSync(join(dir, 'tile/entries/001'))).map((b) => b.toString('utf8')),
      entries.map((e) => e.leaf),
    );

    const again = await mirrorLog('verify', dir, '--vkey', vkey);
    assert.equal(again.code, 0, again.out + again.err);
    assert.equal(again.out.trim(), `ok: ${cp.origin}, tree size 600, root ${cp.rootHashBase64}`);
  });

  test('a changed byte anywhere in the copy fails verification', async () => {
    const cases: Array<[string, (bytes: Buffer) => void, RegExp]> = [
      // A letter inside an entry's text: the entry no longer hashes to its leaf hash.
      ['tile/entries/001', (b) => (b[100] = b[100]! ^ 0x01), /tile\/entries\/001: entry \d+ does not hash to its leaf hash in tile\/0\/001/],
      // A leaf hash in a level-0 tile: the entry no longer matches it.
      ['tile/0/002.p/88', (b) => (b[40] = b[40]! ^ 0x80), /tile\/entries\/002\.p\/88: entry 513 does not hash/],
      // A hash of the level-1 tile: it is not the root of the tile below.
      ['tile/1/000.p/2', (b) => (b[33] = b[33]! ^ 0x01), /tile\/1\/000\.p\/2: hash 1 is not the root of tile\/0\/001/],
    ];
    for (const [path, change, problem] of cases) {
      const copy = mkdtempSync(join(tmpdir(), 'besa-tiles-bad-'));
      try {
        cpSync(dir, copy, { recursive: true });
        const bytes = readFileSync(join(copy, path));
        change(bytes);
        writeFileSync(join(copy, path), bytes);
        const result = await mirrorLog('verify', copy);
        assert.equal(result.code, 1, `${path}: ${result.out}`);
        assert.match(result.out, problem);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }

    // The checkpoint: another root fails against the tiles; another key's vkey finds no signature by it;
    // the right key over a changed note fails its signature.
    const copy = mkdtempSync(join(tmpdir(), 'besa-tiles-bad-'));
    try {
      cpSync(dir, copy, { recursive: true });
      const note = readFileSync(join(copy, 'checkpoint'), 'utf8');
      const lines = note.split('\n');
      const root = Buffer.from(lines[2]!, 'base64');
      root[0] = root[0]! ^ 0x01;
      writeFileSync(join(copy, 'checkpoint'), [lines[0], lines[1], root.toString('base64'), ...lines.slice(3)].join('\n'));
      let result = await mirrorLog('verify', copy);
      assert.equal(result.code, 1);
      assert.match(result.out, /the tree of 600 entries has root .*, the checkpoint says /);
      result = await mirrorLog('verify', copy, '--vkey', vkey);
      assert.equal(result.code, 1);
      assert.match(result.out, /the signature by besa-log\/[0-9a-f]{16} does not verify/);
      const other = logVkey('besa-log/0000000000000000', Buffer.alloc(32, 7).toString('base64'));
      writeFileSync(join(copy, 'checkpoint'), note);
      result = await mirrorLog('verify', copy, '--vkey', other);
      assert.equal(result.code, 1);
      assert.match(result.out, /no signature by besa-log\/0000000000000000/);
      // A missing tile is named.
      rmSync(join(copy, 'tile/0/000'));
      result = await mirrorLog('verify', copy);
      assert.equal(result.code, 1);
      assert.match(result.out, /tile\/0\/000 is missing/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('inclusion proofs computed from the tiles equal the proof API', async () => {
    for (const index of [0, 255, 256, 300, 512, 599]) {
      const fromTiles = await mirrorLog('proof', dir, String(index));
      assert.equal(fromTiles.code, 0, fromTiles.out + fromTiles.err);
      const mine = JSON.parse(fromTiles.out) as { index: number; treeSize: number; leafHash: string; path: string[]; rootHash: string };
      const api = (await app.inject({ method: 'GET', url: `/transparency/proof/inclusion?index=${index}&size=600` })).json();
      assert.deepEqual(mine, { index, treeSize: 600, leafHash: api.leafHash, path: api.path, rootHash: api.rootHash }, `index ${index}`);
      assert.equal(mine.leafHash, hashLeaf(api.leaf).toString('hex'));
      assert.ok(
        verifyInclusion(
          index,
          600,
          Buffer.from(mine.leafHash, 'hex'),
          mine.path.map((h) => Buffer.from(h, 'hex')),
          Buffer.from(mine.rootHash, 'hex'),
        ),
        `the proof of ${index} from the tiles verifies`,
      );
    }
  });

  test('tiles carry their cache headers; bundles are gzipped when the client accepts it', async () => {
    const full = await tile('tile/0/001');
    assert.equal(full.statusCode, 200);
    assert.equal(full.headers['content-type'], 'application/octet-stream');
    assert.equal(full.headers['cache-control'], FULL_TILE_CACHE);
    assert.equal(full.rawPayload.length, 8192);
    assert.deepEqual(full.rawPayload, readFileSync(join(dir, 'tile/0/001')));

    const partial = await tile('tile/1/000.p/2');
    assert.equal(partial.statusCode, 200);
    assert.equal(partial.headers['cache-control'], PARTIAL_TILE_CACHE);
    assert.equal(partial.rawPayload.length, 64);

    const plain = await tile('tile/entries/000');
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['vary'], 'accept-encoding');
    assert.equal(plain.headers['cache-control'], FULL_TILE_CACHE);
    assert.equal(parseEntryBundle(plain.rawPayload).length, 256);
    const gzipped = await tile('tile/entries/000', { 'accept-encoding': 'br, gzip;q=0.8' });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gzipped.headers['vary'], 'accept-encoding');
    assert.deepEqual(gunzipSync(gzipped.rawPayload), plain.rawPayload);
    assert.ok(gzipped.rawPayload.length * 3 < plain.rawPayload.length, `gzip: ${gzipped.rawPayload.length} of ${plain.rawPayload.length} bytes`);
    const refused = await tile('tile/entries/000', { 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(refused.headers['content-encoding'], undefined);
    const partialBundle = await tile('tile/entries/002.p/88', { 'accept-encoding': 'gzip' });
    assert.equal(partialBundle.headers['cache-control'], PARTIAL_TILE_CACHE);
    assert.equal(parseEntryBundle(gunzipSync(partialBundle.rawPayload)).length, 88);
  });

  test('only tiles the latest checkpoint makes exist are served; malformed paths are plain 404s', async () => {
    // Narrower partial tiles than the size allows are served (a client with an older checkpoint).
    for (const [path, bytes] of [
      ['tile/0/002.p/10', 320],
      ['tile/0/000.p/5', 160],
      ['tile/1/000.p/1', 32],
    ] as const) {
      const res = await tile(path);
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.rawPayload.length, bytes, path);
    }
    const narrow = await tile('tile/entries/002.p/3');
    assert.equal(parseEntryBundle(narrow.rawPayload).length, 3);
    for (const path of [
      'tile/0/002.p/89', // wider than the log's 88
      'tile/entries/002.p/89',
      'tile/0/002', // not complete
      'tile/entries/002',
      'tile/0/003.p/1', // beyond the log
      'tile/1/000', // level 1 has 2 hashes
      'tile/1/000.p/3',
      'tile/2/000.p/1', // no level 2 below 65,536 entries
      // Malformed:
      'tile/0/2',
      'tile/00/000',
      'tile/0/000.p/0',
      'tile/0/000.p/256',
      'tile/0/000.p/01',
      'tile/64/000',
      'tile/-1/000',
      'tile/0/x000/001',
      'tile/entries/x001',
      'tile/0/000.p/',
      'tile/entries',
      'tile/0/000.p/5/extra',
    ]) {
      const res = await tile(path);
      assert.equal(res.statusCode, 404, path);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', path);
      assert.equal(res.body, 'not found\n', path);
    }
    // Outside tile/ the JSON API's 404 answers.
    assert.equal((await tile('tile/')).statusCode, 404);
    assert.equal((await tile('nothing')).statusCode, 404);
  });

  test('a log that grew is mirrored again by fetching only what it added, and must extend the checkpoint saved before', async () => {
    const { db } = get();
    await publish(db, 600, 100, 100);
    const cp = (await app.inject({ method: 'GET', url: '/transparency/checkpoint' })).json();
    assert.equal(cp.treeSize, 700);
    // A copy whose saved checkpoint (600) the log no longer gives: as if entries before 600 had been rewritten.
    const saved = readFileSync(join(dir, 'checkpoint'), 'utf8');
    const [origin, , root, ...rest] = saved.split('\n');
    const other = Buffer.from(root!, 'base64');
    other[5] = other[5]! ^ 0x01;
    for (const [note, problem] of [
      [[origin, '600', other.toString('base64'), ...rest].join('\n'), /history was rewritten: the log's first 600 entries no longer give the root of the checkpoint saved in /],
      [[origin, '701', root, ...rest].join('\n'), /the log now has 700 entries, fewer than the 701 of the checkpoint saved in .*: entries were removed/],
    ] as const) {
      const copy = mkdtempSync(join(tmpdir(), 'besa-tiles-saved-'));
      try {
        cpSync(dir, copy, { recursive: true });
        writeFileSync(join(copy, 'checkpoint'), note);
        const result = await mirrorLog(base, copy);
        assert.equal(result.code, 1, result.out + result.err);
        assert.match(result.out, problem);
        assert.equal(readFileSync(join(copy, 'checkpoint'), 'utf8'), note, 'the saved checkpoint is kept');
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
    const copy = await mirrorLog(base, dir, '--verify', '--vkey', vkey);
    assert.equal(copy.code, 0, copy.out + copy.err);
    assert.equal(copy.out.trim(), `ok: ${cp.origin}, tree size 700, root ${cp.rootHashBase64}`);
    // The full tiles were kept; the new partial level-0 tile (188), its bundle and level 1 (still 2) are fetched.
    assert.match(copy.err, /fetched 2 tiles/);
    // Tiles of the earlier size stay served.
    assert.equal((await tile('tile/0/002.p/88')).statusCode, 200);
  });

  test("tiles that do not give the checkpoint's root never replace the checkpoint saved in a copy", async () => {
    const cp = (await app.inject({ method: 'GET', url: '/transparency/checkpoint' })).json();
    assert.equal(cp.treeSize, 700);
    // A server in front of the log that changes the newest leaf hash in the partial level-0 tile.
    const proxy = createServer(async (req, res) => {
      const upstream = await fetch(`${base}${req.url}`);
      let body = Buffer.from(await upstream.arrayBuffer());
      if (/\/tile\/0\/002\.p\/188$/.test(req.url ?? '')) {
        body = Buffer.from(body);
        body[body.length - 1] = body[body.length - 1]! ^ 0x01;
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
      res.end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const copy = mkdtempSync(join(tmpdir(), 'besa-tiles-lying-'));
    try {
      const result = await mirrorLog(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, copy);
      assert.equal(result.code, 1, result.out + result.err);
      assert.match(result.out, /the tiles served do not give the root of the log's checkpoint \(size 700\)/);
      assert.equal(existsSync(join(copy, 'checkpoint')), false, 'no checkpoint is saved for tiles that do not give its root');
    } finally {
      proxy.close();
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a commitment whose texts together exceed an entry bundle is published as two entries, and its bundle is served and mirrored', async () => {
    const { db } = get();
    const jurisdictionId = await createJurisdiction(db, ADMIN, { slug: 'prizren', kind: 'local', countryCode: 'xk', website: null, contentLocale: 'sq', name: 'Komuna e Prizrenit', description: '' });
    const institutionId = await createInstitution(db, ADMIN, { jurisdictionId, slug: 'financa', kind: 'government', website: null, contentLocale: 'sq', name: 'Drejtoria e Financave', description: '' });
    const planId = await createActionPlan(db, ADMIN, {
      jurisdictionId,
      slug: '2025-2027',
      startsOn: '2025-01-01',
      endsOn: '2027-12-31',
      submittedOn: null,
      withdrawnOn: null,
      assessedOn: null,
      cocreationGroups: null,
      cocreationPublicMeetings: null,
      contentLocale: 'sq',
      title: 'Plani i veprimit 2025–2027',
      foreword: '',
      cocreationSummary: '',
      leadInstitutionIds: [institutionId],
      visionSections: [],
      endorsements: [],
    } as Parameters<typeof createActionPlan>[2]);
    // Within the form's limits (20,000 characters a text): Albanian text, 2 bytes per 'ë' in UTF-8,
    // 76,000 bytes in one change: more than an entry bundle gives one entry (65,535).
    const long = 'ë'.repeat(19_000);
    const { id: commitmentId } = await createCommitment(db, ADMIN, {
      actionPlanId: planId,
      code: 'XKPRZ0001',
      position: null,
      locale: 'sq',
      texts: { title: 'Buxheti i hapur', problem: long, status_quo: long, action: '', contribution: '', long_term_goal: '' },
      ogpValues: ['access_to_information'],
      policyAreas: [],
      leadInstitutionIds: [institutionId],
      supportingInstitutionIds: [],
      startsOn: '2025-03-01',
      endsOn: '2026-06-30',
    });
    const cp = (await app.inject({ method: 'GET', url: '/transparency/checkpoint' })).json();
    assert.equal(cp.treeSize, 705);
    const entries = (await app.inject({ method: 'GET', url: '/transparency/entries?start=703&end=705' })).json().entries as Array<{ action: string; leaf: string; summary: { changed: string[]; values: Record<string, unknown> } }>;
    assert.deepEqual(entries.map((e) => e.action), ['commitment.created', 'commitment.created']);
    for (const e of entries) assert.ok(Buffer.byteLength(e.leaf, 'utf8') <= 65_535, `${Buffer.byteLength(e.leaf, 'utf8')} bytes`);
    assert.deepEqual(entries.map((e) => ['problem', 'status_quo'].filter((f) => e.summary.changed.includes(f))), [['problem'], ['status_quo']], 'one long text in each');
    assert.deepEqual(Object.assign({}, ...entries.map((e) => e.summary.values)).status_quo, { sq: long });
    // (The state check after such a split: leaf-size.test.ts; this log names commitments 1–17 that the database lacks.)
    // The history page describes both entries, each with its proof.
    const history = await app.inject({ method: 'GET', url: `/en/history/commitment/${commitmentId}` });
    assert.equal(history.statusCode, 200);
    assert.match(history.body, /Buxheti i hapur/);
    assert.match(history.body, /proof\/inclusion\?index=703&amp;size=705/);
    assert.match(history.body, /proof\/inclusion\?index=704&amp;size=705/);

    // The bundle holding them is served and parses to the leaves the log hashed.
    const res = await tile('tile/entries/002.p/193');
    assert.equal(res.statusCode, 200);
    const bundle = parseEntryBundle(res.rawPayload);
    assert.equal(bundle.length, 193);
    assert.deepEqual(bundle.slice(191).map((b) => Buffer.from(b).toString('utf8')), entries.map((e) => e.leaf));
    const copy = await mirrorLog(base, dir, '--verify', '--vkey', vkey);
    assert.equal(copy.code, 0, copy.out + copy.err);
    assert.equal(copy.out.trim(), `ok: ${cp.origin}, tree size 705, root ${cp.rootHashBase64}`);
  });

  test('a leaf longer than an entry bundle can carry (a log imported from elsewhere could hold one): its bundle is refused, not truncated', async () => {
    const { db } = get();
    // Appended below appendToTransparencyLog, which would have split or refused it.
    await db.transaction().execute((trx) =>
      appendChanges(trx, [{ occurredAt: new Date().toISOString(), action: 'import.note', entityType: 'import', entityId: null, role: 'system', summary: { note: 'ë'.repeat(33_000) } }]),
    );
    const cp = (await app.inject({ method: 'GET', url: '/transparency/checkpoint' })).json();
    assert.equal(cp.treeSize, 706);
    const entry = (await app.inject({ method: 'GET', url: '/transparency/entries?start=705&end=706' })).json().entries[0];
    assert.ok(Buffer.byteLength(entry.leaf, 'utf8') > 65_535, 'the leaf is longer than 65,535 bytes');

    const res = await tile('tile/entries/002.p/194');
    assert.equal(res.statusCode, 500);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /^entry 705 is \d+ bytes long; an entry bundle holds entries of at most 65535 bytes .* \/transparency\/entries\?start=705&end=706\n$/);
    // The bundles before it, and every hash tile, are still served.
    assert.equal((await tile('tile/entries/002.p/193')).statusCode, 200);
    assert.equal((await tile('tile/0/002.p/194')).statusCode, 200);
    // The mirror stops with the server's refusal instead of writing a short bundle.
    const copy = await mirrorLog(base, dir);
    assert.equal(copy.code, 2);
    assert.match(copy.err, /tile\/entries\/002\.p\/194: HTTP 500/);
  });
});

/**
 * A bounded fuzz of the whole app (run with `npm run fuzz -- [options]`): nothing a client sends may
 * give a 5xx.
 *
 * 1. A fresh database: a temporary SQLite file by default; PostgreSQL with `--pg` or DATABASE_URL
 *    (a new database on that server, or on TEST_DATABASE_URL / postgres://postgres@127.0.0.1:5432,
 *    dropped at the end). Gjakova's plan with the demonstration milestones, a second jurisdiction
 *    and one person of every role with a session (test/people-fixture.ts), an open invitation and
 *    a password-reset link.
 * 2. The real app (buildApp) on 127.0.0.1, port 0; only loopback is ever contacted.
 * 3. N requests (seeded, so `--seed` repeats a run), each as anonymous or as one of the people;
 *    first every route of the route table (app.printRoutes: public, admin, /api/v1 with the
 *    person's API token, /metrics, /readyz) once as every kind of visitor, its parameters real and a
 *    reflection marker in its query string and body; then every form of every visitor once with NUL,
 *    once with a lone surrogate and once with control characters appended to each text field (the
 *    rest of the form as rendered); then at random:
 *    - any route of the route table (app.printRoutes) with any method, its parameters filled with
 *      real slugs, codes and ids or with junk (NUL, lone surrogates, control characters, overlong
 *      values, broken percent-encoding), with hostile query strings;
 *    - every form of every page the person can open, posted with a valid CSRF token and NUL, lone
 *      surrogates or control characters in its text fields;
 *    - broken multipart bodies (no boundary, truncated, a huge declared length, many files);
 *    - uploads of a valid shape with hostile file names, content types and contents;
 *    - hostile `next` values on the sign-in form and behind the admin guard;
 *    - broken encodings: raw invalid UTF-8 bytes in the path, the query and the body, overlong
 *      percent-encodings, a wrong or unknown charset, bodies claimed gzip (or deflate, br) but broken,
 *      JSON with invalid UTF-8; /api/v1 with a valid, a revoked-looking, a malformed or no Bearer token.
 *    Parameters, fields, file names and `next` values carry reflection markers (`<besa-x9f2>`,
 *    `"'><svg onload=besa9f2>`): a text/html or XML answer holding one unescaped is a reflection.
 * 4. It prints the counts by status code and by kind of request, the reflections, and for each 5xx,
 *    lost connection or reflection its route and the first line of the server's error, then a last
 *    line `fuzz: P passed, F failed` (requests without / with a 5xx, a lost connection or an
 *    unescaped marker) and exits 1 when F > 0.
 *
 *   --requests N   how many requests (default 10000)
 *   --seconds S    stop sending after S seconds even if N are not sent (default 900)
 *   --seed S       the random seed (default: random, printed)
 *   --pg           PostgreSQL instead of SQLite
 *   FUZZ_DEBUG=1   also prints each sweep request's status (and a 422's error summary) and each lost connection
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { inviteUser, requestPasswordReset } from '../src/modules/accounts/commands.js';
import { actorFor, API_TOKEN_PREFIX, createApiToken, findUserRoles } from '../src/modules/accounts/index.js';
import { gzipSync } from 'node:zlib';
import { actorWith } from '../test/actors.js';
import { insertPeopleFixture, PEOPLE, type Person } from '../test/people-fixture.js';
import { reflectionIn } from './fuzz-reflection.js';

// ---------------------------------------------------------------- options

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const flag = (name: string) => process.argv.slice(2).includes(`--${name}`);
function positive(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`fuzz: --${name} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}
const REQUESTS = positive('requests', 10_000);
const SECONDS = positive('seconds', 900);
const SEED = positive('seed', randomBytes(4).readUInt32BE(0));
const USE_PG = flag('pg') || !!process.env.DATABASE_URL;

// ---------------------------------------------------------------- seeded randomness

let state = SEED >>> 0 || 1;
/** mulberry32: small, fast and reproducible. */
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const chance = (p: number) => random() < p;
const int = (n: number) => Math.floor(random() * n);
function pick<T>(items: readonly T[]): T {
  return items[int(items.length)] as T;
}

// ---------------------------------------------------------------- hostile values

/**
 * Reflection markers: what an answer must never turn into markup. Escaped (`&lt;besa-x9f2&gt;`) or
 * inside a quoted attribute value whose quote is escaped (`value="&#34;'><svg onload=besa9f2>"`)
 * they are text, and fine; `reflectionIn` reads the answer's tags as a browser or an XML parser
 * would and finds a `<besa-x9f2>` element, an `onload=besa9f2` attribute or a `javascript:` link to it.
 */
const MARKERS = ['<besa-x9f2>', '"\'><svg onload=besa9f2>', "'><besa-x9f2 a='", '</textarea><besa-x9f2>', ']]><besa-x9f2>', '--><besa-x9f2>', '</title></script><besa-x9f2>'];
const MARKERS_ENCODED = MARKERS.map(encodeURIComponent);
/** Text as a form or a query string receives it: already percent-encoded, some deliberately broken. */
const HOSTILE_ENCODED = [...MARKERS_ENCODED, ...MARKERS_ENCODED,
  '%00', 'a%00b', '%00%00%00', '%ED%A0%80', 'x%ED%B0%80y', '%F0%90%80', '%FF%FE', '%C0%AF', '%', '%zz', '%E2%80%A8', '%C2%85',
  '%01%02%03%04%05%06%07%08%0B%0C%0E%0F%10%1F%7F', '%0D%0ASet-Cookie:%20x=1', '%09tab', '%1B[31m',
  encodeURIComponent('<script>alert(1)</script>'), encodeURIComponent('"\'><img src=x onerror=alert(1)>'), encodeURIComponent("' OR 1=1 --"),
  encodeURIComponent('Robert\'); DROP TABLE users;--'), encodeURIComponent('ë ç Ђ ж 𝔸 🙂'), '-1', '0', '99999999999999999999', '1e308', 'NaN', 'null', '[]', '{}',
  'a'.repeat(5000), encodeURIComponent('ж'.repeat(3000)), '', '%20', encodeURIComponent('../../etc/passwd'),
];
/** Text for multipart fields and raw bodies: lone surrogates become U+FFFD on the way, so raw bytes too. */
const HOSTILE_RAW: Buffer[] = [
  Buffer.from('a\u0000b'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('\u0001\u0002\u0007\u001b\u007f'),
  Buffer.from('\r\nX-Injected: 1'), Buffer.from('<script>alert(1)</script>'), Buffer.from('x'.repeat(120_000)), Buffer.from(''),
  ...MARKERS.map((m) => Buffer.from(m)), Buffer.from([0x3c, 0x62, 0xff, 0xc3, 0x28, 0x3e]),
];
const HOSTILE_NEXT = [
  '//evil.example', '/\\evil.example', 'https://evil.example/', 'http:evil.example', '/%2F%2Fevil.example', '/%5Cevil.example', 'javascript:alert(1)',
  '/en/admin%0D%0ALocation:%20https://evil.example', '/en/admin%00', '%00', '/en/%ED%A0%80', '/%09/evil.example', '/en/admin?x=%0A', '\\\\evil.example',
  '/' + 'a'.repeat(3000), '%E2%80%AE', '/en/../../admin', '/en/admin/%2e%2e/%2e%2e/', 'data:text/html,x', '%1F%7F', '/xx/admin', '',
  ...MARKERS_ENCODED.map((m) => `/en/${m}`), `javascript:${MARKERS_ENCODED[1]}`, '/%C0%AE%C0%AE/%C0%AFevil.example',
];
const JUNK_SEGMENTS = [...MARKERS_ENCODED, '%C0%AE%C0%AE', '%E0%80%AF', '%F0%80%80%AF', '%C0%BCbesa-x9f2%C0%BE', '%00', 'a%00', '%ED%A0%80', '%FF', '%', '%2F', '..', '%2e%2e', '-1', '0', '99999999999999999999', '1.5', 'NaN', 'a'.repeat(300), '%0A', '%7F', encodeURIComponent('ж🙂'), '%3Cx%3E', 'null'];
const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
/** Invalid UTF-8 as raw bytes, written as the latin1 characters Node puts on the wire one byte each. */
const RAW_BYTES = ['\xff\xfe', '\xc3\x28', '\xed\xa0\x80', '\xc0\xaf', '\xf8\x88\x80\x80\x80', '\x80', 'a\xe2\x82', '\xc0\xbcbesa-x9f2\xc0\xbe'];
/** Overlong and otherwise invalid percent-encoded UTF-8 (an overlong `.`, `/`, `<`, a 5-byte form, a lone continuation byte). */
const OVERLONG = ['%C0%AE%C0%AE%C0%AF', '%E0%80%AF', '%F0%80%80%AF', '%C1%BF', '%C0%BCbesa-x9f2%C0%BE', '%F8%88%80%80%80', '%80', '%E2%82'];
/** Hostile file names and content types of an upload of otherwise valid shape. */
const FILE_NAMES = ['a.pdf', 'b.png', '', '..%2F..%2Fx', '../../etc/passwd', 'x\u0000.pdf', 'ж.pdf', 'a'.repeat(400), '<besa-x9f2>.pdf', '"\'><svg onload=besa9f2>.png', 'a.pdf\u202Egnp.exe', 'CON', '.htaccess', 'x.svg', 'x.pdf.html', '\\server\\share.pdf'];
const FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/html', '', 'image/svg+xml', 'application/x-msdownload', 'text/html; charset=utf-7', 'multipart/mixed; boundary=x', '"', 'application/pdf\u0000', 'image/png; name="<besa-x9f2>"'];
/** File contents: real magic numbers with junk after, an SVG and an HTML page with script, nothing. */
const FILE_HEADS = [Buffer.from('%PDF-1.4\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><besa-x9f2/></svg>'), Buffer.from('<!doctype html><script>alert(1)</script>'), Buffer.alloc(0)];
/** BESA_METRICS_TOKEN of the fuzzed app: /metrics is a route like any other. */
const METRICS_TOKEN = `fuzz-metrics-${randomBytes(12).toString('hex')}`;

// ---------------------------------------------------------------- the database

interface Fixture {
  database: DatabaseHandle;
  drop: () => Promise<void>;
}

async function openFreshDatabase(): Promise<Fixture> {
  if (!USE_PG) {
    const dir = mkdtempSync(join(tmpdir(), 'besa-fuzz-'));
    const database = openDatabase({ sqlitePath: join(dir, 'fuzz.sqlite') });
    await migrateToLatest(database.db, database.dialect);
    return { database, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `besa_fuzz_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await migrateToLatest(database.db, database.dialect);
  return {
    database,
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

// ---------------------------------------------------------------- HTTP on loopback

interface Sent {
  status: number | 'lost' | 'aborted';
  body: string;
  setCookies: string[];
  contentType?: string;
}

let port = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One request on a kept-alive connection. When the server had closed a reused connection just as
 * it was reused (it may after an answer that left a body unread), the request is sent once more on
 * a new one, as Node's documentation advises: only a request that gets no answer twice is lost.
 */
function send(method: string, path: string, headers: Record<string, string>, body?: Buffer, retry = true): Promise<Sent> {
  return new Promise((resolve) => {
    let request: http.ClientRequest;
    try {
      request = http.request({ host: '127.0.0.1', port, method, path, headers: body ? { 'content-length': String(body.length), ...headers } : headers, agent, timeout: 20_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), setCookies: response.headers['set-cookie'] ?? [], contentType: response.headers['content-type'] ?? '' }));
        response.on('error', () => resolve({ status: 'lost', body: '', setCookies: [] }));
      });
    } catch {
      // The client library refused the request itself (a character it will not put on the wire).
      resolve({ status: 'aborted', body: '', setCookies: [] });
      return;
    }
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }) => {
      // Node's own answer to an oversized head (431) trips up the client's parser on a HEAD request.
      const answered = /^HTTP\/1\.1 (\d{3}) /.exec(error.rawPacket?.toString('latin1') ?? '')?.[1];
      if (answered) resolve({ status: Number(answered), body: '', setCookies: [] });
      else if (retry && request.reusedSocket && error.code === 'ECONNRESET') resolve(send(method, path, headers, body, false));
      else {
        if (process.env.FUZZ_DEBUG) console.error('lost', method, path.slice(0, 100), error);
        resolve({ status: 'lost', body: '', setCookies: [] });
      }
    });
    request.end(body);
  });
}

/** A request whose head promises more body than is ever sent; the connection is closed after a moment. */
function sendTruncated(method: string, path: string, headers: Record<string, string>, declared: number, body: Buffer): Promise<Sent> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const finish = () => {
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve({ status: status ? Number(status) : 'aborted', body: '', setCookies: [] });
    };
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
      if (answer.includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('connect', () => {
      const head = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', `content-length: ${declared}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
      setTimeout(finish, 150);
    });
  });
}

// ---------------------------------------------------------------- clients, forms and routes

interface Client {
  who: Person | 'anonymous';
  cookies: Map<string, string>;
  /** The person's API token (/api/v1). */
  bearer?: string;
}

function cookieHeader(client: Client): string {
  return [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

function remember(client: Client, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    // Keep the session: a form that signs out must not turn the rest of the run anonymous.
    if (name === 'besa_session' && client.who !== 'anonymous') continue;
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) client.cookies.delete(name);
    else client.cookies.set(name, value);
  }
}

interface Form {
  page: string;
  action: string;
  method: string;
  multipart: boolean;
  fields: Array<{ name: string; value: string; type: string; required: boolean }>;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos' || lower === '#39') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}(?:="([^"]*)"|='([^']*)'|=([^\\s>]+))?`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

/** Every form of a page with its fields (inputs, text areas, selects), values as rendered. */
function formsOf(page: string, html: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = match[1] ?? '';
    const inner = match[2] ?? '';
    const fields: Form['fields'] = [];
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name');
      if (!name) continue;
      const type = (attribute(input[0], 'type') ?? 'text').toLowerCase();
      // Every checkbox ticked; of a radio group the checked button, else its first (no randomness here: pages are read concurrently).
      if (type === 'radio') {
        const earlier = fields.findIndex((f) => f.name === name);
        if (earlier >= 0 && attribute(input[0], 'checked') === undefined) continue;
        if (earlier >= 0) fields.splice(earlier, 1);
      }
      fields.push({ name, value: attribute(input[0], 'value') ?? (type === 'checkbox' ? 'on' : ''), type, required: attribute(input[0], 'required') !== undefined });
    }
    for (const area of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attribute(area[1] ?? '', 'name');
      if (name) fields.push({ name, value: decodeEntities(area[2] ?? ''), type: 'textarea', required: attribute(area[1] ?? '', 'required') !== undefined });
    }
    for (const select of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attribute(select[1] ?? '', 'name');
      const options = [...(select[2] ?? '').matchAll(/<option\b([^>]*)>/gi)].map((o) => ({ value: attribute(o[1] ?? '', 'value') ?? '', selected: attribute(o[1] ?? '', 'selected') !== undefined }));
      const chosen = options.find((o) => o.selected) ?? options.find((o) => o.value !== '') ?? options[0];
      if (name) fields.push({ name, value: chosen?.value ?? '', type: 'select', required: false });
    }
    forms.push({
      page,
      action: attribute(tag, 'action') || page,
      method: (attribute(tag, 'method') ?? 'get').toUpperCase(),
      multipart: /multipart\/form-data/i.test(attribute(tag, 'enctype') ?? ''),
      fields,
    });
  }
  return forms;
}

/** "METHOD /path/:param" of every route, from app.printRoutes({ commonPrefix: false }). */
function routesOf(tree: string): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line.trimEnd());
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    // `/:slug|:jurisdiction`: two routes share a node under different parameter names.
    const segment = (match[2] ?? '').replace(/(:[A-Za-z]+)(\|:[A-Za-z]+)+/g, '$1');
    const path = (stack[depth - 1] ?? '') + segment;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) out.push({ method, path: path.startsWith('/') ? path : `/${path}` });
  }
  return out;
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  const started = Date.now();
  const { database, drop } = await openFreshDatabase();
  const { db } = database;
  const people = await insertPeopleFixture(db);
  const invitation = await inviteUser(db, actorWith('administrator', { userId: people.userIds.admin }), { email: 'fuzz.invited@example.org', role: 'coordinator', jurisdictionId: people.gjakovaId, institutionId: null }, { publicUrl: '', locale: 'en' });
  await requestPasswordReset(db, 'coordinator@example.org', { publicUrl: '', locale: 'en' });
  const resetMail = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'coordinator@example.org').orderBy('id', 'desc').executeTakeFirst();
  const resetPath = /(\/en\/password-reset\/[A-Za-z0-9_-]+)/.exec(resetMail?.text_body ?? '')?.[1];
  // An API token for each person (/api/v1 answers some of their requests with it).
  const bearers = new Map<Person, string>();
  for (const who of PEOPLE) {
    const actor = actorFor({ id: people.userIds[who], roles: await findUserRoles(db, people.userIds[who]) });
    bearers.set(who, (await createApiToken(db, actor, { name: `Fuzz ${who}` })).token);
  }

  const mailDir = mkdtempSync(join(tmpdir(), 'besa-fuzz-mail-'));
  /**
   * What the app logged at error level, in order: the first line of each error. Requests are sent
   * one at a time, so the lines written during a request are that request's.
   */
  const errors: string[] = [];
  const logStream = {
    write(line: string) {
      try {
        const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string; type?: string } };
        if (entry.level < 50) return;
        if (entry.err) errors.push(`${entry.err.type ?? 'Error'}: ${(entry.err.message ?? '').split('\n')[0]}`);
        else if (entry.msg && entry.msg !== 'request') errors.push(entry.msg.split('\n')[0] ?? '');
      } catch {
        errors.push(line.split('\n')[0] ?? '');
      }
    },
  };
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'error', BESA_MAIL_TRANSPORT: 'file', BESA_MAIL_DIR: mailDir, HOST: '127.0.0.1', PORT: '0', BESA_METRICS_TOKEN: METRICS_TOKEN } as NodeJS.ProcessEnv);
  const app = await buildApp({ config, database, logStream });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;

  // Values for route parameters, read from the database.
  const column = async (table: string, name: string): Promise<string[]> =>
    ((await db.selectFrom(table as never).select(name as never).execute()) as Array<Record<string, unknown>>).map((r) => String(r[name]));
  const values: Record<string, string[]> = {
    locale: ['sq', 'sr-Latn', 'sr-Cyrl', 'en', 'fr'],
    jurisdiction: await column('jurisdictions', 'slug'),
    institution: await column('institutions', 'slug'),
    plan: await column('action_plans', 'slug'),
    code: await column('commitments', 'code'),
    milestoneCode: await column('milestones', 'code'),
    number: ['1', '2', '3'],
    kind: ['jurisdiction', 'institution', 'plan', 'commitment', 'milestone'],
    id: [...(await column('users', 'id')), String(people.failedMailId), ...(await column('commitments', 'id')).slice(0, 5)],
    token: [invitation.path.split('/').pop() ?? 'x', resetPath?.split('/').pop() ?? 'x', 'not-a-token'],
    filename: ['evidence.pdf', 'x.png'],
  };
  values.slug = values.jurisdiction ?? [];
  const routes = routesOf(app.printRoutes({ commonPrefix: false })).filter((r) => r.path !== '/*');
  /** The route pattern a concrete path belongs to (for the report), e.g. /en/invitations/abc → /:locale/invitations/:token. */
  const patterns = [...new Set(routes.map((r) => r.path))].map((p) => ({ p, segments: p.split('/') }));
  const patternOf = (url: string): string => {
    const actual = (url.split('?')[0] ?? '').replace(/\/+$/, '').split('/');
    let best: { p: string; statics: number } | undefined;
    for (const { p, segments } of patterns) {
      if (segments.length !== actual.length || !segments.every((s, i) => s.startsWith(':') || s === actual[i])) continue;
      const statics = segments.filter((s) => !s.startsWith(':')).length;
      if (!best || statics > best.statics) best = { p, statics };
    }
    return best?.p ?? url.split('?')[0] ?? url;
  };
  const fill = (path: string): string =>
    path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (chance(0.15)) return pick(JUNK_SEGMENTS);
      const pool = values[name];
      return pool && pool.length ? encodeURIComponent(pick(pool)) : pick(JUNK_SEGMENTS);
    }).replace(/\*$/, () => pick(['x', '%00', 'a/b']));

  const clients: Client[] = [{ who: 'anonymous', cookies: new Map() }, ...PEOPLE.map((who) => ({ who, cookies: new Map([['besa_session', people.sessions[who]]]), bearer: bearers.get(who) }))];
  /** Parameters filled with real values only (the route sweep reaches the handlers). */
  const fillReal = (path: string): string =>
    path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      const pool = values[name];
      return pool && pool.length ? encodeURIComponent(pick(pool)) : pick(JUNK_SEGMENTS);
    }).replace(/\*$/, () => 'x');
  /** The Authorization header of a request to /api/v1 or /metrics: mostly the visitor's own token, else a wrong, malformed or no token. */
  function authorization(client: Client, path: string, honest = 0.6): Record<string, string> {
    const own = path.startsWith('/metrics') ? METRICS_TOKEN : path.startsWith('/api/') ? client.bearer : undefined;
    if (!path.startsWith('/metrics') && !path.startsWith('/api/')) return {};
    if (own && chance(honest)) return { authorization: `Bearer ${own}` };
    const value = pick(['', 'Bearer', 'Bearer ', `Bearer ${API_TOKEN_PREFIX}${'A'.repeat(43)}`, `Bearer ${API_TOKEN_PREFIX}`, 'Basic YWRtaW46YWRtaW4=', `Bearer ${'x'.repeat(5000)}`, `bearer ${own ?? 'x'}`, `Bearer ${own ?? 'x'} extra`, 'Bearer \xff\xfe', `Bearer <besa-x9f2>`, `Bearer ${own ?? ''}\x00`]);
    return value ? { authorization: value } : {};
  }

  // Every form each person is shown on the pages they can open (GET routes without a junk parameter).
  const forms = new Map<Client, Form[]>();
  const csrf = new Map<Client, string>();
  const pagesToVisit = new Set<string>();
  // Each admin page with the first value of each parameter; a few commitments and cycles more, so a
  // commitment holder's progress update form (multipart) is found in a state they may still edit.
  for (const r of routes) {
    if (r.method !== 'GET' || !r.path.startsWith('/:locale/admin')) continue;
    for (const code of (values.code ?? []).slice(0, r.path.includes(':code') ? 3 : 1)) {
      for (const number of (values.number ?? []).slice(0, r.path.includes(':number') ? 2 : 1)) {
        const chosen: Record<string, string> = { code, number };
        pagesToVisit.add(r.path.replace(/:([A-Za-z]+)/g, (_, name: string) => chosen[name] ?? values[name]?.[0] ?? 'x').replace(/^\/[^/]+/, '/en'));
      }
    }
  }
  await Promise.all(
    clients.map(async (client) => {
      const found: Form[] = [];
      const pages = ['/en/login', '/en/password-reset', '/en/search', invitation.path, ...(resetPath ? [resetPath] : []), ...(client.who === 'anonymous' ? [] : pagesToVisit)];
      for (const page of pages) {
        const answer = await send('GET', page, { cookie: cookieHeader(client) });
        remember(client, answer.setCookies);
        if (answer.status !== 200) continue;
        for (const form of formsOf(page, answer.body)) {
          found.push(form);
          const token = form.fields.find((f) => f.name === '_csrf')?.value;
          if (token) csrf.set(client, token);
        }
      }
      // A form that ends the person's own access would leave the rest of the run anonymous.
      forms.set(client, found.filter((f) => !/\/(logout|sign-out-everywhere|remove)$/.test(f.action) || client.who === 'anonymous'));
    }),
  );
  const formCount = [...forms.values()].reduce((n, f) => n + f.length, 0);
  console.log(`fuzz: ${USE_PG ? 'PostgreSQL' : 'SQLite'}, seed ${SEED}, ${routes.length} routes, ${formCount} forms for ${clients.length} kinds of visitor, ready in ${((Date.now() - started) / 1000).toFixed(1)} s; up to ${REQUESTS} requests until ${SECONDS} s`);

  const byStatus = new Map<string, number>();
  const byKind = new Map<string, number>();
  let reflections = 0;
  const failures = new Map<string, { count: number; example: string; error: string }>();
  let passed = 0;
  let failed = 0;

  function urlencoded(fields: Array<[string, string]>): Buffer {
    return Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));
  }
  function hostileEncoded(original: string): string {
    if (chance(0.25)) return encodeURIComponent(original) + pick(HOSTILE_ENCODED);
    return pick(HOSTILE_ENCODED);
  }
  function multipartBody(fields: Array<[string, Buffer]>, files: number, boundary: string, fileField?: string): Buffer {
    const parts: Buffer[] = [];
    for (const [name, value] of fields) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n`), value, Buffer.from('\r\n'));
    for (let i = 0; i < files; i++) {
      const filename = pick(FILE_NAMES);
      const field = fileField ?? pick(['files', 'file', 'evidence', 'emblem', 'x']);
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${filename}"\r\ncontent-type: ${pick(FILE_TYPES)}\r\n\r\n`), pick(FILE_HEADS), Buffer.from(Array.from({ length: int(2000) }, () => int(256))), Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return Buffer.concat(parts);
  }

  const BROKEN = ['no boundary', 'truncated', 'huge length', 'many files', 'bad boundary', 'empty'] as const;
  /** A multipart body broken one way, to a form's address, with the visitor's session and a valid CSRF token. */
  async function brokenMultipart(client: Client, form: Form, variant: (typeof BROKEN)[number]): Promise<{ label: string; method: string; url: string; answer: Sent }> {
    const headers: Record<string, string> = { cookie: cookieHeader(client) };
    const boundary = `----fuzz${int(1e9)}`;
    const fields: Array<[string, Buffer]> = [['_csrf', Buffer.from(csrf.get(client) ?? 'x')], ...form.fields.filter((f) => f.name !== '_csrf').slice(0, 5).map((f): [string, Buffer] => [f.name, pick(HOSTILE_RAW)])];
    const whole = multipartBody(fields, int(3), boundary);
    const label = `POST ${patternOf(form.action)} (multipart: ${variant})`;
    tag = 'broken multipart';
    const at = { label, method: 'POST', url: form.action };
    headers['content-type'] = variant === 'no boundary' ? 'multipart/form-data' : `multipart/form-data; boundary=${variant === 'bad boundary' ? '"' : boundary}`;
    if (variant === 'huge length') return { ...at, answer: await sendTruncated('POST', form.action, headers, 10_000_000_000, whole.subarray(0, 200)) };
    if (variant === 'truncated') return { ...at, answer: await send('POST', form.action, headers, whole.subarray(0, int(whole.length))) };
    if (variant === 'many files') return { ...at, answer: await send('POST', form.action, headers, multipartBody(fields, 40 + int(40), boundary)) };
    if (variant === 'empty') return { ...at, answer: await send('POST', form.action, headers, Buffer.alloc(0)) };
    return { ...at, answer: await send('POST', form.action, headers, whole) };
  }

  /** The kind of the request being sent (requests go one at a time), for the counts by kind. */
  let tag = '';

  /** Broken encodings of a route's path, query or body, or of a form's body. */
  const ENCODINGS = ['raw bytes in path', 'raw bytes in query', 'overlong percent-encoding', 'raw bytes in body', 'wrong charset', 'broken gzip', 'json with invalid UTF-8'] as const;
  async function brokenEncoding(client: Client): Promise<{ label: string; method: string; url: string; answer: Sent }> {
    const variant = pick(ENCODINGS);
    tag = `encoding: ${variant}`;
    const headers: Record<string, string> = { cookie: cookieHeader(client) };
    const token = csrf.get(client) ?? 'x';
    const postForms = (forms.get(client) ?? []).filter((f) => f.method === 'POST' && !f.multipart);
    const route = pick(routes);
    if (variant === 'raw bytes in path' || variant === 'raw bytes in query' || variant === 'overlong percent-encoding') {
      let url = fillReal(route.path);
      const junk = variant === 'overlong percent-encoding' ? pick(OVERLONG) : pick(RAW_BYTES);
      if (variant === 'raw bytes in query') url += `?${pick(['q', 'next', 'page', 'cursor', 'limit', 'x'])}=${junk}`;
      else {
        const segments = url.split('/');
        const at = 1 + int(Math.max(1, segments.length - 1));
        segments[at] = chance(0.5) ? junk : `${segments[at] ?? ''}${junk}`;
        url = segments.join('/');
      }
      const method = route.method === 'HEAD' ? 'GET' : route.method;
      return { label: `${method} ${route.path} (${variant})`, method, url, answer: await send(method, url, { ...headers, ...authorization(client, route.path) }) };
    }
    // A body: to a form the visitor is shown (with its CSRF token), else to a POST route.
    const form = postForms.length > 0 && chance(0.7) ? pick(postForms) : undefined;
    const postRoutes = routes.filter((r) => r.method === 'POST');
    const target = form ? { url: form.action, pattern: patternOf(form.action) } : (() => { const r = pick(postRoutes); return { url: fillReal(r.path), pattern: r.path }; })();
    Object.assign(headers, authorization(client, target.pattern));
    const fields: Array<[string, string]> = form ? form.fields.map((f) => [f.name, f.name === '_csrf' ? encodeURIComponent(f.value) : encodeURIComponent(filler(f))]) : [['_csrf', token], ['title', 'x']];
    const plain = urlencoded(fields).toString();
    let body: Buffer;
    if (variant === 'raw bytes in body') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = Buffer.from(`${plain}&${pick(['title', 'name', 'body', 'q'])}=${pick(RAW_BYTES)}`, 'latin1');
    } else if (variant === 'wrong charset') {
      const charset = pick(['utf-16le', 'utf-16', 'utf-32', 'klingon', 'iso-8859-1', 'utf-7', '"', 'utf-8; charset=latin1']);
      headers['content-type'] = pick([`application/x-www-form-urlencoded; charset=${charset}`, `application/json; charset=${charset}`, `text/plain; charset=${charset}`, `multipart/form-data; charset=${charset}`]);
      body = charset.startsWith('utf-16') ? Buffer.from(plain, 'utf16le') : Buffer.from(`${plain}&title=${MARKERS_ENCODED[0]}\u00e9\u0416`, 'utf8');
    } else if (variant === 'broken gzip') {
      headers['content-type'] = pick(['application/x-www-form-urlencoded', 'application/json']);
      headers['content-encoding'] = pick(['gzip', 'gzip', 'deflate', 'br', 'gzip, gzip', 'x-unknown', 'identity, gzip']);
      const zipped = gzipSync(Buffer.from(headers['content-type'] === 'application/json' ? JSON.stringify(Object.fromEntries(fields)) : plain));
      body = pick([zipped.subarray(0, Math.max(1, int(zipped.length))), Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256))), Buffer.concat([zipped.subarray(0, 10), Buffer.alloc(50, 0xff)]), zipped]);
    } else {
      headers['content-type'] = 'application/json';
      body = Buffer.concat([Buffer.from('{"_csrf":"'), Buffer.from(token), Buffer.from('","title":"'), Buffer.from(pick(RAW_BYTES), 'latin1'), Buffer.from('","name":"\\ud800<besa-x9f2>"}')]);
    }
    return { label: `POST ${target.pattern} (${variant})`, method: 'POST', url: target.url, answer: await send('POST', target.url, headers, body) };
  }

  /** One request of a random kind; returns what to call it in the report. */
  async function one(): Promise<{ label: string; method: string; url: string; answer: Sent }> {
    const client = pick(clients);
    const token = csrf.get(client);
    const headers: Record<string, string> = { cookie: cookieHeader(client) };
    const kind = random();
    const clientForms = forms.get(client) ?? [];

    if (kind >= 0.78) return brokenEncoding(client);

    if (kind < 0.3 || clientForms.length === 0) {
      // Any route, any method, real or junk parameters, a hostile query string now and then.
      tag = 'route';
      const route = pick(routes);
      Object.assign(headers, authorization(client, route.path));
      const method = chance(0.7) ? route.method : pick(METHODS);
      let url = fill(route.path);
      if (chance(0.3)) url += `?${pick(['next', 'q', 'content', 'page', 'jurisdiction', 'x'])}=${pick([...HOSTILE_ENCODED, ...HOSTILE_NEXT])}`;
      let body: Buffer | undefined;
      if (method === 'POST' || method === 'PUT' || method === 'PATCH' || chance(0.05)) {
        headers['content-type'] = pick(['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded; charset=latin1']);
        body = headers['content-type'].startsWith('application/json') ? Buffer.from(pick(['{', '{"_csrf":null}', '[]', 'null', '"\\u0000"'])) : urlencoded([['_csrf', token && chance(0.7) ? token : 'x'], [pick(['title', 'name', 'email', 'next', 'q']), pick(HOSTILE_ENCODED)]]);
      }
      return { label: `${method} ${route.path}`, method, url, answer: await send(method, url, headers, body) };
    }

    if (kind < 0.6) {
      // A form of a page the person can open, its text fields hostile, with a valid CSRF token.
      tag = 'form';
      const form = pick(clientForms);
      const method = form.method === 'POST' ? 'POST' : 'GET';
      const fields: Array<[string, string]> = form.fields.map((f) => [f.name, f.name === '_csrf' || f.type === 'hidden' && chance(0.7) ? encodeURIComponent(f.value) : chance(0.8) ? hostileEncoded(f.value) : encodeURIComponent(f.value)]);
      if (method === 'GET') {
        const url = `${form.action}${form.action.includes('?') ? '&' : '?'}${urlencoded(fields).toString()}`;
        return { label: `GET ${patternOf(form.action)} (form)`, method, url, answer: await send('GET', url, headers) };
      }
      if (form.multipart) {
        // Half the time an upload of valid shape (the fields filled as a person would, a marker now
        // and then) whose files have hostile names, types and contents; else hostile fields.
        tag = 'upload';
        const boundary = `----fuzz${int(1e9)}`;
        const valid = chance(0.5);
        const fileFields = form.fields.filter((f) => f.type === 'file');
        const raw: Array<[string, Buffer]> = form.fields
          .filter((f) => f.type !== 'file')
          .map((f) => [f.name, f.name === '_csrf' || f.type === 'hidden' ? Buffer.from(f.value) : valid ? Buffer.from(filler(f) + (TEXT_TYPES.has(f.type) && chance(0.3) ? pick(MARKERS) : '')) : chance(0.7) ? pick(HOSTILE_RAW) : Buffer.from(f.value)]);
        headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
        const body = multipartBody(raw, valid ? 1 + int(3) : int(3), boundary, fileFields.length > 0 ? pick(fileFields).name : undefined);
        return { label: `POST ${patternOf(form.action)} (${valid ? 'upload, hostile files' : 'multipart form'})`, method, url: form.action, answer: await send('POST', form.action, headers, body) };
      }
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return { label: `POST ${patternOf(form.action)} (form)`, method, url: form.action, answer: await send('POST', form.action, headers, urlencoded(fields)) };
    }

    if (kind < 0.7) {
      // Broken multipart to a form's address (a multipart one when there is one).
      tag = 'broken multipart';
      const form = clientForms.find((f) => f.multipart && chance(0.7)) ?? pick(clientForms);
      return brokenMultipart(client, form, pick(BROKEN));
    }

    // Hostile `next`: on the sign-in form (with real credentials now and then) and behind the admin guard.
    tag = 'next';
    const next = pick(HOSTILE_NEXT);
    if (chance(0.5) && token) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const email = chance(0.5) ? `${pick(PEOPLE).toLowerCase()}@example.org` : pick(HOSTILE_ENCODED);
      const body = urlencoded([['_csrf', token], ['email', encodeURIComponent(email)], ['password', encodeURIComponent(chance(0.5) ? 'correct horse battery staple' : 'wrong')], ['next', next]]);
      // Each sign-in from the same address counts against the throttle: spread them like real visitors would not.
      return { label: 'POST /:locale/login (next)', method: 'POST', url: '/en/login', answer: await send('POST', `/${pick(values.locale ?? ['en'])}/login`, headers, body) };
    }
    const url = chance(0.5) ? `/en/login?next=${next}` : `/${pick(values.locale ?? ['en'])}/admin/${pick(['', 'users', 'x%00', '%ED%A0%80', 'reporting'])}?next=${next}`;
    return { label: `GET ${url.startsWith('/en/login') ? '/:locale/login' : '/:locale/admin/…'} (next)`, method: 'GET', url, answer: await send('GET', url, { cookie: cookieHeader(client) }) };
  }

  /**
   * First a sweep: every form of every visitor once per hostile character, appended to each text
   * field's own value (or to a filler), so the rest of the form stays valid and reaches the command.
   */
  const SWEEP: Array<[string, string, Buffer]> = [
    ['NUL', '%00', Buffer.from([0])],
    ['lone surrogate', '%ED%A0%80', Buffer.from([0xed, 0xa0, 0x80])],
    ['control characters', '%01%08%0B%1B%7F%C2%85', Buffer.from('\u0001\u0008\u000b\u001b\u007f\u0085')],
  ];
  const TEXT_TYPES = new Set(['text', 'textarea', 'email', 'url', 'search', 'password', 'tel', 'number', 'date']);
  /** Fields whose value has a shape (an address, a date, a slug …): a character added to them fails validation first. */
  const SHAPED = /slug|code|email|mail|url|website|link|password|date|_on$|period|position|groups|meetings|count|year|month|number|weight|country|lang|locale|_csrf/i;
  let serial = 0;
  /** A valid value for an empty field, by its name and type. */
  function filler(f: Form['fields'][number]): string {
    if (f.value) return f.value;
    if (f.type === 'number' || /position/i.test(f.name)) return '1';
    if (!f.required && SHAPED.test(f.name)) return f.value;
    serial++;
    if (f.type === 'password' || /password/i.test(f.name)) return 'correct horse battery staple';
    if (f.type === 'email' || /email/i.test(f.name)) return `fuzz${serial}@example.org`;
    if (f.type === 'url' || /url|website|link/i.test(f.name)) return 'https://example.org/';
    if (f.type === 'number' || /weight|number/i.test(f.name)) return '1';
    if (f.type === 'date' || /date/i.test(f.name)) return '2025-06-01';
    if (/country/i.test(f.name)) return 'XK';
    if (/slug/i.test(f.name)) return `fuzz-${serial}`;
    if (/code/i.test(f.name)) return `XKFZ${String(serial).padStart(4, '0')}`;
    return `Fuzz ${serial}`;
  }
  const sweep: Array<() => Promise<{ label: string; method: string; url: string; answer: Sent }>> = [];

  // Every route as every kind of visitor: real parameters, markers in the query string and the body,
  // the visitor's CSRF token (a wrong one where a valid token would end the visitor's access) and,
  // for /api/v1 and /metrics, the visitor's own token or a wrong one.
  // In rounds: in the first each route once, the visitor turning; the other visitors after the form
  // sweep (a short pass, as in CI, may end before them).
  const ENDS_ACCESS = /\/(logout|sign-out-everywhere|remove|revoke|disable|delete)$|\/sessions|\/api-tokens\/:id/;
  const routeRounds: Array<typeof sweep> = clients.map(() => []);
  for (const [r, route] of routes.entries()) {
    for (const [c, client] of clients.entries()) {
      routeRounds[(c + r) % clients.length]!.push(async () => {
        tag = 'route sweep';
        const headers: Record<string, string> = { cookie: cookieHeader(client), ...authorization(client, route.path, 0.7) };
        const marker = () => pick(MARKERS_ENCODED);
        const url = `${fillReal(route.path)}?q=${marker()}&next=${marker()}&page=${marker()}&limit=${marker()}`;
        let body: Buffer | undefined;
        if (!['GET', 'HEAD', 'OPTIONS'].includes(route.method)) {
          const token = !ENDS_ACCESS.test(route.path) ? csrf.get(client) ?? 'x' : 'x';
          if (route.path.startsWith('/api/')) {
            headers['content-type'] = 'application/json';
            body = Buffer.from(JSON.stringify({ title: pick(MARKERS), body: pick(MARKERS), status: pick(MARKERS), progress: pick(MARKERS) }));
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = urlencoded([['_csrf', encodeURIComponent(token)], ...['title', 'name', 'body', 'q', 'next', 'content', 'reason', 'slug', 'email'].map((k): [string, string] => [k, marker()])]);
          }
        }
        return { label: `${route.method} ${route.path}`, method: route.method, url, answer: await send(route.method, url, headers, body) };
      });
    }
  }
  // Each form address once, as the first visitor who is shown it (the instance administrator first).
  const swept = new Set<string>();
  for (const client of [...clients].sort((a, b) => Number(b.who === 'admin') - Number(a.who === 'admin'))) {
    for (const form of forms.get(client) ?? []) {
      const key = `${form.method} ${patternOf(form.action)} ${form.multipart}`;
      if (swept.has(key)) continue;
      swept.add(key);
      for (const [name, encoded, raw] of SWEEP) {
        // Once in the free-text fields only (the form otherwise valid, so it reaches the command), once in every text field.
        for (const everywhere of [false, true]) {
          sweep.push(async () => {
            tag = 'form sweep';
            const headers: Record<string, string> = { cookie: cookieHeader(client) };
            const label = `${form.method === 'POST' ? 'POST' : 'GET'} ${patternOf(form.action)} (${name} in ${everywhere ? 'every text field' : 'the free-text fields'})`;
            const hostile = (f: Form['fields'][number]) => TEXT_TYPES.has(f.type) && f.name !== '_csrf' && (everywhere || !SHAPED.test(f.name));
            const value = (f: Form['fields'][number]) => (f.type === 'hidden' || f.name === '_csrf' ? f.value : filler(f));
            if (form.method !== 'POST') {
              const query = urlencoded(form.fields.map((f) => [f.name, encodeURIComponent(value(f)) + (hostile(f) ? encoded : '')])).toString();
              const url = `${form.action}${form.action.includes('?') ? '&' : '?'}${query}`;
              return { label, method: 'GET', url, answer: await send('GET', url, headers) };
            }
            if (form.multipart) {
              const boundary = `----fuzz${int(1e9)}`;
              headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
              const fields: Array<[string, Buffer]> = form.fields.map((f) => [f.name, hostile(f) ? Buffer.concat([Buffer.from(value(f)), raw]) : Buffer.from(value(f))]);
              return { label, method: 'POST', url: form.action, answer: await send('POST', form.action, headers, multipartBody(fields, 0, boundary)) };
            }
            headers['content-type'] = 'application/x-www-form-urlencoded';
            const body = urlencoded(form.fields.map((f) => [f.name, encodeURIComponent(value(f)) + (hostile(f) ? encoded : '')]));
            return { label, method: 'POST', url: form.action, answer: await send('POST', form.action, headers, body) };
          });
        }
      }
    }
  }

  // Then every way of breaking multipart, to each multipart form and to one ordinary form.
  const brokenTargets = new Map<string, { client: Client; form: Form }>();
  for (const client of clients) {
    for (const form of forms.get(client) ?? []) {
      const key = form.multipart ? `${patternOf(form.action)} multipart` : form.method === 'POST' && client.who === 'admin' && form.action.includes('/admin/') ? 'ordinary' : '';
      if (key && !brokenTargets.has(key)) brokenTargets.set(key, { client, form });
    }
  }
  for (const { client, form } of brokenTargets.values()) for (const variant of BROKEN) sweep.push(() => brokenMultipart(client, form, variant));

  sweep.unshift(...routeRounds[0]!);
  sweep.push(...routeRounds.slice(1).flat());

  const deadline = started + SECONDS * 1000;
  let sent = 0;
  while (sent < REQUESTS && Date.now() < deadline) {
    const before = errors.length;
    const { label, method, url, answer } = await (sweep[sent] ?? one)();
    if (process.env.FUZZ_DEBUG && sent < sweep.length) console.error(answer.status, label, answer.status === 422 ? [...answer.body.matchAll(/<a href="#([^"]+)">([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`).join(' | ') : '');
    sent++;
    const status = String(answer.status);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    byKind.set(tag, (byKind.get(tag) ?? 0) + 1);
    // A marker as sent, in an answer a browser renders as markup: a reflection.
    const reflected = reflectionIn(answer.body, answer.contentType ?? '');
    if (reflected) reflections++;
    const bad = answer.status === 'lost' || (typeof answer.status === 'number' && answer.status >= 500) || !!reflected;
    if (!bad) {
      passed++;
      continue;
    }
    failed++;
    const near = Math.max(answer.body.indexOf('besa-x9f2'), answer.body.indexOf('besa9f2'));
    const error = reflected
      ? `unescaped marker (${reflected}) in ${answer.contentType}: …${answer.body.slice(Math.max(0, near - 80), near + 40).replace(/\s+/g, ' ')}…`
      : answer.status === 'lost' ? 'the connection was lost without an answer' : errors[before] ?? '(no error logged)';
    const key = `${answer.status} ${label} — ${error}`;
    const seen = failures.get(key);
    if (seen) seen.count++;
    else failures.set(key, { count: 1, example: `${method} ${url.length > 160 ? `${url.slice(0, 160)}…` : url}`, error });
  }

  await app.close();
  agent.destroy();
  await database.destroy();
  await drop();
  rmSync(mailDir, { recursive: true, force: true });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: ${sent} requests in ${seconds} s (seed ${SEED}${USE_PG ? ', PostgreSQL' : ', SQLite'}); by status:`);
  for (const [status, count] of [...byStatus].sort()) console.log(`  ${status.padEnd(7)} ${count}`);
  console.log('fuzz: by kind:');
  for (const [kind, count] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${kind.padEnd(40)} ${count}`);
  const fivexx = [...byStatus].filter(([s]) => /^5/.test(s)).reduce((n, [, c]) => n + c, 0);
  console.log(`fuzz: every route as every kind of visitor: ${byKind.get('route sweep') ?? 0} of ${routes.length} routes × ${clients.length} visitors sent`);
  console.log(`fuzz: ${fivexx} × 5xx, ${byStatus.get('lost') ?? 0} lost connections, ${reflections} unescaped reflections`);
  if (failures.size > 0) {
    console.log('fuzz: failures (5xx, lost connections, reflections) by route and first error line:');
    for (const [key, f] of [...failures].sort((a, b) => b[1].count - a[1].count)) console.log(`  ${String(f.count).padStart(5)} × ${key}\n          e.g. ${f.example}`);
  }
  console.log(`fuzz: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { ForbiddenError, SYSTEM } from '../audit/index.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { insertSession } from '../accounts/repository.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { LOCALES } from '../../i18n/locales.js';
import { insertReportingFixture, TINY_PNG, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { BrandingInputError, checkColour, checkEmblem, contrastWithWhite, MAX_EMBLEM_BYTES, MAX_EMBLEM_PIXELS, updateJurisdictionBranding } from './branding.js';

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');

test('contrast with white text follows WCAG 2; a colour below 4.5:1 is refused, a malformed one too', () => {
  assert.equal(contrastWithWhite('#000000').toFixed(0), '21');
  assert.equal(contrastWithWhite('#ffffff').toFixed(0), '1');
  assert.equal(contrastWithWhite('#767676').toFixed(2), '4.54');
  assert.deepEqual(checkColour('#1D4F91'), { ok: true, colour: '#1d4f91' });
  assert.deepEqual(checkColour(''), { ok: true, colour: null });
  const yellow = checkColour('#ffcc00');
  assert.equal(yellow.ok, false);
  assert.equal(!yellow.ok && yellow.reason, 'contrast');
  assert.deepEqual(checkColour('blue'), { ok: false, reason: 'format' });
  assert.deepEqual(checkColour('#12345'), { ok: false, reason: 'format' });
  assert.deepEqual(checkColour('#1d4f91;} body{display:none'), { ok: false, reason: 'format' });
});

test('an emblem is a PNG, JPEG or WebP by its content: SVG, HTML, empty and oversized files are refused', async () => {
  assert.deepEqual(await checkEmblem(TINY_PNG), { ok: true, contentType: 'image/png' });
  assert.deepEqual(await checkEmblem(SVG), { ok: false, reason: 'type' });
  assert.deepEqual(await checkEmblem(HTML), { ok: false, reason: 'type' });
  assert.deepEqual(await checkEmblem(Buffer.alloc(0)), { ok: false, reason: 'empty' });
  assert.deepEqual(await checkEmblem(Buffer.concat([TINY_PNG, Buffer.alloc(MAX_EMBLEM_BYTES)])), { ok: false, reason: 'tooLarge' });
  assert.deepEqual(await checkEmblem(TINY_PNG, true), { ok: false, reason: 'tooLarge' });
});

/** TINY_PNG with its header changed to declare `width` × `height` pixels (a few bytes, any size claimed). */
function pngDeclaring(width: number, height: number): Buffer {
  const png = Buffer.from(TINY_PNG);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

test('an emblem declaring more than MAX_EMBLEM_PIXELS a side is refused, however few its bytes', async () => {
  assert.deepEqual(await checkEmblem(pngDeclaring(30_000, 30_000)), { ok: false, reason: 'dimensions' });
  assert.deepEqual(await checkEmblem(pngDeclaring(MAX_EMBLEM_PIXELS + 1, 10)), { ok: false, reason: 'dimensions' });
  assert.deepEqual(await checkEmblem(pngDeclaring(MAX_EMBLEM_PIXELS, MAX_EMBLEM_PIXELS)), { ok: true, contentType: 'image/png' });
});

function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer; type: string }) {
  const boundary = '----besa-branding-test';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="emblem"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.content, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

for (const dialect of DIALECTS) {
  test(`branding: command, form, header and files [${dialect}]`, async (t) => {
    const app: TestApp = await openTestApp(dialect, {}, { now: () => new Date('2024-06-01T10:00:00Z') });
    after(() => app.close());
    const { db } = app.database;
    const f: ReportingFixture = await insertReportingFixture(db);
    const counts = async () => {
      const row = await sql<{ audit: number; log: number; branding: number }>`select (select count(*) from audit_events) as audit, (select count(*) from transparency_entries) as log, (select count(*) from jurisdiction_branding) as branding`.execute(db);
      const r = row.rows[0]!;
      return { audit: Number(r.audit), log: Number(r.log), branding: Number(r.branding) };
    };

    await t.test('the command checks the role and the values itself; nothing is written when refused; recorded, not published', async () => {
      const start = await counts();
      await assert.rejects(updateJurisdictionBranding(db, f.actors.coordinator, { jurisdictionId: f.jurisdictionId, contentLocale: 'en', portalName: 'X', accentColor: null }), ForbiddenError);
      await assert.rejects(updateJurisdictionBranding(db, f.actors.admin, { jurisdictionId: f.jurisdictionId, contentLocale: 'en', portalName: 'X', accentColor: '#ffcc00' }), BrandingInputError);
      await assert.rejects(
        updateJurisdictionBranding(db, f.actors.admin, { jurisdictionId: f.jurisdictionId, contentLocale: 'en', portalName: 'X', accentColor: null, emblem: { content: SVG } }),
        (e: unknown) => e instanceof BrandingInputError && e.field === 'emblem' && e.reason === 'type',
      );
      assert.deepEqual(await counts(), start);
      await updateJurisdictionBranding(db, f.actors.admin, { jurisdictionId: f.jurisdictionId, contentLocale: 'en', portalName: 'Test Open Government', accentColor: '#1d4f91' });
      const end = await counts();
      assert.equal(end.branding, 1);
      assert.equal(end.audit, start.audit + 1);
      assert.equal(end.log, start.log, 'branding is presentation: not in the transparency log');
    });

    const session = await insertSession(db, f.users.admin);
    const coordinatorSession = await insertSession(db, f.users.coordinator);
    const url = '/en/admin/jurisdictions/gjakova/branding';
    async function form(): Promise<{ token: string; cookie: string }> {
      const page = await app.app.inject({ method: 'GET', url, cookies: { besa_session: session } });
      assert.equal(page.statusCode, 200);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return { token, cookie };
    }
    async function send(fields: Record<string, string>, file?: { name: string; content: Buffer; type: string }, who = session): Promise<LightMyRequestResponse> {
      const csrf = await form();
      const body = multipart({ _csrf: csrf.token, content_locale: 'en', ...fields }, file);
      return app.app.inject({ method: 'POST', url, ...body, cookies: { besa_session: who, _csrf: csrf.cookie } });
    }

    await t.test('the form refuses a pale colour and an SVG emblem, saying why and keeping what was typed', async () => {
      const pale = await send({ portal_name: 'Gjakova Open Government', accent_color: '#ffcc00' });
      assert.equal(pale.statusCode, 422);
      assert.match(pale.body, /White text on this colour has a contrast of only 1\.\d\d to 1/);
      assert.match(pale.body, /value="#ffcc00"/);
      assert.match(pale.body, /value="Gjakova Open Government"/);
      const svg = await send({ portal_name: 'Gjakova Open Government', accent_color: '#1d4f91' }, { name: 'emblem.png', content: SVG, type: 'image/png' });
      assert.equal(svg.statusCode, 422);
      assert.match(svg.body, /The emblem must be a PNG, JPEG or WebP image/);
      assert.match(svg.body, /value="#1d4f91"/);
      // A coordinator may not change the portal, and without the CSRF token nothing is read as a change.
      assert.equal((await send({ portal_name: 'Nope' }, undefined, coordinatorSession)).statusCode, 403);
      const noToken = await app.app.inject({ method: 'POST', url, ...multipart({ portal_name: 'Nope' }), cookies: { besa_session: session } });
      assert.equal(noToken.statusCode, 403);
      // The form and its refusal are valid HTML, the form in every language.
      assert.deepEqual(await htmlErrors(pale.body), []);
      for (const locale of LOCALES) {
        const page = await app.app.inject({ method: 'GET', url: url.replace('/en/', `/${locale}/`), cookies: { besa_session: session } });
        assert.equal(page.statusCode, 200, locale);
        assert.deepEqual(await htmlErrors(page.body), [], locale);
      }
    });

    let emblemUrl = '';
    await t.test('saved: the jurisdiction\'s pages carry the portal in the header and Besa in the footer; other pages keep Besa', async () => {
      const saved = await send({ portal_name: 'Test Open Government', accent_color: '#1D4F91' }, { name: 'logo.png', content: TINY_PNG, type: 'image/png' });
      assert.equal(saved.statusCode, 303);
      for (const path of ['/en/gjakova', '/en/gjakova/plans/2024-2025', '/en/gjakova/plans/2024-2025/timeline', '/en/gjakova/plans/2024-2025/commitments/XKGJA0001', '/en/gjakova/institutions/information-office']) {
        const page = await app.app.inject(path);
        assert.equal(page.statusCode, 200, path);
        assert.match(page.body, /<header class="site-header branded">/, path);
        assert.match(page.body, /<span class="brand-name">Test Open Government<\/span>/, path);
        assert.match(page.body, /<link rel="stylesheet" href="\/brand\/gjakova\/brand\.css\?v=[0-9a-f]{16}"/, path);
        assert.match(page.body, /Runs on Besa\./, path);
        emblemUrl = /<img class="brand-emblem" src="([^"]+)"/.exec(page.body)?.[1] ?? '';
        assert.match(emblemUrl, /^\/brand\/gjakova\/emblem\?v=[0-9a-f]{16}$/, path);
      }
      for (const path of ['/en/', '/en/search', '/en/accessibility']) {
        const page = await app.app.inject(path);
        assert.match(page.body, /<header class="site-header">/, path);
        assert.doesNotMatch(page.body, /Test Open Government|brand\.css/, path);
      }
    });

    await t.test('the emblem and the stylesheet are served with their type, nosniff, an ETag and 304 on revalidation', async () => {
      const emblem = await app.app.inject(emblemUrl);
      assert.equal(emblem.statusCode, 200);
      assert.equal(emblem.headers['content-type'], 'image/png');
      assert.equal(emblem.headers['x-content-type-options'], 'nosniff');
      assert.match(String(emblem.headers['cache-control']), /public, max-age=86400/);
      assert.deepEqual(emblem.rawPayload, TINY_PNG);
      const etag = String(emblem.headers.etag);
      assert.match(etag, /^"[0-9a-f]{64}"$/);
      assert.equal((await app.app.inject({ url: emblemUrl, headers: { 'if-none-match': etag } })).statusCode, 304);
      const css = await app.app.inject('/brand/gjakova/brand.css');
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.match(css.body, /--brand-accent: #1d4f91;/);
      assert.equal((await app.app.inject({ url: '/brand/gjakova/brand.css', headers: { 'if-none-match': String(css.headers.etag) } })).statusCode, 304);
      assert.equal((await app.app.inject('/brand/prizren/emblem')).statusCode, 404);
      assert.equal((await app.app.inject('/brand/prizren/brand.css')).statusCode, 404);
    });

    await t.test('removing the emblem and the colour gives back Besa\'s colours; the portal name stays', async () => {
      const cleared = await send({ portal_name: 'Test Open Government', accent_color: '', remove_emblem: '1' });
      assert.equal(cleared.statusCode, 303);
      const page = await app.app.inject('/en/gjakova');
      assert.doesNotMatch(page.body, /brand-emblem|brand\.css/);
      assert.match(page.body, /Test Open Government/);
      assert.equal((await app.app.inject(emblemUrl)).statusCode, 404);
    });
  });
}

for (const dialect of DIALECTS) {
  test(`branding: the history pages of a branded jurisdiction's items carry its portal [${dialect}]`, async () => {
    const app: TestApp = await openTestApp(dialect);
    try {
      const { db } = app.database;
      await seedIfEmpty(db);
      const gjakova = await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow();
      const commitment = await db
        .selectFrom('commitments')
        .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
        .select('commitments.id')
        .where('action_plans.jurisdiction_id', '=', gjakova.id)
        .where('commitments.code', '=', 'XKGJA0001')
        .executeTakeFirstOrThrow();
      await updateJurisdictionBranding(db, SYSTEM, { jurisdictionId: gjakova.id, contentLocale: 'en', portalName: 'Test Open Government', accentColor: '#1d4f91' });
      for (const path of [`/en/history/jurisdiction/${gjakova.id}`, `/en/history/commitment/${commitment.id}`]) {
        const page = await app.app.inject(path);
        assert.equal(page.statusCode, 200, path);
        assert.match(page.body, /<header class="site-header branded">/, path);
        assert.match(page.body, /<span class="brand-name">Test Open Government<\/span>/, path);
      }
      // The log of the whole instance is Besa's page.
      assert.match((await app.app.inject('/en/transparency')).body, /<header class="site-header">/);
    } finally {
      await app.close();
    }
  });
}

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { translator } from '../src/i18n/index.js';
import { canAccessAdmin, findSessionUser } from '../src/modules/accounts/index.js';
import { CyclesPage } from '../src/modules/reporting/admin-views.js';
import { canOpenReportingOverview } from '../src/modules/reporting/policy.js';
import { DIALECTS } from './db.js';
import { openTestApp } from './app.js';
import { csrfFromSignIn, insertPeopleFixture, PEOPLE, type Person } from './people-fixture.js';
import { insertResponsesMatrixFixture } from './response-fixture.js'; // Issue 11, moderation and responses

/**
 * No button for what you may not do: for every kind of person, the administration is crawled from
 * its start pages, following every link under /en/admin; none may answer 403 (a link shown to
 * someone who may not follow it). Every form that posts under /en/admin is then sent with its
 * CSRF token only: a form shown to someone who may not use it answers 403; an allowed one answers
 * 422 (input missing), 303 (done), 404 (gone) or 200. Each person gets a fresh database, so what
 * one person's forms change does not decide what the next person sees.
 */

const A = '/en/admin';
const P = `${A}/jurisdictions/gjakova/plans/2024-2025`;
/** The submitted progress update of the fixture: a coordinator may publish or return it, its holder may not. */
const SUBMITTED_UPDATE = `${P}/cycles/1/updates/XKGJA0001`;
const START_PAGES = [A, `${A}/reporting`, `${A}/account`];
/** A sane cap: the seeded plan gives a few hundred admin pages to its administrator. */
const MAX_PAGES = 2000;
/** What an allowed POST with nothing but the CSRF token may answer. */
const ALLOWED_POST = new Set([200, 303, 404, 422]);
/**
 * Forms not sent: "sign out everywhere" deletes every session of the person, so the rest of the
 * check would run signed out. Nothing else sent here signs a person out: the two-factor "start"
 * form only sets up a secret not yet in force (the enable and disable forms appear after it and
 * are not reached; test/role-matrix.test.ts posts to them), and every result is checked for a
 * redirect to the sign-in page.
 */
const SKIPPED_FORMS = new Set([`${A}/account/sign-out-everywhere`]);
interface Form {
  action: string;
  multipart: boolean;
  token: string | undefined;
  /** The page the form was found on. */
  page: string;
}

interface Page {
  status: number;
  location?: string;
  links: string[];
  forms: Form[];
}

interface Crawl {
  pages: Map<string, Page>;
  /** Distinct forms by action, in the order found. */
  forms: Map<string, Form>;
  posted: Map<string, number>;
  skipped: string[];
  capped: boolean;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

/** An address on this site as path and query (no fragment), or undefined for another site. */
function resolve(href: string, base: string): string | undefined {
  const url = new URL(href, `http://besa.test${base}`);
  if (url.origin !== 'http://besa.test') return undefined;
  return url.pathname + url.search;
}

function isAdmin(pathAndQuery: string): boolean {
  const path = pathAndQuery.split('?')[0] ?? '';
  return path === A || path.startsWith(`${A}/`);
}

/** The admin links and admin POST forms of a page. */
function parsePage(html: string, url: string): { links: string[]; forms: Form[] } {
  const links: string[] = [];
  for (const match of html.matchAll(/<a\b[^>]*>/gi)) {
    const href = attribute(match[0], 'href');
    const target = href === undefined ? undefined : resolve(href, url);
    if (target && isAdmin(target) && !links.includes(target)) links.push(target);
  }
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = `<form${match[1] ?? ''}>`;
    if ((attribute(tag, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const action = resolve(attribute(tag, 'action') ?? url, url);
    if (!action || !isAdmin(action)) continue;
    const tokenInput = /<input\b[^>]*\sname="_csrf"[^>]*>/i.exec(match[2] ?? '')?.[0];
    forms.push({
      action,
      multipart: (attribute(tag, 'enctype') ?? '').toLowerCase() === 'multipart/form-data',
      token: tokenInput ? attribute(tokenInput, 'value') : undefined,
      page: url,
    });
  }
  return { links, forms };
}

async function crawl(app: FastifyInstance, cookies: Record<string, string>): Promise<Crawl> {
  const result: Crawl = { pages: new Map(), forms: new Map(), posted: new Map(), skipped: [], capped: false };
  const queue = [...START_PAGES];
  const queued = new Set(queue);
  while (queue.length > 0) {
    if (result.pages.size >= MAX_PAGES) {
      result.capped = true;
      break;
    }
    const url = queue.shift()!;
    const res = await app.inject({ method: 'GET', url, cookies });
    const page: Page = { status: res.statusCode, links: [], forms: [] };
    const next: string[] = [];
    if (res.statusCode >= 300 && res.statusCode < 400) {
      page.location = String(res.headers.location ?? '');
      const target = resolve(page.location, url);
      if (target && isAdmin(target)) next.push(target);
    } else if (String(res.headers['content-type'] ?? '').startsWith('text/html')) {
      // Error pages too: a 403 page must not offer links the person cannot follow either.
      const parsed = parsePage(res.body, url);
      page.links = parsed.links;
      page.forms = parsed.forms;
      next.push(...parsed.links);
      for (const form of parsed.forms) if (!result.forms.has(form.action)) result.forms.set(form.action, form);
    }
    result.pages.set(url, page);
    for (const target of next) {
      if (!queued.has(target)) {
        queued.add(target);
        queue.push(target);
      }
    }
  }
  return result;
}

function post(app: FastifyInstance, form: Form, cookies: Record<string, string>) {
  const fields: Record<string, string> = form.token ? { _csrf: form.token } : {};
  if (form.multipart) {
    const boundary = '----besa-admin-links';
    const body = Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}--\r\n`;
    return app.inject({ method: 'POST', url: form.action, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, cookies });
  }
  return app.inject({ method: 'POST', url: form.action, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies });
}

const isSignIn = (location: string | undefined) => (location ?? '').startsWith('/en/login');

for (const dialect of DIALECTS) {
  describe(`admin links and buttons: none for what a person may not do [${dialect}]`, () => {
    const crawls = new Map<Person, Crawl>();

    for (const who of PEOPLE) {
      test(`${who}: every admin link shown opens, every admin form shown is allowed`, async () => {
        const t = await openTestApp(dialect);
        try {
          const { db } = t.database;
          const fixture = await insertPeopleFixture(db);
          await insertResponsesMatrixFixture(db, fixture.gjakovaId, fixture.planId); // Issue 11, moderation and responses: a consultation with contributions
          const csrf = await csrfFromSignIn(t.app);
          // The CSRF secret rides along on every request, so the tokens the pages print match it.
          const cookies = { besa_session: fixture.sessions[who], _csrf: csrf.cookie };
          const user = await findSessionUser(db, fixture.sessions[who]);
          assert.ok(user, `${who} is signed in`);

          const result = await crawl(t.app, cookies);
          crawls.set(who, result);
          assert.equal(result.capped, false, `the crawl stopped at ${MAX_PAGES} pages`);

          // The start pages answer as the policies say (they are where a person lands, not links).
          const start = (url: string) => result.pages.get(url)?.status;
          assert.equal(start(A), canAccessAdmin(user) ? 200 : 403, `${A}`);
          assert.equal(start(`${A}/reporting`), canOpenReportingOverview(user) ? 200 : 403, `${A}/reporting`);
          assert.equal(start(`${A}/account`), 200, `${A}/account`);

          const wrong: string[] = [];
          /** Links to pages that answer 403, by target: the pages showing them. */
          const forbiddenLinks = new Map<string, string[]>();
          for (const [url, page] of result.pages) {
            if (page.status >= 500) wrong.push(`GET ${url}: ${page.status}`);
            if (isSignIn(page.location)) wrong.push(`GET ${url}: sent to sign in`);
            for (const link of page.links) {
              // The page itself (the language switcher's current language) is where the person already is.
              if (link === url) continue;
              if (result.pages.get(link)?.status !== 403) continue;
              forbiddenLinks.set(link, [...(forbiddenLinks.get(link) ?? []), `${url} (${page.status})`]);
            }
          }
          for (const [link, on] of forbiddenLinks) wrong.push(`link to ${link} answers 403; shown on ${on.length} page(s), e.g. ${on.slice(0, 3).join(', ')}`);
          assert.deepEqual(wrong, [], `${who}: links to pages that answer 403`);

          const wrongForms: string[] = [];
          for (const form of result.forms.values()) {
            if (SKIPPED_FORMS.has(form.action)) {
              result.skipped.push(form.action);
              continue;
            }
            if (!form.token) {
              wrongForms.push(`form to ${form.action} on ${form.page}: no CSRF token`);
              continue;
            }
            const res = await post(t.app, form, cookies);
            result.posted.set(form.action, res.statusCode);
            const location = String(res.headers.location ?? '');
            if (res.statusCode === 403) wrongForms.push(`form to ${form.action} on ${form.page}: 403`);
            else if (!ALLOWED_POST.has(res.statusCode)) wrongForms.push(`form to ${form.action} on ${form.page}: ${res.statusCode}`);
            else if (isSignIn(location)) wrongForms.push(`form to ${form.action} on ${form.page}: sent to sign in`);
          }
          assert.deepEqual(wrongForms, [], `${who}: forms shown that the person may not use`);
          // The check reaches something: everyone has at least their own account's forms.
          assert.ok(result.posted.has(`${A}/account/password`), `${who}: the password form was sent`);
        } finally {
          await t.close();
        }
      });
    }

    /** The forms and links one person saw in the crawl (before any form was sent). */
    function seen(who: Person) {
      const result = crawls.get(who);
      assert.ok(result, `the crawl of ${who} ran`);
      const formsOn = (url: string) => (result.pages.get(url)?.forms ?? []).map((f) => f.action);
      const linksOn = (url: string) => result.pages.get(url)?.links ?? [];
      const allLinks = [...result.pages.values()].flatMap((p) => p.links);
      const allForms = [...result.forms.keys()];
      return { result, formsOn, linksOn, allLinks, allForms };
    }

    test('bodies: forum secretaries, coordinators and administrators reach them and their member forms; other roles see no link', () => {
      const bodies = `${A}/jurisdictions/gjakova/bodies`;
      for (const who of ['secretary', 'coordinator', 'admin'] as const) {
        const s = seen(who);
        assert.ok(s.linksOn(A).includes(bodies), `${who} sees the bodies on the start page`);
        assert.equal(s.result.pages.get(`${bodies}/transparency-forum/edit`)?.status, 200, `${who} reached the Forum's page`);
        assert.ok(s.allForms.includes(`${bodies}/new`), `${who} sees the form for a new body`);
        assert.ok(s.linksOn(`${bodies}/transparency-forum/edit`).includes(`${bodies}/transparency-forum/members/new`), `${who} sees "add a member"`);
        assert.ok(s.allForms.some((f) => /\/members\/\d+\/remove$/.test(f)), `${who} sees "remove this member"`);
      }
      assert.ok(seen('admin').linksOn(`${A}/jurisdictions/gjakova`).includes(bodies), 'the jurisdiction page links to its bodies');
      for (const who of ['holder', 'otherHolder', 'monitoring', 'moderator', 'otherAdmin'] as const) {
        assert.ok(!seen(who).allLinks.some((l) => l.startsWith(bodies)), `${who} sees no link to Gjakova's bodies`);
      }
      assert.ok(seen('otherAdmin').allLinks.includes(`${A}/jurisdictions/prizren/bodies`), 'the Prizren administrator sees the bodies of Prizren');
    });

    test('the buttons that should be there are: publish and return for the coordinator, "new jurisdiction" for the instance administrator', () => {
      const coordinator = seen('coordinator');
      assert.equal(coordinator.result.pages.get(SUBMITTED_UPDATE)?.status, 200, 'the coordinator reached the submitted update');
      assert.ok(coordinator.formsOn(SUBMITTED_UPDATE).includes(`${SUBMITTED_UPDATE}/publish`), 'the coordinator sees "publish"');
      assert.ok(coordinator.formsOn(SUBMITTED_UPDATE).includes(`${SUBMITTED_UPDATE}/return`), 'the coordinator sees "return"');

      const holder = seen('holder');
      assert.equal(holder.result.pages.get(SUBMITTED_UPDATE)?.status, 200, 'the holder reached their submitted update');
      assert.deepEqual(holder.allForms.filter((a) => /\/(publish|return)$/.test(a)), [], 'a commitment holder sees no "publish" or "return"');

      const admin = seen('admin');
      assert.ok(admin.linksOn(A).includes(`${A}/jurisdictions/new`), 'the instance administrator sees "new jurisdiction" on the start page');
      assert.ok(admin.linksOn(`${A}/jurisdictions`).includes(`${A}/jurisdictions/new`), '… and on the list of jurisdictions');
      assert.ok(admin.allLinks.includes(`${A}/users`), 'the instance administrator sees people and roles');

      const otherAdmin = seen('otherAdmin');
      assert.equal(otherAdmin.result.pages.get(A)?.status, 200);
      assert.ok(!otherAdmin.allLinks.includes(`${A}/jurisdictions/new`), 'the Prizren administrator sees no "new jurisdiction"');
      assert.ok(otherAdmin.allLinks.includes(`${A}/jurisdictions/prizren`), 'the Prizren administrator sees Prizren');
      assert.ok(!otherAdmin.allLinks.some((l) => l.startsWith(`${A}/jurisdictions/gjakova`)), 'the Prizren administrator sees nothing of Gjakova');

      for (const who of ['coordinator', 'holder', 'secretary', 'monitoring', 'moderator'] as const) {
        assert.ok(!seen(who).allLinks.includes(`${A}/users`), `${who} sees no link to people and roles`);
      }
    });

    test('meetings: the start page links the managers of meetings (forum secretary, coordinator, administrator) to them, and no one else', () => {
      const MEETINGS = `${A}/jurisdictions/gjakova/meetings`;
      for (const who of ['admin', 'coordinator', 'secretary'] as const) {
        assert.ok(seen(who).linksOn(A).includes(MEETINGS), `${who} sees the meetings of Gjakova on the start page`);
        assert.ok(seen(who).formsOn(`${MEETINGS}/new`).includes(`${MEETINGS}/new`), `${who} sees the form to schedule a meeting`);
      }
      for (const who of ['holder', 'otherHolder', 'monitoring', 'moderator', 'otherAdmin', 'noRole'] as const) {
        assert.ok(!seen(who).allLinks.some((l) => l.startsWith(MEETINGS)), `${who} sees no link to Gjakova's meetings`);
      }
    });

    /** A plan's monitoring pages (not the bodies' `/bodies/monitoring-body`). */
    const PLAN_MONITORING = /\/plans\/[^/]+\/monitoring(\/|$)/;
    test('reviews: monitoring members get the review and follow-up forms, holders the response form of their institution only', () => {
      const REC = `${A}/jurisdictions/gjakova/recommendations`;
      const monitoring = seen('monitoring');
      assert.ok(monitoring.allForms.includes(`${P}/monitoring/2/reviews/XKGJA0001`), 'the monitoring member may edit a review');
      assert.ok(monitoring.allForms.includes(`${REC}/1/follow-ups`), 'the monitoring member may add a follow-up');
      assert.deepEqual(monitoring.allForms.filter((a) => a.endsWith('/response')), [], 'the monitoring member records no government response');
      const coordinator = seen('coordinator');
      assert.ok(coordinator.allForms.includes(`${REC}/1/response`), 'a coordinator records responses');
      assert.deepEqual(coordinator.allForms.filter((a) => PLAN_MONITORING.test(a) || a.endsWith('/follow-ups')), [], 'a coordinator writes no review and no follow-up');
      // The Information Office's one recommendation is answered already: nothing waits for its holder.
      const holder = seen('holder');
      assert.deepEqual(holder.allForms.filter((a) => PLAN_MONITORING.test(a) || a.endsWith('/follow-ups')), [], 'a holder writes no review and no follow-up');
      const otherHolder = seen('otherHolder');
      assert.ok(!otherHolder.allForms.includes(`${REC}/1/response`), "another institution's holder does not answer it");
      assert.ok(otherHolder.allForms.includes(`${REC}/3/response`), '… but answers its own, waiting for a response');
      for (const who of ['secretary', 'moderator', 'noRole'] as const) assert.deepEqual(seen(who).allLinks.filter((l) => PLAN_MONITORING.test(l) || l.includes('/recommendations')), [], `${who} sees no reviews link`);
    });

    // Issue 11, moderation and responses: the start page links moderators and administrators to the queue, no one else.
    test('moderation: the start page links moderators and administrators to the queue; other roles see no link', () => {
      for (const who of ['moderator', 'admin', 'otherAdmin'] as const) assert.ok(seen(who).linksOn(A).includes(`${A}/moderation`), `${who} sees the queue`);
      for (const who of ['coordinator', 'holder', 'otherHolder', 'secretary', 'monitoring', 'noRole'] as const) assert.ok(!seen(who).allLinks.includes(`${A}/moderation`), `${who} sees no queue`);
      assert.ok(seen('moderator').allForms.includes(`${A}/moderation/900001/approve`), 'the moderator may approve the pending contribution');
      assert.ok(seen('moderator').allForms.includes(`${A}/moderation/900002/hide`), '… and hide the published one');
      assert.ok(!seen('otherAdmin').allForms.some((f) => f.startsWith(`${A}/moderation/9000`)), 'the Prizren administrator sees no Gjakova item');
      const responses = `${A}/jurisdictions/gjakova/consultations/responses-matrix/responses`;
      for (const who of ['coordinator', 'admin'] as const) assert.equal(seen(who).result.pages.get(`${responses}/900002`)?.status, 200, `${who} reached the response form`);
      for (const who of ['moderator', 'holder', 'secretary', 'otherAdmin'] as const) assert.ok(!seen(who).allLinks.some((l) => l.startsWith(responses)), `${who} sees no responses link`);
    });

    // Issue 14, witnesses: instance administrators only, from the start page to each witness and its forms.
    test('witnesses: the instance administrator reaches them and their forms; no one else sees a link', () => {
      const W = `${A}/witnesses`;
      const admin = seen('admin');
      assert.ok(admin.linksOn(A).includes(W), 'the instance administrator sees the witnesses on the start page');
      assert.equal(admin.result.pages.get(W)?.status, 200);
      assert.ok(admin.linksOn(W).includes(`${W}/new`), '… "add a witness"');
      assert.ok(admin.allForms.includes(`${W}/quorum`) && admin.allForms.includes(`${W}/new`), '… the quorum and the new witness forms');
      assert.ok(admin.allForms.some((f) => /\/witnesses\/\d+\/deactivate$/.test(f)), '… "stop asking this witness"');
      for (const who of ['otherAdmin', 'coordinator', 'holder', 'otherHolder', 'secretary', 'monitoring', 'moderator', 'noRole'] as const) {
        assert.ok(!seen(who).allLinks.some((l) => l.startsWith(W)), `${who} sees no link to the witnesses`);
      }
    });

    test('a person without a role is shown no link to the administration they may not open', () => {
      const noRole = seen('noRole');
      // The start page /en/admin itself (a 403 page) links to itself in the language switcher: not a way in.
      const showing = [...noRole.result.pages].filter(([url, page]) => url !== A && page.links.includes(A)).map(([url]) => url);
      assert.ok(noRole.result.pages.has(`${A}/account`), 'the crawl saw the account page');
      assert.deepEqual(showing, [], 'pages of a person without a role that link to /en/admin');
    });

    after(() => {
      const rows = PEOPLE.map((who) => {
        const c = crawls.get(who);
        if (!c) return `  ${who.padEnd(12)} (not run)`;
        const followed = [...c.pages.values()].filter((p) => p.status === 200).length;
        const statuses = [...c.posted.values()].reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
        const byStatus = Object.entries(statuses).map(([s, n]) => `${n}×${s}`).join(' ');
        return `  ${who.padEnd(12)} ${String(c.pages.size).padStart(5)} ${String(followed).padStart(5)} ${String(c.posted.size).padStart(6)} ${String(c.skipped.length).padStart(5)}  ${byStatus}`;
      });
      console.log([`admin links and buttons [${dialect}]`, `  ${'person'.padEnd(12)} pages  (200)  forms  skip  form answers`, ...rows].join('\n'));
    });
  });
}

describe('reporting breadcrumbs', () => {
  test('link to the jurisdiction and the plan only for someone who may open them (canManageContent)', () => {
    const ctx = { locale: 'en' as const, t: translator('en'), path: '/admin/x' };
    const scope = { jurisdiction: { slug: 'gjakova', name: { en: 'Gjakova' } }, plan: { slug: '2024-2025', title: { en: 'Plan' } } };
    const crumbs = (html: string) => (/<nav[^>]*class="breadcrumbs"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').match(/href="[^"]*"/g) ?? [];
    const without = crumbs(CyclesPage({ ctx, scope, cycles: [], canManage: true }) as string);
    assert.deepEqual(without, [`href="${A}"`]);
    const withContent = crumbs(CyclesPage({ ctx, scope: { ...scope, canManageContent: true }, cycles: [], canManage: true }) as string);
    assert.deepEqual(withContent, [`href="${A}"`, `href="${A}/jurisdictions/gjakova"`, `href="${P}"`]);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorWith } from '../../../test/actors.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { parseTranslatable } from '../../lib/translatable.js';
import { runCommand, type Actor } from '../audit/index.js';
import { updateCommitment } from '../commitments/commands.js';
import { recordSource } from '../provenance/index.js';


/**
 * What a history page must never show a reader: stored field names, `role:id` pairs, raw enum
 * keys, the demonstration column, `#16`-style identifiers, ISO timestamps, JSON.
 */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['snake_case field name or enum key', /\b[a-z]+(?:_[a-z]+)+\b/],
  ['role:id pair', /\b(?:lead|supporting|involved):\d+/],
  ['demonstration column', /is_demo/i],
  ['#id', /#\d+/],
  ['ISO timestamp', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
  ['ISO date', /\b\d{4}-\d{2}-\d{2}\b/],
  ['JSON', /[{[]"/],
  ['camelCase summary key', /\b(?:previousStatus|previousCode|progressUpdate|dueOn|submittedOn|leadInstitutionIds|endorsementCount)\b/],
  ['raw value key', /\b(?:derived|not_stated|ogp_plan_page|adopted_plan|in_progress)\b/],
];

/** The page's visible text: the <main> element without tags, entities decoded. */
function visibleText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}

for (const dialect of DIALECTS) {
  describe(`history pages in words [${dialect}]`, () => {
    let t: TestApp;
    const pages: Array<{ kind: string; id: number }> = [];
    let added: { id: number; name: string };
    let demoMilestoneId: number;
    before(async () => {
      t = await openTestApp(dialect);
      const { db } = t.database;
      const user = await db
        .insertInto('users')
        .values({ email: 'admin@example.org', display_name: 'Admin', password_hash: 'x', created_at: new Date().toISOString(), totp_secret: null, totp_pending_secret: null, totp_last_step: null, disabled_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ADMIN: Actor = actorWith('administrator', { userId: user.id });
      await seedIfEmpty(db);
      await seedDemo(db);
      const commitment = await db.selectFrom('commitments').selectAll().where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      const roles = await db.selectFrom('commitment_institutions').selectAll().where('commitment_id', '=', commitment.id).execute();
      const ids = (role: string) => roles.filter((r) => r.role === role).map((r) => r.institution_id);
      const candidate = await db
        .selectFrom('institutions')
        .select(['id', 'name'])
        .where('id', 'not in', roles.map((r) => r.institution_id))
        .orderBy('id')
        .executeTakeFirstOrThrow();
      added = { id: candidate.id, name: parseTranslatable(candidate.name).en ?? '' };
      // An edit through the command: a new English title and one more lead institution.
      await updateCommitment(db, ADMIN, {
        commitmentId: commitment.id,
        code: commitment.code,
        position: null,
        locale: 'en',
        texts: { title: 'Digital services for every resident' },
        ogpValues: JSON.parse(commitment.ogp_values) as string[],
        policyAreas: JSON.parse(commitment.policy_areas) as string[],
        leadInstitutionIds: [...ids('lead'), candidate.id],
        supportingInstitutionIds: ids('supporting'),
        involvedInstitutionIds: ids('involved'),
        startsOn: commitment.starts_on,
        endsOn: commitment.ends_on,
      });
      const plan = await db.selectFrom('action_plans').select(['id', 'jurisdiction_id']).executeTakeFirstOrThrow();
      await recordSource(db, ADMIN, {
        jurisdictionId: plan.jurisdiction_id,
        entityType: 'commitment',
        entityId: commitment.id,
        source: { field: 'ogp_values', document: 'minutes', title: 'Minutes of the co-creation meeting', rendering: 'summary' },
      });
      const milestone = await db
        .selectFrom('milestones')
        .select(['id', 'code'])
        .where('commitment_id', '=', commitment.id)
        .where('is_demo', '=', 1)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      demoMilestoneId = milestone.id;
      // A published progress update and the status it set, in the shape reporting/commands.ts publishes.
      await runCommand(db, ADMIN, async (_trx, audit) => {
        await audit.publish('progress_update.published', 'commitment', commitment.id, {
          progressUpdate: 1,
          commitment: commitment.code,
          cycle: 1,
          dueOn: '2025-03-31',
          submittedOn: '2025-03-28',
          milestones: [{ code: milestone.code, status: 'in_progress', completion: 'substantial' }],
        });
        await audit.publish('milestone.status_changed', 'milestone', milestone.id, { code: milestone.code, status: 'in_progress', source: 'progress_update' });
      });
      const institution = await db.selectFrom('institutions').select('id').orderBy('id').executeTakeFirstOrThrow();
      pages.push(
        { kind: 'jurisdiction', id: plan.jurisdiction_id },
        { kind: 'plan', id: plan.id },
        { kind: 'commitment', id: commitment.id },
        { kind: 'milestone', id: milestone.id },
        { kind: 'institution', id: institution.id },
        { kind: 'institution', id: candidate.id },
      );
    });
    after(async () => {
      await t?.close();
    });
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    test('every history page in every locale shows no raw field name, key or identifier, and is valid HTML', async () => {
      for (const locale of LOCALES) {
        for (const { kind, id } of pages) {
          const url = `/${locale}/history/${kind}/${id}`;
          const res = await get(url);
          assert.equal(res.statusCode, 200, url);
          const text = visibleText(res.body);
          for (const [what, pattern] of FORBIDDEN) {
            const found = pattern.exec(text);
            assert.equal(found, null, `${url} shows a ${what}: “${found?.[0]}” in …${text.slice(Math.max(0, (found?.index ?? 0) - 80), (found?.index ?? 0) + 80)}…`);
          }
          assert.deepEqual(await htmlErrors(res.body), [], url);
          // A link's accessible name contains its visible text (WCAG 2.5.3, axe's label-content-name-mismatch).
          for (const [, label, visible] of res.body.matchAll(/<a [^>]*aria-label="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
            assert.ok(label!.toLowerCase().includes(visible!.trim().toLowerCase()), `${url}: “${visible}” is not in “${label}”`);
          }
        }
      }
    });

    test('the latest changes on the transparency page name each item by its code or name, never by an id', async () => {
      for (const locale of LOCALES) {
        const res = await get(`/${locale}/transparency`);
        assert.equal(res.statusCode, 200);
        const section = /<section aria-labelledby="transparency-recent">([\s\S]*?)<\/section>/.exec(res.body)?.[1] ?? '';
        const text = visibleText(`<main>${section}</main>`);
        assert.ok(text.length > 100, text);
        for (const [what, pattern] of FORBIDDEN) {
          const found = pattern.exec(text);
          assert.equal(found, null, `/${locale}/transparency shows a ${what}: “${found?.[0]}”`);
        }
        assert.deepEqual(await htmlErrors(res.body), [], locale);
      }
      const en = visibleText((await get('/en/transparency')).body);
      assert.match(en, /Commitment XKGJA0001 ?: Digital services for every resident/);
      assert.match(en, /Milestone XKGJA0001\.\d+/);
    });

    test('the commitment’s history says what changed, names institutions and values, in the reader’s language', async () => {
      const commitmentPage = pages.find((p) => p.kind === 'commitment')!;
      const en = visibleText((await get(`/en/history/commitment/${commitmentPage.id}`)).body);
      assert.match(en, /Title changed: Digital services for every resident/);
      assert.ok(en.includes(`Lead institution added: ${added.name}`), en);
      assert.match(en, /OGP values: Transparency \(access to information\)|OGP values: [A-Z]/);
      assert.match(en, /Progress update for reporting period 1: due on 31 March 2025; submitted on 28 March 2025/);
      assert.match(en, /Milestone XKGJA0001\.\d+: In progress; completion: Substantial/);
      assert.match(en, /Source recorded for the OGP values: Minutes of the co-creation meeting; Summary|Source recorded for the OGP values: Minutes of the co-creation meeting/);
      assert.match(en, /Loaded from the published plan|Created/);
      assert.match(en, /No\. \d+ raw entry and proof/);
      // The raw leaf is one click away: the proof link answers with the entry's leaf.
      const href = /href="(\/transparency\/proof\/inclusion\?index=\d+&amp;size=\d+)"/.exec((await get(`/en/history/commitment/${commitmentPage.id}`)).body)?.[1];
      assert.ok(href);
      const proof = await get(href.replace(/&amp;/g, '&'));
      assert.equal(proof.statusCode, 200);
      assert.match(proof.json().leaf, /"action":/);

      assert.match(en, /Institution involved: Information Office/, 'a new item names its institutions by role, without "added"');
      const jurisdiction = visibleText((await get(`/en/history/jurisdiction/${pages[0]!.id}`)).body);
      assert.match(jurisdiction, /Country: Kosovo/);
      assert.match(jurisdiction, /Kind: Local/);
      const sq = visibleText((await get(`/sq/history/commitment/${commitmentPage.id}`)).body);
      assert.match(sq, /U shtua institucioni udhëheqës: /);
      assert.match(sq, /Ndryshoi: Titulli/);
      const fr = visibleText((await get(`/fr/history/commitment/${commitmentPage.id}`)).body);
      assert.match(fr, /Institution chef de file ajoutée : |Institution chef de file ajoutée: /);
      const cyr = visibleText((await get(`/sr-Cyrl/history/commitment/${commitmentPage.id}`)).body);
      assert.match(cyr, /Додата водећа институција/);
      assert.match(cyr, /\d{2}:\d{2} \(Europe\/Belgrade, UTC\+[12]\)/, 'Gjakova’s zone, named in Latin letters in Cyrillic too (not УТЦ)');
    });

    test('times are written with their zone, and demonstration entries are marked one by one', async () => {
      const page = (await get(`/en/history/milestone/${demoMilestoneId}`)).body;
      const text = visibleText(page);
      assert.match(text, /\d{2}:\d{2} \(Europe\/Belgrade, UTC\+[12]\)/, 'in the zone of the milestone’s jurisdiction, named');
      assert.match(page, /class="demo-banner"/);
      const rows = page.split('<tr>').slice(2);
      assert.ok(rows.length >= 2);
      for (const row of rows) assert.match(row, /class="tag tag-demo"/, 'every entry of a demonstration milestone is marked');
      assert.match(text, /Status: In progress/);
      assert.match(text, /Status changed by a published progress update/);

      // The plan's history: only the demonstration seed's entry carries the mark.
      const planPage = (await get(`/en/history/plan/${pages.find((p) => p.kind === 'plan')!.id}`)).body;
      const planRows = planPage.split('<tr>').slice(2);
      const marked = planRows.filter((r) => r.includes('tag-demo'));
      assert.equal(marked.length, 1);
      assert.match(visibleText(marked[0]!), /demonstration milestones added/);
      assert.ok(planRows.some((r) => !r.includes('tag-demo')));
    });
  });
}

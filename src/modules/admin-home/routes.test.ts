import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { insertPeopleFixture, type PeopleFixture, type Person } from '../../../test/people-fixture.js';
import { insertResponsesMatrixFixture, insertTestConsultation, insertTestContribution } from '../../../test/response-fixture.js';

for (const dialect of DIALECTS) {
  describe(`the administration's start page says who you are and what you may do [${dialect}]`, () => {
    let t: TestApp;
    let f: PeopleFixture;
    before(async () => {
      t = await openTestApp(dialect);
      f = await insertPeopleFixture(t.database.db);
    });
    after(() => t?.close());

    const home = async (who: Person, locale = 'en') => {
      const res = await t.app.inject({ url: `/${locale}/admin`, cookies: { besa_session: f.sessions[who] } });
      assert.equal(res.statusCode, 200, who);
      return res.body;
    };

    test('each person sees their roles, described with where they hold them', async () => {
      assert.match(await home('holder'), /<li>Commitment holder · Gjakova · Information Office<\/li>/);
      assert.match(await home('coordinator'), /<li>Coordinator · Gjakova<\/li>/);
      assert.match(await home('admin'), /<li>Administrator · All jurisdictions<\/li>/);
      assert.match(await home('holder', 'sq'), /<h2 id="card-roles">Rolet tuaja<\/h2>/);
    });

    test('"Jurisdictions you manage" only for those who manage one (or may add the first)', async () => {
      assert.match(await home('admin'), /Jurisdictions you manage/);
      assert.match(await home('otherAdmin'), /Jurisdictions you manage/);
      for (const who of ['coordinator', 'holder', 'secretary'] as const) assert.doesNotMatch(await home(who), /Jurisdictions you manage|You do not manage/, who);
    });

    test('one layout: every area is a card with a heading, one line and its link; no big button', async () => {
      for (const who of ['admin', 'coordinator', 'holder', 'secretary'] as const) {
        const body = await home(who);
        const cards = [...body.matchAll(/<section class="admin-card" aria-labelledby="card-([a-z]+)"><h2 id="card-\1">[^<]+<\/h2><p>[^<]+<\/p>(.*?)<\/section>/gs)];
        assert.ok(cards.length >= 1, `${who}: cards`);
        for (const card of cards) assert.match(card[2]!, /<a href="\/en\/admin[^"]*"/, `${who}: the ${card[1]} card has its link`);
        assert.equal((body.match(/class="admin-card"/g) ?? []).length, cards.length, `${who}: every card has the same shape`);
        assert.doesNotMatch(/<main[^>]*>(.*)<\/main>/s.exec(body)?.[1] ?? '', /class="button"/, `${who}: no large button`);
      }
      assert.match(await home('admin'), /aria-labelledby="card-users"/);
      assert.doesNotMatch(await home('holder'), /aria-labelledby="card-users"/);
    });

    test('the next actions come first: the submitted report waits for the coordinator’s review; the holder has reports to fill in', async () => {
      const coordinator = await home('coordinator');
      assert.match(coordinator, /<a href="\/en\/admin\/reporting#group-to-review">1 report waiting for your review<\/a>/);
      assert.ok(coordinator.indexOf('id="next-title"') < coordinator.indexOf('class="admin-card"'), 'before the cards');
      const holder = await home('holder');
      assert.match(holder, /href="\/en\/admin\/reporting#group-to-(fill|review)">\d+ reports? (overdue: fill|to fill in)/);
      assert.doesNotMatch(holder, /waiting for your review/);
      assert.match(await home('coordinator', 'sq'), /1 raport në pritje të shqyrtimit tuaj/);
      assert.doesNotMatch(await home('secretary'), /id="next-title"/, 'no reporting role: no next actions');
    });

    test('a role without tasks in Besa yet is told so; a role with tasks is not', async () => {
      assert.match(await home('monitoring'), /Your role has no tasks in Besa yet/);
      for (const who of ['admin', 'coordinator', 'holder', 'secretary', 'moderator'] as const) assert.doesNotMatch(await home(who), /no tasks in Besa yet/, who);
      // The Forum's secretary manages the meetings of their jurisdiction.
      assert.match(await home('secretary'), /href="\/en\/admin\/jurisdictions\/gjakova\/meetings"/);
    });

    test('the moderator’s work: the moderation queue with its count, also in the next actions; not for those who do not moderate', async () => {
      const moderator = await home('moderator');
      assert.match(moderator, /<section class="admin-card" aria-labelledby="card-moderation">/);
      assert.match(moderator, /<a href="\/en\/admin\/moderation">Open the moderation queue<\/a>/);
      assert.match(moderator, /nothing waits for you/);
      assert.match(moderator, /id="next-title"/);
      assert.match(await home('moderator', 'sq'), /Hapni radhën e moderimit/);
      assert.match(await home('admin'), /aria-labelledby="card-moderation"/);
      for (const who of ['coordinator', 'holder', 'secretary', 'monitoring'] as const) assert.doesNotMatch(await home(who), /card-moderation/, who);
    });

    test('the coordinator’s work: closed consultations with contributions still to answer, in the next actions and a card; open ones wait', async () => {
      const db = t.database.db;
      await insertResponsesMatrixFixture(db, f.gjakovaId, f.planId);
      const open = await insertTestConsultation(db, { jurisdictionId: f.gjakovaId, slug: 'still-open', opensOn: '2024-01-01', closesOn: '2999-12-31' });
      await insertTestContribution(db, { consultationId: open });
      const coordinator = await home('coordinator');
      const link = '/en/admin/jurisdictions/gjakova/consultations/responses-matrix/responses';
      assert.ok(coordinator.includes(`<a href="${link}">1 contribution to “Consultation responses-matrix” waiting for a reasoned response</a>`));
      assert.match(coordinator, /aria-labelledby="card-responses"/);
      assert.match(coordinator, /\(0 of 1 answered\)/);
      assert.ok(!coordinator.includes('still-open'), 'an open consultation is not a task yet');
      assert.match(await home('coordinator', 'sq'), /pret një përgjigje të arsyetuar/);
      for (const who of ['moderator', 'holder', 'secretary', 'otherAdmin'] as const) assert.ok(!(await home(who)).includes(link), who);
      // The moderator now has one contribution waiting.
      assert.match(await home('moderator'), /<a href="\/en\/admin\/moderation#pending">1 contribution waiting for moderation<\/a>/);
    });
  });
}

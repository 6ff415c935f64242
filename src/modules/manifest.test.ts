import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { htmlErrors } from '../../test/html.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { insertReportingFixture } from '../../test/reporting-fixture.js';
import { allMessageKeys } from '../i18n/index.js';
import { runCommand, SYSTEM } from './audit/index.js';
import { MODULES } from './index.js';
import { defineModule, type ModuleManifest } from './manifest.js';
import { buildSearchDocuments } from './search/indexer.js';
import { searchKinds } from './search/routes.js';
import { historySources } from './transparency/routes.js';

describe('the module list', () => {
  test('every module appears once, by a unique name', () => {
    const names = MODULES.map((m) => m.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of ['accounts', 'admin-home', 'audit', 'commitments', 'institutions', 'jurisdictions', 'mail', 'pages', 'plans', 'provenance', 'reporting', 'search', 'transparency', 'bodies', 'meetings', 'reviews', 'standards']) {
      assert.ok(names.includes(name), `${name} is in MODULES`);
    }
  });

  test('every message key belongs to one module, by its first segment, or to the shared interface', () => {
    // The shared interface's messages (layout, timeline, forms, admin pieces) belong to no module.
    const shared = ['admin', 'form', 'timeline', 'ui'];
    const owner = new Map<string, string>(shared.map((p) => [p, 'the shared interface']));
    for (const module of MODULES) {
      for (const prefix of module.messages ?? []) {
        assert.ok(!owner.has(prefix), `the key prefix ${prefix} of ${module.name} is also claimed by ${owner.get(prefix)}`);
        owner.set(prefix, module.name);
      }
    }
    const keys = allMessageKeys('en');
    assert.ok(keys.length > 1000, `locales/en.json holds ${keys.length} messages`);
    const used = new Set<string>();
    for (const key of keys) {
      const prefix = key.split('.')[0] ?? '';
      assert.ok(owner.has(prefix), `the message ${key} belongs to no module: add '${prefix}' to a manifest's messages`);
      used.add(prefix);
    }
    for (const [prefix, name] of owner) assert.ok(used.has(prefix), `the key prefix ${prefix} of ${name} owns no message`);
  });

  test('exactly one module guards the administration', () => {
    assert.deepEqual(
      MODULES.filter((m) => m.adminGuard).map((m) => m.name),
      ['accounts'],
    );
  });

  test('search kinds come from the manifests, in order, each with a label', () => {
    // The existing modules' kinds first, in the order the search form always offered them.
    assert.deepEqual(searchKinds(MODULES).map((k) => k.kind).slice(0, 6), ['jurisdiction', 'institution', 'plan', 'commitment', 'milestone', 'update']);
    const unlabelled = defineModule({ name: 'unlabelled', search: { kinds: ['gadget'], documents: async () => [] } });
    assert.throws(() => searchKinds([...MODULES, unlabelled]), /gadget.*no label/);
    const twice = defineModule({ name: 'twice', search: { kinds: ['plan'], documents: async () => [] } });
    assert.throws(() => searchKinds([...MODULES, twice]), /plan is declared twice/);
  });

  test('history kinds and entity types come from the manifests', () => {
    const { byKind, byEntityType } = historySources(MODULES);
    for (const kind of ['jurisdiction', 'institution', 'plan', 'commitment', 'milestone']) assert.ok(byKind.has(kind), kind);
    assert.equal(byKind.get('plan')?.entityType, 'action_plan');
    assert.equal(byEntityType.get('action_plan')?.kind, 'plan');
    const clash = defineModule({ name: 'clash', history: [{ kind: 'plan', entityType: 'other_plan', locate: async () => undefined }] });
    assert.throws(() => historySources([...MODULES, clash]), /declared twice/);
  });
});

/** A module that exists only in this test: one kind of item, published through the log like any other. */
function widgetModule(jurisdictionSlug: string): ModuleManifest {
  return defineModule({
    name: 'widgets',
    search: {
      kinds: ['widget'],
      labels: { widget: 'search.kind.milestone' },
      async documents(_db, jurisdiction, body) {
        return [{ doc_key: `widget:${jurisdiction.id}`, kind: 'widget', title: JSON.stringify({ en: 'Blue widget' }), path: `/${jurisdiction.slug}/widgets/1`, body: body('Blue widget', 'cobalt'), is_demo: 1 }];
      },
    },
    history: [
      {
        kind: 'widget',
        entityType: 'test_widget',
        async locate(_db, id) {
          return id === 7 ? { jurisdictionSlug, timeZone: 'Europe/Belgrade', isDemo: true } : undefined;
        },
        describe: {
          field: (ctx, field) => (field === 'colour' ? (ctx.locale === 'fr' ? 'couleur' : 'colour') : field === 'sector' ? 'sector' : undefined),
          value: (_ctx, field, value) => (field === 'sector' && value === 'civil_society' ? 'Civil society' : undefined),
          entry: (_ctx, entry) => (entry.action === 'test_widget.polished' ? [{ label: 'Polished', value: String(entry.summary.times ?? '') }] : undefined),
          action: (_ctx, action) => (action === 'test_widget.polished' ? 'Polished' : undefined),
        },
      },
    ],
  });
}

for (const dialect of DIALECTS) {
  describe(`a module added to the list [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let plain: FastifyInstance;
    let jurisdictionId: number;
    let fixture: Awaited<ReturnType<typeof insertReportingFixture>>;
    before(async () => {
      database = await openTestDatabase(dialect);
      const f = await insertReportingFixture(database.db, 'gjakova');
      fixture = f;
      jurisdictionId = f.jurisdictionId;
      const config = loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv);
      app = await buildApp({ config, database, modules: [...MODULES, widgetModule('gjakova')] });
      plain = await buildApp({ config, database });
      await app.ready();
      await plain.ready();
      await runCommand(database.db, SYSTEM, async (_trx, audit) => {
        await audit.publish('test_widget.created', 'test_widget', 7, { values: { name: { en: 'Blue widget', fr: 'Widget bleu' }, colour: 'blue', sector: 'civil_society' } });
        await audit.publish('test_widget.polished', 'test_widget', 7, { times: 3 });
      });
    });
    after(async () => {
      await app.close();
      await plain.close();
      await database.destroy();
    });

    test('its entries have a history page, described by its own words, in its jurisdiction’s zone', async () => {
      for (const locale of ['en', 'fr', 'sq', 'sr-Latn', 'sr-Cyrl']) {
        const res = await app.inject({ method: 'GET', url: `/${locale}/history/widget/7` });
        assert.equal(res.statusCode, 200, locale);
        assert.deepEqual(await htmlErrors(res.body), [], locale);
        assert.doesNotMatch(res.body, /civil_society|test_widget/, locale);
      }
      const en = (await app.inject({ method: 'GET', url: '/en/history/widget/7' })).body;
      assert.match(en, /Blue widget/);
      assert.match(en, /Colour/);
      assert.match(en, /Civil society/);
      assert.match(en, /Polished/);
      assert.match(en, /Demonstration/i);
      // Times in the jurisdiction's zone, named.
      assert.match(en, /Europe\/Belgrade/);
      assert.match((await app.inject({ method: 'GET', url: '/fr/history/widget/7' })).body, /Widget bleu/);
    });

    test('the existing modules locate their items: jurisdiction, time zone, demonstration flag', async () => {
      const { db } = database;
      const { byKind } = historySources(MODULES);
      await db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', jurisdictionId).execute();
      await db.updateTable('milestones').set({ is_demo: 1 }).where('id', '=', fixture.milestoneIds[1]).execute();
      const at = { jurisdictionSlug: 'gjakova', timeZone: 'Europe/Belgrade' };
      const cases: Array<[string, number, boolean]> = [
        ['jurisdiction', jurisdictionId, false],
        ['institution', fixture.leadId, false],
        ['plan', fixture.planId, false],
        ['commitment', fixture.commitmentId, false],
        ['milestone', fixture.milestoneIds[0], false],
        ['milestone', fixture.milestoneIds[1], true],
      ];
      for (const [kind, id, isDemo] of cases) assert.deepEqual(await byKind.get(kind)!.locate(db, id), { ...at, isDemo }, `${kind} ${id}`);
      for (const kind of byKind.keys()) if (['jurisdiction', 'institution', 'plan', 'commitment', 'milestone'].includes(kind)) assert.equal(await byKind.get(kind)!.locate(db, 999999), undefined, kind);
    });

    test('an unknown item of the kind, or the kind without its module, is a 404', async () => {
      assert.equal((await app.inject({ method: 'GET', url: '/en/history/widget/8' })).statusCode, 404);
      assert.equal((await plain.inject({ method: 'GET', url: '/en/history/widget/7' })).statusCode, 404);
    });

    test('the transparency page links its entries to their history', async () => {
      const res = await app.inject({ method: 'GET', url: '/en/transparency' });
      assert.match(res.body, /href="\/en\/history\/widget\/7"/);
      assert.match(res.body, /Polished/);
      assert.doesNotMatch((await plain.inject({ method: 'GET', url: '/en/transparency' })).body, /href="\/en\/history\/widget\/7"/);
    });

    test('its documents are indexed with the jurisdiction’s, and its kind is offered by the search form', async () => {
      const docs = (await buildSearchDocuments(database.db, jurisdictionId, [...MODULES, widgetModule('gjakova')])) ?? [];
      const widget = docs.find((d) => d.kind === 'widget');
      assert.deepEqual(widget && { key: widget.doc_key, jurisdiction: widget.jurisdiction_id, body: widget.body, demo: widget.is_demo }, { key: `widget:${jurisdictionId}`, jurisdiction: jurisdictionId, body: 'blue widget cobalt', demo: 1 });
      assert.ok(docs.some((d) => d.kind === 'commitment'), 'the other modules’ documents are there too');
      const form = (await app.inject({ method: 'GET', url: '/en/search' })).body;
      assert.match(form, /<option value="widget"/);
      assert.doesNotMatch((await plain.inject({ method: 'GET', url: '/en/search' })).body, /<option value="widget"/);
      const undeclared = defineModule({ name: 'sloppy', search: { kinds: ['a'], documents: async () => [{ doc_key: 'b:1', kind: 'b', title: '{}', path: '/', body: '', is_demo: 0 }] } });
      await assert.rejects(buildSearchDocuments(database.db, jurisdictionId, [undeclared]), /undeclared kind b/);
    });
  });
}

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../../../test/db.js';
import { openTestApp, type TestApp } from '../../../../test/app.js';
import { htmlErrors } from '../../../../test/html.js';
import { insertReportingFixture, type ReportingFixture } from '../../../../test/reporting-fixture.js';
import { seedDemoWitnesses, DEMO_QUORUM, DEMO_WITNESS_PREFIX } from '../../../db/seeds/witnesses-demo.js';
import { LOCALES } from '../../../i18n/locales.js';
import { translate } from '../../../i18n/index.js';
import { cosignatureVerifier, cosignLine, formatVkey, parseSignatureLine, rawEd25519PublicKey, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519 } from '../../../lib/tlog/note.js';
import { insertSession } from '../../accounts/index.js';
import { SYSTEM } from '../../audit/index.js';
import { checkpointNoteText } from '../keys.js';
import { latestCheckpoint, listEntries } from '../repository.js';
import { tdb } from '../tables.js';
import { verifyTransparencyLog } from '../verify.js';
import { addWitness, deactivateWitness, setWitnessQuorum, WitnessInputError } from './commands.js';
import { cosignatureLine, countCosigners } from './served.js';

const A = '/en/admin/witnesses';

function newKey(name: string): { vkey: string; privateKey: KeyObject } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { vkey: formatVkey(name, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(privateKey)), privateKey };
}

for (const dialect of DIALECTS) {
  describe(`witnesses: admin and public page [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    const sessions = { admin: '', jurisdictionAdmin: '', coordinator: '' };

    before(async () => {
      t = await openTestApp(dialect, { BESA_PUBLIC_URL: 'https://besa.example.org' });
      const db = t.database.db;
      f = await insertReportingFixture(db, 'gjakova');
      const local = await db
        .insertInto('users')
        .values({ email: 'local.admin@gjakova.example.org', display_name: 'Local admin', password_hash: 'x', created_at: new Date().toISOString() } as any)
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('user_roles').values({ user_id: local.id, role: 'administrator', jurisdiction_id: f.jurisdictionId, institution_id: null }).execute();
      sessions.admin = await insertSession(db, f.users.admin);
      sessions.jurisdictionAdmin = await insertSession(db, local.id);
      sessions.coordinator = await insertSession(db, f.users.coordinator);
    });

    after(async () => t.close());

    const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, cookies: session ? { besa_session: session } : {} });

    async function post(url: string, session: string, fields: Record<string, string>, csrf = true) {
      const page = await get('/en/login');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ ...(csrf ? { _csrf: token } : {}), ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { besa_session: session, _csrf: cookie },
      });
    }

    const witnessCount = async () => (await tdb(t.database.db).selectFrom('transparency_witnesses').select('id').execute()).length;
    const witnessEntries = async () => {
      const size = (await latestCheckpoint(t.database.db))?.treeSize ?? 0;
      return (await listEntries(t.database.db, 0, size)).filter((e) => e.entityType === 'witness');
    };

    const ALPHA = 'witness.alpha.example.org/besa';
    const alpha = newKey(ALPHA);
    const form = (extra: Record<string, string> = {}) => ({
      name: ALPHA,
      vkey: alpha.vkey,
      url: 'https://witness.alpha.example.org/',
      operator: 'Alpha <Civic> Association',
      policy_en: 'Keeps checkpoints ten years.',
      policy_sq: 'I ruan pikat e kontrollit dhjetë vjet.',
      ...extra,
    });

    test('only instance administrators: a jurisdiction administrator and a coordinator get 403 on every page and form, and nothing changes', async () => {
      for (const who of ['jurisdictionAdmin', 'coordinator'] as const) {
        assert.equal((await get(A, sessions[who])).statusCode, 403, who);
        assert.equal((await get(`${A}/new`, sessions[who])).statusCode, 403, who);
        assert.equal((await get(`${A}/1`, sessions[who])).statusCode, 403, `${who}: the role is asked before the id`);
        assert.equal((await post(`${A}/new`, sessions[who], form())).statusCode, 403, who);
        assert.equal((await post(`${A}/quorum`, sessions[who], { quorum: '0' })).statusCode, 403, who);
        assert.equal((await post(`${A}/1/deactivate`, sessions[who], {})).statusCode, 403, who);
      }
      const anonymous = await get(A);
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/en\/login/);
      assert.equal(await witnessCount(), 0);
    });

    test('a POST without the CSRF token is refused and adds nothing', async () => {
      const res = await post(`${A}/new`, sessions.admin, form(), false);
      assert.equal(res.statusCode, 403);
      assert.equal(await witnessCount(), 0);
    });

    test('bad input answers 422 with a clear message, keeping what was typed', async () => {
      const logKey = formatVkey(ALPHA, SIGNATURE_ED25519, rawEd25519PublicKey(generateKeyPairSync('ed25519').privateKey));
      const cases: [Record<string, string>, RegExp][] = [
        [{ vkey: 'not a key at all' }, /This is not a verifier key/],
        [{ vkey: alpha.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+') }, /This is not a verifier key/],
        [{ vkey: logKey }, /type 0x01, not a witness’s cosigning key \(type 0x04\)/],
        [{ name: 'witness.other.example.org/besa' }, /The key belongs to “witness.alpha.example.org\/besa”/],
        [{ url: 'ftp://witness.alpha.example.org/' }, /starting with https:\/\/ or http:\/\//],
        [{ url: 'javascript:alert(1)' }, /starting with https:\/\/ or http:\/\//],
        [{ operator: '' }, /Operator/],
      ];
      for (const [change, message] of cases) {
        const res = await post(`${A}/new`, sessions.admin, form(change));
        assert.equal(res.statusCode, 422, JSON.stringify(change));
        assert.match(res.body, message, JSON.stringify(change));
        // The typed input is kept (escaped).
        assert.ok(res.body.includes('value="https://witness.alpha.example.org/"') || change.url, 'the URL is kept');
        assert.ok(res.body.includes('I ruan pikat e kontrollit dhjetë vjet.'), 'the Albanian policy is kept');
        if (change.operator === undefined) assert.ok(res.body.includes('value="Alpha <Civic> Association"'), 'the operator is kept, in its attribute');
      }
      assert.equal(await witnessCount(), 0);
      assert.deepEqual(await witnessEntries(), []);
    });

    let alphaId = 0;
    test('adding a witness publishes witness.added with its public facts; its page and the list validate', async () => {
      const res = await post(`${A}/new`, sessions.admin, form());
      assert.equal(res.statusCode, 303, res.body);
      const row = await tdb(t.database.db).selectFrom('transparency_witnesses').selectAll().executeTakeFirstOrThrow();
      alphaId = Number(row.id);
      assert.equal(row.name, ALPHA);
      assert.equal(Number(row.active), 1);
      const entries = await witnessEntries();
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.action, 'witness.added');
      assert.equal(entries[0]!.entityId, alphaId);
      assert.deepEqual(entries[0]!.summary, {
        name: ALPHA,
        vkey: alpha.vkey,
        url: 'https://witness.alpha.example.org/',
        operator: 'Alpha <Civic> Association',
        policy: { en: 'Keeps checkpoints ten years.', sq: 'I ruan pikat e kontrollit dhjetë vjet.' },
      });
      // The same name again is refused.
      const again = await post(`${A}/new`, sessions.admin, form());
      assert.equal(again.statusCode, 422);
      assert.match(again.body, /already listed/);
      // The same key under another name is refused too: a cosignature does not sign the name, so it would count twice.
      const renamed = formatVkey('witness.other.example.org/w', SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(alpha.privateKey));
      const sameKey = await post(`${A}/new`, sessions.admin, form({ name: 'witness.other.example.org/w', vkey: renamed }));
      assert.equal(sameKey.statusCode, 422);
      assert.match(sameKey.body, /This public key is already listed, for the witness/);
      assert.equal(await witnessCount(), 1);
      for (const url of [A, `${A}/new`, `${A}/${alphaId}`]) {
        const page = await get(url, sessions.admin);
        assert.equal(page.statusCode, 200, url);
        assert.deepEqual(await htmlErrors(page.body), [], url);
      }
      assert.ok((await get(A, sessions.admin)).body.includes(alpha.vkey), 'the list shows the vkey');
      assert.ok((await get('/en/admin', sessions.admin)).body.includes(`href="${A}"`), 'the start page links the instance administrator to the witnesses');
      assert.ok(!(await get('/en/admin', sessions.jurisdictionAdmin)).body.includes(`href="${A}"`), '… and not a jurisdiction administrator');
    });

    test('editing publishes witness.changed with the changed fields only; 422 keeps the input; the name and key stay', async () => {
      const bad = await post(`${A}/${alphaId}`, sessions.admin, { url: 'mailto:someone', operator: 'Alpha Association', policy_en: 'New policy.' });
      assert.equal(bad.statusCode, 422);
      assert.ok(bad.body.includes('value="mailto:someone"'));
      assert.ok(bad.body.includes('New policy.'));
      const ok = await post(`${A}/${alphaId}`, sessions.admin, { url: 'https://witness.alpha.example.org/', operator: 'Alpha Association', policy_en: 'Keeps checkpoints ten years.', policy_sq: 'I ruan pikat e kontrollit dhjetë vjet.', name: 'ignored' });
      assert.equal(ok.statusCode, 303);
      const entries = await witnessEntries();
      assert.equal(entries.length, 2);
      assert.equal(entries[1]!.action, 'witness.changed');
      assert.deepEqual(entries[1]!.summary.changed, ['operator']);
      assert.deepEqual(entries[1]!.summary.values, { operator: 'Alpha Association' });
      assert.equal(entries[1]!.summary.name, ALPHA);
      const row = await tdb(t.database.db).selectFrom('transparency_witnesses').select(['name', 'operator']).where('id', '=', alphaId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { name: ALPHA, operator: 'Alpha Association' });
      // Saving the same again publishes nothing.
      await post(`${A}/${alphaId}`, sessions.admin, { url: 'https://witness.alpha.example.org/', operator: 'Alpha Association', policy_en: 'Keeps checkpoints ten years.', policy_sq: 'I ruan pikat e kontrollit dhjetë vjet.' });
      assert.equal((await witnessEntries()).length, 2);
    });

    test('the quorum: 0 … active witnesses, each change a witness.quorum_changed entry; deactivation is refused while it would exceed', async () => {
      const tooHigh = await post(`${A}/quorum`, sessions.admin, { quorum: '2' });
      assert.equal(tooHigh.statusCode, 422);
      assert.match(tooHigh.body, /cannot exceed the number of active witnesses \(1\)/);
      assert.ok(tooHigh.body.includes('value="2"'), 'the typed quorum is kept');
      const notNumber = await post(`${A}/quorum`, sessions.admin, { quorum: 'two' });
      assert.equal(notNumber.statusCode, 422);
      assert.equal((await post(`${A}/quorum`, sessions.admin, { quorum: '1' })).statusCode, 303);
      let entries = await witnessEntries();
      assert.equal(entries.at(-1)!.action, 'witness.quorum_changed');
      assert.equal(entries.at(-1)!.entityId, null);
      assert.deepEqual(entries.at(-1)!.summary, { quorum: 1, previous: 0, active: 1 });

      const refused = await post(`${A}/${alphaId}/deactivate`, sessions.admin, {});
      assert.equal(refused.statusCode, 303);
      assert.equal(Number((await tdb(t.database.db).selectFrom('transparency_witnesses').select('active').where('id', '=', alphaId).executeTakeFirstOrThrow()).active), 1, 'still active');
      assert.ok(String(refused.headers['set-cookie'] ?? '').includes('besa_flash'), 'the reason is said on the next page');
      await assert.rejects(deactivateWitness(t.database.db, SYSTEM, alphaId), WitnessInputError);

      assert.equal((await post(`${A}/quorum`, sessions.admin, { quorum: '0' })).statusCode, 303);
      assert.equal((await post(`${A}/${alphaId}/deactivate`, sessions.admin, {})).statusCode, 303);
      entries = await witnessEntries();
      assert.deepEqual(
        entries.map((e) => e.action),
        ['witness.added', 'witness.changed', 'witness.quorum_changed', 'witness.quorum_changed', 'witness.deactivated'],
      );
      assert.equal((await post(`${A}/${alphaId}/reactivate`, sessions.admin, {})).statusCode, 303);
      assert.equal((await witnessEntries()).at(-1)!.action, 'witness.reactivated');
      // Never deleted.
      assert.equal(await witnessCount(), 1);
      // The log with these entries still verifies.
      assert.equal((await verifyTransparencyLog(t.database.db)).ok, true);
    });

    test('the transparency page names the cosigners of the latest checkpoint with their times, the quorum, policies, vkeys; former witnesses apart', async () => {
      const db = t.database.db;
      const BETA = 'witness.beta.example.org/besa';
      const GAMMA = 'witness.gamma.example.org/besa';
      const beta = newKey(BETA);
      const gamma = newKey(GAMMA);
      const betaId = await addWitness(db, SYSTEM, { name: BETA, vkey: beta.vkey, url: 'https://witness.beta.example.org/', operator: 'Beta Institute', policy: { fr: 'Politique en français seulement.' } });
      const gammaId = await addWitness(db, SYSTEM, { name: GAMMA, vkey: gamma.vkey, url: 'http://witness.gamma.example.org/', operator: 'Gamma Retired', policy: {} });
      await deactivateWitness(db, SYSTEM, gammaId);
      await setWitnessQuorum(db, SYSTEM, 2);
      const latest = (await latestCheckpoint(db))!;
      const key = await tdb(db).selectFrom('transparency_keys').select('origin').where('id', '=', latest.keyId).executeTakeFirstOrThrow();
      const text = checkpointNoteText(key.origin, latest.treeSize, Buffer.from(latest.rootHash, 'hex'));
      const stamp = 1_780_000_000;
      for (const [id, name, k, ts] of [
        [alphaId, ALPHA, alpha.privateKey, stamp],
        [betaId, BETA, beta.privateKey, stamp + 60],
      ] as const) {
        const line = parseSignatureLine(cosignLine(text, name, k, ts));
        const sig = Buffer.concat([Buffer.alloc(4), line.signature]);
        sig.writeUInt32BE(line.keyId >>> 0, 0);
        await tdb(db).insertInto('transparency_cosignatures').values({ tree_size: latest.treeSize, witness_id: id, timestamp: ts, signature: sig.toString('base64'), received_at: new Date().toISOString() }).execute();
      }
      await tdb(db).updateTable('transparency_witnesses').set({ last_status: 'unreachable', last_contact_at: '2026-06-01T10:00:00.000Z' }).where('id', '=', gammaId).execute();

      const en = await get('/en/transparency');
      assert.equal(en.statusCode, 200);
      assert.deepEqual(await htmlErrors(en.body), []);
      assert.match(en.body, /Cosigned by 2 of 2 witnesses\./);
      assert.ok(en.body.includes(`datetime="${new Date(stamp * 1000).toISOString()}"`), 'the time Alpha cosigned');
      assert.ok(en.body.includes(`datetime="${new Date((stamp + 60) * 1000).toISOString()}"`), 'the time Beta cosigned');
      assert.match(en.body, /Quorum met: at least 2 active witnesses must cosign/);
      assert.ok(en.body.includes(alpha.vkey) && en.body.includes(beta.vkey) && en.body.includes(gamma.vkey), 'every vkey is shown');
      assert.ok(en.body.includes('Keeps checkpoints ten years.'));
      assert.ok(en.body.includes('<span class="fallback" lang="fr">Politique en français seulement.</span>'), 'a policy in another language, marked');
      const former = en.body.slice(en.body.indexOf('id="witnesses-inactive"'));
      assert.ok(former.includes('Gamma Retired') && former.includes('Could not be reached'), 'the former witness, apart, with its last status in words');
      assert.ok(!en.body.slice(0, en.body.indexOf('id="witnesses-inactive"')).includes('Gamma Retired'), 'not among the active ones');
      assert.ok(en.body.includes('href="/transparency/tlog/checkpoint"'));
      assert.ok(en.body.includes('besa monitor https://besa.example.org'));
      // The recent entries say what happened to the witness list, in words.
      assert.ok(en.body.includes('Witness added') && en.body.includes('Witness no longer asked') && en.body.includes('Number of required cosignatures changed'));
      for (const locale of LOCALES) {
        const page = await get(`/${locale}/transparency`);
        assert.equal(page.statusCode, 200, locale);
        assert.deepEqual(await htmlErrors(page.body), [], locale);
        assert.ok(page.body.includes(translate(locale, 'transparency.witnesses.title')), locale);
        assert.ok(page.body.includes(translate(locale, 'transparency.witnesses.action.added')), `${locale}: witness.added in words`);
      }
      // A new checkpoint nobody cosigned yet: 0 of 2, the quorum not met, the last witnessed one named.
      await setWitnessQuorum(db, SYSTEM, 1);
      const later = await get('/en/transparency');
      assert.match(later.body, /Cosigned by 0 of 2 witnesses\./);
      assert.match(later.body, /Quorum not met yet/);
      assert.ok(later.body.includes(`The newest checkpoint with cosignatures covers ${latest.treeSize} entries`));
    });
  });
}

describe('demonstration witnesses (besa seed --demo)', () => {
  test('three demonstration witnesses, quorum 2, real cosignatures on the latest checkpoint, log entries marked demonstration; once only', async () => {
    const t = await openTestApp('sqlite');
    try {
      const db = t.database.db;
      await insertReportingFixture(db, 'gjakova');
      assert.equal(await seedDemoWitnesses(db), 3);
      assert.equal(await seedDemoWitnesses(db), 0, 'a second run adds nothing');
      const witnesses = await tdb(db).selectFrom('transparency_witnesses').selectAll().orderBy('id').execute();
      assert.equal(witnesses.length, 3);
      for (const w of witnesses) {
        assert.ok(w.name.startsWith(DEMO_WITNESS_PREFIX));
        assert.equal(Number(w.is_demo), 1);
        assert.match(w.operator, /^Demonstration: /);
        assert.equal(w.last_status, 'cosigned');
      }
      assert.equal(Number((await tdb(db).selectFrom('transparency_witness_settings').select('quorum').executeTakeFirstOrThrow()).quorum), DEMO_QUORUM);
      const latest = (await latestCheckpoint(db))!;
      const key = await tdb(db).selectFrom('transparency_keys').select('origin').where('id', '=', latest.keyId).executeTakeFirstOrThrow();
      const text = checkpointNoteText(key.origin, latest.treeSize, Buffer.from(latest.rootHash, 'hex'));
      const cosignatures = await tdb(db).selectFrom('transparency_cosignatures').selectAll().execute();
      assert.equal(cosignatures.length, 3);
      for (const c of cosignatures) {
        assert.equal(Number(c.tree_size), latest.treeSize, 'on the latest checkpoint');
        const w = witnesses.find((x) => Number(x.id) === Number(c.witness_id))!;
        const verifier = cosignatureVerifier(w.name, Buffer.from(w.public_key, 'base64'));
        const bytes = Buffer.from(c.signature, 'base64');
        assert.equal(bytes.readUInt32BE(0), verifier.keyId, 'the key ID of the cosigner key');
        assert.equal(verifier.verify(text, bytes.subarray(4))?.timestamp, Number(c.timestamp), `${w.name}'s cosignature verifies`);
        assert.equal(verifier.verify(text.replace(/\n\d+\n/, '\n1\n'), bytes.subarray(4)), undefined, 'and not on another checkpoint');
      }
      const entries = (await listEntries(db, 0, latest.treeSize)).filter((e) => e.entityType === 'witness');
      assert.deepEqual(
        entries.map((e) => e.action),
        ['witness.added', 'witness.added', 'witness.added', 'witness.quorum_changed'],
      );
      assert.ok(entries.every((e) => e.summary.is_demo === 1), 'every entry is marked demonstration');
      const page = await t.app.inject({ url: '/en/transparency' });
      assert.match(page.body, /Cosigned by 3 of 3 witnesses\./);
      assert.ok(page.body.includes(translate('en', 'transparency.witnesses.demoNote')));
      assert.ok((page.body.match(/tag-demo/g) ?? []).length >= 6, 'the demonstration witnesses are labelled wherever they show');
      // Demonstration witnesses never count toward "met": an administrator's quorum counts only real active witnesses.
      const real = newKey('witness.real.example.org/besa');
      await addWitness(db, SYSTEM, { name: 'witness.real.example.org/besa', vkey: real.vkey, url: 'https://witness.real.example.org/', operator: 'Real', policy: {} });
      await assert.rejects(setWitnessQuorum(db, SYSTEM, 2), (e: unknown) => e instanceof WitnessInputError && e.key === 'transparency.witnesses.error.quorumTooHigh' && e.values.active === 1);
      await setWitnessQuorum(db, SYSTEM, 1);
      assert.equal(Number((await tdb(db).selectFrom('transparency_witness_settings').select('quorum').executeTakeFirstOrThrow()).quorum), 1);
    } finally {
      await t.close();
    }
  });
});

describe('cosigner vkeys', () => {
  test('a vkey whose base64 holds "+" is read (signed-note cuts at the first two "+"), and a broken one is still refused', async () => {
    const { parseWitnessVkey } = await import('./commands.js');
    let found = 0;
    for (let i = 0; i < 200 && found < 5; i++) {
      const name = `witness.plus.example.org/${i}`;
      const { vkey, privateKey } = newKey(name);
      const key = vkey.split('+').slice(2).join('+');
      if (!key.includes('+')) continue;
      found++;
      assert.equal(parseWitnessVkey(vkey, name), rawEd25519PublicKey(privateKey).toString('base64'));
      const flipped = vkey.slice(0, -2) + (vkey.at(-2) === 'A' ? 'B' : 'A') + vkey.at(-1);
      assert.throws(() => parseWitnessVkey(flipped, name), WitnessInputError, 'another key under the same ID is refused');
      assert.throws(() => parseWitnessVkey(vkey, `${name}x`), WitnessInputError);
    }
    assert.ok(found >= 5, 'keys with "+" were tried');
  });
});

describe('counting cosigners', () => {
  test('one public key counts once, whatever the names; inactive and demonstration witnesses do not count', () => {
    const row = (publicKey: string, active = true, isDemo = false) => ({ publicKey, active, isDemo });
    assert.equal(countCosigners([row('K1'), row('K1'), row('K2')]), 2);
    assert.equal(countCosigners([row('K1'), row('K2', false), row('K3', true, true)]), 1);
  });

  test('the stored cosignature becomes the signature line note.ts writes', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const text = 'besa.test/log\n1\n' + Buffer.alloc(32).toString('base64') + '\n';
    const line = cosignLine(text, 'w.example/1', privateKey, 1_780_000_000);
    assert.equal(cosignatureLine({ name: 'w.example/1', signature: line.slice(line.lastIndexOf(' ') + 1) }), line);
  });
});

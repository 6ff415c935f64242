import { generateKeyPairSync } from 'node:crypto';
import type { Db } from '../database.js';
import { cosignLine, formatVkey, parseSignatureLine, rawEd25519PublicKey, SIGNATURE_COSIGNATURE_V1 } from '../../lib/tlog/note.js';
import type { Translatable } from '../../lib/translatable.js';
import { SYSTEM } from '../../modules/audit/index.js';
import { checkpointNoteText, NOTE_FORMAT_C2SP } from '../../modules/transparency/keys.js';
import { tdb } from '../../modules/transparency/tables.js';
import { addWitness, setWitnessQuorum } from '../../modules/transparency/witnesses/commands.js';

/**
 * Three demonstration witnesses (`besa seed --demo`, issue 14): invented organisations, marked
 * is_demo = 1 wherever they show and never contacted. Their keys are generated here and thrown
 * away; each really cosigns (tlog-cosignature/v1) the log's latest C2SP checkpoint (note format 2;
 * the latest checkpoint of any format when none is, its C2SP text being the same three lines),
 * so the cosignatures on the transparency page verify. Adding them and setting the quorum to 2
 * are log entries like any change to the witness list. Runs once: nothing when they exist.
 */

export const DEMO_WITNESS_PREFIX = 'witness.demo.besa.invalid/';
export const DEMO_QUORUM = 2;

const policy = (en: string, sq: string, sr: string, fr: string): Translatable => ({ en, sq, 'sr-Latn': sr, fr });

const DEMO_WITNESSES: { slug: string; operator: string; policy: Translatable }[] = [
  {
    slug: 'civic-forum',
    operator: 'Demonstration: Civic Forum of Gjakova (invented)',
    policy: policy(
      'Demonstration only. Would keep every checkpoint it cosigns for ten years and publish any refusal.',
      'Vetëm për demonstrim. Do ta ruante çdo pikë kontrolli që bashkënënshkruan për dhjetë vjet dhe do të publikonte çdo refuzim.',
      'Samo za demonstraciju. Čuvao bi svaku kontrolnu tačku koju supotpiše deset godina i objavio svako odbijanje.',
      'Démonstration uniquement. Conserverait chaque point de contrôle cosigné pendant dix ans et publierait tout refus.',
    ),
  },
  {
    slug: 'open-data-network',
    operator: 'Demonstration: Open Data Network (invented)',
    policy: policy(
      'Demonstration only. Would answer within a minute and report to its members every quarter.',
      'Vetëm për demonstrim. Do të përgjigjej brenda një minute dhe do t’u raportonte anëtarëve çdo tremujor.',
      'Samo za demonstraciju. Odgovarao bi u roku od jednog minuta i izveštavao članove svakog tromesečja.',
      'Démonstration uniquement. Répondrait en moins d’une minute et rendrait compte à ses membres chaque trimestre.',
    ),
  },
  {
    slug: 'university-lab',
    operator: 'Demonstration: University Transparency Lab (invented)',
    policy: policy(
      'Demonstration only. Would run on the university’s own servers, outside the municipality’s control.',
      'Vetëm për demonstrim. Do të funksiononte në serverët e vetë universitetit, jashtë kontrollit të komunës.',
      'Samo za demonstraciju. Radio bi na sopstvenim serverima univerziteta, van kontrole opštine.',
      'Démonstration uniquement. Fonctionnerait sur les serveurs de l’université, hors du contrôle de la municipalité.',
    ),
  },
];

/** Adds the demonstration witnesses with their cosignatures and the quorum; returns how many were added. */
export async function seedDemoWitnesses(db: Db): Promise<number> {
  const t = tdb(db);
  const present = await t.selectFrom('transparency_witnesses').select('id').where('name', 'like', `${DEMO_WITNESS_PREFIX}%`).execute();
  if (present.length > 0) return 0;

  const made: { id: number; name: string; privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'] }[] = [];
  for (const w of DEMO_WITNESSES) {
    const name = `${DEMO_WITNESS_PREFIX}${w.slug}`;
    const { privateKey } = generateKeyPairSync('ed25519');
    const vkey = formatVkey(name, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(privateKey));
    // `.invalid` (RFC 2606): an address that can never be reached, should anything try.
    const id = await addWitness(db, SYSTEM, { name, vkey, url: `https://${name}`, operator: w.operator, policy: w.policy, isDemo: true });
    made.push({ id, name, privateKey });
  }
  await setWitnessQuorum(db, SYSTEM, DEMO_QUORUM, { isDemo: true });

  // The checkpoint the witnesses cosign: the latest C2SP one, else the latest (read after the entries above).
  const latest =
    (await t.selectFrom('transparency_checkpoints').selectAll().where('note_format', '=', NOTE_FORMAT_C2SP).orderBy('tree_size', 'desc').limit(1).executeTakeFirst()) ??
    (await t.selectFrom('transparency_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst());
  if (!latest) return made.length;
  const key = await t.selectFrom('transparency_keys').select(['origin']).where('id', '=', latest.key_id).executeTakeFirstOrThrow();
  const text = checkpointNoteText(key.origin, Number(latest.tree_size), Buffer.from(latest.root_hash, 'hex'));
  const now = Math.floor(Date.now() / 1000);
  await db.transaction().execute(async (trx) => {
    for (const [i, w] of made.entries()) {
      // A few seconds apart, as three witnesses answering in turn.
      const timestamp = now + i * 3;
      const line = parseSignatureLine(cosignLine(text, w.name, w.privateKey, timestamp));
      const signature = Buffer.concat([Buffer.alloc(4), line.signature]);
      signature.writeUInt32BE(line.keyId >>> 0, 0);
      const at = new Date(timestamp * 1000).toISOString();
      await tdb(trx)
        .insertInto('transparency_cosignatures')
        .values({ tree_size: Number(latest.tree_size), witness_id: w.id, timestamp, signature: signature.toString('base64'), received_at: at })
        .execute();
      await tdb(trx)
        .updateTable('transparency_witnesses')
        .set({ last_contact_at: at, last_status: 'cosigned', last_error: null, cosigned_size: Number(latest.tree_size) })
        .where('id', '=', w.id)
        .execute();
    }
  });
  return made.length;
}

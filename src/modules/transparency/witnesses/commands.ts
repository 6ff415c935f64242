import type { Db, Trx } from '../../../db/database.js';
import { NoteError, parseVkey, SIGNATURE_COSIGNATURE_V1 } from '../../../lib/tlog/note.js';
import { parseTranslatable, serializeTranslatable, type Translatable } from '../../../lib/translatable.js';
import { NotFoundError } from '../../../plugins/errors.js';
import { authorize, runCommand, type Actor } from '../../audit/index.js';
import { tdb } from '../tables.js';
import { canManageWitnesses } from './policy.js';
import { witnessVkey } from './queries.js';

/**
 * Every change to the instance's witnesses, each a command that checks canManageWitnesses and
 * publishes a log entry (entity type `witness`; the quorum's entity id is null) with the public
 * facts: the witness's name, cosigner vkey, URL, operator and policy, or the quorum. A witness is
 * never deleted: its past cosignatures stay verifiable with its key. A key change is a new witness.
 */

export const WITNESS_ENTITY = 'witness';
export const WITNESS_ADDED = 'witness.added';
export const WITNESS_CHANGED = 'witness.changed';
export const WITNESS_DEACTIVATED = 'witness.deactivated';
export const WITNESS_REACTIVATED = 'witness.reactivated';
export const WITNESS_QUORUM_CHANGED = 'witness.quorum_changed';
export const WITNESS_ACTIONS = [WITNESS_ADDED, WITNESS_CHANGED, WITNESS_DEACTIVATED, WITNESS_REACTIVATED, WITNESS_QUORUM_CHANGED] as const;

export type WitnessErrorKey =
  | 'transparency.witnesses.error.vkey'
  | 'transparency.witnesses.error.vkeyType'
  | 'transparency.witnesses.error.nameMismatch'
  | 'transparency.witnesses.error.url'
  | 'transparency.witnesses.error.nameTaken'
  | 'transparency.witnesses.error.keyTaken'
  | 'transparency.witnesses.error.quorum'
  | 'transparency.witnesses.error.quorumTooHigh';

/** The input was refused: `key` is a message key for the form field `field`. */
export class WitnessInputError extends Error {
  constructor(
    readonly field: string,
    readonly key: WitnessErrorKey,
    readonly values: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

/** A witness's submission prefix: http or https, no user name or password, no fragment. */
export function checkWitnessUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new WitnessInputError('url', 'transparency.witnesses.error.url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.hash || !url.hostname) {
    throw new WitnessInputError('url', 'transparency.witnesses.error.url');
  }
  return text.trim();
}

/**
 * Reads a cosigner vkey as `besa witness init` prints it: `<name>+<key ID>+<base64 key>`, type
 * 0x04 (cosignature/v1), its name equal to `name`. Returns the raw public key, base64.
 */
export function parseWitnessVkey(text: string, name: string): string {
  let vkey;
  try {
    vkey = parseVkey(text.trim());
  } catch (error) {
    if (error instanceof NoteError) throw new WitnessInputError('vkey', 'transparency.witnesses.error.vkey');
    throw error;
  }
  if (vkey.type !== SIGNATURE_COSIGNATURE_V1) throw new WitnessInputError('vkey', 'transparency.witnesses.error.vkeyType', { type: `0x${vkey.type.toString(16).padStart(2, '0')}` });
  if (vkey.name !== name) throw new WitnessInputError('vkey', 'transparency.witnesses.error.nameMismatch', { name: vkey.name });
  return vkey.publicKey.toString('base64');
}


export interface NewWitness {
  name: string;
  /** The cosigner vkey as printed by `besa witness init`. */
  vkey: string;
  url: string;
  operator: string;
  policy: Translatable;
  /** Demonstration data (`besa seed --demo`): labelled, never contacted. */
  isDemo?: boolean;
}

export interface WitnessChange {
  url: string;
  operator: string;
  policy: Translatable;
}

/** Only the languages with text, trimmed. */
function cleanPolicy(policy: Translatable): Translatable {
  const result: Translatable = {};
  for (const [locale, text] of Object.entries(policy) as [keyof Translatable, string | undefined][]) {
    const value = (text ?? '').trim();
    if (value) result[locale] = value;
  }
  return result;
}

/** Active witnesses that count toward the quorum: demonstration witnesses do not (served.ts "met"), except for the demonstration's own quorum. */
async function activeCount(trx: Trx, options: { includeDemo?: boolean } = {}): Promise<number> {
  let query = tdb(trx)
    .selectFrom('transparency_witnesses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('active', '=', 1);
  if (!options.includeDemo) query = query.where('is_demo', '=', 0);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

async function loadWitness(trx: Trx, id: number) {
  const row = await tdb(trx).selectFrom('transparency_witnesses').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** Adds a witness (active); returns its id. */
export async function addWitness(db: Db, actor: Actor, input: NewWitness): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageWitnesses);
    const name = input.name.trim();
    const publicKey = parseWitnessVkey(input.vkey, name);
    const url = checkWitnessUrl(input.url);
    const taken = await tdb(trx).selectFrom('transparency_witnesses').select('id').where('name', '=', name).executeTakeFirst();
    if (taken) throw new WitnessInputError('name', 'transparency.witnesses.error.nameTaken');
    // cosignature/v1 does not sign the witness's name: one key under two names would count twice toward the quorum.
    const keyTaken = await tdb(trx).selectFrom('transparency_witnesses').select('name').where('public_key', '=', publicKey).executeTakeFirst();
    if (keyTaken) throw new WitnessInputError('vkey', 'transparency.witnesses.error.keyTaken', { name: keyTaken.name });
    const policy = cleanPolicy(input.policy);
    const now = new Date().toISOString();
    const row = await tdb(trx)
      .insertInto('transparency_witnesses')
      .values({
        name,
        public_key: publicKey,
        url,
        operator: input.operator.trim(),
        policy: serializeTranslatable(policy),
        active: 1,
        is_demo: input.isDemo ? 1 : 0,
        created_at: now,
        updated_at: now,
        last_contact_at: null,
        last_status: null,
        last_error: null,
        cosigned_size: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    await audit.publish(WITNESS_ADDED, WITNESS_ENTITY, id, {
      name,
      vkey: witnessVkey(name, publicKey),
      url,
      operator: input.operator.trim(),
      policy,
      ...(input.isDemo ? { is_demo: 1 } : {}),
    });
    return id;
  });
}

/** Changes a witness's URL, operator or policy (its name and key stay: a new key is a new witness). */
export async function updateWitness(db: Db, actor: Actor, id: number, input: WitnessChange): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageWitnesses);
    const current = await loadWitness(trx, id);
    const url = checkWitnessUrl(input.url);
    const next = { url, operator: input.operator.trim(), policy: cleanPolicy(input.policy) };
    const before = { url: current.url, operator: current.operator, policy: parseTranslatable(current.policy) };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
    if (changed.length === 0) {
      audit.nothingPublic();
      return;
    }
    await tdb(trx)
      .updateTable('transparency_witnesses')
      .set({ url: next.url, operator: next.operator, policy: serializeTranslatable(next.policy), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await audit.publish(WITNESS_CHANGED, WITNESS_ENTITY, id, {
      name: current.name,
      vkey: witnessVkey(current.name, current.public_key),
      changed,
      values: Object.fromEntries(changed.map((k) => [k, next[k]])),
      ...(Number(current.is_demo) === 1 ? { is_demo: 1 } : {}),
    });
  });
}

/**
 * Stops asking a witness (kept, with its cosignatures). Refused while the quorum would exceed the
 * active witnesses left: lower the quorum first.
 */
export async function deactivateWitness(db: Db, actor: Actor, id: number): Promise<void> {
  await setActive(db, actor, id, false);
}

/** Asks a deactivated witness again. */
export async function reactivateWitness(db: Db, actor: Actor, id: number): Promise<void> {
  await setActive(db, actor, id, true);
}

async function setActive(db: Db, actor: Actor, id: number, active: boolean): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageWitnesses);
    const current = await loadWitness(trx, id);
    if ((Number(current.active) === 1) === active) {
      audit.nothingPublic();
      return;
    }
    if (!active && Number(current.is_demo) !== 1) {
      const quorum = Number((await tdb(trx).selectFrom('transparency_witness_settings').select('quorum').where('id', '=', 1).executeTakeFirst())?.quorum ?? 0);
      const left = (await activeCount(trx)) - 1;
      if (quorum > left) throw new WitnessInputError('quorum', 'transparency.witnesses.error.quorumTooHigh', { quorum, active: left });
    }
    await tdb(trx)
      .updateTable('transparency_witnesses')
      .set({ active: active ? 1 : 0, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await audit.publish(active ? WITNESS_REACTIVATED : WITNESS_DEACTIVATED, WITNESS_ENTITY, id, {
      name: current.name,
      vkey: witnessVkey(current.name, current.public_key),
      ...(Number(current.is_demo) === 1 ? { is_demo: 1 } : {}),
    });
  });
}

/** Sets how many active witnesses must cosign a checkpoint (0 … the number of active non-demonstration witnesses; the demonstration seed counts its own). */
export async function setWitnessQuorum(db: Db, actor: Actor, quorum: number, options: { isDemo?: boolean } = {}): Promise<void> {
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageWitnesses);
    if (!Number.isSafeInteger(quorum) || quorum < 0) throw new WitnessInputError('quorum', 'transparency.witnesses.error.quorum');
    const active = await activeCount(trx, { includeDemo: options.isDemo === true });
    if (quorum > active) throw new WitnessInputError('quorum', 'transparency.witnesses.error.quorumTooHigh', { quorum, active });
    const t = tdb(trx);
    const current = await t.selectFrom('transparency_witness_settings').select('quorum').where('id', '=', 1).executeTakeFirst();
    const previous = current ? Number(current.quorum) : 0;
    if (current && previous === quorum) {
      audit.nothingPublic();
      return;
    }
    const now = new Date().toISOString();
    if (current) await t.updateTable('transparency_witness_settings').set({ quorum, updated_at: now }).where('id', '=', 1).execute();
    else await t.insertInto('transparency_witness_settings').values({ id: 1, quorum, updated_at: now }).execute();
    await audit.publish(WITNESS_QUORUM_CHANGED, WITNESS_ENTITY, null, { quorum, previous, active, ...(options.isDemo ? { is_demo: 1 } : {}) });
  });
}

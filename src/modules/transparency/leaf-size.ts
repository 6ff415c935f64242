import { MAX_ENTRY_BYTES } from '../../lib/tlog/tiles.js';
import { isKeyChange } from './keys.js';
import { leafText, type PublishedChange } from './repository.js';

/**
 * An entry bundle (C2SP tlog-tiles) gives each entry a uint16 length, so a leaf is at most
 * MAX_ENTRY_BYTES (65,535) bytes of UTF-8. A change whose leaf would be longer is split here,
 * before the leaves are numbered, into several changes of the same action, entity, role and time,
 * each publishing some of the fields: replayed in order, they give the same last value of every
 * field as the one change would have (the state check, the history page and the monitor read
 * `values` and `changed` field by field).
 */

/** The size a leaf is measured with: the largest index any leaf can have, so the real leaf is never longer. */
const MEASURE_INDEX = Number.MAX_SAFE_INTEGER;

/** Bytes of the change's leaf (UTF-8), measured as if it had the longest possible index. */
export function leafBytes(change: PublishedChange): number {
  return Buffer.byteLength(leafText(MEASURE_INDEX, change), 'utf8');
}

/** A change that cannot fit one entry even alone: one field's value is too large. Nothing is written. */
export class LeafTooLargeError extends Error {
  override readonly name = 'LeafTooLargeError';
  constructor(
    readonly action: string,
    readonly entityType: string,
    readonly entityId: number | null,
    /** The field too large on its own, or undefined when the change has no values to split. */
    readonly field: string | undefined,
    /** Bytes of the smallest leaf that still holds it. */
    readonly bytes: number,
    readonly limit: number = MAX_ENTRY_BYTES,
  ) {
    super(
      `transparency log: ${action} of ${entityType}${entityId === null ? '' : ` ${entityId}`} cannot be published: ` +
        (field === undefined ? `its entry is ${bytes} bytes` : `its field "${field}" alone makes an entry of ${bytes} bytes`) +
        `, and an entry holds at most ${limit} bytes (an entry bundle's uint16 length)`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The changes to append, each leaf at most `limit` bytes: a change that fits is kept as it is;
 * a larger one with more than one field in `summary.values` becomes several, greedily packed in
 * the order of its fields. Each part holds a subset of `values` and the same subset of `changed`;
 * the summary's other keys (e.g. `previousStatus`, read beside `status`) are repeated in every
 * part, and fields named in `changed` without a value go in the first. Key changes are never
 * split. Throws LeafTooLargeError, before anything is written, when a part cannot be made to fit.
 */
export function fitLeaves(changes: readonly PublishedChange[], limit: number = MAX_ENTRY_BYTES): PublishedChange[] {
  const out: PublishedChange[] = [];
  for (const change of changes) {
    const bytes = leafBytes(change);
    if (bytes <= limit) {
      out.push(change);
      continue;
    }
    const values = change.summary.values;
    if (isKeyChange(change.action) || !isObject(values) || Object.keys(values).length < 2) {
      throw new LeafTooLargeError(change.action, change.entityType, change.entityId, isObject(values) ? Object.keys(values)[0] : undefined, bytes, limit);
    }
    out.push(...splitChange(change, values, limit));
  }
  return out;
}

function splitChange(change: PublishedChange, values: Record<string, unknown>, limit: number): PublishedChange[] {
  const { changed: rawChanged, values: _values, ...rest } = change.summary;
  const changed = Array.isArray(rawChanged) ? rawChanged : undefined;
  // Fields in the order `changed` names them, then any value it does not name.
  const named = (changed ?? []).filter((f): f is string => typeof f === 'string' && f in values);
  const fields = [...new Set([...named, ...Object.keys(values)])];
  const withoutValue = (changed ?? []).filter((f) => typeof f !== 'string' || !(f in values));

  const part = (subset: readonly string[], first: boolean): PublishedChange => {
    const summary: Record<string, unknown> = { ...rest };
    if (changed) summary.changed = [...(first ? withoutValue : []), ...subset];
    summary.values = Object.fromEntries(subset.map((f) => [f, values[f]]));
    return { ...change, summary };
  };

  const parts: string[][] = [];
  let current: string[] = [];
  for (const field of fields) {
    const candidate = [...current, field];
    if (leafBytes(part(candidate, parts.length === 0)) <= limit) {
      current = candidate;
      continue;
    }
    if (current.length > 0) parts.push(current);
    current = [field];
    const alone = leafBytes(part(current, parts.length === 0));
    if (alone > limit) throw new LeafTooLargeError(change.action, change.entityType, change.entityId, field, alone, limit);
  }
  if (current.length > 0) parts.push(current);
  return parts.map((subset, i) => part(subset, i === 0));
}

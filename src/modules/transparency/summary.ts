/**
 * Builds the public summary of a change for the transparency log: the names of the fields that
 * changed and their new values. Only pass public fields (what the public pages show); translatable
 * values stored as JSON text are published as their parsed `{ locale: text }` objects.
 */
export function publicChanges(before: object | undefined, after: object): { changed: string[]; values: Record<string, unknown> } {
  const changed: string[] = [];
  const values: Record<string, unknown> = {};
  const previous = before as Record<string, unknown> | undefined;
  for (const [field, raw] of Object.entries(after)) {
    if (raw === undefined) continue;
    const next = normalizePublished(raw);
    if (previous && field in previous && same(normalizePublished(previous[field]), next)) continue;
    changed.push(field);
    values[field] = next;
  }
  return { changed, values };
}

/** JSON text of an object or array (translatable fields, lists) is published parsed; the state check compares stored values the same way. */
export function normalizePublished(value: unknown): unknown {
  if (typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value ?? null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * Small form handling: read submitted strings, collect errors per field, keep every value.
 * Errors carry message keys so views can translate them.
 */
export type FormValues = Record<string, string>;

export interface FieldError {
  field: string;
  /** An i18n message key. */
  message: string;
  values?: Record<string, string | number>;
}

export class FormErrors {
  readonly list: FieldError[] = [];
  add(field: string, message: string, values?: Record<string, string | number>): void {
    if (!this.for(field)) this.list.push({ field, message, ...(values ? { values } : {}) });
  }
  for(field: string): FieldError | undefined {
    return this.list.find((e) => e.field === field);
  }
  get any(): boolean {
    return this.list.length > 0;
  }
}

/**
 * Characters no text field may hold: C0 controls except tab, line feed and carriage return, DEL,
 * C1 controls, and UTF-16 surrogates that are not part of a pair (with the `u` flag a paired
 * surrogate is one code point, so only lone ones match). PostgreSQL cannot store U+0000 in text;
 * inside translatable JSON it is stored escaped and breaks the next write that copies it (an
 * invitation naming the jurisdiction, a reminder naming the commitment); a lone surrogate cannot
 * be written as UTF-8 at all.
 */
const UNSTORABLE_CLASS = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]';
const UNSTORABLE = new RegExp(UNSTORABLE_CLASS, 'u');
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_CLASS, 'gu');

/** True when the text holds a character that cannot be stored (see UNSTORABLE_CLASS). */
export function hasUnstorable(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** The text without the characters that cannot be stored; everything else is kept as typed. */
export function withoutUnstorable(text: string): string {
  return text.replace(UNSTORABLE_ALL, '');
}

/**
 * The fields of a read form whose submitted text held characters that cannot be stored (they were
 * removed). Kept beside the values so every reader of them (the require and optional helpers,
 * `unstorableErrors`) reports the same fields.
 */
const refusedFields = new WeakMap<FormValues, Set<string>>();

/** The form fields whose submitted text held characters that cannot be stored. */
export function unstorableFields(values: FormValues): string[] {
  return [...(refusedFields.get(values) ?? [])];
}

/**
 * Adds "contains a character that cannot be stored" for every such field of `values` to `errors`
 * (for forms whose fields are checked elsewhere, e.g. by a command); returns `errors`. Hidden
 * fields that are checked on their own (a `next` path, which `safeNext` rules on) go in `except`.
 */
export function unstorableErrors(values: FormValues, errors = new FormErrors(), except: readonly string[] = []): FormErrors {
  for (const field of unstorableFields(values)) if (!except.includes(field)) errors.add(field, 'form.error.character');
  return errors;
}

function clean(text: string, field: string, refused: Set<string>): string {
  if (!hasUnstorable(text)) return text;
  refused.add(field);
  return withoutUnstorable(text);
}

/**
 * Flattens a parsed body (urlencoded, JSON or multipart fields) to strings (repeated simple fields
 * are joined by line feeds). This is the one place form text is read: characters that cannot be
 * stored are removed here, and the field is remembered so the helpers below refuse it with
 * `form.error.character` while the form re-renders with the rest of what was typed.
 */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  const refused = new Set<string>();
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') out[key] = clean(value, key, refused);
      else if (Array.isArray(value)) out[key] = clean(value.filter((v) => typeof v === 'string').join('\n'), key, refused);
    }
  }
  if (refused.size > 0) refusedFields.set(out, refused);
  return out;
}

/**
 * Values of a repeated field (checkboxes, multi-selects), without the characters that cannot be
 * stored (such a value is not one of the offered choices, which the caller checks anyway).
 */
export function formList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [withoutUnstorable(value)];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map(withoutUnstorable);
  return [];
}

/** A field's trimmed text; a field that held characters that cannot be stored is refused first. */
function read(values: FormValues, errors: FormErrors, field: string): string {
  if (refusedFields.get(values)?.has(field)) errors.add(field, 'form.error.character');
  return (values[field] ?? '').trim();
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function requireText(values: FormValues, errors: FormErrors, field: string, max = 10_000): string {
  const value = read(values, errors, field);
  if (!value) errors.add(field, 'form.error.required');
  else if (value.length > max) errors.add(field, 'form.error.tooLong', { max });
  return value;
}

export function optionalText(values: FormValues, errors: FormErrors, field: string, max = 20_000): string {
  const value = read(values, errors, field);
  if (value.length > max) errors.add(field, 'form.error.tooLong', { max });
  return value;
}

export function requireDate(values: FormValues, errors: FormErrors, field: string): string {
  const value = read(values, errors, field);
  if (!value) errors.add(field, 'form.error.required');
  else if (!isIsoDate(value)) errors.add(field, 'form.error.date');
  return value;
}

export function optionalDate(values: FormValues, errors: FormErrors, field: string): string | null {
  const value = read(values, errors, field);
  if (!value) return null;
  if (!isIsoDate(value)) errors.add(field, 'form.error.date');
  return value;
}

export function requireSlug(values: FormValues, errors: FormErrors, field: string): string {
  const value = read(values, errors, field);
  if (!value) errors.add(field, 'form.error.required');
  else if (value.length > 80 || !SLUG.test(value)) errors.add(field, 'form.error.slug');
  return value;
}

export function requireChoice<T extends string>(values: FormValues, errors: FormErrors, field: string, choices: readonly T[]): T {
  const value = read(values, errors, field);
  if (!(choices as readonly string[]).includes(value)) errors.add(field, value ? 'form.error.choice' : 'form.error.required');
  return value as T;
}

export function optionalInteger(values: FormValues, errors: FormErrors, field: string, min: number, max: number): number | null {
  const value = read(values, errors, field);
  if (!value) return null;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) errors.add(field, 'form.error.integer', { min, max });
  return n;
}

export function optionalUrl(values: FormValues, errors: FormErrors, field: string): string | null {
  const value = read(values, errors, field);
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
  } catch {
    errors.add(field, 'form.error.url');
  }
  return value;
}

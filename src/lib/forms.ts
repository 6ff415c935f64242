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

/** Flattens a parsed urlencoded body to strings (the last value wins for repeated simple fields). */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === 'string').join('\n');
  }
  return out;
}

/** Values of a repeated field (checkboxes, multi-selects). */
export function formList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function requireText(values: FormValues, errors: FormErrors, field: string, max = 10_000): string {
  const value = (values[field] ?? '').trim();
  if (!value) errors.add(field, 'form.error.required');
  else if (value.length > max) errors.add(field, 'form.error.tooLong', { max });
  return value;
}

export function optionalText(values: FormValues, errors: FormErrors, field: string, max = 20_000): string {
  const value = (values[field] ?? '').trim();
  if (value.length > max) errors.add(field, 'form.error.tooLong', { max });
  return value;
}

export function requireDate(values: FormValues, errors: FormErrors, field: string): string {
  const value = (values[field] ?? '').trim();
  if (!value) errors.add(field, 'form.error.required');
  else if (!isIsoDate(value)) errors.add(field, 'form.error.date');
  return value;
}

export function optionalDate(values: FormValues, errors: FormErrors, field: string): string | null {
  const value = (values[field] ?? '').trim();
  if (!value) return null;
  if (!isIsoDate(value)) errors.add(field, 'form.error.date');
  return value;
}

export function requireSlug(values: FormValues, errors: FormErrors, field: string): string {
  const value = (values[field] ?? '').trim();
  if (!value) errors.add(field, 'form.error.required');
  else if (value.length > 80 || !SLUG.test(value)) errors.add(field, 'form.error.slug');
  return value;
}

export function requireChoice<T extends string>(values: FormValues, errors: FormErrors, field: string, choices: readonly T[]): T {
  const value = (values[field] ?? '').trim();
  if (!(choices as readonly string[]).includes(value)) errors.add(field, value ? 'form.error.choice' : 'form.error.required');
  return value as T;
}

export function optionalInteger(values: FormValues, errors: FormErrors, field: string, min: number, max: number): number | null {
  const value = (values[field] ?? '').trim();
  if (!value) return null;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) errors.add(field, 'form.error.integer', { min, max });
  return n;
}

export function optionalUrl(values: FormValues, errors: FormErrors, field: string): string | null {
  const value = (values[field] ?? '').trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
  } catch {
    errors.add(field, 'form.error.url');
  }
  return value;
}

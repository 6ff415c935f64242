/** E-mail addresses: validation for the outbox, masking for pages, scrubbing for stored errors. */

const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export class InvalidMailError extends Error {
  override readonly name = 'InvalidMailError';
}

/**
 * One plain address (`name@example.org`), no display name, no list, no line breaks (which would
 * let a value inject headers). The local part is ASCII; the domain may be internationalized.
 */
export function isMailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** `alice@example.org` → `a***@example.org`: enough to tell messages apart, not to read the address. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${[...address.slice(0, at)][0]}***@${address.slice(at + 1)}`;
}

const ANY_ADDRESS = /[^\s<>()[\]\\,;:"'@]+@[^\s<>()[\]\\,;:"'@]+\.[^\s<>()[\]\\,;:"'@]+/gu;

/** Masks every address in a server's error text and shortens it, before it is stored or shown. */
export function scrubError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const text = raw.replace(ANY_ADDRESS, (m) => maskAddress(m)).replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 499)}…` : text || 'unknown error';
}

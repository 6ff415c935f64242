import { Secret, TOTP } from 'otpauth';

/** TOTP as in RFC 6238 (SHA-1, 6 digits, 30 seconds): what every authenticator app reads. */
const PERIOD = 30;
const ISSUER = 'Besa';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app accepts for manual entry; labelled with the display name (no e-mail shown). */
export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

/** Checks a code within ±1 step; returns the time step it matched, or null. */
export function matchTotp(secret: string, code: string, now = new Date()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The code for a moment (tests, and the CLI if it ever needs one). */
export function totpCode(secret: string, now = new Date()): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

/** Groups a base32 secret in fours so it is easier to type. */
export function formatSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

import { createHash, randomBytes } from 'node:crypto';

/**
 * One-time tokens of every link and session of Besa (sign-in sessions, account set-up and password
 * links, confirmation and erasure links of participation and subscriptions): 32 random bytes,
 * URL-safe, stored only as their SHA-256 (hex), so that a leaked database holds no usable token.
 */

/** A new token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 of a token (UTF-8), in hex: what is stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

import { cosignatureVerifier, keyIdHex, NoteError, parseSignatureLine } from '../../../lib/tlog/note.js';
import { formatAddCheckpoint, MAX_PROOF_LINES, TLOG_SIZE_CONTENT_TYPE } from '../../../lib/tlog/witness-protocol.js';

/**
 * The log's side of the tlog-witness protocol (c2sp.org/tlog-witness): one `add-checkpoint`
 * request to one witness, and the checks of its answer. No database here (cosign.ts decides what
 * to send and stores what comes back).
 */

/** How long Besa waits for a witness's whole answer. */
export const WITNESS_TIMEOUT_MS = 5_000;
/** The largest answer read from a witness (a few signature lines are a few hundred bytes). */
export const MAX_WITNESS_RESPONSE_BYTES = 16 * 1024;
/** How far in the future a cosignature's timestamp may be (clock differences). */
export const MAX_COSIGNATURE_SKEW_SECONDS = 300;
export { MAX_PROOF_LINES };

export interface WitnessIdentity {
  /** The witness's key name. */
  name: string;
  /** Raw 32-byte Ed25519 cosigner key. */
  publicKey: Buffer;
  /** Submission prefix. */
  url: string;
}

export interface AddCheckpointRequest {
  oldSize: number;
  /** Consistency proof from oldSize to the checkpoint's size (empty when oldSize is 0). */
  proof: readonly Buffer[];
  /** The checkpoint text (what the cosignature signs). */
  text: string;
  /** The whole signed note (text, blank line, the log's signature line). */
  note: string;
}

export type AddCheckpointResult =
  | { kind: 'cosigned'; timestamp: number; keyId: number; /** base64 of key ID || timestamp || signature */ signature: string; line: string }
  /** 409: the witness holds another size for this log. */
  | { kind: 'size'; witnessSize: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'unreachable'; reason: string };

/** The request body: `old <size>`, proof lines (base64), a blank line, the checkpoint note. */
export function addCheckpointBody(request: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(request.oldSize) || request.oldSize < 0) throw new RangeError('old size is a non-negative integer');
  if (request.oldSize === 0 && request.proof.length > 0) throw new RangeError('no consistency proof from size 0');
  if (request.proof.length > MAX_PROOF_LINES) throw new RangeError(`at most ${MAX_PROOF_LINES} proof lines`);
  return formatAddCheckpoint(request.oldSize, request.proof, request.note);
}

export function addCheckpointUrl(prefix: string): string {
  return `${prefix.replace(/\/+$/, '')}/add-checkpoint`;
}

/**
 * Checks a 200 answer: every line must be a signature line, and at least one must be a valid
 * cosignature/v1 by this witness's key on this checkpoint text, with a timestamp that is not zero
 * and not ahead of `nowSeconds` by more than the allowed skew. Lines by other keys are ignored
 * (the specification requires it); a line by this witness's key that does not verify refuses the
 * whole answer.
 */
export function checkCosignatures(body: string, witness: Pick<WitnessIdentity, 'name' | 'publicKey'>, text: string, nowSeconds: number): AddCheckpointResult {
  if (body.length === 0 || !body.endsWith('\n')) return { kind: 'refused', reason: 'the witness answered without signature lines' };
  const verifier = cosignatureVerifier(witness.name, witness.publicKey);
  let found: AddCheckpointResult | undefined;
  for (const line of body.slice(0, -1).split('\n')) {
    let parsed;
    try {
      parsed = parseSignatureLine(line);
    } catch (error) {
      if (error instanceof NoteError) return { kind: 'refused', reason: 'the witness answered a line that is not a note signature' };
      throw error;
    }
    if (parsed.name !== verifier.name || parsed.keyId !== verifier.keyId) continue;
    const checked = verifier.verify(text, parsed.signature);
    if (!checked || checked.timestamp === undefined) {
      return { kind: 'refused', reason: `a cosignature by the witness's key (${keyIdHex(verifier.keyId)}) does not verify on this checkpoint` };
    }
    if (checked.timestamp <= 0) return { kind: 'refused', reason: 'the cosignature has no timestamp' };
    if (checked.timestamp > nowSeconds + MAX_COSIGNATURE_SKEW_SECONDS) return { kind: 'refused', reason: 'the cosignature is dated in the future' };
    found ??= { kind: 'cosigned', timestamp: checked.timestamp, keyId: verifier.keyId, signature: line.slice(line.lastIndexOf(' ') + 1), line };
  }
  return found ?? { kind: 'refused', reason: `the witness answered no cosignature by its key (${keyIdHex(verifier.keyId)})` };
}

const STATUS_REASONS: Record<number, string> = {
  400: 'the witness found the request malformed (HTTP 400)',
  403: "the witness did not accept the log's signature (HTTP 403)",
  404: 'the witness does not know this log (HTTP 404)',
  422: 'the witness found the checkpoint inconsistent with what it saw before (HTTP 422)',
};

/** Reads at most `limit` bytes of a body; undefined when it is longer. */
async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: unknown; name?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError') return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const code = typeof e?.cause?.code === 'string' && /^[A-Z_]{3,40}$/.test(e.cause.code) ? ` (${e.cause.code})` : '';
  return `could not reach the witness${code}`;
}

/**
 * POST <url>/add-checkpoint. Never throws for what the witness does: its answer, its silence and
 * network failures come back as a result with a short reason fit for public pages (no stack
 * traces, no addresses but the witness's own public URL).
 */
export async function addCheckpoint(
  witness: WitnessIdentity,
  request: AddCheckpointRequest,
  options: { timeoutMs?: number; now?: () => Date } = {},
): Promise<AddCheckpointResult> {
  const timeoutMs = options.timeoutMs ?? WITNESS_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  let response: Response;
  let body: string | undefined;
  try {
    response = await fetch(addCheckpointUrl(witness.url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: addCheckpointBody(request),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await readLimited(response, MAX_WITNESS_RESPONSE_BYTES);
  } catch (error) {
    return { kind: 'unreachable', reason: networkReason(error, timeoutMs) };
  }
  if (body === undefined) return { kind: 'refused', reason: `the witness's answer is larger than ${MAX_WITNESS_RESPONSE_BYTES} bytes` };
  if (response.status === 200) return checkCosignatures(body, witness, request.text, Math.floor(now().getTime() / 1000));
  if (response.status === 409) {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const match = /^(0|[1-9][0-9]{0,15})\n$/.exec(body);
    if (type !== TLOG_SIZE_CONTENT_TYPE || !match || !Number.isSafeInteger(Number(match[1]))) {
      return { kind: 'refused', reason: 'the witness answered 409 without its tree size (text/x.tlog.size)' };
    }
    return { kind: 'size', witnessSize: Number(match[1]) };
  }
  const reason = STATUS_REASONS[response.status];
  if (reason) return { kind: 'refused', reason };
  if (response.status >= 500) return { kind: 'unreachable', reason: `the witness failed (HTTP ${response.status})` };
  return { kind: 'refused', reason: `the witness answered HTTP ${response.status}` };
}

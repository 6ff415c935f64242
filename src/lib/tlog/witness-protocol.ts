/**
 * The add-checkpoint request of c2sp.org/tlog-witness, shared by the log (the client) and
 * `besa witness` (the server): the body format, its parser and the limits.
 */

/** The most consistency proof lines a request may carry. */
export const MAX_PROOF_LINES = 63;

/** The content type of a 409 answer, whose body is the witness's tree size for the log. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** A malformed add-checkpoint body. */
export class BadRequest extends Error {}

export interface ParsedAddCheckpoint {
  oldSize: number;
  proof: Buffer[];
  /** The checkpoint note (text, blank line, signatures). */
  note: string;
}

const HASH = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Parses an add-checkpoint body: `old N`, up to 63 base64 hashes one per line, an empty line, the
 * checkpoint note. Throws BadRequest naming what is wrong.
 */
export function parseAddCheckpoint(body: string): ParsedAddCheckpoint {
  let at = 0;
  const nextLine = (what: string): string => {
    const end = body.indexOf('\n', at);
    if (end < 0) throw new BadRequest(`${what}: every line ends in a newline`);
    const line = body.slice(at, end);
    at = end + 1;
    return line;
  };
  const first = nextLine('the old size line');
  const match = /^old (0|[1-9][0-9]{0,15})$/.exec(first);
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new BadRequest('the first line is "old <size>", the size in decimal without leading zeroes');
  const oldSize = Number(match[1]);
  const proof: Buffer[] = [];
  for (;;) {
    const line = nextLine('the consistency proof');
    if (line === '') break;
    if (proof.length === MAX_PROOF_LINES) throw new BadRequest(`more than ${MAX_PROOF_LINES} consistency proof lines`);
    const hash = Buffer.from(line, 'base64');
    if (!HASH.test(line) || hash.length !== 32 || hash.toString('base64') !== line) throw new BadRequest(`consistency proof line ${proof.length + 1} is not a base64 SHA-256 hash`);
    proof.push(hash);
  }
  const note = body.slice(at);
  if (note.length === 0) throw new BadRequest('no checkpoint after the empty line');
  return { oldSize, proof, note };
}

/**
 * The body of an add-checkpoint request: `old <size>`, the proof lines (base64), a blank line, the
 * checkpoint note. Writes what it is given (tests send wrong bodies on purpose); the log checks
 * its request first (witnesses/client.ts addCheckpointBody).
 */
export function formatAddCheckpoint(oldSize: number, proof: readonly Buffer[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${note}`;
}

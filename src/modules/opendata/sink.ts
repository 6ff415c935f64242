import { once } from 'node:events';

/** Writes to a stream and waits for 'drain' when its buffer is full: memory stays flat whatever is written. */
export async function writeChunk(out: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  if ((out as { destroyed?: boolean }).destroyed) throw new Error('the output was closed');
  if (!out.write(chunk)) {
    await Promise.race([once(out, 'drain'), once(out, 'close').then(() => { throw new Error('the output was closed'); })]);
  }
}

/** What a writer reports as it goes: rows written so far, of an estimated total. */
export type Progress = (done: number, total: number) => void;

/** Writes to a stream and waits for 'drain' when its buffer is full: memory stays flat whatever is written. */
export async function writeChunk(out: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  if ((out as { destroyed?: boolean }).destroyed) throw new Error('the output was closed');
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      out.removeListener('drain', onDrain);
      out.removeListener('close', onClose);
      out.removeListener('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the output was closed'));
    const onError = (error: Error) => done(error);
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}

/** What a writer reports as it goes: rows written so far, of an estimated total. */
export type Progress = (done: number, total: number) => void;

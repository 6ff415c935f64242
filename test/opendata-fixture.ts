import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Db } from '../src/db/database.js';
import { seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../src/modules/reporting/commands.js';
import { insertReportingFixture, type ReportingFixture } from './reporting-fixture.js';

/** Everything written to it, once finished; `delayMs` makes it a slow reader (backpressure). */
export function collector(options: { highWaterMark?: number; delayMs?: number } = {}): { stream: Writable; bytes: () => Buffer; end: () => Promise<Buffer> } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16384,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      if (options.delayMs) setTimeout(callback, options.delayMs);
      else callback();
    },
  });
  return {
    stream,
    bytes: () => Buffer.concat(chunks),
    /** Ends the stream and gives everything once the slow reader has taken it. */
    async end() {
      stream.end();
      await finished(stream);
      return Buffer.concat(chunks);
    },
  };
}

export interface OpenDataFixture {
  fixture: ReportingFixture;
  /** A published update and a draft one of the fixture's commitment. */
  publishedUpdateId: number;
  draftUpdateId: number;
}

/**
 * Gjakova's plan, its demonstration data (bodies, meetings, cycles, published updates, reviews,
 * consultations), and the reporting fixture as a second jurisdiction `fixture` with one published
 * progress update (cycle 1, with a coordinator's comment from being returned once) and one draft
 * (cycle 2), so a download can be checked for what it must and must not hold.
 */
export async function seedOpenData(db: Db): Promise<OpenDataFixture> {
  await seedIfEmpty(db);
  await seedDemo(db);
  const fixture = await insertReportingFixture(db, 'fixture');
  await generateCycles(db, fixture.actors.coordinator, fixture.planId);
  const cycles = await db.selectFrom('reporting_cycles' as never).select(['id' as never]).where('action_plan_id' as never, '=', fixture.planId as never).orderBy('number' as never).execute();
  const cycleIds = (cycles as unknown as { id: number }[]).map((c) => c.id);
  const item = (milestoneId: number, status: string) => ({ milestoneId, status, completion: status === 'completed' ? 'complete' : 'limited', narrative: `=HYPERLINK("http://evil.example")`, obstacles: status === 'delayed' ? ['funding'] : [], obstacleNote: '', links: ['https://fixture.example.org/budget'] });
  const input = (cycleIndex: number, submit: boolean, token: string) => ({
    cycleId: cycleIds[cycleIndex]!,
    commitmentId: fixture.commitmentId,
    locale: 'en' as const,
    summary: '+Budget published monthly.',
    items: [item(fixture.milestoneIds[0], 'completed'), item(fixture.milestoneIds[1], 'delayed')],
    files: [],
    removeFileIds: [],
    submit,
    formToken: token,
  });
  const published = await saveProgressUpdate(db, fixture.actors.holder, input(0, true, 'od-1'));
  await publishProgressUpdate(db, fixture.actors.coordinator, { updateId: published.id });
  const draft = await saveProgressUpdate(db, fixture.actors.holder, { ...input(1, false, 'od-2'), summary: 'A draft nobody may read yet.' });
  return { fixture, publishedUpdateId: published.id, draftUpdateId: draft.id };
}

/** Every file of a ZIP, by name. */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}


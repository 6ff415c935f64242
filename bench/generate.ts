/**
 * The benchmark's database, written by a process of its own (`bench/run.ts` starts it): the
 * servers under test then start with a heap like production's, not one full of what generating
 * 6,000 commitments left behind. Prints one JSON line with the counts.
 *
 *   tsx bench/generate.ts path/to/bench.sqlite
 */
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateOgpScale, seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: tsx bench/generate.ts path/to/bench.sqlite');
const database = openDatabase({ sqlitePath: path });
try {
  await migrateToLatest(database.db, database.dialect);
  await seedIfEmpty(database.db);
  await seedDemo(database.db);
  const generated = await generateOgpScale(database.db);
  console.log(JSON.stringify(generated));
} finally {
  await database.destroy();
}

#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { AlreadyGeneratedError } from './db/seeds/generate.js';
import { generateOgpScale, seedDemo, seedIfEmpty } from './db/seeds/index.js';
import { createSetupToken, createUserCommand, CreateUserError, SetupClosedError } from './modules/accounts/index.js';
import { readFile } from 'node:fs/promises';
import { isLocale, LOCALES } from './i18n/locales.js';
import { linkBase, setupLinkMessage } from './first-run.js';
import { describeHistoryCheck, loadSigningKey, moveSigningKeyOutOfDatabase, prepareSigningKey, SigningKeyError, verifyPublishedHistory } from './modules/transparency/index.js';
import { rotateSigningKey } from './modules/transparency/rotate.js';
import { witnessesBeingAsked } from './modules/transparency/witnesses/cosign.js';
import { exportCommand, importJsonCommand } from './modules/opendata/cli.js';
import { importDecidimCommand, importOgpCommand } from './modules/interop/cli.js';
import { UsageError } from './lib/usage-error.js';
import { BackupError, backupPostgres, backupSqlite, describeCopyCheck, formatBytes, planPostgresBackup, restorePostgres, restoreSqlite } from './db/backup.js';

// Besa's processes run in UTC: every time is shown in a zone named explicitly (the jurisdiction's),
// and the calendar feeds' zoned times are built from a Date's local fields (meetings/ical.ts).
process.env.TZ = 'UTC';

const HELP = `besa – runs an Open Government Partnership action plan in public

Usage: besa <command> [options]

Commands:
  migrate                 bring the database schema up to date
  seed                    load Gjakova's 2024–2025 plan if the database holds no jurisdiction
  seed --demo             the same, then add illustrative milestones marked as demonstration data
  setup-link              print a one-time link to create the first administrator (the server
                          also prints one at every start until someone has an account)
  generate --scale ogp    add synthetic data at OGP scale (200 jurisdictions, 500 plans,
                          6,000+ commitments, 30,000+ milestones) for load tests
  user create --email E --name N --role R [--jurisdiction J] [--institution I] [--locale L]
                          invite a person with a role (administrator, coordinator, commitment_holder,
                          forum_secretary, monitoring_member, moderator); prints the invitation link
                          (valid 7 days) and queues the invitation e-mail. No --jurisdiction: the
                          role holds on every jurisdiction. commitment_holder needs --institution.
                          --locale: the person's language for e-mails (sq, sr-Latn, sr-Cyrl, en,
                          fr; default sq)
  audit verify [--previous checkpoint.json]
                          check the whole transparency log and its signed checkpoints (names the
                          first entry that was changed, removed or reordered), then that the public
                          content equals what the log published last (names the first item and
                          field that differs). --previous: a checkpoint saved earlier from
                          /transparency/checkpoint (JSON) or /transparency/tlog/checkpoint (C2SP
                          signed note); the log must still extend it (catches a removed
                          tail or a rewritten history, even signed again with the database's key)
  export --format json|csv|decidim [--jurisdiction J] [--plan P] [--output FILE]
                          the open data (every jurisdiction, or one) as JSON or as a ZIP of CSV files,
                          or a jurisdiction's commitments as Decidim's accountability CSV; to standard
                          output, or to FILE; a progress bar on standard error
  import json FILE        a Besa open-data JSON download into an empty database
  import ogp FILE         OGP's commitment data (CSV): each country or locality a jurisdiction, each
                          action plan a plan, each row a commitment with its IRM assessment; again
                          updates, never duplicates; prints every row skipped and why
  import decidim FILE --jurisdiction J [--plan P]
                          Decidim's accountability results (semicolon-separated CSV)
  backup FILE [--run]     a copy of the whole database into FILE (never overwritten), checked.
                          SQLite: a consistent online copy (the server may keep running), then
                          PRAGMA integrity_check and the whole audit verify on the copy; prints its
                          size and duration. PostgreSQL: prints the pg_dump command (custom format)
                          for DATABASE_URL, password masked, after checking that pg_dump is installed
                          and not older than the server; --run also runs it and checks the archive
  restore FILE            a backup into an empty database: SQLite into BESA_DB, which must not exist
                          yet; PostgreSQL (pg_restore, one transaction) into DATABASE_URL, which must
                          hold no table. Then migrations, integrity and the whole audit verify
  key rotate              start a new signing key for the transparency log: the new key goes into the
                          key file (the old one is kept beside it as FILE.old-<time>), and the log
                          records the change in an entry signed by the old key; verifiers follow it
  witness init|serve      run a witness that checks and cosigns Besa logs' checkpoints (C2SP
                          tlog-witness); needs no database: see besa witness help
  monitor URL --state FILE [--log-key VKEY] [--witness VKEY]… [--quorum N] [--watch RULE]… [--json]
                          follow the transparency log at URL from outside, with no database: verify each
                          new checkpoint, its cosignatures and that it extends the last one (kept in
                          FILE); report entries matching the watch rules (besa monitor --help; exit
                          status 0 nothing new, 3 found, 4 too few cosignatures, 2 misbehaviour, 1 could not check)
  help                    show this help

Every command but backup, restore, witness and monitor first applies pending migrations. Configuration comes from the environment:
  DATABASE_URL      PostgreSQL connection string (otherwise SQLite)
  BESA_DB           SQLite file (default data/besa.sqlite)
  BESA_PUBLIC_URL   public base URL used in printed links (default http://HOST:PORT, as the server)
  HOST, PORT        where the server listens (default 127.0.0.1 and 3000): set them as for the server
  BESA_SIGNING_KEY_FILE  the log's private signing key (default signing-key.pem beside the SQLite
                    file, or ./besa-signing-key.pem with PostgreSQL); made, mode 0600, when missing
  BESA_SIGNING_KEY  the key itself (PKCS#8 PEM or base64) instead of a file
`;


type Command = (database: DatabaseHandle, config: Config, values: Values, file?: string) => Promise<void>;
interface Values {
  demo?: boolean;
  scale?: string;
  help?: boolean;
  email?: string;
  name?: string;
  role?: string;
  jurisdiction?: string;
  institution?: string;
  locale?: string;
  previous?: string;
  format?: string;
  output?: string;
  plan?: string;
  run?: boolean;
}

const io = { stdout: process.stdout, stderr: process.stderr };

/** Commands that take one file after their name: `besa import ogp FILE`. */
const TAKES_FILE = new Set(['import json', 'import ogp', 'import decidim', 'backup', 'restore']);

/**
 * Commands that open the database themselves, without migrating it first: a backup copies the
 * database as it is (before an upgrade too), a restore needs an empty one.
 */
const ownDatabase: Record<string, (config: Config, values: Values, file: string) => Promise<void>> = {
  async backup(config, values, file) {
    if (!config.databaseUrl) {
      if (values.run) throw new UsageError('--run is for PostgreSQL: on SQLite besa backup makes the copy itself.');
      const result = await backupSqlite(config.sqlitePath, file);
      console.log(`Backed up ${config.sqlitePath} to ${result.file}: ${formatBytes(result.bytes)} in ${result.milliseconds} ms.`);
      for (const line of describeCopyCheck(result.check)) console.log(line);
      if (!result.check.ok) throw new UsageError(`the copy ${result.file} does not verify (see above): keep the previous backup.`);
      return;
    }
    if (!values.run) {
      const plan = await planPostgresBackup(config.databaseUrl, file);
      console.log(`pg_dump ${plan.toolMajor} is installed; the server is PostgreSQL ${plan.serverMajor}. Back up with:`);
      console.log(`  ${plan.command.shown}`);
      console.log('(PGPASSWORD: the password of DATABASE_URL, or use a ~/.pgpass file.) Or run besa backup FILE --run to have Besa run it and check the archive.');
      return;
    }
    const result = await backupPostgres(config.databaseUrl, file);
    console.log(`Ran: ${result.plan.command.shown.replace(`${file}.partial`, file)}`);
    console.log(`Backed up to ${file}: ${formatBytes(result.bytes)} in ${result.milliseconds} ms; pg_restore reads it and it holds the transparency log.`);
  },
  async restore(config, _values, file) {
    const moveKey = (db: DatabaseHandle['db']) => moveSigningKeyOutOfDatabase(config, db, (m) => console.error(m));
    const result = config.databaseUrl ? await restorePostgres(config.databaseUrl, file, moveKey) : await restoreSqlite(file, config.sqlitePath, moveKey);
    console.log(`Restored ${file} into ${config.databaseUrl ? 'DATABASE_URL' : config.sqlitePath} in ${result.milliseconds} ms.`);
    for (const line of describeCopyCheck(result.check)) console.log(line);
    if (!result.check.ok) throw new UsageError('the restored database does not verify (see above).');
  },
};

const commands: Record<string, Command> = {
  async migrate() {
    // Migrations already ran in withDatabase; report what happened there.
  },
  async seed(database, _config, values) {
    const loaded = await seedIfEmpty(database.db);
    console.log(loaded ? "Loaded Gjakova's action plan 2024–2025." : 'The database already holds jurisdictions; the Gjakova seed was skipped.');
    if (values.demo) {
      const added = await seedDemo(database.db);
      console.log(added > 0 ? `Added ${added} demonstration milestones (marked as demonstration data).` : 'The demonstration milestones are already there.');
    }
  },
  async 'setup-link'(database, config) {
    try {
      const token = await createSetupToken(database.db);
      console.log(setupLinkMessage(linkBase(config), token));
    } catch (error) {
      if (error instanceof SetupClosedError) throw new UsageError('An administrator already exists: setup links are closed. Sign in with an existing administrator account instead.');
      throw error;
    }
  },
  async 'user create'(database, config, values) {
    if (!values.email || !values.role || !values.name) throw new UsageError('user create needs --email, --name and --role (see besa help).');
    if (values.locale !== undefined && !isLocale(values.locale)) throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}, got "${values.locale}".`);
    try {
      const result = await createUserCommand(database.db, {
        email: values.email,
        displayName: values.name,
        role: values.role,
        jurisdictionSlug: values.jurisdiction,
        institutionSlug: values.institution,
        publicUrl: config.publicUrl,
        locale: isLocale(values.locale) ? values.locale : undefined,
      });
      if (result.kind === 'invited') {
        console.log('Invitation queued by e-mail. The person can also open this link within 7 days (it works once):');
        console.log(`${linkBase(config)}${result.path}`);
      } else {
        console.log(`Created user ${result.userId}.`);
      }
    } catch (error) {
      if (error instanceof CreateUserError) throw new UsageError(error.message);
      throw error;
    }
  },
  async 'audit verify'(database, _config, values) {
    let previous: unknown;
    if (values.previous !== undefined) {
      try {
        // The JSON of GET /transparency/checkpoint, or a C2SP checkpoint note (GET /transparency/tlog/checkpoint).
        const text = await readFile(values.previous, 'utf8');
        previous = text.trimStart().startsWith('{') ? (JSON.parse(text) as unknown) : text;
      } catch (error) {
        throw new UsageError(`cannot read the saved checkpoint ${values.previous}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const check = await verifyPublishedHistory(database.db, { previous });
    const lines = describeHistoryCheck(check);
    if (check.ok) {
      for (const line of lines) console.log(line);
      return;
    }
    throw new UsageError(lines.join('\n'));
  },
  async export(database, config, values) {
    await exportCommand(database.db, { format: values.format, jurisdiction: values.jurisdiction, output: values.output, publicUrl: config.publicUrl }, io);
  },
  async 'import json'(database, _config, _values, file) {
    await importJsonCommand(database.db, file!, io);
  },
  async 'import ogp'(database, _config, _values, file) {
    await importOgpCommand(database.db, file!, io);
  },
  async 'import decidim'(database, _config, values, file) {
    await importDecidimCommand(database.db, file!, { jurisdiction: values.jurisdiction, plan: values.plan }, io);
  },
  async 'key rotate'(database, config) {
    const result = await rotateSigningKey(database.db, config, (m) => console.error(m));
    console.log(`The log now signs with key ${result.keyId} (${result.origin}), announced by entry ${result.entry}, which key ${result.previousKeyId ?? '-'} signed.`);
    console.log(`New key: ${result.path}. The previous key is kept in ${result.kept}.`);
    console.log('Back up the new key file now. Running Besa processes pick it up on their next change to the log.');
  },
  async generate(database, _config, values) {
    if (values.scale !== 'ogp') throw new UsageError('generate needs --scale ogp (the only scale there is).');
    console.log('Generating synthetic OGP-scale data…');
    try {
      const result = await generateOgpScale(database.db, { log: (m) => console.log(m) });
      console.log(
        `Added ${result.jurisdictions} jurisdictions, ${result.institutions} institutions, ${result.plans} plans, ` +
          `${result.commitments} commitments and ${result.milestones} milestones in ${result.seconds} s.`,
      );
    } catch (error) {
      if (error instanceof AlreadyGeneratedError) throw new UsageError(error.message);
      throw error;
    }
  },
};

async function main(argv: string[]): Promise<number> {
  // `besa witness` has its own options and opens no database, reads no Besa configuration.
  if (argv[0] === 'witness') return (await import('./witness/cli.js')).witnessMain(argv.slice(1));
  // `besa monitor` needs no database and no configuration: it never opens one.
  if (argv[0] === 'monitor') return (await import('./monitor/cli.js')).monitorCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        demo: { type: 'boolean' },
        scale: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        jurisdiction: { type: 'string' },
        institution: { type: 'string' },
        locale: { type: 'string' },
        previous: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        plan: { type: 'string' },
        run: { type: 'boolean' },
      },
    });
  } catch (error) {
    console.error(`besa: ${error instanceof Error ? error.message : String(error)}\n`);
    console.error(HELP);
    return 2;
  }
  const { values, positionals } = parsed;
  // Two-word commands: "user create", "audit verify".
  const twoWord = positionals.length >= 2 && `${positionals[0]} ${positionals[1]}` in commands;
  const name = twoWord ? `${positionals[0]} ${positionals[1]}` : positionals[0];
  const rest = positionals.slice(twoWord ? 2 : 1);
  const file = TAKES_FILE.has(name ?? '') ? rest[0] : undefined;
  const extra = TAKES_FILE.has(name ?? '') ? rest.slice(1) : rest;
  if (!name || name === 'help' || values.help) {
    console.log(HELP);
    return 0;
  }
  const command = commands[name];
  const own = ownDatabase[name];
  if (!command && !own) {
    console.error(`besa: unknown command "${name}"\n`);
    console.error(HELP);
    return 2;
  }
  if (TAKES_FILE.has(name) && file === undefined) {
    console.error(`besa: ${name} needs the file to read (besa ${name} FILE)`);
    return 2;
  }
  if (extra.length > 0) {
    console.error(`besa: unexpected argument "${extra[0]}"`);
    return 2;
  }
  if (values.demo && name !== 'seed') {
    console.error('besa: --demo only goes with "seed"');
    return 2;
  }
  if (values.scale !== undefined && name !== 'generate') {
    console.error('besa: --scale only goes with "generate"');
    return 2;
  }
  if (values.run && name !== 'backup') {
    console.error('besa: --run only goes with "backup"');
    return 2;
  }
  if (values.previous !== undefined && name !== 'audit verify') {
    console.error('besa: --previous only goes with "audit verify"');
    return 2;
  }
  if ((values.format !== undefined || values.output !== undefined) && name !== 'export') {
    console.error('besa: --format and --output only go with "export"');
    return 2;
  }
  if (values.plan !== undefined && name !== 'export' && name !== 'import decidim') {
    console.error('besa: --plan only goes with "export" and "import decidim"');
    return 2;
  }
  const jurisdictionTakers = new Set(['user create', 'export', 'import decidim']);
  if (values.jurisdiction !== undefined && !jurisdictionTakers.has(name)) {
    console.error('besa: --jurisdiction only goes with "user create", "export" and "import decidim"');
    return 2;
  }
  const userOptions = [values.email, values.name, values.role, values.institution, values.locale];
  if (name !== 'user create' && userOptions.some((v) => v !== undefined)) {
    console.error('besa: --email, --name, --role, --institution and --locale only go with "user create"');
    return 2;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`besa: configuration error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (own) {
    try {
      await own(config, values, file!);
      return 0;
    } catch (error) {
      if (error instanceof UsageError || error instanceof BackupError) console.error(`besa: ${error.message}`);
      else console.error(`besa ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.BESA_DEBUG) console.error(error);
      return 1;
    }
  }
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  try {
    // A database from before 0029 holds the log's private key: it moves into the key file first.
    await moveSigningKeyOutOfDatabase(config, database.db, (m) => console.error(m));
    const applied = await migrateToLatest(database.db, database.dialect);
    if (name === 'migrate') {
      console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'The database schema is up to date.');
    } else if (applied.length > 0) {
      // Standard error: `besa export` writes the download itself to standard output.
      console.error(`Applied migrations: ${applied.join(', ')}`);
    }
    // `migrate` (a first run) prepares the log's key like a server start: made when missing, checked
    // against the log. Other commands that may sign load it, checked when they sign; an audit or an
    // export needs none, and `key rotate` prepares it itself.
    if (name === 'migrate') await prepareSigningKey(config, database.db, (m) => console.error(m));
    else if (name !== 'audit verify' && name !== 'export' && name !== 'key rotate') {
      const loaded = loadSigningKey(config);
      if (loaded.created) console.error(`signing key: ${loaded.location} (created)`);
    }
    await command!(database, config, values, file);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof SigningKeyError) {
      console.error(`besa: ${error.message}`);
    } else {
      console.error(`besa ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.BESA_DEBUG) console.error(error);
    }
    return 1;
  } finally {
    // A command that published something asks the log's witnesses in the background: let that
    // finish (each witness answers or times out within 5 s) before the database closes.
    await witnessesBeingAsked(database.db);
    await database.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`besa: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

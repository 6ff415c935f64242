import { parseArgs } from 'node:util';
import { EXIT_COULD_NOT_CHECK, runMonitor, type MonitorReport } from './monitor.js';
import { formatJson, formatText } from './report.js';
import { parseRule, RuleError, type WatchRule } from './rules.js';

export const MONITOR_HELP = `besa monitor URL --state FILE [--log-key VKEY] [--witness VKEY]… [--quorum N]
             [--watch RULE]… [--json] [--quiet] [--accept-key-change]

Follows the Besa transparency log at URL (the site's address) from outside, with no database:
checks the latest checkpoint's signature and its witnesses' cosignatures, reads every new entry
and proves the new checkpoint extends the last one verified (kept in FILE), and reports the new
entries that match the watch rules.

  --state FILE          the state file (made on the first run; written atomically)
  --log-key VKEY        the log's verifier key, from its transparency page (needed on the first
                        run, then stored; another key is refused unless --accept-key-change)
  --witness VKEY        a witness's verifier key (repeat for each); replaces the stored list
  --quorum N            cosignatures required (default: every witness named)
  --watch RULE          commitment:12, commitment:12:title,action, commitment:*:title,
                        commitment-text-after-adoption (repeat for each)
  --json                one JSON document instead of text lines
  --quiet               print nothing when there is nothing to report (exit status 0)

Exit status: 0 verified, nothing to report; 3 watched entries found; 4 quorum of witnesses not
met; 2 proof of misbehaviour (bad log signature, fork, inconsistent history, altered entries;
the state is kept); 1 could not check (network, usage, state file).
`;

/** `besa monitor …` (argv after "monitor"): prints the report, returns the exit status. */
export async function monitorCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        state: { type: 'string' },
        'log-key': { type: 'string' },
        witness: { type: 'string', multiple: true },
        quorum: { type: 'string' },
        watch: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        'accept-key-change': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    err.write(`besa monitor: ${(error as Error).message}\n\n${MONITOR_HELP}`);
    return EXIT_COULD_NOT_CHECK;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(MONITOR_HELP);
    return 0;
  }
  const usage = (message: string): number => {
    err.write(`besa monitor: ${message}\n\n${MONITOR_HELP}`);
    return EXIT_COULD_NOT_CHECK;
  };
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'give the log\'s URL' : `unexpected argument "${positionals[1]}"`);
  if (!values.state) return usage('--state FILE is required');
  let quorum: number | undefined;
  if (values.quorum !== undefined) {
    if (!/^(0|[1-9][0-9]{0,3})$/.test(values.quorum)) return usage('--quorum is a whole number, 0 or more');
    quorum = Number(values.quorum);
  }
  let rules: WatchRule[];
  try {
    rules = (values.watch ?? []).map(parseRule);
  } catch (error) {
    if (error instanceof RuleError) return usage(error.message);
    throw error;
  }
  let report: MonitorReport;
  try {
    report = await runMonitor({
      url: positionals[0]!,
      stateFile: values.state,
      logKey: values['log-key'],
      witnesses: values.witness,
      quorum,
      rules,
      acceptKeyChange: values['accept-key-change'] === true,
    });
  } catch (error) {
    err.write(`besa monitor: ${(error as Error).message}\n`);
    return EXIT_COULD_NOT_CHECK;
  }
  if (values.json) out.write(formatJson(report));
  else if (!(values.quiet && report.exitCode === 0)) out.write(formatText(report));
  return report.exitCode;
}

import type { MonitorReport } from './monitor.js';

/** The report as plain text: one line per finding, then what was verified, then each problem (with both notes for a fork). */
export function formatText(report: MonitorReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const entity = f.entityId === null ? f.entityType : `${f.entityType} ${f.entityId}`;
    const fields = f.fields.length > 0 ? f.fields.join(',') : '-';
    lines.push(`#${f.index} ${f.occurredAt} ${f.action} ${entity} ${fields} [${f.rule}]${f.note ? ` (${f.note})` : ''}`);
  }
  const c = report.checkpoint;
  if (report.stateWritten && c) {
    const witnessed = report.quorum.witnesses > 0 ? `; cosigned by ${report.quorum.cosigned} of ${report.quorum.witnesses} witness(es)${report.cosigners.length > 0 ? `: ${report.cosigners.map((w) => `${w.name} at ${w.time}`).join(', ')}` : ''}` : '';
    lines.push(
      report.newEntries > 0
        ? `verified: ${c.origin} grew from ${report.previous.size} to ${c.size} entries, consistent with the last verified checkpoint (${report.newEntries} new entries read)${witnessed}`
        : `verified: ${c.origin} at ${c.size} entries, nothing new${witnessed}`,
    );
  }
  if (report.stateWritten && report.keyChange) {
    lines.push(`key change: the log now signs with ${report.keyChange.to} (announced by entry ${report.keyChange.index ?? '?'}${report.keyChange.announced ? ', signed under the previous key' : ', taken with --accept-key-change'}); it replaced ${report.keyChange.from}`);
  }
  for (const p of report.problems) {
    lines.push(`${p.kind === 'bad-cosignature' ? 'warning' : 'PROBLEM'} (${p.kind}): ${p.message}`);
    if (p.proof) {
      lines.push('Keep both signed notes below: together they are the proof. Both are signed by the log key.');
      lines.push(`--- checkpoint verified before (${p.proof.previous.size} entries) ---`);
      lines.push(p.proof.previous.note.trimEnd() || '(none: the state held the empty tree)');
      lines.push(`--- checkpoint served now (${p.proof.current.size} entries) ---`);
      lines.push(p.proof.current.note.trimEnd());
      lines.push('---');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The report as one JSON document. */
export function formatJson(report: MonitorReport): string {
  return `${JSON.stringify(
    {
      url: report.url,
      checkpoint: report.checkpoint ?? null,
      previous: report.previous,
      verifiedSize: report.verifiedSize,
      newEntries: report.newEntries,
      keyChange: report.keyChange ?? null,
      cosigners: report.cosigners,
      quorum: report.quorum,
      findings: report.findings,
      problems: report.problems,
      stateWritten: report.stateWritten,
      exitCode: report.exitCode,
    },
    null,
    2,
  )}\n`;
}

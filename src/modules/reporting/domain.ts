import { fileTypeFromBuffer } from 'file-type';

/** IRM completion scale, stored as data; labels are messages `reporting.completion.<value>`. */
export const COMPLETION_LEVELS = ['no_evidence', 'not_started', 'limited', 'substantial', 'complete'] as const;
export type CompletionLevel = (typeof COMPLETION_LEVELS)[number];

/** Obstacles a commitment holder may name; labels are messages `reporting.obstacle.<value>`. */
export const OBSTACLES = ['funding', 'staffing', 'legal', 'procurement', 'coordination', 'technical', 'other'] as const;
export type Obstacle = (typeof OBSTACLES)[number];

/** Milestone statuses that require obstacles to be named. */
export const STATUSES_NEEDING_OBSTACLES = ['delayed', 'not_started'] as const;

/** draft → submitted → published, or submitted → returned → (edited) draft → submitted. */
export const UPDATE_STATUSES = ['draft', 'submitted', 'returned', 'published'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

export const CYCLE_STATUSES = ['open', 'closed'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

/** Default cycle length and the days between a period's end and its report's due date. */
export const CYCLE_MONTHS = 3;
export const DUE_DAYS_AFTER_PERIOD = 15;

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_FORM = 10;
/** The most a progress update form may send in all: its files at their largest, and room for the texts. */
export const MAX_UPDATE_FORM_BYTES = MAX_FILES_PER_FORM * MAX_FILE_BYTES + 4 * 1024 * 1024;
export const MAX_LINKS_PER_MILESTONE = 20;

export interface CyclePeriod {
  number: number;
  periodStart: string;
  periodEnd: string;
  dueOn: string;
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** The same day `months` later (clamped to the month's end: 31 January + 1 month = 28/29 February). */
function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return iso(target);
}

/**
 * Reporting periods across a plan: every `months` months from its start, the last one cut at its
 * end, each report due `dueDays` days after its period ends.
 */
export function defaultCycles(startsOn: string, endsOn: string, months = CYCLE_MONTHS, dueDays = DUE_DAYS_AFTER_PERIOD): CyclePeriod[] {
  const out: CyclePeriod[] = [];
  let start = startsOn;
  for (let n = 1; start <= endsOn && n <= 200; n++) {
    const next = addMonths(startsOn, months * n);
    const end = addDays(next, -1) < endsOn ? addDays(next, -1) : endsOn;
    out.push({ number: n, periodStart: start, periodEnd: end, dueOn: addDays(end, dueDays) });
    start = next;
  }
  return out;
}

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso.slice(0, 10)}T00:00:00Z`) - Date.parse(`${fromIso.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/** Evidence types accepted, by the type detected from the content (never the name). */
export const ALLOWED_EVIDENCE: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

export function isImage(contentType: string): boolean {
  return contentType.startsWith('image/');
}

export type EvidenceCheck = { ok: true; ext: string; contentType: string; filename: string } | { ok: false; reason: 'type' | 'empty' };

/**
 * Checks an uploaded file by its content: the detected type must be one we accept. The stored
 * name keeps the given name's base with the detected type's extension, so a disguised file
 * (an .exe or a web page renamed .pdf) is refused and a genuine one is named for what it is.
 */
export async function checkEvidence(filename: string, content: Buffer): Promise<EvidenceCheck> {
  if (content.length === 0) return { ok: false, reason: 'empty' };
  const detected = await fileTypeFromBuffer(content);
  const ext = detected?.ext as string | undefined;
  if (!ext || !ALLOWED_EVIDENCE[ext]) return { ok: false, reason: 'type' };
  return { ok: true, ext, contentType: ALLOWED_EVIDENCE[ext]!, filename: safeFilename(filename, ext) };
}

/** A file name safe in a URL path and a Content-Disposition header: letters, digits, dot, dash, underscore. */
export function safeFilename(name: string, ext: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${base || 'evidence'}.${ext}`;
}

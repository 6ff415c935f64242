import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { MessageKey } from '../../i18n/index.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import { formList, formValues, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { parseList, parseTranslatable, type Translatable } from '../../lib/translatable.js';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../../plugins/errors.js';
import { verifyCsrf } from '../../plugins/csrf-check.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import type { PageContext } from '../../ui/context.js';
import { adminContext, canManageContent, requestActor, type SessionUser } from '../accounts/index.js';
import {
  DuplicateSubmissionError,
  generateCycles,
  InvalidInputError,
  publishProgressUpdate,
  returnProgressUpdate,
  saveProgressUpdate,
  updateCycle,
  WorkflowError,
  type FileInput,
  type ItemInput,
} from './commands.js';
import { MAX_FILE_BYTES, MAX_FILES_PER_FORM, MAX_UPDATE_FORM_BYTES } from './domain.js';
import { canManageReportingCycles, canOpenReportingOverview, canPublishProgressUpdates, canReportOnCommitment, canViewReporting } from './policy.js';
import { findCycleByNumber, findUpdate, REPORTING_INSTITUTION, reportingInstitutionIds, listCycles, listFiles, listItems, listMilestones } from './repository.js';
import { rdb } from './tables.js';
import { reportingTasksOf } from './admin-tasks.js';
import {
  CycleFormPage,
  CyclePage,
  CyclesPage,
  cyclePath,
  cyclesPath,
  ForbiddenPage,
  OverviewPage,
  type OverviewPlan,
  updatePath,
  UpdatePage,
  type CycleRow,
  type CycleView,
  type UpdateDocument,
  type UpdatePageProps,
  PublishConfirmPage,
} from './admin-views.js';

/**
 * Reporting administration under /{locale}/admin (behind the admin guard): a plan's cycles
 * (coordinators), the progress update form of a commitment in a cycle (its holders), and the
 * coordinator's review (publish or return). Each handler loads, authorizes, reads the form,
 * calls one command and redirects, or re-renders the form with its errors (422).
 */

interface Params {
  locale: string;
  jurisdiction: string;
  plan: string;
  number?: string;
  code?: string;
}

interface Scope {
  jurisdiction: { id: number; slug: string; name: Translatable; timeZone: string };
  plan: { id: number; slug: string; title: Translatable };
  /** The viewer may open the jurisdiction's and plan's admin pages (the breadcrumbs link to them only then). */
  canManageContent: boolean;
}

interface UpdateScope {
  scope: Scope;
  cycle: Awaited<ReturnType<typeof loadCycle>>;
  commitment: Awaited<ReturnType<typeof loadCommitment>>;
  canFile: boolean;
  canReview: boolean;
}

interface Upload {
  field: string;
  filename: string;
  content: Buffer;
  truncated: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    reportingUploads?: Upload[];
    /** The update form's scope, loaded (and the role checked) before its body is read. */
    reportingUpdateScope?: UpdateScope;
    /** The update form's file fields (`files_general`, `m{id}_files` of the commitment's milestones). */
    reportingFileFields?: Set<string>;
  }
}

const BASE = '/jurisdictions/:jurisdiction/plans/:plan/cycles';

function contentLocaleOf(request: FastifyRequest, ctx: PageContext): Locale {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.content;
  if (isLocale(fromBody)) return fromBody;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.content;
  if (isLocale(fromQuery)) return fromQuery;
  return ctx.locale;
}

/**
 * Stops reading a request once it has sent more than `max` bytes: `race` settles every wait on
 * the body with a 413 as soon as the limit is passed (the rest is never read: the connection is
 * closed after the answer).
 */
function byteLimit(request: FastifyRequest, max: number) {
  let received = 0;
  let refuse: (error: Error) => void = () => undefined;
  const exceeded = new Promise<never>((_resolve, reject) => {
    refuse = reject;
  });
  exceeded.catch(() => undefined);
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= max) return;
    request.raw.off('data', onData);
    request.raw.unpipe();
    request.raw.pause();
    refuse(new PayloadTooLargeError());
  };
  request.raw.on('data', onData);
  return {
    race: <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, exceeded]),
    stop: () => request.raw.off('data', onData),
  };
}

/** A part's bytes, read as they arrive; past the per-file limit only the fact is kept (nothing is buffered). */
async function readFilePart(file: AsyncIterable<Buffer> & { truncated: boolean }, limit: ReturnType<typeof byteLimit>, keep: boolean) {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = file[Symbol.asyncIterator]();
  for (;;) {
    const next = await limit.race(iterator.next());
    if (next.done) break;
    size += next.value.length;
    if (keep && size <= MAX_FILE_BYTES) chunks.push(next.value);
  }
  const truncated = file.truncated || size > MAX_FILE_BYTES;
  return { content: keep && !truncated ? Buffer.concat(chunks) : Buffer.alloc(0), size, truncated };
}

/**
 * Reads the progress update form (multipart) in order, after the role check (a preHandler before
 * this one) and with the CSRF check as early as it can be made: the token comes in a header or
 * in the `_csrf` field that precedes the files, and is checked before the first file is read (a
 * file before any token is refused). Files are streamed with the per-file limit and the request
 * limit enforced as they arrive; files past the allowed count are read and dropped, so the form
 * can answer with its own message. Fields become the body, files are kept on the request.
 * A body that is not multipart (a form sent urlencoded) is checked as any other form.
 */
function updateFormReader(app: FastifyInstance) {
  const CSRF_HEADERS = ['csrf-token', 'xsrf-token', 'x-csrf-token', 'x-xsrf-token'];

  return async function readUpdateForm(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!request.isMultipart()) {
      verifyCsrf(app, request, reply);
      return;
    }
    let csrfChecked = false;
    if (CSRF_HEADERS.some((h) => typeof request.headers[h] === 'string' && request.headers[h])) {
      verifyCsrf(app, request, reply);
      csrfChecked = true;
    }
    const body: Record<string, string | string[]> = {};
    const uploads: Upload[] = [];
    let fileCount = 0;
    let limit: ReturnType<typeof byteLimit> | undefined;
    try {
      const parts = request.parts()[Symbol.asyncIterator]();
      const first = parts.next();
      limit = byteLimit(request, MAX_UPDATE_FORM_BYTES);
      for (let next = await limit.race(first); !next.done; next = await limit.race(parts.next())) {
        const part = next.value;
        if (part.type === 'file') {
          if (!csrfChecked) {
            request.body = body;
            verifyCsrf(app, request, reply);
            csrfChecked = true;
          }
          // A file in a field the form does not have is read past and forgotten.
          const known = !request.reportingFileFields || request.reportingFileFields.has(part.fieldname);
          const keep = known && fileCount < MAX_FILES_PER_FORM;
          const read = await readFilePart(part.file, limit, keep);
          if (!known || (!part.filename && read.size === 0)) continue;
          fileCount += 1;
          // One too many: the form is refused with its message, so no file needs keeping.
          if (fileCount > MAX_FILES_PER_FORM) for (const u of uploads) u.content = Buffer.alloc(0);
          uploads.push({ field: part.fieldname, filename: part.filename || 'file', content: read.content, truncated: read.truncated });
        } else {
          const value = typeof part.value === 'string' ? part.value : String(part.value ?? '');
          if (part.fieldname === '_csrf' && !csrfChecked) {
            request.body = { _csrf: value };
            verifyCsrf(app, request, reply);
            csrfChecked = true;
          }
          const existing = body[part.fieldname];
          if (existing === undefined) body[part.fieldname] = value;
          else if (Array.isArray(existing)) existing.push(value);
          else body[part.fieldname] = [existing, value];
        }
      }
    } catch (error) {
      // A refusal of ours or of the multipart plugin keeps its status; the parser's own errors
      // (no boundary, a body cut short, a malformed part) are the sender's: 400.
      if (typeof (error as { statusCode?: unknown })?.statusCode === 'number') throw error;
      throw new BadRequestError('malformed multipart body', { cause: error });
    } finally {
      limit?.stop();
    }
    request.body = body;
    if (!csrfChecked) verifyCsrf(app, request, reply);
    request.reportingUploads = uploads;
  };
}

function forbidden(reply: FastifyReply, ctx: PageContext): FastifyReply {
  return sendHtml(reply, ForbiddenPage({ ctx }) as string, 403);
}

async function loadScope(db: Db, request: FastifyRequest): Promise<Scope> {
  const params = request.params as Params;
  const jurisdiction = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name', 'time_zone']).where('slug', '=', params.jurisdiction).executeTakeFirst();
  if (!jurisdiction) throw new NotFoundError();
  const plan = await db
    .selectFrom('action_plans')
    .select(['id', 'slug', 'title'])
    .where('jurisdiction_id', '=', jurisdiction.id)
    .where('slug', '=', params.plan)
    .executeTakeFirst();
  if (!plan) throw new NotFoundError();
  return {
    jurisdiction: { id: jurisdiction.id, slug: jurisdiction.slug, name: parseTranslatable(jurisdiction.name), timeZone: jurisdiction.time_zone },
    plan: { id: plan.id, slug: plan.slug, title: parseTranslatable(plan.title) },
    canManageContent: canManageContent(request.user, jurisdiction.id),
  };
}

async function loadCycle(db: Db, scope: Scope, number: string | undefined) {
  if (!number || !/^\d{1,4}$/.test(number)) throw new NotFoundError();
  const cycle = await findCycleByNumber(db, scope.plan.id, Number(number));
  if (!cycle) throw new NotFoundError();
  return cycle;
}

function cycleView(row: { number: number; label: string; period_start: string; period_end: string; due_on: string; status: string }): CycleView {
  return { number: row.number, label: parseTranslatable(row.label), periodStart: row.period_start, periodEnd: row.period_end, dueOn: row.due_on, status: row.status };
}

function cycleValues(row: { label: string; period_start: string; period_end: string; due_on: string; status: string }, locale: Locale): FormValues {
  return { label: parseTranslatable(row.label)[locale] ?? '', period_start: row.period_start, period_end: row.period_end, due_on: row.due_on, status: row.status };
}

async function loadCommitment(db: Db, scope: Scope, code: string | undefined) {
  if (!code) throw new NotFoundError();
  const row = await db.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', scope.plan.id).where('code', '=', code).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** Everything the update page shows, from the database (values in the content locale). */
async function updatePageData(db: Db, scope: Scope, cycleRow: Awaited<ReturnType<typeof loadCycle>>, commitment: { id: number; code: string; title: string }, contentLocale: Locale) {
  const milestones = await listMilestones(db, commitment.id);
  const update = await findUpdate(db, cycleRow.id, commitment.id);
  const items = update ? await listItems(db, update.id) : [];
  const files = update ? await listFiles(db, [update.id]) : [];
  const byMilestone = new Map(items.map((i) => [i.milestone_id, i]));
  const values: FormValues = { summary: update ? parseTranslatable(update.summary)[contentLocale] ?? '' : '' };
  const obstacles: Record<number, string[]> = {};
  for (const m of milestones) {
    const item = byMilestone.get(m.id);
    const p = `m${m.id}_`;
    // Nor is a status: the milestone's published status is shown beside the choice, not pre-selected.
    values[`${p}status`] = item?.status ?? '';
    // No completion level is assumed: the holder chooses one (an assessment, not a default).
    values[`${p}completion`] = item?.completion ?? '';
    values[`${p}narrative`] = item ? parseTranslatable(item.narrative)[contentLocale] ?? '' : '';
    values[`${p}obstacle_note`] = item ? parseTranslatable(item.obstacle_note)[contentLocale] ?? '' : '';
    values[`${p}links`] = item ? parseList(item.evidence_links).join('\n') : '';
    obstacles[m.id] = item ? parseList(item.obstacles) : [];
  }
  // The report as a document (every language of its texts), for reading and for the publishing confirmation.
  const document: UpdateDocument = {
    summary: update ? parseTranslatable(update.summary) : {},
    items: Object.fromEntries(
      items.map((i) => [
        i.milestone_id,
        {
          status: i.status,
          completion: i.completion,
          narrative: parseTranslatable(i.narrative),
          obstacles: parseList(i.obstacles),
          obstacleNote: parseTranslatable(i.obstacle_note),
          links: parseList(i.evidence_links),
        },
      ]),
    ),
  };
  return {
    update,
    milestones: milestones.map((m) => ({ id: m.id, code: m.code, title: parseTranslatable(m.title), currentStatus: m.status })),
    values,
    obstacles,
    files: files.map((f) => ({ id: f.id, milestoneId: f.milestone_id, filename: f.filename, size: f.size })),
    document,
    submittedBy: update?.submitted_at ? await submitterOf(db, update.id) : null,
  };
}

/** Who last submitted the update (from the audit trail), by their display name. */
async function submitterOf(db: Db, updateId: number): Promise<string | null> {
  const row = await db
    .selectFrom('audit_events')
    .innerJoin('users', 'users.id', 'audit_events.actor_user_id')
    .select('users.display_name')
    .where('audit_events.action', '=', 'progress_update.submitted')
    .where('audit_events.entity_type', '=', 'progress_update')
    .where('audit_events.entity_id', '=', updateId)
    .orderBy('audit_events.id', 'desc')
    .executeTakeFirst();
  return row?.display_name ?? null;
}

function newFormToken(): string {
  return randomBytes(16).toString('base64url');
}

export function reportingAdminRoutes(db: Db, options: { publicUrl?: string } = {}) {
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(multipart, {
      // Files past the allowed count are read and dropped (readUpdateForm), so too many get the
      // form's own message; the request as a whole is bounded by MAX_UPDATE_FORM_BYTES.
      limits: { fileSize: MAX_FILE_BYTES, files: 1000, fields: 2000, parts: 3000, fieldSize: 100_000 },
      throwFileSizeLimit: false,
    });
    // An answer given before the body was read in full closes the connection (app.ts, for every route).
    const readUpdateForm = updateFormReader(app);

    // ---- Overview: the signed-in person's updates to file or review, and the plans' cycles
    app.get('/reporting', async (request, reply) => {
      const ctx = adminContext(request, reply);
      const user = request.user;
      if (!canOpenReportingOverview(user)) return forbidden(reply, ctx);
      const roles = (user?.roles ?? []).filter((r) => ['administrator', 'coordinator', 'commitment_holder'].includes(r.role));
      const everywhere = roles.some((r) => r.jurisdictionId === null);
      const jurisdictionIds = [...new Set(roles.map((r) => r.jurisdictionId).filter((id): id is number => id !== null))];
      let planQuery = db
        .selectFrom('action_plans')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['action_plans.slug', 'action_plans.title', 'jurisdictions.slug as jurisdiction_slug', 'jurisdictions.name as jurisdiction_name'])
        .orderBy('jurisdictions.slug')
        .orderBy('action_plans.starts_on', 'desc')
        .limit(500);
      if (!everywhere) planQuery = planQuery.where('action_plans.jurisdiction_id', 'in', jurisdictionIds.length ? jurisdictionIds : [-1]);
      const plans: OverviewPlan[] = (await planQuery.execute()).map((p) => ({
        jurisdiction: { slug: p.jurisdiction_slug, name: parseTranslatable(p.jurisdiction_name) },
        plan: { slug: p.slug, title: parseTranslatable(p.title) },
      }));

      const tasks = await reportingTasksOf(db, user, app.pageCache.today());
      return sendHtml(reply, OverviewPage({ ctx, plans, tasks }) as string);
    });

    // ---- Cycles of a plan
    app.get(BASE, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canViewReporting(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      const cycles = await listCycles(db, scope.plan.id);
      return sendHtml(reply, CyclesPage({ ctx, scope, cycles: cycles.map(cycleView), canManage: canManageReportingCycles(request.user, scope.jurisdiction.id) }) as string);
    });

    app.post(`${BASE}/generate`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canManageReportingCycles(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      await generateCycles(db, requestActor(request, scope.jurisdiction.id), scope.plan.id);
      setFlash(reply, 'reporting.flash.cyclesGenerated');
      return reply.redirect(cyclesPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug), 303);
    });

    app.get(`${BASE}/:number/edit`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canManageReportingCycles(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      const cycle = await loadCycle(db, scope, (request.params as Params).number);
      return sendHtml(reply, CycleFormPage({ ctx, scope, cycle: cycleView(cycle), values: cycleValues(cycle, ctx.locale) }) as string);
    });

    app.post(`${BASE}/:number/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canManageReportingCycles(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      const cycle = await loadCycle(db, scope, (request.params as Params).number);
      const form = formValues(request.body);
      const values: FormValues = {
        label: form.label ?? '',
        period_start: (form.period_start ?? '').trim(),
        period_end: (form.period_end ?? '').trim(),
        due_on: (form.due_on ?? '').trim(),
        status: (form.status ?? '').trim(),
      };
      const refused = unstorableErrors(form);
      if (refused.any) return sendHtml(reply, CycleFormPage({ ctx, scope, cycle: cycleView(cycle), values, errors: refused }) as string, 422);
      try {
        await updateCycle(db, requestActor(request, scope.jurisdiction.id), {
          cycleId: cycle.id,
          locale: ctx.locale,
          label: values.label ?? '',
          periodStart: values.period_start ?? '',
          periodEnd: values.period_end ?? '',
          dueOn: values.due_on ?? '',
          status: values.status ?? '',
        });
        setFlash(reply, 'reporting.flash.cycleUpdated');
        return reply.redirect(cyclesPath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug), 303);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return sendHtml(reply, CycleFormPage({ ctx, scope, cycle: cycleView(cycle), values, errors: error.errors }) as string, 422);
      }
    });

    // ---- One cycle: the commitments and their updates
    app.get(`${BASE}/:number`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const scope = await loadScope(db, request);
      if (!canViewReporting(request.user, scope.jurisdiction.id)) return forbidden(reply, ctx);
      const cycle = await loadCycle(db, scope, (request.params as Params).number);
      const commitments = await db.selectFrom('commitments').select(['id', 'code', 'title']).where('action_plan_id', '=', scope.plan.id).orderBy('position').orderBy('code').execute();
      const updates = await rdb(db).selectFrom('progress_updates').select(['commitment_id', 'status', 'first_submitted_at']).where('cycle_id', '=', cycle.id).execute();
      const byCommitment = new Map(updates.map((u) => [u.commitment_id, u]));
      const canReview = canPublishProgressUpdates(request.user, scope.jurisdiction.id);
      const rows: CycleRow[] = [];
      for (const c of commitments) {
        const u = byCommitment.get(c.id);
        rows.push({
          code: c.code,
          title: parseTranslatable(c.title),
          updateStatus: u?.status ?? 'missing',
          submittedAt: u?.first_submitted_at ?? null,
          canFile: canReportOnCommitment(request.user, scope.jurisdiction.id, await reportingInstitutionIds(db, c.id)),
          canReview,
        });
      }
      return sendHtml(reply, CyclePage({ ctx, scope, cycle: cycleView(cycle), rows, today: app.pageCache.today() }) as string);
    });

    // ---- The progress update of a commitment in a cycle
    async function loadUpdateScope(request: FastifyRequest): Promise<UpdateScope> {
      const scope = await loadScope(db, request);
      const params = request.params as Params;
      const cycle = await loadCycle(db, scope, params.number);
      const commitment = await loadCommitment(db, scope, params.code);
      const leads = await reportingInstitutionIds(db, commitment.id);
      const user: SessionUser | undefined = request.user;
      return {
        scope,
        cycle,
        commitment,
        canFile: canReportOnCommitment(user, scope.jurisdiction.id, leads),
        canReview: canPublishProgressUpdates(user, scope.jurisdiction.id),
      };
    }

    /** Before the body is read: the scope exists and the person may file this update (else 403, nothing read). */
    async function checkMayFile(request: FastifyRequest, reply: FastifyReply) {
      const loaded = await loadUpdateScope(request);
      if (!loaded.canFile) return forbidden(reply, adminContext(request, reply));
      request.reportingUpdateScope = loaded;
      const milestones = await listMilestones(db, loaded.commitment.id);
      request.reportingFileFields = new Set(['files_general', ...milestones.map((m) => `m${m.id}_files`)]);
      return undefined;
    }

    async function renderUpdate(
      request: FastifyRequest,
      reply: FastifyReply,
      ctx: PageContext,
      loaded: Awaited<ReturnType<typeof loadUpdateScope>>,
      extra: Partial<UpdatePageProps> & { httpStatus?: number } = {},
      confirm = false,
    ): Promise<FastifyReply> {
      const contentLocale = contentLocaleOf(request, ctx);
      const data = await updatePageData(db, loaded.scope, loaded.cycle, loaded.commitment, contentLocale);
      const status = data.update?.status ?? 'missing';
      const editable = loaded.canFile && loaded.cycle.status === 'open' && (status === 'missing' || status === 'draft' || status === 'returned');
      const { httpStatus, ...overrides } = extra;
      const props: UpdatePageProps = {
        ctx,
        scope: loaded.scope,
        cycle: cycleView(loaded.cycle),
        commitment: { code: loaded.commitment.code, title: parseTranslatable(loaded.commitment.title) },
        status,
        coordinatorComment: data.update?.coordinator_comment ?? null,
        milestones: data.milestones,
        values: data.values,
        obstacles: data.obstacles,
        files: data.files,
        contentLocale,
        editable,
        canReview: loaded.canReview,
        formToken: newFormToken(),
        document: data.document,
        submittedBy: data.submittedBy,
        submittedAt: data.update?.submitted_at ?? null,
        returnedAt: data.update?.returned_at ?? null,
        publishedAt: data.update?.published_at ?? null,
        today: app.pageCache.today(),
        ...overrides,
      };
      return sendHtml(reply, (confirm ? PublishConfirmPage(props) : UpdatePage(props)) as string, httpStatus ?? 200);
    }

    app.get(`${BASE}/:number/updates/:code`, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const loaded = await loadUpdateScope(request);
      if (!loaded.canFile && !loaded.canReview) return forbidden(reply, ctx);
      return renderUpdate(request, reply, ctx, loaded);
    });

    app.post(`${BASE}/:number/updates/:code`, { preHandler: [checkMayFile, readUpdateForm] }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const loaded = request.reportingUpdateScope ?? (await loadUpdateScope(request));
      if (!loaded.canFile) return forbidden(reply, ctx);
      const { scope, cycle, commitment } = loaded;
      const here = updatePath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number, commitment.code);
      const contentLocale = contentLocaleOf(request, ctx);
      const body = request.body;
      const form = formValues(body);
      const milestones = await listMilestones(db, commitment.id);
      const values: FormValues = { summary: form.summary ?? '' };
      const obstacles: Record<number, string[]> = {};
      const items: ItemInput[] = milestones.map((m) => {
        const p = `m${m.id}_`;
        for (const name of ['status', 'completion', 'narrative', 'obstacle_note', 'links']) values[`${p}${name}`] = form[`${p}${name}`] ?? '';
        obstacles[m.id] = formList(body, `${p}obstacles`);
        return {
          milestoneId: m.id,
          status: (values[`${p}status`] ?? '').trim(),
          completion: (values[`${p}completion`] ?? '').trim(),
          narrative: values[`${p}narrative`] ?? '',
          obstacles: obstacles[m.id] ?? [],
          obstacleNote: values[`${p}obstacle_note`] ?? '',
          links: (values[`${p}links`] ?? '').split(/\r?\n/),
        };
      });
      const milestoneIds = new Set(milestones.map((m) => m.id));
      const files: FileInput[] = [];
      for (const upload of request.reportingUploads ?? []) {
        const match = /^m(\d+)_files$/.exec(upload.field);
        const milestoneId = match ? Number(match[1]) : null;
        if (upload.field !== 'files_general' && (milestoneId === null || !milestoneIds.has(milestoneId))) continue;
        files.push({ field: upload.field, milestoneId, filename: upload.filename, content: upload.content, truncated: upload.truncated });
      }
      const submit = form.action === 'submit';
      const formToken = (form.form_token ?? '').trim().slice(0, 100) || null;
      const refused = unstorableErrors(form);
      if (refused.any) {
        return renderUpdate(request, reply, ctx, loaded, { httpStatus: 422, values, obstacles, errors: refused, filesLost: files.length > 0, formToken: formToken ?? newFormToken() });
      }
      try {
        await saveProgressUpdate(db, requestActor(request, scope.jurisdiction.id), {
          cycleId: cycle.id,
          commitmentId: commitment.id,
          locale: contentLocale,
          summary: values.summary ?? '',
          items,
          files,
          removeFileIds: formList(body, 'remove_file')
            .map(Number)
            .filter((n) => Number.isInteger(n) && n > 0),
          submit,
          formToken,
        }, { publicUrl: options.publicUrl, locale: ctx.locale });
        setFlash(reply, submit ? 'reporting.flash.submitted' : 'reporting.flash.saved');
        return reply.redirect(contentLocale === ctx.locale ? here : `${here}?content=${encodeURIComponent(contentLocale)}`, 303);
      } catch (error) {
        if (error instanceof DuplicateSubmissionError) {
          setFlash(reply, 'reporting.flash.duplicate');
          return reply.redirect(here, 303);
        }
        if (error instanceof WorkflowError) {
          setFlash(reply, error.key as MessageKey);
          return reply.redirect(here, 303);
        }
        if (!(error instanceof InvalidInputError)) throw error;
        return renderUpdate(request, reply, ctx, loaded, {
          httpStatus: 422,
          values,
          obstacles,
          errors: error.errors,
          filesLost: files.length > 0,
          formToken: formToken ?? newFormToken(),
        });
      }
    });

    // ---- Review: publish or return (coordinators)
    app.post(`${BASE}/:number/updates/:code/publish`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const loaded = await loadUpdateScope(request);
      if (!loaded.canReview) return forbidden(reply, ctx);
      const { scope, cycle, commitment } = loaded;
      const here = updatePath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number, commitment.code);
      const update = await findUpdate(db, cycle.id, commitment.id);
      if (!update) throw new NotFoundError();
      // Publishing writes to the public history for good: the first POST shows what becomes public
      // and asks for confirmation (a page, so it works without JavaScript); only the confirmation's
      // own POST (with `confirm=yes` and its CSRF token) publishes.
      const form = formValues(request.body);
      // The confirmation is shown at the report's own address for its links (language switcher,
      // fallback notice): this POST's address answers no GET.
      const shownAt = { ...ctx, path: here.slice(`/${ctx.locale}`.length) };
      if (form.confirm !== 'yes') {
        if (update.status !== 'submitted') {
          setFlash(reply, 'reporting.error.notSubmitted');
          return reply.redirect(here, 303);
        }
        return renderUpdate(request, reply, shownAt, loaded, {}, true);
      }
      // Returned and submitted again since the confirmation was opened: what it showed is not what
      // would be published. Show the new version to confirm.
      if (update.status === 'submitted' && form.submitted_at !== undefined && form.submitted_at !== (update.submitted_at ?? '')) {
        return renderUpdate(request, reply, shownAt, loaded, { httpStatus: 409, confirmChanged: true }, true);
      }
      try {
        await publishProgressUpdate(db, requestActor(request, scope.jurisdiction.id), { updateId: update.id }, { publicUrl: options.publicUrl, locale: ctx.locale });
        setFlash(reply, 'reporting.flash.published');
      } catch (error) {
        if (!(error instanceof WorkflowError)) throw error;
        setFlash(reply, error.key as MessageKey);
      }
      return reply.redirect(here, 303);
    });

    app.post(`${BASE}/:number/updates/:code/return`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = adminContext(request, reply);
      const loaded = await loadUpdateScope(request);
      if (!loaded.canReview) return forbidden(reply, ctx);
      const { scope, cycle, commitment } = loaded;
      const here = updatePath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number, commitment.code);
      const update = await findUpdate(db, cycle.id, commitment.id);
      if (!update) throw new NotFoundError();
      const form = formValues(request.body);
      const comment = form.comment ?? '';
      const refused = unstorableErrors(form);
      if (refused.any) return renderUpdate(request, reply, ctx, loaded, { httpStatus: 422, reviewErrors: refused, reviewValues: { comment } });
      try {
        await returnProgressUpdate(db, requestActor(request, scope.jurisdiction.id), { updateId: update.id, comment }, { publicUrl: options.publicUrl, locale: ctx.locale });
        setFlash(reply, 'reporting.flash.returned');
        return reply.redirect(cyclePath(ctx.locale, scope.jurisdiction.slug, scope.plan.slug, cycle.number), 303);
      } catch (error) {
        if (error instanceof WorkflowError) {
          setFlash(reply, error.key as MessageKey);
          return reply.redirect(here, 303);
        }
        if (!(error instanceof InvalidInputError)) throw error;
        return renderUpdate(request, reply, ctx, loaded, { httpStatus: 422, reviewErrors: error.errors, reviewValues: { comment } });
      }
    });
  };
}


import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../i18n/locales.js';
import { formList, FormErrors, formValues, isIsoDate, optionalDate, optionalInteger, optionalText, optionalUrl, requireChoice, requireText, unstorableErrors, type FormValues } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { setFlash } from '../../plugins/flash.js';
import { sendHtml } from '../../plugins/locale.js';
import { ForbiddenPage, resolveContentLocale } from '../../ui/admin.js';
import { adminContext, canManageContent, requestActor } from '../accounts/index.js';
import type { ModuleContext } from '../manifest.js';
import {
  approveMinutes,
  cancelMeeting,
  followUpActionItem,
  MeetingStateError,
  recordActionItem,
  recordDecision,
  recordMeetingOutcome,
  saveMeetingPreparation,
  scheduleMeeting,
  updateMeeting,
  type AgendaRow,
  type DocumentRow,
  type GuestRow,
  type MeetingInput,
} from './commands.js';
import { ACTION_STATUSES, ATTENDANCE, GUEST_ATTENDANCE, localToUtc, MEETING_KINDS, TIME, wallClock, type Attendance } from './domain.js';
import { canManageMeetings } from './policy.js';
import { findJurisdiction, findMeetingDetail, formChoices, listBodies, listMeetings, listMembers, type JurisdictionRef, type MeetingDetail } from './queries.js';
import { BLANK_ROWS, MEETING_LANGUAGES, MeetingAdminPage, MeetingFormPage, meetingsAdminPath, MeetingsAdminPage, OutcomePage, PreparationPage, type ChoiceLists } from './admin-views.js';

/**
 * Meetings in the administration, under /{locale}/admin/jurisdictions/{j}/meetings: list,
 * schedule, edit (move), cancel, agenda/documents/guests, minutes and attendance, decisions,
 * action items and their follow-ups, approval of earlier minutes. Every page and form asks
 * canManageMeetings (administrators, coordinators and forum secretaries of the jurisdiction).
 */

const BASE = '/jurisdictions/:jurisdiction/meetings';

async function choicesOf(db: ModuleContext['db'], jurisdictionId: number): Promise<ChoiceLists> {
  return { bodies: await listBodies(db, jurisdictionId), ...(await formChoices(db, jurisdictionId)) };
}

function readMeetingForm(values: FormValues, languages: string[], jurisdiction: JurisdictionRef, choices: ChoiceLists, contentLocale: Locale) {
  const errors = unstorableErrors(values);
  const bodyValue = (values.body ?? '').trim();
  const body = bodyValue ? choices.bodies.find((b) => String(b.id) === bodyValue) : undefined;
  if (bodyValue && !body) errors.add('body', 'form.error.choice');
  const kind = requireChoice(values, errors, 'kind', MEETING_KINDS);
  const title = optionalText(values, errors, 'title', 300);
  const place = optionalText(values, errors, 'place', 300);
  const note = optionalText(values, errors, 'accessibility_note', 2000);
  const times: Record<string, string> = {};
  for (const [d, h] of [
    ['start_date', 'start_time'],
    ['end_date', 'end_time'],
  ] as const) {
    const day = (values[d] ?? '').trim();
    const time = (values[h] ?? '').trim();
    if (!day) errors.add(d, 'form.error.required');
    else if (!isIsoDate(day)) errors.add(d, 'form.error.date');
    if (!time) errors.add(h, 'form.error.required');
    else if (!TIME.test(time)) errors.add(h, 'meetings.error.time');
    if (!errors.for(d) && !errors.for(h)) times[d] = localToUtc(day, time, jurisdiction.timeZone);
  }
  if (times.start_date && times.end_date && times.end_date <= times.start_date) errors.add('end_time', 'meetings.error.endBeforeStart');
  const onlineUrl = optionalUrl(values, errors, 'online_url');
  if (onlineUrl && !onlineUrl.startsWith('https://')) errors.add('online_url', 'form.error.url');
  const flag = (name: string): 0 | 1 | null => {
    const v = (values[name] ?? '').trim();
    if (v === '') return null;
    if (v !== '0' && v !== '1') errors.add(name, 'form.error.choice');
    return v === '1' ? 1 : 0;
  };
  const stepFree = flag('step_free');
  const sign = flag('sign_language');
  const spoken = languages.filter((l) => (MEETING_LANGUAGES as readonly string[]).includes(l));
  const cycleValue = (values.cycle ?? '').trim();
  const cycle = cycleValue ? choices.cycles.find((c) => String(c.id) === cycleValue) : undefined;
  if (cycleValue && !cycle) errors.add('cycle', 'form.error.choice');
  const input: MeetingInput = {
    jurisdictionId: jurisdiction.id,
    bodyId: body?.id ?? null,
    kind,
    contentLocale,
    title,
    startsAt: times.start_date ?? '',
    endsAt: times.end_date ?? '',
    timeZone: jurisdiction.timeZone,
    place,
    onlineUrl,
    stepFreeAccess: stepFree,
    signLanguage: sign,
    languages: [...new Set(spoken)],
    accessibilityNote: note,
    reportingCycleId: cycle?.id ?? null,
  };
  return { input, errors };
}

/**
 * The edit form's values. Times are shown in the zone the form reads them back in (the
 * jurisdiction's), so saving the form unchanged never moves the meeting, even if the meeting was
 * set in a zone the jurisdiction has since left.
 */
function meetingValues(m: MeetingDetail, contentLocale: Locale, cycleId: number | null, timeZone: string): FormValues {
  const start = wallClock(new Date(m.startsAt), timeZone);
  const end = wallClock(new Date(m.endsAt), timeZone);
  return {
    body: m.body ? String(m.body.id) : '',
    kind: m.kind,
    title: m.title[contentLocale] ?? '',
    place: m.place[contentLocale] ?? '',
    accessibility_note: m.accessibilityNote[contentLocale] ?? '',
    start_date: start.date,
    start_time: start.time,
    end_date: end.date,
    end_time: end.time,
    online_url: m.onlineUrl ?? '',
    step_free: m.stepFreeAccess === null ? '' : String(m.stepFreeAccess),
    sign_language: m.signLanguage === null ? '' : String(m.signLanguage),
    cycle: cycleId === null ? '' : String(cycleId),
  };
}

function preparationValues(m: MeetingDetail, contentLocale: Locale): FormValues {
  const values: FormValues = {};
  m.agenda.forEach((a, i) => {
    values[`agenda_title_${i}`] = a.title[contentLocale] ?? '';
    values[`agenda_commitment_${i}`] = a.commitment ? String(a.commitment.id) : '';
    values[`agenda_cycle_${i}`] = a.cycle ? String(a.cycle.id) : '';
  });
  m.documents.forEach((d, i) => {
    values[`doc_title_${i}`] = d.title[contentLocale] ?? '';
    values[`doc_url_${i}`] = d.url;
  });
  m.guests.forEach((g, i) => {
    values[`guest_name_${i}`] = g.privateName;
    values[`guest_public_${i}`] = g.namePublic ? '1' : '';
    values[`guest_org_${i}`] = g.organisation[contentLocale] ?? '';
    values[`guest_reason_${i}`] = g.reason[contentLocale] ?? '';
  });
  return values;
}

function countRows(values: FormValues, prefix: string): number {
  let max = -1;
  for (const key of Object.keys(values)) {
    const match = key.startsWith(prefix) ? /_(\d{1,3})$/.exec(key) : null;
    if (match) max = Math.max(max, Number(match[1]));
  }
  return max + 1;
}

function readPreparation(values: FormValues, choices: ChoiceLists, rows: { agenda: number; documents: number; guests: number }) {
  const errors = unstorableErrors(values);
  const agenda: AgendaRow[] = [];
  for (let i = 0; i < rows.agenda; i++) {
    const title = optionalText(values, errors, `agenda_title_${i}`, 500);
    const c = (values[`agenda_commitment_${i}`] ?? '').trim();
    const y = (values[`agenda_cycle_${i}`] ?? '').trim();
    const commitment = c ? choices.commitments.find((x) => String(x.id) === c) : undefined;
    const cycle = y ? choices.cycles.find((x) => String(x.id) === y) : undefined;
    if (c && !commitment) errors.add(`agenda_commitment_${i}`, 'form.error.choice');
    if (y && !cycle) errors.add(`agenda_cycle_${i}`, 'form.error.choice');
    if (!title && !commitment && !cycle) continue;
    if (!title) errors.add(`agenda_title_${i}`, 'form.error.required');
    agenda.push({ title, commitmentId: commitment?.id ?? null, reportingCycleId: cycle?.id ?? null });
  }
  const documents: DocumentRow[] = [];
  for (let i = 0; i < rows.documents; i++) {
    const title = optionalText(values, errors, `doc_title_${i}`, 300);
    const url = optionalUrl(values, errors, `doc_url_${i}`);
    if (!title && !url) continue;
    if (!url) errors.add(`doc_url_${i}`, 'form.error.required');
    else if (!url.startsWith('https://')) errors.add(`doc_url_${i}`, 'form.error.url');
    documents.push({ title, url: url ?? '' });
  }
  const guests: GuestRow[] = [];
  for (let i = 0; i < rows.guests; i++) {
    const name = optionalText(values, errors, `guest_name_${i}`, 200);
    const organisation = optionalText(values, errors, `guest_org_${i}`, 300);
    const reason = optionalText(values, errors, `guest_reason_${i}`, 500);
    if (!name && !organisation && !reason) continue;
    if (!name) errors.add(`guest_name_${i}`, 'form.error.required');
    guests.push({ name, namePublic: values[`guest_public_${i}`] === '1', organisation, reason });
  }
  return { agenda, documents, guests, errors };
}

/** Commitment codes typed in a field ("XKGJA0001, XKGJA0002"), as ids of the jurisdiction's commitments. */
function readCodes(values: FormValues, errors: FormErrors, field: string, choices: ChoiceLists): number[] {
  const raw = optionalText(values, errors, field, 500);
  const ids: number[] = [];
  for (const code of raw.split(/[\s,;]+/).filter(Boolean)) {
    const found = choices.commitments.find((c) => c.code.toLowerCase() === code.toLowerCase());
    if (!found) errors.add(field, 'meetings.error.unknownCode', { code });
    else ids.push(found.id);
  }
  return [...new Set(ids)];
}

export function meetingAdminRoutes({ db }: ModuleContext) {
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<{ jurisdiction: JurisdictionRef; meeting?: MeetingDetail } | undefined> {
    const params = request.params as { jurisdiction: string; id?: string };
    const found = await findJurisdiction(db, params.jurisdiction);
    if (!found) throw new NotFoundError();
    const jurisdiction: JurisdictionRef = { ...found, adminLink: canManageContent(request.user, found.id) };
    let meeting: MeetingDetail | undefined;
    if (params.id !== undefined) {
      if (!/^\d{1,9}$/.test(params.id)) throw new NotFoundError();
      meeting = await findMeetingDetail(db, jurisdiction, Number(params.id));
      if (!meeting) throw new NotFoundError();
    }
    if (!canManageMeetings(request.user, jurisdiction.id)) {
      sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
      return undefined;
    }
    return { jurisdiction, ...(meeting ? { meeting } : {}) };
  }

  async function renderMeeting(request: FastifyRequest, reply: FastifyReply, jurisdiction: JurisdictionRef, meeting: MeetingDetail, values: FormValues = {}, errors?: FormErrors) {
    const ctx = adminContext(request, reply);
    const requested = (request.query as { content?: string }).content ?? (request.body as { content_locale?: string } | undefined)?.content_locale;
    const contentLocale = resolveContentLocale(requested, ctx.locale);
    const members = meeting.body ? await listMembers(db, meeting.body.id) : [];
    const choices = await choicesOf(db, jurisdiction.id);
    return sendHtml(reply, MeetingAdminPage({ ctx, m: meeting, choices, members, contentLocale, values, errors }) as string, errors?.any ? 422 : 200);
  }

  function refused(error: unknown, reply: FastifyReply, to: string): FastifyReply {
    if (!(error instanceof MeetingStateError)) throw error;
    setFlash(reply, error.key as never);
    return reply.redirect(to, 303);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(BASE, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      return sendHtml(reply, MeetingsAdminPage({ ctx, jurisdiction: loaded.jurisdiction, meetings: await listMeetings(db, loaded.jurisdiction.id) }) as string);
    });

    app.get(`${BASE}/new`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      const choices = await choicesOf(db, loaded.jurisdiction.id);
      const forum = choices.bodies.find((b) => b.kind === 'forum');
      const values: FormValues = { kind: 'forum', body: forum ? String(forum.id) : '', start_time: '18:00', end_time: '20:00' };
      return sendHtml(reply, MeetingFormPage({ ctx, jurisdiction: loaded.jurisdiction, choices, contentLocale, values, languages: [] }) as string);
    });

    app.post(`${BASE}/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded) return reply;
      const { jurisdiction } = loaded;
      const values = formValues(request.body);
      const languages = formList(request.body, 'languages');
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const choices = await choicesOf(db, jurisdiction.id);
      const { input, errors } = readMeetingForm(values, languages, jurisdiction, choices, contentLocale);
      if (!errors.any) {
        const id = await scheduleMeeting(db, requestActor(request, jurisdiction.id), input);
        setFlash(reply, 'meetings.flash.scheduled');
        return reply.redirect(`${meetingsAdminPath(ctx, jurisdiction.slug)}/${id}`, 303);
      }
      return sendHtml(reply, MeetingFormPage({ ctx, jurisdiction, choices, contentLocale, values, languages, errors }) as string, 422);
    });

    app.get(`${BASE}/:id`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      return renderMeeting(request, reply, loaded.jurisdiction, loaded.meeting);
    });

    app.get(`${BASE}/:id/edit`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      const m = loaded.meeting;
      const choices = await choicesOf(db, loaded.jurisdiction.id);
      return sendHtml(
        reply,
        MeetingFormPage({ ctx, jurisdiction: loaded.jurisdiction, meeting: m, choices, contentLocale, values: meetingValues(m, contentLocale, m.reportingCycle?.id ?? null, loaded.jurisdiction.timeZone), languages: m.languages }) as string,
      );
    });

    app.post(`${BASE}/:id/edit`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const values = formValues(request.body);
      const languages = formList(request.body, 'languages');
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const choices = await choicesOf(db, jurisdiction.id);
      const { input, errors } = readMeetingForm(values, languages, jurisdiction, choices, contentLocale);
      if (!errors.any) {
        await updateMeeting(db, requestActor(request, jurisdiction.id), meeting.id, input);
        setFlash(reply, 'meetings.flash.updated');
        return reply.redirect(`${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}`, 303);
      }
      return sendHtml(reply, MeetingFormPage({ ctx, jurisdiction, meeting, choices, contentLocale, values, languages, errors }) as string, 422);
    });

    app.post(`${BASE}/:id/cancel`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const ctx = adminContext(request, reply);
      const to = `${meetingsAdminPath(ctx, loaded.jurisdiction.slug)}/${loaded.meeting.id}`;
      try {
        await cancelMeeting(db, requestActor(request, loaded.jurisdiction.id), loaded.meeting.id);
      } catch (error) {
        return refused(error, reply, to);
      }
      setFlash(reply, 'meetings.flash.cancelled');
      return reply.redirect(to, 303);
    });

    app.get(`${BASE}/:id/agenda`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      const m = loaded.meeting;
      const rows = { agenda: m.agenda.length + BLANK_ROWS, documents: m.documents.length + BLANK_ROWS, guests: m.guests.length + BLANK_ROWS };
      const choices = await choicesOf(db, loaded.jurisdiction.id);
      return sendHtml(reply, PreparationPage({ ctx, m, choices, contentLocale, values: preparationValues(m, contentLocale), rows }) as string);
    });

    app.post(`${BASE}/:id/agenda`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const choices = await choicesOf(db, jurisdiction.id);
      const posted = { agenda: Math.min(countRows(values, 'agenda_'), 100), documents: Math.min(countRows(values, 'doc_'), 100), guests: Math.min(countRows(values, 'guest_'), 100) };
      const { agenda, documents, guests, errors } = readPreparation(values, choices, posted);
      if (!errors.any) {
        await saveMeetingPreparation(db, requestActor(request, jurisdiction.id), meeting.id, { contentLocale, agenda, documents, guests });
        setFlash(reply, 'meetings.flash.agenda');
        const here = `${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}`;
        // "More rows": the form again, saved, with three more blank rows of each kind.
        return reply.redirect(values.more ? `${here}/agenda?content=${contentLocale}` : here, 303);
      }
      const rows = { agenda: Math.max(posted.agenda, 1), documents: Math.max(posted.documents, 1), guests: Math.max(posted.guests, 1) };
      return sendHtml(reply, PreparationPage({ ctx, m: meeting, choices, contentLocale, values, rows, errors }) as string, 422);
    });

    app.get(`${BASE}/:id/outcome`, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale((request.query as { content?: string }).content, ctx.locale);
      const m = loaded.meeting;
      const values: FormValues = { minutes: m.minutes[contentLocale] ?? '' };
      for (const a of m.attendance) values[`att_${a.memberId}`] = a.status ?? '';
      for (const g of m.guests) values[`guest_${g.id}`] = g.attendance;
      return sendHtml(reply, OutcomePage({ ctx, m, contentLocale, values }) as string);
    });

    app.post(`${BASE}/:id/outcome`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const errors = unstorableErrors(values);
      const minutes = optionalText(values, errors, 'minutes', 100_000);
      const attendance = new Map<number, Attendance>();
      for (const a of meeting.attendance) {
        const v = (values[`att_${a.memberId}`] ?? '').trim();
        if (!v) continue;
        if ((ATTENDANCE as readonly string[]).includes(v)) attendance.set(a.memberId, v as Attendance);
        else errors.add(`att_${a.memberId}`, 'form.error.choice');
      }
      const guests = new Map<number, Attendance>();
      for (const g of meeting.guests) {
        const v = (values[`guest_${g.id}`] ?? '').trim();
        if ((GUEST_ATTENDANCE as readonly string[]).includes(v)) guests.set(g.id, v as Attendance);
        else if (v) errors.add(`guest_${g.id}`, 'form.error.choice');
      }
      const to = `${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}`;
      if (!errors.any) {
        try {
          await recordMeetingOutcome(db, requestActor(request, jurisdiction.id), meeting.id, { contentLocale, minutes, attendance, guests });
        } catch (error) {
          return refused(error, reply, to);
        }
        setFlash(reply, 'meetings.flash.outcome');
        return reply.redirect(to, 303);
      }
      return sendHtml(reply, OutcomePage({ ctx, m: meeting, contentLocale, values, errors }) as string, 422);
    });

    app.post(`${BASE}/:id/decisions`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const choices = await choicesOf(db, jurisdiction.id);
      const errors = unstorableErrors(values);
      const text = requireText(values, errors, 'decision_text', 10_000);
      const votesFor = optionalInteger(values, errors, 'votes_for', 0, 10_000);
      const votesAgainst = optionalInteger(values, errors, 'votes_against', 0, 10_000);
      const votesAbstaining = optionalInteger(values, errors, 'votes_abstaining', 0, 10_000);
      const commitmentIds = readCodes(values, errors, 'decision_commitments', choices);
      const to = `${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}#decisions`;
      if (!errors.any) {
        try {
          await recordDecision(db, requestActor(request, jurisdiction.id), meeting.id, { contentLocale, text, votesFor, votesAgainst, votesAbstaining, commitmentIds });
        } catch (error) {
          return refused(error, reply, to);
        }
        setFlash(reply, 'meetings.flash.decision');
        return reply.redirect(to, 303);
      }
      return renderMeeting(request, reply, jurisdiction, meeting, values, errors);
    });

    app.post(`${BASE}/:id/action-items`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const choices = await choicesOf(db, jurisdiction.id);
      const errors = unstorableErrors(values);
      const text = requireText(values, errors, 'action_text', 5_000);
      const inst = (values.owner_institution ?? '').trim();
      const institution = inst ? choices.institutions.find((i) => String(i.id) === inst) : undefined;
      if (inst && !institution) errors.add('owner_institution', 'form.error.choice');
      const mem = (values.owner_member ?? '').trim();
      const members = meeting.body ? await listMembers(db, meeting.body.id) : [];
      const member = mem ? members.find((x) => String(x.id) === mem) : undefined;
      if (mem && !member) errors.add('owner_member', 'form.error.choice');
      const ownerLabel = optionalText(values, errors, 'owner_label', 300);
      const dueOn = optionalDate(values, errors, 'due_on');
      const [commitmentId] = readCodes(values, errors, 'action_commitment', choices);
      const to = `${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}#action-items`;
      if (!errors.any) {
        try {
          await recordActionItem(db, requestActor(request, jurisdiction.id), meeting.id, {
            contentLocale,
            text,
            ownerInstitutionId: institution?.id ?? null,
            ownerMemberId: member?.id ?? null,
            ownerLabel,
            dueOn,
            commitmentId: commitmentId ?? null,
          });
        } catch (error) {
          return refused(error, reply, to);
        }
        setFlash(reply, 'meetings.flash.actionItem');
        return reply.redirect(to, 303);
      }
      return renderMeeting(request, reply, jurisdiction, meeting, values, errors);
    });

    app.post(`${BASE}/:id/action-items/:item`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const { item } = request.params as { item: string };
      const known = [...meeting.actionItems, ...meeting.carried].find((i) => String(i.id) === item);
      if (!known) throw new NotFoundError();
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const contentLocale = resolveContentLocale(values.content_locale, ctx.locale);
      const errors = unstorableErrors(values);
      const status = requireChoice(values, errors, 'status', ACTION_STATUSES);
      const note = optionalText(values, errors, 'note', 2_000);
      const to = `${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}#action-${known.id}`;
      if (errors.any) {
        setFlash(reply, 'meetings.flash.followUpRefused');
        return reply.redirect(to, 303);
      }
      await followUpActionItem(db, requestActor(request, jurisdiction.id), known.id, { contentLocale, note, status, meetingId: meeting.id });
      setFlash(reply, 'meetings.flash.followUp');
      return reply.redirect(to, 303);
    });

    app.post(`${BASE}/:id/approve`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const loaded = await load(request, reply);
      if (!loaded?.meeting) return reply;
      const { jurisdiction, meeting } = loaded;
      const values = formValues(request.body);
      const ctx = adminContext(request, reply);
      const earlier = meeting.awaitingApproval.find((a) => String(a.id) === (values.meeting ?? '').trim());
      const to = `${meetingsAdminPath(ctx, jurisdiction.slug)}/${meeting.id}`;
      if (!earlier) {
        setFlash(reply, 'meetings.error.cannotApprove');
        return reply.redirect(to, 303);
      }
      try {
        await approveMinutes(db, requestActor(request, jurisdiction.id), meeting.id, earlier.id);
      } catch (error) {
        return refused(error, reply, to);
      }
      setFlash(reply, 'meetings.flash.approved');
      return reply.redirect(to, 303);
    });
  };
}


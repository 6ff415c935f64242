import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { hasUnstorable } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { actorFor, admitApiWrite, API_WRITE_THROTTLE, findTokenUser, type SessionUser } from '../accounts/index.js';
import { ForbiddenError } from '../audit/index.js';
import type { ModuleContext } from '../manifest.js';
import { canReportOnCommitment } from '../reporting/policy.js';
import { DuplicateSubmissionError, InvalidInputError, saveProgressUpdate, WorkflowError } from '../reporting/commands.js';
import { findCycleByNumber, listCycles, reportingInstitutionIds } from '../reporting/repository.js';
import { englishMessage, problem, sendProblem, type ProblemField } from './problem.js';
import { IdParams, UpdateBody, type UpdateBodyType } from './schemas.js';

/**
 * The write API: a commitment's progress update filed by a program with a person's token, through
 * the same command (reporting's saveProgressUpdate) and policy (canReportOnCommitment) as the web
 * form, with the person's roles. Only `Authorization: Bearer` is accepted: the session cookie is
 * never read here, so no page of another site can make a signed-in browser write.
 */

/** The JSON body of one request: a report's texts, no files (evidence files are attached on the site). */
export const WRITE_BODY_LIMIT = 512 * 1024;
/** Requests per token and minute, counted in the database (the same limit whichever process answers). */
export const WRITE_RATE = API_WRITE_THROTTLE.perToken;

declare module 'fastify' {
  interface FastifyRequest {
    apiUser?: SessionUser & { tokenId: number };
  }
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/=-]{1,200})$/.exec(header.trim());
  return match?.[1];
}

/** `m12_status` (the form's field) as the JSON body names it: `items[0].status`. */
function fieldOf(formField: string, body: UpdateBodyType): string {
  const match = /^m(\d+)_(status|completion|narrative|obstacles|obstacle_note|links)$/.exec(formField);
  if (!match) return formField;
  const index = body.items.findIndex((i) => i.milestone === Number(match[1]));
  const name = match[2] === 'obstacle_note' ? 'obstacleNote' : match[2];
  return `items[${index}].${name}`;
}

/**
 * The body's fields holding a character that cannot be stored (a NUL, another control character, a
 * lone surrogate: see hasUnstorable), refused as the web form refuses them, before anything is written.
 */
export function unstorableFields(body: UpdateBodyType): ProblemField[] {
  const fields: string[] = [];
  const check = (field: string, text: string | undefined) => {
    if (text !== undefined && hasUnstorable(text) && !fields.includes(field)) fields.push(field);
  };
  check('summary', body.summary);
  body.items.forEach((item, i) => {
    check(`items[${i}].status`, item.status);
    check(`items[${i}].completion`, item.completion);
    check(`items[${i}].narrative`, item.narrative);
    for (const o of item.obstacles ?? []) check(`items[${i}].obstacles`, o);
    check(`items[${i}].obstacleNote`, item.obstacleNote);
    for (const link of item.links ?? []) check(`items[${i}].links`, link);
  });
  // The form's message says the character was removed; the API removes nothing, it refuses.
  return fields.map((field) => ({ field, code: 'form.error.character', message: 'This contains a character that cannot be stored (a control character such as U+0000, or a lone surrogate).' }));
}

/** A milestone sent twice in one body (the second and later are named): one update holds each milestone once. */
export function repeatedMilestones(body: UpdateBodyType): ProblemField[] {
  const first = new Map<number, number>();
  const errors: ProblemField[] = [];
  body.items.forEach((item, i) => {
    const seen = first.get(item.milestone);
    if (seen === undefined) first.set(item.milestone, i);
    else errors.push({ field: `items[${i}].milestone`, code: 'form.error.taken', message: `This milestone is already in items[${seen}]; send each milestone once.` });
  });
  return errors;
}

export function writeRoutes({ db, publicUrl }: ModuleContext) {
  return async function routes(plain: FastifyInstance): Promise<void> {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();

    /** Before the body is read: a live token (401), within its rate (429). */
    async function authenticate(request: FastifyRequest, reply: FastifyReply) {
      const token = bearerOf(request);
      const user = token ? await findTokenUser(db, token) : undefined;
      if (!user) {
        reply.header('www-authenticate', 'Bearer realm="besa"');
        return sendProblem(reply, 401, 'Send a live personal API token as Authorization: Bearer <token>.');
      }
      const wait = await admitApiWrite(db, user.tokenId);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return sendProblem(reply, 429, `At most ${WRITE_RATE} requests a minute per token.`);
      }
      request.apiUser = user;
      return undefined;
    }

    app.post(
      '/commitments/:id/updates',
      {
        bodyLimit: WRITE_BODY_LIMIT,
        onRequest: authenticate,
        schema: {
          operationId: 'createUpdate',
          summary: 'File a progress update on a commitment',
          description:
            'Saves (submit: false) or submits for review (submit: true) the commitment’s progress update for a reporting cycle, as the token’s person, with the same checks as the form on the site: the person must hold a role that may report on the commitment (its reporting institution’s holder, a coordinator or an administrator of its jurisdiction), the cycle must be open and the update neither submitted nor published. Texts are written in `language`; each item is one of the commitment’s milestones.',
          tags: ['reporting'],
          security: [{ bearer: [] }],
          params: IdParams,
          body: UpdateBody,
          response: {
            201: Type.Ref('CreatedUpdate'),
            400: problem('The body is not valid JSON of this shape.'),
            401: problem('No token, or one that is unknown, revoked or expired.'),
            403: problem('The token’s person may not report on this commitment.'),
            404: problem('No such commitment or cycle.'),
            409: problem('The update is already submitted or published, or the cycle is closed.'),
            413: problem('The body is too large.'),
            422: problem('The update was refused: see errors.'),
            429: problem('Too many requests with this token.'),
          },
        },
      },
      async (request, reply) => {
        const user = request.apiUser!;
        const body = request.body;
        const refused = [...unstorableFields(body), ...repeatedMilestones(body)];
        if (refused.length) return sendProblem(reply, 422, 'The update was refused.', refused);
        const commitment = await db
          .selectFrom('commitments as c')
          .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
          .innerJoin('jurisdictions as j', 'j.id', 'p.jurisdiction_id')
          .select(['c.id', 'c.code', 'c.action_plan_id', 'p.jurisdiction_id', 'p.slug as plan_slug', 'j.slug as jurisdiction_slug'])
          .where('c.id', '=', request.params.id)
          .executeTakeFirst();
        if (!commitment) return sendProblem(reply, 404, 'No commitment has this id.');
        const jurisdictionId = Number(commitment.jurisdiction_id);
        // The form's policy, asked first (the command asks it again).
        if (!canReportOnCommitment(user, jurisdictionId, await reportingInstitutionIds(db, commitment.id))) {
          return sendProblem(reply, 403, 'Your roles do not allow reporting on this commitment.');
        }
        let cycle;
        if (body.cycle !== undefined) {
          cycle = await findCycleByNumber(db, commitment.action_plan_id, body.cycle);
          if (!cycle) return sendProblem(reply, 404, 'The plan has no reporting cycle with this number.');
        } else {
          const open = (await listCycles(db, commitment.action_plan_id)).filter((c) => c.status === 'open');
          if (open.length !== 1) {
            return sendProblem(reply, 422, 'Name the reporting cycle.', [{ field: 'cycle', code: 'form.error.required', message: open.length ? 'The plan has several open cycles: name one.' : 'The plan has no open reporting cycle.' }]);
          }
          cycle = open[0]!;
        }
        const locale = body.language as Locale;
        try {
          const saved = await saveProgressUpdate(
            db,
            actorFor(user, jurisdictionId),
            {
              cycleId: cycle.id,
              commitmentId: commitment.id,
              locale,
              summary: body.summary ?? '',
              items: body.items.map((i) => ({
                milestoneId: i.milestone,
                status: i.status.trim(),
                completion: i.completion.trim(),
                narrative: i.narrative ?? '',
                obstacles: i.obstacles ?? [],
                obstacleNote: i.obstacleNote ?? '',
                links: i.links ?? [],
              })),
              files: [],
              removeFileIds: [],
              submit: body.submit ?? false,
              formToken: null,
            },
            { publicUrl, locale: DEFAULT_LOCALE },
          );
          const reviewUrl = `${publicUrl}/${DEFAULT_LOCALE}/admin/jurisdictions/${encodeURIComponent(commitment.jurisdiction_slug)}/plans/${encodeURIComponent(commitment.plan_slug)}/cycles/${cycle.number}/updates/${encodeURIComponent(commitment.code)}`;
          reply.header('cache-control', 'no-store').header('location', reviewUrl);
          return reply.code(201).send({ id: saved.id, commitmentId: commitment.id, cycle: cycle.number, status: saved.status as 'draft' | 'submitted', reviewUrl });
        } catch (error) {
          if (error instanceof InvalidInputError) {
            const errors: ProblemField[] = error.errors.list.map((e) => ({ field: fieldOf(e.field, body), code: e.message, message: englishMessage(e.message, e.values) }));
            return sendProblem(reply, 422, 'The update was refused.', errors);
          }
          if (error instanceof WorkflowError) return sendProblem(reply, 409, englishMessage(error.key));
          if (error instanceof DuplicateSubmissionError) return sendProblem(reply, 409, 'The same update was filed at the same time.');
          if (error instanceof ForbiddenError) return sendProblem(reply, 403, 'Your roles do not allow reporting on this commitment.');
          if (error instanceof NotFoundError) return sendProblem(reply, 404, 'No such commitment or cycle.');
          throw error;
        }
      },
    );
  };
}

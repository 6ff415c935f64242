import type { Db } from '../../db/database.js';
import { FormErrors, isIsoDate } from '../../lib/forms.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { publicChanges } from '../transparency/index.js';
import { canRecordAssessments } from './policy.js';
import { sdb } from './tables.js';

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class StandardsInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

export interface AssessmentsInput {
  planId: number;
  /** `YYYY-MM-DD`, or empty: not published. */
  inceptionAssessedOn: string;
  /** By commitment id; commitments not named are left as they are. */
  endAssessedOn: Record<number, string>;
  /** The day of the request (a publication day may not be later). */
  today: string;
}

/** The form field of a commitment's assessment day. */
export function commitmentField(id: number): string {
  return `commitment_${id}`;
}

function checkDay(errors: FormErrors, field: string, value: string, today: string): void {
  if (!value) return;
  if (!isIsoDate(value)) errors.add(field, 'form.error.date');
  else if (value > today) errors.add(field, 'standards.error.future');
}

/**
 * Records the days the plan's inception assessment and its commitments' end-of-commitment
 * assessments were published (empty: not published). Each change is published on the plan or the
 * commitment (their history pages show it) with the day only. Returns how many rows changed.
 */
export async function recordAssessments(db: Db, actor: Actor, input: AssessmentsInput): Promise<number> {
  return runCommand(db, actor, async (trx, audit) => {
    const s = sdb(trx);
    const plan = await s.selectFrom('action_plans').select(['id', 'jurisdiction_id', 'submitted_on', 'inception_assessed_on']).where('id', '=', input.planId).executeTakeFirst();
    if (!plan) throw new NotFoundError();
    authorize(actor, (user) => canRecordAssessments(user, plan.jurisdiction_id));
    const commitments = await s.selectFrom('commitments').select(['id', 'code', 'end_assessed_on']).where('action_plan_id', '=', plan.id).orderBy('position').orderBy('code').execute();
    const known = new Set(commitments.map((c) => c.id));
    const inception = input.inceptionAssessedOn.trim();
    const errors = new FormErrors();
    checkDay(errors, 'inception_assessed_on', inception, input.today);
    // The inception assessment assesses the submitted plan: it cannot come before the submission.
    if (inception && isIsoDate(inception) && plan.submitted_on && inception < plan.submitted_on && !errors.for('inception_assessed_on')) errors.add('inception_assessed_on', 'standards.error.beforeSubmission');
    for (const [id, value] of Object.entries(input.endAssessedOn)) {
      if (!known.has(Number(id))) throw new NotFoundError();
      checkDay(errors, commitmentField(Number(id)), value.trim(), input.today);
    }
    if (errors.any) throw new StandardsInputError(errors);

    const now = new Date().toISOString();
    let changedRows = 0;
    const nextInception = inception || null;
    if (nextInception !== plan.inception_assessed_on) {
      await s.updateTable('action_plans').set({ inception_assessed_on: nextInception, updated_at: now }).where('id', '=', plan.id).execute();
      await audit.publish('action_plan.updated', 'action_plan', plan.id, {
        jurisdictionId: plan.jurisdiction_id,
        ...publicChanges({ inception_assessed_on: plan.inception_assessed_on }, { inception_assessed_on: nextInception }),
      });
      changedRows += 1;
    }
    for (const c of commitments) {
      const raw = input.endAssessedOn[c.id];
      if (raw === undefined) continue;
      const next = raw.trim() || null;
      if (next === c.end_assessed_on) continue;
      await s.updateTable('commitments').set({ end_assessed_on: next, updated_at: now }).where('id', '=', c.id).execute();
      await audit.publish('commitment.updated', 'commitment', c.id, {
        code: c.code,
        ...publicChanges({ end_assessed_on: c.end_assessed_on }, { end_assessed_on: next }),
      });
      changedRows += 1;
    }
    return changedRows;
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES } from '../../../i18n/locales.js';
import { FormErrors, formValues, optionalText, requireText, unstorableErrors, type FormValues } from '../../../lib/forms.js';
import type { Translatable } from '../../../lib/translatable.js';
import { NotFoundError } from '../../../plugins/errors.js';
import { setFlash } from '../../../plugins/flash.js';
import { sendHtml } from '../../../plugins/locale.js';
import { ForbiddenPage } from '../../../ui/admin.js';
import { adminContext, requestActor } from '../../accounts/index.js';
import type { ModuleContext } from '../../manifest.js';
import { addWitness, checkWitnessUrl, deactivateWitness, parseWitnessVkey, reactivateWitness, setWitnessQuorum, updateWitness, WitnessInputError } from './commands.js';
import { canManageWitnesses } from './policy.js';
import { findWitness, listWitnesses, witnessQuorum, type WitnessView } from './queries.js';
import { policyField, WitnessesAdminPage, witnessesAdminPath, WitnessFormPage } from './admin-views.js';

/**
 * The witnesses in the administration, under /{locale}/admin/witnesses: the list with the quorum,
 * add, edit (URL, operator, policy), deactivate and reactivate. Instance administrators only
 * (canManageWitnesses), asked before anything is read; every form carries the CSRF token.
 */

const BASE = '/witnesses';

function readPolicy(values: FormValues, errors: FormErrors): Translatable {
  const policy: Translatable = {};
  for (const locale of LOCALES) {
    const text = optionalText(values, errors, policyField(locale), 5000).trim();
    if (text) policy[locale] = text;
  }
  return policy;
}

/** The URL field: required, http or https. */
function readUrl(values: FormValues, errors: FormErrors): string {
  const url = requireText(values, errors, 'url', 500);
  if (url && !errors.for('url')) {
    try {
      checkWitnessUrl(url);
    } catch (error) {
      if (!(error instanceof WitnessInputError)) throw error;
      errors.add('url', error.key);
    }
  }
  return url.trim();
}

function witnessValues(w: WitnessView): FormValues {
  const values: FormValues = { url: w.url, operator: w.operator };
  for (const locale of LOCALES) values[policyField(locale)] = w.policy[locale] ?? '';
  return values;
}

export function witnessAdminRoutes({ db }: ModuleContext) {
  /** The role first (403 for every id alike), then the witness of the URL (404). */
  async function allowed(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (canManageWitnesses(request.user)) return true;
    sendHtml(reply, ForbiddenPage({ ctx: adminContext(request, reply) }) as string, 403);
    return false;
  }

  async function load(request: FastifyRequest): Promise<WitnessView> {
    const { id } = request.params as { id: string };
    if (!/^\d{1,9}$/.test(id)) throw new NotFoundError();
    const witness = await findWitness(db, Number(id));
    if (!witness) throw new NotFoundError();
    return witness;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(BASE, async (request, reply) => {
      if (!(await allowed(request, reply))) return reply;
      const ctx = adminContext(request, reply);
      const [witnesses, quorum] = await Promise.all([listWitnesses(db), witnessQuorum(db)]);
      return sendHtml(reply, WitnessesAdminPage({ ctx, witnesses, quorum }) as string);
    });

    app.post(`${BASE}/quorum`, { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!(await allowed(request, reply))) return reply;
      const ctx = adminContext(request, reply);
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      const text = requireText(values, errors, 'quorum', 10).trim();
      if (text && !errors.any && !/^\d{1,6}$/.test(text)) errors.add('quorum', 'transparency.witnesses.error.quorum');
      if (!errors.any) {
        try {
          await setWitnessQuorum(db, requestActor(request, null), Number(text));
          setFlash(reply, 'transparency.witnesses.flash.quorum');
          return reply.redirect(witnessesAdminPath(ctx), 303);
        } catch (error) {
          if (!(error instanceof WitnessInputError)) throw error;
          errors.add('quorum', error.key, error.values);
        }
      }
      const [witnesses, quorum] = await Promise.all([listWitnesses(db), witnessQuorum(db)]);
      return sendHtml(reply, WitnessesAdminPage({ ctx, witnesses, quorum, values, errors }) as string, 422);
    });

    app.get(`${BASE}/new`, async (request, reply) => {
      if (!(await allowed(request, reply))) return reply;
      return sendHtml(reply, WitnessFormPage({ ctx: adminContext(request, reply), values: {} }) as string);
    });

    app.post(`${BASE}/new`, { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!(await allowed(request, reply))) return reply;
      const ctx = adminContext(request, reply);
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      const name = requireText(values, errors, 'name', 300).trim();
      const vkey = requireText(values, errors, 'vkey', 1000).trim();
      const url = readUrl(values, errors);
      const operator = requireText(values, errors, 'operator', 300).trim();
      const policy = readPolicy(values, errors);
      if (name && vkey && !errors.for('name') && !errors.for('vkey')) {
        try {
          parseWitnessVkey(vkey, name);
        } catch (error) {
          if (!(error instanceof WitnessInputError)) throw error;
          errors.add(error.field, error.key, error.values);
        }
      }
      if (!errors.any) {
        try {
          const id = await addWitness(db, requestActor(request, null), { name, vkey, url, operator, policy });
          setFlash(reply, 'transparency.witnesses.flash.added');
          return reply.redirect(`${witnessesAdminPath(ctx)}#witness-${id}`, 303);
        } catch (error) {
          if (!(error instanceof WitnessInputError)) throw error;
          errors.add(error.field, error.key, error.values);
        }
      }
      return sendHtml(reply, WitnessFormPage({ ctx, values, errors }) as string, 422);
    });

    app.get(`${BASE}/:id`, async (request, reply) => {
      if (!(await allowed(request, reply))) return reply;
      const witness = await load(request);
      return sendHtml(reply, WitnessFormPage({ ctx: adminContext(request, reply), witness, values: witnessValues(witness) }) as string);
    });

    app.post(`${BASE}/:id`, { preHandler: app.csrfProtection }, async (request, reply) => {
      if (!(await allowed(request, reply))) return reply;
      const witness = await load(request);
      const ctx = adminContext(request, reply);
      const values = formValues(request.body);
      const errors = unstorableErrors(values);
      const url = readUrl(values, errors);
      const operator = requireText(values, errors, 'operator', 300).trim();
      const policy = readPolicy(values, errors);
      if (!errors.any) {
        try {
          await updateWitness(db, requestActor(request, null), witness.id, { url, operator, policy });
          setFlash(reply, 'transparency.witnesses.flash.saved');
          return reply.redirect(`${witnessesAdminPath(ctx)}/${witness.id}`, 303);
        } catch (error) {
          if (!(error instanceof WitnessInputError)) throw error;
          errors.add(error.field, error.key, error.values);
        }
      }
      return sendHtml(reply, WitnessFormPage({ ctx, witness, values, errors }) as string, 422);
    });

    for (const action of ['deactivate', 'reactivate'] as const) {
      app.post(`${BASE}/:id/${action}`, { preHandler: app.csrfProtection }, async (request, reply) => {
        if (!(await allowed(request, reply))) return reply;
        const witness = await load(request);
        const ctx = adminContext(request, reply);
        try {
          await (action === 'deactivate' ? deactivateWitness : reactivateWitness)(db, requestActor(request, null), witness.id);
        } catch (error) {
          if (!(error instanceof WitnessInputError)) throw error;
          // The quorum would exceed the witnesses left: said on the witness's page, nothing changed.
          setFlash(reply, 'transparency.witnesses.flash.lowerQuorumFirst');
          return reply.redirect(`${witnessesAdminPath(ctx)}/${witness.id}`, 303);
        }
        setFlash(reply, action === 'deactivate' ? 'transparency.witnesses.flash.deactivated' : 'transparency.witnesses.flash.reactivated');
        return reply.redirect(`${witnessesAdminPath(ctx)}/${witness.id}`, 303);
      });
    }
  };
}

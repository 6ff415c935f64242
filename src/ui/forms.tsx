import { escapeHtml } from '@kitajs/html';
import { defineMessages } from '../i18n/define.js';
import type { MessageKey } from '../i18n/index.js';
import type { FormErrors, FormValues } from '../lib/forms.js';
import type { PageContext } from './context.js';

export const formMessages = defineMessages({
  en: {
    'form.error.required': 'Enter a value',
    'form.error.tooLong': 'Use at most {max, number} characters',
    'form.error.date': 'Enter a real date as YYYY-MM-DD, for example 2025-03-31',
    'form.error.slug': 'Use lower-case letters, digits and single hyphens only, for example gjakova',
    'form.error.choice': 'Choose one of the options',
    'form.error.integer': 'Enter a whole number from {min, number} to {max, number}',
    'form.error.url': 'Enter a full web address starting with https://',
    'form.error.taken': 'This is already used; choose another',
    'form.error.dateOrder': 'The end date must be on or after the start date',
    'form.error.character': 'This contains a character that cannot be stored (an invisible control character). It has been removed: check the text and save again',
    'form.optional': '(optional)',
    'form.save': 'Save',
    'form.cancel': 'Cancel',
  },
  sq: {
    'form.error.required': 'Shkruani një vlerë',
    'form.error.tooLong': 'Përdorni të shumtën {max, number} shenja',
    'form.error.date': 'Shkruani një datë të vërtetë si VVVV-MM-DD, për shembull 2025-03-31',
    'form.error.slug': 'Përdorni vetëm shkronja të vogla, shifra dhe viza të vetme, për shembull gjakova',
    'form.error.choice': 'Zgjidhni një nga opsionet',
    'form.error.integer': 'Shkruani një numër të plotë nga {min, number} deri në {max, number}',
    'form.error.url': 'Shkruani një adresë të plotë uebi që fillon me https://',
    'form.error.taken': 'Kjo është në përdorim; zgjidhni një tjetër',
    'form.error.dateOrder': 'Data e përfundimit duhet të jetë në ose pas datës së fillimit',
    'form.error.character': 'Kjo përmban një shenjë që nuk mund të ruhet (një shenjë kontrolli e padukshme). Ajo u hoq: kontrolloni tekstin dhe ruajeni përsëri',
    'form.optional': '(opsionale)',
    'form.save': 'Ruaj',
    'form.cancel': 'Anulo',
  },
  'sr-Latn': {
    'form.error.required': 'Unesite vrednost',
    'form.error.tooLong': 'Koristite najviše {max, number} znakova',
    'form.error.date': 'Unesite stvaran datum u obliku GGGG-MM-DD, na primer 2025-03-31',
    'form.error.slug': 'Koristite samo mala slova, cifre i pojedinačne crtice, na primer gjakova',
    'form.error.choice': 'Izaberite jednu od opcija',
    'form.error.integer': 'Unesite ceo broj od {min, number} do {max, number}',
    'form.error.url': 'Unesite punu veb-adresu koja počinje sa https://',
    'form.error.taken': 'Ovo je već u upotrebi; izaberite drugo',
    'form.error.dateOrder': 'Datum završetka mora biti isti ili posle datuma početka',
    'form.error.character': 'Ovo sadrži znak koji se ne može sačuvati (nevidljivi kontrolni znak). Uklonjen je: proverite tekst i ponovo sačuvajte',
    'form.optional': '(opciono)',
    'form.save': 'Sačuvaj',
    'form.cancel': 'Otkaži',
  },
  fr: {
    'form.error.required': 'Saisissez une valeur',
    'form.error.tooLong': 'Utilisez au plus {max, number} caractères',
    'form.error.date': 'Saisissez une date réelle au format AAAA-MM-JJ, par exemple 2025-03-31',
    'form.error.slug': 'Utilisez uniquement des minuscules, des chiffres et des tirets simples, par exemple gjakova',
    'form.error.choice': 'Choisissez l’une des options',
    'form.error.integer': 'Saisissez un nombre entier de {min, number} à {max, number}',
    'form.error.url': 'Saisissez une adresse web complète commençant par https://',
    'form.error.taken': 'Déjà utilisé ; choisissez-en un autre',
    'form.error.dateOrder': 'La date de fin doit être égale ou postérieure à la date de début',
    'form.error.character': 'Ce texte contient un caractère qui ne peut pas être enregistré (un caractère de contrôle invisible). Il a été retiré : vérifiez le texte et enregistrez à nouveau',
    'form.optional': '(facultatif)',
    'form.save': 'Enregistrer',
    'form.cancel': 'Annuler',
  },
});

function errorText(ctx: PageContext, errors: FormErrors | undefined, name: string): string | undefined {
  const error = errors?.for(name);
  return error ? ctx.t(error.message as MessageKey, error.values) : undefined;
}

/** The GOV.UK error summary: focused on load by besa.js, each error links to its field. */
export function ErrorSummary({ ctx, errors, labels }: { ctx: PageContext; errors?: FormErrors | undefined; labels: Record<string, string> }): JSX.Element {
  if (!errors?.any) return <></>;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" data-error-summary>
      <h2 id="error-summary-title">{escapeHtml(ctx.t('ui.errorSummary.title'))}</h2>
      <ul>
        {errors.list.map((e) => (
          <li>
            <a href={`#field-${e.field}`} safe>
              {`${labels[e.field] ?? e.field}: ${ctx.t(e.message as MessageKey, e.values)}`}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField({ ctx }: { ctx: PageContext }): JSX.Element {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ''} />;
}

interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  values: FormValues;
  errors?: FormErrors | undefined;
  hint?: string;
  optional?: boolean;
  lang?: string;
}

function FieldShell(props: FieldProps & { children: JSX.Element }): JSX.Element {
  const { children } = props;
  const error = errorText(props.ctx, props.errors, props.name);
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`field-${props.name}`}>
        {escapeHtml(props.label)}
        {props.optional ? <span class="optional"> {escapeHtml(props.ctx.t('form.optional'))}</span> : ''}
      </label>
      {props.hint ? (
        <p class="hint" id={`hint-${props.name}`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {error ? (
        <p class="error-message" id={`error-${props.name}`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      {children}
    </div>
  );
}

function describedBy(props: FieldProps): string | undefined {
  const ids = [props.hint ? `hint-${props.name}` : '', props.errors?.for(props.name) ? `error-${props.name}` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function TextField(props: FieldProps & { type?: 'text' | 'date' | 'email' | 'password' | 'url' | 'number'; autocomplete?: string; list?: string }): JSX.Element {
  return (
    <FieldShell {...props}>
      <input
        id={`field-${props.name}`}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? '' : props.values[props.name] ?? ''}
        aria-describedby={describedBy(props)}
        aria-invalid={props.errors?.for(props.name) ? 'true' : undefined}
        required={!props.optional}
        autocomplete={props.autocomplete}
        list={props.list}
        lang={props.lang}
      />
    </FieldShell>
  );
}

export function TextArea(props: FieldProps & { rows?: number }): JSX.Element {
  return (
    <FieldShell {...props}>
      <textarea
        id={`field-${props.name}`}
        name={props.name}
        rows={String(props.rows ?? 5)}
        aria-describedby={describedBy(props)}
        aria-invalid={props.errors?.for(props.name) ? 'true' : undefined}
        required={!props.optional}
        lang={props.lang}
        safe
      >
        {props.values[props.name] ?? ''}
      </textarea>
    </FieldShell>
  );
}

/**
 * A select; `placeholder` (for a required answer nobody may assume, such as an assessment) adds a
 * first, empty option that stays selected until the person chooses, so nothing is pre-filled.
 */
export function Select(props: FieldProps & { options: { value: string; label: string }[]; placeholder?: string }): JSX.Element {
  const current = props.values[props.name] ?? '';
  return (
    <FieldShell {...props}>
      <select
        id={`field-${props.name}`}
        name={props.name}
        aria-describedby={describedBy(props)}
        aria-invalid={props.errors?.for(props.name) ? 'true' : undefined}
        required={!props.optional}
      >
        {props.optional ? (
          <option value="">—</option>
        ) : props.placeholder !== undefined ? (
          <option value="" selected={current === ''} safe>
            {props.placeholder}
          </option>
        ) : (
          ''
        )}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === current} safe>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A group of checkboxes; `selected` holds the checked values. */
export function Checkboxes(props: FieldProps & { options: { value: string; label: string }[]; selected: string[] }): JSX.Element {
  const error = errorText(props.ctx, props.errors, props.name);
  return (
    <fieldset class={error ? 'field field-error' : 'field'} id={`field-${props.name}`}>
      <legend safe>{props.label}</legend>
      {error ? (
        <p class="error-message" safe>
          {error}
        </p>
      ) : (
        ''
      )}
      {props.options.map((o, i) => (
        <div class="checkbox">
          <input type="checkbox" id={`field-${props.name}-${i}`} name={props.name} value={o.value} checked={props.selected.includes(o.value)} />
          <label for={`field-${props.name}-${i}`} safe>
            {o.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

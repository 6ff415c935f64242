import { escapeHtml } from '@kitajs/html';
import type { MessageKey } from '../i18n/index.js';
import type { FormErrors, FormValues } from '../lib/forms.js';
import type { PageContext } from './context.js';

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

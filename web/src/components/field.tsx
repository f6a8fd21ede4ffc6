/** A labelled text input with its hint and its error wired up for assistive technology. */
import type { ComponentChildren } from 'preact';

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly hint?: ComponentChildren;
  /** The service's message for this field, if it refused the value. */
  readonly error?: string | null;
  readonly type?: 'text' | 'url' | 'search';
  readonly required?: boolean;
  readonly placeholder?: string;
  readonly list?: string;
  readonly disabled?: boolean;
  readonly code?: boolean;
}

export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length === 0 ? undefined : ids.join(' ');
}

export function FieldMessages({
  id,
  hint,
  error,
}: {
  id: string;
  hint?: ComponentChildren;
  error?: string | null | undefined;
}) {
  return (
    <>
      {hint === undefined ? null : (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField(props: TextFieldProps) {
  const { id, label, hint, error } = props;
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label class="field__label" for={id}>
        {label}
      </label>
      <input
        id={id}
        name={id}
        class={`input${props.code ? ' input--code' : ''}`}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
        required={props.required}
        placeholder={props.placeholder}
        list={props.list}
        disabled={props.disabled}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint !== undefined, Boolean(error))}
      />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

/** A set of radio buttons drawn as a segmented control. */
export function Segmented<T extends string>({
  name,
  legend,
  options,
  value,
  onValue,
}: {
  name: string;
  legend: string;
  options: readonly { readonly value: T; readonly label: string }[];
  value: T;
  onValue: (value: T) => void;
}) {
  return (
    <fieldset class="field segmented">
      <legend class="field__label">{legend}</legend>
      <div class="segmented__options">
        {options.map((option) => (
          <label key={option.value} class="segmented__option">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onValue(option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A checkbox with its label and an optional one-line explanation. */
export function Toggle({
  id,
  label,
  hint,
  checked,
  onChecked,
  disabled,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <div class="toggle">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChecked(event.currentTarget.checked)}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
      />
      <label for={id}>{label}</label>
      {hint === undefined ? null : (
        <p class="toggle__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A labelled multi-line text box for code or lists, with its hint wired up. */
export function TextAreaField({
  id,
  label,
  value,
  onValue,
  hint,
  rows,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  rows: number;
}) {
  return (
    <div class="span-all field">
      <label class="field__label" for={id}>
        {label}
      </label>
      <textarea
        id={id}
        class="input input--code"
        rows={rows}
        value={value}
        spellcheck={false}
        aria-describedby={describedBy(id, hint !== undefined, false)}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      <FieldMessages id={id} hint={hint} />
    </div>
  );
}

/** A labelled drop-down of fixed choices, with its hint wired up. */
export function SelectField<T extends string>({
  id,
  label,
  options,
  value,
  onValue,
  hint,
}: {
  id: string;
  label: string;
  options: readonly { readonly value: T; readonly label: string }[];
  value: T;
  onValue: (value: T) => void;
  hint?: ComponentChildren;
}) {
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {label}
      </label>
      <select
        id={id}
        class="input"
        value={value}
        aria-describedby={describedBy(id, hint !== undefined, false)}
        onChange={(event) => onValue(event.currentTarget.value as T)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessages id={id} hint={hint} />
    </div>
  );
}

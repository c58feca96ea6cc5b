/**
 * Form fields bound to the document. Each keystroke is an edit; edits of one field merge into
 * one undo step until the field loses focus.
 */
import { useId, type ReactNode } from "react";
import { actions } from "../app/studio";

type Common = { label: string; hint?: ReactNode; testId?: string };

/** The frame every field shares: a label bound to its control, the control, an optional hint. */
function Field(props: { label: string; hint?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

export function TextField(props: Common & { value: string; onChange: (v: string) => void; placeholder?: string; type?: string }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <input
          id={id}
          type={props.type ?? "text"}
          value={props.value}
          placeholder={props.placeholder}
          data-testid={props.testId}
          spellCheck={false}
          onChange={(e) => props.onChange(e.target.value)}
          onBlur={() => actions.settle()}
        />
      )}
    </Field>
  );
}

export function TextArea(props: Common & { value: string; onChange: (v: string) => void; rows?: number; placeholder?: string }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <textarea
          id={id}
          rows={props.rows ?? 3}
          value={props.value}
          placeholder={props.placeholder}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
          onBlur={() => actions.settle()}
        />
      )}
    </Field>
  );
}

/** A number that may be absent: clearing the field removes the setting. */
export function NumberField(
  props: Common & { value: number | undefined; onChange: (v: number | undefined) => void; min?: number; max?: number; step?: number; placeholder?: string },
) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <input
          id={id}
          type="number"
          value={props.value ?? ""}
          min={props.min}
          max={props.max}
          step={props.step ?? 1}
          placeholder={props.placeholder}
          data-testid={props.testId}
          onChange={(e) => {
            const raw = e.target.value.trim();
            if (raw === "") return props.onChange(undefined);
            const n = Number(raw);
            if (Number.isFinite(n)) props.onChange(n);
          }}
          onBlur={() => actions.settle()}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string>(
  props: Common & { value: T; options: { value: T; label: string }[]; onChange: (v: T) => void },
) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <select id={id} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T)}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Sets or removes an optional key of an object, without leaving `undefined` values behind. */
export function withOptional<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  const next = { ...object };
  if (value === undefined || (value as unknown) === "") delete next[key];
  else next[key] = value;
  return next;
}

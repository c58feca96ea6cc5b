/**
 * Form fields bound to the document. Each keystroke is an edit; edits of one field merge into
 * one undo step until the field loses focus.
 */
import { useId, type ReactNode } from "react";
import { actions } from "../app/studio";

type Common = { label: string; hint?: ReactNode; testId?: string };

export function TextField(props: Common & { value: string; onChange: (v: string) => void; placeholder?: string; type?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
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
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

export function TextArea(props: Common & { value: string; onChange: (v: string) => void; rows?: number; placeholder?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={props.rows ?? 3}
        value={props.value}
        placeholder={props.placeholder}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={() => actions.settle()}
      />
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

/** A number that may be absent: clearing the field removes the setting. */
export function NumberField(
  props: Common & { value: number | undefined; onChange: (v: number | undefined) => void; min?: number; max?: number; step?: number; placeholder?: string },
) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
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
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

export function SelectField<T extends string>(
  props: Common & { value: T; options: { value: T; label: string }[]; onChange: (v: T) => void },
) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

/** Sets or removes an optional key of an object, without leaving `undefined` values behind. */
export function withOptional<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  const next = { ...object };
  if (value === undefined || (value as unknown) === "") delete next[key];
  else next[key] = value;
  return next;
}

/**
 * A number box with its limits: the input shows `min`/`max` from the same numbers it
 * clamps with. While the person types, the box keeps what they typed and hands on each
 * number that is already in range (so a filled-in "300" is 300 before any button is
 * pressed); leaving the box (or Enter) clamps what is out of range and hands that on.
 * `onChange` only ever sees a valid number. Only the input (and a line saying what is
 * wrong, where asked for): the label around it is the caller's.
 */
import { useState, type CSSProperties } from 'react';

/** A field's range, defined once beside the field and spread into it. */
export interface NumberLimits {
  min: number;
  /** None: no upper limit. */
  max?: number;
  /** The spinner's step (the input's `step`); `any`: no grid. Not enforced beyond `integer`. */
  step?: number | 'any';
  /** Whole numbers only (a typed 2.5 waits; left in the box, it is rounded). */
  integer?: boolean;
  /** What an emptied box means (a learning rate of 0: the preset's own); shown as an empty box. None: an empty box waits, then goes back to the value. */
  empty?: number;
}

export interface NumberFieldProps extends NumberLimits {
  value: number;
  onChange: (n: number) => void;
  testId?: string;
  /** Said beside the box while what is typed is out of range (it is clamped when the box is left). */
  invalidText?: string;
  placeholder?: string;
  style?: CSSProperties;
}

/** Is `n` in the field's range? */
export function inLimits(n: number, { min, max, integer }: NumberLimits): boolean {
  return Number.isFinite(n) && n >= min && (max === undefined || n <= max) && (!integer || Number.isInteger(n));
}

/** The nearest number in range; NaN stays NaN (nothing to clamp). */
export function clampTo(n: number, { min, max, integer }: NumberLimits): number {
  const whole = integer ? Math.round(n) : n;
  return Math.min(max ?? Infinity, Math.max(min, whole));
}

/** The box's text for a number (the `empty` number is an empty box)… */
const show = (n: number, empty: number | undefined) => (n === empty ? '' : String(n));
/** …and the number a text stands for (NaN: none). */
const read = (text: string, empty: number | undefined) => (text.trim() === '' ? (empty ?? NaN) : Number(text));

export function NumberField({ value, onChange, testId, invalidText, placeholder, style, ...limits }: NumberFieldProps) {
  const { min, max, step, empty } = limits;
  const [text, setText] = useState(() => show(value, empty));
  // A value set from outside (a URL, a reset, another setting) shows; one this box just handed on does not retype the box.
  // (Adjusted while rendering, as React advises for state that follows a prop, not in an effect.)
  const [shownFor, setShownFor] = useState(value);
  if (shownFor !== value) {
    setShownFor(value);
    if (read(text, empty) !== value) setText(show(value, empty));
  }
  const valid = inLimits(read(text, empty), limits);
  const commit = () => {
    if (valid) return;
    const n = read(text, empty);
    const clamped = Number.isNaN(n) ? value : clampTo(n, limits);
    setText(show(clamped, empty));
    if (clamped !== value) onChange(clamped);
  };
  return (
    <>
      <input
        data-testid={testId}
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        placeholder={placeholder}
        aria-invalid={!valid}
        style={style}
        onChange={(e) => {
          setText(e.target.value);
          const n = read(e.target.value, empty);
          if (inLimits(n, limits) && n !== value) onChange(n);
        }}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {!valid && invalidText && (
        <span className="error-inline small" role="alert">
          {invalidText}
        </span>
      )}
    </>
  );
}

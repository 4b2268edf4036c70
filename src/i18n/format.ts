/**
 * A learning rate with its significant digits: 0.01, 0.0025, then 1e-4 (not a rounded
 * "0"): two significant digits in the language's own decimal mark.
 */
export function fmtRate(x: number, locale: string): string {
  if (!(x > 0) || !Number.isFinite(x)) return String(x);
  if (x >= 1e-3) return x.toLocaleString(locale, { maximumSignificantDigits: 2 });
  const [m = '', e = ''] = x.toExponential(1).split('e');
  return `${Number(m).toLocaleString(locale)}e${e}`;
}

/** A measured number with `digits` decimals, in the language's own decimal mark (ms/step, losses). */
export function fmtFixed(x: number, locale: string, digits: number): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration to read at a glance: "45 s", "2 min 05 s". */
export function fmtDuration(ms: number, locale: string): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s.toLocaleString(locale)} s`;
  return `${Math.floor(s / 60).toLocaleString(locale)} min ${String(s % 60).padStart(2, '0')} s`;
}

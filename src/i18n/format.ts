/**
 * Numbers as a person of each language reads them: one place, so the page never mixes
 * "9.4 %" with "108.290". Every function takes the locale ('en' or 'pt-BR'); the
 * dictionaries (topics/*.ts) bind it, so components call `t.num`, `t.fixed`, `t.pct`.
 */

/** A whole or decimal number with grouping: 108,290 (en) · 108.290 (pt-BR). */
export function fmtNum(x: number, locale: string): string {
  return Number.isFinite(x) ? x.toLocaleString(locale) : String(x);
}

/** Exactly `digits` decimals: a loss of 2.046 (en) · 2,046 (pt-BR). */
export function fmtFixed(x: number, digits: number, locale: string): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A probability as a percentage read at a glance: 57%, 9.4% (en) · 9,4% (pt-BR), <0.1%. */
export function fmtPct(p: number, locale: string): string {
  if (!(p > 0)) return `${fmtFixed(0, 0, locale)}%`;
  // The thresholds are where one decimal would round up to the next form: 9.96% is "10%", never "10.0%".
  if (p >= 0.0995) return `${fmtFixed(p * 100, 0, locale)}%`;
  if (p >= 0.00095) return `${fmtFixed(p * 100, 1, locale)}%`;
  return `<${fmtFixed(0.1, 1, locale)}%`;
}

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

// Inside the model (issue 16): gradient and update sizes, probabilities.
/** A size such as a gradient norm: three significant digits (0.00131, 6.89, 1,234). */
export function fmtSize(x: number, locale: string): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-4) {
    const [m = '', e = ''] = x.toExponential(1).split('e');
    return `${Number(m).toLocaleString(locale)}e${e}`;
  }
  return x.toLocaleString(locale, { maximumSignificantDigits: 3 });
}
/** A duration to read at a glance: "45 s", "2 min 05 s". */
export function fmtDuration(ms: number, locale: string): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s.toLocaleString(locale)} s`;
  return `${Math.floor(s / 60).toLocaleString(locale)} min ${String(s % 60).padStart(2, '0')} s`;
}

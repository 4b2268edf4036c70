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

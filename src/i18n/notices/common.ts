/**
 * What several notice topics share: the shape of a notice given as a parameter to another
 * (a reason, a cause), and numbers and sizes in each language's own form. No sentences.
 */

/** Bytes in MB (1024²) or GB (1024³), one decimal, in the language's own form. */
const bytesIn = (bytes: number, unit: 'MB' | 'GB', locale: string) =>
  `${(bytes / 1024 ** (unit === 'MB' ? 2 : 3)).toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} ${unit}`;
export const mbEn = (bytes: number) => bytesIn(bytes, 'MB', 'en');
export const mbPt = (bytes: number) => bytesIn(bytes, 'MB', 'pt-BR');
export const gbEn = (bytes: number) => bytesIn(bytes, 'GB', 'en');
export const gbPt = (bytes: number) => bytesIn(bytes, 'GB', 'pt-BR');
export const nEn = (n: number) => n.toLocaleString('en');
export const nPt = (n: number) => n.toLocaleString('pt-BR');

/** A notice inside another (the reason a save failed, …): rendered in the same language. */
export interface InnerNotice {
  code: string;
  params?: unknown;
}
export type Reason = InnerNotice | string;

/**
 * Every string a person reads, in English and in Brazilian Portuguese (the language of
 * the article Folio grew from): the page's words (components call `useT()` and read from
 * one dictionary) and the notices that the engine, the worker and the bridge send as
 * {code, params}. The Portuguese tables must have every key the English ones have (the
 * types say so). Pure data and formatting: no React, no tfjs, so every layer may use it.
 *
 * The words live one file per topic, both languages side by side: topics/ and tour.ts for
 * the page's words (put together in strings.ts), notices/ for the notices.
 */
import { enNotice, ptNotice, type NoticeTable, type InnerNotice } from './notices';
import { en, pt, type Dict } from './strings';

export type { Dict } from './strings';
export { fmtFixed, fmtNum, fmtPct, fmtRate } from './format';
export type { FileProblem, InnerNotice, ModelField } from './notices';

/** The page's languages: English and Brazilian Portuguese (the article's). */
export type Lang = 'en' | 'pt';
export const LANGS: readonly Lang[] = ['en', 'pt'];
export function isLang(s: string | null): s is Lang {
  return s === 'en' || s === 'pt';
}

// ---------------------------------------------------------------------------------
// Notices: what the engine, the worker and the bridge have to tell the person. They
// send a code and its values ({code, params}); the page renders it in the chosen
// language, and `FolioError`'s English text is what the CLI and logs print.

export type NoticeCode = keyof NoticeTable;
/** A message as data: its code and the values it needs. Crosses the worker boundary as is. */
export type Notice = { [C in NoticeCode]: { code: C; params: Parameters<NoticeTable[C]>[0] } }[NoticeCode];

const NOTICES: Record<Lang, NoticeTable> = { en: enNotice, pt: ptNotice };

/** A notice, typed by its code: `notice('tooShort', { tokens, context, min, heldOut })`. */
export function notice<C extends NoticeCode>(code: C, ...params: Parameters<NoticeTable[C]>): Notice {
  return { code, params: params[0] } as Notice;
}

/** The notice as a sentence in `lang` (an unknown code — from a newer worker — shows its English). */
export function noticeText(lang: Lang, n: Notice | InnerNotice): string {
  const fn = (NOTICES[lang][n.code as NoticeCode] ?? enNotice[n.code as NoticeCode]) as ((p: unknown) => string) | undefined;
  if (!fn) return n.code;
  // Inner notices (a reason, a cause) are said in the same language.
  const params =
    n.params && typeof n.params === 'object'
      ? Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, isNotice(v) ? noticeText(lang, v) : v]))
      : n.params;
  return fn(params);
}

function isNotice(v: unknown): v is InnerNotice {
  return typeof v === 'object' && v !== null && typeof (v as InnerNotice).code === 'string';
}

/** An error that carries a notice; its message is the English sentence (for the CLI and logs). */
export class FolioError extends Error {
  constructor(readonly notice: Notice) {
    super(noticeText('en', notice));
    this.name = 'FolioError';
  }
}

/** Any thrown value as a notice: a FolioError's own, otherwise its text as it came. */
export function noticeOf(e: unknown): Notice {
  if (e instanceof FolioError) return e.notice;
  return notice('raw', { text: e instanceof Error ? e.message : String(e) });
}

export const STRINGS: Record<Lang, Dict> = { en, pt };

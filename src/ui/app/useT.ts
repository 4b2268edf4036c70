import { noticeText, STRINGS, type Dict, type Notice } from '../../i18n';
import { useFolio } from '../../state/store';

/** The dictionary of the language the person chose. */
export function useT(): Dict {
  return STRINGS[useFolio((s) => s.settings.lang)];
}

/** A notice (from the worker, the bridge or a check) as a sentence in the person's language. */
export function useSay(): (n: Notice) => string {
  const lang = useFolio((s) => s.settings.lang);
  return (n) => noticeText(lang, n);
}

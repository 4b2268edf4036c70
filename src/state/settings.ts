/** Settings remembered across reloads (localStorage keys), read before the URL's own. */
export const BACKEND_SETTING = 'folio.backend';

export function storedSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, sandboxed frame): use defaults
  }
}

/** The summary of the worker's last autosave ({step, corpusName, savedAt}), to offer it on the next visit. */
export const AUTOSAVE_RECORD = 'folio.autosave';

export function writeSetting(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage full or disabled: the offer to resume is lost, nothing else
  }
}

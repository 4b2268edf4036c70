/** Settings remembered across reloads (localStorage keys), read before the URL's own. */
export const BACKEND_SETTING = 'folio.backend';

export function storedSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, sandboxed frame): use defaults
  }
}

/** English or Brazilian Portuguese (the language of the article Folio grew from). */
import { useFolio } from '../../state/store';
import { LANGS } from '../../i18n';
import { useT } from './useT';

const NAMES = { en: 'EN', pt: 'PT' } as const;

export function LanguageToggle() {
  const t = useT();
  const lang = useFolio((s) => s.settings.lang);
  return (
    <div className="lang" role="group" aria-label={t.language}>
      {LANGS.map((l) => (
        <button key={l} className="chip" data-testid={`lang-${l}`} aria-pressed={lang === l} onClick={() => useFolio.get().setSettings({ lang: l })}>
          {NAMES[l]}
        </button>
      ))}
    </div>
  );
}

/** On a new visit: "you have a model saved in this browser — resume it?" */
import { checkpointCommands } from '../state/bridge';
import { useFolio } from '../state/store';
import { useT } from './i18n';

export function ResumeBanner() {
  const t = useT();
  const offer = useFolio((s) => s.resumeOffer);
  const lang = useFolio((s) => s.settings.lang);
  if (!offer) return null;
  const when = new Date(offer.savedAt).toLocaleString(lang === 'pt' ? 'pt-BR' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="resume-banner" role="region" aria-label={t.resumeSaved}>
      <span>{t.resumeOffer(offer.step, offer.corpusName, when)}</span>
      <button data-testid="resume" onClick={checkpointCommands.resumeSaved}>
        {t.resumeSaved}
      </button>
      <button className="secondary" onClick={checkpointCommands.dismissSaved}>
        {t.dismiss}
      </button>
    </div>
  );
}

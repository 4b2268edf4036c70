/** On a new visit: "you have a model saved in this browser — resume it?" */
import { commands } from './commands';
import { useFolio } from '../../state/store';
import { useT } from './useT';
import { corpusDisplayName } from '../shared/corpusTitle';

export function ResumeBanner() {
  const t = useT();
  const offer = useFolio((s) => s.resumeOffer);
  const lang = useFolio((s) => s.settings.lang);
  if (!offer) return null;
  const when = new Date(offer.savedAt).toLocaleString(lang === 'pt' ? 'pt-BR' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="resume-banner" role="region" aria-label={t.resumeSaved}>
      <span>{t.resumeOffer(offer.step, corpusDisplayName(t, offer.corpusName), when)}</span>
      <button data-testid="resume" onClick={commands.checkpoints.resumeSaved}>
        {t.resumeSaved}
      </button>
      <button className="secondary" onClick={commands.checkpoints.dismissSaved}>
        {t.dismiss}
      </button>
    </div>
  );
}

/**
 * A bundled corpus's title in the page's language. The model summary, checkpoints and runs
 * keep the English title as the corpus's identity (runs match by it), so it is translated
 * only here, where it is shown; a person's own corpus name is shown as it is.
 */
import { BUNDLED_CORPORA, type BundledCorpus } from '../../state/corpora';
import type { Dict } from '../../i18n';

export function corpusTitle(t: Dict, id: BundledCorpus): string {
  return id === 'fox' ? t.corpusTitleFox : id === 'dna' ? t.corpusTitleDna : BUNDLED_CORPORA[id].title;
}

/** A corpus name as stored (a model's corpusName): a bundled title translated, anything else kept. */
export function corpusDisplayName(t: Dict, name: string): string {
  const id = (Object.keys(BUNDLED_CORPORA) as BundledCorpus[]).find((k) => BUNDLED_CORPORA[k].title === name);
  return id ? corpusTitle(t, id) : name;
}

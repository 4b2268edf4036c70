/**
 * The k-mer tokenizer's settings (k, overlapping or not) and, for a k-mer model, its
 * vocabulary: every k-mer, A < C < G < T, as chips.
 */
import { allKmers, KMER_MAX, KMER_MIN } from '../../tokenizer/kmer';
import { useFolio } from '../../state/store';
import { useT } from '../app/useT';

const SHOWN = 256;

export function KmerFields({ k, overlap, onK, onOverlap }: { k: number; overlap: boolean; onK: (k: number) => void; onOverlap: (o: boolean) => void }) {
  const t = useT();
  return (
    <span className="row wrap">
      <label className="inline-field">
        {t.dnaK}{' '}
        <select data-testid="kmer-k" value={k} onChange={(e) => onK(Number(e.target.value))}>
          {Array.from({ length: KMER_MAX - KMER_MIN + 1 }, (_, i) => KMER_MIN + i).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <input type="checkbox" data-testid="kmer-overlap" checked={overlap} onChange={(e) => onOverlap(e.target.checked)} /> {t.dnaOverlap}
      </label>
      <span className="muted small">{overlap ? t.dnaOverlapHint : t.dnaTilesHint(k)}</span>
    </span>
  );
}

/** The live k-mer model's vocabulary (the first SHOWN k-mers of a large one). */
export function KmerVocab() {
  const t = useT();
  const kmer = useFolio((s) => s.model?.kmer);
  if (!kmer) return null;
  const all = allKmers(kmer.k);
  return (
    <div data-testid="kmer-vocab" data-k={kmer.k} data-overlap={kmer.overlap}>
      <p className="muted small">{t.dnaVocabTitle(all.length, kmer.k, kmer.overlap)}</p>
      <p className="chips kmer-vocab">
        {all.slice(0, SHOWN).map((s, i) => (
          <span key={s} className={`tok tok-${i % 4}`}>
            {s}
          </span>
        ))}
        {all.length > SHOWN && <span className="muted">{t.dnaVocabMore(all.length - SHOWN)}</span>}
      </p>
    </div>
  );
}

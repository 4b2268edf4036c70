/**
 * The next-word panel for a DNA model: DNA has no words, so the "words" view becomes
 * *bases* — the next base (A, C, G, T) as four bars, then the next three bases (codons)
 * ranked — and the example prompts are the genome's planted rules.
 */
import type { NextBases } from '../../predict/dna';
import { DNA_PROMPTS, isGenomeName } from '../../state/dna';
import { useFolio, shownRankedOf } from '../../state/store';
import { useT } from '../app/useT';
import { ProbBar } from '../shared/ProbBar';

/** Is the live model a DNA model (the genome, or a k-mer tokenizer)? */
export function useIsDna(): boolean {
  return useFolio((s) => s.model?.tokenizer === 'kmer' || isGenomeName(s.model?.corpusName) || shownRankedOf(s)?.result.bases !== undefined);
}

/** The example prompts for DNA, with their names. */
export function useDnaPresets(): { prompt: string; name: string }[] {
  const t = useT();
  return DNA_PROMPTS.map((prompt, i) => ({ prompt, name: t.dnaPresetNames[i] ?? prompt }));
}

/** The ranked runs of bases as the panel's rows (the same shape as word rows). */
export function baseRows(bases: NextBases, appendTitle: (w: string) => string) {
  return bases.runs.map((r) => ({ key: r.bases, word: r.bases, prefix: '', label: r.bases, p: r.p, title: appendTitle(r.bases), append: r.bases }));
}

/** P(next base) for A, C, G, T, side by side. */
export function NextBaseStrip() {
  const t = useT();
  const bases = useFolio((s) => shownRankedOf(s)?.result.bases);
  if (!bases) return null;
  return (
    <div className="dna-next" role="group" aria-label={t.dnaNextBase}>
      <span className="muted small">{t.dnaNextBase}</span>
      {bases.next.map((b) => (
        <span key={b.bases} className={`dna-base dna-${b.bases}`} data-testid="next-base" data-base={b.bases} data-prob={b.p}>
          <ProbBar upright label={b.bases} fraction={b.p} value={t.pct(b.p)} />
        </span>
      ))}
    </div>
  );
}

/** The note under the DNA bars: what the runs are, and the mass that spelled no base. */
export function DnaNotes() {
  const t = useT();
  const bases = useFolio((s) => shownRankedOf(s)?.result.bases);
  if (!bases) return null;
  return (
    <p className="muted small">
      {t.dnaRunsExplain} {t.dnaOther}: {t.pct(bases.other)} · {t.uncovered}: {t.pct(bases.uncovered)}
    </p>
  );
}

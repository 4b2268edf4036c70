/**
 * The loss coach under the chart: what the live run's curves say (train/coach.ts reads
 * them), and a suggestion where one is sound. Re-read at most twice a second.
 */
import { useMemo } from 'react';
import { readCurves } from '../../train/coach';
import { useFolio } from '../../state/store';
import { useThrottled } from '../shared/useThrottled';
import { useT } from '../app/useT';

export function CoachView() {
  const t = useT();
  const losses = useThrottled(
    useFolio((s) => s.losses),
    500,
  );
  const evals = useThrottled(
    useFolio((s) => s.evals),
    500,
  );
  const vocab = useFolio((s) => s.model?.vocabSize);
  const modelStep = useFolio((s) => s.model?.step);
  // A model trained before (the bundled one at step 600) with no curve of this run: nothing to read.
  const result = useMemo(() => (vocab ? readCurves({ train: losses, val: evals, vocabSize: vocab, modelStep }) : undefined), [losses, evals, vocab, modelStep]);
  if (!result) return null;
  return (
    <div className={`coach coach-${result.reading}`} data-testid="coach" data-reading={result.reading} role="status">
      <strong>{t.coachTitle}:</strong> {t.coachReading(result.reading)}
      {result.suggestions.length > 0 && <span className="coach-suggest"> {result.suggestions.map((s) => t.coachSuggest(s)).join(' ')}</span>}
    </div>
  );
}

/**
 * The loss coach under the chart: what the live run's curves say (train/coach.ts reads
 * them), how far the val loss fell lately, where a fitted curve puts the loss at twice the
 * steps and how sure it is, and a suggestion where one is sound. Every number in the unit
 * the page shows losses in (state/lossUnit.ts). Re-read at most twice a second; the fit
 * only when a val point arrives (or, before there are enough, every 50 train points).
 */
import { useMemo } from 'react';
import { projectionOf, readCurves, type CoachResult } from '../../train/coach';
import { useShownUnit } from '../../state/lossUnit';
import { useFolio } from '../../state/store';
import { useThrottled } from '../shared/useThrottled';
import { useT } from '../app/useT';

/** Fewer val points than this: the projection reads the train curve, re-fitted every 50 train points. */
const VAL_FOR_FIT = 8;
/** A ± wider than this share of the loss says nothing: the coach says the curve is too short instead. */
const TOO_WIDE = 0.25;

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
  const schedule = useFolio((s) => s.model?.train);
  const running = useFolio((s) => s.run.state === 'running');
  const { factor, trainFactor, unit, text } = useShownUnit();
  // A model trained before (the bundled one at step 600) with no curve of this run: nothing to read.
  const result = useMemo(() => (vocab ? readCurves({ train: losses, val: evals, vocabSize: vocab, modelStep }) : undefined), [losses, evals, vocab, modelStep]);
  // While training, the fit follows the val points (or every 50 train points); stopped, the whole curve.
  const trainTick = !running ? losses : evals.length < VAL_FOR_FIT ? Math.floor(losses.length / 50) : -1;
  const projection = useMemo(
    () => (vocab && losses.length > 0 ? projectionOf({ train: losses, val: evals, vocabSize: vocab, schedule }) : undefined),
    // Re-fitted when a val point arrives, or every 50 train points while val points are few.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [evals, trainTick, vocab, schedule],
  );
  if (!result) return null;
  const shown = ['learning', 'slow', 'flat'].includes(result.reading);
  const n = (nats: number, k = factor) => `${t.fixed(nats * k, 3)} ${t.unitShort(unit, text)}`;
  // A projection of the train curve reads in the train split's unit.
  const kp = projection?.of === 'train' ? trainFactor : factor;
  return (
    <div className={`coach coach-${result.reading}`} data-testid="coach" data-reading={result.reading} role="status">
      <strong>{t.coachTitle}:</strong> {t.coachReading(result.reading)}
      {shown && result.valTrend && <ValTrendWords trend={result.valTrend} n={n} />}
      {result.suggestions.length > 0 && <span className="coach-suggest"> {result.suggestions.map((s) => t.coachSuggest(s)).join(' ')}</span>}
      {shown && projection && projection.spread > TOO_WIDE * projection.loss && (
        <p className="small muted coach-projection" data-testid="coach-projection" data-sureness="none">
          {t.coachNoProjection}
        </p>
      )}
      {shown && projection && projection.spread <= TOO_WIDE * projection.loss && (
        <p
          className="small coach-projection"
          data-testid="coach-projection"
          data-shape={projection.shape}
          data-sureness={projection.sureness}
          data-of={projection.of}
        >
          {t.coachProjection(
            projection.atStep,
            n(projection.loss, kp),
            Number.isFinite(projection.spread) ? t.fixed(projection.spread * kp, 3) : '',
            projection.of,
            projection.shape,
          )}{' '}
          {t.coachSure(projection.sureness)}{' '}
          <span className="muted">
            {projection.backtest
              ? t.coachBacktest(Math.round(projection.step / 2), projection.step, n(projection.backtest.predicted, kp), n(projection.backtest.actual, kp))
              : t.coachTooShort}
          </span>
        </p>
      )}
    </div>
  );
}

function ValTrendWords({ trend, n }: { trend: NonNullable<CoachResult['valTrend']>; n: (nats: number) => string }) {
  const t = useT();
  return (
    <span className="coach-trend">
      {' '}
      {trend.fall >= 0 ? t.coachValFell(n(trend.fall), trend.from, trend.to) : t.coachValRose(n(-trend.fall), trend.from, trend.to)}
    </span>
  );
}

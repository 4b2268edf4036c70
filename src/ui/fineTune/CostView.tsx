/**
 * The cost meter beside the stage's own chart: the KL from the model before the stage and
 * the probability moved, on corpus prompts the tuning data does not touch, at every step
 * it was read, with the stage's KL budget as a line. Instruction tuning without the
 * hold on what it knew climbs here while its own loss falls: that climb is forgetting.
 */
import { Line, ReferenceLine } from 'recharts';
import { StepLineChart } from '../shared/StepLineChart';
import type { TuneMetrics } from '../../train/finetune/preference';
import { niceTicks } from '../shared/chartParts';
import { useT } from '../app/useT';

export function CostView({ metrics, budget }: { metrics: readonly TuneMetrics[]; budget?: number }) {
  const t = useT();
  const points = metrics.filter((m) => m.costKl !== undefined);
  const last = points.at(-1);
  // The stage starts where the model was: no cost at step 0.
  const data = [{ step: 0, costKl: 0, costTv: 0 }, ...points.map((m) => ({ step: m.step, costKl: m.costKl!, costTv: m.costTv! }))];
  const top = Math.max(...data.map((d) => Math.max(d.costKl, d.costTv)), budget && budget > 0 ? budget * 1.1 : 0, 0.05);
  const y = niceTicks(0, top);
  const x = niceTicks(0, Math.max(1, data.at(-1)!.step), 4);
  return (
    <div className="tune-cost" data-testid="tune-cost" data-points={points.length} data-kl={last?.costKl ?? 0} data-tv={last?.costTv ?? 0}>
      <h4>{t.costTitle}</h4>
      <dl className="stats">
        <div>
          <dt>{t.costKl}</dt>
          <dd data-testid="cost-kl">{last ? t.fixed(last.costKl!, 3) : '–'}</dd>
        </div>
        <div>
          <dt>{t.costTv}</dt>
          <dd>{last ? t.pct(last.costTv!) : '–'}</dd>
        </div>
        {budget !== undefined && budget > 0 && (
          <div>
            <dt>{t.costBudget}</dt>
            <dd>{t.fixed(budget, 2)}</dd>
          </div>
        )}
      </dl>
      <StepLineChart data={data} x={x} y={y}>
        {budget !== undefined && budget > 0 && <ReferenceLine y={budget} stroke="#b91c1c" strokeDasharray="4 3" label={t.costBudget} />}
        <Line type="monotone" dataKey="costKl" name={t.costKl} stroke="#b45309" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="costTv" name={t.costTv} stroke="#6d28d9" dot={false} isAnimationActive={false} />
      </StepLineChart>
    </div>
  );
}

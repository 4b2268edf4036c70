/**
 * The cost meter beside the stage's own chart: the KL from the model before the stage and
 * the probability moved, on corpus prompts the tuning data does not touch, at every step
 * it was read, with the stage's KL budget as a line. Instruction tuning without the
 * hold on what it knew climbs here while its own loss falls: that climb is forgetting.
 */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
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
  const tick = (v: number) => t.num(v);
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
      <div style={{ width: '100%', height: 180 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 10, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={x.domain} ticks={x.ticks} interval={0} tickFormatter={tick} />
            <YAxis width={48} domain={y.domain} ticks={y.ticks} interval={0} tickFormatter={tick} allowDataOverflow />
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? t.fixed(v, 3) : String(v))}
              labelFormatter={(l) => `${t.step} ${typeof l === 'number' ? t.num(l) : String(l)}`}
            />
            <Legend />
            {budget !== undefined && budget > 0 && <ReferenceLine y={budget} stroke="#b91c1c" strokeDasharray="4 3" label={t.costBudget} />}
            <Line type="monotone" dataKey="costKl" name={t.costKl} stroke="#b45309" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="costTv" name={t.costTv} stroke="#6d28d9" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}

/**
 * Train loss (raw and smoothed) and val loss over steps, live while training.
 *
 * Redrawing an SVG chart is the heaviest thing the page does, so this chart is built
 * to stay cheap at any run length: at most MAX_POINTS points (bucket averages), a
 * redraw at most every REDRAW_MS, axes whose domains only change in round jumps (so
 * ticks are not re-measured every redraw), an HTML legend, and a wrapper with CSS
 * containment so a redraw never re-lays out the rest of the page.
 */
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { useFolio } from '../state/store';
import type { LossPoint } from '../train/trainer';
import { useT } from './i18n';
import { useThrottled } from './useThrottled';

const MAX_POINTS = 200;
/** Redraws at most this often while the data changes. */
const REDRAW_MS = 1000;

export interface ChartPoint {
  step: number;
  loss: number;
  smooth: number;
}

/** Keep at most `max` points: average each bucket (keeps the curve's shape). */
export function downsample(points: LossPoint[], max = MAX_POINTS): ChartPoint[] {
  const out: ChartPoint[] = [];
  const bucket = Math.max(1, Math.ceil(points.length / max));
  // Exponential moving average with bias correction (as TensorBoard): without the
  // correction the first points are dragged towards zero and the curve lags.
  const beta = 0.9;
  let ema = 0;
  let n = 0;
  for (let i = 0; i < points.length; i += bucket) {
    const end = Math.min(points.length, i + bucket);
    let sum = 0;
    for (let j = i; j < end; j++) {
      const l = points[j]!.loss;
      sum += l;
      ema = beta * ema + (1 - beta) * l;
      n++;
    }
    out.push({ step: points[end - 1]!.step, loss: sum / (end - i), smooth: ema / (1 - beta ** n) });
  }
  return out;
}

/** Round a domain outwards to "nice" numbers, so it changes rarely as points arrive. */
export function niceDomain(lo: number, hi: number, log: boolean): [number, number] {
  if (!(hi > lo)) return log ? [Math.max(1e-3, lo / 2), hi * 2 || 1] : [Math.max(0, lo - 0.5), hi + 0.5];
  if (log) return [10 ** (Math.floor(Math.log10(lo) * 4) / 4), 10 ** (Math.ceil(Math.log10(hi) * 4) / 4)];
  const unit = hi - lo > 2 ? 0.5 : 0.1;
  return [Math.max(0, Math.floor(lo / unit) * unit), Math.ceil(hi / unit) * unit];
}

/** x runs to the run's target, rounded up, so the axis does not move every step. */
function xMax(lastStep: number, target: number): number {
  const end = Math.max(lastStep, target, 10);
  const mag = 10 ** Math.floor(Math.log10(end));
  return Math.ceil(end / (mag / 2)) * (mag / 2);
}

const fmt4 = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

export const LossChart = memo(function LossChart() {
  const t = useT();
  const [log, setLog] = useState(false);
  const losses = useThrottled(useFolio((s) => s.losses), REDRAW_MS);
  const evals = useThrottled(useFolio((s) => s.evals), REDRAW_MS);
  const target = useFolio((s) => s.run.targetSteps);
  const data = useMemo(() => downsample(losses), [losses]);
  const val = useMemo(() => evals.map((e) => ({ step: e.step, val: e.val })), [evals]);
  const first = losses[0]?.step ?? 0;
  const last = losses[losses.length - 1]?.step ?? 0;
  const yDomain = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of data) (lo = Math.min(lo, p.loss)), (hi = Math.max(hi, p.loss));
    for (const v of val) (lo = Math.min(lo, v.val)), (hi = Math.max(hi, v.val));
    return niceDomain(Number.isFinite(lo) ? lo : 0, Number.isFinite(hi) ? hi : 5, log);
  }, [data, val, log]);
  const xDomain: [number, number] = [Math.max(0, first - 1), xMax(last, target)];
  return (
    <figure className="loss-chart" aria-label={t.chartLabel}>
      <div className="chart-head">
        <ul className="legend" aria-hidden="true">
          <li className="lg-raw">{t.trainLoss}</li>
          <li className="lg-smooth">{t.smoothed}</li>
          <li className="lg-val">{t.valLoss}</li>
        </ul>
        <label className="inline-field">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> {t.logScale}
        </label>
      </div>
      <div data-testid="loss-chart" data-points={losses.length} data-val-points={val.length} className="chart-box">
        {data.length === 0 ? (
          <p className="muted chart-empty">{t.chartEmpty}</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e3e3" />
              <XAxis dataKey="step" type="number" domain={xDomain} allowDecimals={false} tickCount={6} />
              <YAxis
                domain={yDomain}
                scale={log ? 'log' : 'linear'}
                allowDataOverflow
                width={48}
                tickCount={5}
                tickFormatter={(v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(2))}
              />
              <Tooltip formatter={fmt4} labelFormatter={(s) => `${t.step} ${s}`} isAnimationActive={false} />
              <Line dataKey="loss" name={t.trainLoss} stroke="#9db7d5" dot={false} isAnimationActive={false} />
              <Line dataKey="smooth" name={t.smoothed} stroke="#1f5fa8" dot={false} strokeWidth={2} isAnimationActive={false} />
              <Scatter data={val} dataKey="val" name={t.valLoss} fill="#c2410c" isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
      <figcaption className="muted">{t.lossExplain}</figcaption>
    </figure>
  );
});

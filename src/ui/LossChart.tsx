/** Train loss (raw and smoothed) and val loss over steps; downsampled so it stays fast. */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { useFolio } from '../state/store';
import type { LossPoint } from '../train/trainer';

const MAX_POINTS = 400;

/** Keep at most MAX_POINTS points: average each bucket (keeps the curve's shape). */
export function downsample(points: LossPoint[]): { step: number; loss: number; smooth: number }[] {
  const out: { step: number; loss: number; smooth: number }[] = [];
  const bucket = Math.max(1, Math.ceil(points.length / MAX_POINTS));
  // Exponential moving average with bias correction (as TensorBoard): without the
  // correction the first points are dragged towards zero and the curve lags.
  const beta = 0.9;
  let ema = 0;
  let n = 0;
  for (let i = 0; i < points.length; i += bucket) {
    const slice = points.slice(i, i + bucket);
    const loss = slice.reduce((s, p) => s + p.loss, 0) / slice.length;
    for (const p of slice) {
      ema = beta * ema + (1 - beta) * p.loss;
      n++;
    }
    out.push({ step: slice[slice.length - 1]!.step, loss, smooth: ema / (1 - beta ** n) });
  }
  return out;
}

/** The value, updated at most every `ms` (the newest one always arrives). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    const show = () => {
      last.current = performance.now();
      setShown(value);
    };
    if (wait <= 0) return show();
    const t = setTimeout(show, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

/** Redrawing the SVG is the page's heaviest work: at most 4 times a second. */
const REDRAW_MS = 250;

export const LossChart = memo(function LossChart() {
  const losses = useThrottled(useFolio((s) => s.losses), REDRAW_MS);
  const evals = useThrottled(useFolio((s) => s.evals), REDRAW_MS);
  const data = useMemo(() => downsample(losses), [losses]);
  const val = useMemo(() => evals.map((e) => ({ step: e.step, val: e.val })), [evals]);
  return (
    <div data-testid="loss-chart" className="chart" aria-label="Loss over training steps">
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis domain={['auto', 'auto']} width={48} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
          <Legend />
          <Line dataKey="loss" name="train loss" stroke="#9db7d5" dot={false} isAnimationActive={false} />
          <Line dataKey="smooth" name="smoothed" stroke="#1f5fa8" dot={false} strokeWidth={2} isAnimationActive={false} />
          <Scatter data={val} dataKey="val" name="val loss" fill="#d9480f" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});

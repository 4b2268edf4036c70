/**
 * Train loss (raw and smoothed) and val loss over steps, drawn live while training.
 *
 * The chart element is created once; the series are SVG paths drawn through recharts'
 * scales by small components that follow a throttled view of the store (see
 * chartParts.ts for why: a redraw costs ~1 ms instead of 50–200 ms). At most
 * MAX_POINTS points are drawn (bucket averages), so 10k+ steps cost the same.
 *
 * Every loss is drawn in the unit the page shows (state/lossUnit.ts): the store keeps nats
 * per token, and bits per character are the same curve times the model's factor, so the
 * view stays in nats and the series scale at drawing time. The axes fit what is drawn: the
 * live run and the runs the person ticked (none by default), nothing else.
 */
import { memo, useMemo, useState, type MouseEvent } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  DefaultTooltipContent,
  ResponsiveContainer,
  usePlotArea,
  useXAxisInverseScale,
  useXAxisScale,
  useYAxisScale,
  YAxis,
} from 'recharts';
import { useFolio } from '../../state/store';
import type { EvalResult, LossPoint } from '../../train/trainer';
import { linearTicks, logTicks, nearest, niceCeil, pathOf, throttledView, type Scale } from '../shared/chartParts';
import { useStepAxis } from '../shared/StepAxis';
import { ChanceLine, RunsOverlay, useOverlays } from './RunsOverlay';
import { LossUnitToggle } from './LossUnitToggle';
import { useShownUnit } from '../../state/lossUnit';
import { useT } from '../app/useT';

const MAX_POINTS = 400;
/** Redraw at most this often; the newest data always arrives. */
const REDRAW_MS = 250;

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

interface View {
  data: ChartPoint[];
  val: { step: number; val: number }[];
  /** Loss points received (before downsampling). */
  count: number;
  /** The extent of the val points and of the train curve, in nats (each scales by its own split's factor). */
  lo: number;
  hi: number;
  trainLo: number;
  trainHi: number;
  firstStep: number;
  lastStep: number;
}

function makeView(losses: LossPoint[], evals: EvalResult[]): View {
  const data = downsample(losses);
  const val = evals.map((e) => ({ step: e.step, val: e.val }));
  const extent = (ys: number[]): [number, number] => [Math.min(Infinity, ...ys), Math.max(-Infinity, ...ys)];
  const [lo, hi] = extent(val.map((v) => v.val));
  const [trainLo, trainHi] = extent(data.map((d) => d.loss));
  const lastStep = Math.max(data.at(-1)?.step ?? 0, val.at(-1)?.step ?? 0);
  return { data, val, count: losses.length, lo, hi, trainLo, trainHi, firstStep: losses[0]?.step ?? 0, lastStep };
}

const useView = throttledView(
  () => makeView(useFolio.getState().losses, useFolio.getState().evals),
  (notify) => useFolio.subscribe((s, prev) => (s.losses !== prev.losses || s.evals !== prev.evals) && notify()),
  REDRAW_MS,
);

/**
 * The y domain, chosen so it rarely changes while the loss falls: 0 to the highest loss
 * rounded up (at least the untrained model's loss, random guessing — ln(vocabulary) in nats
 * per token — so the first redraw does not move it), or whole powers of ten on a log axis.
 */
export function yDomain(lo: number, hi: number, log: boolean, chance: number | undefined): [number, number] {
  const start = chance !== undefined && Number.isFinite(chance) ? chance + 0.5 : 1;
  if (log) {
    const a = Number.isFinite(lo) ? 10 ** Math.floor(Math.log10(Math.max(1e-3, lo))) : 0.1;
    return [a, 10 ** Math.ceil(Math.log10(Math.max(a * 10, hi, start)))];
  }
  return [0, Math.ceil(Math.max(Number.isFinite(hi) ? hi : 0, start))];
}

interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The axes' domains: what is drawn (the live run, the ticked runs), in the unit shown. */
function useFrame(log: boolean): Frame {
  const live = useView();
  const { factor, trainFactor } = useShownUnit();
  // Ticked runs share the axes: both domains cover them, and they start at step 0.
  const o = useOverlays();
  const { firstStep, count } = live;
  const lo = Math.min(live.lo * factor, live.trainLo * trainFactor, o.lo);
  const hi = Math.max(live.hi * factor, live.trainHi * trainFactor, o.hi);
  const lastStep = Math.max(live.lastStep, o.last);
  const vocab = useFolio((s) => s.model?.vocabSize);
  const target = useFolio((s) => s.run.targetSteps);
  // Before its first point the axis starts where the model is (a trained model loaded at step 600: 600–700, not 0–100).
  const at = useFolio((s) => (s.losses.length === 0 ? Math.floor(s.run.step / 100) * 100 : 0));
  // A run continued from a checkpoint starts at its step, not at 0.
  const x0 = o.runs.length > 0 ? 0 : count === 0 ? at : firstStep > 1 ? Math.floor((firstStep - 1) / 100) * 100 : 0;
  const x1 = niceCeil(Math.max(lastStep, Math.min(target, x0 + 100)) - x0) + x0;
  const [y0, y1] = yDomain(lo, hi, log, vocab ? Math.log(vocab) * factor : undefined);
  return { x0, x1, y0, y1 };
}

/** The axes: a new element only when its rounded domain changes (each change re-lays out). */
function Axes({ log }: { log: boolean }) {
  const t = useT();
  const { x0, x1, y0, y1 } = useFrame(log);
  const xAxis = useStepAxis(x0, x1, 5);
  const yAxis = useMemo(
    () => (
      <YAxis
        type="number"
        scale={log ? 'log' : 'linear'}
        domain={[y0, y1]}
        ticks={log ? logTicks(y0, y1) : linearTicks(y0, y1, 0.5, 8)}
        interval={0}
        allowDataOverflow
        width={40}
        tickFormatter={(v: number) => (log ? t.num(v) : t.fixed(v, 1))}
      />
    ),
    [y0, y1, log, t],
  );
  return (
    <>
      {xAxis}
      {yAxis}
    </>
  );
}

const RAW = '#9db7d5';
const SMOOTH = '#1f5fa8';
const VAL = '#c2410c';

/** The curves and the val points: plain SVG, placed by recharts' scales. */
function Series() {
  const { data, val } = useView();
  const { factor: k, trainFactor: kt } = useShownUnit();
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale() as Scale | undefined;
  if (!x || !y) return null;
  return (
    <g className="loss-series" pointerEvents="none">
      <path className="raw" d={pathOf(data, (p) => p.loss * kt, x, y)} fill="none" stroke={RAW} strokeWidth={1} />
      <path className="smooth" d={pathOf(data, (p) => p.smooth * kt, x, y)} fill="none" stroke={SMOOTH} strokeWidth={2} />
      {val.map((v) => (
        <circle key={v.step} cx={x(v.step)} cy={y(v.val * k)} r={3.5} fill={VAL} />
      ))}
    </g>
  );
}

const TIP_W = 190;

/** Hover: the nearest point's exact values, in recharts' own tooltip box. */
function Hover() {
  const t = useT();
  const { data, val } = useView();
  const { factor: k, trainFactor: kt, unit, text } = useShownUnit();
  const plot = usePlotArea();
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale() as Scale | undefined;
  const invert = useXAxisInverseScale() as ((px: number) => unknown) | undefined;
  const [px, setPx] = useState<number | null>(null);
  if (!plot || !x || !y || !invert) return null;
  const move = (e: MouseEvent<SVGRectElement>) => setPx(plot.x + e.clientX - e.currentTarget.getBoundingClientRect().left);
  let tip = null;
  const step = px === null ? NaN : Number(invert(px));
  const p = Number.isFinite(step) ? nearest(data, step) : undefined;
  if (px !== null && p) {
    const cx = x(p.step) ?? 0;
    const v = nearest(val, step);
    const payload = [
      { name: t.trainLoss, value: p.loss * kt, color: RAW, dataKey: 'loss' },
      { name: t.smoothed, value: p.smooth * kt, color: SMOOTH, dataKey: 'smooth' },
      // A val point joins in when the pointer is within 6 px of it.
      ...(v && Math.abs((x(v.step) ?? 0) - px) < 6
        ? [{ name: `${t.valLoss} (${t.step} ${t.num(v.step)})`, value: v.val * k, color: VAL, dataKey: 'val' }]
        : []),
    ];
    tip = (
      <g pointerEvents="none">
        <line x1={cx} x2={cx} y1={plot.y} y2={plot.y + plot.height} stroke="#999" />
        <circle cx={cx} cy={y(p.smooth * kt)} r={3} fill={SMOOTH} />
        <foreignObject x={cx + TIP_W + 10 > plot.x + plot.width ? cx - TIP_W - 10 : cx + 10} y={plot.y} width={TIP_W} height={110}>
          <DefaultTooltipContent
            label={`${t.step} ${t.num(p.step)} · ${t.unitShort(unit, text)}`}
            payload={payload as never}
            formatter={((v: unknown) => (typeof v === 'number' ? t.fixed(v, 4) : String(v))) as never}
            separator=": "
          />
        </foreignObject>
      </g>
    );
  }
  return (
    <g>
      <rect
        data-testid="loss-chart-hover"
        x={plot.x}
        y={plot.y}
        width={plot.width}
        height={plot.height}
        fill="transparent"
        onMouseMove={move}
        onMouseLeave={() => setPx(null)}
      />
      {tip}
    </g>
  );
}

/** The test hooks and the empty-chart message: re-render with the view, not the chart. */
function ChartFrame({ children, log }: { children: React.ReactNode; log: boolean }) {
  const t = useT();
  const { count, val } = useView();
  const { runs, notDrawn } = useOverlays();
  const overlays = runs.length;
  const { unit } = useShownUnit();
  const f = useFrame(log);
  // A model loaded with steps behind it but no curve (the bundled one): say so, not "appears when training starts".
  const trainedBefore = useFolio((s) => (s.losses.length === 0 ? s.run.step : 0));
  return (
    <div
      data-testid="loss-chart"
      data-points={count}
      data-val-points={val.length}
      data-runs={overlays + (count > 0 ? 1 : 0)}
      data-unit={unit}
      data-x-domain={`${f.x0},${f.x1}`}
      data-y-domain={`${f.y0},${f.y1}`}
      className="chart-box"
    >
      {children}
      {notDrawn > 0 && (
        <p className="muted small" data-testid="runs-not-drawn">
          {t.unitNotDrawn(notDrawn)}
        </p>
      )}
      {count === 0 && overlays === 0 && (
        <p className="muted chart-empty chart-empty-low" data-testid="loss-chart-empty">
          {trainedBefore > 0 ? t.chartNoHistory(trainedBefore) : t.chartEmpty}
        </p>
      )}
    </div>
  );
}

const MARGIN = { top: 8, right: 24, bottom: 4, left: 0 };

export const LossChart = memo(function LossChart() {
  const t = useT();
  const [log, setLog] = useState(false);
  // Created once per scale: ChartFrame's re-renders pass the same element, so React skips it.
  const chart = useMemo(
    () => (
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e3e3" />
          <Axes log={log} />
          <ChanceLine />
          <RunsOverlay />
          <Series />
          <Hover />
        </ComposedChart>
      </ResponsiveContainer>
    ),
    [log],
  );
  return (
    <figure className="loss-chart" aria-label={t.chartLabel}>
      <div className="chart-head">
        <ul className="legend" aria-hidden="true">
          <li className="lg-raw">{t.trainLoss}</li>
          <li className="lg-smooth">{t.smoothed}</li>
          <li className="lg-val">{t.valLoss}</li>
        </ul>
        <LossUnitToggle />
        <label className="inline-field">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> {t.logScale}
        </label>
      </div>
      <ChartFrame log={log}>{chart}</ChartFrame>
      <figcaption className="muted">{t.lossExplain}</figcaption>
    </figure>
  );
});

/**
 * Where a loss curve is heading: a fit of the curve so far, and where it puts the loss at
 * twice the steps. Plain numbers in, plain numbers out (the coach reads them, coach.ts);
 * the reasoning and what it measured on recorded runs: src/train/README.md, *The coach*.
 *
 * Two shapes, each a floor `a` the loss approaches plus a falling part:
 * - a power law, L(s) = a + b·s^(−c) (how loss falls with steps in the scaling-law papers);
 * - an exponential, L(s) = a + b·e^(−s/τ) (a curve that settles at a floor);
 * and, where the learning rate changed over the points fitted (a cosine schedule), a term
 * d·lr(s)/lr_peak: the noise a large rate keeps in the loss, which the decay takes out (the
 * late drop of a cosine run). For a fixed c (or τ) the best a, b, d are a linear least-squares
 * fit, so each shape is fitted by trying c (τ) over a grid. The first fifth of the steps is
 * left out: warm-up and the first plunge from random guessing follow neither shape.
 *
 * How sure: the same shape fitted on the first half of the steps alone foretells the loss at
 * the last step (a doubling, like the projection's); its miss, the two shapes' disagreement
 * at twice the steps, and the noise around the fit give the ± of the projection. Doubling
 * the steps is an extrapolation: the ± is what the curve says about its own predictability,
 * not a guarantee.
 */

export type FitShape = 'power' | 'exponential';

export interface CurveFit {
  shape: FitShape;
  /** The floor, the falling part's size and its exponent c (power) or time constant τ in steps (exponential). */
  a: number;
  b: number;
  k: number;
  /** The learning-rate term's weight (0 where the rate did not change enough to tell). */
  d: number;
  /** Root mean square distance of the points from the fit. */
  rms: number;
}

export interface Projection {
  shape: FitShape;
  /** The last step of the curve, and twice it. */
  step: number;
  atStep: number;
  /** The fitted loss at the last step (less noisy than the last point). */
  now: number;
  /** The loss the fit puts at twice the steps, and its ± (see the header; Infinity: nothing to check it on). */
  loss: number;
  spread: number;
  /** The ± against the loss: 'fair' within 1.5 %, 'rough' within 4 %, else 'guess'. */
  sureness: 'fair' | 'rough' | 'guess';
  /** The first half's fit: what it foretold for the last step, and the loss there. */
  backtest?: { predicted: number; actual: number };
}

export interface FitPoint {
  step: number;
  loss: number;
}

/** The learning rate over steps, as a share of its peak (1 throughout: a constant rate). */
export type RateShare = (step: number) => number;

/** Fewer points than this (after leaving the first fifth out): no fit. */
export const MIN_FIT_POINTS = 6;
/** The share of the steps left out at the start. */
export const SKIP = 0.2;
/** The rate must change by this share of its peak over the points for its term to be fitted. */
export const RATE_CHANGE = 0.2;
const SURE = { fair: 0.015, rough: 0.04 };
const GRID = 60;

const basis = (shape: FitShape, k: number) => (shape === 'power' ? (s: number) => s ** -k : (s: number) => Math.exp(-s / k));

/** Solve the small symmetric system m·x = v (Gaussian elimination); undefined when singular. */
function solve(m: number[][], v: number[]): number[] | undefined {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) return undefined;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/** Least squares y ≈ Σ coef·column, by the normal equations summed in one pass; undefined when the columns do not tell the coefficients apart. */
function leastSquares(cols: readonly Float64Array[], ys: Float64Array): { coef: number[]; sse: number } | undefined {
  const n = cols.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const v = new Array<number>(n).fill(0);
  let yy = 0;
  for (let t = 0; t < ys.length; t++) {
    const y = ys[t]!;
    yy += y * y;
    for (let i = 0; i < n; i++) {
      const ci = cols[i]![t]!;
      v[i]! += ci * y;
      for (let j = i; j < n; j++) m[i]![j]! += ci * cols[j]![t]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[i]![j] = m[j]![i]!;
  const coef = solve(m, v);
  if (!coef || coef.some((c) => !Number.isFinite(c))) return undefined;
  // ‖y − Xβ‖² = y·y − 2β·Xᵀy + βᵀXᵀXβ = y·y − β·Xᵀy at the solution.
  const sse = Math.max(0, yy - coef.reduce((s, c, i) => s + c * v[i]!, 0));
  return { coef, sse };
}

/** The grid a shape's third number is tried over, for a curve that ends at `last`. */
function grid(shape: FitShape, last: number): number[] {
  const [lo, hi] = shape === 'power' ? [0.03, 3] : [last / 30, last * 10];
  return Array.from({ length: GRID }, (_, i) => lo * (hi / lo) ** (i / (GRID - 1)));
}

/**
 * The best fit of one shape: a falling curve (b > 0) over a floor that is not negative, and
 * a rate term that adds noise (d ≥ 0) or none; undefined where no such curve fits.
 */
export function fitShape(points: readonly FitPoint[], shape: FitShape, rate: RateShare = () => 1): CurveFit | undefined {
  if (points.length < 4) return undefined;
  const ys = Float64Array.from(points, (p) => p.loss);
  const ones = new Float64Array(points.length).fill(1);
  const rates = Float64Array.from(points, (p) => rate(p.step));
  const withRate = Math.max(...rates) - Math.min(...rates) > RATE_CHANGE;
  let best: CurveFit | undefined;
  let bestSse = Infinity;
  for (const k of grid(shape, points.at(-1)!.step)) {
    const f = basis(shape, k);
    const falling = Float64Array.from(points, (p) => f(p.step));
    for (const useRate of withRate ? [true, false] : [false]) {
      const fit = leastSquares(useRate ? [ones, falling, rates] : [ones, falling], ys);
      if (!fit) continue;
      const [a, b, d = 0] = fit.coef as [number, number, number?];
      if (!(b > 0) || a < 0 || d < 0 || fit.sse >= bestSse) continue;
      bestSse = fit.sse;
      best = { shape, a, b, k, d, rms: Math.sqrt(fit.sse / points.length) };
    }
  }
  return best;
}

export function evalFit(fit: CurveFit, step: number, rate: RateShare = () => 1): number {
  return fit.a + fit.b * basis(fit.shape, fit.k)(step) + fit.d * rate(step);
}

/** The points a fit reads: finite ones past the first fifth of the steps. */
function fitted(points: readonly FitPoint[]): FitPoint[] {
  const last = points.at(-1)?.step ?? 0;
  return points.filter((p) => p.step >= SKIP * last && Number.isFinite(p.loss));
}

/** Both shapes fitted; the closer first. */
export function fitBoth(points: readonly FitPoint[], rate?: RateShare): CurveFit[] {
  return (['power', 'exponential'] as const)
    .map((shape) => fitShape(points, shape, rate))
    .filter((f): f is CurveFit => f !== undefined)
    .sort((x, y) => x.rms - y.rms);
}

/**
 * Where the loss would land with twice the steps, and how sure the curve lets one be;
 * undefined with too few points or no falling fit. `rate` is the schedule's learning rate
 * as a share of its peak, past the curve's end too (the steps beyond it run at what it says).
 */
export function projectTwice(curve: readonly FitPoint[], rate?: RateShare): Projection | undefined {
  const pts = fitted(curve);
  if (pts.length < MIN_FIT_POINTS) return undefined;
  const fits = fitBoth(pts, rate);
  const best = fits[0];
  if (!best) return undefined;
  const step = pts.at(-1)!.step;
  const atStep = 2 * step;
  const now = evalFit(best, step, rate);
  const loss = evalFit(best, atStep, rate);
  // The other shape's projection, where it fits about as well (within twice the distance): a shape the points rule out says nothing.
  const other = fits[1];
  const disagree = other && other.rms <= 2 * best.rms ? Math.abs(evalFit(other, atStep, rate) - loss) : 0;
  // The backtest: the first half's fit of the same shape, asked for the last step.
  const half = fitted(curve.filter((p) => p.step <= step / 2));
  const early = half.length >= MIN_FIT_POINTS ? fitShape(half, best.shape, rate) : undefined;
  const backtest = early ? { predicted: evalFit(early, step, rate), actual: now } : undefined;
  const missed = backtest ? Math.abs(backtest.predicted - backtest.actual) : Infinity;
  // The noise around the fit, as the uncertainty of a level read off that many points.
  const noise = (2 * best.rms) / Math.sqrt(pts.length);
  const spread = Math.max(disagree, missed, noise, 0.5 * Math.abs(now - loss));
  const share = spread / Math.max(loss, 1e-9);
  return { shape: best.shape, step, atStep, now, loss, spread, sureness: share <= SURE.fair ? 'fair' : share <= SURE.rough ? 'rough' : 'guess', backtest };
}

/**
 * The loss coach: what a run's curves say, read by plain functions (no tensors, no page).
 *
 * - start: too few points to say anything yet, on a model that starts from scratch: its loss
 *   is about ln(vocabulary), random guessing among the tokens (`chanceLoss`). A model trained
 *   before (the bundled one, a loaded checkpoint) with no curve of this run, or only a few
 *   points of it, gets no reading at all: there is nothing to read yet, and it did not start
 *   near random guessing.
 * - diverging: the loss jumped (or became NaN/∞) well above the best it had reached.
 * - memorising: val loss has risen for a sustained stretch while train loss still fell —
 *   the model learns the training text by heart instead of what generalises.
 * - learning: the smoothed train loss still falls clearly over the recent part of the curve
 *   (its last quarter): by LEARNING of itself, or by FLAT of itself and FLAT_SHARE of what
 *   the whole curve fell.
 * - slow ("still learning, slowly"): the train loss has levelled off by that measure — a long
 *   tail after a steep start — but the val loss keeps improving: over the last third of the
 *   steps its straight-line trend falls by more than twice its own standard error and by
 *   VAL_FALL of its level. A 5,000-step Shakespeare run is like this from step ~900 to the end
 *   (val 2.05 → 1.70), and the coach used to call it flat. Also slow: a val trend too noisy to
 *   call either way (a few eval batches) that still points down, or while the train loss
 *   still falls by FLAT.
 * - flat: the val loss stopped improving too — even its trend's upper bound (fall + 2 standard
 *   errors) is under 2·VAL_FALL of its level — or, with too few val points to tell, the train
 *   loss levelled off.
 * With learning, slow and flat the page adds `projectionOf` (train/lossFit.ts; apart, since
 * it costs a fit and changes only with a new val point): a power law or an exponential
 * fitted to the val loss (the train loss where there are too few val points), where it puts
 * the loss at twice the steps, and how sure.
 *
 * A suggestion comes only where it is sound: a jump → a lower learning rate; memorising →
 * more data or a smaller model. A flat curve gets none (it may simply be done).
 */
import { projectTwice, type FitPoint, type Projection } from './lossFit';
import { learningRateAt, type LrSchedule } from './schedule';

export type CoachReading = 'start' | 'learning' | 'slow' | 'flat' | 'memorising' | 'diverging';
export type CoachSuggestion = 'lowerLr' | 'addData' | 'smallerModel';

export interface CoachCurves {
  /** Train loss per logged step, oldest first. */
  train: { step: number; loss: number }[];
  /** Val (and train) estimates at eval steps, oldest first. */
  val: { step: number; val: number; train?: number }[];
  vocabSize: number;
  /** The model's step now: with no curve, a model past step 0 was trained before this run. */
  modelStep?: number;
  /** The run's learning-rate schedule: the projection reads the rate's decay (absent: a constant rate). */
  schedule?: LrSchedule;
}

export interface CoachResult {
  reading: CoachReading;
  suggestions: CoachSuggestion[];
  /** ln(vocabulary): the loss of guessing uniformly. */
  chance: number;
  /** Relative fall of the smoothed train loss over the recent window (learning/flat). */
  slope?: number;
  /** Memorising: how far val rose above its best, and since which step. */
  valRise?: { from: number; best: number; now: number };
  /** The val loss's straight-line trend over the last third of the steps: how much it fell (negative: rose) from step to step. */
  valTrend?: ValTrend;
}

/** Where the loss would land with twice the steps, fitted to the val loss or, with too few val points, the train loss. */
export type CoachProjection = Projection & { of: 'val' | 'train' };

export interface ValTrend {
  from: number;
  to: number;
  fall: number;
  /** The fall's standard error (from the scatter around the line). */
  se: number;
  /** Clearly falling (beyond its noise, and by VAL_FALL of its level)… */
  improving: boolean;
  /** …or clearly not (even fall + 2 se is under 2·VAL_FALL of its level); neither: too noisy to tell. */
  stopped: boolean;
}

/** Fewer train points than this: "start". */
export const MIN_POINTS = 12;
/** Val must have risen over at least this many evals after its best (a sustained stretch). */
export const MEMO_EVALS = 3;
/** …by at least this fraction of its best. */
export const MEMO_RISE = 0.03;
/** A smoothed loss this much above the best reached (relative), or NaN: a jump. */
export const JUMP = 0.5;
/** The recent window loses less than this fraction of its loss: flat. */
export const FLAT = 0.02;
/** …or less than this share of what the whole curve has fallen: flat. */
export const FLAT_SHARE = 0.1;
/** The recent window loses at least this fraction of its loss: still learning, whatever the curve did before. */
export const LEARNING = 0.05;
/** The recent window: this share of the points (at least RECENT_MIN). */
export const RECENT = 0.25;
export const RECENT_MIN = 8;
/** The val trend must fall by this share of its level (and by twice its standard error) to count as improving. */
export const VAL_FALL = 0.005;
/** The val trend reads this last share of the steps, with at least VAL_MIN points. */
export const VAL_WINDOW = 1 / 3;
export const VAL_MIN = 4;
/** A first loss at least this share of ln(vocabulary): the curve starts from scratch. */
export const FROM_SCRATCH = 0.8;

export function chanceLoss(vocabSize: number): number {
  return Math.log(Math.max(1, vocabSize));
}

/** Exponential moving average with bias correction (as the chart's smoothed curve). */
export function smooth(values: number[], beta = 0.9): number[] {
  let ema = 0;
  return values.map((v, i) => {
    ema = beta * ema + (1 - beta) * v;
    return ema / (1 - beta ** (i + 1));
  });
}

/** Diverging: a non-finite loss, or the recent smoothed loss far above the best reached before it. */
export function isDiverging(train: number[]): boolean {
  if (train.some((l) => !Number.isFinite(l))) return true;
  const s = smooth(train, 0.7); // quick to follow a jump
  const recent = Math.max(3, Math.floor(s.length / 10));
  const before = s.slice(0, -recent);
  if (before.length === 0) return false;
  const best = Math.min(...before);
  const now = s.at(-1)!;
  return now > best * (1 + JUMP) && now - best > 0.3;
}

/**
 * Memorising: the best val loss lies MEMO_EVALS or more evals back, val now sits clearly
 * above it, the last evals did not come back down, and train loss fell over the same stretch.
 */
export function memorising(val: CoachCurves['val'], trainAt: (step: number) => number | undefined): CoachResult['valRise'] | undefined {
  if (val.length < MEMO_EVALS + 1) return undefined;
  let bi = 0;
  for (let i = 1; i < val.length; i++) if (val[i]!.val < val[bi]!.val) bi = i;
  const best = val[bi]!;
  const last = val.at(-1)!;
  if (val.length - 1 - bi < MEMO_EVALS) return undefined;
  if (last.val < best.val * (1 + MEMO_RISE)) return undefined;
  // Sustained: each of the last evals stays above the best by the margin.
  if (
    val
      .slice(bi + 1)
      .slice(-MEMO_EVALS)
      .some((v) => v.val < best.val * (1 + MEMO_RISE / 2))
  )
    return undefined;
  const t0 = best.train ?? trainAt(best.step);
  const t1 = last.train ?? trainAt(last.step);
  if (t0 === undefined || t1 === undefined || !(t1 < t0)) return undefined;
  return { from: best.step, best: best.val, now: last.val };
}

/** Relative fall of the smoothed train loss over the recent stretch (positive = falling). */
export function recentSlope(train: number[]): number {
  const { a, b } = recentWindow(smooth(train));
  return a > 0 ? (a - b) / a : 0;
}

/** The smoothed loss at the start and the end of the recent stretch. */
function recentWindow(s: number[]): { a: number; b: number } {
  const w = Math.max(RECENT_MIN, Math.floor(s.length * RECENT));
  return { a: s[Math.max(0, s.length - w)]!, b: s.at(-1)! };
}

/** Still falling: the recent window falls by FLAT of itself and by FLAT_SHARE of the whole curve's fall. */
export function stillFalling(train: number[]): boolean {
  const s = smooth(train);
  const { a, b } = recentWindow(s);
  const fall = a - b;
  const total = Math.max(...s) - b;
  return a > 0 && fall / a > FLAT && fall > FLAT_SHARE * total;
}

/**
 * The val loss's straight-line trend over the last third of the steps (at least VAL_MIN
 * points): its fall from the window's first step to its last, with the fall's standard error.
 */
export function valTrend(val: CoachCurves['val']): ValTrend | undefined {
  const pts = val.filter((v) => Number.isFinite(v.val));
  if (pts.length < VAL_MIN) return undefined;
  const last = pts.at(-1)!.step;
  const first = pts[0]!.step;
  let win = pts.filter((v) => v.step >= last - (last - first) * VAL_WINDOW);
  if (win.length < VAL_MIN) win = pts.slice(-VAL_MIN);
  const n = win.length;
  const mx = win.reduce((s, v) => s + v.step, 0) / n;
  const my = win.reduce((s, v) => s + v.val, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const v of win) {
    sxx += (v.step - mx) ** 2;
    sxy += (v.step - mx) * (v.val - my);
  }
  if (!(sxx > 0)) return undefined;
  const slope = sxy / sxx;
  let sse = 0;
  for (const v of win) sse += (v.val - my - slope * (v.step - mx)) ** 2;
  const span = win.at(-1)!.step - win[0]!.step;
  const fall = -slope * span;
  const se = (Math.sqrt(sse / Math.max(1, n - 2)) / Math.sqrt(sxx)) * span;
  const improving = fall > 2 * se && fall > VAL_FALL * my;
  return { from: win[0]!.step, to: win.at(-1)!.step, fall, se, improving, stopped: !improving && fall + 2 * se < 2 * VAL_FALL * my };
}

/** At most this many train points go into a fit (bucket averages): a page's curve has one a step. */
const FIT_POINTS = 200;

function buckets(train: CoachCurves['train']): FitPoint[] {
  const size = Math.max(1, Math.ceil(train.length / FIT_POINTS));
  const out: FitPoint[] = [];
  for (let i = 0; i < train.length; i += size) {
    const b = train.slice(i, i + size);
    out.push({ step: b.at(-1)!.step, loss: b.reduce((s, p) => s + p.loss, 0) / b.length });
  }
  return out;
}

/** The projection to twice the steps: of the val loss where it has enough points, else of the train loss. */
export function projectionOf(c: CoachCurves): CoachProjection | undefined {
  const sched = c.schedule;
  const rate = sched && sched.learningRate > 0 ? (step: number) => learningRateAt(step - 1, sched) / sched.learningRate : undefined;
  const val = projectTwice(
    c.val.map((v) => ({ step: v.step, loss: v.val })),
    rate,
  );
  if (val) return { ...val, of: 'val' };
  const train = projectTwice(buckets(c.train), rate);
  return train && { ...train, of: 'train' };
}

/** The coach's reading of a run's curves; none for a model trained before with (almost) no curve of this run. */
export function readCurves(c: CoachCurves): CoachResult | undefined {
  const chance = chanceLoss(c.vocabSize);
  const losses = c.train.map((p) => p.loss);
  if (losses.length < MIN_POINTS) {
    const fromScratch = losses.length > 0 ? losses[0]! >= FROM_SCRATCH * chance : (c.modelStep ?? 0) === 0;
    return fromScratch ? { reading: 'start', suggestions: [], chance } : undefined;
  }
  if (isDiverging(losses)) return { reading: 'diverging', suggestions: ['lowerLr'], chance };
  const smoothed = smooth(losses);
  const trainAt = (step: number) => {
    let k = -1;
    for (let i = 0; i < c.train.length && c.train[i]!.step <= step; i++) k = i;
    return k < 0 ? undefined : smoothed[k];
  };
  const valRise = memorising(c.val, trainAt);
  if (valRise) return { reading: 'memorising', suggestions: ['addData', 'smallerModel'], chance, valRise };
  const slope = recentSlope(losses);
  const trend = valTrend(c.val);
  // Flat only when the val loss has stopped improving too. A val trend too noisy to call either way is
  // slow while it (or the train loss, by FLAT) still points down; with no val trend at all, the train loss
  // decides alone (as it always did).
  const valFlat = trend ? trend.stopped || (!trend.improving && trend.fall <= 0 && slope <= FLAT) : true;
  const reading = slope >= LEARNING || stillFalling(losses) ? 'learning' : valFlat ? 'flat' : 'slow';
  return { reading, suggestions: [], chance, slope, ...(trend ? { valTrend: trend } : {}) };
}

import { describe, expect, it } from 'vitest';
import { chanceLoss, readCurves, type CoachCurves } from '../../src/train/coach';
import { projectTwice } from '../../src/train/lossFit';

const V = 64;
/** Train points every 10 steps from a loss function of the step. */
const trainOf = (n: number, f: (step: number) => number) => Array.from({ length: n }, (_, i) => ({ step: (i + 1) * 10, loss: f((i + 1) * 10) }));
const valOf = (steps: number[], f: (step: number) => number, train?: (step: number) => number) =>
  steps.map((step) => ({ step, val: f(step), ...(train ? { train: train(step) } : {}) }));
const curves = (train: CoachCurves['train'], val: CoachCurves['val'] = []): CoachCurves => ({ train, val, vocabSize: V });
const falling = (s: number) => 1 + 3 * Math.exp(-s / 300);

describe('the loss coach', () => {
  it('draws its line at ln(vocabulary)', () => {
    expect(chanceLoss(V)).toBeCloseTo(Math.log(64), 12);
    expect(readCurves(curves([]))!.chance).toBeCloseTo(4.1589, 3);
  });
  it('start: too few points to read, on a model starting from scratch', () => {
    expect(readCurves(curves(trainOf(5, (s) => 4.3 - s / 1000)))?.reading).toBe('start');
    expect(readCurves({ ...curves([]), modelStep: 0 })?.reading).toBe('start');
  });
  it('no reading for a model trained before with no curve of this run (the bundled model at step 600)', () => {
    expect(readCurves({ ...curves([]), modelStep: 600 })).toBeUndefined();
    // A few points of a resumed run start far below random guessing: still nothing to read, and not "just started".
    expect(readCurves({ ...curves(trainOf(5, () => 1.6)), modelStep: 600 })).toBeUndefined();
  });
  it('flat: a finished 1000-step run whose curve levelled off at step 400 (a slow drift in its long tail)', () => {
    const tail = (s: number) => (s <= 400 ? 4.2 - 2.2 * (s / 400) : 2 - 0.000133 * (s - 400)) + 0.03 * Math.sin(s * 7);
    const r = readCurves(curves(trainOf(100, tail)));
    expect(r?.reading).toBe('flat');
    // The same curve stopped at step 420 is still learning.
    expect(readCurves(curves(trainOf(42, tail)))?.reading).toBe('learning');
  });
  it('learning: the loss still falls', () => {
    const r = readCurves(curves(trainOf(60, falling), valOf([200, 400, 600], falling)));
    expect(r?.reading).toBe('learning');
    expect(r?.suggestions).toEqual([]);
  });
  it('flat: the curve has levelled off (noise and all)', () => {
    const r = readCurves(curves(trainOf(200, (s) => 1.2 + 3 * Math.exp(-s / 50) + 0.02 * Math.sin(s))));
    expect(r?.reading).toBe('flat');
    expect(r?.suggestions).toEqual([]);
  });
  it('memorising: val rises for a sustained stretch while train still falls → more data or a smaller model', () => {
    const val = (s: number) => (s <= 600 ? falling(s) : falling(600) + (s - 600) / 1000);
    const r = readCurves(curves(trainOf(150, falling), valOf([200, 400, 600, 800, 1000, 1200, 1400], val, falling)));
    expect(r?.reading).toBe('memorising');
    expect(r?.suggestions).toEqual(['addData', 'smallerModel']);
    expect(r?.valRise?.from).toBe(600);
  });
  it('not memorising: one bad eval (not sustained), or val and train rising together', () => {
    const blip = (s: number) => (s === 1400 ? falling(s) + 0.3 : falling(s));
    expect(readCurves(curves(trainOf(150, falling), valOf([200, 400, 600, 800, 1000, 1200, 1400], blip)))?.reading).not.toBe('memorising');
    const both = (s: number) => (s <= 600 ? falling(s) : falling(600) + (s - 600) / 1000);
    expect(readCurves(curves(trainOf(150, falling), valOf([200, 400, 600, 800, 1000, 1200, 1400], both, both)))?.reading).not.toBe('memorising');
  });
  it('diverging: a jump well above the best loss, or NaN → a lower learning rate', () => {
    const jump = (s: number) => (s > 900 ? 5 : falling(s));
    const r = readCurves(curves(trainOf(100, jump)));
    expect(r?.reading).toBe('diverging');
    expect(r?.suggestions).toEqual(['lowerLr']);
    expect(readCurves(curves(trainOf(40, (s) => (s === 400 ? NaN : falling(s)))))?.reading).toBe('diverging');
  });
  it('slow: the train loss has levelled off but the val loss still clearly falls; flat once val stops too', () => {
    const tail = (s: number) => (s <= 400 ? 4.2 - 2.2 * (s / 400) : 2 - 0.000133 * (s - 400));
    const evalSteps = Array.from({ length: 20 }, (_, i) => (i + 1) * 50);
    expect(
      readCurves(
        curves(
          trainOf(100, tail),
          valOf(evalSteps, (s) => tail(s) + 0.1),
        ),
      )?.reading,
    ).toBe('slow');
    const level = (s: number) => (s <= 400 ? tail(s) : 2) + 0.1 + 0.002 * Math.sin(s);
    expect(readCurves(curves(trainOf(100, tail), valOf(evalSteps, level)))?.reading).toBe('flat');
  });
  it('projects a power law and an exponential it was given, and says which', () => {
    const power = (s: number) => 1 + 4 * s ** -0.5;
    const p = projectTwice(Array.from({ length: 40 }, (_, i) => ({ step: (i + 1) * 50, loss: power((i + 1) * 50) })))!;
    expect(p.shape).toBe('power');
    expect(p.atStep).toBe(4000);
    expect(p.loss).toBeCloseTo(power(4000), 2);
    expect(p.sureness).toBe('fair');
    const expo = (s: number) => 1.5 + 2 * Math.exp(-s / 600);
    const e = projectTwice(Array.from({ length: 40 }, (_, i) => ({ step: (i + 1) * 50, loss: expo((i + 1) * 50) })))!;
    expect(e.shape).toBe('exponential');
    expect(Math.abs(e.loss - expo(4000))).toBeLessThan(0.01); // τ is tried on a grid 10 % apart
    // Too few points past the first fifth: no projection.
    expect(projectTwice([100, 200, 300, 400, 500].map((step) => ({ step, loss: power(step) })))).toBeUndefined();
  });
});

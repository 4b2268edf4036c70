/**
 * The coach on the curves of real runs (issue 25), recorded with the CLI into
 * tests/fixtures/curves/ (fromCli.ts says how): Tiny Shakespeare on `nano` for 5,000 and
 * 10,000 steps, on `cpu`, on `tiny`, and in BPE-512 tokens; a person's own text (Folio's
 * READMEs); the fox corpus; the generated genome in overlapping 3-mers. The page's coach said
 * "flat" on such runs while their val loss still fell; these hold it to what the curves show,
 * and its projections to what the runs went on to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectionOf, readCurves, stillFalling, type CoachCurves } from '../../src/train/coach';
import { root } from '../helpers';

interface Recorded {
  command: string;
  vocabSize: number;
  schedule: CoachCurves['schedule'];
  train: [number, number][];
  val: [number, number][];
}
const DIR = path.join(root, 'tests', 'fixtures', 'curves');
const load = (name: string) => JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Recorded;
const ALL = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));

/** The run as the coach saw it at `step`. */
function at(r: Recorded, step: number): CoachCurves {
  return {
    train: r.train.filter(([s]) => s <= step).map(([s, loss]) => ({ step: s, loss })),
    val: r.val.filter(([s]) => s <= step).map(([s, val]) => ({ step: s, val })),
    vocabSize: r.vocabSize,
    schedule: r.schedule,
  };
}
const lastStep = (r: Recorded) => r.train.at(-1)![0];
/** The val loss around `step` (the mean of the evals within 100 steps: one estimate is noisy). */
function valNear(r: Recorded, step: number): number {
  const near = r.val.filter(([s]) => Math.abs(s - step) <= 100).map(([, v]) => v);
  return near.reduce((a, b) => a + b, 0) / near.length;
}
const readings = (r: Recorded, steps: number[]) => steps.map((s) => readCurves(at(r, s))!.reading);

describe('the coach on recorded runs', () => {
  it('Tiny Shakespeare, nano, 5,000 steps: still learning (slowly) to the end, never flat — the old rule said flat from step ~1,000', () => {
    const r = load('shakespeare-nano-5000');
    expect(readings(r, [500, 1000, 2000, 3000, 4000, 5000])).toEqual(['learning', 'slow', 'slow', 'slow', 'learning', 'slow']);
    // From step 500 (the fixture's 10-step means reach the coach's 12 points by step ~400).
    const every = Array.from({ length: 46 }, (_, i) => 500 + i * 100);
    expect(readings(r, every)).not.toContain('flat');
    // The train loss alone (the old rule) called it flat at most of these steps, while val fell 2.12 → 1.70.
    const oldFlat = every.filter((s) => !stillFalling(at(r, s).train.map((p) => p.loss))).length;
    expect(oldFlat / every.length).toBeGreaterThan(0.8);
    expect(valNear(r, 650)).toBeGreaterThan(2.1);
    expect(valNear(r, 4950)).toBeLessThan(1.71);
    // What it says at the end: the val loss fell over the last third, and where twice the steps would land.
    const end = readCurves(at(r, 5000))!;
    expect(end.valTrend!.fall).toBeGreaterThan(0.09);
    const p = projectionOf(at(r, 5000))!;
    expect(p.atStep).toBe(10_000);
    expect(['power', 'exponential']).toContain(p.shape);
    expect(p.loss).toBeLessThan(p.now);
  });

  it('the 5,000-step run’s projection to 10,000 steps holds against a recorded 10,000-step run', () => {
    const p = projectionOf(at(load('shakespeare-nano-5000'), 5000))!;
    const truth = valNear(load('shakespeare-nano-10000'), 9950);
    expect(Math.abs(truth - p.loss)).toBeLessThanOrEqual(p.spread);
    expect(truth).toBeCloseTo(1.61, 2);
  });

  it.each([
    ['shakespeare-cpu-2000', 'the cpu preset'],
    ['uploaded-docs-nano-2000', 'an uploaded text'],
    ['dna-kmer3-nano-1500', 'DNA in overlapping 3-mers'],
    ['shakespeare-bpe512-2000', 'BPE-512'],
    ['fox-nano-1500', 'the fox corpus'],
  ])('%s (%s): not flat while its val loss clearly improves, and not flat at its end', (name) => {
    const r = load(name);
    for (let s = 500; s <= lastStep(r); s += 100) {
      const c = readCurves(at(r, s))!;
      if (c.valTrend?.improving) expect([s, c.reading]).not.toEqual([s, 'flat']);
    }
    expect(readCurves(at(r, lastStep(r)))!.reading).not.toBe('flat');
  });

  it('a real plateau reads flat: the genome’s val loss stood still from step ~300 to ~650, then fell again (it found the genes)', () => {
    const r = load('dna-kmer3-nano-1500');
    expect(readings(r, [450, 600])).toEqual(['flat', 'flat']);
    expect(readCurves(at(r, 600))!.valTrend!.stopped).toBe(true);
    expect(readings(r, [900, 1200, 1500])).toEqual(['slow', 'slow', 'slow']);
  });

  it('a noisy val loss (the tiny preset’s 2 eval batches of 64 tokens) does not read flat while the train loss still falls', () => {
    const r = load('shakespeare-tiny-3000');
    const c = readCurves(at(r, 1800))!;
    expect(c.valTrend!.improving || c.valTrend!.stopped).toBe(false); // the val trend cannot tell
    expect(c.reading).toBe('slow');
  });

  it('twice the steps, checked on every recorded run: the val loss lands within the ± most of the time, and the words say how sure', () => {
    let n = 0;
    let within = 0;
    for (const name of ALL) {
      const r = load(name);
      for (let s = 100; 2 * s <= lastStep(r); s += 100) {
        const p = projectionOf(at(r, s));
        if (!p) continue;
        n++;
        if (Math.abs(valNear(r, 2 * s) - p.loss) <= p.spread) within++;
        // No backtest (too short a curve): said to be a guess.
        if (!p.backtest) expect(p.sureness).toBe('guess');
      }
    }
    expect(n).toBeGreaterThan(100);
    expect(within / n).toBeGreaterThan(0.75); // 105 of 128 when recorded
  });
});

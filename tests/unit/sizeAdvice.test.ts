/**
 * The suggested size comes from measured speed: the largest preset whose step lets the first
 * sample arrive in about 30 s, measured smallest first and never past a size that cannot fit.
 * The probe's clock is injected, so the choice is tested without timing anything for real.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adviseSize, firstSampleSeconds, stepBudgetMs, worthMeasuring } from '../../src/train/sizeAdvice';
import { probeSizes } from '../../src/worker/sizeProbe';
import { backend } from '../helpers';

beforeAll(() => backend('cpu'));

describe('size advice', () => {
  const budget = stepBudgetMs(100); // 100 steps to the first sample, within 30 s with a fifth kept back
  it('budgets 240 ms a step for a sample every 100 steps', () => {
    expect(budget).toBe(240);
    expect(firstSampleSeconds(240, 100)).toBe(24);
  });

  it('picks the largest measured preset that fits, the smallest when none does', () => {
    // The numbers on the cpu backend: tiny 25 steps/s, nano 0.6 steps/s.
    expect(
      adviseSize(
        [
          { preset: 'tiny', msPerStep: 40 },
          { preset: 'nano', msPerStep: 1600 },
        ],
        budget,
      ),
    ).toBe('tiny');
    // wasm here: tiny, nano and cpu fit; baby was not measured.
    expect(
      adviseSize(
        [
          { preset: 'tiny', msPerStep: 3 },
          { preset: 'nano', msPerStep: 15 },
          { preset: 'cpu', msPerStep: 90 },
        ],
        budget,
      ),
    ).toBe('cpu');
    expect(adviseSize([{ preset: 'tiny', msPerStep: 900 }], budget)).toBe('tiny');
    expect(adviseSize([], budget)).toBe('tiny');
  });

  it('measures a larger preset only when the last one leaves room for it', () => {
    expect(worthMeasuring({ preset: 'tiny', msPerStep: 40 }, 'nano', 65, budget)).toBe(true); // cheap: see (about 3 s on the cpu backend)
    expect(worthMeasuring({ preset: 'tiny', msPerStep: 100 }, 'nano', 65, budget)).toBe(false); // ~110× the work of a 100 ms step
    expect(worthMeasuring({ preset: 'cpu', msPerStep: 90 }, 'baby', 65, budget)).toBe(false); // baby: ~290× cpu's work
    expect(worthMeasuring({ preset: 'cpu', msPerStep: 10 }, 'baby', 65, budget)).toBe(true); // a real GPU
    expect(worthMeasuring({ preset: 'nano', msPerStep: 300 }, 'cpu', 65, budget)).toBe(false); // already over budget
  });
});

describe('size probe (worker)', () => {
  const budget = stepBudgetMs(100);
  it('times throwaway models smallest first, stops where a size cannot fit, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    // A clock that moves 100 ms per reading: a tiny step "takes" 100 ms, so nano (~110× the
    // work) is ruled out without being built.
    let t = 0;
    const slow = await probeSizes({ vocabSize: 40, budgetMs: budget, timedMs: 120, now: () => (t += 100) });
    expect(slow.map((x) => x.preset)).toEqual(['tiny']);
    expect(slow[0]!.msPerStep).toBeGreaterThan(0);
    // A tiny step "takes" 25 ms (cheap: nano is worth timing), a nano step 100 ms (cpu, ~6× its work, is not).
    // measureSteps reads the clock 3 times per warm-up step (start, end, the slow check), once to
    // start timing, and 3 times per timed step (around trainStep for the encoding time, then the
    // elapsed time): the step's time lands on the read just after trainStep. One warm-up and two
    // timed steps per size.
    const reads = (ms: number) => [0, ms, 0, 0, 0, ms, 0, 0, ms, 0];
    const clock = [...reads(25), ...reads(100)];
    let u = 0;
    let k = 0;
    const two = await probeSizes({ vocabSize: 40, budgetMs: budget, timedMs: 1, now: () => (u += clock[k++] ?? 100), cancelled: () => false });
    expect(two).toEqual([
      { preset: 'tiny', msPerStep: 25 },
      { preset: 'nano', msPerStep: 100 },
    ]);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('stops when training starts meanwhile', async () => {
    let calls = 0;
    const timings = await probeSizes({ vocabSize: 40, budgetMs: budget, now: () => 0.001 * ++calls, cancelled: () => calls > 0 });
    expect(timings.length).toBeLessThanOrEqual(1);
  });
});

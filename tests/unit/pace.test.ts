import { describe, expect, it } from 'vitest';
import { addPaceSample, PACE_WINDOW_MS, paceOf, type PaceSample } from '../../src/state/pace';

describe('training pace for the time left', () => {
  it('is steps per second of wall time over the last minute, pauses between steps included', () => {
    let s: PaceSample[] = [];
    // 10 steps a second for 2 minutes, then 5 a second for a minute and a half.
    for (let t = 0; t <= 120_000; t += 100) s = addPaceSample(s, { at: t, step: t / 100 });
    expect(paceOf(s)).toBeCloseTo(10, 6);
    for (let t = 120_500; t <= 210_000; t += 500) s = addPaceSample(s, { at: t, step: 1200 + (t - 120_000) / 200 });
    expect(paceOf(s)).toBeCloseTo(5, 6); // the older, faster minute has left the window
    expect(s[s.length - 1]!.at - s[0]!.at).toBeLessThan(PACE_WINDOW_MS + 500);
  });

  it('says nothing until the samples span 10 s, or when no step was made', () => {
    let s: PaceSample[] = [];
    for (let t = 0; t < 9_000; t += 1000) s = addPaceSample(s, { at: t, step: t / 1000 });
    expect(paceOf(s)).toBeUndefined();
    expect(
      paceOf([
        { at: 0, step: 5 },
        { at: 20_000, step: 5 },
      ]),
    ).toBeUndefined();
    expect(paceOf([])).toBeUndefined();
  });
});

describe('the store keeps the pace samples of the run going on', () => {
  it('one sample per new step while running; none once it stops or the counter goes back', async () => {
    const { useFolio } = await import('../../src/state/store');
    const { modelEvent, progressEvent } = await import('../pageFixtures');
    const ev = modelEvent();
    useFolio.get().modelChanged(ev);
    const run = (state: 'running' | 'paused', step: number) => useFolio.get().progress(progressEvent(ev.model.id, state, step));
    run('running', 1);
    run('running', 1); // the same step again (a second report): no new sample
    run('running', 2);
    expect(useFolio.get().pace.map((s) => s.step)).toEqual([1, 2]);
    run('running', 1); // rolled back
    expect(useFolio.get().pace.map((s) => s.step)).toEqual([]);
    run('running', 2);
    run('paused', 2);
    expect(useFolio.get().pace).toEqual([]);
  });
});

describe('progress belongs to the model it names', () => {
  it('a progress event of a model that is no longer live changes nothing', async () => {
    const { useFolio } = await import('../../src/state/store');
    const { modelEvent, progressEvent } = await import('../pageFixtures');
    const old = modelEvent();
    useFolio.get().modelChanged(old);
    useFolio.get().progress(progressEvent(old.model.id, 'running', 5, { losses: [{ step: 5, loss: 2, gradNorm: 1, lr: 0.01 }] }));
    const now = modelEvent({ step: 600, totalSteps: 650 });
    useFolio.get().modelChanged(now);
    useFolio.get().progress(progressEvent(old.model.id, 'running', 6, { losses: [{ step: 6, loss: 2, gradNorm: 1, lr: 0.01 }] }));
    expect(useFolio.get().losses).toEqual([]);
    expect(useFolio.get().run.step).toBe(600);
    // The live model's progress keeps its true step count over all stages current.
    useFolio.get().progress(progressEvent(now.model.id, 'running', 601, { totalSteps: 651 }));
    expect(useFolio.get().model?.totalSteps).toBe(651);
  });
});

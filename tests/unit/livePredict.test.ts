import { describe, expect, it } from 'vitest';
import { LIVE_PREDICT_MIN_MS, LIVE_PREDICT_SHARE, livePredictInterval } from '../../src/state/livePredict';

describe('live next-word refresh while training', () => {
  it('asks twice a second when predictions are quick, and keeps slow ones to a tenth of the time', () => {
    expect(livePredictInterval(0)).toBe(LIVE_PREDICT_MIN_MS);
    expect(livePredictInterval(30)).toBe(500); // the cpu preset's cached beam search on wasm
    expect(livePredictInterval(400)).toBe(4000); // an uncached one, or a bigger model
    for (const ms of [60, 250, 700, 3000]) expect(ms / livePredictInterval(ms)).toBeLessThanOrEqual(LIVE_PREDICT_SHARE + 1e-12);
  });
});

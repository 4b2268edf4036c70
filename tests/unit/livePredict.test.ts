import { describe, expect, it } from 'vitest';
import { LIVE_PREDICT_MIN_MS, LIVE_PREDICT_SHARE, livePredictInterval } from '../../src/state/livePredict';

describe('live next-word refresh while training', () => {
  it('asks once a second when predictions are quick, and keeps slow ones to a fifth of the time', () => {
    expect(livePredictInterval(0)).toBe(LIVE_PREDICT_MIN_MS);
    expect(livePredictInterval(50)).toBe(1000);
    expect(livePredictInterval(400)).toBe(2000); // the cpu preset's beam search on wasm
    for (const ms of [250, 700, 3000]) expect(ms / livePredictInterval(ms)).toBeLessThanOrEqual(LIVE_PREDICT_SHARE + 1e-12);
  });
});

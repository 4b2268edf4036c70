import { describe, expect, it } from 'vitest';
import {
  MODEL_PRESETS,
  paramCount,
  TRAIN_PRESETS,
  TRAINING_MEMORY_LIMIT_BYTES,
  trainingMemoryFloor,
  validateModelMemory,
  type ModelPresetName,
} from '../../src/config';
import { noticeText } from '../../src/i18n';

describe('the memory a model needs to train', () => {
  it('counts four float32s per parameter, the logits and one layer of attention probabilities', () => {
    const c = { nLayer: 2, nHead: 4, nEmbd: 64, blockSize: 32, dropout: 0, vocabSize: 65 };
    const byHand = 4 * (4 * paramCount(c) + 8 * 32 * 65 + 8 * 4 * 32 * 32);
    expect(trainingMemoryFloor(c, 8)).toBe(byHand);
  });

  it('lets every preset through, and nanoGPT’s baby GPT with room to spare', () => {
    for (const p of Object.keys(MODEL_PRESETS) as ModelPresetName[]) {
      expect(validateModelMemory({ ...MODEL_PRESETS[p], vocabSize: 65 }, TRAIN_PRESETS[p].batchSize), p).toEqual([]);
    }
    // The baby GPT measured 2.1 GB at its peak (src/kernels/README.md, Scaling): its floor is far below the limit.
    expect(trainingMemoryFloor({ ...MODEL_PRESETS.baby, vocabSize: 65 }, TRAIN_PRESETS.baby.batchSize)).toBeLessThan(TRAINING_MEMORY_LIMIT_BYTES / 8);
  });

  it('refuses sizes no tab can hold, saying how much they need, in both languages', () => {
    const huge = { nLayer: 48, nHead: 16, nEmbd: 2048, blockSize: 4096, dropout: 0.1, vocabSize: 65 }; // 2.4 billion parameters
    const [why] = validateModelMemory(huge, 32);
    expect(why).toBeDefined();
    expect(noticeText('en', why!)).toMatch(/cannot train in a browser tab: it needs at least 68\.2 GB .* at most 4\.0 GB/);
    expect(noticeText('pt', why!)).toMatch(/pelo menos 68,2 GB .* no máximo 4,0 GB/);
    // A small model with a context so long that one layer's attention alone overflows.
    expect(validateModelMemory({ nLayer: 1, nHead: 8, nEmbd: 64, blockSize: 4096, dropout: 0, vocabSize: 65 }, 32)).toHaveLength(1);
  });
});

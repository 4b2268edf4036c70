/**
 * Train `nano` with the char tokenizer end to end, as the learning tests do. They run
 * on the wasm backend (the same engine, ~8× faster than the pure-JS cpu backend in
 * Node), seeded, so the result is the same on every run.
 */
import { MODEL_PRESETS, TRAIN_PRESETS, withLearningRate } from '../src/config';
import { splitTokens } from '../src/data/dataset';
import { createGPT } from '../src/model/gpt';
import { buildTokenizer, type TokenizerConfig } from '../src/tokenizer';
import { Trainer } from '../src/train/trainer';

/** Overrides: another tokenizer (k-mers for DNA), context length or peak learning rate. */
export interface NanoOptions {
  tokenizer?: TokenizerConfig;
  blockSize?: number;
  learningRate?: number;
}

export async function trainNano(text: string, steps: number, o: NanoOptions = {}) {
  const tok = buildTokenizer(text, o.tokenizer ?? { kind: 'char', vocabSize: 0 });
  const cfg = { ...MODEL_PRESETS.nano, ...(o.blockSize ? { blockSize: o.blockSize } : {}), vocabSize: tok.vocabSize };
  const model = createGPT(cfg, TRAIN_PRESETS.nano.seed);
  const train = o.learningRate ? withLearningRate(TRAIN_PRESETS.nano, o.learningRate) : TRAIN_PRESETS.nano;
  const trainer = new Trainer(model, splitTokens(tok.encode(text), cfg.blockSize), { ...train, decaySteps: steps });
  const t0 = performance.now();
  while (trainer.step < steps) {
    trainer.trainStep();
    if (trainer.step % 50 === 0) await trainer.readLosses();
  }
  await trainer.readLosses();
  const seconds = (performance.now() - t0) / 1000;
  const evalResult = await trainer.evaluate();
  trainer.dispose();
  return { tok, model, seconds, evalResult };
}

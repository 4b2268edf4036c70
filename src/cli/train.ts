/**
 * npm run train -- --corpus FILE --preset NAME --tokenizer char|word|bpe --steps N
 *                  --seed S --out DIR [--backend cpu|wasm] [--vocab N] [--batch N] [--lr X]
 *                  [--k N] [--overlap yes|no] [--optimizer yes|no]
 *                  [--eval-batches N] [--eval-interval N] [--eval-full yes|no]
 *
 * Trains a model in Node and saves a checkpoint to DIR. Prints one JSON object per
 * log step on stdout: {"step","trainLoss","trainBpc","valLoss"?,"valBpc"?,"lr","tokensPerSec"}
 * (trainLoss is the mean over the steps since the previous line; valLoss appears at
 * evaluations; the losses are in nats per token, the *Bpc in bits per character of the text
 * — per base for k-mers — through each split's characters per token, train/lossUnits.ts).
 *
 * --eval-batches N: batches each loss estimate averages (the preset's 8 for the `cpu`
 * preset; nanoGPT averages 200, `npm run train:nanogpt`). --eval-interval N: steps between
 * estimates (the last step always gets one). --eval-full yes: the last line also gets
 * `valFull`, the loss over every window of the val split (no sampling noise; see
 * Trainer.evaluateFull).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_PRESETS, TRAIN_PRESETS, withLearningRate, type ModelPresetName, type TrainConfig } from '../config';
import { decodeCorpusBytes } from '../data/corpus';
import { splitTokens } from '../data/dataset';
import { createGPT, paramCount } from '../model/gpt';
import { buildTokenizer, DEFAULT_KMER, TOKENIZER_KINDS } from '../tokenizer';
import { FolioError, noticeText } from '../i18n';
import { saveCheckpoint } from '../checkpoint/checkpoint';
import { Trainer } from '../train/trainer';
import { bitsPerChar, charsPerToken } from '../train/lossUnits';
import { intFlag, main, numFlag, oneOf, parseFlags, required, UsageError } from './args';
import { fileHandler } from './fileHandler';
import { NODE_BACKENDS, useNodeBackend } from './nodeBackend';

const USAGE =
  'Usage: npm run train -- --corpus FILE --out DIR [--preset nano|cpu|baby] [--tokenizer char|word|bpe|kmer] [--vocab N] [--k 1-6] [--overlap yes|no] [--steps N] [--seed S] [--backend wasm|cpu] [--batch N] [--lr X] [--optimizer yes|no] [--eval-batches N] [--eval-interval N] [--eval-full yes|no]';

main(async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    [
      'corpus',
      'out',
      'preset',
      'tokenizer',
      'vocab',
      'steps',
      'seed',
      'backend',
      'batch',
      'lr',
      'k',
      'overlap',
      'optimizer',
      'eval-batches',
      'eval-interval',
      'eval-full',
    ],
    USAGE,
  );
  const corpusPath = required(flags, 'corpus', USAGE);
  const out = required(flags, 'out', USAGE);
  const preset = oneOf(flags, 'preset', Object.keys(MODEL_PRESETS) as ModelPresetName[], 'nano');
  const kind = oneOf(flags, 'tokenizer', TOKENIZER_KINDS, 'char');
  const backend = oneOf(flags, 'backend', NODE_BACKENDS, 'wasm');
  const steps = intFlag(flags, 'steps', 500, 1);
  const base = TRAIN_PRESETS[preset];
  const planned: TrainConfig = {
    ...base,
    seed: intFlag(flags, 'seed', base.seed),
    batchSize: intFlag(flags, 'batch', base.batchSize, 1),
    decaySteps: steps,
    warmupSteps: Math.min(base.warmupSteps, Math.max(1, Math.floor(steps / 10))),
    evalBatches: intFlag(flags, 'eval-batches', base.evalBatches, 1),
    evalInterval: intFlag(flags, 'eval-interval', base.evalInterval, 1),
  };
  const train = withLearningRate(planned, numFlag(flags, 'lr', base.learningRate));

  let bytes: Buffer;
  try {
    bytes = await readFile(corpusPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `Corpus file not found: ${corpusPath}` : `Cannot read corpus ${corpusPath} (${code}).`);
  }
  const text = decodeCorpusBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  let tokenizer;
  try {
    // k-mers: --k bases per token, --overlap yes (one token per base) or no (tiles).
    const kmer = { k: intFlag(flags, 'k', DEFAULT_KMER.k, 1), overlap: oneOf(flags, 'overlap', ['yes', 'no'], DEFAULT_KMER.overlap ? 'yes' : 'no') === 'yes' };
    tokenizer = buildTokenizer(text, { kind, vocabSize: intFlag(flags, 'vocab', 1024, 1), ...kmer });
  } catch (e) {
    throw new UsageError(e instanceof FolioError ? noticeText('en', e.notice) : (e as Error).message);
  }
  // --optimizer no: weights only (a third of the size), for a model that is shown, not trained further.
  const keepOptimizer = oneOf(flags, 'optimizer', ['yes', 'no'], 'yes') === 'yes';
  const evalFull = oneOf(flags, 'eval-full', ['yes', 'no'], 'no') === 'yes';
  const modelCfg = { ...MODEL_PRESETS[preset], vocabSize: tokenizer.vocabSize };
  const data = splitTokens(tokenizer.encode(text), modelCfg.blockSize);

  // Bits per character of the text: the unit in which runs with different tokenizers compare (each split's own characters per token).
  const cpt = { train: charsPerToken(tokenizer, data.train), val: charsPerToken(tokenizer, data.val) };
  const bpc = (nats: number, split: 'train' | 'val') => +bitsPerChar(nats, cpt[split]).toFixed(6);
  await useNodeBackend(backend);
  const model = createGPT(modelCfg, train.seed);
  const trainer = new Trainer(model, data, train);
  process.stderr.write(
    `training ${preset} (${paramCount(modelCfg).toLocaleString('en')} params) on ${path.basename(corpusPath)} ` +
      `(${data.train.length + data.val.length} ${kind} tokens, vocab ${tokenizer.vocabSize}, ${cpt.train.toFixed(4)} characters per train token, ${cpt.val.toFixed(4)} characters per val token) with ${backend}\n`,
  );

  const logEvery = Math.max(1, Math.min(train.logEvery, steps));
  while (trainer.step < steps) {
    trainer.trainStep();
    const last = trainer.step === steps;
    if (trainer.step % logEvery === 0 || last) {
      const losses = await trainer.readLosses();
      const trainLoss = losses.reduce((s, l) => s + l.loss, 0) / losses.length;
      if (!Number.isFinite(trainLoss)) throw new Error(`Training diverged at step ${trainer.step} (loss is ${trainLoss}); try a lower --lr.`);
      const line: Record<string, number> = { step: trainer.step, trainLoss, trainBpc: bpc(trainLoss, 'train') };
      if (trainer.step % train.evalInterval === 0 || last) {
        line.valLoss = (await trainer.evaluate()).val;
        line.valBpc = bpc(line.valLoss, 'val');
      }
      if (last && evalFull) {
        line.valFull = await trainer.evaluateFull(data.val);
        line.valFullBpc = bpc(line.valFull, 'val');
      }
      line.lr = losses[losses.length - 1]!.lr;
      line.tokensPerSec = Math.round(trainer.tokensPerSec);
      process.stdout.write(JSON.stringify(line) + '\n');
    }
  }
  await saveCheckpoint(fileHandler(out), {
    model,
    tokenizer,
    train,
    step: trainer.step,
    ...(keepOptimizer ? { optimizer: trainer.optimizer } : {}),
    extra: { corpus: path.basename(corpusPath) },
  });
  process.stderr.write(`saved checkpoint to ${out}\n`);
});

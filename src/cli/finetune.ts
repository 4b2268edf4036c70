/**
 * npm run finetune -- --checkpoint DIR --method sft|dpo|rlhf --data FILE.jsonl --steps N
 *                     --out DIR [--beta 0.1] [--lr X] [--seed S] [--backend wasm|cpu]
 *
 * Fine-tunes a saved model in Node and saves it to DIR as a checkpoint `predict` reads.
 * The data is JSON Lines: {"prompt","completion"} for sft, {"prompt","chosen","rejected"}
 * for dpo and rlhf (src/train/tuneData.ts). A frozen copy of the loaded model is the
 * reference the stage is measured against. Prints one JSON object per log step on stdout:
 * {"step","loss","rewardMargin"?,"reward"?,"kl"?,"rmAccuracy"?} (each a mean over the steps
 * since the previous line). The checkpoint's extra gains the stage in its `stages` history.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCheckpoint, saveCheckpoint, type CheckpointStage } from '../checkpoint/checkpoint';
import { disposeGPT } from '../model/gpt';
import { defaultLr, makeTuner, TUNE_DEFAULTS, type TuneMethod, type TuneMetrics } from '../train/finetune/preference';
import { readTuneData } from '../train/finetune/tuneData';
import { copyGPT, weightsId } from '../train/finetune/tuning';
import { intFlag, main, numFlag, oneOf, parseFlags, required, UsageError } from './args';
import { fileHandler } from './fileHandler';
import { NODE_BACKENDS, useNodeBackend } from './nodeBackend';

const USAGE =
  'Usage: npm run finetune -- --checkpoint DIR --method sft|dpo|rlhf --data FILE.jsonl --steps N --out DIR [--beta 0.1] [--lr X] [--seed S] [--backend wasm|cpu]';
const METHODS: readonly TuneMethod[] = ['sft', 'dpo', 'rlhf'];
const LOG_EVERY = 10;
const OPTIONAL: readonly (keyof TuneMetrics)[] = ['rewardMargin', 'reward', 'kl', 'rmAccuracy'];

/** One log line: the mean loss, and the mean of each optional metric over the steps that have it. */
function logLine(metrics: TuneMetrics[], step: number): Record<string, number> {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const line: Record<string, number> = { step, loss: mean(metrics.map((m) => m.loss)) };
  for (const k of OPTIONAL) {
    const xs = metrics.map((m) => m[k]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (xs.length) line[k] = mean(xs);
  }
  return line;
}

main(async () => {
  const flags = parseFlags(process.argv.slice(2), ['checkpoint', 'method', 'data', 'steps', 'out', 'beta', 'lr', 'seed', 'backend'], USAGE);
  const dir = required(flags, 'checkpoint', USAGE);
  required(flags, 'method', USAGE);
  const method = oneOf(flags, 'method', METHODS, 'sft');
  const dataPath = required(flags, 'data', USAGE);
  required(flags, 'steps', USAGE);
  const steps = intFlag(flags, 'steps', 0, 1);
  const out = required(flags, 'out', USAGE);
  const cfg = {
    ...TUNE_DEFAULTS,
    lr: numFlag(flags, 'lr', defaultLr(method)),
    beta: numFlag(flags, 'beta', TUNE_DEFAULTS.beta),
    seed: intFlag(flags, 'seed', TUNE_DEFAULTS.seed),
  };
  const backend = oneOf(flags, 'backend', NODE_BACKENDS, 'wasm');

  let text: string;
  try {
    text = await readFile(dataPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `Data file not found: ${dataPath}` : `Cannot read data file ${dataPath} (${code}).`);
  }

  await useNodeBackend(backend);
  const { meta, model: policy, tokenizer, optimizerState } = await loadCheckpoint(fileHandler(dir));
  for (const t of Object.values(optimizerState ?? {})) t.dispose(); // pretraining's moments: the tuner starts its own
  const data = readTuneData(text, method, tokenizer, policy.config.blockSize); // a FolioError names the line and the problem
  const reference = copyGPT(policy);
  const referenceId = await weightsId(reference);
  const tuner = makeTuner(method, policy, reference, data, cfg);
  const count = data.examples?.length ?? data.pairs?.length ?? 0;
  process.stderr.write(
    `fine-tuning ${path.basename(dir)} by ${method} on ${path.basename(dataPath)} (${count} ${method === 'sft' ? 'examples' : 'pairs'}) with ${backend}\n`,
  );

  while (tuner.step < steps) {
    await tuner.trainStep();
    if (tuner.step % LOG_EVERY === 0 || tuner.step === steps) {
      const line = logLine(await tuner.readMetrics(), tuner.step);
      if (!Number.isFinite(line.loss)) throw new Error(`Fine-tuning diverged at step ${tuner.step} (loss is ${line.loss}); try a lower --lr.`);
      process.stdout.write(JSON.stringify(line) + '\n');
    }
  }
  tuner.dispose();

  const before: CheckpointStage[] = meta.extra?.stages ?? [{ kind: 'pretrain', steps: meta.step }];
  await saveCheckpoint(fileHandler(out), {
    model: policy,
    tokenizer,
    train: meta.train,
    step: meta.step + steps,
    extra: { ...meta.extra, stages: [...before, { kind: method, steps, reference: referenceId }] },
  });
  disposeGPT(policy);
  disposeGPT(reference);
  process.stderr.write(`saved checkpoint to ${out}\n`);
});

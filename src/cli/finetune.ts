/**
 * npm run finetune -- (--checkpoint DIR | --hub REPO) --method sft|dpo|rlhf --data FILE.jsonl --steps N
 *                     --out DIR [--beta B] [--lr X] [--seed S] [--kl-budget 0.3]
 *                     [--keep yes|no] [--corpus FILE] [--backend wasm|cpu]
 *                     [--lora R [--lora-alpha A] [--lora-targets c_attn,c_proj,c_fc] [--merge DIR]]
 *
 * Fine-tunes a saved model in Node and saves it to DIR as a checkpoint `predict` reads: a
 * Folio checkpoint, or (the model came from a GPT-2 folder or the Hub) a GPT-2 folder.
 * With `--lora R` only low-rank adapters train (rank R, α 2R unless told, on c_attn unless
 * told, at a rate of 1e-3 unless told; the base stays frozen) and DIR gets them in PEFT's
 * format (adapter_config.json + adapter_model.safetensors, which Python's `peft` loads;
 * `predict --adapter DIR` too);
 * `--merge DIR2` also writes the model with the adapters merged in, as a full model.
 * The data is JSON Lines: {"prompt","completion"} for sft, {"prompt","chosen","rejected"}
 * for dpo and rlhf (src/train/finetune/tuneData.ts); what does not fit the context is
 * cropped (the prompt keeps its end) and said on stderr. A frozen copy of the loaded model
 * is the reference the stage is measured against, on its own data and — the cost meter —
 * on windows of the pre-training corpus the data does not touch (`--corpus`, else the one
 * the checkpoint names); `--kl-budget` stops the stage when that KL passes it, and `--keep`
 * holds the model's predictions on that text to the reference every step (on by default:
 * it keeps what it knew). Prints one JSON object per
 * log step on stdout: {"step","loss","rewardMargin"?,"reward"?,"kl"?,"rmAccuracy"?,
 * "winRate"?,"keepKl"?,"costKl"?,"costTv"?}; notes (a crop, a budget stop, whether
 * RLHF's reward rose) on stderr. The checkpoint's extra gains the stage in its `stages`.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { saveCheckpoint, type CheckpointExtra, type CheckpointStage } from '../checkpoint/checkpoint';
import { splitTokens } from '../data/dataset';
import { noticeText, type Notice } from '../i18n';
import { gpt2FolderFiles } from '../checkpoint/gpt2';
import { PEFT_CONFIG, PEFT_WEIGHTS, toPeft } from '../checkpoint/peft';
import { disposeGPT, paramCount } from '../model/gpt';
import { addLora, frozenView, LORA_LR, mergeLora } from '../model/lora';
import type { Tokenizer } from '../tokenizer';
import { defaultBeta, defaultLr, TUNE_DEFAULTS, type TuneMethod, type TuneMetrics } from '../train/finetune/preference';
import { inferFormat } from '../train/finetune/qaFormat';
import { startStage, STAGE_DEFAULTS } from '../train/finetune/stage';
import { parseJsonl, readTuneData } from '../train/finetune/tuneData';
import { copyGPT, weightsId } from '../train/finetune/tuning';
import { intFlag, main, numFlag, oneOf, parseFlags, required, UsageError, type Flags } from './args';
import { fileHandler } from './fileHandler';
import { writeHfFolder } from './hfFolder';
import { LORA_FLAGS, loraFlags, writeFolder } from './loraOptions';
import { loadModelSource } from './modelSource';
import { NODE_BACKENDS, useNodeBackend } from './nodeBackend';

const USAGE =
  'Usage: npm run finetune -- (--checkpoint DIR | --hub REPO) --method sft|dpo|rlhf --data FILE.jsonl --steps N --out DIR [--beta B] [--lr X] [--seed S] [--kl-budget 0.3] [--keep yes|no] [--corpus FILE] [--backend wasm|cpu] [--lora R [--lora-alpha A] [--lora-targets c_attn,c_proj,c_fc] [--merge DIR]]';
const METHODS: readonly TuneMethod[] = ['sft', 'dpo', 'rlhf'];
const LOG_EVERY = 10;
const OPTIONAL: readonly (keyof TuneMetrics)[] = ['rewardMargin', 'reward', 'kl', 'rmAccuracy', 'winRate', 'keepKl', 'costKl', 'costTv'];
/** Measurements (of the reward model, the win rate, the cost): the latest, not a mean. */
const LATEST: ReadonlySet<keyof TuneMetrics> = new Set(['rmAccuracy', 'winRate', 'costKl', 'costTv']);

/** One log line: the mean loss, and of each optional metric the mean (or latest measurement) over the steps that have it. */
function logLine(metrics: TuneMetrics[], step: number): Record<string, number> {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const line: Record<string, number> = { step, loss: mean(metrics.map((m) => m.loss)) };
  for (const k of OPTIONAL) {
    const xs = metrics.map((m) => m[k]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (xs.length) line[k] = LATEST.has(k) ? xs.at(-1)! : mean(xs);
  }
  return line;
}

/** --kl-budget: nats ≥ 0 (0 or "none": no budget). */
function budgetFlag(flags: Flags): number {
  const v = flags.get('kl-budget');
  if (v === undefined) return STAGE_DEFAULTS.klBudget;
  if (v === 'none') return 0;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--kl-budget must be a number of nats ≥ 0, or none (got "${v}").`);
  return n;
}

/** The pre-training text: --corpus, else the session the checkpoint carries, else the file it names (beside it or in corpus/). */
async function pretrainingText(flag: string | undefined, dir: string, extra: CheckpointExtra | undefined): Promise<{ text: string; from: string } | undefined> {
  if (flag) {
    try {
      return { text: await readFile(flag, 'utf8'), from: flag };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `Corpus file not found: ${flag}` : `Cannot read corpus ${flag} (${code}).`);
    }
  }
  if (extra?.session) return { text: extra.session.corpus.text, from: `the checkpoint's session (${extra.session.corpus.name})` };
  const name = extra?.corpus;
  if (!name) return undefined;
  const places = [dir, path.dirname(dir), path.dirname(path.dirname(dir)), 'corpus'].map((d) => path.join(d, path.basename(name)));
  const found = places.find((p) => existsSync(p));
  return found ? { text: await readFile(found, 'utf8'), from: found } : undefined;
}

/** The corpus as the model's token streams (none when it does not make a training split). */
function streams(text: string, tok: Tokenizer, blockSize: number): { train: Int32Array; val: Int32Array } | undefined {
  try {
    return splitTokens(tok.encode(text), blockSize);
  } catch {
    return undefined;
  }
}

const say = (n: Notice) => process.stderr.write(`note: ${noticeText('en', n)}\n`);

main(async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    ['checkpoint', 'hub', 'method', 'data', 'steps', 'out', 'beta', 'lr', 'seed', 'kl-budget', 'keep', 'corpus', 'backend', ...LORA_FLAGS, 'merge'],
    USAGE,
  );
  const dir = flags.get('checkpoint') ?? '.';
  const lora = loraFlags(flags);
  const mergeTo = flags.get('merge');
  if (mergeTo !== undefined && !lora) throw new UsageError('--merge DIR merges LoRA adapters: give --lora R too.');
  required(flags, 'method', USAGE);
  const method = oneOf(flags, 'method', METHODS, 'sft');
  const dataPath = required(flags, 'data', USAGE);
  required(flags, 'steps', USAGE);
  const steps = intFlag(flags, 'steps', 0, 1);
  const out = required(flags, 'out', USAGE);
  const keeping = oneOf(flags, 'keep', ['yes', 'no'] as const, 'yes') === 'yes';
  const cfg = {
    ...TUNE_DEFAULTS,
    lr: numFlag(flags, 'lr', lora ? LORA_LR : defaultLr(method)),
    beta: numFlag(flags, 'beta', defaultBeta(method)),
    seed: intFlag(flags, 'seed', TUNE_DEFAULTS.seed),
    keep: keeping ? TUNE_DEFAULTS.keep : 0,
  };
  const klBudget = budgetFlag(flags);
  const backend = oneOf(flags, 'backend', NODE_BACKENDS, 'wasm');

  let text: string;
  try {
    text = await readFile(dataPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `Data file not found: ${dataPath}` : `Cannot read data file ${dataPath} (${code}).`);
  }

  await useNodeBackend(backend);
  const source = await loadModelSource(flags, USAGE); // a checkpoint's pretraining moments are dropped: the tuner starts its own
  const { meta, model: policy, tokenizer } = source;
  const { fit, ...data } = readTuneData(text, method, tokenizer, policy.config.blockSize); // a FolioError names the line and the problem
  const count = data.examples?.length ?? data.pairs?.length ?? 0;
  if (count === 0) throw new UsageError(`${path.basename(dataPath)}: every pair has the same text twice; there is nothing to prefer.`);
  const pre = await pretrainingText(flags.get('corpus'), dir, meta?.extra);
  // A GPT-2's context (1024) makes corpus windows far too slow to read every step: 64 tokens each.
  const window = source.gpt2 ? Math.min(64, policy.config.blockSize) : policy.config.blockSize;
  const corpus = pre && streams(pre.text, tokenizer, window);
  // LoRA never changes the base: its reference shares the weights (no second copy of a 124 M model).
  const reference = lora ? frozenView(policy) : copyGPT(policy);
  const referenceId = await weightsId(reference);
  if (lora) {
    addLora(policy, lora, cfg.seed);
    const n = policy.lora!.named.reduce((k, p) => k + p.variable.size, 0);
    process.stderr.write(
      `LoRA r ${lora.r}, α ${lora.alpha} on ${lora.targets.join(', ')}: ${n} trainable numbers of ${paramCount(policy.config)} (${((100 * n) / paramCount(policy.config)).toFixed(2)} %)\n`,
    );
  }
  const stage = startStage({
    method,
    policy,
    reference,
    tokenizer,
    data,
    ...(corpus ? { corpus } : {}),
    cfg,
    steps,
    settings: { klBudget },
    windowTokens: window,
  });
  process.stderr.write(
    `fine-tuning ${path.basename(source.name)} by ${method} on ${path.basename(dataPath)} (${count} ${method === 'sft' ? 'examples' : 'pairs'}) with ${backend}\n`,
  );
  if (fit.croppedPrompts || fit.cutCompletions || fit.identical) say({ code: 'tuneFit', params: fit });
  if (corpus) process.stderr.write(`cost meter${keeping ? ' and the hold on what the model knew' : ''} on ${pre!.from}\n`);
  else process.stderr.write('note: no pre-training corpus found (give --corpus FILE): no cost meter, no KL budget, no hold on what the model knew.\n');

  while (!stage.done) {
    await stage.advance();
    if (stage.step % LOG_EVERY === 0 || stage.done) {
      const line = logLine(await stage.read(), stage.step);
      if (!Number.isFinite(line.loss)) throw new Error(`Fine-tuning diverged at step ${stage.step} (loss is ${line.loss}); try a lower --lr.`);
      process.stdout.write(JSON.stringify(line) + '\n');
    }
  }
  for (const n of stage.outcome()) say(n);
  const done = stage.step;
  stage.dispose();
  disposeGPT(reference); // before a merge changes the weights it shares

  const format = method === 'sft' ? { format: inferFormat(parseJsonl(text, ['prompt', 'completion'])) } : {};
  const stageRecord: CheckpointStage = { kind: method, steps: done, reference: referenceId, ...format };
  /** The whole model: a GPT-2 folder for a GPT-2, else a Folio checkpoint with the stage recorded. */
  const saveFull = async (to: string) => {
    if (source.gpt2) return void (await writeHfFolder(to, await gpt2FolderFiles(policy, source.gpt2)));
    const before: CheckpointStage[] = meta!.extra?.stages ?? [{ kind: 'pretrain', steps: meta!.step }];
    await saveCheckpoint(fileHandler(to), {
      model: policy,
      tokenizer,
      train: meta!.train,
      step: meta!.step + done,
      extra: { ...meta!.extra, stages: [...before, stageRecord] },
    });
  };
  if (lora) {
    await writeFolder(out, { ...(await peftFolder(policy, source.name)) });
    process.stderr.write(`saved the LoRA adapters (PEFT) to ${out}\n`);
    if (mergeTo !== undefined) {
      mergeLora(policy);
      await saveFull(mergeTo);
      process.stderr.write(`saved the model with the adapters merged in to ${mergeTo}\n`);
    }
  } else {
    await saveFull(out);
    process.stderr.write(`saved ${source.gpt2 ? 'the GPT-2 folder' : 'checkpoint'} to ${out}\n`);
  }
  disposeGPT(policy);
});

/** PEFT's two files under their names. */
async function peftFolder(model: Parameters<typeof toPeft>[0], base: string): Promise<Record<string, string | Uint8Array>> {
  const f = await toPeft(model, base);
  return { [PEFT_CONFIG]: f.config, [PEFT_WEIGHTS]: f.safetensors };
}

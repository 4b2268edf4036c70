/**
 * GPT-2 small's size in Node, measured by hand (not a test; nothing asserted):
 *
 *   FOLIO_THREADS=2 node --experimental-wasm-relaxed-simd --import tsx tests/bench/gpt2-124m.ts [--backend wasm|cpu] [--steps 3]
 *
 * Writes a GPT-2-small-shaped folder (12 layers × 12 heads, width 768, context 1024, GPT-2's
 * real vocabulary, random F32 weights: 124 M parameters, ~500 MB) to the system's temp dir —
 * never the repo — and removes it after. Prints one JSON object: the load time (read the
 * files, check them, build the model) and the memory it took (process RSS, tfjs's tensor
 * bytes), one forward pass over the fox sentence, the ranked tokens' latency (one forward pass: the
 * panel's token list), the ranked-words latency for the fox sentence (the next-word panel's beam
 * search, with the KV cache; the first call, then the median of the next ones — random weights rank
 * sub-word gibberish, whose beams run longer than a trained model's words) and the beam's branches
 * at each depth (one batched model call per depth), and the time of a
 * LoRA DPO step (r 8, α 16 on c_attn; 8 pairs a step; the reference a view sharing the base).
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gpt2Model, readGpt2 } from '../../src/checkpoint/gpt2';
import { useNodeBackend, type NodeBackend } from '../../src/cli/nodeBackend';
import { disposeGPT, forward, paramCount } from '../../src/model/gpt';
import { addLora, frozenView, LORA_DEFAULTS } from '../../src/model/lora';
import { CachedLogits } from '../../src/predict/kvCache';
import { cropContext, predictNext } from '../../src/predict/predictor';
import { softmax } from '../../src/predict/probs';
import { rankNextWords } from '../../src/predict/words';
import { DpoTuner, TUNE_DEFAULTS, type Pair } from '../../src/train/finetune/preference';
import { writeGpt2Folder } from '../gpt2Fixture';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const FOX = 'The quick brown fox jumps over the lazy';
const mb = (b: number) => Math.round(b / 1024 ** 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const backend = arg('backend', 'wasm') as NodeBackend;
  const steps = Number(arg('steps', '3'));
  await useNodeBackend(backend);
  const dir = mkdtempSync(path.join(tmpdir(), 'folio-gpt2-124m-'));
  try {
    let t = performance.now();
    const config = writeGpt2Folder(dir, { nLayer: 12, nHead: 12, nEmbd: 768, nPositions: 1024, seed: 1 });
    const writeMs = performance.now() - t;
    global.gc?.();
    const rss0 = process.memoryUsage().rss;

    t = performance.now();
    const bytes = readFileSync(path.join(dir, 'model.safetensors'));
    const files = {
      config: readFileSync(path.join(dir, 'config.json'), 'utf8'),
      tokenizer: readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'),
      safetensors: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
    const { model, tokenizer } = gpt2Model(readGpt2(files));
    const loadMs = performance.now() - t;
    const rssLoaded = process.memoryUsage().rss;
    const tensorBytes = tf.memory().numBytes;

    // One forward pass over the prompt (last position's logits only): the floor under any answer.
    const ids = tokenizer.encode(FOX);
    const forwardMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      t = performance.now();
      const logits = tf.tidy(() => forward(model, tf.tensor2d([ids], undefined, 'int32'), { lastOnly: true }).logits);
      await logits.data();
      logits.dispose();
      forwardMs.push(performance.now() - t);
    }

    // The ranked tokens alone (the panel's token list: one forward pass, a softmax, the top 10)…
    const tokensMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      t = performance.now();
      await predictNext(model, tokenizer, FOX, { topTokens: 10, beam: { topWords: 0 } });
      tokensMs.push(performance.now() - t);
    }
    // …and with the ranked words: the beam's model calls (one per depth, its branches batched through the KV cache).
    const predictMs: number[] = [];
    const predictCpuMs: number[] = []; // the process's CPU time: less moved than the clock by other work on a shared machine
    let words: string[] = [];
    for (let i = 0; i < 4; i++) {
      t = performance.now();
      const cpu = process.cpuUsage();
      const r = await predictNext(model, tokenizer, FOX, { topTokens: 10, beam: { topWords: 10 } });
      predictMs.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      predictCpuMs.push((used.user + used.system) / 1000);
      words = r.words.slice(0, 3).map((w) => w.word);
    }
    const rows: number[] = []; // the beam's branches at each depth (one model call each), counted on the same search
    const counter = new CachedLogits(model);
    await rankNextWords(
      async (cs) => (rows.push(cs.length), (await counter.logits(cs)).map((l) => softmax(l))),
      tokenizer,
      cropContext(ids, config.blockSize),
      { topWords: 10 },
    );
    counter.dispose();
    const rssPredicted = process.memoryUsage().rss; // what the kernels keep beside the weights (packed copies, scratch)

    t = performance.now();
    const reference = frozenView(model); // as the CLI and the page do for LoRA: the base shared, not copied
    const referenceMs = performance.now() - t;
    addLora(model, LORA_DEFAULTS, 1);
    const trainable = model.lora!.named.reduce((n, p) => n + p.variable.size, 0);
    const enc = (s: string) => tokenizer.encode(s);
    const prompts = [
      'The quick brown fox jumps over the lazy',
      'A quick red fox jumps over the sleepy',
      'The brown fox leaps over the lazy',
      'My neighbour walks the lazy',
    ];
    const pairs: Pair[] = prompts.flatMap((p) => [
      { prompt: enc(p), chosen: enc(' cat'), rejected: enc(' dog') },
      { prompt: enc(p), chosen: enc(' cat.'), rejected: enc(' dog.') },
    ]);
    const tuner = new DpoTuner(model, reference, pairs, { ...TUNE_DEFAULTS, lr: 1e-3, keep: 0 });
    const stepMs: number[] = [];
    const stepCpuMs: number[] = []; // the process's CPU time, the matMul helper thread's included
    let peak = 0;
    for (let i = 0; i < steps; i++) {
      t = performance.now();
      const cpu = process.cpuUsage();
      await tuner.trainStep();
      await tuner.readMetrics(); // the step's loss read back: its work is done
      stepMs.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      stepCpuMs.push((used.user + used.system) / 1000);
      peak = Math.max(peak, tf.memory().numBytes, process.memoryUsage().rss);
    }
    tuner.dispose();
    disposeGPT(reference);
    disposeGPT(model);

    process.stdout.write(
      JSON.stringify(
        {
          backend,
          threads: backend === 'wasm' ? Number(process.env.FOLIO_THREADS) || 'default (min(4, cores))' : 1,
          params: paramCount(config),
          fileMB: mb(bytes.byteLength),
          writeFixtureMs: Math.round(writeMs),
          loadMs: Math.round(loadMs),
          rssBeforeLoadMB: mb(rss0),
          rssAfterLoadMB: mb(rssLoaded),
          rssAfterPredictMB: mb(rssPredicted),
          loadAvg: os.loadavg().map((x) => +x.toFixed(1)),
          forwardFirstMs: Math.round(forwardMs[0]!),
          forwardMedianMs: Math.round(median(forwardMs.slice(1))),
          tokensFirstMs: Math.round(tokensMs[0]!),
          tokensMedianMs: Math.round(median(tokensMs.slice(1))),
          predictFirstMs: Math.round(predictMs[0]!),
          predictMedianMs: Math.round(median(predictMs.slice(1))),
          predictMedianCpuMs: Math.round(median(predictCpuMs.slice(1))),
          topWords: words,
          beamRowsPerCall: rows,
          referenceMs: Math.round(referenceMs),
          tensorMBAfterLoad: mb(tensorBytes),
          loraTrainable: trainable,
          dpoStepMs: stepMs.map(Math.round),
          dpoStepCpuMs: stepCpuMs.map(Math.round),
          peakRssMB: mb(peak),
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

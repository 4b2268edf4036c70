/**
 * npm run bench:nanogpt-compare -- [--steps N] [--seed S] [--backend wasm|cpu] [--python PATH]
 *                                   [--warmup N] [--decay N] [--fixture FILE]
 *
 * Folio and PyTorch trained on the same numbers: Folio's `cpu`-preset model is built with
 * seed S; its initial weights, the corpus's tokens and the batches of N steps are written to
 * a temp folder; tests/bench/pytorch_reference.py trains nanoGPT's recipe in PyTorch from exactly
 * those (Folio's model: biases, tanh GELU); Folio's Trainer trains the same steps. Prints each
 * side's per-step losses, the largest difference, and (at 2,000 steps) both final losses over
 * the whole val split. Equal curves mean the recipes agree, so any gap between two runs with
 * different seeds is the seeds. Needs python3 with torch (see pytorch_reference.py).
 *
 * --warmup/--decay: the schedule's warm-up and cosine length (the preset's 100 and 2,000
 * otherwise). --fixture FILE: also save PyTorch's per-step losses and gradient norms as JSON —
 * tests/unit/nanogptRecipe.test.ts holds Folio to such a file without needing PyTorch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MODEL_PRESETS, TRAIN_PRESETS } from '../../src/config';
import { useNodeBackend } from '../../src/cli/nodeBackend';
import { getBatch, splitTokens } from '../../src/data/dataset';
import { createGPT, disposeGPT } from '../../src/model/gpt';
import { buildTokenizer } from '../../src/tokenizer';
import { Trainer } from '../../src/train/trainer';
import { flag } from './args';

const steps = Number(flag('steps', '50'));
const seed = Number(flag('seed', '1337'));
const backend = flag('backend', 'wasm') as 'wasm' | 'cpu';
const python = flag('python', 'python3');
const fixture = flag('fixture', '');

await useNodeBackend(backend);
const text = readFileSync('corpus/tinyshakespeare.txt', 'utf8');
const tokenizer = buildTokenizer(text, { kind: 'char', vocabSize: 0 });
const tokens = Int32Array.from(tokenizer.encode(text));
const config = { ...MODEL_PRESETS.cpu, vocabSize: tokenizer.vocabSize };
const train = {
  ...TRAIN_PRESETS.cpu,
  seed,
  warmupSteps: Number(flag('warmup', String(TRAIN_PRESETS.cpu.warmupSteps))),
  decaySteps: Number(flag('decay', String(TRAIN_PRESETS.cpu.decaySteps))),
};
const data = splitTokens(tokens, config.blockSize);
const model = createGPT(config, seed);

const dir = mkdtempSync(path.join(tmpdir(), 'folio-compare-'));
let exitCode = 0;
try {
  const prefix = path.join(dir, 'folio');
  const manifest = [];
  const weights: Float32Array[] = [];
  let offset = 0;
  for (const p of model.named) {
    const values = p.variable.dataSync() as Float32Array;
    manifest.push({ name: p.name, shape: p.variable.shape, offset });
    weights.push(values);
    offset += values.length;
  }
  const bytes = (parts: ArrayBufferView[]) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  writeFileSync(`${prefix}.json`, JSON.stringify({ manifest, steps, seed }));
  writeFileSync(`${prefix}.weights.bin`, bytes(weights));
  writeFileSync(`${prefix}.tokens.bin`, bytes([tokens]));
  // The batches the Trainer will draw, step by step (the same call it makes).
  const batches: Int32Array[] = [];
  for (let s = 0; s < steps; s++) {
    const b = getBatch(data.train, train.batchSize, config.blockSize, seed, s);
    batches.push(b.x, b.y);
  }
  writeFileSync(`${prefix}.batches.bin`, bytes(batches));

  const script = path.join('tests', 'bench', 'pytorch_reference.py');
  const args = [script, 'train', '--folio', prefix, '--steps', String(steps), '--bias', '1', '--gelu', 'tanh', '--log', '1', '--threads', '1'];
  args.push('--warmup', String(train.warmupSteps), '--decay', String(train.decaySteps));
  process.stderr.write(`PyTorch: ${python} ${args.join(' ')}\n`);
  const py = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (py.status !== 0) throw new Error(`PyTorch run failed (${py.status}): ${py.stderr.slice(-2000)}`);
  const pyLines = py.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step?: number; loss?: number; gradNorm?: number; final?: boolean; valFull?: number });
  const perStep = pyLines.filter((l) => l.step);
  const pyLoss = new Map(perStep.map((l) => [l.step!, l.loss!]));
  const pyFinal = pyLines.find((l) => l.final);
  if (fixture) {
    const { warmupSteps, decaySteps } = train;
    const body = {
      about: "PyTorch (tests/bench/pytorch_reference.py) trained from Folio's initial weights on Folio's batches: cpu preset, char-level Tiny Shakespeare",
      torch: spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim(),
      seed,
      steps,
      warmupSteps,
      decaySteps,
      losses: perStep.map((l) => l.loss),
      gradNorms: perStep.map((l) => l.gradNorm),
    };
    writeFileSync(fixture, JSON.stringify(body, null, 1) + '\n');
    console.log(`wrote ${fixture}`);
  }

  const trainer = new Trainer(model, data, train);
  let worst = 0;
  for (let s = 1; s <= steps; s++) {
    trainer.trainStep();
    const [point] = await trainer.readLosses();
    const theirs = pyLoss.get(s)!;
    worst = Math.max(worst, Math.abs(point!.loss - theirs));
    if (s <= 5 || s % Math.max(1, Math.floor(steps / 10)) === 0) {
      console.log(`step ${s}: Folio ${point!.loss.toFixed(5)}  PyTorch ${theirs.toFixed(5)}  Δ ${(point!.loss - theirs).toExponential(1)}`);
    }
  }
  const folioFull = await trainer.evaluateFull(data.val);
  console.log(`largest |Δ loss| over ${steps} steps: ${worst.toExponential(2)}`);
  console.log(`val over the whole split: Folio ${folioFull.toFixed(4)}  PyTorch ${pyFinal?.valFull?.toFixed(4)}`);
  trainer.dispose();
} catch (e) {
  console.error((e as Error).message);
  exitCode = 1;
} finally {
  disposeGPT(model);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

/**
 * `npm run finetune -- --lora R` end to end on a GPT-2-layout folder (GPT-2's real vocabulary,
 * small random weights; no internet): DPO trains the adapters alone (the cost meter reading it
 * on a corpus), the PEFT folder is
 * written, `predict --adapter` reads it back, the `--merge` folder (a full GPT-2 folder)
 * predicts the same, and an independent numpy GPT-2 applying PEFT's own merge rule to the
 * base folder and the adapter files (tests/python/check_gpt2_numpy.py) agrees with both.
 * Bad LoRA options: one line on stderr, exit 2.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers';
import { tempDir } from '../tempDir';
import { writeGpt2Folder } from '../gpt2Fixture';

const tmp = tempDir('loracli');
const FOX = 'The quick brown fox jumps over the lazy';
const python = process.env.FOLIO_PYTHON ?? 'python3';
const hasNumpy = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

const run = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', path.join(root, 'src', 'cli', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

type Prediction = { ids: number[]; tokens: { id: number; token: string; p: number }[] };

function predict(args: string[]): Prediction {
  const r = run('predict.ts', [...args, '--prompt', FOX, '--json', '--top', '10', '--backend', 'wasm']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Prediction;
}

function numpyTop(dir: string, ids: number[], adapter?: string): { id: number; p: number }[] {
  const r = spawnSync(python, [path.join(root, 'tests/python/check_gpt2_numpy.py'), dir, '--ids', ids.join(','), ...(adapter ? ['--adapter', adapter] : [])], {
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: number; p: number }[];
}

describe('npm run finetune -- --lora R', () => {
  it('DPO on adapters: a PEFT folder predict reads back, a merged folder that agrees, and numpy with PEFT’s rule agrees too', () => {
    const base = path.join(tmp, 'base');
    writeGpt2Folder(base, { seed: 21, nLayer: 2, nEmbd: 32, nHead: 2 });
    const baseBytes = readFileSync(path.join(base, 'model.safetensors'));
    const data = path.join(tmp, 'pairs.jsonl');
    const pairs = ['The quick brown fox jumps over the lazy', 'The quick red fox jumps over the lazy', 'A quick brown fox leaps over the lazy'];
    writeFileSync(data, pairs.map((prompt) => JSON.stringify({ prompt, chosen: ' cat', rejected: ' dog' })).join('\n') + '\n');
    const [adapters, merged] = [path.join(tmp, 'adapters'), path.join(tmp, 'merged')];
    const r = run('finetune.ts', [
      ...['--checkpoint', base, '--method', 'dpo', '--data', data, '--steps', '10', '--out', adapters, '--merge', merged],
      ...['--lora', '4', '--lora-targets', 'c_attn,c_proj', '--lr', '0.01', '--keep', 'no', '--corpus', 'corpus/fox.txt', '--seed', '1', '--backend', 'wasm'],
    ]);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/LoRA r 4, α 8 on c_attn, attn.c_proj, mlp.c_proj: 2816 trainable numbers/);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; loss: number; rewardMargin: number; costKl?: number });
    expect(lines.at(-1)!.step).toBe(10);
    expect(lines.at(-1)!.rewardMargin).toBeGreaterThan(0); // cat over dog, against the reference
    expect(lines.at(-1)!.costKl).toBeGreaterThan(0); // the cost meter, on fox.txt windows the pairs do not touch
    expect(readFileSync(path.join(base, 'model.safetensors')).equals(baseBytes)).toBe(true);
    const config = JSON.parse(readFileSync(path.join(adapters, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: 'LORA',
      r: 4,
      lora_alpha: 8,
      target_modules: ['c_attn', 'c_proj'],
      fan_in_fan_out: true,
      base_model_name_or_path: base,
    });

    const plain = predict(['--checkpoint', base]);
    const tuned = predict(['--checkpoint', base, '--adapter', adapters]);
    const full = predict(['--checkpoint', merged]);
    const pOf = (x: Prediction, id: number) => x.tokens.find((t) => t.id === id)?.p;
    expect(tuned.tokens.map((t) => t.id)).toEqual(full.tokens.map((t) => t.id));
    for (const t of tuned.tokens) expect(Math.abs(pOf(full, t.id)! - t.p)).toBeLessThan(1e-5);
    expect(tuned.tokens.some((t) => Math.abs((pOf(plain, t.id) ?? 0) - t.p) > 1e-6)).toBe(true); // the adapter moved something
    if (!hasNumpy) return;
    for (const { id, p } of numpyTop(base, tuned.ids, adapters)) expect(Math.abs((pOf(tuned, id) ?? 0) - p)).toBeLessThan(1e-5);
  }, 240_000);

  it('says what is wrong with LoRA options in one line', () => {
    const base = path.join(tmp, 'bad');
    writeGpt2Folder(base, { seed: 22 });
    const common = ['--checkpoint', base, '--method', 'dpo', '--data', 'x.jsonl', '--steps', '1', '--out', path.join(tmp, 'o')];
    for (const [extra, message] of [
      [['--lora', '0'], /LoRA rank must be a whole number from 1 to 256/],
      [['--lora', '4', '--lora-targets', 'q_proj'], /"q_proj" is not a projection LoRA can adapt/],
      [['--lora-alpha', '8'], /need --lora R/],
      [['--merge', path.join(tmp, 'm')], /give --lora R too/],
    ] as const) {
      const r = run('finetune.ts', [...common, ...extra]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const p = run('predict.ts', ['--checkpoint', base, '--adapter', path.join(tmp, 'none'), '--prompt', FOX]);
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/adapter_config.json not found/);
  }, 120_000);
});

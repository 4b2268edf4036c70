import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers';
import { tempDir } from '../tempDir';

/** A CLI script as `npm run` starts it (package.json's node flags; the tsx binary would start a second node process each time). */
const run = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', path.join(root, 'src', 'cli', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('CLI', () => {
  const tmp = tempDir('cli');
  const out = path.join(tmp, 'ckpt');

  it('trains, prints one JSON line per log step, saves; predict reads it back', () => {
    const t = run('train.ts', [
      '--corpus',
      'corpus/fox.txt',
      '--preset',
      'nano',
      '--tokenizer',
      'word',
      '--vocab',
      '200',
      '--steps',
      '20',
      '--seed',
      '1',
      '--batch',
      '4',
      '--out',
      out,
      // wasm, the CLI's default (cpu took ~4× as long for the same 20 steps); predict reads the checkpoint on cpu below.
      '--backend',
      'wasm',
    ]);
    expect(t.err).not.toMatch(/^\s+at /m);
    expect(t.code).toBe(0);
    const lines = t.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([10, 20]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['step', 'trainLoss', 'lr', 'tokensPerSec']));
      expect(l.trainLoss).toBeGreaterThan(0);
    }
    expect(lines[1].valLoss).toBeGreaterThan(0); // evaluated at the last step
    expect(lines[1].trainLoss).toBeLessThan(lines[0].trainLoss);
    // Bits per character beside each loss, through each split's characters per token (said on stderr).
    const cpt = (split: string) => Number(t.err.match(new RegExp(`([\\d.]+) characters per ${split} token`))?.[1]);
    expect(cpt('val')).toBeGreaterThan(1); // words: several characters a token
    expect(lines[1].valBpc).toBeCloseTo(lines[1].valLoss / (cpt('val') * Math.LN2), 3);
    expect(lines[0].trainBpc).toBeCloseTo(lines[0].trainLoss / (cpt('train') * Math.LN2), 3);

    const p = run('predict.ts', ['--checkpoint', out, '--prompt', 'The quick brown fox jumps over the lazy', '--top', '3', '--backend', 'cpu']);
    expect(p.code).toBe(0);
    const r = JSON.parse(p.out);
    expect(r.tokens).toHaveLength(3);
    expect(r.tokens[0]).toEqual({ id: expect.any(Number), token: expect.any(String), p: expect.any(Number) });
    expect(r.words.length).toBeGreaterThan(0);
    expect(r.words.reduce((s: number, w: { p: number }) => s + w.p, 0)).toBeLessThanOrEqual(1);
  });

  it.each([
    [['--corpus', 'corpus/fox.txt'], /Missing --out/],
    [['--corpus', 'nope.txt', '--out', out], /Corpus file not found: nope.txt/],
    [['--corpus', 'corpus/fox.txt', '--out', out, '--preset', 'huge'], /--preset must be one of tiny, nano, cpu, baby/],
    [['--corpus', 'corpus/fox.txt', '--out', out, '--steps', '-3'], /--steps must be a whole number/],
    [['--corpus', 'corpus/fox.txt', '--out', out, '--tokenizer', 'bpe', '--vocab', '5'], /smaller than the corpus/],
    [['--corpus', 'corpus/fox.txt', '--out', out, '--colour', 'red'], /Unknown option --colour/],
  ])('train %j exits non-zero with one line, no stack trace', (args, msg) => {
    const r = run('train.ts', args);
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(msg);
  });

  it('rejects a bad corpus file with the reason', () => {
    const bad = path.join(tmp, 'utf16.txt');
    writeFileSync(bad, Buffer.from('\ufeffhello world', 'utf16le'));
    const r = run('train.ts', ['--corpus', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: .*UTF-16/);
  });

  it('predict without a checkpoint says so', () => {
    const r = run('predict.ts', ['--checkpoint', path.join(tmp, 'none'), '--prompt', 'hi']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no checkpoint/);
  });
});

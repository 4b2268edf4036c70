/**
 * Folio's WGSL kernels in real Chromium on WebGPU (SwiftShader here): the GEMM with GELU
 * folded in (kernels/webgpu/gemm.ts) in every variant the MLP uses, the MLP half, LayerNorm
 * and column sums (kernels/webgpu/rows.ts) with their gradients, equal stock tfjs ops on
 * the same backend to 1e-4, with no tensor leaked; and a forward pass after a KV cache
 * equals the full pass.
 *
 * And the whole-step engine (train/webgpu/, kernels/webgpu/step/): 20 dispatches a layer + 11;
 * the same losses, norms, weights and AdamW moments as the same run through tfjs op by op on
 * WebGPU; a snapshot kept whole by the steps after it and restored; 5 backend reads in 50
 * steps read every 10; and 50 steps equal to wasm's, loss for loss.
 */
import { describe, expect, it } from 'vitest';
import { devPages } from './chromium';

const { url, browser } = devPages({ webgpu: true });

describe('the WebGPU kernels', () => {
  it('GEMM matches stock matMul (+ bias, GELU on A, GELU′ on the output) on and off the tile grid; geluLinear, layerNorm and sumRows match autodiff and stock ops', async () => {
    const page = await browser().newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // WebGPU reports invalid shaders and pipelines on the console, not as exceptions.
    page.on('console', (m) => m.type() === 'error' && !/favicon|Failed to load resource/.test(m.text()) && errors.push(m.text()));
    await page.goto(`${url()}tests/browser/kernels.html`);
    await page.waitForFunction(() => window.folioKernels?.ready === true);
    const r = await page.evaluate(() => window.folioKernels.run());
    await page.close();
    expect(r.backend).toBe('webgpu');
    expect(r.registered).toBe(true);
    expect(r.cases.length).toBe(4 * 7 + 2 * 4 + 3 * 4 + 2 + 2); // … + the KV cache's two
    console.log(`worst relative error over ${r.cases.length} cases: ${Math.max(...r.cases.map((c) => c.error)).toExponential(2)}`);
    const bad = r.cases.filter((c) => !(c.error <= 1e-4));
    expect(bad).toEqual([]);
    expect(r.leaked).toBe(0);
    expect(errors).toEqual([]);
  }, 240_000);

  it('the whole step: 20 dispatches a layer + 11, as tfjs op by op computes; snapshots kept; 5 reads in 50 steps; 50 steps equal to wasm', async () => {
    const page = await browser().newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/favicon|Failed to load resource/.test(m.text()) && errors.push(m.text()));
    await page.goto(`${url()}tests/browser/wholeStep.html`);
    await page.waitForFunction(() => window.folioWholeStep?.ready === true);
    const r = await page.evaluate(() => window.folioWholeStep.run('tiny', 50));
    await page.close();
    expect(r.kernels).toBe(20 * r.layers + 11);
    const close = (a: number[], b: number[], tol: number) => a.every((x, i) => Math.abs(x - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)));
    const e = r.enginePath;
    expect(e.losses).toHaveLength(3);
    expect(close(e.losses, e.tfjsLosses, 1e-5)).toBe(true);
    expect(close(e.norms, e.tfjsNorms, 1e-4)).toBe(true);
    // Adam turns a gradient's last bits into a whole step where the gradient is ~0 (the key
    // biases: softmax ignores them), so weights may differ by ~lr·1e-3 where the losses do not.
    expect(e.weightDiff).toBeLessThan(1e-4);
    expect(e.momentDiff).toBeLessThan(1e-6);
    expect(r.snapshot.snapshotDiff).toBe(0);
    expect(Math.abs(r.snapshot.again - r.snapshot.loss)).toBeLessThan(1e-6);
    expect(r.reads).toBe(5);
    const worst = Math.max(...r.webgpuLosses.map((l, i) => Math.abs(l - r.wasmLosses[i]!)));
    console.log(`50 steps, WebGPU (whole step) against wasm: worst loss difference ${worst.toExponential(2)}`);
    expect(r.webgpuLosses).toHaveLength(50);
    expect(worst).toBeLessThan(1e-4);
    expect(r.leaked).toBe(0);
    expect(errors).toEqual([]);
  }, 600_000);
});

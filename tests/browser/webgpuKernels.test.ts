/**
 * Folio's WGSL kernels in real Chromium on WebGPU (SwiftShader here): the GEMM with GELU
 * folded in (kernels/webgpu/gemm.ts) in every variant the MLP uses, the MLP half, LayerNorm
 * and column sums (kernels/webgpu/rows.ts) with their gradients, equal stock tfjs ops on
 * the same backend to 1e-4, with no tensor leaked; and a forward pass after a KV cache
 * equals the full pass.
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
});

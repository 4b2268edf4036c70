/**
 * `FolioTableProduct`: x·Wᵀ against a tall table W read where it lies — the tied head of a
 * model with a large vocabulary (GPT-2: W is the 50,257 × 768 token embedding, 147 MB).
 *
 * Why: `mm(x, W, false, true)` made an explicit transposed copy of W on every call (the
 * wasm backends' matMul is only fast without transpose flags), then handed the copy to
 * XNNPACK, which packs its weights again for every new tensor: for GPT-2 ~150 ms of a
 * ~220 ms forward pass, and a 147 MB allocation each time (four per LoRA DPO step).
 * Here the product is turned around: Cᵀ = W·xᵀ, with W as the left operand of Folio's tiled
 * kernel (asm/matmul.ts), read in place, and xᵀ — small: a few rows of x — as the right one;
 * the result is transposed back block by block. The kernel's sums run in the same order as
 * on a transposed copy (one fused multiply-add per k, k ascending), so nothing changes but
 * the time. The last N mod 4 rows of W (the kernel takes rows in fours) are dot products in
 * JavaScript.
 *
 * Not for products where W is not much taller than x is long (`canTableProduct`): there a
 * transposed copy costs less than the product, and the usual path is as fast. No gradient:
 * model/ops.ts's `mm` calls it inside hand-written gradients and forward passes.
 */
import { has } from '../has';
import { gemmPool } from '../threads/gemmThreads';
import { wasmKernel } from './kernels';

export const TABLE_PRODUCT = 'FolioTableProduct';

/** At most this many floats per product handed to the helper threads (128 MB of their shared memory, which may grow to 512 MiB). */
const THREADED_FLOATS = 1 << 25;
/** Rows of W per call of the kernel on one thread: ~200 KB of W at C = 768, read once per 8 rows of x while it stays in cache. */
const ROWS_PER_BLOCK = 64;

/**
 * Whether x·Wᵀ (x (…, M, K), W (N, K)) should run on FolioTableProduct: a float32 table
 * at least 16 times taller than x has rows, and big enough (≥ 1 M floats) that copying it costs.
 */
export function canTableProduct(a: readonly number[], b: readonly number[]): boolean {
  if (b.length !== 2 || a.length < 2 || a[a.length - 1] !== b[1]) return false;
  const M = a.slice(0, -1).reduce((x, y) => x * y, 1);
  return b[0]! >= 16 * M && b[0]! * b[1]! >= 1 << 20 && b[0]! >= 4 && has(TABLE_PRODUCT);
}

export const tableProductConfig = wasmKernel(TABLE_PRODUCT, ({ a, b }, _attrs, { k, be, at, out, view }) => {
  const K = a!.shape[a!.shape.length - 1]!;
  const M = a!.shape.reduce((x, y) => x * y, 1) / K;
  const N = b!.shape[0]!;
  const M8 = Math.ceil(M / 8) * 8; // the kernel's columns come in eights: xᵀ padded with zeros
  const N4 = N - (N % 4);
  // Many rows of x (a fine-tuning batch): the product is worth the helper threads, which take
  // W in blocks of up to 128 MB. A few (a prediction): one thread, W in blocks that stay in cache.
  const pool = gemmPool();
  const threaded = pool?.worthIt({ G: 1, M: N4, K, N: M8 }) === true;
  const fit = Math.floor((THREADED_FLOATS - K * M8) / (K + M8) / 4) * 4; // rows of W whose block, xᵀ and result fit the helpers' memory
  const R = Math.min(N4, threaded ? Math.max(4, fit) : ROWS_PER_BLOCK);
  // Outputs first, then views: growing the heap detaches views taken before.
  const o = out([...a!.shape.slice(0, -1), N]);
  const xt = out([K, M8]); // scratch: xᵀ, padded
  const ct = out([R, M8]); // scratch: a block of rows of Cᵀ
  const c = out([M8, R]); // scratch: the same block transposed back
  const [X, W, XT, CB, O] = [view(a!), view(b!), view(xt), view(c), view(o)];
  XT.fill(0);
  for (let m = 0; m < M; m++) for (let kk = 0; kk < K; kk++) XT[kk * M8 + m] = X[m * K + kk]!;
  for (let r0 = 0; r0 < N4; r0 += R) {
    const rows = Math.min(R, N4 - r0); // a multiple of 4
    const product = { a: at(b!) + 4 * r0 * K, b: at(xt), c: at(ct), bias: 0, G: 1, M: rows, K, N: M8, transposeA: false }; // (rows, M8) = W[r0…]·xᵀ
    if (threaded) pool!.run(O.buffer as ArrayBuffer, product);
    else k.batchMatMul(product.a, product.b, product.c, 0, 1, rows, K, M8, 4 * K, 4);
    k.transpose(at(ct), at(c), 1, rows, M8); // (M8, rows)
    for (let m = 0; m < M; m++) O.set(CB.subarray(m * rows, (m + 1) * rows), m * N + r0);
  }
  for (let n = N4; n < N; n++) {
    for (let m = 0; m < M; m++) {
      let acc = 0; // in double, rounded once: as close to the kernel's fused multiply-adds as JavaScript gets
      for (let kk = 0; kk < K; kk++) acc += X[m * K + kk]! * W[n * K + kk]!;
      O[m * N + n] = acc;
    }
  }
  const scratch = be as unknown as { disposeData(dataId: object): void }; // tfjs-wasm's own: frees the heap block
  for (const s of [xt, ct, c]) scratch.disposeData(s.dataId);
  return o;
});

/**
 * Kernels Folio registers with tfjs's kernel registry for the wasm backend, where the
 * stock set falls short:
 *
 * - `FolioBatchMatMul`: batched products (attention) on the SIMD kernel of wasmModule.ts,
 *   ~20× the stock kernel's scalar loop.
 * - `FolioAdamW`: the optimizer update (kernels/adamw.ts) on the same module's f32x4
 *   loop, ~1.4 ms for 0.8 M weights against ~30 ms as ~600 stock kernels.
 * - `UnsortedSegmentSum`: missing from tfjs-backend-wasm 4.22. It is `tf.gather`'s
 *   gradient, so without it an embedding cannot train with a plain gather on wasm.
 *
 * Both run on data in the backend's heap. Importing this file registers them; nothing
 * here touches the page or the DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAMW, update, type AdamWAttrs, type AdamWInputs } from './adamw';
import { gemmPool } from './gemmThreads';
import { instantiateKernels, type KernelModule } from './wasmModule';

export const BATCH_MATMUL = 'FolioBatchMatMul';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function heapOf(backend: WasmBackendLike): WebAssembly.Memory {
  return (backend.wasm.asm?.memory ?? backend.wasm.wasmMemory)!;
}

let kernels: KernelModule | null | undefined;
let kernelsFor: WasmBackendLike | undefined;

/** Our SIMD module, instantiated over this backend's heap (null if it cannot be). */
function kernelModule(backend: WasmBackendLike): KernelModule | null {
  if (kernelsFor !== backend) {
    kernelsFor = backend;
    const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
    // The threaded build's heap is a shared memory; the module imports a plain one.
    const usable = memory instanceof WebAssembly.Memory && !(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer);
    kernels = usable ? instantiateKernels(memory) : null;
  }
  return kernels ?? null;
}

/**
 * Whether `FolioBatchMatMul` can run op(a)·b for these stored shapes on the current
 * backend (op(a) = aᵀ over the last two axes when transposeA).
 */
export function canBatchMatMul(a: readonly number[], b: readonly number[], transposeA = false): boolean {
  if (tf.getBackend() !== 'wasm' || a.length < 2 || a.length !== b.length) return false;
  const r = a.length;
  const [M, K] = transposeA ? [a[r - 1]!, a[r - 2]!] : [a[r - 2]!, a[r - 1]!];
  const N = b[r - 1]!;
  if (b[r - 2] !== K || M % 4 !== 0 || N % 8 !== 0) return false;
  for (let i = 0; i < r - 2; i++) if (a[i] !== b[i]) return false; // no broadcasting
  return kernelModule(tf.backend() as unknown as WasmBackendLike) !== null;
}

/**
 * op(a)·b (+ bias over the last axis) on Folio's SIMD kernel. Check `canBatchMatMul`
 * first. No gradient: ops.ts calls it inside hand-written gradients.
 */
export function batchMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, bias?: tf.Tensor): tf.Tensor {
  const inputs: tf.NamedTensorMap = bias ? { a, b, bias } : { a, b };
  return tf.engine().runKernel(BATCH_MATMUL, inputs, { transposeA }) as tf.Tensor;
}

tf.registerKernel({
  kernelName: BATCH_MATMUL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
    const transposeA = (attrs as { transposeA?: boolean }).transposeA === true;
    const r = a.shape.length;
    const [M, K] = transposeA ? [a.shape[r - 1]!, a.shape[r - 2]!] : [a.shape[r - 2]!, a.shape[r - 1]!];
    const N = b.shape[r - 1]!;
    const G = a.shape.slice(0, r - 2).reduce((x, y) => x * y, 1);
    const out = be.makeOutput([...a.shape.slice(0, r - 2), M, N], 'float32');
    const k = kernelModule(be)!;
    const at = (t: tf.TensorInfo) => be.dataIdMap.get(t.dataId)!.memoryOffset;
    const pool = gemmPool();
    if (pool?.worthIt({ G, M, K, N })) {
      // several cores (gemmThreads.ts): same kernel, same sums, split across threads
      pool.run(heapOf(be).buffer, { a: at(a), b: at(b), c: at(out), bias: bias ? at(bias) : 0, G, M, K, N, transposeA });
      return out;
    }
    const [aRow, aK] = transposeA ? [4, 4 * M] : [4 * K, 4];
    k.batchMatMul(at(a), at(b), at(out), bias ? at(bias) : 0, G, M, K, N, aRow, aK);
    return out;
  },
});

tf.registerKernel({
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const numSegments = (attrs as { numSegments: number }).numSegments;
    if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm: float32 only, got ${x.dtype}.`);
    const rows = segmentIds.shape.reduce((p, q) => p * q, 1);
    const width = x.shape.slice(segmentIds.shape.length).reduce((p, q) => p * q, 1);
    const out = be.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
    // Views after makeOutput: allocating may grow the heap and detach older views.
    const src = be.typedArrayFromHeap(x) as Float32Array;
    const ids = be.typedArrayFromHeap(segmentIds) as Int32Array;
    const dst = be.typedArrayFromHeap(out) as Float32Array;
    dst.fill(0);
    for (let r = 0; r < rows; r++) {
      const id = ids[r]!;
      if (id < 0 || id >= numSegments) continue; // as TensorFlow: out-of-range ids are dropped
      const s = r * width;
      const d = id * width;
      for (let c = 0; c < width; c++) dst[d + c]! += src[s + c]!;
    }
    return out;
  },
});

tf.registerKernel({
  kernelName: ADAMW,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { param, grad, m, v, scale } = inputs as unknown as AdamWInputs;
    const a = attrs as unknown as AdamWAttrs;
    const outs = [be.makeOutput(param.shape, 'float32'), be.makeOutput(param.shape, 'float32'), be.makeOutput(param.shape, 'float32')];
    const view = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array; // after allocating (heap growth detaches views)
    const s = view(scale)[0]!;
    const n = param.shape.reduce((x, y) => x * y, 1);
    const k = kernelModule(be);
    const done = k ? n - (n % 4) : 0;
    if (k && done > 0) {
      const at = (t: tf.TensorInfo) => be.dataIdMap.get(t.dataId)!.memoryOffset;
      k.adamw(at(param), at(grad), at(m), at(v), at(outs[0]!), at(outs[1]!), at(outs[2]!), done / 4, s, a.beta1, a.beta2, a.c1, a.c2, a.epsilon, a.lr, a.decay);
    }
    if (done < n) {
      // the last n % 4 weights (or all of them without the module), in JavaScript
      const tail = (t: tf.TensorInfo) => view(t).subarray(done);
      update(tail(param), tail(grad), tail(m), tail(v), s, a, [tail(outs[0]!), tail(outs[1]!), tail(outs[2]!)]);
    }
    return outs;
  },
});

export const SUM_ROWS = 'FolioSumRows';
export const SQUARED_NORM = 'FolioSquaredNorm';
export const LAYER_NORM = 'FolioLayerNorm';
export const LAYER_NORM_GRAD = 'FolioLayerNormGrad';

/** Whether the row-wise kernels (sums, LayerNorm) can take rows of `width` floats here. */
export function canRowKernels(width: number): boolean {
  return tf.getBackend() === 'wasm' && width % 4 === 0 && width > 0 && kernelModule(tf.backend() as unknown as WasmBackendLike) !== null;
}

const offsetOf = (be: WasmBackendLike, t: tf.TensorInfo) => be.dataIdMap.get(t.dataId)!.memoryOffset;
const rowsOf = (t: tf.TensorInfo) => {
  const C = t.shape[t.shape.length - 1]!;
  return [t.shape.reduce((a, b) => a * b, 1) / C, C] as const;
};

// Σ over rows (axis 0) of a (R, C) tensor: bias and LayerNorm gradients.
tf.registerKernel({
  kernelName: SUM_ROWS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { x } = inputs as { x: tf.TensorInfo };
    const [R, C] = rowsOf(x);
    const out = be.makeOutput([C], 'float32');
    kernelModule(be)!.sumRows(offsetOf(be, x), offsetOf(be, out), R, C);
    return out;
  },
});

// Σ g² over every input: the global gradient norm for clipping, one call per step.
tf.registerKernel({
  kernelName: SQUARED_NORM,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const out = be.makeOutput([], 'float32');
    const k = kernelModule(be)!;
    let total = 0;
    for (const t of Object.values(inputs) as tf.TensorInfo[]) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      const quads = Math.floor(n / 4);
      total += k.sumSquares(offsetOf(be, t), quads);
      if (quads * 4 < n) {
        const tail = (be.typedArrayFromHeap(t) as Float32Array).subarray(quads * 4);
        for (const v of tail) total += v * v;
      }
    }
    (be.typedArrayFromHeap(out) as Float32Array)[0] = total;
    return out;
  },
});

tf.registerKernel({
  kernelName: LAYER_NORM,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { x, g, b } = inputs as { x: tf.TensorInfo; g: tf.TensorInfo; b: tf.TensorInfo };
    const eps = (attrs as { eps: number }).eps;
    const [R, C] = rowsOf(x);
    const [y, xhat, rstd] = [be.makeOutput(x.shape, 'float32'), be.makeOutput(x.shape, 'float32'), be.makeOutput([R, 1], 'float32')];
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    kernelModule(be)!.layerNorm(at(x), at(g), at(b), at(y), at(xhat), at(rstd), R, C, 1 / C, eps);
    return [y, xhat, rstd];
  },
});

tf.registerKernel({
  kernelName: LAYER_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { dy, xhat, rstd, g } = inputs as { dy: tf.TensorInfo; xhat: tf.TensorInfo; rstd: tf.TensorInfo; g: tf.TensorInfo };
    const [R, C] = rowsOf(dy);
    const [dx, dg, db] = [be.makeOutput(dy.shape, 'float32'), be.makeOutput([C], 'float32'), be.makeOutput([C], 'float32')];
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    kernelModule(be)!.layerNormGrad(at(dy), at(xhat), at(rstd), at(g), at(dx), at(dg), at(db), R, C, 1 / C);
    return [dx, dg, db];
  },
});

export const GELU_ARG = 'FolioGeluArg';
export const GELU_GRAD = 'FolioGeluGrad';

// GELU's elementwise arithmetic (ops.ts): one pass each instead of ~5 and ~8 stock kernels.
tf.registerKernel({
  kernelName: GELU_ARG,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { x } = inputs as { x: tf.TensorInfo };
    const { c1, c2 } = attrs as { c1: number; c2: number };
    const out = be.makeOutput(x.shape, 'float32');
    kernelModule(be)!.geluArg(offsetOf(be, x), offsetOf(be, out), x.shape.reduce((a, b) => a * b, 1) / 4, c1, c2);
    return out;
  },
});

tf.registerKernel({
  kernelName: GELU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { dy, x, s } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; s: tf.TensorInfo };
    const { a, b } = attrs as { a: number; b: number };
    const dx = be.makeOutput(x.shape, 'float32');
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    kernelModule(be)!.geluGrad(at(dy), at(x), at(s), at(dx), x.shape.reduce((p, q) => p * q, 1) / 4, a, b);
    return dx;
  },
});

export const SPLIT_HEADS = 'FolioSplitHeads';
export const MERGE_HEADS = 'FolioMergeHeads';

/**
 * Moves between the rows of a linear layer, (B·T, P·C), and attention's per-head
 * layout: P tensors (q, k, v) of (B, heads, T, C/heads), in one pass. Stock ops need a
 * split and a transpose per part, or a 5-D transpose (23 ms on wasm for the `cpu` preset).
 * Each kernel's gradient is the other one (registered below).
 */
function moveHeads(flat: Float32Array, parts: Float32Array[], B: number, T: number, heads: number, hs: number, toHeads: boolean): void {
  const C = heads * hs;
  const P = parts.length;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * P * C;
      for (let p = 0; p < P; p++) {
        const part = parts[p]!;
        for (let h = 0; h < heads; h++) {
          const f = row + p * C + h * hs;
          const q = ((b * heads + h) * T + t) * hs;
          if (toHeads) for (let d = 0; d < hs; d++) part[q + d] = flat[f + d]!;
          else for (let d = 0; d < hs; d++) flat[f + d] = part[q + d]!;
        }
      }
    }
  }
}

type HeadAttrs = { B: number; T: number; P: number; heads: number };

tf.registerKernel({
  kernelName: SPLIT_HEADS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { x } = inputs as { x: tf.TensorInfo };
    const { B, T, P, heads } = attrs as unknown as HeadAttrs;
    const hs = x.shape[1]! / (P * heads);
    const outs = Array.from({ length: P }, () => be.makeOutput([B, heads, T, hs], 'float32'));
    const view = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
    moveHeads(view(x), outs.map(view), B, T, heads, hs, true);
    return outs;
  },
});

tf.registerKernel({
  kernelName: MERGE_HEADS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { B, T, P, heads } = attrs as unknown as HeadAttrs;
    const parts = Array.from({ length: P }, (_, p) => (inputs as Record<string, tf.TensorInfo>)[`x${p}`]!);
    const hs = parts[0]!.shape[3]!;
    const out = be.makeOutput([B * T, P * heads * hs], 'float32');
    const view = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
    moveHeads(view(out), parts.map(view), B, T, heads, hs, false);
    return out;
  },
});

tf.registerGradient({
  kernelName: SPLIT_HEADS,
  gradFunc: (dy, _saved, attrs) => {
    const dys = dy as tf.Tensor[];
    return { x: () => tf.engine().runKernel(MERGE_HEADS, Object.fromEntries(dys.map((d, p) => [`x${p}`, d])), attrs) as tf.Tensor };
  },
});

tf.registerGradient({
  kernelName: MERGE_HEADS,
  gradFunc: (dy, _saved, attrs) => {
    const { P } = attrs as unknown as HeadAttrs;
    let parts: tf.Tensor[] | undefined; // one split serves every input's gradient
    const part = (p: number) => () => (parts ??= tf.engine().runKernel(SPLIT_HEADS, { x: dy as tf.Tensor }, attrs) as tf.Tensor[])[p]!;
    return Object.fromEntries(Array.from({ length: P }, (_, p) => [`x${p}`, part(p)]));
  },
});

export const GATHER_ROWS = 'FolioGatherRows';

// Embedding lookup: rows of a (V, C) table by id. tfjs-wasm's GatherV2 took 5–10 ms for
// the `cpu` preset's 768 rows of 128 floats; a row copy each is ~0.1 ms.
tf.registerKernel({
  kernelName: GATHER_ROWS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as unknown as WasmBackendLike;
    const { table, ids } = inputs as { table: tf.TensorInfo; ids: tf.TensorInfo };
    const [V, C] = table.shape as [number, number];
    const N = ids.shape.reduce((a, b) => a * b, 1);
    const out = be.makeOutput([N, C], 'float32');
    const [src, idx, dst] = [be.typedArrayFromHeap(table) as Float32Array, be.typedArrayFromHeap(ids) as Int32Array, be.typedArrayFromHeap(out) as Float32Array];
    for (let r = 0; r < N; r++) {
      const id = idx[r]!;
      if (id < 0 || id >= V) throw new Error(`Token id ${id} is outside the vocabulary (0..${V - 1}).`);
      dst.set(src.subarray(id * C, id * C + C), r * C);
    }
    return out;
  },
});

// Its gradient: the scatter-add of dy's rows into the table's rows (UnsortedSegmentSum, above).
tf.registerGradient({
  kernelName: GATHER_ROWS,
  inputsToSave: ['table', 'ids'],
  gradFunc: (dy, saved) => {
    const [table, ids] = saved as [tf.Tensor, tf.Tensor];
    return { table: () => tf.unsortedSegmentSum(dy as tf.Tensor, ids as tf.Tensor1D, table.shape[0]!), ids: () => tf.zerosLike(ids) };
  },
});

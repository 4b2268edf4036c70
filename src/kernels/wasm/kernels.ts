/**
 * Kernels Folio registers with tfjs's kernel registry for the wasm backend, where the
 * stock set falls short:
 *
 * - `FolioBatchMatMul`: batched products (attention) on the SIMD kernel of module.ts,
 *   ~20× the stock kernel's scalar loop.
 * - `FolioAdamW`: the optimizer update (kernels/adamw.ts) on the same module's f32x4
 *   loop, ~1.4 ms for 0.8 M weights against ~30 ms as ~600 stock kernels.
 * - `UnsortedSegmentSum`: missing from tfjs-backend-wasm 4.22. It is `tf.gather`'s
 *   gradient, so without it an embedding cannot train with a plain gather on wasm.
 *
 * - `FolioSumRows`, `FolioSquaredNorm`, `FolioLayerNorm(Grad)`, `FolioGeluArg/Grad`:
 *   row-wise and elementwise SIMD passes that replace ~10 stock kernels each.
 * - `FolioSplitHeads` / `FolioMergeHeads`, `FolioGatherRows`: layout moves and the
 *   embedding lookup, one pass each, with registered gradients.
 *
 * All run on data in the backend's heap. Each is exported as a config (`wasmKernel`);
 * wasm/index.ts lists them and kernels/index.ts registers them. Nothing here touches the
 * page or the DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAMW, update, type AdamWAttrs, type AdamWInputs } from '../adamw';
import { gemmPool } from '../threads/gemmThreads';
import { has } from '../has';
import { instantiateKernels, type KernelModule } from './module';

export const BATCH_MATMUL = 'FolioBatchMatMul';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** tfjs-wasm's heap (Emscripten exports it as `asm.memory`; older builds as `wasmMemory`). */
function heapOf(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  return backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
}

let kernels: KernelModule | null | undefined;
let kernelsFor: WasmBackendLike | undefined;

/** Our SIMD module, instantiated over this backend's heap (null if it cannot be). */
function kernelModule(backend: WasmBackendLike): KernelModule | null {
  if (kernelsFor !== backend) {
    kernelsFor = backend;
    const memory = heapOf(backend);
    // The threaded build's heap is a shared memory; the module imports a plain one.
    const usable = memory instanceof WebAssembly.Memory && !(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer);
    kernels = usable ? instantiateKernels(memory) : null;
  }
  return kernels ?? null;
}

/** What a kernel body gets: the module, and heap addresses, views and outputs of tensors. */
interface WasmKernelContext {
  /** Null only where WebAssembly SIMD is missing; then the kernels that need it are not registered (SIMD_KERNELS). */
  k: KernelModule;
  hasModule: boolean;
  be: WasmBackendLike;
  /** The tensor's byte address in the heap. */
  at(t: tf.TensorInfo): number;
  /** A new float32 output. */
  out(shape: number[]): tf.TensorInfo;
  /** A view of the tensor's data (take views after making outputs: growing the heap detaches them). */
  view(t: tf.TensorInfo): Float32Array;
  size(t: tf.TensorInfo): number;
}

type Inputs = Record<string, tf.TensorInfo>;

/**
 * A kernel for the wasm backend whose body runs with a WasmKernelContext: its config, for
 * wasm/index.ts to list. Other files of kernels make theirs the same way.
 */
export function wasmKernel(
  kernelName: string,
  body: (inputs: Inputs, attrs: Record<string, unknown>, ctx: WasmKernelContext) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const be = backend as unknown as WasmBackendLike;
      const k = kernelModule(be);
      const ctx: WasmKernelContext = {
        k: k!,
        hasModule: k !== null,
        be,
        at: (t) => be.dataIdMap.get(t.dataId)!.memoryOffset,
        out: (shape) => be.makeOutput(shape, 'float32'),
        view: (t) => be.typedArrayFromHeap(t) as Float32Array,
        size: (t) => t.shape.reduce((a, b) => a * b, 1),
      };
      return body(inputs as Inputs, attrs as Record<string, unknown>, ctx);
    },
  };
}

/**
 * Whether `FolioBatchMatMul` can run op(a)·b for these stored shapes on the current
 * backend (op(a) = aᵀ over the last two axes when transposeA).
 */
export function canBatchMatMul(a: readonly number[], b: readonly number[], transposeA = false): boolean {
  if (!has(BATCH_MATMUL) || a.length < 2 || a.length !== b.length) return false;
  const r = a.length;
  const [M, K] = transposeA ? [a[r - 1]!, a[r - 2]!] : [a[r - 2]!, a[r - 1]!];
  const N = b[r - 1]!;
  if (b[r - 2] !== K || M % 4 !== 0 || N % 8 !== 0) return false;
  for (let i = 0; i < r - 2; i++) if (a[i] !== b[i]) return false; // no broadcasting
  return true;
}

/**
 * op(a)·b (+ bias over the last axis) on Folio's SIMD kernel. Check `canBatchMatMul`
 * first. No gradient: ops.ts calls it inside hand-written gradients.
 */
export function batchMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, bias?: tf.Tensor): tf.Tensor {
  const inputs: tf.NamedTensorMap = bias ? { a, b, bias } : { a, b };
  return tf.engine().runKernel(BATCH_MATMUL, inputs, { transposeA }) as tf.Tensor;
}

export const batchMatMulConfig = wasmKernel(BATCH_MATMUL, ({ a, b, bias }, attrs, { k, at, out, be }) => {
  const transposeA = attrs.transposeA === true;
  const r = a!.shape.length;
  const [M, K] = transposeA ? [a!.shape[r - 1]!, a!.shape[r - 2]!] : [a!.shape[r - 2]!, a!.shape[r - 1]!];
  const N = b!.shape[r - 1]!;
  const G = a!.shape.slice(0, r - 2).reduce((x, y) => x * y, 1);
  const c = out([...a!.shape.slice(0, r - 2), M, N]);
  const pool = gemmPool();
  if (pool?.worthIt({ G, M, K, N })) {
    // several cores (gemmThreads.ts): same kernel, same sums, split across threads
    pool.run(heapOf(be)!.buffer, { a: at(a!), b: at(b!), c: at(c), bias: bias ? at(bias) : 0, G, M, K, N, transposeA });
    return c;
  }
  const [aRow, aK] = transposeA ? [4, 4 * M] : [4 * K, 4];
  k.batchMatMul(at(a!), at(b!), at(c), bias ? at(bias) : 0, G, M, K, N, aRow, aK);
  return c;
});

export const unsortedSegmentSumConfig = wasmKernel('UnsortedSegmentSum', ({ x, segmentIds }, attrs, { be, out, view, size }) => {
  const numSegments = attrs.numSegments as number;
  if (x!.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm: float32 only, got ${x!.dtype}.`);
  const rows = size(segmentIds!);
  const rest = x!.shape.slice(segmentIds!.shape.length);
  const width = rest.reduce((p, q) => p * q, 1);
  const o = out([numSegments, ...rest]);
  const [src, ids, dst] = [view(x!), be.typedArrayFromHeap(segmentIds!) as Int32Array, view(o)];
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const id = ids[r]!;
    if (id < 0 || id >= numSegments) continue; // as TensorFlow: out-of-range ids are dropped
    const s = r * width;
    const d = id * width;
    for (let c = 0; c < width; c++) dst[d + c]! += src[s + c]!;
  }
  return o;
});

export const adamwConfig = wasmKernel(ADAMW, (inputs, attrs, { k, hasModule, at, out, view, size }) => {
  const { param, grad, m, v, scale } = inputs as unknown as AdamWInputs;
  const a = attrs as unknown as AdamWAttrs;
  const outs = [out(param.shape), out(param.shape), out(param.shape)] as const;
  const s = view(scale)[0]!;
  const n = size(param);
  const done = hasModule ? n - (n % 4) : 0;
  if (done > 0) {
    k.adamw(at(param), at(grad), at(m), at(v), at(outs[0]), at(outs[1]), at(outs[2]), done / 4, s, a.beta1, a.beta2, a.c1, a.c2, a.epsilon, a.lr, a.decay);
  }
  if (done < n) {
    // the last n % 4 weights (all of them without the module), in JavaScript
    const tail = (t: tf.TensorInfo) => view(t).subarray(done);
    update(tail(param), tail(grad), tail(m), tail(v), s, a, [tail(outs[0]), tail(outs[1]), tail(outs[2])]);
  }
  return [...outs];
});

export const SUM_ROWS = 'FolioSumRows';
export const SQUARED_NORM = 'FolioSquaredNorm';
export const LAYER_NORM = 'FolioLayerNorm';
export const LAYER_NORM_GRAD = 'FolioLayerNormGrad';

/** Whether the row-wise kernels (sums, LayerNorm) can take rows of `width` floats here. */
export function canRowKernels(width: number): boolean {
  return has(LAYER_NORM) && width % 4 === 0 && width > 0;
}

const rowsOf = (t: tf.TensorInfo) => {
  const C = t.shape[t.shape.length - 1]!;
  return [t.shape.reduce((a, b) => a * b, 1) / C, C] as const;
};

// Σ over rows (axis 0) of a (R, C) tensor: bias and LayerNorm gradients.
export const sumRowsConfig = wasmKernel(SUM_ROWS, ({ x }, _attrs, { k, at, out }) => {
  const [R, C] = rowsOf(x!);
  const o = out([C]);
  k.sumRows(at(x!), at(o), R, C);
  return o;
});

// Σ g² over every input: the global gradient norm for clipping, one call per step.
export const squaredNormConfig = wasmKernel(SQUARED_NORM, (inputs, _attrs, { k, hasModule, at, out, view, size }) => {
  const o = out([]);
  let total = 0;
  for (const t of Object.values(inputs)) {
    const n = size(t);
    const quads = hasModule ? Math.floor(n / 4) : 0;
    if (quads > 0) total += k.sumSquares(at(t), quads);
    for (const x of view(t).subarray(quads * 4)) total += x * x;
  }
  view(o)[0] = total;
  return o;
});

export const layerNormConfig = wasmKernel(LAYER_NORM, ({ x, g, b }, attrs, { k, at, out }) => {
  const [R, C] = rowsOf(x!);
  const [y, xhat, rstd] = [out(x!.shape), out(x!.shape), out([R, 1])];
  k.layerNorm(at(x!), at(g!), at(b!), at(y), at(xhat), at(rstd), R, C, 1 / C, attrs.eps as number);
  return [y, xhat, rstd];
});

export const layerNormGradConfig = wasmKernel(LAYER_NORM_GRAD, ({ dy, xhat, rstd, g }, _attrs, { k, at, out }) => {
  const [R, C] = rowsOf(dy!);
  const [dx, dg, db] = [out(dy!.shape), out([C]), out([C])];
  k.layerNormGrad(at(dy!), at(xhat!), at(rstd!), at(g!), at(dx), at(dg), at(db), R, C, 1 / C);
  return [dx, dg, db];
});

export const GELU_ARG = 'FolioGeluArg';
export const GELU_GRAD = 'FolioGeluGrad';

// GELU's elementwise arithmetic (ops.ts): one pass each instead of ~5 and ~8 stock kernels.
export const geluArgConfig = wasmKernel(GELU_ARG, ({ x }, attrs, { k, at, out, size }) => {
  const o = out(x!.shape);
  k.geluArg(at(x!), at(o), size(x!) / 4, attrs.c1 as number, attrs.c2 as number);
  return o;
});

export const geluGradConfig = wasmKernel(GELU_GRAD, ({ dy, x, s }, attrs, { k, at, out, size }) => {
  const dx = out(x!.shape);
  k.geluGrad(at(dy!), at(x!), at(s!), at(dx), size(x!) / 4, attrs.a as number, attrs.b as number);
  return dx;
});

export const SPLIT_HEADS = 'FolioSplitHeads';
export const MERGE_HEADS = 'FolioMergeHeads';

/**
 * Moves between the rows of a linear layer, (B·T, P·C), and attention's per-head
 * layout: P tensors (q, k, v) of (B, heads, T, C/heads), in one pass. Stock ops need a
 * split and a transpose per part, or a 5-D transpose (23 ms on wasm for the `cpu` preset).
 * Each kernel's gradient is the other one (the gradients below).
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

// With the SIMD module, 4 floats a move (asm/heads.ts): the `cpu` preset's 16 moves a step
// took ~0.3 ms each as the JavaScript loop.
export const splitHeadsConfig = wasmKernel(SPLIT_HEADS, ({ x }, attrs, { k, hasModule, at, out, view }) => {
  const { B, T, P, heads } = attrs as unknown as HeadAttrs;
  const hs = x!.shape[1]! / (P * heads);
  const outs = Array.from({ length: P }, () => out([B, heads, T, hs]));
  if (hasModule && hs % 4 === 0) outs.forEach((o, p) => k.splitHeads(at(x!), at(o), B, T, heads, hs, 4 * P * heads * hs, 4 * p * heads * hs));
  else moveHeads(view(x!), outs.map(view), B, T, heads, hs, true);
  return outs;
});

export const mergeHeadsConfig = wasmKernel(MERGE_HEADS, (inputs, attrs, { k, hasModule, at, out, view }) => {
  const { B, T, P, heads } = attrs as unknown as HeadAttrs;
  const parts = Array.from({ length: P }, (_, p) => inputs[`x${p}`]!);
  const hs = parts[0]!.shape[3]!;
  const o = out([B * T, P * heads * hs]);
  if (hasModule && hs % 4 === 0) parts.forEach((x, p) => k.mergeHeads(at(o), at(x), B, T, heads, hs, 4 * P * heads * hs, 4 * p * heads * hs));
  else moveHeads(view(o), parts.map(view), B, T, heads, hs, false);
  return o;
});

export const splitHeadsGradient: tf.GradConfig = {
  kernelName: SPLIT_HEADS,
  gradFunc: (dy, _saved, attrs) => {
    const dys = dy as tf.Tensor[];
    return { x: () => tf.engine().runKernel(MERGE_HEADS, Object.fromEntries(dys.map((d, p) => [`x${p}`, d])), attrs) as tf.Tensor };
  },
};

export const mergeHeadsGradient: tf.GradConfig = {
  kernelName: MERGE_HEADS,
  gradFunc: (dy, _saved, attrs) => {
    const { P } = attrs as unknown as HeadAttrs;
    let parts: tf.Tensor[] | undefined; // one split serves every input's gradient
    const part = (p: number) => () => (parts ??= tf.engine().runKernel(SPLIT_HEADS, { x: dy as tf.Tensor }, attrs) as tf.Tensor[])[p]!;
    return Object.fromEntries(Array.from({ length: P }, (_, p) => [`x${p}`, part(p)]));
  },
};

export const GATHER_ROWS = 'FolioGatherRows';

// Embedding lookup: rows of a (V, C) table by id. tfjs-wasm's GatherV2 took 5–10 ms for
// the `cpu` preset's 768 rows of 128 floats; a row copy each is ~0.1 ms.
export const gatherRowsConfig = wasmKernel(GATHER_ROWS, ({ table, ids }, _attrs, { be, out, view, size }) => {
  const [V, C] = table!.shape as [number, number];
  const N = size(ids!);
  const o = out([N, C]);
  const [src, idx, dst] = [view(table!), be.typedArrayFromHeap(ids!) as Int32Array, view(o)];
  for (let r = 0; r < N; r++) {
    const id = idx[r]!;
    if (id < 0 || id >= V) throw new Error(`Token id ${id} is outside the vocabulary (0..${V - 1}).`);
    dst.set(src.subarray(id * C, id * C + C), r * C);
  }
  return o;
});

// Its gradient: the scatter-add of dy's rows into the table's rows (UnsortedSegmentSum, above).
export const gatherRowsGradient: tf.GradConfig = {
  kernelName: GATHER_ROWS,
  inputsToSave: ['table', 'ids'],
  gradFunc: (dy, saved) => {
    const [table, ids] = saved as [tf.Tensor, tf.Tensor];
    return { table: () => tf.unsortedSegmentSum(dy as tf.Tensor, ids as tf.Tensor1D, table.shape[0]!), ids: () => tf.zerosLike(ids) };
  },
};

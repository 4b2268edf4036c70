/**
 * The KV cache's one layout move on wasm (predict/kvCache.ts): each new row's keys (or
 * values) are its parent row's cached ones followed by its own new positions.
 *
 *   past (N, nh, P, hs), rows (R) int32, x (R, nh, T, hs) → (R, nh, P+T, hs)
 *   out[r, h] = past[rows[r], h] then x[r, h]
 *
 * One pass of row copies, where tfjs-wasm's GatherV2 and Concat took two (and its
 * GatherV2 ~5 ms a call on a 4D cache). No gradient: predictions only.
 */
import * as tf from '@tensorflow/tfjs';

export const APPEND_PAST = 'FolioAppendPast';

interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export const WASM_CACHE_KERNELS: tf.KernelConfig[] = [
  {
    kernelName: APPEND_PAST,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { past, rows, x } = inputs as Record<'past' | 'rows' | 'x', tf.TensorInfo>;
      const be = backend as unknown as HeapBackend;
      const [N, nh, P, hs] = past.shape as [number, number, number, number];
      const [R, , T] = x.shape as [number, number, number, number];
      const o = be.makeOutput([R, nh, P + T, hs], 'float32'); // before the views: growing the heap detaches them
      const [src, idx, add, dst] = [be.typedArrayFromHeap(past), be.typedArrayFromHeap(rows) as Int32Array, be.typedArrayFromHeap(x), be.typedArrayFromHeap(o)];
      const [ps, xs, os] = [P * hs, T * hs, (P + T) * hs]; // one head's floats in each
      for (let r = 0; r < R; r++) {
        const from = idx[r]!;
        if (from < 0 || from >= N) throw new Error(`Cache row ${from} is outside 0..${N - 1}.`);
        for (let h = 0; h < nh; h++) {
          const at = (r * nh + h) * os;
          dst.set(src.subarray((from * nh + h) * ps, (from * nh + h + 1) * ps), at);
          dst.set(add.subarray((r * nh + h) * xs, (r * nh + h + 1) * xs), at + ps);
        }
      }
      return o;
    },
  },
];

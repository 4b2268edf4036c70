/**
 * Two wasm kernels for predictions with a KV cache (predict/kvCache.ts), where one new
 * position per row meets the cached ones:
 *
 * - `FolioAppendPast`: each new row's keys (or values) are its parent row's cached ones
 *   followed by its own new positions.
 *     past (N, nh, P, hs), rows (R) int32, x (R, nh, T, hs) → (R, nh, P+T, hs)
 *   One pass of row copies (0.02 ms), where tfjs-wasm's GatherV2 and Concat took ~20 ms.
 * - `FolioSmallMatMul`: batched products too small or oddly shaped for Folio's tiled
 *   kernel (one query row: q·kᵀ and att·v), b read transposed in place. tfjs-wasm runs
 *   these as a scalar loop after a 4D Transpose: ~1.5 + 1.7 ms a call for the `cpu`
 *   preset's beam, against ~0.1 ms here.
 *
 * No gradients: predictions only (ops.ts routes training's products elsewhere).
 */
import * as tf from '@tensorflow/tfjs';

export const APPEND_PAST = 'FolioAppendPast';
export const SMALL_MATMUL = 'FolioSmallMatMul';

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
  {
    kernelName: SMALL_MATMUL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { a, b } = inputs as Record<'a' | 'b', tf.TensorInfo>;
      const transposeB = (attrs as { transposeB?: boolean }).transposeB === true;
      const be = backend as unknown as HeapBackend;
      const r = a.shape.length;
      const [M, K] = [a.shape[r - 2]!, a.shape[r - 1]!];
      const N = transposeB ? b.shape[r - 2]! : b.shape[r - 1]!;
      const G = a.shape.slice(0, r - 2).reduce((x, y) => x * y, 1);
      const o = be.makeOutput([...a.shape.slice(0, r - 2), M, N], 'float32');
      const [A, B, C] = [be.typedArrayFromHeap(a), be.typedArrayFromHeap(b), be.typedArrayFromHeap(o)];
      for (let g = 0; g < G; g++) {
        const [a0, b0, c0] = [g * M * K, g * K * N, g * M * N];
        for (let m = 0; m < M; m++) {
          const ar = a0 + m * K;
          const cr = c0 + m * N;
          if (transposeB) {
            // b (N, K): each output is a dot product of two contiguous rows.
            for (let n = 0; n < N; n++) {
              const br = b0 + n * K;
              let acc = 0;
              for (let k = 0; k < K; k++) acc += A[ar + k]! * B[br + k]!;
              C[cr + n] = acc;
            }
          } else {
            // b (K, N): add a's weights times b's rows into the output row.
            C.fill(0, cr, cr + N);
            for (let k = 0; k < K; k++) {
              const w = A[ar + k]!;
              const br = b0 + k * N;
              for (let n = 0; n < N; n++) C[cr + n] = C[cr + n]! + w * B[br + n]!;
            }
          }
        }
      }
      return o;
    },
  },
];

/** Most multiply-adds a FolioSmallMatMul may do (beyond, tfjs's own kernels are no slower). */
const SMALL_MATMUL_MAX = 1 << 22;

/**
 * Whether a·op(b) (batched, same batch dims, no broadcasting) should run on FolioSmallMatMul:
 * small, and shaped so that Folio's tiled kernel (M a multiple of 4, N of 8) cannot take it.
 */
export function canSmallMatMul(a: readonly number[], b: readonly number[], transposeB: boolean, hasKernel: boolean): boolean {
  const r = a.length;
  if (!hasKernel || r < 3 || b.length !== r) return false;
  for (let i = 0; i < r - 2; i++) if (a[i] !== b[i]) return false;
  const [M, K] = [a[r - 2]!, a[r - 1]!];
  const [Kb, N] = transposeB ? [b[r - 1]!, b[r - 2]!] : [b[r - 2]!, b[r - 1]!];
  if (K !== Kb || (M % 4 === 0 && N % 8 === 0)) return false;
  return a.slice(0, r - 2).reduce((x, y) => x * y, 1) * M * N * K <= SMALL_MATMUL_MAX;
}

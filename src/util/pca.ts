/**
 * Principal component analysis by power iteration: the `k` directions along which a set
 * of points (rows) spreads the most, and each point's coordinates along them. Used to draw
 * token embeddings (vectors of 16–384 numbers) on a flat map.
 *
 * Plain numbers, no tfjs: v ← Xcᵀ(Xc·v), kept orthogonal to the components already found
 * (deflation by projection), never forming the d×d covariance. Seeded: the same points
 * give the same map. A component's sign is arbitrary in PCA; here it is pinned so maps
 * drawn one after another do not flip: the same sign as the `previous` component when
 * given (a redraw during training), else the sign that makes its largest entry positive.
 */
import { Rng } from './rng';

export interface PcaOptions {
  /** How many components (default 2). */
  k?: number;
  seed?: number;
  /** Most power iterations per component (default 300). */
  maxIterations?: number;
  /** Stop when the squared change of the direction falls below this (default 1e-12). */
  tolerance?: number;
  /** The components of an earlier map: the starting guesses, and the signs to keep. */
  previous?: Float64Array[];
}

export interface PcaResult {
  /** Unit vectors of length d, most variance first. */
  components: Float64Array[];
  /** Variance along each component (population variance: divided by n). */
  variances: number[];
  /** Total variance of the points (sum over all d directions). */
  totalVariance: number;
  /** n × k coordinates, row-major: point i is (projected[i·k], …, projected[i·k + k − 1]). */
  projected: Float64Array;
  mean: Float64Array;
}

/** PCA of `n` points of dimension `d`, given row-major in `rows`. */
export function pca(rows: ArrayLike<number>, n: number, d: number, opts: PcaOptions = {}): PcaResult {
  if (rows.length !== n * d) throw new Error(`pca: expected ${n}×${d} = ${n * d} numbers, got ${rows.length}`);
  const k = Math.min(opts.k ?? 2, d);
  const maxIt = opts.maxIterations ?? 300;
  const tol = opts.tolerance ?? 1e-12;
  const rng = new Rng(opts.seed ?? 1);

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  const x = new Float64Array(n * d); // centred
  let totalVariance = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = rows[i * d + j]! - mean[j]!;
      x[i * d + j] = c;
      totalVariance += (c * c) / Math.max(1, n);
    }
  }

  const components: Float64Array[] = [];
  const variances: number[] = [];
  const xv = new Float64Array(n);
  /** w = Xcᵀ Xc v / n: the covariance times v, in two passes over the points. */
  const covTimes = (v: Float64Array, w: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * v[j]!;
      xv[i] = s;
    }
    w.fill(0);
    for (let i = 0; i < n; i++) {
      const s = xv[i]! / Math.max(1, n);
      if (s !== 0) for (let j = 0; j < d; j++) w[j]! += x[i * d + j]! * s;
    }
  };

  for (let c = 0; c < k; c++) {
    const prev = opts.previous?.[c];
    let v = new Float64Array(d);
    if (prev && prev.length === d) v.set(prev);
    // A little seeded noise even with a warm start: a start orthogonal to the answer never moves.
    for (let j = 0; j < d; j++) v[j]! += rng.normal() * (prev ? 1e-3 : 1);
    orthonormalise(v, components);
    let w = new Float64Array(d);
    let lambda = 0;
    for (let it = 0; it < maxIt; it++) {
      covTimes(v, w);
      orthonormalise(w, components);
      const len = norm(w);
      if (len === 0) break; // no variance left in the directions not yet taken
      let moved = 0;
      for (let j = 0; j < d; j++) moved += (w[j]! - v[j]!) ** 2;
      [v, w] = [w, v];
      if (moved < tol) break;
    }
    covTimes(v, w);
    for (let j = 0; j < d; j++) lambda += v[j]! * w[j]!;
    // Pin the sign.
    let ref = 0;
    if (prev && prev.length === d) for (let j = 0; j < d; j++) ref += v[j]! * prev[j]!;
    else ref = v.reduce((best, e) => (Math.abs(e) > Math.abs(best) ? e : best), 0);
    if (ref < 0) for (let j = 0; j < d; j++) v[j] = -v[j]!;
    components.push(v);
    variances.push(Math.max(0, lambda));
  }

  const projected = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      const v = components[c]!;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * v[j]!;
      projected[i * k + c] = s;
    }
  }
  return { components, variances, totalVariance, projected, mean };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const e of v) s += e * e;
  return Math.sqrt(s);
}

/** Remove from v its parts along `basis` (unit vectors), then scale it to length 1 (or leave it 0). */
function orthonormalise(v: Float64Array, basis: Float64Array[]): void {
  for (const b of basis) {
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j]! * b[j]!;
    for (let j = 0; j < v.length; j++) v[j]! -= dot * b[j]!;
  }
  const len = norm(v);
  if (len > 0) for (let j = 0; j < v.length; j++) v[j]! /= len;
}

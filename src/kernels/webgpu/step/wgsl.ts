/**
 * What every kernel of the whole-step engine is made of: a complete WGSL module (sizes and
 * offsets written into it as constants), the names of the buffers it binds in binding order,
 * and its grid. The plan (train/webgpu/plan.ts) names the buffers; the runner (runner.ts)
 * compiles the module once and binds the buffers once, so a step only replays the list.
 *
 * Not tfjs kernels: nothing here goes through tfjs's registry or its program runner (see
 * README.md, "the whole step on WebGPU", for why).
 */

/** One dispatch of the step. */
export interface StepKernel {
  /** What it does, for profiles and errors ("layer 2 attention"). */
  label: string;
  /** Which file made it: matrix products, attention, row kernels, or the optimizer's two. */
  kind: 'gemm' | 'attention' | 'rows' | 'optimizer';
  /** The whole WGSL module, entry point `main`. */
  code: string;
  /** Buffer names, in binding order (@binding(0), 1, …). */
  buffers: string[];
  /** Workgroups along x, y, z. */
  groups: [number, number, number];
}

/** Most workgroups along one dimension of a dispatch (WebGPU's default limit). */
export const MAX_GROUPS = 65535;

/** A grid of at least `n` workgroups: x up to MAX_GROUPS, y for the rest. A kernel finds its index with `flatGroup`. */
export function grid(n: number): [number, number, number] {
  const y = Math.ceil(n / MAX_GROUPS);
  return [Math.ceil(n / y), y, 1];
}

/** WGSL: the flat workgroup index under `grid` (needs the `wid` and `nwg` builtins). */
export const FLAT_GROUP = 'i32(wid.x + wid.y * nwg.x)';

/** The builtins a kernel's main() takes. */
export const BUILTINS =
  '@builtin(local_invocation_index) li : u32, @builtin(workgroup_id) wid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>, @builtin(local_invocation_id) lid3 : vec3<u32>';

/** A WGSL float literal (written once for both WebGPU engines, beside the GEMM's GELU constants). */
export { f } from '../gemmTile';

/**
 * The buffers one module binds: `use(name, write)` declares a buffer once (read_write if any
 * use writes it; the same buffer bound twice would be an aliasing error) and returns the WGSL
 * variable that stands for it.
 */
export class Bindings {
  private readonly list: { name: string; write: boolean; type: 'f32' | 'i32' | 'uniform' }[] = [];

  use(name: string, write = false, type: 'f32' | 'i32' | 'uniform' = 'f32'): string {
    let i = this.list.findIndex((b) => b.name === name);
    if (i < 0) i = this.list.push({ name, write, type }) - 1;
    else if (write) this.list[i]!.write = true;
    return `b${i}`;
  }

  /** The declarations, to put at the top of the module. */
  declare(): string {
    return this.list
      .map((b, i) =>
        b.type === 'uniform'
          ? `@group(0) @binding(${i}) var<uniform> b${i} : StepUniforms;`
          : `@group(0) @binding(${i}) var<storage, ${b.write ? 'read_write' : 'read'}> b${i} : array<${b.type}>;`,
      )
      .join('\n');
  }

  names(): string[] {
    return this.list.map((b) => b.name);
  }
}

/** The step's per-step values, one small uniform buffer written before each step. */
export const STEP_UNIFORMS = 'struct StepUniforms { lr : f32, c1 : f32, c2 : f32, decay : f32 }';

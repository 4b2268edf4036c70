/// <reference types="@webgpu/types" />
/**
 * Runs a list of StepKernels on a GPUDevice the way a real GPU wants them: each module compiled
 * once (per device, cached by its source), each bind group made once (the buffers never move),
 * so that replaying the step is a setPipeline, a setBindGroup and a dispatch per kernel inside
 * one compute pass — no per-dispatch allocation, no uniform buffer per dispatch, no shader keys
 * to compute (what tfjs's program runner does for every kernel, ~55–70 µs of JavaScript each).
 *
 * Also here: the few members of tfjs-backend-webgpu's backend that the engine uses, named as
 * an interface (this layer does not import tfjs-backend-webgpu; the page loads it lazily).
 */
import type { StepKernel } from './wgsl';

/** What of tfjs-backend-webgpu's WebGPUBackend the whole-step engine uses. */
export interface WebGPUBackendInternals {
  device: GPUDevice;
  queue: GPUQueue;
  /** The backend's open command encoder (null between submits). */
  commandEncoder: GPUCommandEncoder | null;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  /** Move a tensor's data to the GPU if it only lives on the CPU (a fresh tf.tensor). */
  uploadToGPU(dataId: object): void;
  tensorMap: {
    get(dataId: object): { resource: GPUBuffer | null; values: unknown; refCount: number; shape: number[]; dtype: string } | undefined;
  };
  makeTensorInfo(shape: number[], dtype: 'float32'): { dataId: object; shape: number[]; dtype: 'float32' };
}

/** A kernel ready to replay: its pipeline and its bind group. */
export interface BoundKernel {
  kernel: StepKernel;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function pipelineFor(device: GPUDevice, k: StepKernel): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) pipelines.set(device, (cache = new Map()));
  let p = cache.get(k.code);
  if (!p) {
    const module = device.createShaderModule({ label: k.label, code: k.code });
    p = device.createComputePipeline({ label: k.label, layout: 'auto', compute: { module, entryPoint: 'main' } });
    cache.set(k.code, p);
  }
  return p;
}

/** Compile (or find) each kernel's pipeline and bind its buffers, named as in `buffers`. */
export function bindKernels(device: GPUDevice, kernels: StepKernel[], buffers: (name: string) => GPUBuffer): BoundKernel[] {
  return kernels.map((kernel) => {
    const pipeline = pipelineFor(device, kernel);
    const bindGroup = device.createBindGroup({
      label: kernel.label,
      layout: pipeline.getBindGroupLayout(0),
      entries: kernel.buffers.map((name, binding) => ({ binding, resource: { buffer: buffers(name) } })),
    });
    return { kernel, pipeline, bindGroup };
  });
}

/** Encode every kernel, in order, into one compute pass of `encoder`. */
export function encodeKernels(encoder: GPUCommandEncoder, kernels: BoundKernel[]): void {
  const pass = encoder.beginComputePass();
  for (const k of kernels) {
    pass.setPipeline(k.pipeline);
    pass.setBindGroup(0, k.bindGroup);
    pass.dispatchWorkgroups(...k.kernel.groups);
  }
  pass.end();
}

/** One kernel's GPU time in a profiled step. */
export interface KernelTime {
  label: string;
  kind: StepKernel['kind'];
  ms: number;
}

/**
 * Encode the kernels as `encodeKernels` does, but each in its own pass with GPU timestamps at
 * its start and end (the device must have 'timestamp-query'); resolves, once the GPU is done,
 * to each kernel's time in ms. For profiles only: a pass per kernel is slower than one pass.
 */
export function encodeTimedKernels(device: GPUDevice, encoder: GPUCommandEncoder, kernels: BoundKernel[]): Promise<KernelTime[]> {
  const count = 2 * kernels.length;
  const querySet = device.createQuerySet({ type: 'timestamp', count });
  const resolved = device.createBuffer({ size: 8 * count, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const readable = device.createBuffer({ size: 8 * count, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  kernels.forEach((k, i) => {
    const pass = encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
    pass.setPipeline(k.pipeline);
    pass.setBindGroup(0, k.bindGroup);
    pass.dispatchWorkgroups(...k.kernel.groups);
    pass.end();
  });
  encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
  encoder.copyBufferToBuffer(resolved, 0, readable, 0, 8 * count);
  // Mapped after the caller submits the encoder (mapAsync waits for the work that uses it).
  return Promise.resolve().then(async () => {
    await readable.mapAsync(GPUMapMode.READ);
    const t = new BigInt64Array(readable.getMappedRange().slice(0));
    readable.unmap();
    [querySet, resolved, readable].forEach((r) => r.destroy());
    return kernels.map((k, i) => ({ label: k.kernel.label, kind: k.kernel.kind, ms: Number(t[2 * i + 1]! - t[2 * i]!) / 1e6 }));
  });
}

/**
 * A run's snapshots (train/rewindSet.ts) as tfjs model artifacts and inside checkpoint
 * files: each snapshot one float32 weight named `rewind/<step>` holding every parameter
 * end to end. Two places use it: the worker keeps a run's snapshots in the browser's
 * storage beside its autosave (their own entry, `<key>-rewind`, written only when they
 * changed), and an exported checkpoint carries them when the person asks for it (appended
 * after the checkpoint's own weights, so a reader that does not know them can skip them).
 *
 * Reading checks everything (names, sizes, bytes) and returns nothing rather than half a
 * set: snapshots are a view of the past, never worth failing a load over.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArtifactFiles } from './checkpoint';

export const REWIND_FORMAT = 'folio-rewind';
const PREFIX = 'rewind/';

export interface StoredSnapshot {
  step: number;
  weights: Float32Array;
}

export interface StoredRewind {
  /** The model whose run these are (the page's id for it, saved with its checkpoint too). */
  modelId?: string;
  snapshots: StoredSnapshot[];
}

function specsOf(snapshots: readonly StoredSnapshot[]): tf.io.WeightsManifestEntry[] {
  return snapshots.map((s) => ({ name: `${PREFIX}${s.step}`, shape: [s.weights.length], dtype: 'float32' }));
}

function bytesOf(snapshots: readonly StoredSnapshot[]): ArrayBuffer {
  const out = new Uint8Array(snapshots.reduce((n, s) => n + s.weights.byteLength, 0));
  let at = 0;
  for (const s of snapshots) {
    out.set(new Uint8Array(s.weights.buffer, s.weights.byteOffset, s.weights.byteLength), at);
    at += s.weights.byteLength;
  }
  return out.buffer;
}

/** The snapshots as artifacts of their own (the storage entry beside an autosave). */
export function rewindArtifacts(snapshots: readonly StoredSnapshot[], modelId: string): tf.io.ModelArtifacts {
  return {
    modelTopology: { format: REWIND_FORMAT, version: 1, modelId, steps: snapshots.map((s) => s.step) },
    format: REWIND_FORMAT,
    generatedBy: 'Folio',
    weightSpecs: specsOf(snapshots),
    weightData: bytesOf(snapshots),
  };
}

/** The snapshots among `specs` over `data`, each `size` weights long; [] when none (or any is damaged). */
function readSpecs(specs: readonly tf.io.WeightsManifestEntry[], data: ArrayBuffer, size: number): StoredSnapshot[] {
  const out: StoredSnapshot[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = n * (spec.dtype === 'float32' || spec.dtype === 'int32' || spec.dtype === undefined ? 4 : 1);
    if (spec.name.startsWith(PREFIX)) {
      const step = Number(spec.name.slice(PREFIX.length));
      if (!Number.isInteger(step) || step < 0 || spec.dtype !== 'float32' || n !== size || offset + bytes > data.byteLength) return [];
      out.push({ step, weights: new Float32Array(data.slice(offset, offset + bytes)) });
    }
    offset += bytes;
  }
  const steps = out.map((s) => s.step);
  if (new Set(steps).size !== steps.length) return [];
  return out.sort((a, b) => a.step - b.step);
}

/** Snapshots stored with `rewindArtifacts`, for a model of `size` weights (undefined: not a readable set). */
export function readRewindArtifacts(a: tf.io.ModelArtifacts, size: number): StoredRewind | undefined {
  const topo = a.modelTopology as { format?: unknown; modelId?: unknown } | undefined;
  if (!topo || topo.format !== REWIND_FORMAT || !a.weightSpecs || !a.weightData) return undefined;
  const snapshots = readSpecs(a.weightSpecs, tf.io.CompositeArrayBuffer.join(a.weightData), size);
  if (snapshots.length === 0) return undefined;
  return { ...(typeof topo.modelId === 'string' ? { modelId: topo.modelId } : {}), snapshots };
}

interface Manifest {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  [k: string]: unknown;
}

function manifestOf(files: ArtifactFiles): Manifest | undefined {
  try {
    const m = JSON.parse(files.json) as Manifest;
    return m && Array.isArray(m.weightsManifest?.[0]?.weights) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Checkpoint files with the snapshots appended (their weights after the checkpoint's own). */
export function withRewind(given: ArtifactFiles, snapshots: readonly StoredSnapshot[]): ArtifactFiles {
  const files = splitRewind(given).files; // snapshots it carried already are replaced
  const m = manifestOf(files);
  if (!m || snapshots.length === 0) return files;
  const group = m.weightsManifest![0]!;
  const json = JSON.stringify({ ...m, weightsManifest: [{ ...group, weights: [...group.weights, ...specsOf(snapshots)] }] });
  const rest = new Uint8Array(bytesOf(snapshots));
  const weights = new Uint8Array(files.weights.byteLength + rest.byteLength);
  weights.set(new Uint8Array(files.weights), 0);
  weights.set(rest, files.weights.byteLength);
  return { json, weights: weights.buffer };
}

/** Does this checkpoint carry snapshots? */
export function hasRewind(files: ArtifactFiles): boolean {
  return !!manifestOf(files)?.weightsManifest![0]!.weights.some((w) => w.name.startsWith(PREFIX));
}

/**
 * Split checkpoint files into the checkpoint alone and the snapshots it carries (for a model
 * of `size` weights; none when it carries none or they do not fit). The checkpoint's own
 * weights come first in the file, so it stays byte for byte what was saved.
 */
export function splitRewind(files: ArtifactFiles, size?: number): { files: ArtifactFiles; snapshots: StoredSnapshot[] } {
  const m = manifestOf(files);
  if (!m || !hasRewind(files)) return { files, snapshots: [] };
  const group = m.weightsManifest![0]!;
  const own = group.weights.filter((w) => !w.name.startsWith(PREFIX));
  // Written by withRewind: the checkpoint's own weights first. Anything else is left whole (the loader skips what it does not know).
  if (group.weights.slice(0, own.length).some((w) => w.name.startsWith(PREFIX))) return { files, snapshots: [] };
  const ownBytes = own.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const first = group.weights.find((w) => w.name.startsWith(PREFIX))!;
  const n = first.shape.reduce((a, b) => a * b, 1);
  const snapshots = size === undefined || size === n ? readSpecs(group.weights, files.weights, n) : [];
  const json = JSON.stringify({ ...m, weightsManifest: [{ ...group, weights: own }] });
  return { files: { json, weights: files.weights.slice(0, ownBytes) }, snapshots };
}

/**
 * A tfjs io handler that saves to / loads from a folder in Node: `model.json` (the
 * metadata and weight manifest, in tfjs's usual layout) and `weights.bin`. Pure tfjs
 * has no `file://` handler without the native tfjs-node add-on, so this is ours.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export function fileHandler(dir: string): tf.io.IOHandler {
  const jsonPath = path.join(dir, 'model.json');
  const binPath = path.join(dir, 'weights.bin');
  return {
    async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const data = a.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData)) : new Uint8Array();
      const manifest = {
        format: a.format,
        generatedBy: a.generatedBy,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
      };
      const json = JSON.stringify(manifest);
      await writeFile(binPath, data);
      await writeFile(jsonPath, json);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: json.length,
          weightSpecsBytes: JSON.stringify(a.weightSpecs ?? []).length,
          weightDataBytes: data.byteLength,
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let manifest: {
        format?: string;
        generatedBy?: string;
        modelTopology?: {};
        weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      };
      try {
        manifest = JSON.parse(await readFile(jsonPath, 'utf8'));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new Error(err.code === 'ENOENT' ? `no checkpoint at ${dir} (model.json not found)` : `model.json is not valid JSON`);
      }
      const group = manifest.weightsManifest?.[0];
      if (!group) throw new Error('model.json lists no weights');
      let bin: Buffer;
      try {
        bin = await readFile(path.join(dir, group.paths[0] ?? 'weights.bin'));
      } catch {
        throw new Error(`weights file missing in ${dir}`);
      }
      const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
      return {
        modelTopology: manifest.modelTopology ?? {},
        weightSpecs: group.weights,
        weightData,
        ...(manifest.format ? { format: manifest.format } : {}),
        ...(manifest.generatedBy ? { generatedBy: manifest.generatedBy } : {}),
      };
    },
  };
}

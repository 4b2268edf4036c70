/**
 * A tfjs io handler that saves to / loads from a folder in Node: `model.json` (the
 * metadata and weight manifest, in tfjs's usual layout) and `weights.bin`. Pure tfjs
 * has no `file://` handler without the native tfjs-node add-on, so this is ours; the
 * file layout is shared with the browser's export (checkpoint.ts). A folder exported for
 * Hugging Face (config.json + model.safetensors, see checkpoint/huggingface.ts) loads too.
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { artifactsToFiles, filesToArtifacts, WEIGHTS_FILE } from '../checkpoint/checkpoint';
import { readHfFolder } from './hfFolder';

export function fileHandler(dir: string): tf.io.IOHandler {
  const jsonPath = path.join(dir, 'model.json');
  const binPath = path.join(dir, WEIGHTS_FILE);
  return {
    async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { json, weights } = artifactsToFiles(a);
      await mkdir(dir, { recursive: true });
      await writeFile(binPath, new Uint8Array(weights));
      await writeFile(jsonPath, json);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', modelTopologyBytes: json.length, weightDataBytes: weights.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: string;
      try {
        json = await readFile(jsonPath, 'utf8');
      } catch {
        // A Hugging Face GPT-2 folder (npm run export -- --format hf) loads too.
        const hf = await readHfFolder(dir);
        if (hf) return filesToArtifacts(hf);
        throw new Error(`no checkpoint at ${dir} (model.json not found)`);
      }
      let bin: Buffer;
      try {
        bin = await readFile(binPath);
      } catch {
        throw new Error(`weights file missing in ${dir}`);
      }
      return filesToArtifacts({ json, weights: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer });
    },
  };
}

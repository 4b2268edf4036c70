/** Shared test helpers: backends, tiny configs, in-memory checkpoint handlers. */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SizedModelConfig, TrainConfig } from '../src/config';
import { TRAIN_PRESETS } from '../src/config';
import { useNodeBackend, type NodeBackend } from '../src/cli/nodeBackend';

export async function backend(name: NodeBackend = 'cpu'): Promise<void> {
  await useNodeBackend(name);
}

export const root = fileURLToPath(new URL('..', import.meta.url));

export function readCorpus(name: string): string {
  return readFileSync(new URL(`../corpus/${name}`, import.meta.url), 'utf8');
}

/** A model small enough that the pure-JS cpu backend runs a step in milliseconds. */
export function tinyConfig(vocabSize: number, over: Partial<SizedModelConfig> = {}): SizedModelConfig {
  return { nLayer: 1, nHead: 2, nEmbd: 16, blockSize: 8, dropout: 0, vocabSize, ...over };
}

export function tinyTrain(over: Partial<TrainConfig> = {}): TrainConfig {
  return { ...TRAIN_PRESETS.nano, batchSize: 4, warmupSteps: 2, decaySteps: 100, evalBatches: 2, ...over };
}

/** An io handler pair that keeps a checkpoint in memory. */
export function memoryStore(): { handler: tf.io.IOHandler; artifacts: () => tf.io.ModelArtifacts } {
  let saved: tf.io.ModelArtifacts | undefined;
  return {
    handler: {
      save: async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
      load: async () => {
        if (!saved) throw new Error('nothing saved');
        return saved;
      },
    },
    artifacts: () => saved!,
  };
}

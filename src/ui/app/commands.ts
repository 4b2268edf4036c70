/**
 * The page's one bridge to the training worker, and what it does with files: checkpoints
 * the worker exports are saved as two downloads (the DOM's part, so it lives here).
 */
import { createBridge } from '../../state/bridge';
import { useFolio } from '../../state/store';
import { TrainerClient, type StallLimits } from '../../worker/client';
import type { CheckpointFiles } from '../../worker/protocol';
import { downloadHuggingFace } from './hfDownload';

/** Save checkpoint files as downloads: `<base>.json` and `<base>.weights.bin` (or a Hugging Face folder as one .zip, hfDownload.ts). */
export function downloadCheckpoint(files: CheckpointFiles, base: string, format?: 'hf'): void {
  const save = (name: string, blob: Blob) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  if (format === 'hf') {
    // The README inside speaks the page's language and writes on from the learner's own prompt.
    const { settings, prompt } = useFolio.getState();
    return void downloadHuggingFace(files, base, { lang: settings.lang, ...(prompt.trim() ? { prompt } : {}) }, save).catch((e: unknown) =>
      console.error('Hugging Face export failed', e),
    );
  }
  save(`${base}.json`, new Blob([files.json], { type: 'application/json' }));
  save(`${base}.weights.bin`, new Blob([files.weights], { type: 'application/octet-stream' }));
}

/**
 * Everything the page can ask of the model (the worker starts on first use). The watchdog's
 * floors can be set from the console or a test (`folioWatchdog({ firstStepMs: 500 })`), to see
 * it scale with the time a step takes rather than lean on its one-minute floor, and the
 * requests' limits scaled (`requestScale`), to see one run out in seconds.
 */
export const { commands } = createBridge({
  connect: (listener) => {
    const client = new TrainerClient(listener);
    (globalThis as { folioWatchdog?: (l: Partial<StallLimits>) => void }).folioWatchdog = (l) => Object.assign(client.limits, l);
    return client;
  },
  download: downloadCheckpoint,
});

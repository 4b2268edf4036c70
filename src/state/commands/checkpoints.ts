/**
 * Checkpoints: resume the save an earlier visit left, save the model to files (Folio's
 * pair, or a Hugging Face GPT-2 folder), load files back (checked for size first). The
 * files are handed to the page's `download`; everything else goes to the worker.
 */
import { notice, noticeOf } from '../../i18n';
import { AUTOSAVE_KEY, type CheckpointFiles } from '../../worker/protocol';
import { hfFolderAsCheckpoint, isHfFolder } from '../hfImport';
import type { ModelBuilder } from './corpus';
import { report, type PageContext } from './context';

/** Maximum sizes of checkpoint files a person imports, checked before reading them. */
export const MAX_CHECKPOINT_JSON = 64 * 1024 * 1024;
export const MAX_CHECKPOINT_WEIGHTS = 512 * 1024 * 1024;

/** Hand checkpoint files to the person (the UI saves them as downloads; 'hf': as a Hugging Face GPT-2 folder). */
export type Download = (files: CheckpointFiles, baseName: string, format?: 'hf') => void;

/** Exported files are named after the corpus and the step of the checkpoint they hold. */
export function exportBaseName(corpusName: string | undefined, step: number): string {
  return `folio-${(corpusName ?? 'model').replace(/[^\w.-]+/g, '-').slice(0, 40)}-step${step}`;
}

export function checkpointCommands({ link, store }: PageContext, builder: ModelBuilder, download: Download) {
  /** The files are named after the step of the checkpoint they hold (not the page's counter, which may have moved on). */
  function fileBase(step: number): string {
    return exportBaseName(store.get().model?.corpusName, step);
  }

  function exportAs(format?: 'hf', snapshots = false): void {
    link.ask('save', { target: { kind: 'export', ...(snapshots ? { snapshots } : {}) } }).then(
      (a) => a.files && download(a.files, fileBase(a.step), format),
      (e: unknown) => report(store, e),
    );
  }

  return {
    /** Continue the run saved by an earlier visit: its model comes back and, unless its run was finished, trains on. */
    resumeSaved(): void {
      const s = store.get();
      s.offerResume(undefined);
      s.setBusy(true);
      builder.loadingCheckpoint();
      link.ask('load', { source: { kind: 'indexeddb', key: AUTOSAVE_KEY, origin: 'resumed' } }).then(
        ({ model }) => model.step < model.targetSteps && link.send('resume', {}),
        (e: unknown) => report(store, e),
      );
    },
    dismissSaved: () => store.get().offerResume(undefined),
    /** Save the model to files (also the "save a checkpoint first" of the confirm dialog); with rewind's snapshots only when asked. */
    exportCheckpoint: (o?: { snapshots?: boolean }) => exportAs(undefined, o?.snapshots === true),
    /** Save the model as a Hugging Face GPT-2 folder: the worker's files, converted by the page (ui/hfDownload.ts). */
    exportHuggingFace: () => exportAs('hf'),
    /** Files exported earlier: the .json and the .weights.bin, both checked for size first (or a Hugging Face folder, hfImport.ts). */
    async importCheckpoint(files: File[]): Promise<void> {
      const { failed } = store.get();
      if (isHfFolder(files)) {
        try {
          files = await hfFolderAsCheckpoint(files);
        } catch (e) {
          return failed({ scope: 'checkpointFile', notice: noticeOf(e) });
        }
      }
      const json = files.find((f) => /\.json$/i.test(f.name));
      const weights = files.find((f) => f !== json);
      if (!json || !weights) return failed({ scope: 'checkpointFile', notice: notice('chooseBothFiles') });
      if (json.size > MAX_CHECKPOINT_JSON || weights.size > MAX_CHECKPOINT_WEIGHTS) return failed({ scope: 'checkpointFile', notice: notice('filesTooLarge') });
      const loaded = { json: await json.text(), weights: await weights.arrayBuffer() };
      builder.replaceModel(
        () => {
          builder.loadingCheckpoint();
          link
            .ask('load', { source: { kind: 'files', files: loaded, origin: 'loaded' } }, [loaded.weights])
            .catch((e: unknown) => report(store, e, 'checkpointFile'));
        },
        { kind: 'import', what: json.name },
      );
    },
  };
}

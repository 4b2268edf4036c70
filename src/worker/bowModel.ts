/**
 * The "bow" view's own model: the checkpoint trained on corpus/bow.txt, bundled with the
 * page and sent once; loaded beside the live model (never replacing it) and kept for the
 * worker's life. It answers what each "bow" sentence attends to and what comes after it
 * (the person may edit the sentences: later asks come without the files).
 */
import { CheckpointError, loadCheckpoint, memoryFilesHandler, type LoadedCheckpoint } from '../checkpoint/checkpoint';
import { notice } from '../i18n';
import { viewSentence } from '../predict/bowView';
import type { CheckpointFiles } from './protocol';
import type { SentenceView } from '../predict/bowView';

export class BowModel {
  private loaded?: Promise<LoadedCheckpoint>;

  async answer(files: CheckpointFiles | undefined, sentences: string[]): Promise<{ views: SentenceView[] }> {
    if (!this.loaded && !files) throw new CheckpointError(notice('ckptNoFiles'));
    this.loaded ??= loadCheckpoint(memoryFilesHandler(files && { json: files.json, weights: files.weights }));
    let m: LoadedCheckpoint;
    try {
      m = await this.loaded;
    } catch (e) {
      this.loaded = undefined; // a later request may bring good files
      throw e;
    }
    const views = [];
    for (const s of sentences) views.push(await viewSentence(m.model, m.tokenizer, s));
    return { views };
  }
}

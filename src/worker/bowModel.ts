/**
 * The "bow" view's own model: the checkpoint trained on corpus/bow.txt, bundled with the
 * page and sent once; loaded beside the live model (never replacing it) and kept for the
 * worker's life. It answers what each "bow" sentence attends to and what comes after it.
 */
import { loadCheckpoint, memoryFilesHandler, type LoadedCheckpoint } from '../checkpoint/checkpoint';
import { viewSentence } from '../predict/bowView';
import type { FromWorker, ToWorker } from './protocol';

export class BowModel {
  private loaded?: Promise<LoadedCheckpoint>;

  async answer(msg: Extract<ToWorker, { type: 'bowView' }>): Promise<FromWorker> {
    this.loaded ??= loadCheckpoint(memoryFilesHandler({ json: msg.files.json, weights: msg.files.weights }));
    let m: LoadedCheckpoint;
    try {
      m = await this.loaded;
    } catch (e) {
      this.loaded = undefined; // a later request may bring good files
      throw e;
    }
    const views = [];
    for (const s of msg.sentences) views.push(await viewSentence(m.model, m.tokenizer, s));
    return { type: 'bowView', requestId: msg.requestId, views };
  }
}

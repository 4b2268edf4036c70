/**
 * The page's side of the guest's full export (state/commands/guestLora.ts exportModel), with a
 * fake worker client and the real hub store: the request names the folder after the guest
 * (`-merged` with adapters, `-hf` without), the answer's parts become one .zip Blob for the page
 * to save, and a failure (out of memory) is kept beside the button for that guest only, the
 * guest itself as it was.
 */
import { describe, expect, it } from 'vitest';
import { createBridge, type ClientLike } from '../../src/state/bridge';
import { useHub } from '../../src/state/hub';
import { notice } from '../../src/i18n';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';
import type { GuestSummary } from '../../src/worker/summary';

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const sent: ToWorker[] = [];
  let listener: (m: FromWorker) => void = () => undefined;
  let n = 1;
  const bridge = createBridge({
    connect: (l): ClientLike => ((listener = l), { id: () => n++, send: (m: ToWorker) => sent.push(m), restart: () => undefined }),
    download: () => undefined,
  });
  bridge.commands.training.pause(); // connects
  const asked = () => sent.filter((m): m is Extract<ToWorker, { type: 'guestExport' }> => m.type === 'guestExport').at(-1)!;
  return { c: bridge.commands, asked, hear: (m: FromWorker) => listener(m) };
}

const guest = (lora: boolean): GuestSummary => ({
  id: `guest-${lora}`,
  repo: 'openai-community/gpt2',
  config: { nLayer: 2, nHead: 2, nEmbd: 16, blockSize: 32, vocabSize: 50257, dropout: 0 },
  paramCount: 1000,
  dtype: 'F32',
  vocabSize: 50257,
  ...(lora ? { lora: { r: 4, alpha: 8, targets: ['c_attn'], trainable: 10 } } : {}),
});

describe('the guest’s full export, in the page', () => {
  it('asks for the folder named after the guest and hands back one .zip', async () => {
    const { c, asked, hear } = setup();
    useHub.update({ model: guest(true), exporting: undefined });
    const done = c.guestLora.exportModel();
    await tick();
    expect(asked()).toMatchObject({ modelId: 'guest-true', folder: 'gpt2-merged' });
    expect(useHub.get().exporting).toEqual({ modelId: 'guest-true', busy: true });
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
    hear({ type: 'answer', kind: 'guestExport', requestId: asked().requestId, modelId: 'guest-true', parts } as FromWorker);
    const file = await done;
    expect(file?.name).toBe('gpt2-merged.zip');
    expect([...new Uint8Array(await file!.blob.arrayBuffer())]).toEqual([1, 2, 3, 4, 5]);
    expect(useHub.get().exporting).toBeUndefined();

    useHub.update({ model: guest(false) });
    void c.guestLora.exportModel();
    await tick();
    expect(asked().folder).toBe('gpt2-hf');
  });

  it('keeps a failure beside the button, for that guest, and changes nothing else', async () => {
    const { c, asked, hear } = setup();
    const model = guest(true);
    useHub.update({ model, exporting: undefined, error: undefined });
    const done = c.guestLora.exportModel();
    await tick();
    const said = notice('guestExportMemory', { bytes: 4000 });
    hear({ type: 'failed', kind: 'guestExport', requestId: asked().requestId, scope: 'checkpoint', notice: said, message: '' });
    expect(await done).toBeUndefined();
    expect(useHub.get().exporting).toEqual({ modelId: model.id, busy: false, error: said });
    expect(useHub.get().model).toBe(model);
    expect(useHub.get().error).toBeUndefined(); // not the section's error: the export's own, beside its button
  });
});

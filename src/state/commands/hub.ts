/**
 * The commands of GPT-2 from the Hub: size a repo before anything downloads, download it with
 * progress (cancellable), keep it in Cache Storage, hand it to the worker as the guest beside
 * the person's model, and ask the guest about the prompt whenever the prompt changes. A local
 * folder (config.json, tokenizer, model.safetensors) loads the same way. On the next visit the
 * model loaded last comes back from the cache without the network (`restore`).
 */
import { downloadHub, planHub, type HubOptions } from '../../checkpoint/hub';
import type { Gpt2Files } from '../../checkpoint/gpt2';
import { noticeOf } from '../../i18n';
import { cacheStorageHub } from '../hubCache';
import { useHub } from '../hub';
import type { PageContext } from './context';

const TYPING_DEBOUNCE_MS = 150;

export function hubCommands({ link, store }: PageContext) {
  let abort: AbortController | undefined;
  let started = 0;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const hub = useHub;
  const options = (o: Partial<HubOptions> = {}): HubOptions => ({ fetch: (...a) => globalThis.fetch(...a), cache: cacheStorageHub(), ...o });
  const failed = (e: unknown) => hub.update({ phase: hub.get().model ? 'loaded' : 'idle', error: noticeOf(e) });

  /** Hand the files to the worker (the weights' bytes move, not copied) and show the guest's answers. */
  async function adopt(repo: string, files: Gpt2Files): Promise<void> {
    hub.update({ phase: 'building' });
    const { model } = await link.ask('guestLoad', { repo, files }, [files.safetensors.buffer]);
    hub.update({ phase: 'loaded', model, lastLoaded: repo, loadMs: performance.now() - started, error: undefined, plan: undefined });
    commands.predict();
  }

  const commands = {
    setRepo: (repo: string) => hub.update({ repo: repo.trim(), error: undefined }),

    /** How much the repo takes (nothing downloads yet); a repo kept in the cache loads at once. */
    async check(): Promise<void> {
      const repo = hub.get().repo;
      started = performance.now();
      hub.update({ phase: 'sizing', error: undefined, plan: undefined, done: 0 });
      try {
        const plan = await planHub(repo, options());
        if (plan.downloadBytes === 0) return await commands.download(plan);
        hub.update({ phase: 'confirm', plan });
      } catch (e) {
        failed(e);
      }
    },

    /** Download what the plan lacks, with progress; `cancel` stops it and nothing changes. */
    async download(plan = hub.get().plan): Promise<void> {
      if (!plan) return;
      abort = new AbortController();
      hub.update({ phase: 'downloading', done: 0, plan });
      try {
        const files = await downloadHub(plan, options({ signal: abort.signal }), (done) => hub.update({ done }));
        await adopt(plan.repo, files);
      } catch (e) {
        failed(e);
      } finally {
        abort = undefined;
      }
    },

    cancel(): void {
      abort?.abort();
      if (hub.get().phase === 'confirm') hub.update({ phase: hub.get().model ? 'loaded' : 'idle', plan: undefined });
    },

    /** A folder chosen from the disk: its config.json, tokenizer and model.safetensors. */
    async loadFolder(files: File[]): Promise<void> {
      const by = (name: string) => files.find((f) => f.name === name);
      const text = async (name: string) => by(name)?.text();
      started = performance.now();
      try {
        const [config, tokenizer, vocab, merges, weights] = await Promise.all([
          text('config.json'),
          text('tokenizer.json'),
          text('vocab.json'),
          text('merges.txt'),
          by('model.safetensors')?.arrayBuffer(),
        ]);
        const folder = (files[0]?.webkitRelativePath || '').split('/')[0] || 'folder';
        await adopt(folder, {
          config: config ?? '',
          safetensors: new Uint8Array(weights ?? new ArrayBuffer(0)),
          ...(tokenizer !== undefined ? { tokenizer } : {}),
          ...(vocab !== undefined ? { vocab } : {}),
          ...(merges !== undefined ? { merges } : {}),
        });
      } catch (e) {
        failed(e);
      }
    },

    /** The guest's ranked next words for the prompt on show (the newest request wins). */
    predict(): void {
      const model = hub.get().model;
      if (!model) return;
      const prompt = store.get().prompt;
      if (!prompt) return hub.update({ ranked: undefined });
      link.ask('guestPredict', { modelId: model.id, prompt, topTokens: 10, topWords: 10 }).then(
        (a) => hub.update({ ranked: a, error: undefined }),
        (e: unknown) => hub.update({ error: noticeOf(e) }),
      );
    },

    async unload(): Promise<void> {
      await link.ask('guestDrop', {}).catch(() => undefined);
      hub.update({ phase: 'idle', model: undefined, ranked: undefined, lastLoaded: undefined });
    },

    /** The model loaded on the last visit, from the cache only (no network, no question asked). */
    async restore(): Promise<void> {
      const repo = hub.get().lastLoaded;
      if (!repo || hub.get().model) return;
      started = performance.now();
      try {
        const plan = await planHub(repo, options({ offline: true }));
        hub.update({ repo, phase: 'building' });
        await adopt(repo, await downloadHub(plan, options({ offline: true })));
      } catch {
        hub.update({ phase: 'idle' }); // not kept any more: the field offers it again
      }
    },
  };

  // The prompt changed: the guest answers it too, once typing pauses.
  store.subscribe((s, prev) => {
    if (s.prompt === prev.prompt || !hub.get().model) return;
    clearTimeout(debounce);
    debounce = setTimeout(commands.predict, TYPING_DEBOUNCE_MS);
  });
  return commands;
}

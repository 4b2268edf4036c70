/** Fine-tuning's messages: a refused file is said, and goes once something after it worked. */
import { describe, expect, it } from 'vitest';
import { notice } from '../../src/i18n';
import { fineTuneCommands } from '../../src/state/commands/fineTune';
import type { WorkerLink } from '../../src/state/link';
import { useFolio } from '../../src/state/store';
import type { Command } from '../../src/worker/protocol';

const file = (text: string) => ({ text: async () => text }) as unknown as File;

describe('fine-tuning messages', () => {
  it('a bad JSON Lines file is refused with its line; a good one, or a new stage, takes the old message away', async () => {
    const sent: Command[] = [];
    const link = {
      send: (type: string, body: object) => void sent.push({ type, ...body } as Command),
      ask: () => new Promise(() => undefined),
    } as unknown as WorkerLink;
    const c = fineTuneCommands({ link, store: useFolio });
    await c.uploadTuneFile(file('{"prompt": "a", "completion": "b"}\nnot json\n'), 'instructions');
    expect(useFolio.get().error).toMatchObject({ scope: 'tune', notice: { code: 'jsonlNotJson' } });
    await c.uploadTuneFile(file('{"prompt": "The quick", "completion": " fox"}\n'), 'instructions');
    expect(useFolio.get().error).toBeUndefined();
    expect(useFolio.get().tune.examples).toEqual([{ prompt: 'The quick', completion: ' fox' }]);

    // Something the worker refused at the last stage (scope 'train') goes when a new stage starts; another scope's message stays.
    useFolio.get().failed({ scope: 'train', notice: notice('noExamples') });
    c.tune('sft', 10);
    expect(useFolio.get().error).toBeUndefined();
    expect(sent.at(-1)).toEqual({ type: 'tune', method: 'sft', steps: 10, examples: [{ prompt: 'The quick', completion: ' fox' }] });
    useFolio.get().failed({ scope: 'checkpoint', notice: notice('chooseBothFiles') });
    c.tune('sft', 10);
    expect(useFolio.get().error).toMatchObject({ scope: 'checkpoint' });
    // No preference pairs yet: DPO is refused on the page, and nothing goes to the worker.
    const before = sent.length;
    c.tune('dpo', 10);
    expect(useFolio.get().error).toMatchObject({ scope: 'tune', notice: { code: 'noPairs' } });
    expect(sent).toHaveLength(before);
  });
});

/** Fine-tuning's messages: a refused file is said, and goes once something after it worked. */
import { describe, expect, it } from 'vitest';
import { notice } from '../../src/i18n';
import { actions, useFolio } from '../../src/state/store';
import { tuneCommands } from '../../src/state/tuneCommands';
import type { ToWorker } from '../../src/worker/protocol';

const file = (text: string) => ({ text: async () => text }) as unknown as File;

describe('fine-tuning messages', () => {
  it('a bad JSON Lines file is refused with its line; a good one, or a new stage, takes the old message away', async () => {
    const sent: ToWorker[] = [];
    const c = tuneCommands({ send: (m) => sent.push(m), ask: () => undefined, actions, getState: useFolio.getState });
    await c.uploadTuneFile(file('{"prompt": "a", "completion": "b"}\nnot json\n'), 'instructions');
    expect(useFolio.getState().error).toMatchObject({ scope: 'tune', notice: { code: 'jsonlNotJson' } });
    await c.uploadTuneFile(file('{"prompt": "The quick", "completion": " fox"}\n'), 'instructions');
    expect(useFolio.getState().error).toBeUndefined();
    expect(useFolio.getState().tune.examples).toEqual([{ prompt: 'The quick', completion: ' fox' }]);

    // Something the worker refused at the last stage (scope 'train') goes when a new stage starts; another scope's message stays.
    actions.failed({ scope: 'train', notice: notice('noExamples') });
    c.tune('sft', 10);
    expect(useFolio.getState().error).toBeUndefined();
    expect(sent.at(-1)).toMatchObject({ type: 'tune', method: 'sft', steps: 10 });
    actions.failed({ scope: 'checkpoint', notice: notice('chooseBothFiles') });
    c.tune('sft', 10);
    expect(useFolio.getState().error).toMatchObject({ scope: 'checkpoint' });
  });
});

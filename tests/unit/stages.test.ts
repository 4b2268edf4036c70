import { describe, expect, it } from 'vitest';
import { withPretraining, type Stage } from '../../src/train/run';

describe('the stages a model went through, with the pre-training since', () => {
  it('grows a last pre-training stage, and adds one after fine-tuning', () => {
    expect(withPretraining([{ kind: 'pretrain', steps: 600 }], 700)).toEqual([{ kind: 'pretrain', steps: 700 }]);
    // From scratch: the stage restarts at 0 and follows the counter.
    expect(withPretraining([{ kind: 'pretrain', steps: 0 }], 424)).toEqual([{ kind: 'pretrain', steps: 424 }]);
    const tuned: Stage[] = [
      { kind: 'pretrain', steps: 600 },
      { kind: 'sft', steps: 200 },
    ];
    // Continue pre-training after instruction tuning (the counter is pre-training's own: 600 → 881).
    expect(withPretraining(tuned, 881)).toEqual([...tuned, { kind: 'pretrain', steps: 281 }]);
    expect(withPretraining(tuned, 600)).toEqual(tuned); // not yet: nothing added
    expect(withPretraining([...tuned, { kind: 'pretrain', steps: 281 }], 900)).toEqual([...tuned, { kind: 'pretrain', steps: 300 }]);
    expect(tuned).toHaveLength(2); // the input is left as it was
    // A fine-tuning stage stays the same object: the worker's running stage counts its steps in it.
    const sft = tuned[1]!;
    expect(withPretraining(tuned, 700)[1]).toBe(sft);
  });
});

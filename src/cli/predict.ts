/**
 * npm run predict -- (--checkpoint DIR | --hub REPO) [--adapter DIR] --prompt TEXT [--json] [--top K] [--backend cpu|wasm]
 *
 * Prints one JSON line: {"ids":[…],"tokens":[{"id","token","p"}],"words":[{"word","p"}],"uncovered",…}
 * — the prompt's token ids, then the ranked next tokens and words. `--checkpoint` reads a
 * Folio checkpoint or a GPT-2-family folder; `--hub` a Hub model through the Hugging Face
 * cache folder (modelSource.ts); `--adapter` puts a PEFT LoRA adapter folder on it (what
 * `finetune --lora` saves, or Python's `peft`). `--json` is the only output there is (it may be given).
 */
import { applyPeft } from '../checkpoint/peft';
import { disposeGPT } from '../model/gpt';
import { predictNext } from '../predict/predictor';
import { intFlag, main, oneOf, parseFlags, required } from './args';
import { readPeftFolder } from './loraOptions';
import { loadModelSource } from './modelSource';
import { NODE_BACKENDS, useNodeBackend } from './nodeBackend';

const USAGE = 'Usage: npm run predict -- (--checkpoint DIR | --hub REPO) [--adapter DIR] --prompt TEXT [--json] [--top K] [--backend wasm|cpu]';

main(async () => {
  const flags = parseFlags(process.argv.slice(2), ['checkpoint', 'hub', 'adapter', 'prompt', 'top', 'backend'], USAGE, ['json']);
  const prompt = flags.get('prompt') ?? '';
  if (prompt === '') required(flags, 'prompt', USAGE);
  const top = intFlag(flags, 'top', 10, 1);
  const backend = oneOf(flags, 'backend', NODE_BACKENDS, 'wasm');
  await useNodeBackend(backend);
  const { model, tokenizer } = await loadModelSource(flags, USAGE);
  const adapter = flags.get('adapter');
  if (adapter !== undefined) applyPeft(model, await readPeftFolder(adapter)); // a file that fails says which and why
  const r = await predictNext(model, tokenizer, prompt, { topTokens: top, beam: { topWords: top } });
  disposeGPT(model);
  process.stdout.write(
    JSON.stringify({
      ids: tokenizer.encode(prompt),
      tokens: r.tokens.map((t) => ({ id: t.id, token: t.token, p: t.p })),
      words: r.words,
      uncovered: r.uncovered,
      otherWords: r.otherWords,
      unknown: r.unknown,
      croppedTokens: r.croppedTokens,
      // A DNA model: P(next base) and the next codons instead of words.
      ...(r.bases ? { bases: { next: r.bases.next, codons: r.bases.runs, other: r.bases.other } } : {}),
    }) + '\n',
  );
});

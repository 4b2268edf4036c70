/**
 * npm run predict -- --checkpoint DIR --prompt TEXT [--top K] [--backend cpu|wasm]
 *
 * Prints one JSON line: {"tokens":[{"token","p"}],"words":[{"word","p"}],"uncovered",…}.
 */
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { disposeGPT } from '../model/gpt';
import { predictNext } from '../predict/predictor';
import { intFlag, main, oneOf, parseFlags, required } from './args';
import { fileHandler } from './fileHandler';
import { NODE_BACKENDS, useNodeBackend } from './nodeBackend';

const USAGE = 'Usage: npm run predict -- --checkpoint DIR --prompt TEXT [--top K] [--backend wasm|cpu]';

main(async () => {
  const flags = parseFlags(process.argv.slice(2), ['checkpoint', 'prompt', 'top', 'backend'], USAGE);
  const dir = required(flags, 'checkpoint', USAGE);
  const prompt = flags.get('prompt') ?? '';
  if (prompt === '') required(flags, 'prompt', USAGE);
  const top = intFlag(flags, 'top', 10, 1);
  await useNodeBackend(oneOf(flags, 'backend', NODE_BACKENDS, 'wasm'));
  const { model, tokenizer, optimizerState } = await loadCheckpoint(fileHandler(dir));
  for (const t of Object.values(optimizerState ?? {})) t.dispose();
  const r = await predictNext(model, tokenizer, prompt, { topTokens: top, beam: { topWords: top } });
  disposeGPT(model);
  process.stdout.write(
    JSON.stringify({
      tokens: r.tokens.map((t) => ({ token: t.token, p: t.p })),
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

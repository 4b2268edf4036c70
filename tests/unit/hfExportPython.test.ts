/**
 * The Hugging Face export read from Python, by the README's route: unzip the .zip, tokenize
 * with its tokenizer.json, run the weights (tests/python/check_hf_export.py, with the numpy
 * GPT-2 of check_gpt2_numpy.py). The ids must be Folio's own and the next-token
 * probabilities the model's — for the bundled DNA model in overlapping 3-mers above all,
 * whose tokenizer.json rewrites the text into k-mers in its normalizer (checkpoint/hfKmer.ts).
 *
 * Python picks the first route it has: transformers' AutoTokenizer, the tokenizers library,
 * or a plain reading of tokenizer.json (k-mers and characters only). The plain route is
 * always run too. FOLIO_PYTHON names the interpreter (default python3); without numpy the
 * tests are skipped, saying so.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, memoryFilesHandler, saveCheckpoint } from '../../src/checkpoint/checkpoint';
import { hfZip } from '../../src/checkpoint/hfZip';
import { toHuggingFace } from '../../src/checkpoint/huggingface';
import { fileHandler } from '../../src/cli/fileHandler';
import { createGPT, disposeGPT, forward, type GPT } from '../../src/model/gpt';
import { buildTokenizer, type Tokenizer } from '../../src/tokenizer';
import { backend, readCorpus, root, tinyConfig, tinyTrain } from '../helpers';
import { tempDir } from '../tempDir';

const PYTHON = process.env.FOLIO_PYTHON ?? 'python3';
const has = (module: string) => spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0;
const hasNumpy = has('numpy');
const hasTokenizers = hasNumpy && has('tokenizers');
if (!hasNumpy) console.warn(`hfExportPython: skipped, ${PYTHON} with numpy not found (set FOLIO_PYTHON)`);
const tmp = tempDir('hf-python');

interface PyResult {
  text: string;
  ids: number[];
  decoded: string | null;
  probs: number[];
}

function python(zip: string, texts: string[], route?: string): { route: string; results: PyResult[] } {
  const script = path.join(root, 'tests', 'python', 'check_hf_export.py');
  const r = spawnSync(PYTHON, [script, zip, ...(route ? ['--route', route] : []), ...texts], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`check_hf_export.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { route: string; results: PyResult[] };
}

/** Folio's next-token probabilities after `ids` (the last blockSize of them). */
function folioProbs(model: GPT, ids: number[]): number[] {
  const ctx = ids.slice(-model.config.blockSize);
  const V = model.config.vocabSize;
  return tf.tidy(() =>
    Array.from(
      tf
        .softmax(forward(model, tf.tensor2d([ctx], undefined, 'int32')).logits.reshape([-1, V]))
        .slice([ctx.length - 1, 0], [1, V])
        .dataSync(),
    ),
  );
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

function expectAgree(py: { route: string; results: PyResult[] }, tok: Tokenizer, model: GPT) {
  for (const r of py.results) {
    expect(r.ids, `${py.route}: ids of ${JSON.stringify(r.text)}`).toEqual(tok.encode(r.text));
    if (r.ids.length > 0) expect(maxDiff(r.probs, folioProbs(model, r.ids)), `${py.route}: probabilities after ${JSON.stringify(r.text)}`).toBeLessThan(1e-5);
  }
}

beforeAll(() => backend('cpu'));

describe.skipIf(!hasNumpy)('the Hugging Face export, read from Python', () => {
  it('the bundled DNA model (overlapping 3-mers): the .zip from npm run export gives Folio’s ids and next-token probabilities', async () => {
    const zip = path.join(tmp, 'dna-hf.zip');
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const e = spawnSync(tsx, [path.join(root, 'src', 'cli', 'export.ts'), '--checkpoint', 'corpus/pretrained/dna-nano', '--format', 'hf', '--out', zip], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(e.stderr).toBe('');
    expect(JSON.parse(e.stdout).files).toContain('README.md');
    const { model, tokenizer: tok } = await loadCheckpoint(fileHandler(path.join(root, 'corpus/pretrained/dna-nano')));
    const genome = readCorpus('dna.txt').replace(/\s+/g, '');
    const texts = [
      genome.slice(1000, 1028), // 28 bases → 26 tokens, inside the context
      `>chr1 test\n${genome.slice(5000, 5060).toLowerCase()}\n${genome.slice(5060, 5100)}`, // FASTA: a header, lines, lower case
      genome.slice(200, 300), // longer than the context: the last 32 tokens are read
      'GATTACA NNN tataaa',
      'AC', // shorter than a k-mer: no token
    ];
    const routes = [python(zip, texts)];
    if (routes[0]!.route !== 'python') routes.push(python(zip, texts, 'python'));
    for (const py of routes) {
      expect(py.results.map((r) => r.text)).toEqual(texts);
      expectAgree(py, tok, model);
    }
    // Decoding (where tokenizers is there) gives the bases back, in capitals.
    for (const r of routes[0]!.results) if (r.decoded !== null) expect(r.decoded).toBe(tok.decode(r.ids));
    console.info(`hfExportPython: DNA checked by the ${routes.map((r) => r.route).join(' and ')} route(s)`);
    disposeGPT(model);
  }, 180_000);

  it('characters, words and BPE: the ids of a few texts, unicode included, are Folio’s (words and BPE need tokenizers)', async () => {
    const text = `${readCorpus('fox.txt').slice(0, 6000)}\nOlá, ação! Um café — 日本語. naïve 3.14\n`.repeat(2);
    const texts = ['The quick brown fox', 'Olá, ação! Um café — 日本語.', ' naïve  3.14\n\tfox? €']; // € is in no vocabulary
    const checked: string[] = [];
    for (const kind of ['char', 'bpe', 'word'] as const) {
      if (kind !== 'char' && !hasTokenizers) continue;
      const tok = buildTokenizer(text, { kind, vocabSize: kind === 'bpe' ? 160 : 400 });
      const model = createGPT(tinyConfig(tok.vocabSize, { nLayer: 1 }), 4);
      const h = memoryFilesHandler();
      await saveCheckpoint(h, { model, tokenizer: tok, train: tinyTrain(), step: 3 });
      const zip = path.join(tmp, `${kind}-hf.zip`);
      writeFileSync(zip, Buffer.concat(hfZip(toHuggingFace(h.files!, { folder: `${kind}-hf` }), `${kind}-hf`)));
      let py = python(zip, texts);
      if (kind === 'word') {
        // The one documented difference: a piece outside a word vocabulary (here the run of two
        // spaces, the line break and tab) is the unknown token there, letter by letter in Folio.
        const unk = py.results.filter((r) => r.ids.includes(0));
        expect(unk.map((r) => r.text)).toEqual([texts[2]]);
        py = { ...py, results: py.results.filter((r) => !unk.includes(r)) };
      }
      expectAgree(py, tok, model);
      for (const r of py.results) if (r.decoded !== null && kind !== 'word') expect(r.decoded).toBe(tok.decode(r.ids));
      checked.push(`${kind} (${py.route})`);
      disposeGPT(model);
    }
    console.info(`hfExportPython: ${checked.join(', ')} checked${hasTokenizers ? '' : '; words and BPE skipped: no tokenizers in this Python'}`);
  }, 120_000);
});

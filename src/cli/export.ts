/**
 * npm run export -- --checkpoint DIR --format hf --out DIR|FILE.zip
 *
 * Writes a Folio checkpoint as a Hugging Face GPT-2 folder (config.json, model.safetensors,
 * tokenizer.json, tokenizer_config.json, folio.json, README.md; see
 * checkpoint/huggingface.ts), which transformers loads with GPT2LMHeadModel.from_pretrained,
 * and Folio's CLI and page load back; with --out FILE.zip, that folder in one .zip, as the
 * page saves it. Prints one JSON line: {"format","out","files","parameters","bytes"}.
 */
import path from 'node:path';
import { toHuggingFace } from '../checkpoint/huggingface';
import { writeHfFolder, writeHfZip } from './hfFolder';
import { main, oneOf, parseFlags, required } from './args';
import { fileHandler } from './fileHandler';
import { artifactsToFiles } from '../checkpoint/checkpoint';
import { readHeader } from '../checkpoint/safetensors';

const USAGE = 'Usage: npm run export -- --checkpoint DIR --format hf --out DIR|FILE.zip';

main(async () => {
  const flags = parseFlags(process.argv.slice(2), ['checkpoint', 'format', 'out'], USAGE);
  const dir = required(flags, 'checkpoint', USAGE);
  const out = required(flags, 'out', USAGE);
  const format = oneOf(flags, 'format', ['hf'] as const, 'hf');
  // The checkpoint's files as saved (no model is built: nothing to compute, only to rename).
  const files = artifactsToFiles(await fileHandler(dir).load!()); // a Hugging Face folder reads too
  const zip = /\.zip$/i.test(out);
  const folder = path.basename(out, zip ? path.extname(out) : '');
  const hf = toHuggingFace(files, { folder });
  const written = zip ? await writeHfZip(out, folder, hf) : await writeHfFolder(out, hf);
  const { header } = readHeader(hf.safetensors);
  const parameters = Object.values(header).reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
  process.stdout.write(JSON.stringify({ format, out, files: written, parameters, bytes: hf.safetensors.byteLength }) + '\n');
});

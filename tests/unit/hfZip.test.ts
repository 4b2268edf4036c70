/**
 * The pieces of the Hugging Face export that need no Python: the store-only zip (written,
 * read back, damaged ones refused), the k-mer tokenizer.json run step by step in JavaScript
 * (its regexes are read alike by Oniguruma, Python and JavaScript) against Folio's own
 * k-mer tokenizer for every k and both ways of cutting, and the README in both languages.
 * tests/unit/hfExportPython.test.ts runs the same files through Python.
 */
import { describe, expect, it } from 'vitest';
import { hfReadme } from '../../src/checkpoint/hfReadme';
import { toHfTokenizer } from '../../src/checkpoint/hfTokenizer';
import type { CheckpointMeta } from '../../src/checkpoint/checkpoint';
import { KmerTokenizer } from '../../src/tokenizer/kmer';
import { Rng } from '../../src/util/rng';
import { crc32, unzipStored, zipStored, ZipError } from '../../src/util/zip';

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('zip (stored)', () => {
  it('writes what it reads back, with UTF-8 names and the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the check value of CRC-32
    const files = [
      { name: 'm-hf/config.json', data: new TextEncoder().encode('{"a": 1}\n') },
      { name: 'm-hf/model.safetensors', data: new Uint8Array(1000).map((_, i) => i * 7) },
      { name: 'm-hf/ação.txt', data: new Uint8Array(0) },
    ];
    const bytes = concat(zipStored(files, new Date(2024, 0, 2, 3, 4, 6)));
    const back = unzipStored(bytes);
    expect([...back.keys()]).toEqual(files.map((f) => f.name));
    for (const f of files) expect([...back.get(f.name)!]).toEqual([...f.data]);
    // The end record says 3 entries, the central directory right before it.
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(bytes.length - 22, true)).toBe(0x06054b50);
    expect(v.getUint16(bytes.length - 12, true)).toBe(3);
  });

  it('refuses what it cannot read: not a zip, a compressed entry, damaged bytes', () => {
    const bytes = concat(zipStored([{ name: 'a.txt', data: new TextEncoder().encode('hello') }]));
    const reason = (b: Uint8Array) => {
      try {
        unzipStored(b);
      } catch (e) {
        return e instanceof ZipError ? e.reason : 'other';
      }
      return 'read';
    };
    expect(reason(new TextEncoder().encode('just some text, long enough to look at'))).toBe('notZip');
    const compressed = bytes.slice();
    const cd = new DataView(compressed.buffer).getUint32(compressed.length - 6, true);
    new DataView(compressed.buffer).setUint16(cd + 10, 8, true); // deflate
    expect(reason(compressed)).toBe('compressed');
    const flipped = bytes.slice();
    const first = 30 + 'a.txt'.length; // the first byte of the data: the CRC no longer matches
    flipped[first] = flipped[first]! ^ 1;
    expect(reason(flipped)).toBe('damaged');
    expect(reason(bytes.slice(0, bytes.length - 10))).toBe('damaged');
  });
});

type Step = { type: string; pattern?: { Regex?: string; String?: string }; content?: string };

/** tokenizer.json's k-mer pieces, run as the tokenizers library runs them (Replace: every match at once, left to right). */
function runHf(json: ReturnType<typeof toHfTokenizer>, text: string): { ids: number[]; decoded: string } {
  const steps = (json.normalizer as { normalizers: Step[] }).normalizers;
  const apply = (s: string, n: Step) =>
    n.type === 'Lowercase'
      ? s.toLowerCase()
      : n.pattern!.Regex !== undefined
        ? s.replace(new RegExp(n.pattern!.Regex, 'gu'), () => n.content!)
        : s.replaceAll(n.pattern!.String!, n.content!);
  const normalized = steps.reduce(apply, text);
  const pre = json.pre_tokenizer as { pattern: { Regex: string }; behavior: string; invert: boolean };
  expect([pre.behavior, pre.invert]).toEqual(['Removed', true]); // what the pattern does not match goes
  const pieces = normalized.match(new RegExp(pre.pattern.Regex, 'gu')) ?? [];
  const vocab = json.model.vocab as Record<string, number>;
  const ids = pieces.map((p) => vocab[p] ?? -1);
  const dec = json.decoder as { type: string; decoders?: Step[] };
  const fused = pieces.join('');
  const decoded = dec.type === 'Fuse' ? fused : dec.decoders!.slice(1).reduce(apply, fused);
  return { ids, decoded };
}

describe('the k-mer tokenizer.json', () => {
  it('gives Folio’s ids for any text, k = 1…6, overlapping or tiled, and decodes to the bases', () => {
    const rng = new Rng(7);
    const alphabet = 'ACGTacgtN \n>é日-';
    for (let k = 1; k <= 6; k++)
      for (const overlap of [true, false]) {
        const tok = KmerTokenizer.train('ACGT', k, overlap);
        const json = toHfTokenizer(tok.toJSON());
        for (let n = 0; n < 60; n += 1 + rng.int(4)) {
          let s = '';
          for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
          const { ids, decoded } = runHf(json, s);
          expect(ids, `k=${k} overlap=${overlap} ${JSON.stringify(s)}`).toEqual(tok.encode(s));
          expect(decoded).toBe(tok.decode(ids));
        }
      }
  });
});

describe('README.md', () => {
  const meta = (tokenizer: CheckpointMeta['tokenizer']): CheckpointMeta =>
    ({ model: { nLayer: 2, nHead: 4, nEmbd: 64, blockSize: 32, vocabSize: 65 }, tokenizer, step: 2000, extra: { corpus: 'dna.txt' } }) as CheckpointMeta;
  const kmer = KmerTokenizer.train('ACGT', 3, true).toJSON();

  it('has the Python that unzips and loads the export, and for overlapping k-mers says how the tokenizer reads them, in English and Portuguese', () => {
    const en = hfReadme(meta(kmer), { folder: 'folio-dna-step2000-hf', lang: 'en', prompt: 'TATAAA' });
    const pt = hfReadme(meta(kmer), { folder: 'folio-dna-step2000-hf', lang: 'pt', prompt: 'TATAAA' });
    for (const r of [en, pt]) {
      expect(r).toContain('zipfile.ZipFile("folio-dna-step2000-hf.zip").extractall(".")');
      expect(r).toContain('tok = AutoTokenizer.from_pretrained(folder)');
      expect(r).toContain('ids = tok("TATAAA", return_tensors="pt").input_ids');
      expect(r).toContain('bases = [c.upper() for c in text if c in "ACGTacgt"]'); // the plain-Python ids
    }
    expect(en).toMatch(/^# A Folio model: “dna\.txt”, step 2,000/);
    expect(en).toContain('normalizer');
    expect(pt).toMatch(/^# Um modelo do Folio: “dna\.txt”, passo 2\.000/);
    expect(pt).toContain('normalizador');
    const char = hfReadme(meta({ kind: 'char', vocab: ['a', 'b'] }), { folder: 'x', lang: 'en' });
    expect(char).not.toContain('kmers');
    expect(char).toContain('ids = tok("The ", return_tensors="pt")');
  });
});

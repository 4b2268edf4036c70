/**
 * safetensors, the weights format of the Hugging Face tools, written and read by its
 * published spec (https://github.com/huggingface/safetensors, "Format"):
 *
 *   8 bytes    N, the header's length: an unsigned 64-bit little-endian integer
 *   N bytes    the header: UTF-8 JSON, an object starting with '{', padded with spaces
 *              (0x20); per tensor {"dtype", "shape", "data_offsets": [begin, end)}, plus
 *              an optional "__metadata__" map of strings to strings
 *   rest       the byte buffer: every tensor's data, row-major, little-endian, the
 *              offsets relative to the buffer's start, contiguous and covering it all
 *
 * As the reference writer does, the header is padded so that the buffer starts on an
 * 8-byte boundary. Folio writes F32 (its weights are float32) and reads F32, F16 and BF16.
 */
import { notice } from '../i18n';
import { CheckpointError } from './checkpoint';

export interface F32Tensor {
  shape: number[];
  data: Float32Array;
}

export interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** The largest header the reference reader accepts (100 MB): anything bigger is not a safetensors file. */
const MAX_HEADER = 100_000_000;

const bad = (reason: string) => new CheckpointError(notice('hfInvalid', { reason }));

/** Encode named F32 tensors, in the order given, with string metadata. */
export function encodeSafetensors(tensors: [string, F32Tensor][], metadata: Record<string, string> = {}): Uint8Array {
  const file = safetensorsFile(
    tensors.map(([name, t]) => [name, t.shape]),
    metadata,
  );
  tensors.forEach(([, t], i) => file.put(i, t.data));
  return file.bytes;
}

/**
 * The file laid out for F32 tensors of these names and shapes, in that order, its values
 * written one tensor at a time (`put(i, data)`). A caller that makes each tensor's values
 * only when it writes them (a 124 M model read weight by weight) never holds the model
 * twice over: the file is the one copy.
 */
export function safetensorsFile(
  specs: [string, number[]][],
  metadata: Record<string, string> = {},
): { bytes: Uint8Array; put: (i: number, data: Float32Array) => void } {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const starts: number[] = [];
  let offset = 0;
  for (const [name, shape] of specs) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (name in header) throw new Error(`safetensors: ${name} twice`);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + n * 4] } satisfies HeaderEntry;
    starts.push(offset);
    offset += n * 4;
  }
  let json = JSON.stringify(header);
  const raw = new TextEncoder().encode(json);
  const padded = Math.ceil((8 + raw.length) / 8) * 8 - 8; // the buffer starts 8-byte aligned
  json += ' '.repeat(padded - raw.length);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  const put = (i: number, data: Float32Array) => {
    const [name, shape] = specs[i]!;
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`safetensors: ${name} has ${data.length} values for shape [${shape}]`);
    const start = 8 + head.length + starts[i]!;
    // Every tensor starts 4-byte aligned (the buffer 8-aligned, each tensor 4·n bytes): on a
    // little-endian machine (every one a browser runs on) its bytes are copied as they are.
    if (LITTLE_ENDIAN) return void new Float32Array(out.buffer, start, n).set(data);
    for (let k = 0, at = start; k < n; k++, at += 4) view.setFloat32(at, data[k]!, true);
  };
  return { bytes: out, put };
}

export interface DecodedSafetensors {
  header: Record<string, HeaderEntry>;
  metadata: Record<string, string>;
  /** Byte position of the buffer in the file (8 + N). */
  dataStart: number;
  tensors: Map<string, F32Tensor>;
}

/** Read the header only, checking it against the spec (lengths, dtypes, shapes, offsets). */
export function readHeader(bytes: Uint8Array): Omit<DecodedSafetensors, 'tensors'> {
  if (bytes.byteLength < 8) throw bad('the file is shorter than the 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.byteLength) throw bad(`the header length (${n}) does not fit the file (${bytes.byteLength} bytes)`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(8, 8 + n));
  if (!text.startsWith('{')) throw bad('the header is not a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('the header is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('the header is not a JSON object');
  const header: Record<string, HeaderEntry> = {};
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof v !== 'object' || v === null || Object.values(v).some((s) => typeof s !== 'string')) throw bad('__metadata__ must map strings to strings');
      metadata = v as Record<string, string>;
      continue;
    }
    const e = v as Partial<HeaderEntry> | null;
    const okShape = Array.isArray(e?.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0);
    const okOffsets = Array.isArray(e?.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((d) => Number.isInteger(d) && d >= 0);
    if (!e || typeof e.dtype !== 'string' || !okShape || !okOffsets) throw bad(`tensor "${name}" has no valid dtype, shape and data_offsets`);
    header[name] = { dtype: e.dtype, shape: e.shape!, data_offsets: [e.data_offsets![0], e.data_offsets![1]] };
  }
  const dataStart = 8 + n;
  checkOffsets(header, bytes.byteLength - dataStart);
  return { header, metadata, dataStart };
}

const DTYPE_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** Offsets in order must tile the buffer exactly: from 0, no gap, no overlap, each tensor its shape's size. */
function checkOffsets(header: Record<string, HeaderEntry>, bufferBytes: number): void {
  const entries = Object.entries(header).sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0] || a[1].data_offsets[1] - b[1].data_offsets[1]);
  let at = 0;
  for (const [name, e] of entries) {
    const [begin, end] = e.data_offsets;
    if (begin !== at) throw bad(`tensor "${name}" starts at byte ${begin}, expected ${at} (offsets must be contiguous)`);
    const size = DTYPE_BYTES[e.dtype];
    if (size !== undefined && end - begin !== e.shape.reduce((a, b) => a * b, 1) * size)
      throw bad(`tensor "${name}" holds ${end - begin} bytes, not what ${e.dtype}[${e.shape}] needs`);
    if (end < begin) throw bad(`tensor "${name}" ends before it starts`);
    at = end;
  }
  if (at !== bufferBytes) throw bad(`the tensors cover ${at} bytes of a ${bufferBytes}-byte buffer`);
}

/** The float dtypes Folio reads: F32 as it is, F16 and BF16 widened to float32. */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16'] as const;

/** float16 bits → float32, by table (65,536 entries, built once on first use). */
let halfTable: Float32Array | undefined;
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    t[h] = exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return (halfTable = t);
}

/**
 * One tensor's values as float32. An aligned F32 tensor is a view on the file's bytes (no
 * copy: a 500 MB model is not held twice); F16 and BF16 are widened into a new array. The
 * header was checked first (readHeader): the offsets lie inside the file and match the shape.
 */
export function tensorF32(bytes: Uint8Array, h: Pick<DecodedSafetensors, 'header' | 'dataStart'>, name: string): Float32Array {
  const e = h.header[name];
  if (!e) throw bad(`there is no tensor "${name}"`);
  const begin = h.dataStart + e.data_offsets[0];
  const size = e.data_offsets[1] - e.data_offsets[0];
  if (begin + size > bytes.byteLength) throw bad(`tensor "${name}" lies past the end of the file`);
  const at = bytes.byteOffset + begin;
  if (e.dtype === 'F32') {
    const n = size / 4;
    if (at % 4 === 0 && LITTLE_ENDIAN) return new Float32Array(bytes.buffer, at, n);
    const out = new Float32Array(n);
    const view = new DataView(bytes.buffer, at, size);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  if (e.dtype === 'F16' || e.dtype === 'BF16') {
    const n = size / 2;
    const out = new Float32Array(n);
    const view = new DataView(bytes.buffer, at, size);
    if (e.dtype === 'F16') {
      const t = halfToFloat();
      for (let i = 0; i < n; i++) out[i] = t[view.getUint16(2 * i, true)]!;
    } else {
      const bits = new Uint32Array(out.buffer); // bfloat16 is the top half of a float32
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
    }
    return out;
  }
  throw bad(`tensor "${name}" is ${e.dtype}; Folio reads F32, F16 and BF16`);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decode a whole file; every tensor must be F32, F16 or BF16 (read as float32). */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const h = readHeader(bytes);
  const tensors = new Map<string, F32Tensor>();
  for (const [name, e] of Object.entries(h.header)) tensors.set(name, { shape: e.shape, data: tensorF32(bytes, h, name).slice() });
  return { ...h, tensors };
}

/**
 * A zip archive of files stored as they are (method 0, no compression), written and read
 * back, after PKWARE's APPNOTE: each file is a local header + its bytes, then a central
 * directory listing them all, then the end record. Names are UTF-8 (flag bit 11). Enough
 * for the Hugging Face export's one download (safetensors do not compress anyway); not a
 * general unzip: compressed entries, zip64 (past 4 GiB) and split archives are refused.
 *
 * The writer returns the archive as parts (headers between the files' own arrays), so a
 * large model is not copied once more: the page makes a Blob of them, Node concatenates.
 */

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Why an archive cannot be read: not a zip, a compressed entry, or damaged (bad sizes or CRC). */
export class ZipError extends Error {
  constructor(readonly reason: 'notZip' | 'compressed' | 'damaged') {
    super(`zip: ${reason}`);
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the zip and PNG polynomial, 0xEDB88320 reflected). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date fields (2-second resolution, years from 1980), local time as zip tools read them. */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: the lowest version that knows folders

/** The archive as parts to concatenate, in order. */
export function zipStored(entries: readonly ZipEntry[], when = new Date()): Uint8Array[] {
  const { time, date } = dosTime(when);
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const crc = crc32(e.data);
    const size = e.data.byteLength;
    if (size > 0xfffffffe || offset > 0xfffffffe) throw new RangeError('zip: a file past 4 GiB needs zip64, which this writer does not write');
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, VERSION, true);
    l.setUint16(6, UTF8_NAMES, true);
    l.setUint16(8, 0, true); // stored
    l.setUint16(10, time, true);
    l.setUint16(12, date, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, size, true);
    l.setUint32(22, size, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);
    const head = new Uint8Array(46 + name.length);
    const c = new DataView(head.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, (3 << 8) | VERSION, true); // made by: Unix, so unzip keeps plain file modes
    c.setUint16(6, VERSION, true);
    c.setUint16(8, UTF8_NAMES, true);
    c.setUint16(10, 0, true);
    c.setUint16(12, time, true);
    c.setUint16(14, date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, size, true);
    c.setUint32(24, size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(38, (0o100644 << 16) >>> 0, true); // -rw-r--r--
    c.setUint32(42, offset, true);
    head.set(name, 46);
    parts.push(local, e.data);
    central.push(head);
    offset += local.length + size;
  }
  const dirSize = central.reduce((n, h) => n + h.length, 0);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, dirSize, true);
  v.setUint32(16, offset, true);
  return [...parts, ...central, end];
}

/** The files of an archive this writer (or any zip tool told to store) made, by name; folders are skipped. */
export function unzipStored(bytes: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22 || v.getUint32(0, true) !== 0x04034b50) throw new ZipError('notZip');
  // The end record is the last 22 bytes, unless a comment (up to 64 KiB) follows it.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--)
    if (v.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw new ZipError('damaged');
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  const out = new Map<string, Uint8Array>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || v.getUint32(at, true) !== 0x02014b50) throw new ZipError('damaged');
    const method = v.getUint16(at + 10, true);
    const crc = v.getUint32(at + 16, true);
    const size = v.getUint32(at + 20, true);
    const nameLen = v.getUint16(at + 28, true);
    const skip = v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + skip;
    if (name.endsWith('/')) continue;
    if (method !== 0) throw new ZipError('compressed');
    if (local + 30 > bytes.length || v.getUint32(local, true) !== 0x04034b50) throw new ZipError('damaged');
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + size > bytes.length) throw new ZipError('damaged');
    const data = bytes.subarray(start, start + size);
    if (crc32(data) !== crc) throw new ZipError('damaged');
    out.set(name, data);
  }
  return out;
}

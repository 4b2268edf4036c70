/** Keep the last `blockSize` tokens: the model cannot look further back. */
export function cropContext(ids: number[], blockSize: number): number[] {
  return ids.length > blockSize ? ids.slice(ids.length - blockSize) : ids;
}

/** One map out of a prompt's attention maps: a layer's head, or the mean of its heads. */
import type { AttentionView } from '../../state/store';

/** Head `head` of `layer`, or the mean of the layer's heads (head = -1): [query][key]. */
export function pickMap(view: AttentionView, layer: number, head: number): number[][] {
  const heads = view.maps[Math.min(layer, view.maps.length - 1)] ?? [];
  if (head >= 0) return heads[Math.min(head, heads.length - 1)] ?? [];
  const T = view.tokens.length;
  return Array.from({ length: T }, (_, q) => Array.from({ length: T }, (_, k) => heads.reduce((s, h) => s + (h[q]?.[k] ?? 0), 0) / Math.max(1, heads.length)));
}

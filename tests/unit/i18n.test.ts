/**
 * Every sentence in both languages: the Portuguese dictionary and notice table have every
 * key the English ones have, of the same kind, and every notice renders in both.
 */
import { describe, expect, it } from 'vitest';
import { noticeText, STRINGS, type Notice } from '../../src/i18n';

describe('i18n', () => {
  it('Portuguese has every key English has, of the same kind (text, function, table)', () => {
    const missing: string[] = [];
    const walk = (en: Record<string, unknown>, pt: Record<string, unknown>, path: string) => {
      for (const [k, v] of Object.entries(en)) {
        if (!(k in pt)) missing.push(`${path}${k}`);
        else if (typeof pt[k] !== typeof v) missing.push(`${path}${k} (${typeof v} vs ${typeof pt[k]})`);
        else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, pt[k] as Record<string, unknown>, `${path}${k}.`);
      }
    };
    walk(STRINGS.en as unknown as Record<string, unknown>, STRINGS.pt as unknown as Record<string, unknown>, '');
    expect(missing).toEqual([]);
    expect(Object.keys(STRINGS.en.notice).length).toBeGreaterThan(60);
  });

  it('every notice renders in both languages, differently where words are involved', () => {
    // Values every notice's parameters accept: numbers, short texts, a model field.
    const texts = ['what', 'why', 'reason', 'error', 'text', 'chars', 'kind', 'name', 'has', 'needs', 'version', 'got', 'prompt', 'backend', 'renderer', 'adapter', 'failed', 'to', 'char'];
    const numbers = ['size', 'limit', 'tokens', 'context', 'min', 'heldOut', 'mb', 'max', 'embd', 'heads', 'expects', 'expected', 'reads', 'line', 'target', 'loss', 'uniform', 'step', 'back', 'lr', 'seconds', 'threads', 'repeated'];
    const params = { field: 'nHead', ...Object.fromEntries(texts.map((k) => [k, 'x'])), ...Object.fromEntries(numbers.map((k) => [k, 3])) };
    const same: string[] = [];
    for (const code of Object.keys(STRINGS.en.notice)) {
      const n = { code, params } as unknown as Notice;
      const [en, pt] = [noticeText('en', n), noticeText('pt', n)];
      expect(en.length, code).toBeGreaterThan(0);
      expect(pt.length, code).toBeGreaterThan(0);
      if (en === pt) same.push(code);
    }
    // Only the notices that are names or pass text through may read the same.
    expect(same.sort()).toEqual(['lblWebGl', 'lblWebGpu', 'raw']);
  });
});

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
    const texts = [
      'word',
      'what',
      'why',
      'reason',
      'error',
      'text',
      'chars',
      'kind',
      'name',
      'has',
      'needs',
      'version',
      'got',
      'prompt',
      'backend',
      'renderer',
      'adapter',
      'failed',
      'to',
      'char',
    ];
    const numbers = [
      'percent',
      'blockSize',
      'k',
      'size',
      'limit',
      'tokens',
      'context',
      'min',
      'heldOut',
      'mb',
      'max',
      'embd',
      'heads',
      'expects',
      'expected',
      'reads',
      'line',
      'target',
      'loss',
      'uniform',
      'step',
      'back',
      'lr',
      'seconds',
      'threads',
      'repeated',
      'need',
      'croppedPrompts',
      'cutCompletions',
      'identical',
      'kl',
      'budget',
      'from',
      'steps',
      'win',
      'before',
      'now',
      'rmSteps',
    ];
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

  it('after a divergence, names the button the page shows: Resume, or Train again when the weights went back to step 0', () => {
    const at = (back: number) => ({ code: 'diverged', params: { loss: NaN, uniform: 4.2, step: back + 1, back, lr: 10 } }) as Notice;
    expect(noticeText('en', at(40))).toMatch(/lower it, then press Resume\.$/);
    expect(noticeText('en', at(0))).toMatch(/lower it, then press Train again\.$/);
    expect(noticeText('pt', at(40))).toMatch(/clique em Retomar\.$/);
    expect(noticeText('pt', at(0))).toMatch(/clique em Treinar de novo\.$/);
  });

  it('says every number in the language’s own form (one formatter for both)', () => {
    const [en, pt] = [STRINGS.en, STRINGS.pt];
    expect([en.num(108290), pt.num(108290)]).toEqual(['108,290', '108.290']);
    expect([en.fixed(2.0456, 3), pt.fixed(2.0456, 3)]).toEqual(['2.046', '2,046']);
    expect([en.pct(0.094), pt.pct(0.094)]).toEqual(['9.4%', '9,4%']);
    expect([en.pct(0.57), pt.pct(0.57), pt.pct(0.0004), pt.pct(0)]).toEqual(['57%', '57%', '<0,1%', '0%']);
    expect([en.rate(1e-4), pt.rate(0.0025)]).toEqual(['1e-4', '0,0025']);
    expect(pt.trainVal(108290, 12034)).toMatch(/^108\.290 tokens .* 12\.034 /);
    expect(noticeText('pt', { code: 'tooShort', params: { tokens: 1234, context: 64, min: 2000, heldOut: 10 } } as Notice)).toMatch(/1\.234 tokens/);
  });
});

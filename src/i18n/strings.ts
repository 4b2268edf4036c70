/**
 * The page's words: the English and Portuguese dictionaries that components read through
 * `useT()`, put together from one file per topic. A translator works in the topic files,
 * where each sentence's English and Portuguese sit side by side: topics/ (a file per part of
 * the page), tour.ts (the guided tour, which state/ and ui/ also import its chapter list
 * from) and notices/ (the {code, params} messages, under `notice`).
 *
 * `Dict`, the type every language must fill, is the English dictionary's. Each topic's
 * Portuguese `satisfies` its English (every key, no other, parameters typed by the
 * English); the checks below add that no key is defined by two topics and that every
 * Portuguese sentence takes the same parameters as its English one.
 */
import type { Mismatched, None, Repeated } from './checks';
import { enNotice, ptNotice } from './notices';
import * as app from './topics/app';
import * as attention from './topics/attention';
import * as corpus from './topics/corpus';
import * as experiments from './topics/experiments';
import * as fineTune from './topics/fineTune';
import * as generate from './topics/generate';
import * as hfExport from './topics/hfExport';
import * as hub from './topics/hub';
import * as inside from './topics/inside';
import * as model from './topics/model';
import * as nextWords from './topics/nextWords';
import * as rewind from './topics/rewind';
import * as runs from './topics/runs';
import * as training from './topics/training';
import * as tour from './tour';

export const en = {
  notice: enNotice,
  ...app.en,
  ...corpus.en,
  ...model.en,
  ...training.en,
  ...hfExport.en,
  ...nextWords.en,
  ...hub.en,
  ...generate.en,
  ...fineTune.en,
  ...attention.en,
  ...inside.en,
  ...experiments.en,
  ...runs.en,
  ...rewind.en,
  ...tour.en,
};

export type Dict = typeof en;

const ptParts = {
  notice: ptNotice,
  ...app.pt,
  ...corpus.pt,
  ...model.pt,
  ...training.pt,
  ...hfExport.pt,
  ...nextWords.pt,
  ...hub.pt,
  ...generate.pt,
  ...fineTune.pt,
  ...attention.pt,
  ...inside.pt,
  ...experiments.pt,
  ...runs.pt,
  ...rewind.pt,
  ...tour.pt,
};

/** The page's words in Brazilian Portuguese, the language of the article Folio grew from. */
export const pt: Dict = ptParts;

// Compile-time only: no key in two topics, and Portuguese takes English's parameters.
export type DictChecks = [
  None<
    Repeated<
      [
        { notice: unknown },
        typeof app.en,
        typeof corpus.en,
        typeof model.en,
        typeof training.en,
        typeof hfExport.en,
        typeof nextWords.en,
        typeof hub.en,
        typeof generate.en,
        typeof fineTune.en,
        typeof attention.en,
        typeof inside.en,
        typeof experiments.en,
        typeof runs.en,
        typeof rewind.en,
        typeof tour.en,
      ]
    >
  >,
  None<Mismatched<Dict, typeof ptParts>>,
];

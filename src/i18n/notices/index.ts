/**
 * Notices: what the engine, the worker and the bridge have to tell the person, in English
 * and Brazilian Portuguese. They send a code and its values ({code, params}, see ../index.ts);
 * the page says it in the chosen language, and the CLI prints the English.
 *
 * The sentences live one file per topic, English and Portuguese side by side; this file
 * puts them together into the two tables. Each topic's Portuguese `satisfies` its English
 * (every key, no other, parameters typed by the English); the checks below add that no
 * code is defined twice and that each Portuguese notice takes the English parameters.
 */
import type { Mismatched, None, Repeated } from '../checks';
import * as backends from './backends';
import * as checkpoints from './checkpoints';
import * as corpus from './corpus';
import * as hub from './hub';
import * as model from './model';
import * as prompts from './prompts';
import * as rewind from './rewind';
import * as training from './training';
import * as tuning from './tuning';

export type { InnerNotice } from './common';
export type { ModelField } from './model';
export type { FileProblem } from './hub';

export const enNotice = {
  /** An error nobody wrote a sentence for (a browser or tfjs failure): shown as it came. */
  raw: (p: { text: string }) => p.text,
  ...corpus.en,
  ...model.en,
  ...checkpoints.en,
  ...prompts.en,
  ...training.en,
  ...tuning.en,
  ...backends.en,
  ...rewind.en,
  ...hub.en,
};

export type NoticeTable = typeof enNotice;

const ptParts = {
  raw: (p: { text: string }) => p.text,
  ...corpus.pt,
  ...model.pt,
  ...checkpoints.pt,
  ...prompts.pt,
  ...training.pt,
  ...tuning.pt,
  ...backends.pt,
  ...rewind.pt,
  ...hub.pt,
};

export const ptNotice: NoticeTable = ptParts;

// Compile-time only: no code in two topics, and Portuguese takes English's parameters.
export type NoticeChecks = [
  None<
    Repeated<
      [
        { raw: unknown },
        typeof corpus.en,
        typeof model.en,
        typeof checkpoints.en,
        typeof prompts.en,
        typeof training.en,
        typeof tuning.en,
        typeof backends.en,
        typeof rewind.en,
        typeof hub.en,
      ]
    >
  >,
  None<Mismatched<NoticeTable, typeof ptParts>>,
];

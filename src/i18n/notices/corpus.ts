/**
 * The notices about a corpus, in English and Portuguese: a file or pasted text that
 * cannot be learned from (data/), and a text the DNA tokenizer cannot read.
 */
import { mbEn, mbPt, nEn, nPt } from './common';

export const en = {
  fileTooLarge: (p: { size: number; limit: number }) => `This file is ${mbEn(p.size)}; the limit is ${mbEn(p.limit)}. Use a shorter excerpt.`,
  textTooLarge: (p: { size: number; limit: number }) => `This text is ${mbEn(p.size)}; the limit is ${mbEn(p.limit)}. Use a shorter excerpt.`,
  fileEmpty: () => 'This file is empty: there is no text to learn from.',
  utf16: () => 'This file is encoded as UTF-16. Save it as UTF-8 text (most editors: “Save as… → UTF-8”) and try again.',
  binaryFile: () => 'This looks like a binary file (it contains NUL bytes), not text. Choose a plain .txt file.',
  invalidUtf8: () => 'This file is not valid UTF-8 text. Re-save it as UTF-8 (for example from a text editor) and try again.',
  textEmpty: () => 'The text is empty: paste or choose some text to learn from.',
  whitespace: () => 'The text is only spaces and line breaks: there are no words to learn from.',
  binaryText: () => 'This looks like binary data (it contains NUL characters), not text.',
  controlChars: () => 'This looks like binary data (mostly control characters), not text. Choose a plain .txt file.',
  singleChar: (p: { char: string; repeated: number }) =>
    `The text is one character (“${p.char}”)${p.repeated ? ' repeated' : ''}: there is nothing to predict. Use real sentences.`,
  tooShort: (p: { tokens: number; context: number; min: number; heldOut: number }) =>
    `The text is too short for this model: it gives ${nEn(p.tokens)} tokens, but a context of ${nEn(p.context)} needs at least ${nEn(p.min)} ` +
    `(so that the ${p.heldOut}% held out for validation still holds one window). Add more text or pick a smaller context.`,
  fileTooLargeMb: (p: { mb: number }) => `That file is larger than ${p.mb} MB; Folio trains on small texts. Choose a smaller file.`,
  emptyPaste: () => 'The text box is empty: paste some text first.',
  pasteTooLargeMb: (p: { mb: number }) => `That text is larger than ${p.mb} MB; Folio trains on small texts. Paste a shorter excerpt.`,
  imageNotText: (p: { kind: string }) => `That is an image (${p.kind}), not text: Folio learns from written text. Choose a .txt file.`,
  notPlainText: (p: { kind: string }) => `That is a ${p.kind} file, not plain text. Save it as .txt first (in most editors: “Save as… → Plain text”).`,
  // the k-mer tokenizer
  dnaNotDna: (p: { percent: number }) =>
    `The k-mer tokenizer reads DNA (A, C, G, T), but only ${nEn(p.percent)}% of this text is bases. Choose the genome, or another tokenizer.`,
  dnaKmerK: (p: { k: string; min: number; max: number }) => `A k-mer has ${p.min} to ${p.max} bases (got ${p.k}).`,
};

export const pt = {
  fileTooLarge: (p) => `Este arquivo tem ${mbPt(p.size)}; o limite é ${mbPt(p.limit)}. Use um trecho menor.`,
  textTooLarge: (p) => `Este texto tem ${mbPt(p.size)}; o limite é ${mbPt(p.limit)}. Use um trecho menor.`,
  fileEmpty: () => 'Este arquivo está vazio: não há texto para aprender.',
  utf16: () => 'Este arquivo está codificado em UTF-16. Salve-o como texto UTF-8 (na maioria dos editores: “Salvar como… → UTF-8”) e tente de novo.',
  binaryFile: () => 'Isto parece um arquivo binário (contém bytes NUL), não texto. Escolha um arquivo .txt simples.',
  invalidUtf8: () => 'Este arquivo não é texto UTF-8 válido. Salve-o de novo como UTF-8 (por exemplo, num editor de texto) e tente outra vez.',
  textEmpty: () => 'O texto está vazio: cole ou escolha algum texto para aprender.',
  whitespace: () => 'O texto só tem espaços e quebras de linha: não há palavras para aprender.',
  binaryText: () => 'Isto parece dados binários (contém caracteres NUL), não texto.',
  controlChars: () => 'Isto parece dados binários (quase só caracteres de controle), não texto. Escolha um arquivo .txt simples.',
  singleChar: (p) => `O texto é um único caractere (“${p.char}”)${p.repeated ? ' repetido' : ''}: não há nada para prever. Use frases de verdade.`,
  tooShort: (p) =>
    `O texto é curto demais para este modelo: ele dá ${nPt(p.tokens)} tokens, mas um contexto de ${nPt(p.context)} precisa de pelo menos ${nPt(p.min)} ` +
    `(para que os ${p.heldOut}% reservados para validação ainda tenham uma janela). Acrescente texto ou escolha um contexto menor.`,
  fileTooLargeMb: (p) => `Esse arquivo tem mais de ${p.mb} MB; o Folio treina em textos pequenos. Escolha um arquivo menor.`,
  emptyPaste: () => 'A caixa de texto está vazia: cole algum texto antes.',
  pasteTooLargeMb: (p) => `Esse texto tem mais de ${p.mb} MB; o Folio treina em textos pequenos. Cole um trecho menor.`,
  imageNotText: (p) => `Essa é uma imagem (${p.kind}), não texto: o Folio aprende com texto escrito. Escolha um arquivo .txt.`,
  notPlainText: (p) => `Esse é um arquivo ${p.kind}, não texto simples. Salve-o como .txt antes (na maioria dos editores: “Salvar como… → Texto simples”).`,
  // the k-mer tokenizer
  dnaNotDna: (p) => `O tokenizador de k-mers lê DNA (A, C, G, T), mas só ${nPt(p.percent)}% deste texto são bases. Escolha o genoma, ou outro tokenizador.`,
  dnaKmerK: (p) => `Um k-mer tem de ${p.min} a ${p.max} bases (veio ${p.k}).`,
} satisfies typeof en;

/**
 * The Hugging Face export's words, in English and Portuguese: what the page says next to
 * *Save for Python / Hugging Face* (ui/training/CheckpointTools.tsx), and the README.md
 * written into the exported folder (checkpoint/hfReadme.ts puts it together, with the
 * Python code, whose comments are here too). The button and its first hint are in training.ts.
 */
import { fmtNum } from '../format';

const nEn = (x: number) => fmtNum(x, 'en');
const nPt = (x: number) => fmtNum(x, 'pt-BR');

export const en = {
  hfExportDna: (k: number) =>
    `This model reads overlapping ${k}-mers (a token at every base). The exported tokenizer.json rewrites any DNA text into them, so Python gets the model’s own token ids, and decoding gives the bases back.`,
  hfPythonShow: 'The Python that loads the .zip',
  // README.md of the exported folder
  hfReadmeTitle: (corpus: string, step: number) => `A Folio model: “${corpus}”, step ${nEn(step)}`,
  hfReadmeIntro: (p: { layers: number; heads: number; embd: number; context: number; vocab: number }) =>
    `A GPT-2 (${nEn(p.layers)} layers, ${nEn(p.heads)} heads, ${nEn(p.embd)} numbers per token, a context of ${nEn(p.context)} tokens, ${nEn(p.vocab)} tokens in its vocabulary) trained in Folio, a small GPT that trains in the browser. This folder is the form Hugging Face’s transformers reads.`,
  hfReadmeFiles: 'The files',
  hfReadmeFileWeights: 'the weights, under GPT-2’s names (the output head is tied to wte, as in GPT-2)',
  hfReadmeFileConfig: 'the GPT-2 configuration (gelu_new, LayerNorm eps 1e-5, no end-of-text token)',
  hfReadmeFileTokenizer: 'the tokenizer, for the tokenizers library',
  hfReadmeFileTokConfig: 'tells AutoTokenizer to read tokenizer.json',
  hfReadmeFileFolio: 'Folio’s own record (its tokenizer, training settings, step), so that Folio loads the folder back as the same model',
  hfReadmePython: 'In Python',
  hfReadmeInstall: 'Needs Python with PyTorch and transformers (`pip install torch transformers`). Write the next tokens after a prompt:',
  hfPyUnzip: (folder: string) => `makes the folder ${folder}/ (unzipped already? skip this line)`,
  hfPyContext: 'the model reads at most its last n_positions tokens',
  hfPyFollows: 'only k-mers whose first bases are the last bases so far',
  hfReadmeTokenizer: 'The tokenizer',
  hfReadmeTokChar: 'Characters: a BPE model with no merges; a character Folio never saw is skipped, as in Folio.',
  hfReadmeTokBpe:
    'Folio’s BPE: its merges in the order it learned them, on characters (not bytes), after a Split with Folio’s chunk regex. The ids are Folio’s.',
  hfReadmeTokWord:
    'Words: a WordLevel model after a Split with Folio’s word regex. One difference: a word outside the vocabulary is one unknown token here, while Folio spells it letter by letter.',
  hfReadmeTokByteBpe: 'GPT-2’s byte-level BPE, unchanged: the ids are GPT-2’s for any text.',
  hfReadmeTokKmer: (k: number) =>
    `DNA in ${k}-mers that do not overlap: only the bases A, C, G, T count (in either case; anything else, line breaks included, is skipped, as in Folio), read ${k} at a time; fewer than ${k} bases left at the end make no token.`,
  hfReadmeTokOverlap: (k: number) =>
    `DNA in overlapping ${k}-mers: a token at every base, the ${k} bases that start there. No model type of the tokenizers library cuts text into pieces that overlap, so tokenizer.json does it in its normalizer: it keeps the bases (A, C, G, T in either case; anything else is skipped, as in Folio), writes out the ${k}-mer that starts at each base, and the Split and the WordLevel model then read those ${k} letters at a time. So tok(text) gives the model’s own ids for any text. Decoding keeps the first ${k}-mer and the last base of each one after it, so it gives the bases back.`,
  hfReadmeOverlapCost: 'It costs time on long texts: about 5 s for 100,000 bases to encode, 2 s for 10,000 tokens to decode.',
  hfReadmePlain: 'The same ids in a few lines of plain Python, to check or to use without tokenizers:',
  hfReadmeLoadBack: 'Folio loads this folder back: in the page, Load from files (choose the .zip, or all the files); in the command line, --checkpoint FOLDER.',
};

export const pt = {
  hfExportDna: (k) =>
    `Este modelo lê ${k}-mers sobrepostos (um token em cada base). O tokenizer.json exportado reescreve qualquer texto de DNA neles, então o Python obtém os ids de token do próprio modelo, e a decodificação devolve as bases.`,
  hfPythonShow: 'O Python que carrega o .zip',
  hfReadmeTitle: (corpus, step) => `Um modelo do Folio: “${corpus}”, passo ${nPt(step)}`,
  hfReadmeIntro: (p) =>
    `Um GPT-2 (${nPt(p.layers)} camadas, ${nPt(p.heads)} cabeças, ${nPt(p.embd)} números por token, um contexto de ${nPt(p.context)} tokens, ${nPt(p.vocab)} tokens no vocabulário) treinado no Folio, um GPT pequeno que treina no navegador. Esta pasta é a forma que o transformers, do Hugging Face, lê.`,
  hfReadmeFiles: 'Os arquivos',
  hfReadmeFileWeights: 'os pesos, com os nomes do GPT-2 (a cabeça de saída é amarrada à wte, como no GPT-2)',
  hfReadmeFileConfig: 'a configuração do GPT-2 (gelu_new, eps 1e-5 na LayerNorm, sem token de fim de texto)',
  hfReadmeFileTokenizer: 'o tokenizador, para a biblioteca tokenizers',
  hfReadmeFileTokConfig: 'diz ao AutoTokenizer que leia o tokenizer.json',
  hfReadmeFileFolio:
    'o registro do próprio Folio (seu tokenizador, configurações de treino, passo), para que o Folio carregue a pasta de volta como o mesmo modelo',
  hfReadmePython: 'Em Python',
  hfReadmeInstall: 'Precisa de Python com PyTorch e transformers (`pip install torch transformers`). Escreva os próximos tokens depois de um prompt:',
  hfPyUnzip: (folder) => `cria a pasta ${folder}/ (já descompactou? pule esta linha)`,
  hfPyContext: 'o modelo lê no máximo seus últimos n_positions tokens',
  hfPyFollows: 'só os k-mers cujas primeiras bases são as últimas bases até aqui',
  hfReadmeTokenizer: 'O tokenizador',
  hfReadmeTokChar: 'Caracteres: um modelo BPE sem fusões; um caractere que o Folio nunca viu é pulado, como no Folio.',
  hfReadmeTokBpe:
    'O BPE do Folio: suas fusões na ordem em que as aprendeu, sobre caracteres (não bytes), depois de um Split com a regex de pedaços do Folio. Os ids são os do Folio.',
  hfReadmeTokWord:
    'Palavras: um modelo WordLevel depois de um Split com a regex de palavras do Folio. Uma diferença: uma palavra fora do vocabulário é aqui um só token desconhecido, enquanto o Folio a soletra letra por letra.',
  hfReadmeTokByteBpe: 'O BPE em bytes do GPT-2, sem mudança: os ids são os do GPT-2 para qualquer texto.',
  hfReadmeTokKmer: (k) =>
    `DNA em ${k}-mers que não se sobrepõem: só contam as bases A, C, G, T (maiúsculas ou minúsculas; o resto, quebras de linha inclusive, é pulado, como no Folio), lidas de ${k} em ${k}; menos de ${k} bases que sobram no fim não formam token.`,
  hfReadmeTokOverlap: (k) =>
    `DNA em ${k}-mers sobrepostos: um token em cada base, as ${k} bases que começam ali. Nenhum tipo de modelo da biblioteca tokenizers corta o texto em pedaços que se sobrepõem, então o tokenizer.json faz isso no normalizador: guarda as bases (A, C, G, T, maiúsculas ou minúsculas; o resto é pulado, como no Folio), escreve o ${k}-mer que começa em cada base, e o Split e o modelo WordLevel leem essas letras de ${k} em ${k}. Assim tok(texto) dá os ids do próprio modelo para qualquer texto. A decodificação guarda o primeiro ${k}-mer e a última base de cada um depois dele, então devolve as bases.`,
  hfReadmeOverlapCost: 'Isso custa tempo em textos longos: uns 5 s para codificar 100.000 bases, 2 s para decodificar 10.000 tokens.',
  hfReadmePlain: 'Os mesmos ids em poucas linhas de Python puro, para conferir ou usar sem o tokenizers:',
  hfReadmeLoadBack:
    'O Folio carrega esta pasta de volta: na página, Carregar de arquivos (escolha o .zip, ou todos os arquivos); na linha de comando, --checkpoint PASTA.',
} satisfies typeof en;

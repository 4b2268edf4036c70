/**
 * The notices about what a person types, in English and Portuguese: a prompt the model
 * cannot read (next words, attention, generate, DNA), and the word to inspect in one
 * step of backpropagation.
 */
export const en = {
  promptEmpty: () => 'Type a prompt to see what the model predicts next.',
  promptUnknown: (p: { chars: string }) => `None of the prompt's characters are in this model's vocabulary (${p.chars}).`,
  promptNoTokens: () => 'The prompt has no tokens the model knows; type some text first.',
  attentionPrompt: () => 'Type a prompt to see attention.',
  generatePrompt: () => 'Type a prompt (at least one known character) to generate from.',
  dnaPromptShort: (p: { k: number }) => `Type at least ${p.k} bases (A, C, G, T): this model reads DNA in ${p.k}-base tokens.`,
  // inside the model: the word one step of backpropagation is shown
  insideNoWord: () => 'Type the word that truly comes next.',
  insideCannotSpell: (p: { word: string }) => `This model's tokenizer cannot spell “${p.word}”.`,
  insideWordTooLong: (p: { word: string; tokens: number; blockSize: number }) =>
    `“${p.word}” takes ${p.tokens} tokens, more than the model's context of ${p.blockSize}.`,
};

export const pt = {
  promptEmpty: () => 'Digite um prompt para ver o que o modelo prevê a seguir.',
  promptUnknown: (p) => `Nenhum caractere do prompt está no vocabulário deste modelo (${p.chars}).`,
  promptNoTokens: () => 'O prompt não tem tokens que o modelo conheça; digite algum texto antes.',
  attentionPrompt: () => 'Digite um prompt para ver a atenção.',
  generatePrompt: () => 'Digite um prompt (com pelo menos um caractere conhecido) para gerar texto.',
  dnaPromptShort: (p) => `Digite pelo menos ${p.k} bases (A, C, G, T): este modelo lê DNA em tokens de ${p.k} bases.`,
  // inside the model: the word one step of backpropagation is shown
  insideNoWord: () => 'Digite a palavra que de fato vem a seguir.',
  insideCannotSpell: (p) => `O tokenizador deste modelo não consegue escrever “${p.word}”.`,
  insideWordTooLong: (p) => `“${p.word}” ocupa ${p.tokens} tokens, mais que o contexto de ${p.blockSize} do modelo.`,
} satisfies typeof en;

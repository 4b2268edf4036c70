"""
nanoGPT's CPU config in PyTorch, the reference Folio's speed and loss are held against.

Written after nanoGPT's model.py and train.py (not copied): the same GPT (pre-norm blocks,
tied head, N(0, 0.02) init with 0.02/sqrt(2 n_layer) on both c_proj), AdamW (beta 0.9/0.99,
eps 1e-8, decay 0.1 on matrices and embeddings only), clip 1, warm-up 100 then cosine
1e-3 -> 1e-4 at 2,000 steps, batch 12 of context 64.

  python3 tests/bench/pytorch_reference.py speed [--threads N] [--bias 0|1] [--steps N]
      ms per training step (forward, backward, clip, AdamW, batch drawn), one JSON line.
  python3 tests/bench/pytorch_reference.py train [--seed S] [--bias 0|1] [--gelu none|tanh]
                                                 [--folio PREFIX] [--steps N]
      nanoGPT's 2,000-step run; prints the final val loss over 200 batches (nanoGPT's
      estimate_loss) and over every window of the val split (valFull).
      --folio PREFIX: start from Folio's initial weights and train on Folio's batches
      (PREFIX.json, .weights.bin, .batches.bin, .tokens.bin from tests/bench/nanogpt-compare.ts), with Folio's
      parameter layout (x @ W + b), so both runs see the same numbers.

Needs PyTorch (Debian: apt install python3-torch libopenblas0-pthread; without OpenBLAS,
Debian's torch multiplies with the reference BLAS, ~10x slower). Not part of `npm test`.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

N_LAYER, N_HEAD, C, T, B = 4, 4, 128, 64, 12
CORPUS = 'corpus/tinyshakespeare.txt'


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['speed', 'train'])
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--bias', type=int, default=0, help="nanoGPT's default is bias=False")
    ap.add_argument('--gelu', default='none', help="'none' = exact erf GELU (nanoGPT's nn.GELU), 'tanh' = GPT-2's")
    ap.add_argument('--seed', type=int, default=1337)
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--folio', default=None)
    ap.add_argument('--log', type=int, default=100)
    ap.add_argument('--warmup', type=int, default=100)
    ap.add_argument('--decay', type=int, default=2000, help='the step where the cosine reaches the floor')
    return ap.parse_args()


class GPT:
    """The model as a dict of tensors in Folio's layout: linear weights (in, out)."""

    def __init__(self, vocab, bias, gelu):
        self.V, self.bias, self.gelu = vocab, bias, gelu
        self.p, self.decay = {}, {}
        resid = 0.02 / math.sqrt(2 * N_LAYER)
        self.add('wte', (vocab, C), 0.02, True)
        self.add('wpe', (T, C), 0.02, True)
        for l in range(N_LAYER):
            h = f'h.{l}.'
            self.norm(h + 'ln1')
            self.linear(h + 'attn.cAttn', C, 3 * C, 0.02)
            self.linear(h + 'attn.cProj', C, C, resid)
            self.norm(h + 'ln2')
            self.linear(h + 'mlp.cFc', C, 4 * C, 0.02)
            self.linear(h + 'mlp.cProj', 4 * C, C, resid)
        self.norm('lnF')
        self.mask = torch.tril(torch.ones(T, T, dtype=torch.bool))

    def add(self, name, shape, std=None, decay=False, value=0.0):
        t = torch.randn(shape) * std if std is not None else torch.full(shape, value)
        self.p[name] = t.requires_grad_()
        self.decay[name] = decay

    def linear(self, name, n_in, n_out, std):
        self.add(name + '.w', (n_in, n_out), std, True)
        if self.bias:
            self.add(name + '.b', (n_out,))

    def norm(self, name):
        self.add(name + '.g', (C,), value=1.0)
        if self.bias:
            self.add(name + '.b', (C,))

    def ln(self, x, name):
        return F.layer_norm(x, (C,), self.p[name + '.g'], self.p.get(name + '.b'), 1e-5)

    def lin(self, x, name):
        b = self.p.get(name + '.b')
        return x @ self.p[name + '.w'] + b if b is not None else x @ self.p[name + '.w']

    def __call__(self, idx):
        b, t = idx.shape
        x = self.p['wte'][idx] + self.p['wpe'][:t]
        for l in range(N_LAYER):
            h = f'h.{l}.'
            q, k, v = self.lin(self.ln(x, h + 'ln1'), h + 'attn.cAttn').split(C, dim=2)
            q, k, v = [z.view(b, t, N_HEAD, C // N_HEAD).transpose(1, 2) for z in (q, k, v)]
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // N_HEAD))
            att = att.masked_fill(~self.mask[:t, :t], float('-inf')).softmax(-1)
            y = (att @ v).transpose(1, 2).contiguous().view(b, t, C)
            x = x + self.lin(y, h + 'attn.cProj')
            z = self.lin(self.ln(x, h + 'ln2'), h + 'mlp.cFc')
            x = x + self.lin(F.gelu(z, approximate=self.gelu), h + 'mlp.cProj')
        return self.ln(x, 'lnF') @ self.p['wte'].t()  # tied head

    def optimizer(self):
        groups = [[p for n, p in self.p.items() if self.decay[n] == d] for d in (True, False)]
        return torch.optim.AdamW([{'params': groups[0], 'weight_decay': 0.1}, {'params': groups[1], 'weight_decay': 0.0}],
                                 lr=1e-3, betas=(0.9, 0.99), eps=1e-8)


def lr_at(it, warmup=100, decay=2000):
    if it < warmup:
        return 1e-3 * (it + 1) / warmup
    ratio = min(1.0, (it - warmup) / max(1, decay - warmup))
    return 1e-4 + 0.5 * (1 + math.cos(math.pi * ratio)) * (1e-3 - 1e-4)


def windows(stream, offsets):
    x = torch.stack([stream[o:o + T] for o in offsets])
    y = torch.stack([stream[o + 1:o + 1 + T] for o in offsets])
    return x, y


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    folio = json.load(open(a.folio + '.json')) if a.folio else None
    if folio:
        tokens = np.fromfile(a.folio + '.tokens.bin', dtype=np.int32).astype(np.int64)
        batches = torch.from_numpy(np.fromfile(a.folio + '.batches.bin', dtype=np.int32).astype(np.int64)).view(-1, 2, B, T)
    else:
        text = open(CORPUS, encoding='utf-8').read()
        stoi = {c: i for i, c in enumerate(sorted(set(text)))}
        tokens = np.array([stoi[c] for c in text], dtype=np.int64)
    n = int(len(tokens) * 0.9)
    train, val = torch.from_numpy(tokens[:n]), torch.from_numpy(tokens[n:])
    model = GPT(int(tokens.max()) + 1, bool(a.bias), a.gelu)
    if folio:
        weights = np.fromfile(a.folio + '.weights.bin', dtype=np.float32)
        for m in folio['manifest']:
            size = int(np.prod(m['shape']))
            with torch.no_grad():
                model.p[m['name']].copy_(torch.from_numpy(weights[m['offset']:m['offset'] + size].reshape(m['shape'])))
    params = list(model.p.values())
    opt = model.optimizer()

    def draw(stream):
        return torch.randint(len(stream) - T, (B,), generator=gen).tolist()

    def step(it):
        for g in opt.param_groups:
            g['lr'] = lr_at(it, a.warmup, a.decay)
        x, y = (batches[it, 0], batches[it, 1]) if folio else windows(train, draw(train))
        loss = F.cross_entropy(model(x).view(-1, model.V), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return loss.item(), norm.item()

    if a.mode == 'speed':
        steps = a.steps or 30
        for it in range(5):
            step(it)
        t0 = time.perf_counter()
        for it in range(5, 5 + steps):
            step(it)
        ms = (time.perf_counter() - t0) * 1000 / steps
        print(json.dumps({'torch': torch.__version__, 'threads': a.threads, 'bias': a.bias, 'msPerStep': round(ms, 2)}))
        return

    steps = a.steps or 2000
    t0, run = time.time(), []
    for it in range(steps):
        loss, norm = step(it)
        run.append(loss)
        if it < 5 or (it + 1) % a.log == 0:
            print(json.dumps({'step': it + 1, 'loss': round(loss, 6), 'mean': round(sum(run) / len(run), 4), 'gradNorm': round(norm, 6)}), flush=True)
            run = []

    with torch.no_grad():
        def mean_loss(stream, offsets_list):
            return sum(F.cross_entropy(model(x).view(-1, model.V), y.view(-1)).item()
                       for x, y in (windows(stream, o) for o in offsets_list)) / len(offsets_list)
        val200 = mean_loss(val, [draw(val) for _ in range(200)])
        nw = (len(val) - 1) // T  # every window of the split, once: no sampling noise
        xs, ys = val[:nw * T].view(nw, T), val[1:nw * T + 1].view(nw, T)
        full = sum(F.cross_entropy(model(xs[i:i + 64]).reshape(-1, model.V), ys[i:i + 64].reshape(-1), reduction='sum').item()
                   for i in range(0, nw, 64)) / (nw * T)
    print(json.dumps({'final': True, 'seed': a.seed, 'val': round(val200, 4), 'valFull': round(full, 4), 'sec': round(time.time() - t0, 1)}))


if __name__ == '__main__':
    main()

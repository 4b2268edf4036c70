# An independent GPT-2 forward pass in numpy (no torch, no transformers), written after
# transformers' GPT-2 code: Conv1D x@W+b, c_attn split q|k|v, heads, causal softmax scaled
# 1/sqrt(head size), gelu_new, LayerNorm with the config's eps, the head tied to wte. It reads
# an exported folder by the safetensors spec and prints the top next tokens as JSON, to set
# beside `npm run predict -- --checkpoint DIR --prompt TEXT --top 5` (char vocabularies).
#   python3 tests/python/check_gpt2_numpy.py fox-hf "The quick brown fox jumps over the lazy"
#   python3 tests/python/check_gpt2_numpy.py gpt2-folder --ids 464,2068,7586   (any tokenizer: token ids)
# Weights may be F32, F16 or BF16 and named with or without "transformer." (the Hub's gpt2 has
# none); buffers such as h.0.attn.bias (the causal mask) are skipped.
# check_hf_export.py imports next_probs (any tokenizer: it takes token ids).
#   ... --ids 464,2068 --adapter DIR   also applies a PEFT LoRA adapter folder, by PEFT's rule for
# GPT-2's Conv1D (fan_in_fan_out): W += (lora_alpha/r)·(lora_B @ lora_A).T on each target module.
import json, struct, sys, numpy as np


def load(d):
    cfg = json.load(open(f"{d}/config.json"))
    raw = open(f"{d}/model.safetensors", "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]; hdr = json.loads(raw[8:8+n]); base = 8+n
    W = {}
    for k, v in hdr.items():
        if k == "__metadata__" or k.endswith(".attn.bias") or k.endswith(".attn.masked_bias"):
            continue
        b = raw[base+v["data_offsets"][0]:base+v["data_offsets"][1]]
        if v["dtype"] == "F32": a = np.frombuffer(b, dtype="<f4")
        elif v["dtype"] == "F16": a = np.frombuffer(b, dtype="<f2").astype(np.float32)
        elif v["dtype"] == "BF16": a = (np.frombuffer(b, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else: raise ValueError(f"{k}: {v['dtype']}")
        W[k if k.startswith("transformer.") or k.startswith("lm_head") else "transformer." + k] = a.reshape(v["shape"])
    return cfg, W


def apply_adapter(W, d):
    """Merge a PEFT LoRA adapter folder into the weights W (in place), as peft's merge_and_unload does."""
    ac = json.load(open(f"{d}/adapter_config.json"))
    assert ac["peft_type"] == "LORA" and ac.get("fan_in_fan_out", True), ac
    r = ac["r"]; scale = ac["lora_alpha"] / (np.sqrt(r) if ac.get("use_rslora") else r)
    raw = open(f"{d}/adapter_model.safetensors", "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]; hdr = json.loads(raw[8:8+n]); base = 8+n
    T = {k: np.frombuffer(raw[base+v["data_offsets"][0]:base+v["data_offsets"][1]], dtype="<f4").reshape(v["shape"]) for k, v in hdr.items() if k != "__metadata__"}
    done = 0
    for k in T:
        if not k.endswith(".lora_A.weight"): continue
        module = k[len("base_model.model."):-len(".lora_A.weight")]
        module = module if module.startswith("transformer.") else "transformer." + module
        assert any(module.endswith("." + t) for t in ac["target_modules"]), module
        A = T[k]; B = T[k.replace("lora_A", "lora_B")]
        W[module + ".weight"] = W[module + ".weight"] + scale * (B @ A).T
        done += 1
    assert done > 0


def next_probs(cfg, W, ids):
    """P(next token) after ids (the last n_positions of them), as a numpy vector over the vocabulary."""
    eps = cfg["layer_norm_epsilon"]; H = cfg["n_head"]; C = cfg["n_embd"]; hs = C // H
    def ln(x, p): m = x.mean(-1, keepdims=True); v = ((x-m)**2).mean(-1, keepdims=True); return (x-m)/np.sqrt(v+eps)*W[p+".weight"]+W[p+".bias"]
    def gelu_new(x): return 0.5*x*(1+np.tanh(np.sqrt(2/np.pi)*(x+0.044715*x**3)))
    ids = list(ids)[-cfg["n_positions"]:]; T = len(ids)
    x = W["transformer.wte.weight"][ids] + W["transformer.wpe.weight"][:T]
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        a = ln(x, p+"ln_1") @ W[p+"attn.c_attn.weight"] + W[p+"attn.c_attn.bias"]
        q, k, v = np.split(a, 3, axis=-1)
        q, k, v = [t.reshape(T, H, hs).transpose(1, 0, 2) for t in (q, k, v)]
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hs) + np.triu(np.full((T, T), -1e9), 1)
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        y = (s @ v).transpose(1, 0, 2).reshape(T, C)
        x = x + y @ W[p+"attn.c_proj.weight"] + W[p+"attn.c_proj.bias"]
        h = gelu_new(ln(x, p+"ln_2") @ W[p+"mlp.c_fc.weight"] + W[p+"mlp.c_fc.bias"])
        x = x + h @ W[p+"mlp.c_proj.weight"] + W[p+"mlp.c_proj.bias"]
    logits = ln(x, "transformer.ln_f") @ W["transformer.wte.weight"].T
    p = np.exp(logits[-1] - logits[-1].max()); p /= p.sum()
    return p


if __name__ == "__main__":
    d = sys.argv[1]; prompt = sys.argv[2]
    cfg, W = load(d)
    if "--adapter" in sys.argv: apply_adapter(W, sys.argv[sys.argv.index("--adapter") + 1])
    if prompt == "--ids":
        p = next_probs(cfg, W, [int(i) for i in sys.argv[3].split(",")])
        print(json.dumps([{"id": int(i), "p": float(p[i])} for i in np.argsort(-p)[:10]]))
        sys.exit(0)
    vocab = json.load(open(f"{d}/tokenizer.json"))["model"]["vocab"]
    ids = [vocab[c] for c in prompt if c in vocab]  # char vocabulary
    p = next_probs(cfg, W, ids)
    inv = {i: s for s, i in vocab.items()}
    print(json.dumps([{"token": inv[int(i)], "p": float(p[i])} for i in np.argsort(-p)[:5]]))

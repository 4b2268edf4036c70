# The README's route, from Python: unzip an export (`npm run export -- --out X.zip`, or the
# page's download), tokenize texts with its tokenizer.json, and ask the weights for the next
# token with the numpy GPT-2 of check_gpt2_numpy.py. Prints one JSON object:
#   {"route": ..., "results": [{"text", "ids", "decoded", "probs"}, ...]}
# The route is the first that this Python has, or the one --route names:
#   transformers  AutoTokenizer.from_pretrained(folder), as the README's snippet
#   tokenizers    tokenizers.Tokenizer.from_file(folder/tokenizer.json)
#   python        a plain reading of tokenizer.json (below): the pieces Folio writes for
#                 k-mers and characters, with Python's re, which reads their regexes as
#                 Oniguruma does. Not a general `tokenizers`: BPE merges and word
#                 vocabularies need one of the routes above.
#   python3 tests/python/check_hf_export.py dna-hf.zip [--route python] TEXT [TEXT ...]
import json, os, re, sys, tempfile, zipfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_gpt2_numpy import load, next_probs


def plain_encoder(tok):
    """Encode as tokenizer.json says, for the normalizers, pre-tokenizers and models Folio writes for characters and k-mers."""
    norm, pre, model = tok.get("normalizer"), tok.get("pre_tokenizer"), tok["model"]
    steps = [] if norm is None else (norm["normalizers"] if norm["type"] == "Sequence" else [norm])
    vocab = model["vocab"]
    if model["type"] == "BPE" and (model.get("merges") or pre is not None):
        raise SystemExit("the python route reads no BPE merges: install tokenizers")

    def normalize(s):
        for n in steps:
            if n["type"] == "Lowercase":
                s = s.lower()
            elif n["type"] == "Replace" and "Regex" in n["pattern"]:
                s = re.sub(n["pattern"]["Regex"], lambda _m, c=n["content"]: c, s)
            elif n["type"] == "Replace":
                s = s.replace(n["pattern"]["String"], n["content"])
            else:
                raise SystemExit(f"normalizer {n['type']} is not read here")
        return s

    def pieces(s):
        if pre is None:
            return [s]
        if pre["type"] != "Split" or "Regex" not in pre["pattern"]:
            raise SystemExit(f"pre-tokenizer {pre['type']} is not read here")
        found = [(m.start(), m.end()) for m in re.finditer(pre["pattern"]["Regex"], s)]
        if pre["invert"] and pre["behavior"] == "Removed":
            return [s[a:b] for a, b in found]  # what the pattern does not match goes
        if not pre["invert"] and pre["behavior"] == "Isolated":
            out, at = [], 0
            for a, b in found:
                out += ([s[at:a]] if a > at else []) + [s[a:b]]
                at = b
            return out + ([s[at:]] if at < len(s) else [])
        raise SystemExit("this Split is not read here")

    def encode(text):
        ids = []
        for p in pieces(normalize(text)):
            if model["type"] == "WordLevel":
                ids.append(vocab.get(p, vocab.get(model["unk_token"])))
            else:  # BPE without merges: one token per character, unknown characters dropped
                ids += [vocab[c] for c in p if c in vocab]
        return ids

    return encode


def main(argv):
    route = None
    if "--route" in argv:
        i = argv.index("--route"); route = argv[i + 1]; argv = argv[:i] + argv[i + 2:]
    archive, texts = argv[0], argv[1:]
    out = tempfile.mkdtemp()
    zipfile.ZipFile(archive).extractall(out)  # as the README: the zip holds one folder
    (name,) = os.listdir(out)
    folder = os.path.join(out, name)
    decode = lambda ids: None
    if route in (None, "transformers"):
        try:
            from transformers import AutoTokenizer
            tok = AutoTokenizer.from_pretrained(folder)
            encode, decode, route = (lambda t: tok(t).input_ids), tok.decode, "transformers"
        except ImportError:
            if route: raise
    if route in (None, "tokenizers"):
        try:
            from tokenizers import Tokenizer
            tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
            encode, decode, route = (lambda t: tok.encode(t).ids), tok.decode, "tokenizers"
        except ImportError:
            if route: raise
    if route in (None, "python"):
        encode, route = plain_encoder(json.load(open(os.path.join(folder, "tokenizer.json")))), "python"
    cfg, W = load(folder)
    results = []
    for t in texts:
        ids = encode(t)
        probs = next_probs(cfg, W, ids).tolist() if ids else []
        results.append({"text": t, "ids": ids, "decoded": decode(ids), "probs": probs})
    print(json.dumps({"route": route, "folder": name, "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])

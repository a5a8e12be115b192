#!/usr/bin/python3
"""Independent GPT-2 reference for the trainer's Hugging Face parity tests.

Plain PyTorch (Debian's python3-torch; no transformers or safetensors package is needed): GPT-2's
forward pass written from the published architecture over Hugging Face's tensor names and Conv1D
([in, out]) layout, and a safetensors reader/writer of its own.

  gpt2_reference.py make OUT            checkpoint folders of several shapes and layouts, random weights,
                                        each with reference.json (token ids, greedy tokens) and
                                        reference.safetensors (logits); plus dtypes.safetensors (F16/BF16)
  gpt2_reference.py forward DIR IDS OUT a folder (e.g. one the Java exporter wrote) on the token ids in
                                        the JSON file IDS ([[...], ...]); writes OUT.safetensors with
                                        "logits" (LM) or "scores" (sequence classifier, every position)
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}


# ---- safetensors -------------------------------------------------------------------------------

def write_safetensors(path, tensors, dtype="F32"):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.detach().to(DTYPES[dtype][0]).contiguous()
        # bytes through an int16/float32 view: numpy may be absent and has no bfloat16 anyway
        raw = t.view(torch.int16).numpy().tobytes() if DTYPES[dtype][1] == 2 else t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dtype, size = DTYPES[e["dtype"]]
        begin, end = e["data_offsets"]
        raw = bytearray(data[begin:end])
        flat = torch.frombuffer(raw, dtype=torch.int16 if size == 2 else torch.float32)
        if size == 2:
            flat = flat.view(dtype)
        out[name] = flat.float().reshape(e["shape"]) if e["shape"] else flat.float().reshape(())
    return out


# ---- the model ---------------------------------------------------------------------------------

def load(folder):
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
    else:
        shards = ["model.safetensors"]
    w = {}
    for s in shards:
        for k, v in read_safetensors(os.path.join(folder, s)).items():
            w[k[len("transformer."):] if k.startswith("transformer.") else k] = v
    return cfg, w


def hidden_states(cfg, w, ids):
    """GPT-2 (Radford et al. 2019): pre-LN blocks, causal attention, Conv1D projections x @ W + b."""
    n_head, eps = cfg["n_head"], cfg.get("layer_norm_epsilon", 1e-5)
    act = cfg.get("activation_function", "gelu_new")
    gelu = (lambda x: F.gelu(x, approximate="tanh")) if act in ("gelu_new", "gelu_pytorch_tanh") else F.gelu
    b, t = ids.shape
    x = w["wte.weight"][ids] + w["wpe.weight"][torch.arange(t)]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for l in range(cfg["n_layer"]):
        p = "h.%d." % l
        h = F.layer_norm(x, (x.shape[-1],), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        q, k, v = (h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]).split(x.shape[-1], dim=2)
        heads = lambda z: z.view(b, t, n_head, -1).transpose(1, 2)
        q, k, v = heads(q), heads(k), heads(v)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
        att = att.masked_fill(~causal, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, -1)
        x = x + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = F.layer_norm(x, (x.shape[-1],), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        x = x + gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"]) @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    return F.layer_norm(x, (x.shape[-1],), w["ln_f.weight"], w["ln_f.bias"], eps)


def logits(cfg, w, ids):
    tied = cfg.get("tie_word_embeddings", True)
    return hidden_states(cfg, w, ids) @ (w["wte.weight"] if tied else w["lm_head.weight"]).T


def greedy(cfg, w, prompt, n):
    seq, gaps = list(prompt), []
    for _ in range(n):
        last = logits(cfg, w, torch.tensor([seq]))[0, -1]
        top = last.topk(2).values
        gaps.append(float(top[0] - top[1]))
        seq.append(int(last.argmax()))
    return seq[len(prompt):], min(gaps)


# ---- checkpoints of several shapes and layouts -------------------------------------------------

def random_weights(cfg, gen):
    d, V, P = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    rnd = lambda *s, std=0.2: torch.randn(*s, generator=gen) * std
    w = {"wte.weight": rnd(V, d, std=0.5), "wpe.weight": rnd(P, d, std=0.5)}
    for l in range(cfg["n_layer"]):
        p = "h.%d." % l
        for ln in ("ln_1", "ln_2"):
            w[p + ln + ".weight"] = 1 + rnd(d, std=0.1)
            w[p + ln + ".bias"] = rnd(d, std=0.1)
        w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"] = rnd(d, 3 * d), rnd(3 * d, std=0.1)
        w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"] = rnd(d, d), rnd(d, std=0.1)
        w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"] = rnd(d, 4 * d), rnd(4 * d, std=0.1)
        w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"] = rnd(4 * d, d, std=0.1), rnd(d, std=0.1)
    w["ln_f.weight"], w["ln_f.bias"] = 1 + rnd(d, std=0.1), rnd(d, std=0.1)
    if not cfg.get("tie_word_embeddings", True):
        w["lm_head.weight"] = rnd(V, d, std=0.5)
    return w


# name, config, prefixed, shards, extras: mask buffers (original gpt2 upload) / a saved tied lm_head
CASES = [
    ("tiny-original", dict(vocab_size=300, n_embd=32, n_layer=2, n_head=4, n_positions=64), False, 1, "masks"),
    ("tiny-sharded", dict(vocab_size=300, n_embd=48, n_layer=3, n_head=6, n_positions=40,
                          layer_norm_epsilon=1e-6), True, 3, "lm_head"),
    ("gpt2-vocab", dict(vocab_size=50257, n_embd=64, n_layer=2, n_head=4, n_positions=128), True, 1, None),
    ("untied-exact-gelu", dict(vocab_size=300, n_embd=32, n_layer=2, n_head=2, n_positions=32,
                               activation_function="gelu", tie_word_embeddings=False), False, 1, None),
]


def make(out):
    gen = torch.Generator().manual_seed(12)
    for name, shape, prefixed, shards, extra in CASES:
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        cfg = dict(model_type="gpt2", architectures=["GPT2LMHeadModel"], layer_norm_epsilon=1e-5,
                   activation_function="gelu_new", n_inner=None)
        cfg.update(shape)
        w = random_weights(cfg, gen)
        stored = {}
        for k, v in w.items():
            top = k.startswith("lm_head.")
            stored[k if (top or not prefixed) else "transformer." + k] = v
        if extra == "masks":
            for l in range(cfg["n_layer"]):
                P = cfg["n_positions"]
                stored["h.%d.attn.bias" % l] = torch.tril(torch.ones(P, P)).view(1, 1, P, P)
                stored["h.%d.attn.masked_bias" % l] = torch.tensor(-1e4)
        if extra == "lm_head":
            stored["lm_head.weight"] = w["wte.weight"].clone()
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        names = list(stored)
        if shards == 1:
            write_safetensors(os.path.join(folder, "model.safetensors"), stored)
        else:
            weight_map = {}
            for s in range(shards):
                file = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
                part = {k: stored[k] for k in names[s::shards]}
                write_safetensors(os.path.join(folder, file), part)
                weight_map.update({k: file for k in part})
            with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
                json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f)
        V, P = cfg["vocab_size"], cfg["n_positions"]
        ids = torch.randint(0, V, (2, min(12, P)), generator=gen)
        with torch.no_grad():
            lg = logits(cfg, w, ids)
            tokens, gap = greedy(cfg, w, ids[0, :5].tolist(), min(10, P - 5))
        write_safetensors(os.path.join(folder, "reference.safetensors"), {"logits": lg})
        with open(os.path.join(folder, "reference.json"), "w") as f:
            json.dump({"ids": ids.tolist(), "prompt": ids[0, :5].tolist(), "greedy": tokens,
                       "smallest_top2_gap": gap}, f)
    dtypes(out)


def dtypes(out):
    """The same values as F16 and BF16, and what they widen to in fp32, for the reader's test."""
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(3, 5, generator=gen) * 10
    x[0, 0], x[0, 1], x[0, 2] = 65504.0, -0.0, 1e-7
    write_safetensors(os.path.join(out, "f16.safetensors"), {"x": x}, "F16")
    write_safetensors(os.path.join(out, "bf16.safetensors"), {"x": x}, "BF16")
    with open(os.path.join(out, "dtypes.json"), "w") as f:
        json.dump({"F16": x.half().float().flatten().tolist(), "BF16": x.bfloat16().float().flatten().tolist(),
                   "shape": list(x.shape)}, f)


def forward(folder, ids_file, out):
    cfg, w = load(folder)
    with open(ids_file) as f:
        ids = torch.tensor(json.load(f))
    with torch.no_grad():
        if "GPT2ForSequenceClassification" in cfg.get("architectures", []):
            result = {"scores": (hidden_states(cfg, w, ids) @ w["score.weight"].T).squeeze(-1)}
        else:
            result = {"logits": logits(cfg, w, ids)}
    write_safetensors(out, result)


if __name__ == "__main__":
    torch.manual_seed(0)
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "forward":
        forward(*sys.argv[2:])
    else:
        sys.exit(__doc__)

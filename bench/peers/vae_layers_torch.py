#!/usr/bin/python3
"""PyTorch peer of bench/src/main/java/dev/weft/bench/VaeLayers.java: the VAE's inference pass
(batch 512, model.eval() under torch.no_grad(), sampling z, logits out, as models_torch.py runs it)
beside each of its Linear layers alone, so a gap between Weft and PyTorch can be put on a part.
decoder_out_reused writes the decoder's product into an output tensor made once
(torch.addmm(..., out=)), the counterpart of Weft's part of that name.

Method (the same as VaeLayers.java): parts run in turn, --rounds rounds; in each round every part
is warmed up by 30 calls and timed over 200 calls, each timed alone; the round's value is their
median. Prints one JSON row per part (median and min-max over rounds, milliseconds).

Usage: /usr/bin/python3 bench/peers/vae_layers_torch.py [--threads 1] [--rounds 7]
"""
import argparse
import json
import os
import platform
import sys
import time

# models_torch sets the thread variables from --threads (and drops OPENBLAS_CORETYPE/L2_SIZE)
# before it imports torch, so it is imported first.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models_torch  # noqa: E402
import torch  # noqa: E402


def median_ms(fn, calls):
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[calls // 2] * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(3)

    model, x, _, infer = models_torch.make_case("vae")   # x: [512, 784], the benchmark's own pass
    model.eval()
    h = torch.rand(512, 128) * 2 - 1               # h: [512, 128]
    z = torch.randn(512, 20)                       # z: [512, 20]
    enc, mean, log_var = torch.nn.Linear(784, 128), torch.nn.Linear(128, 20), torch.nn.Linear(128, 20)
    hid, out = torch.nn.Linear(20, 128), torch.nn.Linear(128, 784)
    reused = torch.empty(512, 784)
    w_out_t = out.weight.t()

    parts = {
        "pass": lambda: infer(model, x),
        "encoder": lambda: enc(x),
        "mean_logvar": lambda: (mean(h), log_var(h)),
        "decoder_hidden": lambda: torch.relu(hid(z)),
        "decoder_out": lambda: out(h),
        "decoder_out_reused": lambda: torch.addmm(out.bias, h, w_out_t, out=reused),
    }
    per_round = {p: [] for p in parts}
    with torch.no_grad():
        for _ in range(args.rounds):
            for name, fn in parts.items():
                for _ in range(30):
                    fn()
                per_round[name].append(median_ms(fn, 200))
    rows = []
    for name, v in per_round.items():
        v = sorted(v)
        rows.append({"impl": "torch", "torch": torch.__version__, "python": platform.python_version(),
                     "threads": args.threads, "part": name, "ms_median": round(v[len(v) // 2], 4),
                     "ms_min": round(v[0], 4), "ms_max": round(v[-1], 4), "rounds": args.rounds})
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

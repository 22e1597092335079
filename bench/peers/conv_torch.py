#!/usr/bin/python3
"""PyTorch peer for Weft's conv2d: times torch.nn.functional.conv2d on the ResNet-18 3x3 layer
shapes (batch 64, C -> C, stride 1, padding 1 = Keras 'same', with bias), NCHW as PyTorch runs it.

forward: under torch.no_grad(); forward+backward: x and w require grad, y.backward(dy) gives
grad input, grad weight and grad bias. FLOPs: forward 2*N*OH*OW*Cout*KH*KW*Cin, fwd+bwd 3x.
Method (same as bench/src/main/java/dev/weft/bench/ConvCompare.java): warm-up >= 1 s, then
--samples samples of >= 0.2 s each; prints median and min/max GFLOP/s as JSON on stdout.
--clock cpu times samples in process CPU seconds instead of wall seconds: on a shared, loaded
machine this estimates the unloaded 1-thread speed (it is not meaningful for 2 threads, where
OpenMP spin-waiting counts as CPU time).

Usage: /usr/bin/python3 bench/peers/conv_torch.py [--threads 1,2] [--samples 9] [--batch 64]
       [--shapes 64x30,128x15,256x8,512x4] [--phases fwd,fwdbwd] [--clock wall|cpu]
Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (see PERF-ANCHORS.md); conv itself runs
in oneDNN.
"""
import argparse
import json
import os
import platform
import sys
import time

for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(var, None)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def gflops_samples(fn, flops, samples, clock=time.perf_counter):
    end = time.perf_counter() + 1.0
    n = 0
    while time.perf_counter() < end or n < 3:
        fn()
        n += 1
    out = []
    for _ in range(samples):
        calls = 0
        t0 = clock()
        while True:
            fn()
            calls += 1
            t1 = clock()
            if t1 - t0 >= 0.2:
                break
        out.append(flops * calls / (t1 - t0) / 1e9)
    out.sort()
    return out[len(out) // 2], out[0], out[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--samples", type=int, default=9)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--shapes", default="64x30,128x15,256x8,512x4")
    ap.add_argument("--phases", default="fwd,fwdbwd")
    ap.add_argument("--clock", default="wall", choices=["wall", "cpu"],
                    help="cpu = process CPU time (meaningful at 1 thread on a shared machine)")
    a = ap.parse_args()
    torch.manual_seed(0)
    rows = []
    for t in [int(v) for v in a.threads.split(",")]:
        torch.set_num_threads(t)
        for shape in a.shapes.split(","):
            c, hw = (int(v) for v in shape.split("x"))
            n = a.batch
            x = torch.randn(n, c, hw, hw)
            w = torch.randn(c, c, 3, 3) * 0.05
            b = torch.randn(c)
            dy = torch.randn(n, c, hw, hw)
            flops = 2.0 * n * hw * hw * c * 9 * c
            for phase in a.phases.split(","):
                if phase == "fwd":
                    def fn():
                        with torch.no_grad():
                            F.conv2d(x, w, b, stride=1, padding=1)
                    f = flops
                else:
                    xg = x.clone().requires_grad_(True)
                    wg = w.clone().requires_grad_(True)
                    bg = b.clone().requires_grad_(True)

                    def fn():
                        xg.grad = None
                        wg.grad = None
                        bg.grad = None
                        F.conv2d(xg, wg, bg, stride=1, padding=1).backward(dy)
                    f = 3 * flops
                clock = time.process_time if a.clock == "cpu" else time.perf_counter
                med, lo, hi = gflops_samples(fn, f, a.samples, clock)
                row = {"impl": "torch", "torch": torch.__version__, "threads": t, "channels": c, "hw": hw,
                       "batch": n, "phase": phase, "gflops_median": round(med, 2), "gflops_min": round(lo, 2),
                       "gflops_max": round(hi, 2), "clock": a.clock, "loadavg": os.getloadavg()[0]}
                print(json.dumps(row), file=sys.stderr, flush=True)
                rows.append(row)
    print(json.dumps({"python": platform.python_version(), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()

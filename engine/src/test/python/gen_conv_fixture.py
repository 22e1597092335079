#!/usr/bin/python3
"""PyTorch fixtures for the Winograd convolution kernels (dev.weft.engine.kernels.Conv2dTorchFixtureTest).

Run from the repository root with Debian's interpreter and python3-torch / python3-numpy:

    /usr/bin/python3 engine/src/test/python/gen_conv_fixture.py

It rewrites engine/src/test/resources/fixtures/conv/conv3x3.txt. The Winograd path runs only on
3x3 stride-1 layers with channel counts that are whole vectors (16 here covers AVX-512 and AVX2), and
by default only on large layers; these cases are small, and the Java test calls the kernels directly.

FORMAT (text, '#' lines are comments), per case:
    case <name> <n> <h> <w> <cin> <cout> <padTop> <padBottom> <padLeft> <padRight>
    x|w|b|r|y|dx|dw|db <values...>
x [N, H, W, Cin] and w [3, 3, Cin, Cout] (Weft's layouts), bias b [Cout], a random upstream
gradient r [N, OH, OW, Cout]; torch's y = conv(x, w) + b and the gradients of sum(y * r), computed
in float64 from the float32 inputs. Floats as repr(float32).
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join("engine", "src", "test", "resources", "fixtures", "conv", "conv3x3.txt")

CASES = [
    # name, n, h, w, cin, cout, pads (top, bottom, left, right)
    ("same_odd", 2, 5, 5, 16, 16, (1, 1, 1, 1)),     # 'same' on an odd size: clipped tiles
    ("asymmetric", 1, 4, 6, 16, 16, (0, 2, 2, 1)),   # explicit asymmetric pads, rectangular image
]


def fmt(a):
    # str(float32) is numpy's shortest string that reads back to the same float32
    return " ".join(str(v) for v in np.asarray(a, dtype=np.float32).ravel())


def main():
    rng = np.random.default_rng(20261127)
    lines = ["# written by engine/src/test/python/gen_conv_fixture.py; torch " + torch.__version__]
    for name, n, h, w, cin, cout, (pt, pb, pl, pr) in CASES:
        x = rng.uniform(-1, 1, (n, h, w, cin)).astype(np.float32)
        k = (rng.uniform(-1, 1, (3, 3, cin, cout)) * 0.3).astype(np.float32)
        b = rng.uniform(-1, 1, (cout,)).astype(np.float32)
        oh, ow = h + pt + pb - 2, w + pl + pr - 2
        r = rng.uniform(-1, 1, (n, oh, ow, cout)).astype(np.float32)
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        kt = torch.tensor(k, dtype=torch.float64, requires_grad=True)
        bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        xp = F.pad(xt.permute(0, 3, 1, 2), (pl, pr, pt, pb))             # NHWC -> NCHW, then pad
        y = F.conv2d(xp, kt.permute(3, 2, 0, 1), bt).permute(0, 2, 3, 1)  # kernel -> [cout, cin, kh, kw]
        (y * torch.tensor(r, dtype=torch.float64)).sum().backward()
        lines.append(f"case {name} {n} {h} {w} {cin} {cout} {pt} {pb} {pl} {pr}")
        for tag, a in [("x", x), ("w", k), ("b", b), ("r", r), ("y", y.detach().numpy()),
                       ("dx", xt.grad.numpy()), ("dw", kt.grad.numpy()), ("db", bt.grad.numpy())]:
            lines.append(tag + " " + fmt(a))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

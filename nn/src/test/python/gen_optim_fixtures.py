#!/usr/bin/python3
"""Generates the reference fixtures for Weft's losses, optimizers and weight files.

Run with Debian's system python3 (python3-torch, python3-numpy):
    /usr/bin/python3 nn/src/test/python/gen_optim_fixtures.py
Writes into nn/src/test/resources/fixtures/{losses,optim,io}/. Tests never run Python.

Text fixture format (read by dev.weft.nn.io.TextFixtures in the tests), one tensor per line:
    <name> <shape as comma-separated ints, or '-' for a scalar> <values...>
Values are float32 numbers printed with repr(), which parses back to the same float32.

Where torch's optimizer update differs from Keras' (Adam/AdamW/RMSprop/Adagrad epsilon placement,
SGD weight decay), the Keras formula is written out here in float32 torch ops; where they agree
(SGD with momentum/Nesterov and constant lr), the Keras formula is also checked against torch.optim.
"""
import math
import os
import struct
import json

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))
EPS = 1e-7  # keras.backend.epsilon()


class TextFixture:
    def __init__(self, path):
        self.path = path
        self.lines = []

    def put(self, name, t):
        a = np.asarray(t.detach().numpy() if isinstance(t, torch.Tensor) else t, dtype=np.float32)
        shape = "-" if a.ndim == 0 else ",".join(str(d) for d in a.shape)
        vals = " ".join(repr(float(v)) for v in a.reshape(-1))
        self.lines.append(f"{name} {shape} {vals}".rstrip())

    def write(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path, "w") as f:
            f.write("\n".join(self.lines) + "\n")
        print("wrote", os.path.relpath(self.path), os.path.getsize(self.path), "bytes")


# ----------------------------------------------------------------------------------------- losses

def keras_cce_probs(p, t):
    p = p / p.sum(-1, keepdim=True)
    p = torch.clamp(p, EPS, 1 - EPS)
    return -(t * torch.log(p)).sum(-1)


def keras_bce_probs(p, z):
    p = torch.clamp(p, EPS, 1 - EPS)
    return (-(z * torch.log(p) + (1 - z) * torch.log(1 - p))).mean(-1)


def loss_case(fx, name, fn, pred, target, extra_inputs=()):
    """Stores inputs, the per-sample values, and d(mean of values)/d(pred)."""
    pred = pred.clone().requires_grad_(True)
    per = fn(pred, target)
    per.mean().backward()
    fx.put(f"{name}.pred", pred)
    fx.put(f"{name}.target", target)
    fx.put(f"{name}.per_sample", per)
    fx.put(f"{name}.sum", per.sum())
    fx.put(f"{name}.mean", per.mean())
    fx.put(f"{name}.grad", pred.grad)


def gen_losses():
    g = torch.Generator().manual_seed(1234)
    fx = TextFixture(os.path.join(OUT, "losses", "losses.txt"))
    n, c = 4, 5
    logits = torch.randn(n, c, generator=g) * 2
    labels = torch.tensor([0, 3, 4, 1])
    onehot = F.one_hot(labels, c).float()
    soft = torch.softmax(torch.randn(n, c, generator=g), -1)
    probs = torch.softmax(torch.randn(n, c, generator=g), -1)
    probs[0, 2] = 0.0  # exercises the clip at epsilon
    extreme = torch.tensor([[100., -100., 0., 50., -50.], [-100., 100., 100., -100., 0.],
                            [100., 100., 100., 100., 100.], [-100., -100., -100., -100., 100.]])

    cce_logits = lambda x, t: F.cross_entropy(x, t, reduction="none")
    loss_case(fx, "cce_logits", cce_logits, logits, onehot)
    loss_case(fx, "cce_logits_soft", cce_logits, logits, soft)
    loss_case(fx, "cce_logits_extreme", cce_logits, extreme, onehot)
    loss_case(fx, "cce_probs", keras_cce_probs, probs, onehot)
    loss_case(fx, "cce_probs_soft", keras_cce_probs, probs, soft)

    sparse = lambda x, t: F.cross_entropy(x, t.long(), reduction="none")
    loss_case(fx, "scce_logits", sparse, logits, labels.float())
    loss_case(fx, "scce_logits_extreme", sparse, extreme, labels.float())
    sparse_probs = lambda p, t: keras_cce_probs(p, F.one_hot(t.long(), c).float())
    loss_case(fx, "scce_probs", sparse_probs, probs, labels.float())

    bl = torch.randn(n, 3, generator=g) * 3
    bz = (torch.rand(n, 3, generator=g) > 0.5).float()
    bz_soft = torch.rand(n, 3, generator=g)
    bce_logits = lambda x, z: F.binary_cross_entropy_with_logits(x, z, reduction="none").mean(-1)
    loss_case(fx, "bce_logits", bce_logits, bl, bz)
    loss_case(fx, "bce_logits_soft", bce_logits, bl, bz_soft)
    bext = torch.tensor([[100., -100., 0.], [-100., 100., 30.], [88., -88., 1e-3], [-1e3, 1e3, 5.]])
    loss_case(fx, "bce_logits_extreme", bce_logits, bext, bz)
    bp = torch.sigmoid(bl)
    bp[0, 0] = 0.0
    bp[1, 1] = 1.0
    loss_case(fx, "bce_probs", keras_bce_probs, bp, bz)

    sig = lambda x, z: F.binary_cross_entropy_with_logits(x, z, reduction="none")
    loss_case(fx, "sigmoid_ce", sig, bl, bz_soft)
    loss_case(fx, "sigmoid_ce_extreme", sig, bext, bz)

    yp = torch.randn(n, 3, generator=g) * 2
    yt = torch.randn(n, 3, generator=g) * 2
    loss_case(fx, "mse", lambda a, b: F.mse_loss(a, b, reduction="none").mean(-1), yp, yt)
    loss_case(fx, "mae", lambda a, b: F.l1_loss(a, b, reduction="none").mean(-1), yp, yt)
    loss_case(fx, "huber", lambda a, b: F.huber_loss(a, b, reduction="none", delta=1.0).mean(-1), yp, yt)
    loss_case(fx, "huber_d2", lambda a, b: F.huber_loss(a, b, reduction="none", delta=2.0).mean(-1), yp, yt)

    # Gaussian KL: "pred" = mean, "target" = log_var; both gradients stored.
    mean = (torch.randn(n, 6, generator=g)).requires_grad_(True)
    logvar = (torch.randn(n, 6, generator=g) * 0.5).requires_grad_(True)
    kl = -0.5 * (1 + logvar - mean ** 2 - torch.exp(logvar)).sum(-1)
    kl.mean().backward()
    fx.put("kl.mean_in", mean)
    fx.put("kl.logvar_in", logvar)
    fx.put("kl.per_sample", kl)
    fx.put("kl.mean", kl.mean())
    fx.put("kl.grad_mean", mean.grad)
    fx.put("kl.grad_logvar", logvar.grad)
    fx.write()


if __name__ == "__main__":
    gen_losses()

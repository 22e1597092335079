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




# ------------------------------------------------------------------------------------- optimizers
# Problem: two parameters, loss = 0.5 * sum(a1 * (w1 - c1)^2) + 0.5 * sum(a2 * (w2 - c2)^2), so
# grad = a * (w - c). Some coefficients are tiny so that epsilon placement matters.
def problem():
    w1 = torch.tensor([[0.5, -1.5], [2.0, 0.25], [-0.75, 1.0]])
    c1 = torch.tensor([[1.0, 0.0], [-1.0, 0.5], [0.0, -2.0]])
    a1 = torch.tensor([[1.0, 3.0], [0.5, 1e-5], [2.0, 1e-6]])
    w2 = torch.tensor([0.1, -0.2, 0.3, 4.0])
    c2 = torch.tensor([0.0, 1.0, -1.0, 0.0])
    a2 = torch.tensor([10.0, 1e-4, 0.2, 5.0])
    return [w1, w2], [c1, c2], [a1, a2]


def grads_of(ws, cs, as_):
    ws = [w.detach().clone().requires_grad_(True) for w in ws]
    loss = sum(0.5 * (a * (w - c) ** 2).sum() for w, c, a in zip(ws, cs, as_))
    loss.backward()
    return [w.grad.detach().clone() for w in ws]


def f32(x):
    return torch.tensor(x, dtype=torch.float32)


def clip_grads(gs, cfg):
    if "clipvalue" in cfg:
        v = cfg["clipvalue"]
        return [torch.clamp(g, -v, v) for g in gs]
    if "clipnorm" in cfg:
        c = cfg["clipnorm"]
        out = []
        for g in gs:
            n = float(torch.sqrt((g.double() ** 2).sum()))
            out.append(g * f32(c / n) if n > c else g)
        return out
    if "global_clipnorm" in cfg:
        c = cfg["global_clipnorm"]
        n = math.sqrt(sum(float((g.double() ** 2).sum()) for g in gs))
        return [g * f32(c / n) if n > c else g for g in gs]
    return gs


def keras_lr(cfg, step):
    sch = cfg.get("schedule")
    if sch is None:
        return cfg["lr"]
    if sch[0] == "cosine_warmup":  # keras.optimizers.schedules.CosineDecay with warmup
        _, initial, decay_steps, alpha, warmup_steps, target = sch
        s = min(step, decay_steps + warmup_steps)
        if s < warmup_steps:
            return initial + (target - initial) * s / warmup_steps
        frac = (s - warmup_steps) / decay_steps
        return target * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * frac)) + alpha)
    if sch[0] == "exponential":
        _, initial, decay_steps, rate, staircase = sch
        p = step / decay_steps
        return initial * rate ** (math.floor(p) if staircase else p)
    raise ValueError(sch)


class KerasOpt:
    """Keras 3 update rules, written out in float32 torch ops."""

    def __init__(self, kind, ws, cfg):
        self.kind, self.cfg, self.t = kind, cfg, 0
        z = lambda: [torch.zeros_like(w) for w in ws]
        self.m, self.v, self.vhat, self.a = z(), z(), z(), z()
        self.acc = [torch.full_like(w, cfg.get("initial_accumulator", 0.1)) for w in ws]

    def step(self, ws, gs):
        cfg = self.cfg
        lr = f32(keras_lr(cfg, self.t))
        gs = clip_grads(gs, cfg)
        wd = cfg.get("weight_decay", 0.0)
        out = []
        for i, (w, g) in enumerate(zip(ws, gs)):
            if wd:
                w = w - w * f32(wd) * lr
            k = self.kind
            if k == "sgd":
                mu = f32(cfg.get("momentum", 0.0))
                if cfg.get("momentum", 0.0) == 0:
                    w = w - lr * g
                else:
                    self.m[i] = -g * lr + self.m[i] * mu
                    w = w + (-g * lr + self.m[i] * mu if cfg.get("nesterov") else self.m[i])
            elif k == "adam":
                b1, b2, eps = cfg.get("beta1", 0.9), cfg.get("beta2", 0.999), cfg.get("epsilon", 1e-7)
                t = self.t + 1
                # Keras casts the betas to float32 and computes the powers and alpha in float32.
                b1p = f32(np.float32(b1) ** np.float32(t))
                b2p = f32(np.float32(b2) ** np.float32(t))
                alpha = lr * torch.sqrt(1 - b2p) / (1 - b1p)
                self.m[i] = self.m[i] + (g - self.m[i]) * (1 - f32(b1))
                self.v[i] = self.v[i] + (g * g - self.v[i]) * (1 - f32(b2))
                v = self.v[i]
                if cfg.get("amsgrad"):
                    self.vhat[i] = torch.maximum(self.vhat[i], v)
                    v = self.vhat[i]
                w = w - (self.m[i] * alpha) / (torch.sqrt(v) + f32(eps))
            elif k == "rmsprop":
                rho, mu, eps = f32(cfg.get("rho", 0.9)), cfg.get("momentum", 0.0), f32(cfg.get("epsilon", 1e-7))
                self.v[i] = rho * self.v[i] + (1 - rho) * (g * g)
                if cfg.get("centered"):
                    self.a[i] = rho * self.a[i] + (1 - rho) * g
                    d = self.v[i] - self.a[i] * self.a[i] + eps
                else:
                    d = self.v[i] + eps
                inc = lr * g / torch.sqrt(d)
                if mu > 0:
                    self.m[i] = f32(mu) * self.m[i] + inc
                    w = w - self.m[i]
                else:
                    w = w - inc
            elif k == "adagrad":
                self.acc[i] = self.acc[i] + g * g
                w = w - lr * g / torch.sqrt(self.acc[i] + f32(cfg.get("epsilon", 1e-7)))
            out.append(w)
        self.t += 1
        return out


STEPS = 6
OPT_CASES = {
    "sgd": ("sgd", {"lr": 0.1}),
    "sgd_momentum": ("sgd", {"lr": 0.1, "momentum": 0.9}),
    "sgd_nesterov": ("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    "sgd_weight_decay": ("sgd", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.05}),
    "sgd_clipvalue": ("sgd", {"lr": 0.1, "clipvalue": 0.5}),
    "sgd_global_clipnorm": ("sgd", {"lr": 0.1, "momentum": 0.5, "global_clipnorm": 1.0}),
    "sgd_momentum_cosine_warmup": ("sgd", {"momentum": 0.9, "schedule": ("cosine_warmup", 0.0, 4, 0.1, 2, 0.2)}),
    "adam": ("adam", {"lr": 0.1}),
    "adam_default_lr": ("adam", {"lr": 1e-3}),
    "adam_amsgrad": ("adam", {"lr": 0.1, "amsgrad": True}),
    "adam_clipnorm": ("adam", {"lr": 0.1, "clipnorm": 0.5}),
    "adam_exponential": ("adam", {"schedule": ("exponential", 0.1, 2, 0.5, True)}),
    "adamw": ("adam", {"lr": 0.05, "weight_decay": 0.1}),
    "rmsprop": ("rmsprop", {"lr": 0.01}),
    "rmsprop_centered_momentum": ("rmsprop", {"lr": 0.01, "momentum": 0.9, "centered": True}),
    "adagrad": ("adagrad", {"lr": 0.1}),
}


def trajectory(kind, cfg):
    ws, cs, as_ = problem()
    opt = KerasOpt(kind, ws, cfg)
    traj = [ws]
    for _ in range(STEPS):
        ws = opt.step(ws, grads_of(ws, cs, as_))
        traj.append(ws)
    return traj


def torch_trajectory(make_opt):
    ws, cs, as_ = problem()
    ps = [w.clone().requires_grad_(True) for w in ws]
    opt = make_opt(ps)
    traj = [[p.detach().clone() for p in ps]]
    for _ in range(STEPS):
        opt.zero_grad()
        loss = sum(0.5 * (a * (p - c) ** 2).sum() for p, c, a in zip(ps, cs, as_))
        loss.backward()
        opt.step()
        traj.append([p.detach().clone() for p in ps])
    return traj


def assert_same(a, b, what, tol=1e-6):
    for step, (x, y) in enumerate(zip(a, b)):
        for p, q in zip(x, y):
            assert torch.allclose(p, q, rtol=tol, atol=tol), f"{what}: step {step}: {p} vs {q}"


def cross_check_with_torch():
    """Where Keras and torch coincide, the Keras formulas above must reproduce torch.optim."""
    S = torch.optim
    assert_same(trajectory("sgd", {"lr": 0.1}), torch_trajectory(lambda p: S.SGD(p, lr=0.1)), "sgd")
    assert_same(trajectory("sgd", {"lr": 0.1, "momentum": 0.9}),
                torch_trajectory(lambda p: S.SGD(p, lr=0.1, momentum=0.9)), "sgd momentum")
    assert_same(trajectory("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
                torch_trajectory(lambda p: S.SGD(p, lr=0.1, momentum=0.9, nesterov=True)), "sgd nesterov")
    # With epsilon 0 the two Adam forms are the same function.
    assert_same(trajectory("adam", {"lr": 0.1, "epsilon": 1e-30}),
                torch_trajectory(lambda p: S.Adam(p, lr=0.1, eps=1e-30)), "adam eps=0", 1e-5)
    assert_same(trajectory("adam", {"lr": 0.05, "epsilon": 1e-30, "weight_decay": 0.1}),
                torch_trajectory(lambda p: S.AdamW(p, lr=0.05, eps=1e-30, weight_decay=0.1)), "adamw eps=0", 1e-5)
    assert_same(trajectory("adam", {"lr": 0.1, "epsilon": 1e-30, "amsgrad": True}),
                torch_trajectory(lambda p: S.Adam(p, lr=0.1, eps=1e-30, amsgrad=True)), "amsgrad eps=0", 1e-5)
    # torch's Adagrad with initial accumulator 0.1 and eps -> 0 is Keras' with eps -> 0.
    assert_same(trajectory("adagrad", {"lr": 0.1, "epsilon": 1e-30}),
                torch_trajectory(lambda p: S.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=1e-30)), "adagrad", 1e-5)
    # RMSprop with eps -> 0 and alpha = rho: same as torch (momentum buffers differ by lr, constant here).
    assert_same(trajectory("rmsprop", {"lr": 0.01, "epsilon": 1e-30, "momentum": 0.9, "centered": True}),
                torch_trajectory(lambda p: S.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-30, momentum=0.9, centered=True)),
                "rmsprop", 1e-5)
    # And the difference is real: Keras' Adam with default epsilon departs from torch's on tiny gradients.
    k = trajectory("adam", {"lr": 1e-3})
    t = torch_trajectory(lambda p: S.Adam(p, lr=1e-3, eps=1e-7))
    assert not torch.allclose(k[STEPS][0], t[STEPS][0], rtol=1e-7, atol=1e-7), "Keras and torch Adam should differ"
    print("cross-checks with torch.optim passed")


def gen_optim():
    cross_check_with_torch()
    fx = TextFixture(os.path.join(OUT, "optim", "trajectories.txt"))
    _, cs, as_ = problem()
    fx.put("problem.c1", cs[0]); fx.put("problem.c2", cs[1])
    fx.put("problem.a1", as_[0]); fx.put("problem.a2", as_[1])
    for name, (kind, cfg) in OPT_CASES.items():
        for step, ws in enumerate(trajectory(kind, cfg)):
            fx.put(f"{name}.w1.{step}", ws[0])
            fx.put(f"{name}.w2.{step}", ws[1])
    fx.write()




# ------------------------------------------------------------------------------------ weight files
# The Python `safetensors` package is not packaged for Debian, so the container is written here by
# hand from the documented format: u64 LE header length N, N bytes of JSON (padded with spaces to a
# multiple of 8), then the raw little-endian tensor bytes, offsets relative to the data start.

def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


def read_safetensors(path):
    """Reads a safetensors file (e.g. one Weft wrote) into torch tensors, validating the layout."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    out, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        b, e = info["data_offsets"]
        assert info["dtype"] == "F32" and b == end, (name, info)
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype="<f4").copy()).reshape(info["shape"])
        end = e
    assert end == len(data), "data section not tiled exactly"
    return out, meta


class TorchMlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.dense1 = torch.nn.Linear(4, 3)
        self.dense2 = torch.nn.Linear(3, 2)
        self.register_buffer("scale", torch.tensor([0.5, 2.0]))

    def forward(self, x):
        return self.dense2(torch.relu(self.dense1(x))) * self.scale

    def keras_state(self):
        # torch Linear keeps weight [out, in]; Weft/Keras Dense keeps kernel [in, out]: transpose.
        return {"dense1.kernel": self.dense1.weight.T, "dense1.bias": self.dense1.bias,
                "dense2.kernel": self.dense2.weight.T, "dense2.bias": self.dense2.bias, "scale": self.scale}


def gen_io():
    torch.manual_seed(7)
    m = TorchMlp()
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = m(x)
    write_safetensors(os.path.join(OUT, "io", "torch_mlp.safetensors"), m.keras_state(), {"format": "pt"})
    fx = TextFixture(os.path.join(OUT, "io", "torch_mlp.txt"))
    fx.put("x", x)
    fx.put("y", y)
    fx.write()
    back, _ = read_safetensors(os.path.join(OUT, "io", "torch_mlp.safetensors"))
    for k, v in m.keras_state().items():
        assert torch.equal(back[k], v.detach()), k


def check_weft_file(path):
    """Loads a Weft-written TorchMlp weight file into torch and prints its output on the fixture input."""
    tensors, meta = read_safetensors(path)
    m = TorchMlp()
    with torch.no_grad():
        m.dense1.weight.copy_(tensors["dense1.kernel"].T)
        m.dense1.bias.copy_(tensors["dense1.bias"])
        m.dense2.weight.copy_(tensors["dense2.kernel"].T)
        m.dense2.bias.copy_(tensors["dense2.bias"])
        m.scale.copy_(tensors["scale"])
        torch.manual_seed(7)
        TorchMlp()
        x = torch.randn(5, 4)
        print("metadata", meta)
        print("output", m(x))


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--check-weft-file":
        check_weft_file(sys.argv[2])
        sys.exit(0)
    gen_losses()
    gen_optim()
    gen_io()

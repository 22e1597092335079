#!/usr/bin/python3
"""PyTorch peer for Weft's model throughput benchmark (bench/compare-models.sh, ModelCompare.java).

The four seed models of DESIGN.md section 3, written the way a PyTorch user would (NCHW images,
nn.LSTM), with the same trainable parameter counts as Weft's zoo models (the LSTM has 512 more:
nn.LSTM keeps two bias vectors per gate, b_ih and b_hh, Keras/Weft one):

  vgg       seed VGG 2-2-4-4-4 on 32x32x3, Dense 4096-4096-100, batch 32       39,316,644 params
  resnet18  ResNet-18 with the seed's stem (3x3 valid conv, BN, ReLU, 2x2/1 'same' max-pool),
            BasicBlocks [2,2,2,2], 1x1 strided projection shortcut without BN, batch 64
                                                                                11,223,140 (+ BN stats)
  lstm      Embedding(20000,100) -> dropout 0.5 -> LSTM(64, seq) -> dropout 0.5 -> LSTM(64)
            -> Dense(1), batch 64, sequences of 100                              2,075,841
  vae       784 -> 128 -> (mean 20, log_var 20) -> z -> 128 ReLU -> 784 logits, batch 512
                                                                                   209,464

Training step: optimizer.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); Adam.step()
(lr 1e-3, eps 1e-7 as Keras). Softmax + categorical cross-entropy = F.cross_entropy on logits with
class indices (the same math as one-hot CE); LSTM: BCE with logits; VAE: the seed's loss
(sum of sigmoid CE / batch + KL / batch). Inference: model.eval() under torch.no_grad(), VGG with
softmax, LSTM with sigmoid, ResNet logits, VAE the whole pass incl. sampling z (logits out), as the
Weft side (Trainer.predictOnBatch) computes.

Method (the same as ModelCompare.java): random inputs made once; warm-up >= WARMUP_STEPS steps
and >= WARMUP_S seconds; then timed steps, each timed alone, until >= MIN_STEPS steps and
>= MIN_S seconds (stop at CAP_S seconds, at least 3 steps). Every step records wall time
(perf_counter) and process CPU time (all threads); prints one JSON object on stdout.

Usage: /usr/bin/python3 bench/peers/models_torch.py --model vgg --threads 1 --phase train
       [--warmup-steps 3 --warmup-s 3 --min-steps 9 --min-s 10 --cap-s 60] [--params]
Threads: torch.set_num_threads(N) and OPENBLAS_NUM_THREADS/OMP_NUM_THREADS=N (set here before
torch loads, when not already set). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed.
"""
import argparse
import json
import os
import platform
import resource
import sys
import time

for _var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_var, None)


def _threads_from_argv():
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


# The BLAS/OpenMP pools read these at load time, so they must be set before `import torch`.
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads_from_argv())
os.environ.setdefault("OMP_NUM_THREADS", _threads_from_argv())

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

BATCH = {"vgg": 32, "resnet18": 64, "lstm": 64, "vae": 512}


# ---------------------------------------------------------------------------------------- models

class Vgg(nn.Module):
    """Seed VGG: 3x3 'same' conv + ReLU blocks 2-2-4-4-4 (64..512), 2x2/2 max-pool after each."""

    def __init__(self, convs=(2, 2, 4, 4, 4), filters=(64, 128, 256, 512, 512), classes=100):
        super().__init__()
        layers, cin = [], 3
        for n, f in zip(convs, filters):
            for _ in range(n):
                layers += [nn.Conv2d(cin, f, 3, padding=1), nn.ReLU(inplace=True)]
                cin = f
            layers.append(nn.MaxPool2d(2, 2))  # 32 -> 16 -> 8 -> 4 -> 2 -> 1 (even sizes: = Keras 'same')
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(cin, 4096), nn.ReLU(inplace=True),
                                  nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Linear(4096, classes))

    def forward(self, x):  # x: [N, 3, 32, 32] -> logits [N, 100]
        return self.head(self.features(x))


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)  # Keras momentum 0.99, epsilon 1e-3


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, padding=1)  # 30 -> 15 -> 8 -> 4 as Keras 'same'
        self.bn1 = bn(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, padding=1)
        self.bn2 = bn(cout)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride) if stride != 1 else None  # no BN, as the seed

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(y + s)


class ResNet(nn.Module):
    """ResNet with the seed's stem: conv 3x3 valid (32 -> 30), BN, ReLU, max-pool 2x2 stride 1 'same'."""

    def __init__(self, layer_dims=(2, 2, 2, 2), classes=100):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 3)
        self.stem_bn = bn(64)
        blocks, cin = [], 64
        for stage, (n, f) in enumerate(zip(layer_dims, (64, 128, 256, 512))):
            for b in range(n):
                blocks.append(BasicBlock(cin, f, 2 if stage > 0 and b == 0 else 1))
                cin = f
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):  # x: [N, 3, 32, 32]
        x = F.relu(self.stem_bn(self.stem(x)))                                  # [N, 64, 30, 30]
        x = F.max_pool2d(F.pad(x, (0, 1, 0, 1), value=float("-inf")), 2, 1)    # Keras 'same': pad bottom/right
        x = self.blocks(x)                                                      # [N, 512, 4, 4]
        return self.fc(x.mean(dim=(2, 3)))                                      # logits [N, 100]


class LstmSentiment(nn.Module):
    def __init__(self, vocab=20000, embed=100, units=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.drop = nn.Dropout(0.5)  # the layers' input dropout (a fresh mask per step; Keras: per sequence)
        self.lstm1 = nn.LSTM(embed, units, batch_first=True)
        self.lstm2 = nn.LSTM(units, units, batch_first=True)
        self.fc = nn.Linear(units, 1)

    def forward(self, ids):  # ids: [N, T] int64 -> logit [N, 1]
        x, _ = self.lstm1(self.drop(self.embedding(ids)))       # [N, T, 64]
        _, (h, _) = self.lstm2(self.drop(x))                    # h: [1, N, 64]
        return self.fc(h[0])


class Vae(nn.Module):
    def __init__(self, inp=784, hidden=128, latent=20):
        super().__init__()
        self.encoder = nn.Linear(inp, hidden)       # no activation, as the seed
        self.mean = nn.Linear(hidden, latent)
        self.log_var = nn.Linear(hidden, latent)
        self.dec_hidden = nn.Linear(latent, hidden)
        self.dec_out = nn.Linear(hidden, inp)

    def forward(self, x):  # x: [N, 784] in [0, 1]
        h = self.encoder(x)
        mu, lv = self.mean(h), self.log_var(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * lv)    # reparameterisation
        return self.dec_out(F.relu(self.dec_hidden(z))), mu, lv


def vae_loss(out, x):
    logits, mu, lv = out
    n = x.shape[0]
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / n
    kl = torch.sum(-0.5 * (lv + 1 - mu * mu - torch.exp(lv))) / n
    return rec + kl


# ---------------------------------------------------------------------------------------- cases

def make_case(name):
    """(model, x, train_loss(model, x) -> scalar, infer(model, x) -> output), random data made once."""
    g = torch.Generator().manual_seed(42)
    n = BATCH[name]
    if name == "vgg":
        model = Vgg()
        x = torch.rand(n, 3, 32, 32, generator=g) * 2 - 1                   # [-1, 1]
        y = torch.randint(0, 100, (n,), generator=g)
        return model, x, (lambda m, x: F.cross_entropy(m(x), y)), (lambda m, x: F.softmax(m(x), dim=1))
    if name == "resnet18":
        model = ResNet()
        x = torch.rand(n, 3, 32, 32, generator=g)                           # [0, 1]
        y = torch.randint(0, 100, (n,), generator=g)
        return model, x, (lambda m, x: F.cross_entropy(m(x), y)), (lambda m, x: m(x))
    if name == "lstm":
        model = LstmSentiment()
        x = torch.randint(0, 20000, (n, 100), generator=g)
        y = torch.randint(0, 2, (n, 1), generator=g).float()
        return (model, x, (lambda m, x: F.binary_cross_entropy_with_logits(m(x), y)),
                (lambda m, x: torch.sigmoid(m(x))))
    if name == "vae":
        model = Vae()
        x = torch.rand(n, 784, generator=g)
        return model, x, (lambda m, x: vae_loss(m(x), x)), (lambda m, x: m(x)[0])
    raise SystemExit("models_torch.py: unknown model %r (vgg, resnet18, lstm, vae)" % name)


def step_fn(name, phase):
    model, x, train_loss, infer = make_case(name)
    if phase == "train":
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

        def step():
            opt.zero_grad()
            loss = train_loss(model, x)
            loss.backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                infer(model, x)
    return model, step


def count_params(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# ---------------------------------------------------------------------------------------- timing

def run(step, a):
    """Warm-up, then timed steps; returns (warm-up steps, [wall s], [process CPU s], window process CPU s)."""
    warm, t0 = 0, time.perf_counter()
    while warm < a.warmup_steps or time.perf_counter() - t0 < a.warmup_s:
        step()
        warm += 1
    walls, cpus = [], []
    start, cpu_start = time.perf_counter(), time.process_time()
    while True:
        w0, c0 = time.perf_counter(), time.process_time()
        step()
        c1, w1 = time.process_time(), time.perf_counter()
        walls.append(w1 - w0)
        cpus.append(c1 - c0)
        elapsed = w1 - start
        if len(walls) >= a.min_steps and elapsed >= a.min_s:
            break
        if elapsed >= a.cap_s and len(walls) >= 3:
            break
    return warm, walls, cpus, time.process_time() - cpu_start


def openblas_info():
    """The BLAS library this process loaded (from /proc/self/maps) and OpenBLAS' core/threading if it is one."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({ln.split()[-1] for ln in f if "blas" in ln.lower() and ln.split()[-1].startswith("/")})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return {"library": path, "core": lib.openblas_get_corename().decode(),
                    "config": lib.openblas_get_config().decode(), "parallel": lib.openblas_get_parallel()}
        except (OSError, AttributeError):
            continue
    return {"library": " ".join(paths) or "none found"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=sorted(BATCH))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--phase", choices=["train", "infer"], default="train")
    ap.add_argument("--warmup-steps", type=int, default=3)
    ap.add_argument("--warmup-s", type=float, default=3.0)
    ap.add_argument("--min-steps", type=int, default=9)
    ap.add_argument("--min-s", type=float, default=10.0)
    ap.add_argument("--cap-s", type=float, default=60.0)
    ap.add_argument("--params", action="store_true", help="print the trainable parameter count and exit")
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    model, step = step_fn(a.model, a.phase)
    if a.params:
        print(count_params(model))
        return
    load_before = os.getloadavg()
    warm, walls, cpus, cpu_window = run(step, a)
    load_after = os.getloadavg()
    result = {
        "impl": "torch", "model": a.model, "phase": a.phase, "threads": a.threads, "batch": BATCH[a.model],
        "params": count_params(model), "warmup_steps": warm, "wall_s": walls, "cpu_s": cpus,
        "cpu_window_s": cpu_window, "timed_s": sum(walls),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "loadavg_before": load_before[0], "loadavg_after": load_after[0],
        "versions": {"torch": torch.__version__, "python": platform.python_version(),
                     "torch_threads": torch.get_num_threads(), "openblas": openblas_info(),
                     "mkldnn": torch.backends.mkldnn.is_available(),
                     "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
                     "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The seed VGG trained in PyTorch, as Keras would train it: a peer for `./weft train vgg`.

Same network as dev.weft.zoo.models.Vgg (DESIGN.md section 3): 3x3 'same' convolutions + ReLU in
five blocks of 2-2-4-4-4 (64, 128, 256, 512, 512 filters), each closed by a 2x2/2 max-pool, then
Flatten (512), Dense 4096 ReLU, Dense 4096 ReLU, Dense 100 softmax; categorical cross-entropy.

Keras' defaults, written out rather than taken from torch.nn's (which differ):
  - kernels glorot_uniform: U(+-sqrt(6 / (fan_in + fan_out))), fan_in = kh*kw*cin and
    fan_out = kh*kw*cout for a conv, in and out for a Dense; biases zero;
  - Adam with Keras' update (lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-7):
    alpha = lr*sqrt(1-beta2^t)/(1-beta1^t); w -= alpha*m/(sqrt(v)+eps)
    (torch.optim.Adam puts eps after the bias correction; --torch-adam uses it instead);
  - categorical cross-entropy on the softmax output, probabilities clipped to [1e-7, 1-1e-7].

Data: the CIFAR-100 sample that Weft trains on without --data-dir, read straight from the binary
file in the samples module (records: coarse label byte, fine label byte, 3072 bytes R, G, B planes
of 32x32), pixels scaled to [-1, 1] as v/127.5 - 1, batch 32, reshuffled every epoch with a seeded
generator (the order differs from Weft's; the images and the batch size do not). Channels-first,
PyTorch's layout: the network is the same function.

Prints the loss of every step (the batch loss before the update), the running epoch mean (what
Keras' progress bar and Weft's History report) and the wall time. Nothing is written.

  /usr/bin/python3 zoo/src/test/python/vgg_seed_torch.py --epochs 2              # lr 1e-3, 64 steps
  /usr/bin/python3 zoo/src/test/python/vgg_seed_torch.py --lr 1e-4 --max-steps 300
  /usr/bin/python3 zoo/src/test/python/vgg_seed_torch.py --inspect --weights runs/vgg-.../last.safetensors
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "..", "..", "samples", "src", "main", "resources", "dev", "weft", "samples",
                      "cifar-100", "train_subset_10per_class.bin")
CONVS_PER_BLOCK = (2, 2, 4, 4, 4)
FILTERS = (64, 128, 256, 512, 512)
DENSE_UNITS = 4096
CLASSES = 100


def load_cifar100(path):
    """x: [N, 3, 32, 32] float32 in [-1, 1], y: [N] fine labels (int64)."""
    raw = np.fromfile(path, dtype=np.uint8)
    record = 2 + 3072
    if raw.size % record:
        sys.exit(f"{path}: size {raw.size} is not a multiple of {record}")
    raw = raw.reshape(-1, record)
    y = torch.from_numpy(raw[:, 1].astype(np.int64))
    x = torch.from_numpy(raw[:, 2:].reshape(-1, 3, 32, 32).astype(np.float32) / np.float32(127.5) - np.float32(1))
    return x, y


def glorot_uniform_(weight, fan_in, fan_out, gen):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        weight.uniform_(-limit, limit, generator=gen)


class SeedVgg(torch.nn.Module):
    def __init__(self, gen, width=1.0):
        super().__init__()
        self.convs = torch.nn.ModuleList()
        self.pool_after = []
        cin = 3
        for block, n in enumerate(CONVS_PER_BLOCK):
            cout = max(1, round(FILTERS[block] * width))
            for i in range(n):
                conv = torch.nn.Conv2d(cin, cout, 3, padding=1)            # 'same' for 3x3, stride 1
                glorot_uniform_(conv.weight, 9 * cin, 9 * cout, gen)        # Keras fans: kh*kw*cin, kh*kw*cout
                torch.nn.init.zeros_(conv.bias)
                self.convs.append(conv)
                self.pool_after.append(i == n - 1)
                cin = cout
        hidden = max(1, round(DENSE_UNITS * width))
        self.dense = torch.nn.ModuleList()
        for fin, fout in ((cin, hidden), (hidden, hidden), (hidden, CLASSES)):
            d = torch.nn.Linear(fin, fout)
            glorot_uniform_(d.weight, fin, fout, gen)
            torch.nn.init.zeros_(d.bias)
            self.dense.append(d)

    def forward(self, x):                                   # x: [N, 3, 32, 32]
        for conv, pool in zip(self.convs, self.pool_after):
            x = F.relu(conv(x))
            if pool:
                x = F.max_pool2d(x, 2, 2)                   # 32 -> 16 -> 8 -> 4 -> 2 -> 1 (even sizes: 'same' pads nothing)
        x = x.flatten(1)                                    # [N, 512]
        x = F.relu(self.dense[0](x))
        x = F.relu(self.dense[1](x))
        return F.softmax(self.dense[2](x), dim=1)           # [N, 100] probabilities, as Keras' softmax layer


def weft_names(model):
    """(Weft/Keras name, torch parameter) pairs in layer order: conv2d, conv2d_1, ..., dense, dense_1, dense_2."""
    out = []
    for i, conv in enumerate(model.convs):
        name = "conv2d" if i == 0 else f"conv2d_{i}"
        out += [(name + ".kernel", conv.weight), (name + ".bias", conv.bias)]
    for i, d in enumerate(model.dense):
        name = "dense" if i == 0 else f"dense_{i}"
        out += [(name + ".kernel", d.weight), (name + ".bias", d.bias)]
    return out


def to_keras(name, t):
    """A torch tensor in Weft's (Keras') layout: conv [cout, cin, kh, kw] -> [kh, kw, cin, cout], Dense [out, in] -> [in, out]."""
    t = t.detach()
    return t.permute(2, 3, 1, 0) if t.dim() == 4 else t.t() if t.dim() == 2 else t


def from_keras(t):
    return t.permute(3, 2, 0, 1) if t.dim() == 4 else t.t() if t.dim() == 2 else t


def read_safetensors(path):
    """{name: float32 tensor} from a safetensors file (F32 only, as Weft writes)."""
    import json
    import struct
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        if v["dtype"] != "F32":
            sys.exit(f"{path}: {k} has dtype {v['dtype']}, only F32 is read")
        b, e = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(data[b:e], dtype="<f4").copy().reshape(v["shape"]))
    return out


def write_safetensors(path, tensors):
    import json
    import struct
    header, blobs, off = {}, [], 0
    for k, t in tensors.items():
        raw = t.contiguous().numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_weft_weights(model, path):
    w = read_safetensors(path)
    with torch.no_grad():
        for name, p in weft_names(model):
            t = from_keras(w[name])
            if tuple(t.shape) != tuple(p.shape):
                sys.exit(f"{path}: {name} has shape {list(w[name].shape)}, the model needs {list(p.shape)} (torch layout)")
            p.copy_(t)


@torch.no_grad()
def inspect(model, x, y):
    """Per layer: the mean activation and the share of ReLU units that are zero for every image; the logits' spread and the loss."""
    print("layer            mean act   dead units (zero for all images)")
    h = x
    for i, (conv, pool) in enumerate(zip(model.convs, model.pool_after)):
        h = F.relu(conv(h))
        dead = (h.amax(dim=(0, 2, 3)) == 0).float().mean().item()
        print(f"conv2d_{i:<2}        {h.mean().item():9.3e}   {dead:6.1%}")
        if pool:
            h = F.max_pool2d(h, 2, 2)
    h = h.flatten(1)
    for i in range(2):
        h = F.relu(model.dense[i](h))
        print(f"dense_{i}          {h.mean().item():9.3e}   {(h.amax(dim=0) == 0).float().mean().item():6.1%}")
    logits = model.dense[2](h)
    probs = F.softmax(logits, dim=1)
    print(f"logits: std over classes {logits.std(dim=1).mean().item():.3e}, spread of the mean logit per image "
          f"{logits.mean(dim=1).std().item():.3e}; max probability {probs.max().item():.4f}; "
          f"loss {categorical_crossentropy(probs, y).item():.6f} (ln 100 = {math.log(100):.6f})")


def categorical_crossentropy(probs, y):
    """Keras' categorical_crossentropy(from_logits=False) on one-hot labels, mean over the batch."""
    p = probs.clamp(1e-7, 1 - 1e-7)
    return -torch.log(p.gather(1, y[:, None])).mean()


class KerasAdam:
    def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-7):
        self.params = list(params)
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = 0

    @torch.no_grad()
    def step(self):
        self.t += 1
        alpha = self.lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            g = p.grad
            m.mul_(self.b1).add_(g, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            p.sub_(alpha * m / (v.sqrt() + self.eps))

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps in all (0: no limit)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--width", type=float, default=1.0, help="width multiplier, as Vgg.build's (1 = the seed VGG)")
    ap.add_argument("--torch-adam", action="store_true", help="torch.optim.Adam(eps=1e-7) instead of Keras' update")
    ap.add_argument("--data", default=SAMPLE)
    ap.add_argument("--weights", help="start from these weights (a Weft safetensors file, e.g. runs/vgg-.../last.safetensors)")
    ap.add_argument("--save", help="write the final weights here in Weft's names and layout (for ./weft evaluate vgg --weights)")
    ap.add_argument("--inspect", action="store_true", help="print per-layer activation statistics on the data, then exit")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(args.seed)
    x, y = load_cifar100(args.data)
    model = SeedVgg(gen, args.width)
    if args.weights:
        load_weft_weights(model, args.weights)
    if args.inspect:
        inspect(model, x, y)
        return
    params = list(model.parameters())
    opt = (torch.optim.Adam(params, lr=args.lr, eps=1e-7) if args.torch_adam else KerasAdam(params, args.lr))
    n = x.shape[0]
    steps_per_epoch = math.ceil(n / args.batch_size)
    print(f"seed VGG (width {args.width}), {sum(p.numel() for p in params):,} parameters; {n} images from "
          f"{os.path.basename(args.data)}; batch {args.batch_size}, {'torch' if args.torch_adam else 'Keras'} Adam "
          f"lr {args.lr}; torch {torch.__version__}, {args.threads} thread(s)", flush=True)
    step = 0
    start = time.time()
    for epoch in range(args.epochs):
        order = torch.randperm(n, generator=gen)
        total, count = 0.0, 0
        for b in range(steps_per_epoch):
            idx = order[b * args.batch_size:(b + 1) * args.batch_size]
            opt.zero_grad()
            loss = categorical_crossentropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            step += 1
            total += loss.item() * len(idx)
            count += len(idx)
            print(f"epoch {epoch + 1} step {step} loss {loss.item():.4f} running_mean {total / count:.4f} "
                  f"t {time.time() - start:.1f}s", flush=True)
            if args.max_steps and step >= args.max_steps:
                break
        print(f"epoch {epoch + 1}: loss {total / count:.4f} ({count} images)", flush=True)
        if args.max_steps and step >= args.max_steps:
            break
    print(f"done: {step} steps in {time.time() - start:.1f}s", flush=True)
    if args.save:
        write_safetensors(args.save, {k: to_keras(k, p) for k, p in weft_names(model)})
        print(f"weights written to {args.save}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures for Weft's layer tests (nn/src/test/resources/fixtures/layers).

Run with Debian's python3 + python3-torch:  /usr/bin/python3 nn/src/test/python/gen_layer_fixtures.py
Tests never run this script; the .bin files it writes are committed.

Every case computes a layer's forward pass in PyTorch and its backward pass for the loss
sum(y * g) with a random upstream gradient g, after converting Keras-layout weights to torch:
  - Dense kernel [in, out]            -> nn.Linear weight [out, in] (transpose)
  - Conv2D kernel [kh, kw, cin, cout] -> torch weight [cout, cin, kh, kw]; images NHWC <-> NCHW
  - Keras 'same' padding (asymmetric: the extra row/column at the bottom/right) -> explicit F.pad
  - LSTM: Keras kernel [d, 4u] / recurrent_kernel [u, 4u] / one bias [4u], gates i, f, c, o
          -> torch weight_ih [4u, d] / weight_hh [4u, u] / b_ih + b_hh, gates i, f, g, o
          (the same order; torch's g is Keras' c), so b_ih = bias and b_hh = 0.
  - BatchNormalization: biased batch variance for normalising and for the Keras 3 moving update
          moving = 0.99 * moving + 0.01 * batch (torch's running_var would use the unbiased one).

File format (little-endian): b"WFX1", int32 count, then per tensor: int32 name length, UTF-8 name,
int32 rank, int32 dims..., float32 values (row-major).
"""
import os
import struct
import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "layers")
torch.manual_seed(20261126)


def write(name, tensors):
    path = os.path.join(OUT, name + ".bin")
    with open(path, "wb") as f:
        f.write(b"WFX1")
        f.write(struct.pack("<i", len(tensors)))
        for key, t in tensors.items():
            a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f4"))
            kb = key.encode("utf-8")
            f.write(struct.pack("<i", len(kb)))
            f.write(kb)
            f.write(struct.pack("<i", a.ndim))
            for d in a.shape:
                f.write(struct.pack("<i", d))
            f.write(a.tobytes())
    print(path, os.path.getsize(path), "bytes")


def leaf(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).requires_grad_(True)


def same_pads(size, k, s, d):
    """Keras 'same': out = ceil(size/s); total = max((out-1)*s + (k-1)*d + 1 - size, 0); top = total//2."""
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


def nchw(x):
    return x.permute(0, 3, 1, 2)


def nhwc(x):
    return x.permute(0, 2, 3, 1)


def backward(y, **inputs):
    g = torch.randn_like(y)
    (y * g).sum().backward()
    out = {"g": g}
    for k, v in inputs.items():
        out["d" + k] = v.grad
    return out


def dense():
    x, k, b = leaf(4, 5), leaf(5, 3), leaf(3)
    y = F.linear(x, k.t(), b)  # nn.Linear weight [out, in] = kernel^T
    write("dense", {"x": x, "kernel": k, "bias": b, "y": y, **backward(y, x=x, kernel=k, bias=b)})


def conv(name, n, h, w, cin, cout, k, stride, padding, dilation):
    x, kern, b = leaf(n, h, w, cin), leaf(k, k, cin, cout, scale=0.3), leaf(cout)
    xt = nchw(x)
    if padding == "same":
        t, bo = same_pads(h, k, stride, dilation)
        l, r = same_pads(w, k, stride, dilation)
        xt = F.pad(xt, (l, r, t, bo))
    wt = kern.permute(3, 2, 0, 1)  # [kh, kw, cin, cout] -> [cout, cin, kh, kw]
    y = nhwc(F.conv2d(xt, wt, b, stride=stride, dilation=dilation))
    write(name, {"x": x, "kernel": kern, "bias": b, "y": y, **backward(y, x=x, kernel=kern, bias=b)})


def pool(name, kind, n, h, w, c, k, stride, padding):
    # distinct values so the max is unique (no tie-breaking differences)
    x = (torch.randperm(n * h * w * c).float().reshape(n, h, w, c) * 0.01).requires_grad_(True)
    xt = nchw(x)
    pads = (0, 0, 0, 0)
    if padding == "same":
        t, bo = same_pads(h, k, stride, 1)
        l, r = same_pads(w, k, stride, 1)
        pads = (l, r, t, bo)
    if kind == "max":
        y = F.max_pool2d(F.pad(xt, pads, value=float("-inf")), k, stride)
    else:
        # TF/Keras average excludes padding: window sum / number of real elements
        s = F.avg_pool2d(F.pad(xt, pads), k, stride) * (k * k)
        cnt = F.avg_pool2d(F.pad(torch.ones_like(xt), pads), k, stride) * (k * k)
        y = s / cnt
    y = nhwc(y)
    write(name, {"x": x, "y": y, **backward(y, x=x)})


def global_avg():
    x = leaf(3, 4, 5, 6)
    y = x.mean(dim=(1, 2))
    write("global_avg_pool", {"x": x, "y": y, **backward(y, x=x)})


def batchnorm_train(name, shape):
    c = shape[-1]
    x = leaf(*shape, scale=2.0)
    with torch.no_grad():
        x += 0.5
    gamma, beta = (1 + 0.1 * torch.randn(c)).requires_grad_(True), (0.1 * torch.randn(c)).requires_grad_(True)
    x2 = x.reshape(-1, c)
    y = F.batch_norm(x2, None, None, gamma, beta, training=True, eps=1e-3).reshape(shape)
    mean = x2.mean(0).detach()
    var_biased = x2.var(0, unbiased=False).detach()
    write(name, {"x": x, "gamma": gamma, "beta": beta, "y": y,
                 "moving_mean": 0.99 * torch.zeros(c) + 0.01 * mean,
                 "moving_variance": 0.99 * torch.ones(c) + 0.01 * var_biased,
                 **backward(y, x=x, gamma=gamma, beta=beta)})


def batchnorm_eval():
    c = 4
    x, gamma, beta = leaf(2, 3, 3, c), (1 + 0.1 * torch.randn(c)).requires_grad_(True), (0.1 * torch.randn(c)).requires_grad_(True)
    mm, mv = torch.randn(c) * 0.3, torch.rand(c) + 0.5
    y = F.batch_norm(x.reshape(-1, c), mm, mv, gamma, beta, training=False, eps=1e-3).reshape(x.shape)
    write("batchnorm_eval", {"x": x, "gamma": gamma, "beta": beta, "moving_mean": mm, "moving_variance": mv, "y": y,
                             **backward(y, x=x, gamma=gamma, beta=beta)})


def lstm_weights(d, u):
    kernel, rec, bias = leaf(d, 4 * u, scale=0.4), leaf(u, 4 * u, scale=0.4), leaf(4 * u, scale=0.3)
    return kernel, rec, bias


def torch_lstm_step(x, h, c, kernel, rec, bias):
    # torch.nn.LSTMCell math with weight_ih = kernel^T, weight_hh = rec^T, b_ih = bias, b_hh = 0
    return torch._VF.lstm_cell(x, (h, c), kernel.t(), rec.t(), bias, torch.zeros_like(bias))


def lstm_cell():
    d, u = 3, 5
    x, h, c = leaf(4, d), leaf(4, u), leaf(4, u)
    kernel, rec, bias = lstm_weights(d, u)
    h1, c1 = torch_lstm_step(x, h, c, kernel, rec, bias)
    gh, gc = torch.randn_like(h1), torch.randn_like(c1)
    ((h1 * gh).sum() + (c1 * gc).sum()).backward()
    write("lstm_cell", {"x": x, "h": h, "c": c, "kernel": kernel, "recurrent_kernel": rec, "bias": bias,
                        "h1": h1, "c1": c1, "gh": gh, "gc": gc, "dx": x.grad, "dh": h.grad, "dc": c.grad,
                        "dkernel": kernel.grad, "drecurrent_kernel": rec.grad, "dbias": bias.grad})


def lstm_sequence():
    n, t, d, u = 3, 6, 4, 5
    x = leaf(n, t, d)
    kernel, rec, bias = lstm_weights(d, u)
    m = torch.nn.LSTM(d, u, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(kernel.t())
        m.weight_hh_l0.copy_(rec.t())
        m.bias_ih_l0.copy_(bias)
        m.bias_hh_l0.zero_()
    y, (hn, cn) = m(x)
    g, gcn = torch.randn_like(y), torch.randn_like(cn[0])
    ((y * g).sum() + (cn[0] * gcn).sum()).backward()
    write("lstm_sequence", {"x": x, "kernel": kernel, "recurrent_kernel": rec, "bias": bias,
                            "y": y, "h": hn[0], "c": cn[0], "g": g, "gc": gcn, "dx": x.grad,
                            "dkernel": m.weight_ih_l0.grad.t(), "drecurrent_kernel": m.weight_hh_l0.grad.t(),
                            # d/db_ih = d/db_hh = d/d(Keras bias) since they are summed
                            "dbias": m.bias_ih_l0.grad})


def lstm_stacked():
    n, t, d, u1, u2 = 2, 5, 3, 4, 3
    x = leaf(n, t, d)
    k1, r1, b1 = lstm_weights(d, u1)
    k2, r2, b2 = lstm_weights(u1, u2)
    ys = []
    h, c = torch.zeros(n, u1), torch.zeros(n, u1)
    for s in range(t):
        h, c = torch_lstm_step(x[:, s], h, c, k1, r1, b1)
        ys.append(h)
    seq = torch.stack(ys, 1)
    h2, c2 = torch.zeros(n, u2), torch.zeros(n, u2)
    for s in range(t):
        h2, c2 = torch_lstm_step(seq[:, s], h2, c2, k2, r2, b2)
    write("lstm_stacked", {"x": x, "kernel1": k1, "recurrent_kernel1": r1, "bias1": b1,
                           "kernel2": k2, "recurrent_kernel2": r2, "bias2": b2, "y": h2,
                           **backward(h2, x=x, kernel1=k1, kernel2=k2, recurrent_kernel1=r1)})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dense()
    conv("conv_valid", 2, 7, 7, 3, 4, 3, 1, "valid", 1)
    conv("conv_same_stride2", 2, 6, 6, 3, 4, 3, 2, "same", 1)       # asymmetric pad: 0 top, 1 bottom
    conv("conv_same_dilation2", 1, 6, 5, 2, 3, 3, 1, "same", 2)
    conv("conv_valid_stride2_k2", 2, 7, 7, 3, 2, 2, 2, "valid", 1)
    pool("maxpool_valid", "max", 2, 6, 6, 3, 2, 2, "valid")
    pool("maxpool_same", "max", 2, 5, 5, 3, 2, 2, "same")
    pool("maxpool_same_stride1", "max", 1, 4, 4, 2, 2, 1, "same")  # ResNet stem pooling
    pool("avgpool_same", "avg", 2, 5, 5, 3, 2, 2, "same")
    pool("avgpool_valid", "avg", 2, 6, 6, 2, 3, 3, "valid")
    global_avg()
    batchnorm_train("batchnorm_train_conv", (4, 3, 3, 5))
    batchnorm_train("batchnorm_train_dense", (8, 6))
    batchnorm_eval()
    lstm_cell()
    lstm_sequence()
    lstm_stacked()

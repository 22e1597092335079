#!/usr/bin/python3
"""PyTorch parity fixtures for Weft's engine tests (dev.weft.engine.TorchParityTest, PrinterParityTest, RngTest).

Run from the repository root with Debian's interpreter and python3-torch / python3-numpy:

    /usr/bin/python3 engine/src/test/python/gen_op_fixtures.py

It rewrites, under engine/src/test/resources/fixtures/ops/:

  ops.txt    one block per op case (the CASES table below): seeded inputs, a random projection r,
             torch's forward output and the gradients of sum(out * r) w.r.t. each float input.
  print.txt  small tensors and torch's str() of them (Weft's toString() must print the same).
  rng.txt    the first outputs of Weft's documented generator (xoshiro256** seeded by SplitMix64),
             computed by the independent pure-Python implementation below.

The files are committed; the Java tests and CI never run Python. Re-run only when a case changes.

FORMAT of ops.txt (text, one item per line, '#' lines are comments):
    case <name>
    in <g|c|i> <shape> <values...>     g: float input that requires grad, c: float constant,
                                       i: integer indices (Java gets them as a float tensor)
    r <shape> <values...>              projection used for the backward pass
    out <shape> <values...>            torch forward
    grad <input#> <shape> <values...>  d sum(out*r) / d input, for every 'g' input
    end
Shapes are written like [3,1,4] ([] for 0-D); floats as repr(float32) (shortest round-trip form).

To add a case: add one line to CASES here and one line to the Java map in TorchParityTest with the
same name; TorchParityTest fails if either side has a case the other lacks.

Where torch's conventions differ from Weft's documented ones, the lambda computes Weft's:
  * pad: Weft takes (before, after) pairs from the FIRST dim (numpy.pad order); torch.nn.functional.pad
    starts from the LAST dim -- wpad() converts.
  * max/min over dims: Weft shares the gradient equally between tied extrema, i.e. torch.amax/amin
    (torch.max(dim) would route it to one index), so amax/amin are used.
  * var: Weft's var(dims, correction, keepDim); correction 1 -> unbiased=True, 0 -> unbiased=False.
  * where/maskedFill: Weft's condition is "value != 0" on a float tensor; torch wants a bool tensor.
  * dropout: torch's RNG is not Weft's, so the mask is drawn with the Python mirror of Weft's Rng
    (mask[i] = nextFloat() < 1-p) and torch computes x * mask / (1-p), the documented semantics.
"""
import math
import os
import zlib

import numpy as np
import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "ops")

# ----------------------------------------------------------------------------- Weft's Rng, mirrored

M64 = (1 << 64) - 1


class WeftRng:
    """xoshiro256** seeded by SplitMix64, written from the published algorithm descriptions."""

    def __init__(self, seed):
        x = seed & M64
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            s.append(self._mix(x))
        self.s = s

    @staticmethod
    def _mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & M64

    def next_u64(self):
        s0, s1, s2, s3 = self.s
        result = (self._rotl((s1 * 5) & M64, 7) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = self._rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_float(self):  # 24 high bits / 2^24, exact in float32
        return np.float32((self.next_u64() >> 40) / float(1 << 24))

    def next_double(self):
        return (self.next_u64() >> 11) / float(1 << 53)

    def next_int(self, bound):
        limit = (1 << 32) - ((1 << 32) % bound)
        while True:
            r = self.next_u64() >> 32
            if r < limit:
                return r % bound

    def next_gaussian(self):
        u1 = 1.0 - self.next_double()
        u2 = self.next_double()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2 * math.pi * u2)


def _self_check():
    """The mirror must reproduce the published xoshiro256** vector for the state {1, 2, 3, 4}."""
    r = WeftRng(0)
    r.s = [1, 2, 3, 4]
    got = [r.next_u64() for _ in range(6)]
    assert got == [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600], got


def signed(u):
    return u - (1 << 64) if u >= 1 << 63 else u


# ----------------------------------------------------------------------------- input makers


class Spec:
    """How to make one input: kind 'g' (float, requires grad), 'c' (float constant), 'i' (indices)."""

    def __init__(self, kind, make):
        self.kind, self.make = kind, make


def N(*shape):
    return Spec("g", lambda g: torch.randn(tuple(shape), generator=g))


def U(lo, hi, *shape):
    return Spec("g", lambda g: lo + (hi - lo) * torch.rand(*shape, generator=g))


def P(*shape):  # positive, away from 0 (log, sqrt, divisors, pow bases)
    return U(0.5, 2.0, *shape)


def A(kinks, *shape):  # away from kinks by >= 0.1
    def make(g):
        v = -2 + 4 * torch.rand(*shape, generator=g)
        for k in kinks:
            d = v - k
            near = d.abs() < 0.1
            v = torch.where(near, k + torch.sign(d + 1e-9) * (0.1 + d.abs()), v)
        return v
    return Spec("g", make)


def D(*shape, shift=0.0):  # distinct values 0.1 apart in random order: no ties
    def make(g):
        n = int(np.prod(shape))
        perm = torch.randperm(n, generator=g).float()
        return ((perm - n / 2) * 0.1 + shift).reshape(*shape)
    return Spec("g", make)


def G(values, *shape):  # literal float input that requires grad
    return Spec("g", lambda g: torch.tensor(values, dtype=torch.float32).reshape(*shape))


def C(values, *shape):  # literal float constant
    return Spec("c", lambda g: torch.tensor(values, dtype=torch.float32).reshape(*shape))


def I(values, *shape):  # literal indices
    return Spec("i", lambda g: torch.tensor(values, dtype=torch.int64).reshape(*shape))


def const(spec):  # the same values, but a constant (no gradient)
    return Spec("c", spec.make)


def wpad(x, pads, value):
    """Weft's pad (pairs from the first dim) through torch's F.pad (pairs from the last dim)."""
    pairs = [pads[i:i + 2] for i in range(0, len(pads), 2)]
    torch_pads = [p for pair in reversed(pairs) for p in pair]
    return F.pad(x, torch_pads, value=value)


def dropout_mask(shape, p, seed):
    rng = WeftRng(seed)
    n = int(np.prod(shape))
    keep = np.float32(1) - np.float32(p)
    scale = np.float32(1) / keep
    m = [scale if rng.next_float() < keep else np.float32(0) for _ in range(n)]
    return torch.tensor(np.array(m, dtype=np.float32)).reshape(*shape)


def weft_dropout(x, p, seed):
    return x * dropout_mask(tuple(x.shape), p, seed)


SPECIAL = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, -1.5, 2.0]

# ----------------------------------------------------------------------------- the cases
# name: (function of the inputs, [input specs]); the Java twin lives in TorchParityTest.CASES.

CASES = {
    # elementwise binary, with broadcasting and views
    "add": (lambda a, b: a + b, [N(3, 4), N(3, 4)]),
    "add_bcast": (lambda a, b: a + b, [N(3, 1, 4), N(2, 1)]),
    "add_scalar": (lambda a: a + 2.5, [N(5)]),
    "add_view": (lambda a, b: a[1].t() + b, [N(2, 3, 4), N(3)]),
    "sub_bcast": (lambda a, b: a - b, [N(3, 1, 4), N(2, 1)]),
    "sub_scalar": (lambda a: a - 1.5, [N(2, 2)]),
    "mul_bcast": (lambda a, b: a * b, [N(3, 1, 4), N(2, 1)]),
    "mul_scalar": (lambda a: a * -3.0, [N(2, 3)]),
    "mul_view": (lambda a, b: a.t() * b, [N(4, 3), N(4)]),
    "mul_self": (lambda a: a * a, [N(3, 2)]),
    "div_bcast": (lambda a, b: a / b, [N(3, 1, 4), P(2, 1)]),
    "div_scalar": (lambda a: a / 4.0, [N(3)]),
    "neg": (lambda a: -a, [N(2, 3)]),
    "pow_2": (lambda a: a ** 2, [N(3, 4)]),
    "pow_3": (lambda a: a ** 3, [N(3, 4)]),
    "pow_half": (lambda a: a ** 0.5, [P(3, 4)]),
    "pow_neg": (lambda a: a ** -1.5, [P(5)]),
    "pow_tensor": (lambda a, b: a ** b, [P(3, 1, 4), U(-1, 2, 2, 1)]),
    # elementwise unary
    "exp": (lambda a: a.exp(), [N(3, 4)]),
    "exp_view": (lambda a: a.permute(2, 0, 1).exp(), [N(2, 3, 4)]),
    "log": (lambda a: a.log(), [U(0.3, 3, 3, 4)]),
    "sqrt": (lambda a: a.sqrt(), [U(0.3, 3, 3, 4)]),
    "abs": (lambda a: a.abs(), [A([0], 3, 4)]),
    "clamp": (lambda a: a.clamp(-0.5, 0.7), [A([-0.5, 0.7], 4, 5)]),
    "clamp_max": (lambda a: a.clamp(max=0.3), [A([0.3], 6)]),
    "maximum": (lambda a, b: torch.maximum(a, b), [D(3, 1, 4), D(2, 1, shift=0.05)]),
    "minimum": (lambda a, b: torch.minimum(a, b), [D(3, 1, 4), D(2, 1, shift=0.05)]),
    "maximum_ties": (lambda a, b: torch.maximum(a, b), [G([1, 2, 3, 4], 4), G([1, 0, 3, 5], 4)]),
    "minimum_ties": (lambda a, b: torch.minimum(a, b), [G([1, 2, 3, 4], 4), G([1, 0, 3, 5], 4)]),
    "relu": (lambda a: a.relu(), [A([0], 3, 5)]),
    "leaky_relu": (lambda a: F.leaky_relu(a, 0.1), [A([0], 3, 5)]),
    "sigmoid": (lambda a: a.sigmoid(), [U(-6, 6, 3, 4)]),
    "tanh": (lambda a: a.tanh(), [N(3, 4)]),
    # softmax
    "softmax_last": (lambda a: a.softmax(-1), [N(3, 5)]),
    "softmax_dim0": (lambda a: a.softmax(0), [N(3, 5)]),
    "softmax_mid": (lambda a: a.softmax(1), [N(2, 3, 4)]),
    "softmax_view": (lambda a: a.transpose(0, 2).softmax(1), [N(2, 3, 4)]),
    "softmax_large": (lambda a: (a * 30).softmax(-1), [N(2, 6)]),
    "log_softmax_last": (lambda a: a.log_softmax(-1), [N(3, 5)]),
    "log_softmax_mid": (lambda a: a.log_softmax(1), [N(2, 3, 4)]),
    "softmax_masked": (lambda a, m: a.masked_fill(m != 0, float("-inf")).softmax(-1), [N(3, 4), C([0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0], 3, 4)]),
    "sigmoid_extreme": (lambda a: (a * 60).sigmoid(), [N(8)]),
    "tanh_extreme": (lambda a: (a * 30).tanh(), [N(8)]),
    # reductions
    "sum_all": (lambda a: a.sum(), [N(3, 4)]),
    "sum_dim": (lambda a: a.sum(1), [N(2, 3, 4)]),
    "sum_dims_keep": (lambda a: a.sum((0, 2), keepdim=True), [N(2, 3, 4)]),
    "sum_view": (lambda a: a.t().sum(0, keepdim=True), [N(3, 4)]),
    "mean_all": (lambda a: a.mean(), [N(3, 4)]),
    "mean_dim_keep": (lambda a: a.mean(1, keepdim=True), [N(2, 3, 4)]),
    "mean_dims": (lambda a: a.mean((0, 2)), [N(2, 3, 4)]),
    "max_all": (lambda a: a.amax(), [D(3, 4)]),
    "max_dim": (lambda a: a.amax(1), [D(2, 3, 4)]),
    "max_dims_keep": (lambda a: a.amax((0, 2), keepdim=True), [D(2, 3, 4)]),
    "max_ties": (lambda a: a.amax(1), [G([1, 3, 3, 2, 2, 2], 2, 3)]),
    "min_all": (lambda a: a.amin(), [D(3, 4)]),
    "min_dim_keep": (lambda a: a.amin(0, keepdim=True), [D(2, 3, 4)]),
    "min_dims": (lambda a: a.amin((1, 2)), [D(2, 3, 4)]),
    "min_ties": (lambda a: a.amin(1), [G([0, 0, 5, 1, 4, 1], 2, 3)]),
    "var_all": (lambda a: a.var(), [N(3, 4)]),
    "var_dim": (lambda a: a.var(1, unbiased=True), [N(2, 3, 4)]),
    "var_dims_biased_keep": (lambda a: a.var((0, 2), unbiased=False, keepdim=True), [N(2, 3, 4)]),
    "var_view": (lambda a: a.t().var(0, unbiased=True, keepdim=True), [N(3, 4)]),
    # matmul
    "matmul_2d": (lambda a, b: a @ b, [N(3, 4), N(4, 2)]),
    "matmul_vec_mat": (lambda a, b: a @ b, [N(4), N(4, 3)]),
    "matmul_mat_vec": (lambda a, b: a @ b, [N(3, 4), N(4)]),
    "matmul_vec_vec": (lambda a, b: a @ b, [N(4), N(4)]),
    "matmul_batched": (lambda a, b: a @ b, [N(2, 3, 4), N(2, 4, 5)]),
    "matmul_bcast": (lambda a, b: a @ b, [N(2, 1, 3, 4), N(3, 4, 2)]),
    "matmul_2d_batched": (lambda a, b: a @ b, [N(3, 4), N(2, 4, 2)]),
    "matmul_transposed": (lambda a, b: a.t() @ b.t(), [N(4, 3), N(2, 4)]),
    "matmul_large": (lambda a, b: a @ b, [N(33, 40), N(40, 17)]),
    "linear": (lambda x, w, b: F.linear(x, w.t(), b), [N(5, 7), N(7, 3), N(3)]),
    "linear_large": (lambda x, w, b: F.linear(x, w.t(), b), [N(33, 40), N(40, 37), N(37)]),
    "linear_transposed": (lambda x, w, b: F.linear(x.t(), w, b), [N(6, 4), N(3, 6), N(3)]),
    "linear_relu": (lambda x, w, b: F.relu(F.linear(x, w.t(), b)), [N(5, 7), N(7, 3), N(3)]),
    "linear_relu_large": (lambda x, w, b: F.relu(F.linear(x, w.t(), b)), [N(33, 40), N(40, 37), N(37)]),
    "sigmoid_ce_logits": (lambda x, z: F.binary_cross_entropy_with_logits(x, z, reduction="none"), [U(-8, 8, 5, 7), U(0, 1, 5, 7)]),
    "sigmoid_ce_logits_sum": (lambda x, z: F.binary_cross_entropy_with_logits(x, z, reduction="sum"), [U(-8, 8, 9, 13), U(0, 1, 9, 13)]),
    # joins
    "concat": (lambda a, b, c: torch.cat([a, b, c], 1), [N(2, 1, 3), N(2, 3, 3), N(2, 2, 3)]),
    "concat_view": (lambda a, b: torch.cat([a.t(), b], 0), [N(3, 2), N(1, 3)]),
    "stack": (lambda a, b: torch.stack([a, b], 0), [N(2, 3), N(2, 3)]),
    "stack_last": (lambda a, b: torch.stack([a, b.t()], 2), [N(2, 3), N(3, 2)]),
    "split_size": (lambda a: (lambda p: p[0] * p[1] + p[2].sum(1, keepdim=True))(torch.split(a, 2, 1)), [N(3, 5)]),
    "split_sizes": (lambda a: (lambda p: p[1].sum(0) * p[0].squeeze(0))(torch.split(a, [1, 3], 0)), [N(4, 2)]),
    "chunk": (lambda a: (lambda p: p[0] - p[2] * p[1])(torch.chunk(a, 3, -1)), [N(2, 6)]),
    # indexing
    "gather_dim1": (lambda a, i: torch.gather(a, 1, i), [N(2, 3), I([0, 2, 2, 1, 0, 0], 2, 3)]),
    "gather_dim0_view": (lambda a, i: torch.gather(a.t(), 0, i), [N(2, 3), I([1, 0, 2, 2], 2, 2)]),
    "index_select_dim0": (lambda a, i: torch.index_select(a, 0, i), [N(4, 3), I([2, 0, 2, 3], 4)]),
    "index_select_dim1": (lambda a, i: torch.index_select(a, 1, i), [N(2, 5, 2), I([4, 4, 1], 3)]),
    "where": (lambda c, a, b: torch.where(c != 0, a, b), [C([1, 0, 0, 1, 1, 0], 2, 3), N(2, 3), N(2, 3)]),
    "where_bcast": (lambda c, a, b: torch.where(c != 0, a, b), [C([1, 0, 0, 1, 1, 0], 2, 3), N(3), N(2, 1)]),
    "masked_fill": (lambda a, m: a.masked_fill(m != 0, -7.0), [N(3, 4), C([1, 0, 0, 1], 1, 4)]),
    "dropout": (lambda a: weft_dropout(a, 0.3, 7), [N(4, 5)]),
    "dropout_view": (lambda a: weft_dropout(a.t(), 0.5, 8), [N(4, 5)]),
    "argmax": (lambda a: a.argmax(1).float(), [const(D(3, 5))]),
    "argmax_ties": (lambda a: a.argmax(-1).float(), [C([1, 3, 3, 2, 2, 2], 2, 3)]),
    "one_hot": (lambda i: F.one_hot(i, 5).float(), [I([0, 4, 2, 2, 1, 3], 2, 3)]),
    "pad_2d": (lambda a: wpad(a, [1, 0, 2, 1], 0.0), [N(2, 3)]),
    "pad_3d": (lambda a: wpad(a, [0, 0, 1, 1, 0, 2], -1.0), [N(2, 2, 3)]),
    # views
    "reshape": (lambda a: a.reshape(4, 3), [N(2, 6)]),
    "reshape_copy": (lambda a: a.t().reshape(6), [N(2, 3)]),
    "view": (lambda a: a.view(3, 2, 2), [N(2, 6)]),
    "squeeze_dim": (lambda a: a.squeeze(0) * 2, [N(1, 3, 1)]),
    "expand_keep": (lambda a: a.expand(2, -1, 3), [N(4, 1)]),
    "permute": (lambda a: a.permute(2, 0, 1), [N(2, 3, 4)]),
    "transpose": (lambda a, b: a.transpose(0, 2) * b, [N(2, 3, 4), N(4, 1, 2)]),
    "slice_step": (lambda a: a[:, 1:6:2], [N(3, 7)]),
    "slice_negative": (lambda a: a[-3::3], [N(8, 2)]),
    "narrow": (lambda a: a.narrow(1, 1, 2), [N(3, 4)]),
    "select": (lambda a: a.select(2, 1), [N(2, 3, 4)]),
    "expand": (lambda a: a.expand(3, 2, 4), [N(2, 1)]),
    "squeeze": (lambda a: a.squeeze(), [N(1, 3, 1)]),
    "unsqueeze": (lambda a, b: a.unsqueeze(1) * b, [N(3, 2), N(4, 1, 1, 1)]),
    "flatten": (lambda a: a.flatten(), [N(2, 3, 2)]),
    "flatten_range": (lambda a: a.permute(1, 0, 2).flatten(0, 1), [N(2, 3, 2)]),
    "contiguous": (lambda a: a.t().contiguous(), [N(3, 4)]),
    # creation (no inputs)
    "linspace": (lambda: torch.linspace(-1, 2, 7), []),
    "arange_float": (lambda: torch.arange(0, 1, 0.1), []),
    "arange_negative_step": (lambda: torch.arange(5, 0, -1.5), []),
    "eye": (lambda: torch.eye(4), []),
    # 0-D operands, empty tensors, the same tensor on both sides, pow's special cases
    "add_0d": (lambda a, b: a + b, [N(2, 3), N()]),
    "mul_0d_left": (lambda a, b: b * a, [N(2, 3), N()]),
    "sub_self": (lambda a: a - a, [N(3)]),
    "div_self_bcast": (lambda a: a / a.sum(0, keepdim=True), [P(3, 2)]),
    "pow_tensor_zero": (lambda a, b: a ** b, [G([0, 0, 2, 1, 0], 5), G([0, 2, 0, 3, 1], 5)]),
    "pow_scalar_zero_base": (lambda a: a ** 2, [G([0, 1, -2], 3)]),
    "matmul_empty_k": (lambda a, b: a @ b, [N(2, 0), N(0, 3)]),
    "matmul_empty_batch": (lambda a, b: a @ b, [N(0, 2, 3), N(3, 4)]),
    "sum_empty_dim": (lambda a: a.sum(1), [N(2, 0)]),
    "concat_with_empty": (lambda a, b: torch.cat([a, b], 1), [N(2, 0), N(2, 3)]),
    "softmax_single": (lambda a: a.softmax(1), [N(3, 1)]),
    "mean_0d": (lambda a: a.mean(), [N()]),
    # special values (forward only): NaN must propagate, infinities saturate as in torch
    "special_relu": (lambda a: a.relu(), [C(SPECIAL, 7)]),
    "special_leaky_relu": (lambda a: F.leaky_relu(a, 0.2), [C(SPECIAL, 7)]),
    "special_clamp": (lambda a: a.clamp(-1, 1), [C(SPECIAL, 7)]),
    "special_abs": (lambda a: a.abs(), [C(SPECIAL, 7)]),
    "special_sigmoid": (lambda a: a.sigmoid(), [C(SPECIAL, 7)]),
    "special_tanh": (lambda a: a.tanh(), [C(SPECIAL, 7)]),
    "special_exp": (lambda a: a.exp(), [C(SPECIAL, 7)]),
    "special_log": (lambda a: a.log(), [C(SPECIAL, 7)]),
    "special_sqrt": (lambda a: a.sqrt(), [C(SPECIAL, 7)]),
    "special_div": (lambda a, b: a / b, [C(SPECIAL, 7), C([0, 0, -0.0, 2, 0, 1, float("inf")], 7)]),
    "special_pow": (lambda a: a ** -1.0, [C(SPECIAL, 7)]),
    "special_maximum": (lambda a, b: torch.maximum(a, b), [C(SPECIAL, 7), C([1, 1, 1, float("nan"), 1, 1, 1], 7)]),
    "special_minimum": (lambda a, b: torch.minimum(a, b), [C(SPECIAL, 7), C([1, 1, 1, float("nan"), 1, 1, 1], 7)]),
    "special_max": (lambda a: a.amax(1), [C([1, float("nan"), 3, 4, float("inf"), 5, -1, -2, float("-inf")], 3, 3)]),
    "special_min": (lambda a: a.amin(1), [C([1, float("nan"), 3, 4, float("-inf"), 5, -1, -2, float("inf")], 3, 3)]),
    "special_argmax": (lambda a: a.argmax(1).float(), [C([1, float("nan"), 3, 4, float("inf"), 5, -1, -2, float("-inf")], 3, 3)]),
    "special_sum": (lambda a: a.sum(1), [C([1, float("inf"), 3, 4, float("inf"), float("-inf"), 1, float("nan"), 2], 3, 3)]),
    "special_softmax": (lambda a: a.softmax(1), [C([1, float("inf"), 3, float("-inf"), float("-inf"), float("-inf"), 1, float("nan"), 2], 3, 3)]),
    "special_log_softmax": (lambda a: a.log_softmax(1), [C([1, 2, float("-inf"), 1000, 0, -1000], 2, 3)]),
}

# ----------------------------------------------------------------------------- printing cases
# name: (tensor, requires_grad); Weft must print exactly what torch prints.

def _print_cases():
    g = torch.Generator().manual_seed(5)
    return {
        "row_fixed": (torch.tensor([[1.0, 2.5]]), False),
        "integers": (torch.tensor([1.0, 2.0]), False),
        "negative_integers": (torch.tensor([[-1.0, 20.0], [300.0, 4.0]]), False),
        "scalar": (torch.tensor(3.5), False),
        "scalar_int": (torch.tensor(-2.0), False),
        "randn_2d": (torch.randn(3, 4, generator=g), False),
        "randn_3d": (torch.randn(2, 2, 3, generator=g), False),
        "mixed_sign": (torch.tensor([-0.5, 0.25, 1.125]), False),
        "large_ratio": (torch.tensor([1e5, 2.5]), False),
        "tiny": (torch.tensor([1e-5, 1.0]), False),
        "big_ints": (torch.tensor([100000.0, 2.0]), False),
        "huge": (torch.tensor([1e9, 1.0]), False),
        "nonfinite": (torch.tensor([float("nan"), float("inf"), 1.5, float("-inf")]), False),
        "zeros": (torch.zeros(2, 2), False),
        "requires_grad": (torch.tensor([1.0, 2.0]), True),
        "empty": (torch.zeros(0), False),
        "empty_2d": (torch.zeros(2, 0), False),
        "long_row": (torch.randn(20, generator=g), False),
        "summarised_1d": (torch.arange(2000, dtype=torch.float32) * 0.5 + 1, False),
        "summarised_ints": (torch.arange(1500, dtype=torch.float32), False),
        "summarised_2d": (torch.randn(40, 40, generator=g), False),
        "summarised_3d": (torch.randn(12, 10, 10, generator=g), False),
        "negative_zero": (torch.tensor([-0.0, 1.5, 0.0]), False),
        "round_half_even": (torch.tensor([1.03125, 0.15625, -2.71875]), False),
        "inf_wider_than_ints": (torch.tensor([1.0, float("-inf")]), False),
        "four_d": (torch.randn(2, 1, 2, 2, generator=g), False),
        "wrapped_requires_grad": (torch.randn(18, generator=g) * 100, True),
        "summarised_wide_rows": (torch.randn(3, 400, generator=g) * 1000, False),
        "tiny_scalar": (torch.tensor(3e-7), False),
    }


# ----------------------------------------------------------------------------- writing

def fmt_shape(shape):
    return "[" + ",".join(str(s) for s in shape) + "]"


def fmt_values(t):
    a = t.detach().contiguous().reshape(-1).numpy()
    if a.dtype.kind == "f":
        # str(float32) is numpy's shortest string that reads back to the same float32
        return " ".join(str(v) if np.isfinite(v) else str(float(v)) for v in a.astype(np.float32))
    return " ".join(str(int(v)) for v in a)


def line(tag, t):
    vals = fmt_values(t)
    return f"{tag} {fmt_shape(t.shape)}" + (f" {vals}" if vals else "")


def write_ops(path):
    lines = ["# generated by engine/src/test/python/gen_op_fixtures.py with torch " + torch.__version__ + "; do not edit"]
    for name, (fn, specs) in CASES.items():
        g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
        inputs = []
        for s in specs:
            v = s.make(g)
            v = v.float() if s.kind != "i" else v
            if s.kind == "g":
                v = v.clone().requires_grad_(True)
            inputs.append(v)
        out = fn(*inputs)
        r = -1 + 2 * torch.rand(tuple(out.shape), generator=g)
        if out.requires_grad:
            (out * r).sum().backward()
        lines.append("case " + name)
        for s, v in zip(specs, inputs):
            lines.append(line("in " + s.kind, v))
        lines.append(line("r", r))
        lines.append(line("out", out))
        for k, (s, v) in enumerate(zip(specs, inputs)):
            if s.kind == "g":
                gr = v.grad if v.grad is not None else torch.zeros_like(v)
                lines.append(line(f"grad {k}", gr))
        lines.append("end")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_print(path):
    lines = ["# generated by engine/src/test/python/gen_op_fixtures.py with torch " + torch.__version__ + "; do not edit",
             "# print <name> <requires_grad 0|1> <shape> <values...>, then 'expect <torch str() with \\n escaped>'"]
    for name, (t, rg) in _print_cases().items():
        shown = t.clone().requires_grad_(True) if rg else t
        lines.append(f"print {name} {int(rg)} " + line("", t).strip())
        lines.append("expect " + str(shown).replace("\\", "\\\\").replace("\n", "\\n"))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_rng(path):
    lines = ["# generated by engine/src/test/python/gen_op_fixtures.py (pure-Python xoshiro256** + SplitMix64)",
             "# long <seed> <first 8 nextLong as signed decimal>; float/double/int/gauss likewise (fresh generator each line)"]
    for seed in (0, 1, 42, -1, 123456789012345):
        r = WeftRng(seed)
        lines.append(f"long {seed} " + " ".join(str(signed(r.next_u64())) for _ in range(8)))
        r = WeftRng(seed)
        lines.append(f"float {seed} " + " ".join(str(r.next_float()) for _ in range(8)))
        r = WeftRng(seed)
        lines.append(f"double {seed} " + " ".join(repr(r.next_double()) for _ in range(8)))
        r = WeftRng(seed)
        lines.append(f"int10 {seed} " + " ".join(str(r.next_int(10)) for _ in range(8)))
        r = WeftRng(seed)
        lines.append(f"int1000003 {seed} " + " ".join(str(r.next_int(1000003)) for _ in range(8)))
        r = WeftRng(seed)
        lines.append(f"gauss {seed} " + " ".join(repr(r.next_gaussian()) for _ in range(8)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    _self_check()
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.set_printoptions(profile="default")
    write_ops(os.path.join(OUT_DIR, "ops.txt"))
    write_print(os.path.join(OUT_DIR, "print.txt"))
    write_rng(os.path.join(OUT_DIR, "rng.txt"))
    for f in sorted(os.listdir(OUT_DIR)):
        print(f, os.path.getsize(os.path.join(OUT_DIR, f)), "bytes")


if __name__ == "__main__":
    main()

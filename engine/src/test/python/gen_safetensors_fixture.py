#!/usr/bin/python3
"""Safetensors interop fixture for Weft's engine tests (dev.weft.engine.io.SafetensorsTest).

Run with Debian's interpreter and python3-torch:

    /usr/bin/python3 engine/src/test/python/gen_safetensors_fixture.py            # (re)generate
    /usr/bin/python3 engine/src/test/python/gen_safetensors_fixture.py --check FILE EXPECTED

Generate mode writes, under engine/src/test/resources/safetensors/:
  torch_fixture.safetensors   tensors made with PyTorch (several dtypes, a scalar, an empty tensor,
                              special floats, a non-ASCII name) and a __metadata__ map;
  torch_fixture_expected.txt  the same values as text, one tensor per line:
                              name <TAB> dtype <TAB> comma-separated shape <TAB> space-separated values
                              (floats as float.hex() of torch's own conversion to float32 -- inf, -inf
                              and nan spelled that way -- integers in decimal).

--check reads a file written by Weft and compares it with an expected-values file in that format;
it exits non-zero on any difference.

WHICH WRITER/READER IS USED. If the `safetensors` Python package (the reference implementation) is
importable, the file is written with safetensors.torch.save_file and read with
safetensors.torch.load_file. Debian bookworm does not package it (no python3-safetensors; apt-cache
finds nothing), and no other registry is used, so on this machine the script falls back to the small
hand-written writer/reader below. That fallback is NOT the reference library: it follows the
published layout (u64 LE header length, compact JSON header with __metadata__ first, padded with
spaces to a multiple of 8, tensors ordered like the reference -- dtype descending, then name --
and laid out back to back) and serialises the tensor bytes with PyTorch/NumPy, so the data bytes and
the dtype conversions are PyTorch's, but the container is ours. The fixture records which one made it
in its metadata ("writer").
"""
import json
import math
import os
import struct
import sys

import torch

try:
    import safetensors.torch as reference  # the reference implementation, when installed
except ImportError:  # Debian bookworm: not packaged
    reference = None

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "resources", "safetensors"))

# Order follows the reference's Dtype enum, used for its (dtype descending, name) layout order.
DTYPES = [
    (torch.bool, "BOOL"), (torch.uint8, "U8"), (torch.int8, "I8"), (torch.int16, "I16"),
    (torch.float16, "F16"), (torch.bfloat16, "BF16"), (torch.int32, "I32"),
    (torch.float32, "F32"), (torch.float64, "F64"), (torch.int64, "I64"),
]
NAME_OF = {t: n for t, n in DTYPES}
RANK_OF = {n: i for i, (_, n) in enumerate(DTYPES)}
TYPE_OF = {n: t for t, n in DTYPES}


def tensor_bytes(t):
    """Row-major little-endian bytes of t, produced by PyTorch/NumPy."""
    assert sys.byteorder == "little"
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # NumPy has no bfloat16: reinterpret the same 16 bits
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def hand_save(tensors, path, metadata):
    """Fallback writer (not the reference library); see the module docstring."""
    items = sorted(tensors.items(), key=lambda kv: (-RANK_OF[NAME_OF[kv[1].dtype]], kv[0]))
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, t in items:
        data = tensor_bytes(t)
        header[name] = {"dtype": NAME_OF[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def hand_load(path):
    """Fallback reader (not the reference library): returns (tensors, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = TYPE_OF[info["dtype"]]
        chunk = bytearray(data[begin:end])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(chunk, dtype=torch.int16).view(torch.bfloat16) if chunk else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(chunk, dtype=dtype) if chunk else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out, metadata


def fixture_tensors():
    torch.manual_seed(0)
    return {
        "dense.kernel": torch.randn(3, 4),
        "dense.bias": torch.arange(4, dtype=torch.float32) * 0.5,
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
        "special": torch.tensor([math.inf, -math.inf, math.nan, -0.0, 1e-45, 3.4028235e38]),
        "half": torch.randn(2, 3).half(),
        "half.special": torch.tensor([65504.0, 6e-8, -math.inf, math.nan, -0.0], dtype=torch.float16),
        "bf16": torch.randn(5).bfloat16(),
        "f64": torch.tensor([0.1, 1e300, -2.5], dtype=torch.float64),
        "bn.num_batches_tracked": torch.tensor(1200, dtype=torch.int64),
        "i64": torch.tensor([-(2 ** 40), 7], dtype=torch.int64),
        "i32": torch.tensor([[1, -2], [3, -4]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "mask": torch.tensor([True, False, True]),
        "emb.\u00df": torch.tensor([1.0, 2.0]),
    }


def fmt_float(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float.hex(x)


def expected_line(name, t):
    name_of = NAME_OF[t.dtype]
    shape = ",".join(str(d) for d in t.shape)
    flat = t.reshape(-1)
    if t.dtype.is_floating_point:
        values = [fmt_float(v) for v in flat.float().tolist()]
    else:
        values = [str(int(v)) for v in flat.long().tolist()]
    return "\t".join([name, name_of, shape, " ".join(values)])


def generate():
    os.makedirs(OUT_DIR, exist_ok=True)
    tensors = fixture_tensors()
    path = os.path.join(OUT_DIR, "torch_fixture.safetensors")
    writer = "safetensors.torch.save_file" if reference else "hand-written fallback (reference package unavailable)"
    metadata = {"format": "pt", "generator": "gen_safetensors_fixture.py", "writer": writer}
    if reference:
        reference.save_file(tensors, path, metadata=metadata)
    else:
        hand_save(tensors, path, metadata)
    with open(os.path.join(OUT_DIR, "torch_fixture_expected.txt"), "w", encoding="utf-8") as f:
        for name, t in tensors.items():
            f.write(expected_line(name, t) + "\n")
    print("wrote", path, "with", writer, "torch", torch.__version__)


def parse_expected(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                name, dtype, shape, values = (line.split("\t") + [""])[:4]
                rows[name] = (dtype, [int(d) for d in shape.split(",") if d], values.split())
    return rows


def check(path, expected_path):
    if reference:
        tensors = reference.load_file(path)
        with open(path, "rb") as f:  # load_file does not return metadata; read it from the header
            (n,) = struct.unpack("<Q", f.read(8))
            metadata = json.loads(f.read(n)).get("__metadata__", {})
        reader = "safetensors.torch.load_file"
    else:
        tensors, metadata = hand_load(path)
        reader = "hand-written fallback reader"
    expected = parse_expected(expected_path)
    problems = []
    if set(tensors) != set(expected):
        problems.append("names differ: %s vs %s" % (sorted(tensors), sorted(expected)))
    for name, (dtype, shape, values) in expected.items():
        if name not in tensors:
            continue
        t = tensors[name]
        line = expected_line(name, t).split("\t")
        if line[1] != dtype or list(t.shape) != shape or (line[3].split() if len(line) > 3 else []) != values:
            problems.append("tensor %r differs: got %s" % (name, line))
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
    if n % 8:
        problems.append("header length %d is not a multiple of 8" % n)
    print("read", path, "with", reader, "metadata", metadata)
    for p in problems:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 1:
        generate()
    else:
        sys.exit("usage: gen_safetensors_fixture.py [--check FILE EXPECTED]")

#!/usr/bin/python3
"""Peer worker for bench/compare/compare.py: times numpy (OpenBLAS) or PyTorch on request.

Speaks the same line protocol as dev.weft.bench.CompareRunner, so the driver can interleave them:
    run kind=gemm m=256 n=256 k=256 ta=0 tb=0 threads=1 samples=1 mintime=0.1 [clock=cpu]
 -> ok flops=3.3554432e+07 times=0.000412          (seconds per call, one per sample)
    info -> ok <json>          quit

Usage: peer.py numpy|torch THREADS. Thread count is fixed per process (OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS are set by the driver before start; torch also gets torch.set_num_threads).
To add a row kind, add a function to KINDS[lib] returning (callable, flops) and register the same
kind in CompareRunner.KINDS on the Java side.
"""
import ctypes
import json
import sys
import time


def openblas_info():
    """Name and config of the OpenBLAS this process loaded (from /proc/self/maps), or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "blas" in line and line.strip().endswith(".so.3") or "openblas" in line})
    except OSError:
        return None
    for path in paths:
        if not path.startswith("/"):
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return {"library": path, "core": lib.openblas_get_corename().decode(),
                    "config": lib.openblas_get_config().decode(), "threads": lib.openblas_get_num_threads()}
        except (OSError, AttributeError):
            continue
    return {"library": " ".join(paths) or "unknown", "core": "not OpenBLAS?"}


def gemm_numpy(np, p):
    m, n, k = int(p["m"]), int(p["n"]), int(p["k"])
    ta, tb = p.get("ta", "0") == "1", p.get("tb", "0") == "1"
    rng = np.random.default_rng(42)
    a = (rng.random((k, m) if ta else (m, k), dtype=np.float32) - 0.5)
    b = (rng.random((n, k) if tb else (k, n), dtype=np.float32) - 0.5)
    a_op, b_op = (a.T if ta else a), (b.T if tb else b)  # transposed views: BLAS gets the trans flag
    c = np.empty((m, n), dtype=np.float32)
    return (lambda: np.matmul(a_op, b_op, out=c)), 2.0 * m * n * k


def gemm_torch(torch, p):
    m, n, k = int(p["m"]), int(p["n"]), int(p["k"])
    ta, tb = p.get("ta", "0") == "1", p.get("tb", "0") == "1"
    g = torch.Generator().manual_seed(42)
    a = torch.rand((k, m) if ta else (m, k), generator=g) - 0.5
    b = torch.rand((n, k) if tb else (k, n), generator=g) - 0.5
    a_op, b_op = (a.t() if ta else a), (b.t() if tb else b)
    c = torch.empty((m, n))

    def call():
        with torch.no_grad():
            torch.mm(a_op, b_op, out=c)
    return call, 2.0 * m * n * k


KINDS = {"numpy": {"gemm": gemm_numpy}, "torch": {"gemm": gemm_torch}}


def main():
    lib_name, threads = sys.argv[1], int(sys.argv[2])
    try:
        if lib_name == "numpy":
            import numpy as lib
            info = {"numpy": lib.__version__}
        else:
            import torch as lib
            lib.set_num_threads(threads)
            info = {"torch": lib.__version__, "torch_threads": lib.get_num_threads()}
    except ImportError as e:
        print("unavailable %s: %s" % (lib_name, e), flush=True)
        return
    info["python"] = sys.version.split()[0]
    info["threads"] = threads
    cases = {}
    print("ready", flush=True)
    for line in sys.stdin:
        tok = line.split()
        if not tok:
            continue
        try:
            if tok[0] == "quit":
                return
            if tok[0] == "info":
                info["openblas"] = openblas_info()  # after a first call, the library is surely loaded
                print("ok " + json.dumps(info), flush=True)
                continue
            p = dict(t.split("=", 1) for t in tok[1:] if "=" in t)
            key = tuple(sorted((k, v) for k, v in p.items() if k not in ("threads", "samples", "mintime", "clock")))
            if key not in cases:
                cases[key] = KINDS[lib_name][p["kind"]](lib, p)
            fn, flops = cases[key]
            times = []
            # clock=cpu: this thread's CPU time (1 thread only; OpenBLAS then runs on this thread).
            clock = time.thread_time if p.get("clock") == "cpu" else time.perf_counter
            for _ in range(int(p.get("samples", "1"))):
                limit = float(p.get("mintime", "0.1"))
                calls, start = 0, clock()
                while True:
                    fn()
                    calls += 1
                    now = clock()
                    if now - start >= limit:
                        break
                times.append((now - start) / calls)
            print("ok flops=%r times=%s" % (flops, ",".join("%.9g" % t for t in times)), flush=True)
        except Exception as e:  # report and keep serving
            print("error %r" % (e,), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Side-by-side timing of Weft against numpy (OpenBLAS) and PyTorch, interleaved.

One long-lived worker per implementation (a JVM running dev.weft.bench.CompareRunner; one python
peer.py per peer library and thread count) answers "run <case>" requests. For every case and thread
count the driver warms each worker up, then runs ROUNDS rounds; each round takes one timed sample
(>= MINTIME seconds) from every worker, alternating the order, so slow drifts of a shared machine
hit all implementations alike. It prints the median GFLOP/s with min-max per implementation, the
Weft/peer ratio of medians, and writes everything to a JSON file.

Cases come from a JSON list ({"name", "kind", parameters...}); any kind both CompareRunner.KINDS and
peer.py's KINDS know can be added (conv, training steps, ...). Run through bench/compare/run.sh,
which builds the classes and clears OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Worker:
    """A subprocess speaking the line protocol: one request line in, one answer line out."""

    def __init__(self, name, argv, env):
        self.name = name
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, env=env, bufsize=1)

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError("%s exited (asked: %s)" % (self.name, line))
        return answer.strip()

    def first_line(self):
        return self.proc.stdout.readline().strip()

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


CLOCK = "wall"


def request(case, threads, mintime, samples=1):
    params = " ".join("%s=%s" % (k, v) for k, v in case.items() if k != "name")
    clock = " clock=cpu" if CLOCK == "cpu" else ""
    return "run %s threads=%d samples=%d mintime=%g%s" % (params, threads, samples, mintime, clock)


def parse_answer(worker, answer):
    if not answer.startswith("ok "):
        raise RuntimeError("%s: %s" % (worker.name, answer))
    fields = dict(tok.split("=", 1) for tok in answer[3:].split())
    return float(fields["flops"]), [float(t) for t in fields["times"].split(",")]


def stats(values):
    v = sorted(values)
    q = statistics.quantiles(v, n=4) if len(v) >= 2 else [v[0]] * 3
    return {"median": statistics.median(v), "min": v[0], "max": v[-1], "q1": q[0], "q3": q[2], "n": len(v)}


def cpu_info():
    model, flags = "unknown", []
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "unknown":
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags") and not flags:
                    flags = line.split(":", 1)[1].split()
    except OSError:
        pass
    simd = [x for x in ("avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512_bf16") if x in flags]
    return {"model": model, "cpus": os.cpu_count(), "simd": simd, "kernel": platform.release()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=os.path.join(HERE, "gemm_cases.json"))
    ap.add_argument("--only", default=None, help="comma-separated substrings; run only cases whose name contains one")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--mintime", type=float, default=0.1, help="seconds per timed sample")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds per two warm-up steps (three steps at least, until two agree within 10%%)")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="cpu: time by the calling thread's CPU time (1 thread only), for a machine "
                         "whose other load makes wall-clock samples mostly measure the scheduler")
    ap.add_argument("--prime", type=float, default=5.0, help="seconds of JIT warm-up of the Weft JVM before any case")
    ap.add_argument("--java", default="java")
    ap.add_argument("--cp", required=True, help="classpath holding dev.weft.bench.CompareRunner and the engine")
    ap.add_argument("--jvm-opt", action="append", default=[], help="extra JVM option (repeatable)")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--peers", default="numpy,torch")
    ap.add_argument("--json", default="compare-results.json")
    args = ap.parse_args()

    with open(args.cases) as f:
        cases = json.load(f)
    if args.only:
        keys = args.only.split(",")
        cases = [c for c in cases if any(k in c["name"] for k in keys)]
    thread_counts = [int(t) for t in args.threads.split(",")]
    global CLOCK
    CLOCK = args.clock
    if CLOCK == "cpu" and thread_counts != [1]:
        ap.error("--clock cpu needs --threads 1 (CPU time of other threads is not counted)")

    java_argv = [args.java, "--add-modules", "jdk.incubator.vector"] + args.jvm_opt + ["-cp", args.cp, "dev.weft.bench.CompareRunner"]
    weft = Worker("weft", java_argv, dict(os.environ))
    info_answer = weft.ask("info")
    weft_info = dict(tok.split("=", 1) for tok in info_answer[3:].split())
    weft_info["jvm_opts"] = args.jvm_opt
    weft.ask("prime seconds=%g" % args.prime)

    # Peers: one process per library and thread count, so each gets its thread pool set before start.
    peers = {}  # (lib, threads) -> Worker
    peer_info = {}
    skipped = []
    for lib in [p for p in args.peers.split(",") if p]:
        if not os.path.exists(args.python):
            skipped.append("%s: %s not found" % (lib, args.python))
            break
        for t in thread_counts:
            env = dict(os.environ)
            env.pop("OPENBLAS_CORETYPE", None)
            env.pop("OPENBLAS_L2_SIZE", None)
            env["OPENBLAS_NUM_THREADS"] = str(t)
            env["OMP_NUM_THREADS"] = str(t)
            w = Worker("%s/%dt" % (lib, t), [args.python, os.path.join(HERE, "peer.py"), lib, str(t)], env)
            first = w.first_line()
            if first != "ready":
                skipped.append("%s: %s" % (lib, first or "peer did not start"))
                w.close()
                break
            peers[(lib, t)] = w
    libs = []
    for (lib, _t) in peers:
        if lib not in libs:
            libs.append(lib)
    for msg in skipped:
        print("SKIPPING peer " + msg, file=sys.stderr)

    header = "Weft (%s, JDK %s) vs %s; %d rounds x %.2f s samples (%s clock), interleaved" % (
        weft_info.get("gemm", "?").replace("_", " "), weft_info.get("jdk"), ", ".join(libs) or "no peers",
        args.rounds, args.mintime, CLOCK)
    print(header, flush=True)
    rows = []
    for t in thread_counts:
        for case in cases:
            workers = [("weft", weft)] + [(lib, peers[(lib, t)]) for lib in libs if (lib, t) in peers]
            for _name, w in workers:  # warm-up, discarded: until two samples agree (JIT done), at most 8
                prev = None
                for step in range(8):
                    _f, times = parse_answer(w, w.ask(request(case, t, args.warmup / 2)))
                    if step >= 2 and 0.9 < times[0] / prev < 1.1:
                        break
                    prev = times[0]
            gflops = {name: [] for name, _ in workers}
            with open("/proc/loadavg") as f:
                load_before = f.read().split()[0]
            for r in range(args.rounds):
                order = workers if r % 2 == 0 else list(reversed(workers))
                for name, w in order:
                    flops, times = parse_answer(w, w.ask(request(case, t, args.mintime)))
                    gflops[name].extend(flops / x / 1e9 for x in times)
            with open("/proc/loadavg") as f:
                load_after = f.read().split()[0]
            row = {"case": case, "threads": t, "gflops": {n: stats(v) for n, v in gflops.items()},
                   "samples": gflops, "loadavg_before_after": [load_before, load_after]}
            row["ratio_weft_over"] = {lib: row["gflops"]["weft"]["median"] / row["gflops"][lib]["median"]
                                      for lib in gflops if lib != "weft"}
            rows.append(row)
            cells = ["%-24s %dt" % (case["name"], t)]
            for name in gflops:
                s = row["gflops"][name]
                cells.append("%s %6.1f (%5.1f-%5.1f)" % (name, s["median"], s["min"], s["max"]))
            for lib, ratio in row["ratio_weft_over"].items():
                cells.append("weft/%s %.2f" % (lib, ratio))
            print(" | ".join(cells), flush=True)

    for lib in libs:
        for t in thread_counts:
            peer_info["%s/%dt" % (lib, t)] = json.loads(peers[(lib, t)].ask("info")[3:])
    for w in [weft] + list(peers.values()):
        w.close()

    # Markdown table for bench/README.md.
    print()
    cols = ["case", "threads", "Weft GFLOP/s median (min-max)"]
    for lib in libs:
        cols += ["%s GFLOP/s median (min-max)" % lib, "Weft/%s" % lib]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        cells = [row["case"]["name"], str(row["threads"])]
        s = row["gflops"]["weft"]
        cells.append("%.1f (%.1f-%.1f)" % (s["median"], s["min"], s["max"]))
        for lib in libs:
            if lib in row["gflops"]:
                s = row["gflops"][lib]
                cells += ["%.1f (%.1f-%.1f)" % (s["median"], s["min"], s["max"]), "%.2f" % row["ratio_weft_over"][lib]]
            else:
                cells += ["-", "-"]
        print("| " + " | ".join(cells) + " |")

    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "command": " ".join(sys.argv), "machine": cpu_info(), "weft": weft_info, "peers": peer_info,
              "skipped_peers": skipped, "clock": CLOCK, "rounds": args.rounds, "mintime": args.mintime, "rows": rows}
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print("\nJSON written to %s; peers: %s" % (args.json, json.dumps(peer_info)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Ours ÷ reference timing ratios on the same input, in one run, minimum of N alternating runs.

Usage: bench/run.py [check] [xor] [mnist] [expr] [json] [--runs N] [--binary PATH]
  check  whole process `jacobian check softmax --dim 1000` vs torch.autograd.gradcheck (if torch is installed)
  xor    whole process `jacobian xor --iters 100000` vs the notes' NumPy code (scaled from fewer iterations)
         and JAX's jit-compiled fori_loop (compile excluded)
  mnist  epoch time of 784-300-10 ReLU, batch 100, lr 0.1, float64 vs the hand-written NumPy version
  scale  the full check `jacobian check softmax --dim 10000` (every one of its 10⁸ entries): wall time and peak
         memory (max RSS) per run; and the directional check with location at n = 10⁶
  expr   `check "softmax(x)" --dim x=1000` vs `check softmax --dim 1000`, alternating, whole process; and the
         MNIST-size gradient of softmax_ce(W2*relu(W1*x + b1) + b2, y) with respect to W1 (eval --wrt W1 minus
         the same eval --wrt b2: the same constants, forward and printing, a 10-entry Jacobian)
  json   `check softmax --dim 1000 --json` (2 M numbers) vs the text report of the same check, alternating,
         whole process, output to /dev/null
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from mintime import measure  # noqa: E402


def run_json_lines(command, env=None):
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def have(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def bench_check(binary, runs):
    ours, ours_median = measure([binary, "check", "softmax", "--dim", "1000"], runs)
    print(f"check softmax --dim 1000, whole process: min {ours:.1f} ms, median {ours_median:.1f} ms over {runs} runs")
    if have("torch"):
        code = ("import time,torch;from torch.autograd import gradcheck;"
                "x=torch.randn(1000,dtype=torch.float64,requires_grad=True);f=lambda v: torch.softmax(v,0);"
                "t=time.perf_counter();gradcheck(f,(x,),fast_mode=False);print((time.perf_counter()-t)*1000)")
        best = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout) for _ in range(3))
        print(f"torch.autograd.gradcheck (every entry, in-process): {best:.1f} ms; ratio torch/ours = {best / ours:.1f}x")
    else:
        print("torch is not installed: compare with the 60 ms bar instead")


def bench_xor(binary, runs):
    ours, ours_median = measure([binary, "xor", "--iters", "100000"], runs)
    print(f"jacobian xor --iters 100000, whole process: min {ours:.1f} ms, median {ours_median:.1f} ms over {runs} runs")
    if have("jax"):
        jax = min(run_json_lines([sys.executable, os.path.join(HERE, "xor_jax.py"), "100000", "--runs", "5"])[-1]["seconds"]
                  for _ in range(2)) * 1000
        print(f"JAX jit fori_loop, 100000 iterations (compile excluded, best of 10): {jax:.1f} ms; "
              f"JAX/ours = {jax / ours:.2f}x")
    else:
        print("JAX is not installed (pip install jax): skipped")
    iters = 2000
    numpy_s = run_json_lines([sys.executable, os.path.join(HERE, "xor_numpy.py"), str(iters)])[-1]["seconds"]
    scaled = numpy_s * 100000 / iters
    print(f"notes' NumPy code: {numpy_s:.2f} s for {iters} iterations, scaled to 100000: {scaled:.1f} s; "
          f"NumPy/ours = {scaled * 1000 / ours:.0f}x")


def bench_mnist(binary, runs):
    import statistics
    runs = max(runs, 5)
    ours, numpy = [], []
    for _ in range(runs):
        ours += [e["seconds"] for e in run_json_lines(
            [binary, "mnist", "--epochs", "2", "--batch", "100", "--lr", "0.1", "--momentum", "0", "--constant-lr",
             "--json"]) if "epoch" in e and "trainLoss" in e]
        numpy += [e["seconds"] for e in run_json_lines([sys.executable, os.path.join(HERE, "mnist_numpy.py"),
                                                        "--epochs", "2"])]
    print(f"MNIST 784-300-10 ReLU, batch 100, lr 0.1, float64, epoch seconds over {len(ours)} epochs each, "
          f"{runs} alternating runs:")
    print(f"  jacobian mnist: min {min(ours):.3f} s, median {statistics.median(ours):.3f} s "
          f"(spread {min(ours):.3f}-{max(ours):.3f})")
    print(f"  NumPy:          min {min(numpy):.3f} s, median {statistics.median(numpy):.3f} s "
          f"(spread {min(numpy):.3f}-{max(numpy):.3f})")
    print(f"  NumPy/ours = {min(numpy) / min(ours):.2f}x by min, "
          f"{statistics.median(numpy) / statistics.median(ours):.2f}x by median")


def alternate(commands, runs):
    """Runs each command in turn, `runs` rounds; returns [(min, median, all)] per command, in ms."""
    import statistics
    times = [[] for _ in commands]
    for _ in range(runs):
        for k, c in enumerate(commands):
            times[k].append(measure(c, 1)[0])
    return [(min(t), statistics.median(t), t) for t in times]


def bench_expr(binary, runs):
    runs = max(runs, 5)
    (e, em, et), (c, cm, ct) = alternate([[binary, "check", "softmax(x)", "--dim", "x=1000"],
                                          [binary, "check", "softmax", "--dim", "1000"]], runs)
    print(f'check "softmax(x)" --dim x=1000: min {e:.1f} ms, median {em:.1f} ms (spread {min(et):.1f}-{max(et):.1f})')
    print(f"check softmax --dim 1000:          min {c:.1f} ms, median {cm:.1f} ms (spread {min(ct):.1f}-{max(ct):.1f})")
    print(f"expression / catalog: {e / c:.2f}x by min, {em / cm:.2f}x by median (goal: at most 1.2x)")
    net = ["softmax_ce(W2*relu(W1*x + b1) + b2, y)", "--shape", "W1=300x784", "--shape", "W2=10x300"]
    (w, wm, _), (b, bm, _) = alternate([[binary, "eval", net[0], "--wrt", "W1"] + net[1:],
                                        [binary, "eval", net[0], "--wrt", "b2"] + net[1:]], runs)
    print(f"eval 784-300-10 net --wrt W1: min {w:.1f} ms; the same with --wrt b2: min {b:.1f} ms; "
          f"the 1x235200 Jacobian costs about {w - b:.1f} ms (median {wm - bm:.1f} ms; goal: under 5 ms)")


def measured_run(command):
    """One run in a fresh interpreter, so the peak memory is this run's: (seconds, MB)."""
    code = ("import json,resource,subprocess,sys,time;t=time.perf_counter();"
            "p=subprocess.run(sys.argv[1:],capture_output=True);s=time.perf_counter()-t;"
            "print(json.dumps([s,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,p.returncode]))")
    s, mb, rc = json.loads(subprocess.run([sys.executable, "-c", code] + command, capture_output=True, text=True,
                                          check=True).stdout)
    if rc not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {rc}")
    return s, mb


def bench_scale(binary, runs):
    import statistics
    runs = max(runs, 5)
    full = [binary, "check", "softmax", "--dim", "10000"]
    results = [measured_run(full) for _ in range(runs)]
    t = [r[0] for r in results]
    mb = [r[1] for r in results]
    print(f"check softmax --dim 10000 (10^8 entries), whole process over {runs} runs: min {min(t):.2f} s, "
          f"median {statistics.median(t):.2f} s (spread {min(t):.2f}-{max(t):.2f}); peak memory {max(mb):.0f} MB "
          f"(goal: at most 2 s and 1 GiB)")
    directional = [binary, "check", "softmax", "--dim", "1000000", "--directions", "8"]
    results = [measured_run(directional) for _ in range(max(3, runs // 2))]
    t = [r[0] for r in results]
    print(f"check softmax --dim 1000000 --directions 8, whole process: min {min(t):.2f} s, "
          f"median {statistics.median(t):.2f} s; peak memory {max(r[1] for r in results):.0f} MB")


def bench_json(binary, runs):
    runs = max(runs, 5)
    check = [binary, "check", "softmax", "--dim", "1000"]
    (j, jm, jt), (t, tm, tt) = alternate([check + ["--json"], check], runs)
    print(f"check softmax --dim 1000 --json: min {j:.1f} ms, median {jm:.1f} ms (spread {min(jt):.1f}-{max(jt):.1f})")
    print(f"check softmax --dim 1000 (text): min {t:.1f} ms, median {tm:.1f} ms (spread {min(tt):.1f}-{max(tt):.1f})")
    print(f"json / text: {j / t:.2f}x by min, {jm / tm:.2f}x by median over {runs} alternating runs (goal: at most 2x)")


def machine():
    """'AMD EPYC, 2 cores, OpenBLAS 0.3.21 core Cooperlake': what the figures were measured on."""
    import ctypes
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = "OpenBLAS not found"
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        version = lib.openblas_get_config().decode().split(" ")[1]
        blas = f"OpenBLAS {version} core {lib.openblas_get_corename().decode()}"
    except (OSError, AttributeError, IndexError):
        pass
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return f"{cpu}, {os.cpu_count()} cores, {blas}, load average {load}"


def main():
    args = sys.argv[1:]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 3
    binary = args[args.index("--binary") + 1] if "--binary" in args else os.path.join(ROOT, ".build-static", "release", "jacobian")
    which = [a for a in args if a in ("check", "xor", "mnist", "expr", "scale", "json")] or [
        "check", "expr", "json", "scale", "xor", "mnist"]
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset (2)")
    print(f"OPENBLAS_NUM_THREADS={threads}; {time.strftime('%Y-%m-%d %H:%M')}; binary {os.path.relpath(binary, ROOT)}")
    print(f"machine: {machine()}")
    for name in which:
        bench = {"check": bench_check, "xor": bench_xor, "mnist": bench_mnist, "expr": bench_expr, "scale": bench_scale,
                 "json": bench_json}
        bench[name](binary, runs * (5 if name not in ("mnist", "scale") else 1))


if __name__ == "__main__":
    main()

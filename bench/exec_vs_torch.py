#!/usr/bin/env python3
"""`jacobian check --exec` of a NumPy softmax at n = 1000 against torch.autograd.gradcheck (slow mode, every
entry) of the same softmax, in one run, alternating the two, N >= 5 runs each; min and median of each and the
ratios. Ours is the whole process (jacobian starts, starts Python, NumPy imports, three requests, the check,
the report); torch is the gradcheck call alone, in-process, warmed up once (import and first call excluded).

Usage: bench/exec_vs_torch.py [--runs N] [--binary PATH] [--n N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "jacobian"))
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("torch is not installed (pip install torch); only ours is timed.")
        torch = None
    command = [args.binary, "check", "--exec", f"{sys.executable} {os.path.join(HERE, 'softmax_exec.py')}",
               "--dim", str(args.n)]
    print("ours: ", " ".join(command[:3]), repr(command[3]), " ".join(command[4:]))
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.rstrip().endswith("PASS"):
        sys.exit(f"the check did not pass:\n{done.stdout[-500:]}{done.stderr}")
    if torch is not None:
        torch.manual_seed(0)
        x = torch.rand(args.n, dtype=torch.float64, requires_grad=True)
        f = lambda v: torch.softmax(v, 0)  # noqa: E731
        assert torch.autograd.gradcheck(f, (x,), fast_mode=False)  # warm-up, and it must pass too
        print(f"torch {torch.__version__}: torch.autograd.gradcheck(softmax, fast_mode=False), in-process, "
              f"{torch.get_num_threads()} threads")
    json_command = command[:3] + [command[3] + " json"] + command[4:]
    ours, ours_json, theirs = [], [], []
    for _ in range(args.runs):
        for cmd, times in ((command, ours), (json_command, ours_json)):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        if torch is not None:
            start = time.perf_counter()
            torch.autograd.gradcheck(f, (x,), fast_mode=False)
            theirs.append(time.perf_counter() - start)
    def line(name, t):
        return f"{name}: min {min(t) * 1000:.0f} ms, median {statistics.median(t) * 1000:.0f} ms"
    print(line(f"check --exec, n = {args.n}, whole process, binary encoding", ours))
    print(line(f"check --exec, n = {args.n}, whole process, JSON numbers", ours_json))
    if theirs:
        print(line("torch gradcheck slow mode, in-process", theirs))
        for name, t in (("binary", ours), ("JSON", ours_json)):
            print(f"ratio ours ({name}) / torch: {min(t) / min(theirs):.2f}x (min), "
                  f"{statistics.median(t) / statistics.median(theirs):.2f}x (median), "
                  f"over {args.runs} alternating runs")


if __name__ == "__main__":
    main()

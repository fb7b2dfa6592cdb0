#!/usr/bin/env python3
"""Wall time of a whole command: the minimum (and median) of N runs, in milliseconds."""
import statistics
import subprocess
import sys
import time


def measure(command, runs=10, env=None):
    """Runs `command` `runs` times, output discarded; returns (min_ms, median_ms)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


if __name__ == "__main__":
    runs = 10
    args = sys.argv[1:]
    if args and args[0].startswith("--runs="):
        runs = int(args[0].split("=", 1)[1])
        args = args[1:]
    best, median = measure(args, runs)
    print(f"min {best:.1f} ms, median {median:.1f} ms over {runs} runs: {' '.join(args)}")

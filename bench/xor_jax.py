#!/usr/bin/env python3
"""The same XOR training in JAX: jit-compiled fori_loop, no Jacobian matrices, float64.

Usage: xor_jax.py [ITERATIONS] [--runs N]
Prints a JSON line: compile seconds, the best of N timed runs of the compiled loop, the final summed error.
"""
import json
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

X = jnp.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T = jnp.array([0.0, 1.0, 1.0, 0.0])


def sample_step(carry, k, lr=0.02):
    theta1, theta2, _ = carry
    x, t = X[k], T[k]
    a1 = jnp.concatenate([jnp.ones(1), x])
    s = jax.nn.sigmoid(theta1 @ a1)
    a2 = jnp.concatenate([jnp.ones(1), s])
    y = jax.nn.sigmoid(theta2 @ a2)
    e = 0.5 * (y[0] - t) ** 2
    d4 = (y - t) * y * (1 - y)
    g2 = jnp.outer(d4, a2)
    d2 = (theta2[:, 1:].T @ d4) * s * (1 - s)
    g1 = jnp.outer(d2, a1)
    return (theta1 - lr * g1, theta2 - lr * g2, e)


def iteration(i, carry):
    theta1, theta2, _ = carry
    total = 0.0
    for k in range(4):
        theta1, theta2, e = sample_step((theta1, theta2, 0.0), k)
        total = total + e
    return (theta1, theta2, total)


def main():
    args = sys.argv[1:]
    iterations = int(args[0]) if args and not args[0].startswith("--") else 100000
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 5
    key = jax.random.PRNGKey(0)
    k1, k2 = jax.random.split(key)
    theta1 = jax.random.uniform(k1, (4, 3), dtype=jnp.float64)
    theta2 = jax.random.uniform(k2, (1, 5), dtype=jnp.float64)
    train = jax.jit(lambda a, b: jax.lax.fori_loop(0, iterations, iteration, (a, b, 0.0)))
    start = time.perf_counter()
    train(theta1, theta2)[2].block_until_ready()
    compile_seconds = time.perf_counter() - start
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        out = train(theta1, theta2)
        out[2].block_until_ready()
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"compileSeconds": compile_seconds, "seconds": best, "iterations": iterations,
                      "error": float(out[2])}))


if __name__ == "__main__":
    main()

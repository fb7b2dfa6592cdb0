#!/usr/bin/env python3
"""A deliberately wrong twin of layer.py: one entry of the Jacobian forgets the tanh derivative.

A NumPy layer y = tanh(W x + b), R^5 -> R^3, with its hand-written Jacobian, served to
`jacobian check --exec "python3 examples/python/layer.py" --dim 5` (protocol: docs/exec-protocol.md).

J = diag(1 - y^2) W, numerator layout (3x5: J[i][j] = dy_i/dx_j)."""
import json
import sys

import numpy as np

rng = np.random.default_rng(0)
W = rng.uniform(-1, 1, (3, 5))
b = rng.uniform(-1, 1, 3)


def layer(X):
    """y for every row of X (points x batch), vectorized."""
    return np.tanh(X @ W.T + b)


def jacobian(x):
    y = np.tanh(W @ x + b)
    J = (1 - y**2)[:, None] * W
    J[1, 3] = W[1, 3]  # the slip: the tanh derivative forgotten in one entry
    return J


for line in sys.stdin:
    request = json.loads(line)
    answer = {"id": request["id"]}
    if request["op"] == "info":
        answer.update(name="tanh(W x + b)", input=[5], output=[3], layout="numerator")
    else:
        X = np.array(request["points"], dtype=float)
        answer["values"] = layer(X).tolist()
        if request["jacobian"]:
            answer["jacobians"] = [jacobian(x).tolist() for x in X]
    print(json.dumps(answer), flush=True)

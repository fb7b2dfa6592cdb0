#!/usr/bin/env python3
"""softmax: R^n -> R^n in NumPy with its Jacobian diag(p) - p p^T, served over the --exec protocol with the
binary encoding (raw float64 payloads after each JSON line), or with plain JSON numbers when run as
`softmax_exec.py json`. Used by bench/exec_vs_torch.py."""
import json
import sys

import numpy as np

stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
binary = sys.argv[1:] != ["json"]


def softmax(X):
    E = np.exp(X - X.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


for line in stdin:
    request = json.loads(line)
    answer = {"id": request["id"]}
    payloads = []
    if request["op"] == "info":
        answer.update(name="numpy softmax", layout="numerator", encoding="binary" if binary else "json")
    elif not binary:
        P = softmax(np.array(request["points"]))
        answer["values"] = P.tolist()
        if request["jacobian"]:
            answer["jacobians"] = [(np.diag(p) - np.outer(p, p)).tolist() for p in P]
    else:
        X = np.frombuffer(stdin.read(request["bytes"]), dtype="<f8").reshape(request["count"], -1)
        P = softmax(X)
        payloads.append(P.astype("<f8").tobytes())
        answer["values_bytes"] = len(payloads[-1])
        if request["jacobian"]:
            J = np.stack([np.diag(p) - np.outer(p, p) for p in P])
            payloads.append(J.astype("<f8").tobytes())
            answer["jacobians_bytes"] = len(payloads[-1])
            answer["jacobian_shape"] = list(J.shape[1:])
    stdout.write(json.dumps(answer).encode() + b"\n")
    for p in payloads:
        stdout.write(p)
    stdout.flush()

#!/usr/bin/env python3
"""Hand-written NumPy MNIST training: 784-300-10 ReLU, softmax + cross-entropy, batch 100, lr 0.1, float64.

Usage: mnist_numpy.py [--epochs N] [--data DIR]
Prints one JSON line per epoch: the epoch's training seconds (batches only) and the test accuracy.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def load(directory, name):
    with gzip.open(os.path.join(directory, name)) as f:
        data = f.read()
    if "images" in name:
        return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 784)
    return np.frombuffer(data, np.uint8, offset=8)


def main():
    args = sys.argv[1:]
    epochs = int(args[args.index("--epochs") + 1]) if "--epochs" in args else 1
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    directory = args[args.index("--data") + 1] if "--data" in args else os.path.join(root, "fixtures", "mnist")
    x_train = load(directory, "train-images-idx3-ubyte.gz").astype(np.float64) / 255
    y_train = load(directory, "train-labels-idx1-ubyte.gz")
    x_test = load(directory, "t10k-images-idx3-ubyte.gz").astype(np.float64) / 255
    y_test = load(directory, "t10k-labels-idx1-ubyte.gz")
    rng = np.random.default_rng(0)
    w1 = rng.standard_normal((784, 300)) * np.sqrt(2 / 784)
    b1 = np.zeros(300)
    w2 = rng.standard_normal((300, 10)) * np.sqrt(1 / 300)
    b2 = np.zeros(10)
    lr, batch = 0.1, 100
    for epoch in range(epochs):
        order = rng.permutation(len(x_train))
        start = time.perf_counter()
        for k in range(0, len(x_train), batch):
            idx = order[k:k + batch]
            x, y = x_train[idx], y_train[idx]
            z1 = x @ w1 + b1
            a1 = np.maximum(z1, 0)
            z2 = a1 @ w2 + b2
            z2 -= z2.max(axis=1, keepdims=True)
            p = np.exp(z2)
            p /= p.sum(axis=1, keepdims=True)
            g = p
            g[np.arange(len(y)), y] -= 1
            g /= len(y)
            gw2 = a1.T @ g
            gb2 = g.sum(axis=0)
            g1 = (g @ w2.T) * (z1 > 0)
            gw1 = x.T @ g1
            gb1 = g1.sum(axis=0)
            w1 -= lr * gw1
            b1 -= lr * gb1
            w2 -= lr * gw2
            b2 -= lr * gb2
        seconds = time.perf_counter() - start
        a1 = np.maximum(x_test @ w1 + b1, 0)
        accuracy = float(((a1 @ w2 + b2).argmax(axis=1) == y_test).mean())
        print(json.dumps({"epoch": epoch + 1, "seconds": seconds, "testAccuracy": accuracy}), flush=True)


if __name__ == "__main__":
    main()

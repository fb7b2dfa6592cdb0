#!/usr/bin/env python3
"""The 2021 notes' NumPy XOR code (explicit Jacobian matrices, per-sample updates), timed.

Usage: xor_numpy.py [ITERATIONS] [--init FILE]
Prints the summed error every 10000 iterations (as the notes do) and, last, a JSON line with the seconds.
The notes' listing builds J_θ1(f1) with block_diag(temp, temp, temp); θ1 has four rows, so four blocks
are used here (the three-block version cannot be multiplied).
"""
import json
import sys
import time

import numpy as np
from scipy.linalg import block_diag


class NeuralNet:
    def __init__(self):
        self.theta1 = np.zeros((4, 3))
        self.theta2 = np.zeros((1, 5))

    def feed_forward(self, x, y):
        self.x1 = x
        self.tx1 = y
        self.x2 = self.theta1 @ np.concatenate(([[1]], self.x1), axis=0)
        self.jacobian_f1_x1 = self.theta1[:, [1, 2]].copy()
        temp = np.concatenate(([[1]], self.x1), axis=0).T
        self.jacobian_f1_theta1 = block_diag(temp, temp, temp, temp)
        self.x3 = np.concatenate(([[1]], 1 / (1 + np.exp(0 - self.x2))), axis=0)
        self.jacobian_f2_x2 = np.diag((self.x3 * (1 - self.x3)).flatten())[:, 1:]
        self.x4 = 1 / (1 + np.exp(0 - self.theta2 @ self.x3))
        self.jacobian_f3_x3 = self.theta2 * self.x4 * (1 - self.x4)
        self.jacobian_f3_theta2 = self.x3.T * self.x4 * (1 - self.x4)
        self.x5 = (1 / 2) * np.power(self.x4 - self.tx1, 2)
        self.jacobian_f4_x4 = self.x4 - self.tx1
        return self.x5

    def back_propagate(self):
        theta2_gradient = self.jacobian_f4_x4 @ self.jacobian_f3_theta2
        theta1_gradient = self.jacobian_f4_x4 @ self.jacobian_f3_x3 @ self.jacobian_f2_x2 @ self.jacobian_f1_theta1
        return theta1_gradient.reshape(4, 3), theta2_gradient

    def update_parameter(self, lr=0.02):
        g1, g2 = self.back_propagate()
        self.theta1 = self.theta1 - lr * g1
        self.theta2 = self.theta2 - lr * g2


def main():
    args = sys.argv[1:]
    iterations = int(args[0]) if args and not args[0].startswith("--") else 100000
    net = NeuralNet()
    if "--init" in args:
        w = json.load(open(args[args.index("--init") + 1]))
        net.theta1, net.theta2 = np.array(w["theta1"]), np.array(w["theta2"])
    else:
        np.random.seed(0)
        net.theta1, net.theta2 = np.random.rand(4, 3), np.random.rand(1, 5)
    samples = [(np.array([[0], [0]]), np.array([[0]])), (np.array([[0], [1]]), np.array([[1]])),
               (np.array([[1], [0]]), np.array([[1]])), (np.array([[1], [1]]), np.array([[0]]))]
    start = time.perf_counter()
    for i in range(iterations):
        errors = []
        for x, y in samples:
            errors.append(net.feed_forward(x, y)[0, 0])
            net.back_propagate()
            net.update_parameter()
        if (i + 1) % 10000 == 0:
            print(errors[0] + errors[1] + errors[2] + errors[3])
    print(json.dumps({"seconds": time.perf_counter() - start, "iterations": iterations}))


if __name__ == "__main__":
    main()

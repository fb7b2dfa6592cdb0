"""Checks for note 000 (Jacobian, layout conventions, activations, softmax+CE derivative, one-hidden-layer net, MNIST code)."""
import sys
import numpy as np
from functools import partial
from common import fd_grad, close, rel_err, item, raises, finish

rng = np.random.default_rng(0)
sig = lambda z: 1 / (1 + np.exp(-z))
def softmax_v(z):
    e = np.exp(z - z.max()); return e / e.sum()

# Jacobian: m×n
f = lambda x: np.array([x[0] * x[1], np.sin(x[2]), x[0] + x[1] ** 2 + x[2], np.exp(x[1])])
x = rng.normal(size=3)
item("N000-JACOBIAN-MXN", "ok", fd_grad(f, x).shape == (4, 3), "R^3 -> R^4 gives a 4×3 (m×n) Jacobian")
# layout text (line 35) vs the table and the definition
ys = lambda t: np.array([t, t ** 2, np.sin(t)])         # vector by scalar
sy = lambda v: np.sum(v ** 2)                            # scalar by vector
num_vs = fd_grad(lambda t: ys(t[0]), np.array([0.3]))    # numerator layout: rows follow y -> m×1
num_sv = fd_grad(sy, np.array([0.1, 0.2, 0.3]))[None, :]  # numerator layout: rows follow y (1 row) -> 1×n
printed = {"dy/dx (vector by scalar)": "row", "dy/dx (scalar by vector)": "column"}
truth = {"dy/dx (vector by scalar)": "column" if num_vs.shape == (3, 1) else "row",
         "dy/dx (scalar by vector)": "row" if num_sv.shape == (1, 3) else "column"}
item("N000-LAYOUT-TEXT", "slip", printed == truth,
     f"line 35 says numerator layout makes ∂y/∂x (vector by scalar) a row and ∂y/∂x (scalar by vector) a column; "
     f"the Jacobian shapes are {num_vs.shape} and {num_sv.shape}: column and row, as the note's own table says")
table = {("scalar x", "vector y", "num"): "m column", ("scalar x", "vector y", "den"): "m row",
         ("vector x", "scalar y", "num"): "n row", ("vector x", "scalar y", "den"): "n column",
         ("vector x", "vector y", "num"): "m×n", ("vector x", "vector y", "den"): "n×m",
         ("matrix X", "scalar y", "num"): "q×p", ("matrix X", "scalar y", "den"): "p×q", ("scalar x", "matrix Y", "num"): "m×n"}
derived = {("scalar x", "vector y", "num"): "m column" if num_vs.shape[1] == 1 else "?",
           ("scalar x", "vector y", "den"): "m row" if num_vs.T.shape[0] == 1 else "?",
           ("vector x", "scalar y", "num"): "n row" if num_sv.shape[0] == 1 else "?",
           ("vector x", "scalar y", "den"): "n column" if num_sv.T.shape[1] == 1 else "?",
           ("vector x", "vector y", "num"): "m×n" if fd_grad(f, x).shape == (4, 3) else "?",
           ("vector x", "vector y", "den"): "n×m" if fd_grad(f, x).T.shape == (3, 4) else "?",
           ("matrix X", "scalar y", "num"): "q×p", ("matrix X", "scalar y", "den"): "p×q", ("scalar x", "matrix Y", "num"): "m×n"}
item("N000-LAYOUT-TABLE", "ok", table == derived, "the table (copied from Wikipedia) is right: numerator = Jacobian shape, denominator = its transpose")

# activations
printed_sigmoid = "singmod = ..."
item("N000-SIGMOID-MISSING", "slip", "1/(1+e^{-z})" in printed_sigmoid, f"the sigmoid formula is printed as `{printed_sigmoid}` (missing; typo 'singmod')")
z = rng.normal(size=5)
item("N000-TANH", "ok", close((np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), np.tanh(z)),
     "tanh = (e^z - e^-z)/(e^z + e^-z) (printed as tanh(x) with z on the right: variable typo)")
printed_tanh = "tanh(x) = (e^z - e^-z)/(e^z + e^-z)"
item("N000-TANH-VAR", "slip", printed_tanh.startswith("tanh(z)"), f"printed `{printed_tanh}`: x on the left, z on the right (typo)")
lr_ = lambda v: np.where(v < 0, 0.01 * v, v)
item("N000-LEAKY-RELU", "ok", close(fd_grad(lambda v: np.sum(lr_(v)), z), np.where(z < 0, 0.01, 1.0)),
     "leaky relu 0.01z / z and its derivative 0.01 / 1 (printed '0.0 1z'; the cases leave z = 0 undefined)")
# softmax + CE derivative
m = 5
zz = rng.normal(size=m); p = softmax_v(zz); y = np.eye(m)[2]
E = lambda q: -np.sum(y * np.log(q))
dEdp = fd_grad(E, p)
item("N000-DEDP-SIGN", "slip", close(dEdp, y / p), f"∂E/∂p_j printed y_j/p_j = {np.round(y / p, 3)}; right -y_j/p_j = {np.round(dEdp, 3)}")
Jp = fd_grad(softmax_v, zz)
printed_J = np.outer(p, p); np.fill_diagonal(printed_J, p * (1 - p))
item("N000-DPDZ-SIGN", "slip", close(printed_J, Jp),
     f"∂p_i/∂z_j (i≠j) printed p_i p_j; right -p_i p_j (FD [0,1] = {Jp[0, 1]:.4f}, printed {printed_J[0, 1]:.4f})")
prod_printed = (y / p) @ printed_J
item("N000-PRODUCT", "slip", close(prod_printed, p - y),
     f"the printed factors multiply to y + p - 2y⊙p = {np.round(prod_printed, 4)}, not the printed result p - y = {np.round(p - y, 4)}; "
     "the two sign slips do not cancel")
printed_fracs = ["\\frac{-\\sum y_i log p_i}{\\partial p_j}", "\\frac{e^{z_i}/\\sum e^{z_k}}{z_j}", "\\frac{\\partial z^{[1]}}{b^{[1]}}", "b^{1}"]
item("N000-NOTATION", "slip", all("\\partial" in fr.split("}{")[0] and "\\partial" in fr.split("}{")[-1] for fr in printed_fracs[:3]),
     "fractions without ∂: ∂E/∂p_j's numerator, ∂p_i/∂z_j's denominator (printed over z_j), ∂z^[1]/∂b^[1] (printed over b^[1]); "
     "and b^{1} for b^{[1]} in z^[1] = W^[1]x + b^1 (typos, no numbers change)")
item("N000-DEDZ", "ok", close(fd_grad(lambda v: E(softmax_v(v)), zz), p - y) and close(dEdp @ Jp, p - y),
     "∂E/∂z = ∂E/∂p · ∂p/∂z = (p - y)^T, 1×m (the printed result is right)")

# one-hidden-layer net (sigmoid, softmax, CE), column vectors, numerator layout
a_, b_, c_ = 4, 3, 5
W1 = rng.normal(size=(b_, a_)); b1 = rng.normal(size=(b_, 1)); W2 = rng.normal(size=(c_, b_)); b2 = rng.normal(size=(c_, 1))
xv = rng.normal(size=(a_, 1)); yv = np.eye(c_)[[1]].T
def fwd(W1_=W1, b1_=b1, W2_=W2, b2_=b2, h_=None):
    z1 = W1_ @ xv + b1_; h = sig(z1) if h_ is None else h_
    z2 = W2_ @ h + b2_; e = np.exp(z2 - z2.max()); pp = e / e.sum()
    return float(-(yv.T @ np.log(pp))[0, 0]), z1, h, pp
_, z1, h, pp = fwd()
gW2 = fd_grad(lambda V: fwd(W2_=V)[0], W2)
item("N000-DW2", "ok", close(gW2, (pp - yv) @ h.T), "∂E/∂W2 = (p - y) h^T (c×b), entries (p_i - y_i)h_j")
printed_last = ("p_2-y_2", "h_b")
item("N000-DW2-ENTRY", "slip", printed_last == ("p_c-y_c", "h_b"), "bottom-right entry of the ∂E/∂W2 matrix printed (p_2-y_2)h_b for (p_c-y_c)h_b (typo)")
err = raises(lambda: (pp - yv).T @ h.T)
item("N000-DW2-TRANSPOSE", "slip", err is None, f"'观察可发现又等于 [p-y]^T h^T': (1×c)(1×b) does not conform ({err}); it is (p-y) h^T")
gh = fd_grad(lambda H: fwd(h_=H)[0], h)
item("N000-DEDH", "ok", close(gh.T, (pp - yv).T @ W2), "∂E/∂h = (p - y)^T W2 (1×b)")
gb1 = fd_grad(lambda V: fwd(b1_=V)[0], b1); gW1 = fd_grad(lambda V: fwd(W1_=V)[0], W1)
sp = sig(z1) * (1 - sig(z1))
printed_b1 = (((pp - yv).T @ W2) * sp).T          # row ⊙ column: NumPy broadcasts to b×b
right_b1 = (W2.T @ (pp - yv)) * sp
item("N000-DB1-SHAPE", "slip", printed_b1.shape == gb1.shape,
     f"[(p-y)^T W2 ∘ σ'(z1)]^T Hadamards a 1×b row with a b×1 column (NumPy gives {printed_b1.shape}); "
     f"with σ'(z1)^T it is right: [W2^T(p-y)]⊙σ'(z1), err {rel_err(right_b1, gb1):.1e}")
item("N000-DB1-DW1-VALUE", "ok", close(right_b1, gb1) and close(right_b1 @ xv.T, gW1), "∂E/∂b1 and ∂E/∂W1 = ∂E/∂b1 · x^T (with the transpose fixed) match FD")

# ---- the MNIST code listing
def sigmoid(x, derivative=False):
    res = 1. / (1. + np.exp(-x)); return res * (1 - res) if derivative else res
def softmax(x):
    if x.shape[1] == 1:
        e = np.exp(x - np.max(x)); return e / np.sum(e)
    e = np.exp(x - np.max(x, axis=0, keepdims=True)); return e / np.sum(e, axis=0, keepdims=True)
def relu(x, derivative=False):
    if derivative:
        x[x <= 0] = 0; x[x > 0] = 1; return x
    return np.maximum(x, 0)
def cross_entropy(predictions, targets, epsilon=1e-12, quiet=True):
    predictions = np.clip(predictions, epsilon, 1. - epsilon); N = predictions.shape[1]
    ce = -np.sum(targets * np.log(predictions)) / N
    if not quiet:
        print(f'loss:{ce}')
    return ce
class SimpleNetwork:
    def __init__(self, learning_rate, input_node, hidden_node, output_node, hidden_activation_function):
        self.learning_rate = learning_rate; self.input_node = input_node
        self.w1 = np.random.randn(hidden_node, input_node) * 0.01; self.b1 = np.zeros((hidden_node, 1))
        self.w2 = np.random.randn(output_node, hidden_node) * 0.01; self.b2 = np.zeros((output_node, 1))
        self.hidden_activation_function = hidden_activation_function
        self.derivative_of_hidden_activation_function = partial(hidden_activation_function, derivative=True)
        self.output_activation_function = softmax
    def grads_vectorization(self, samples, marks):
        size_of_samples = samples.shape[1]
        z1 = np.dot(self.w1, samples) + self.b1; h = self.hidden_activation_function(z1)
        z2 = np.dot(self.w2, h) + self.b2; p = self.output_activation_function(z2)
        dz2 = (p - marks).T / size_of_samples
        dw2 = np.dot(dz2.T, h.T); db2 = np.sum(dz2.T, axis=1, keepdims=True)
        dz1 = np.dot(dz2, self.w2).T * self.derivative_of_hidden_activation_function(z1)
        db1 = np.sum(dz1, axis=1, keepdims=True); dw1 = np.dot(dz1, samples.T)
        return dw1, db1, dw2, db2
    def grads_single(self, x, y):
        z1 = np.dot(self.w1, x) + self.b1; h = self.hidden_activation_function(z1)
        z2 = np.dot(self.w2, h) + self.b2; p = self.output_activation_function(z2)
        dw2 = np.dot((p - y), h.T); db2 = p - y
        dz1 = np.dot((p - y).T, self.w2).T * self.derivative_of_hidden_activation_function(z1)
        return dz1 @ x.T, dz1, dw2, db2
    def predict(self, features):
        features = features.reshape((self.input_node, 1))
        z1 = np.dot(self.w1, features) + self.b1; h = self.hidden_activation_function(z1)
        p = self.output_activation_function(np.dot(self.w2, h) + self.b2).tolist()
        return p.index(max(p))
    def test_ratio(self, samples, marks):   # the listing's test(), returning what it prints
        false = 0
        for i in zip(samples.T, marks):
            if self.predict(i[0]) != i[1]:
                false += 1
        return (len(samples) - false) / 100, false

err = raises(lambda: SimpleNetwork(0.2, 784, 300, 10, relu, softmax))
item("N000-CTOR-ARGS", "slip", err is None, f"SimpleNetwork(0.2, 784, 300, 10, relu, softmax) -> {err}")
guard = "if __name__ == 'main':"
ns = {"__name__": "__main__", "ran": False}
exec(guard + "\n    ran = True\n", ns)
item("N000-MAIN-GUARD", "slip", ns["ran"], f"`{guard}` is never true when run as a script (needs '__main__'): the training block does not run")

np.random.seed(0)
nin, nh, nout, N = 12, 7, 4, 9
net = SimpleNetwork(0.2, nin, nh, nout, sigmoid)
net.w1 *= 100; net.w2 *= 100      # larger weights so the check is not trivially small
Xs = np.random.rand(nin, N); Ys = np.eye(nout)[np.random.randint(0, nout, N)].T
def mean_ce(w1, b1, w2, b2):
    h = sigmoid(w1 @ Xs + b1); return cross_entropy(softmax(w2 @ h + b2), Ys)
g = net.grads_vectorization(Xs, Ys)
fds = [fd_grad(lambda V: mean_ce(V, net.b1, net.w2, net.b2), net.w1), fd_grad(lambda V: mean_ce(net.w1, V, net.w2, net.b2), net.b1),
       fd_grad(lambda V: mean_ce(net.w1, net.b1, V, net.b2), net.w2), fd_grad(lambda V: mean_ce(net.w1, net.b1, net.w2, V), net.b2)]
item("N000-TRAIN-VECTORIZATION", "ok", all(close(a, b, 1e-5) for a, b in zip(g, fds)),
     f"train_vectorization's dw1, db1, dw2, db2 = ∇ of the mean CE (max err {max(rel_err(a, b) for a, b in zip(g, fds)):.1e})")
x1 = Xs[:, [0]]; y1 = Ys[:, [0]]
def ce1(w1, b1, w2, b2):
    return cross_entropy(softmax(w2 @ sigmoid(w1 @ x1 + b1) + b2), y1)
g1 = net.grads_single(x1, y1)
fd1 = [fd_grad(lambda V: ce1(V, net.b1, net.w2, net.b2), net.w1), fd_grad(lambda V: ce1(net.w1, V, net.w2, net.b2), net.b1),
       fd_grad(lambda V: ce1(net.w1, net.b1, V, net.b2), net.w2), fd_grad(lambda V: ce1(net.w1, net.b1, net.w2, V), net.b2)]
item("N000-TRAIN-SINGLE", "ok", all(close(a, b, 1e-5) for a, b in zip(g1, fd1)), "train_single's per-sample gradients match FD")
zr = np.array([[-1.0], [2.0]]); zr_before = zr.copy(); relu(zr, derivative=True)
item("N000-RELU-INPLACE", "slip", np.array_equal(zr, zr_before),
     f"relu(z, derivative=True) overwrites z ({zr_before.ravel()} -> {zr.ravel()}); harmless in the listing (z1 is not reused), a trap elsewhere")

# test(): ratio = (len(samples) - false)/100 with samples 784×N
np.random.seed(1)
Nt = 250
tnet = SimpleNetwork(0.2, 784, 30, 10, relu)
Xt = np.random.rand(784, Nt); Yt = np.random.randint(0, 10, Nt).astype(float)
printed_ratio, false = tnet.test_ratio(Xt, Yt)
item("N000-TEST-RATIO", "slip", np.isclose(printed_ratio, (Nt - false) / Nt),
     f"{Nt} images, {false} wrong: test() prints (len(samples) - false)/100 = ({len(Xt)} - {false})/100 = {printed_ratio}; "
     f"len(samples) is the 784 pixels (samples is 784×N) and 100 is not N; right (N - false)/N = {(Nt - false) / Nt:.4f}")

# first printed loss ≈ ln 10 with the 0.01·randn init (needs MNIST)
if "--mnist" in sys.argv:
    import gzip
    with gzip.open("/work/shared/mnist/train-images-idx3-ubyte.gz") as fh:
        imgs = np.frombuffer(fh.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open("/work/shared/mnist/train-labels-idx1-ubyte.gz") as fh:
        labs = np.frombuffer(fh.read(), np.uint8, offset=8)
    xm = (imgs.T / 255.0 * 0.99) + 0.01; ym = np.eye(10)[labs].T
    losses = []
    for seed in range(3):
        np.random.seed(seed); nn_ = SimpleNetwork(0.2, 784, 300, 10, relu)
        losses.append(cross_entropy(softmax(nn_.w2 @ relu(nn_.w1 @ xm + nn_.b1) + nn_.b2), ym))
    item("N000-FIRST-LOSS", "ok", all(abs(v - 2.302892957408862) < 5e-3 for v in losses),
         f"first printed loss 2.302892957408862; seeds 0-2 on the real 60000 images give {[round(float(v), 6) for v in losses]} (ln 10 = {np.log(10):.6f})")
finish()

"""Checks for note 001 (矩阵求导: differential rules, trace tricks, examples; numpy autodiff listing, gradient checks)."""
import numpy as np
np.seterr(over="ignore", invalid="ignore")
from common import fd_grad, close, rel_err, item, raises, finish

rng = np.random.default_rng(1)
m, n = 3, 4
X = rng.normal(size=(m, m)) + 3 * np.eye(m); E = rng.normal(size=(m, m)); eps = 1e-6
dirder = lambda F, X0: (F(X0 + eps * E) - F(X0 - eps * E)) / (2 * eps)   # directional derivative along dX = E
tr = np.trace

# df = tr((∂f/∂X)^T dX)
fX = lambda V: np.sum(np.sin(V) * V)
G = fd_grad(fX, X)
item("N001-DF-TRACE", "ok", np.isclose(dirder(fX, X), tr(G.T @ E)), "df = tr((∂f/∂X)^T dX)")
A = rng.normal(size=(m, n)); B = rng.normal(size=(m, n))
item("N001-TR-ATB", "ok", np.isclose(tr(A.T @ B), np.sum(A * B)), "tr(A^T B) = Σ A_ij B_ij")
Y = rng.normal(size=(m, m))
item("N001-D-PRODUCT", "ok", close(dirder(lambda V: V @ Y, X), E @ Y) and close(dirder(lambda V: V @ V, X), E @ X + X @ E),
     "d(XY) = dX Y + X dY")
Xi = np.linalg.inv(X)
item("N001-D-INVERSE", "ok", close(dirder(np.linalg.inv, X), -Xi @ E @ Xi, 1e-5), "d(X^-1) = -X^-1 dX X^-1")
adj = np.linalg.det(X) * Xi
dd = dirder(np.linalg.det, X)
item("N001-D-DET", "slip", np.isclose(tr(adj), dd),
     f"printed d|X| = tr(X*) = {tr(adj):.4f} has no dX; right d|X| = tr(X* dX) = {tr(adj @ E):.4f} (FD {dd:.4f}) "
     "= |X| tr(X^-1 dX), the second form printed, which is right")
item("N001-D-DET-2", "ok", np.isclose(np.linalg.det(X) * tr(Xi @ E), dd), "d|X| = |X| tr(X^-1 dX)")
Yh = rng.normal(size=(m, m))
item("N001-D-HADAMARD", "ok", close(dirder(lambda V: V * Yh, X), E * Yh), "d(X⊙Y) = dX⊙Y + X⊙dY")
item("N001-D-ELEMENTWISE", "ok", close(dirder(np.sin, X), np.cos(X) * E), "d sin(X) = cos(X)⊙dX")
# trace tricks
A = rng.normal(size=(m, n)); Bt = rng.normal(size=(n, m))
item("N001-TR-CYCLIC", "ok", np.isclose(tr(A @ Bt), tr(Bt @ A)) and np.isclose(tr(A @ Bt), np.sum(A * Bt.T)), "tr(AB) = tr(BA) = Σ A_ij B_ji")
Aa, Bb, Cc = (rng.normal(size=(m, n)) for _ in range(3))
item("N001-TR-HADAMARD", "ok", np.isclose(tr(Aa.T @ (Bb * Cc)), tr((Aa * Bb).T @ Cc)) and np.isclose(tr(Aa.T @ (Bb * Cc)), np.sum(Aa * Bb * Cc)),
     "tr(A^T(B⊙C)) = tr((A⊙B)^T C) = Σ A_ij B_ij C_ij")
Sq = rng.normal(size=(m, m))
item("N001-TR-TRANSPOSE", "ok", np.isclose(tr(Sq.T), tr(Sq)), "tr(A^T) = tr(A)")
# Y = AXB -> ∂f/∂X = A^T (∂f/∂Y) B^T
Am = rng.normal(size=(2, m)); Xm = rng.normal(size=(m, n)); Bm = rng.normal(size=(n, 3))
fY = lambda V: np.sum(np.tanh(V) ** 2)
Gy = fd_grad(fY, Am @ Xm @ Bm)
item("N001-AXB", "ok", close(fd_grad(lambda V: fY(Am @ V @ Bm), Xm), Am.T @ Gy @ Bm.T), "∂f/∂X = A^T (∂f/∂Y) B^T")
# Example 1: f = a^T X b -> a b^T
a = rng.normal(size=(m, 1)); b = rng.normal(size=(n, 1)); Xe = rng.normal(size=(m, n)) * 0.5
item("N001-EX1", "ok", close(fd_grad(lambda V: (a.T @ V @ b)[0, 0], Xe), a @ b.T), "Example 1: ∂(a^T X b)/∂X = a b^T")
# Example 2: f = a^T exp(Xb) -> (a ⊙ exp(Xb)) b^T ; printed (a^T ⊙ exp(Xb)) b^T
g2 = fd_grad(lambda V: (a.T @ np.exp(V @ b))[0, 0], Xe)
right2 = (a * np.exp(Xe @ b)) @ b.T
printed2 = a.T * np.exp(Xe @ b)          # numpy broadcasts 1×m ⊙ m×1 to an m×m outer product
err = raises(lambda: printed2 @ b.T)
item("N001-EX2-VALUE", "ok", close(g2, right2), f"Example 2: ∂(a^T exp(Xb))/∂X = (a⊙exp(Xb)) b^T, err {rel_err(right2, g2):.1e}")
item("N001-EX2-TRANSPOSE", "slip", err is None and close(printed2 @ b.T, g2),
     f"printed (a^T⊙exp(Xb)) b^T: a^T is 1×m, exp(Xb) m×1; in NumPy the ⊙ broadcasts to {printed2.shape} and ·b^T fails ({err}); "
     "read a for a^T (notation, the same a^T appears in the trace steps)")

# ---- numpy autodiff listing
class Matmul:
    def __init__(self): self.mem = {}
    def forward(self, x, W): self.mem = {'x': x, 'W': W}; return np.matmul(x, W)
    def backward(self, grad_y):
        x, W = self.mem['x'], self.mem['W']; return np.dot(grad_y, W.T), np.dot(x.T, grad_y)
class Relu:
    def __init__(self): self.mem = {}
    def forward(self, x): self.mem['x'] = x; return np.where(x > 0, x, np.zeros_like(x))
    def backward(self, grad_y): return (self.mem['x'] > 0).astype(np.float32) * grad_y
class Softmax:
    def __init__(self): self.epsilon = 1e-12; self.mem = {}
    def forward(self, x):
        x_exp = np.exp(x); partition = np.sum(x_exp, axis=1, keepdims=True)
        out = x_exp / (partition + self.epsilon); self.mem['out'] = out; self.mem['x_exp'] = x_exp; return out
    def backward(self, grad_y):
        s = self.mem['out']
        sisj = np.matmul(np.expand_dims(s, axis=2), np.expand_dims(s, axis=1))
        tmp = np.squeeze(np.matmul(np.expand_dims(grad_y, axis=1), sisj), axis=1)
        return -tmp + grad_y * s
class Log:
    def __init__(self): self.epsilon = 1e-12; self.mem = {}
    def forward(self, x): self.mem['x'] = x; return np.log(x + self.epsilon)
    def backward(self, grad_y): return 1. / (self.mem['x'] + 1e-12) * grad_y

x = rng.normal(size=(5, 6)); W = rng.normal(size=(6, 4)); U = rng.normal(size=(5, 4))
mm = Matmul(); mm.forward(x, W); gx, gW = mm.backward(U)
item("N001-MATMUL-BACKWARD", "ok", close(gx, fd_grad(lambda v: np.sum(U * (v @ W)), x)) and close(gW, fd_grad(lambda v: np.sum(U * (x @ v)), W)),
     "Matmul.backward: grad_x = grad_y W^T, grad_W = x^T grad_y")
r = Relu(); xr = rng.normal(size=(5, 6)); r.forward(xr); U6 = rng.normal(size=(5, 6))
item("N001-RELU-BACKWARD", "ok", close(r.backward(U6), fd_grad(lambda v: np.sum(U6 * np.maximum(v, 0)), xr)), "Relu.backward")
sm = Softmax(); xs = rng.normal(size=(5, 6)) * 2; sm.forward(xs)
sm_ref = lambda v: np.exp(v) / np.exp(v).sum(axis=1, keepdims=True)
item("N001-SOFTMAX-BACKWARD", "ok", close(sm.backward(U6), fd_grad(lambda v: np.sum(U6 * sm_ref(v)), xs)), "Softmax.backward = s⊙g - s(s·g)")
item("N001-SOFTMAX-OVERFLOW", "slip", np.all(np.isfinite(Softmax().forward(np.array([[800.0, 0.0]])))),
     f"Softmax.forward takes exp without subtracting the row max: logits [800, 0] give {Softmax().forward(np.array([[800.0, 0.0]]))} "
     "(robustness, not a derivative error; note 000 and 002 subtract the max)")
lg = Log(); xl = rng.random((5, 6)) + 0.1; lg.forward(xl)
item("N001-LOG-BACKWARD", "ok", close(lg.backward(U6), fd_grad(lambda v: np.sum(U6 * np.log(v)), xl)), "Log.backward = g/x")
docstring = "softmax over last dimention"
item("N001-LOG-DOCSTRING", "slip", "log" in docstring, f"class Log's docstring reads '{docstring}' (copied from Softmax; typo)")

# In [21]: label is only defined in commented-out code; the output cannot come from the code as printed
cell21 = "x = np.random.rand(5, 6)\naa = Log()\nout = aa.forward(x)\ngrad = aa.backward(label)\n"
err = raises(lambda: exec(cell21, {"np": np, "Log": Log}))
_lg = Log(); _lg.forward(np.random.rand(5, 6))
out_type = type(_lg.backward(np.ones((5, 6)))).__name__
item("N001-CELL21-TRANSCRIPT", "slip", err is None and out_type == "EagerTensor",
     f"in a fresh kernel In[21] raises {err}; and `print(grad)` of a {out_type} cannot print 'tf.Tensor(', yet both printed blocks start so; "
     "the commented label has label[1,1]=1 but printed row 1 has one nonzero")

# In [22] "Final Gradient Check": printed values
ours = np.array([6.76312100e+03, 3.04652832e+06, 5.14210153e+02, 1.22527188e+10, 1.00138727e+00])
tf_ = np.array([6.76312105e+03, 3.04653760e+06, 5.14210153e+02, 1.24047102e+10, 1.00138727e+00])
pred = 1 / (1 / tf_ + 1e-12)
item("N001-FINALCHECK-EPS", "slip", np.allclose(ours, tf_, rtol=1e-6) or not np.allclose(pred, ours, rtol=1e-7),
     f"the printed check disagrees: [3,5] {ours[3]:.8e} vs TF {tf_[3]:.8e} ({(tf_[3] - ours[3]) / tf_[3]:.2%}); "
     f"1/(1/TF + 1e-12) = {np.array2string(pred, precision=8)} reproduces every printed value (max rel diff "
     f"{np.max(np.abs(pred - ours) / ours):.1e}): Log.backward's +1e-12 at p ≈ 8e-11, the notes don't say")

# the check exercises only Log.backward: sabotaging Softmax/Matmul/Relu backward leaves its printed output unchanged
rng2 = np.random.default_rng(22)
label = np.zeros((5, 6)); label[0, 1] = 1; label[1, 0] = 1; label[2, 3] = 1; label[3, 5] = 1; label[4, 0] = 1
x = rng2.normal(size=[5, 6]); W1 = rng2.normal(size=[6, 5]); W2 = rng2.normal(size=[5, 6])
def net(W1_, W2_, soft=Softmax):
    m1, m2, rl, sf, lgg = Matmul(), Matmul(), Relu(), soft(), Log()
    h1 = rl.forward(m1.forward(x, W1_)); p = sf.forward(m2.forward(h1, W2_)); lp = lgg.forward(p)
    g = lgg.backward(label); printed = g.copy()
    h2g, W2g = m2.backward(sf.backward(g)); h1g, W1g = m1.backward(rl.backward(h2g))
    return np.sum(label * lp), printed, W1g, W2g
class BrokenSoftmax(Softmax):
    def backward(self, grad_y): return np.zeros_like(grad_y)
_, printed_ok, W1g, W2g = net(W1, W2); _, printed_broken, _, _ = net(W1, W2, BrokenSoftmax)
item("N001-FINALCHECK-SCOPE", "slip", not np.array_equal(printed_ok, printed_broken),
     "the 'Final Gradient Check' prints ∂loss/∂prob = label/prob only: with Softmax.backward replaced by zeros the printed "
     "array is identical, so it checks Log.backward alone (tape.watch(W1, W2) is never used)")
fW1 = fd_grad(lambda V: net(V, W2)[0], W1); fW2 = fd_grad(lambda V: net(W1, V)[0], W2)
item("N001-FULL-NETWORK-GRAD", "ok", close(W1g, fW1, 1e-5) and close(W2g, fW2, 1e-5),
     f"the whole 6-5-6 chain is right: W1 err {rel_err(W1g, fW1):.1e}, W2 err {rel_err(W2g, fW2):.1e} vs FD")
printed_comment = "(5, 4)"
item("N001-H1-SHAPE-COMMENT", "slip", printed_comment == str(Matmul().forward(x, W1).shape),
     f"comment says h1 is shape{printed_comment}; x(5,6)@W1(6,5) is {Matmul().forward(x, W1).shape} (comment typo)")

# myModel: backward(-label) is the gradient of the SUM over the batch; compute_loss reports the MEAN
Nb = 7
xb = rng.random((Nb, 8)); yb = np.eye(3)[rng.integers(0, 3, Nb)]
W1m = rng.normal(size=(9, 5)); W2m = rng.normal(size=(5, 3))
def model_loss(W1_, W2_, grads=False):
    xx = np.concatenate([xb, np.ones((Nb, 1))], axis=1)
    m1, m2, rl, sf, lgg = Matmul(), Matmul(), Relu(), Softmax(), Log()
    lp = lgg.forward(sf.forward(m2.forward(rl.forward(m1.forward(xx, W1_)), W2_)))
    loss = np.mean(np.sum(-lp * yb, axis=1))
    if not grads:
        return loss
    h2g, W2g = m2.backward(sf.backward(lgg.backward(-yb))); _, W1g = m1.backward(rl.backward(h2g))
    return loss, W1g, W2g
_, W1g, W2g = model_loss(W1m, W2m, True)
fW2 = fd_grad(lambda V: model_loss(W1m, V), W2m)
ratio = np.sum(W2g * fW2) / np.sum(fW2 * fW2)
item("N001-MODEL-SUM-VS-MEAN", "slip", close(W2g, fW2, 1e-5) or not close(W2g, Nb * fW2, 1e-5),
     f"W2_grad = {ratio:.4f} × ∇(printed mean loss) = N × (N = {Nb}); the step 1e-5·grad is a step of "
     "lr 1e-5·N on the mean (0.6 for N = 60000): an inconsistency, not a wrong derivative")
# epoch-0 transcript (needs MNIST): W ~ N(0,1) with no scaling; the printed loss 23.904 is the loss before the first step
if "--mnist" in __import__("sys").argv:
    import gzip
    with gzip.open("/work/shared/mnist/train-images-idx3-ubyte.gz") as fh:
        imgs = np.frombuffer(fh.read(), np.uint8, offset=16).reshape(-1, 784) / 255.0
    with gzip.open("/work/shared/mnist/train-labels-idx1-ubyte.gz") as fh:
        labs = np.frombuffer(fh.read(), np.uint8, offset=8)
    xx = np.concatenate([imgs, np.ones((len(imgs), 1))], axis=1); yy = np.eye(10)[labs]
    rows = []
    for seed in range(3):
        np.random.seed(seed)
        W1s = np.random.normal(size=[785, 100]); W2s = np.random.normal(size=[100, 10])
        lp = Log().forward(Softmax().forward(np.maximum(xx @ W1s, 0) @ W2s))
        loss = np.mean(np.sum(-lp * yy, 1)); acc = np.mean(lp.argmax(1) == labs)
        clamped = np.mean(np.sum(-lp * yy, 1) > 27.0)
        rows.append((seed, round(float(loss), 3), round(float(acc), 4), round(float(clamped), 3)))
    item("N001-EPOCH0", "ok", all(20 < r[1] < 27.64 and 0.05 < r[2] < 0.2 for r in rows),
         f"printed epoch 0: loss 23.904, accuracy 0.10295; seeds 0-2 (seed, loss, acc, share of images at the -log(1e-12) = 27.63 "
         f"clamp): {rows}: same regime; the loss is mostly Log's epsilon clamp, with N(0,1) weights the logits reach ±300")
finish()

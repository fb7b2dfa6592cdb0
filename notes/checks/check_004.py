"""Checks for note 004 (向量函数的导数): every equation and the XOR listing."""
import sys
import numpy as np
from scipy.linalg import block_diag
from common import fd_grad, close, rel_err, item, raises, finish

rng = np.random.default_rng(4)

# ---- Example 2.2: f(x1,x2) = [x1^2+x2^2, x1^2-x2^2, x1 x2]; Jacobian (not printed in the notes)
f22 = lambda x: np.array([x[0]**2 + x[1]**2, x[0]**2 - x[1]**2, x[0]*x[1]])
x = rng.normal(size=2)
Jref = np.array([[2*x[0], 2*x[1]], [2*x[0], -2*x[1]], [x[1], x[0]]])
item("N004-EX2.2", "ok", close(fd_grad(f22, x), Jref), f"J is 3x2 (m=2 in, n=3 out), FD err {rel_err(fd_grad(f22, x), Jref):.1e}")

# ---- (2.1) J^T(f) is m x n (denominator layout); (2.4) J^T(g∘f) = J^T(f) J^T(g)
g = lambda y: np.array([np.sin(y[0]) * y[1], y[1] * y[2], np.exp(y[0]) + y[2]**2, y[0] - y[2]])
x = rng.normal(size=2)
JfT = fd_grad(f22, x).T           # 2x3
JgT = fd_grad(g, f22(x)).T        # 3x4
JgfT = fd_grad(lambda v: g(f22(v)), x).T  # 2x4
item("N004-EQ2.4", "ok", close(JgfT, JfT @ JgT, 1e-6), f"J^T(g∘f) = J^T(f) J^T(g), err {rel_err(JfT @ JgT, JgfT):.1e}")

# ---- §3.1 gradient descent on f = (x1 x2 - 3)^2 + 1
f31 = lambda x: (x[0]*x[1] - 3)**2 + 1
J31 = lambda x: np.array([2*x[1]*(x[0]*x[1] - 3), 2*x[0]*(x[0]*x[1] - 3)])
x = rng.normal(size=2)
item("N004-EQ3.2", "ok", close(fd_grad(f31, x), J31(x)), "J(f) = [2x2(x1x2-3), 2x1(x1x2-3)]")
x1 = np.array([1.0, 1.0])
item("N004-EQ3.3", "ok", f31(x1) == 5.0, f"f(1,1) = {f31(x1)}")
item("N004-EQ3.4", "ok", np.allclose(J31(x1), [-4, -4]), f"J(1,1) = {J31(x1)}")
x2 = x1 - 1e-2 * J31(x1)
item("N004-EQ3.5", "ok", np.allclose(x2, [1.04, 1.04]), f"x2 = {x2}")
item("N004-EQ3.6", "ok", abs(f31(x2) - 4.68025856) < 1e-8, f"f(x2) = {f31(x2):.8f} (notes 4.68025856)")
J2 = J31(x2)
printed_J2 = np.array([-1.995136, -1.995136])
item("N004-GD-STEP2-GRAD", "slip", np.allclose(J2, printed_J2, atol=1e-9),
     f"J(1.04,1.04) = {J2} (notes {printed_J2}: exactly half, factor 2 dropped; FD {fd_grad(f31, x2)})")
x3_notes = np.array([1.05995136, 1.05995136])
x3 = x2 - 1e-2 * J2
item("N004-GD-STEP2-X3", "slip", np.allclose(x3, x3_notes, atol=1e-9),
     f"x3 = {x3[0]:.8f} (notes {x3_notes[0]:.8f}, which follows from the halved gradient)")
item("N004-GD-STEP2-F3", "slip", abs(f31(x3) - 4.5212639385) < 1e-9,
     f"f(x3) = {f31(x3):.10f} (notes 4.5212639385; f at the notes' own x3 = {f31(x3_notes):.10f})")

# ---- §3.2 layers; (3.11) x4 = Sigmoid((θ2)^T x3) with θ2 in M[1,5]
sig = lambda z: 1 / (1 + np.exp(-z))
th2 = rng.normal(size=(1, 5)); x3v = np.vstack([[1.0], sig(rng.normal(size=(4, 1)))])
err = raises(lambda: th2.T @ x3v)
item("N004-EQ3.11-TRANSPOSE", "slip", err is None, f"(θ2)^T x3 with θ2 1x5, x3 5x1: {err}; θ2 x3 works (code uses theta2 @ x3)")
# (3.12) f4 : R -> {1,0}: the loss is a real number in [0, 1/2), not in {0,1}
vals = {0.5 * (sig(z) - t)**2 for z in rng.normal(size=5) for t in (0, 1)}
item("N004-EQ3.12-CODOMAIN", "slip", all(v in (0.0, 1.0) for v in vals), f"f4 values e.g. {[round(float(v), 4) for v in sorted(vals)[:3]]} are not in {{0,1}}")

# ---- §3.3 XOR table
item("N004-TABLE3.1", "ok", [int(a) ^ int(b) for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]] == [0, 1, 1, 0], "t = XOR")
# (3.13)/(3.14) row-major vec
M = np.array([[14, 32, 66], [72, 86, 97]])
item("N004-EQ3.14", "ok", list(M.reshape(-1)) == [14, 32, 66, 72, 86, 97], "row-major vec")

# ---- (3.17) x2 = θ1 [1; x1]: the bias node x0 must be 1 (notes: "x_0^{(k)} 都等于 0")
th1 = rng.normal(size=(4, 3)); xin = rng.normal(size=(2, 1))
x2_true = th1 @ np.vstack([[1.0], xin])
x2_zero = th1 @ np.vstack([[0.0], xin])
item("N004-X0-BIAS", "slip", close(x2_zero, x2_true),
     f"with x0=0 the bias column θ_(i,0) drops out: max diff {np.max(np.abs(x2_zero - x2_true)):.3f}; eq. 3.23 and code use 1")
# (3.17) printed matrix has 5 rows (θ_1 row twice) and 4th output uses θ_3
printed_rows = [1, 1, 2, 3, 4]          # row index of θ^(1) in each printed row of (3.17)'s matrix
printed_sum_rows = [1, 2, 3, 3]         # row index used in each printed entry of the result
item("N004-EQ3.17-ROWS", "slip", printed_rows == [1, 2, 3, 4] and printed_sum_rows == [1, 2, 3, 4],
     f"printed θ1 has {len(printed_rows)} rows (θ_(1,·) twice) though θ1 ∈ M[4,3]; result rows use θ_{printed_sum_rows} (typo, no number changes)")

# (3.18) J^T_{x1}(f1) = θ1[:,1:]^T
f1 = lambda v: (th1 @ np.concatenate([[1.0], v]))
xv = rng.normal(size=2)
item("N004-EQ3.18", "ok", close(fd_grad(f1, xv).T, th1[:, 1:].T), "J^T_x1(f1) = θ1[:,1:]^T (2x4)")
# (3.19)/(3.20) J_θ1(f1) is 4x12 block-diagonal with blocks [1, x1, x2]
f1t = lambda T: (T @ np.concatenate([[1.0], xv]))
Jth = fd_grad(f1t, th1).reshape(4, 12)
temp = np.concatenate([[1.0], xv])[None, :]
printed_offsets = [1, 3, 4, 5, 6]        # column where each printed row's "1" sits in (3.19)
true_offsets = [1 + 3 * k for k in range(4)]
item("N004-EQ3.19-SHAPE", "slip", printed_offsets == true_offsets,
     f"true J_θ1(f1) is 4x12 = blockdiag of four [1, x1, x2] (FD err {rel_err(block_diag(temp, temp, temp, temp), Jth):.1e}); "
     f"the notes print {len(printed_offsets)} rows with the blocks starting at columns {printed_offsets} (should be {true_offsets}); "
     "(3.20) writes diag{x1,x1,x1,x1}, blocks of 2, not [1, x1^T] blocks of 3")
item("N004-EQ3.19-VALUE", "ok", close(block_diag(temp, temp, temp, temp), Jth), "blockdiag([1,x]^T x4) matches FD")

# (3.22) J_{x2}(f2): 5x4 with a zero first row
f2 = lambda v: np.concatenate([[1.0], sig(v)])
x2v = rng.normal(size=4)
J22 = np.vstack([np.zeros((1, 4)), np.diag(sig(x2v) * (1 - sig(x2v)))])
item("N004-EQ3.22", "ok", close(fd_grad(f2, x2v), J22), "J_x2(f2) = [0; diag(s(1-s))] 5x4 (printed first row has 5 zeros: typo)")

printed_row1_zeros = 5
item("N004-EQ3.22-ROW1", "slip", printed_row1_zeros == J22.shape[1], f"(3.22)'s first row prints {printed_row1_zeros} zeros in a 5×{J22.shape[1]} matrix (typo)")
printed_layer_name = "第三层对第而层的输出做按元素 Sigmoid"
item("N004-LAYER-NAME", "slip", printed_layer_name.startswith("第二层"),
     "f2 is introduced as '第三层对第而层的输出…' (third layer on the 'er' layer's output); it is the second layer acting on the first's (typo)")
# (3.24) J_x3(f3) = θ2 s(1-s); (3.25) J_θ2(f3) = x3^T s(1-s)
th2v = rng.normal(size=5); x3 = np.concatenate([[1.0], sig(rng.normal(size=4))])
f3x = lambda v: sig(th2v @ v); f3t = lambda t: sig(t @ x3)
s = sig(th2v @ x3)
item("N004-EQ3.24", "ok", close(fd_grad(f3x, x3), th2v * s * (1 - s)), "J_x3(f3) = θ2 s(1-s)")
notes_325 = np.array([1, x3[1], x3[1], x3[1], x3[1]]) * s * (1 - s)
item("N004-EQ3.25", "slip", close(fd_grad(f3t, th2v), notes_325),
     f"J_θ2(f3) = [1,x1,x2,x3,x4]^(3) s(1-s) = {np.round(x3 * s * (1 - s), 4)}; notes repeat x_1^(3): {np.round(notes_325, 4)}")
# (3.27)
item("N004-EQ3.27", "ok", close(fd_grad(lambda v: 0.5 * (v[0] - 0.3)**2, np.array([0.8])), [0.5]), "df4/dx4 = x4 - t")

# ---- (2.2)/(2.5) index typos (no numbers)
printed_22 = "z1/z1"; printed_25 = "z1/x_m"
item("N004-EQ2.2-TYPO", "slip", printed_22 == "z1/y2", f"J^T(g) row 2 col 1 reads ∂{printed_22.replace('/', '/∂')} for ∂z1/∂y2 (typo)")
item("N004-EQ2.5-TYPO", "slip", printed_25 == "z1/y_n", f"last matrix of (2.5), last row starts ∂{printed_25.replace('/', '/∂')} for ∂z1/∂y_n (typo)")


# ---- §3.4 code listing
class NeuralNet:
    """The notes' class, with np.float -> float and OCR'd names repaired; `blocks` and `fix_tx1` toggle the slips."""
    def __init__(self, blocks=3, fix_tx1=False):
        self.blocks, self.fix_tx1 = blocks, fix_tx1
        self.x1 = np.zeros((2, 1)); self.tx1 = np.zeros((1, 1))
        self.theta1 = np.zeros((4, 3)); self.theta2 = np.zeros((1, 5))

    def feed_forward(self, x, y):
        if not (self.x1.shape == x.shape and self.tx1.shape == y.shape):
            raise ValueError()
        self.x1 = x
        if self.fix_tx1:
            self.tx1 = y
        else:
            self_tx1 = y  # noqa: F841  -- as printed: a local variable, self.tx1 keeps its zeros
        self.x2 = self.theta1 @ np.concatenate(([[1]], self.x1), axis=0)
        self.jacobian_f1_x1 = self.theta1[:, [1, 2]].copy()
        temp = np.concatenate(([[1]], self.x1,), axis=0).T
        self.jacobian_f1_theta1 = block_diag(*([temp] * self.blocks))
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


err = raises(lambda: np.float)
item("N004-CODE-NPFLOAT", "slip", err is None, f"np.float (removed in NumPy 1.24; here {np.__version__}): {err.splitlines()[0]}")
r = np.random.default_rng(0)
T1, T2 = r.random((4, 3)), r.random((1, 5))
net = NeuralNet(blocks=3, fix_tx1=True); net.theta1, net.theta2 = T1, T2
net.feed_forward(np.array([[0], [1]]), np.array([[1]]))
err = raises(net.back_propagate)
item("N004-CODE-BLOCKDIAG3", "slip", err is None,
     f"block_diag(temp,temp,temp) is {net.jacobian_f1_theta1.shape}, J_θ1(f1) must be 4x12: back_propagate -> {err}")


def loss_at(t1, t2, xx, yy):
    z = t2 @ np.vstack([[1.0], sig(t1 @ np.vstack([[1.0], xx]))])
    return 0.5 * (sig(z) - yy)[0, 0]**2


net = NeuralNet(blocks=4, fix_tx1=True); net.theta1, net.theta2 = T1, T2
xx, yy = np.array([[0], [1]]), np.array([[1]])
net.feed_forward(xx, yy)
g1, g2 = net.back_propagate()
fd1 = fd_grad(lambda t: loss_at(t, T2, xx, yy), T1); fd2 = fd_grad(lambda t: loss_at(T1, t, xx, yy), T2)
item("N004-CODE-GRAD-FIXED", "ok", close(g1, fd1, 1e-6) and close(g2, fd2, 1e-6),
     f"with 4 blocks the chained Jacobians match FD: θ1 err {rel_err(g1, fd1):.1e}, θ2 err {rel_err(g2, fd2):.1e}")

net = NeuralNet(blocks=4, fix_tx1=False); net.theta1, net.theta2 = T1, T2
net.feed_forward(xx, yy)
item("N004-CODE-SELF_TX1", "slip", net.tx1[0, 0] == 1,
     f"as printed `self_tx1 = y` never sets self.tx1: target used = {net.tx1[0, 0]} for t=1 (may be an OCR slip of self.tx1)")
listing_update = ["theta1_gradient, theta2_gradient = self.back_propagate()", "self.theta1 = self.theta1 - lr * theta1_gradient"]
item("N004-CODE-THETA2-UPDATE", "slip", any("self.theta2 =" in ln for ln in listing_update),
     "update_parameter's listing ends after the θ1 update; `self.theta2 = self.theta2 - lr * theta2 gradient` is printed outside the block")

# Corrected run (4 blocks, tx1 set, θ2 updated), seeded; the notes print no trajectory.
full = "--full" in sys.argv
iters = 100000 if full else 20000
r = np.random.default_rng(0)
net = NeuralNet(blocks=4, fix_tx1=True); net.theta1, net.theta2 = r.random((4, 3)), r.random((1, 5))
data = [([[0], [0]], [[0]]), ([[0], [1]], [[1]]), ([[1], [0]], [[1]]), ([[1], [1]], [[0]])]
errs = []
for i in range(iters):
    e = 0.0
    for xq, yq in data:
        e += net.feed_forward(np.array(xq), np.array(yq))[0, 0]
        net.update_parameter()
    if (i + 1) % 10000 == 0:
        errs.append(e)
item("N004-CODE-XOR-RUN", "ok", errs[-1] < errs[0],
     f"corrected code, seed 0 (default_rng), lr 0.02, {iters} epochs: error every 10000 = {[round(float(v), 5) for v in errs]}")
finish()

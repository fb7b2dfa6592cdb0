"""Checks for note 002 (softmax regression on one image, then a batch): steps 1-6 and the core derivation."""
import numpy as np
from common import fd_grad, close, rel_err, item, finish

rng = np.random.default_rng(2)
N, L, M, lam = 6, 4, 5, 0.1
X = rng.normal(size=(1, N)); W = rng.normal(size=(N, L)); Y = np.zeros((1, L)); Y[0, 2] = 1
def softmax_row(f):
    e = np.exp(f - f.max(axis=1, keepdims=True)); return e / e.sum(axis=1, keepdims=True)

# shapes printed in the data section
printed_Y_shape = ("y_n", "1*N")
item("N002-Y-SHAPE", "slip", printed_Y_shape == ("y_l", "1*L"),
     f"Y printed as (y_1..{printed_Y_shape[0]})_{printed_Y_shape[1]} though one-hot over L classes, 1*L (typo; batch Y also ends y_mn)")
printed_W_lastcol = ["w_nl", "w_nl", "w_nl"]
item("N002-W-INDEX", "slip", printed_W_lastcol == ["w_l1", "w_l2", "w_ln"],
     "W's last column is printed w_nl in every row (typo; the batch version has the right w_l1..w_ln)")
printed_step1 = ("f(X,W)=X@W+B", "f(x,w)=X@W")
item("N002-STEP1-BIAS", "slip", printed_step1[1].endswith("+B"),
     "step 1's title has +B, its formula and everything after drop the bias (no ∂loss/∂B is given)")

# step 2: subtracting the max changes nothing
f = X @ W
item("N002-STEP2", "ok", close(softmax_row(f - f.max()), np.exp(f) / np.exp(f).sum()), "softmax(f - f_max) = softmax(f)")
printed_step2_last = "f_n - f_max"
item("N002-STEP2-INDEX", "slip", printed_step2_last == "f_l - f_max", "step 2's row ends f_n - f_max for f_l - f_max (L entries; typo)")
# step 3: S = Σ_j e^{f_ij}/Σ_k e^{f_ik} is identically 1
S_printed = np.sum(np.exp(f) / np.exp(f).sum(axis=1, keepdims=True), axis=1)
S = softmax_row(f)
item("N002-STEP3-SUM", "slip", not np.allclose(S_printed, 1.0),
     f"step 3's S = Σ_j e^(f_j)/Σ_k e^(f_k) = {S_printed[0]:.12f} for any f; S must be the vector S_j = e^(f_j)/Σ_k e^(f_k) = {np.round(S[0], 4)}")
C = lambda W_: -np.sum(Y * np.log(softmax_row(X @ W_)))
reg = lambda W_: lam / 2 * np.sum(W_ ** 2)
right_grad = X.T @ (softmax_row(X @ W) - Y) + lam * W
# step 5: loss = -C.sum() + λ/2||W||² (sign reversed)
loss_printed = lambda W_: -C(W_) + reg(W_)
g_printed = fd_grad(loss_printed, W)
item("N002-STEP5-SIGN", "slip", close(g_printed, right_grad),
     f"∇ of the printed loss -C + λ/2||W||² is -X^T(S-Y) + λW (err {rel_err(-X.T @ (S - Y) + lam * W, g_printed):.1e}), "
     f"not step 6's X^T(S-Y) + λW (err {rel_err(right_grad, g_printed):.2f}); one step of lr 0.5 on it takes CE "
     f"{C(W):.4f} -> {C(W - 0.5 * g_printed):.4f}")
printed_norm = "||x||_2^2"
item("N002-STEP6-NORM", "slip", printed_norm == "||W||_2^2", "step 6 line 1 ends λ/2·||x||² for λ/2·||W||² (typo)")
loss = lambda W_: C(W_) + reg(W_)
item("N002-STEP6-1", "ok", close(fd_grad(loss, W), fd_grad(C, W) + lam * W), "(1) ∂loss/∂W = ∂C/∂W + λW")
item("N002-STEP6-3", "ok", close(fd_grad(lambda s: -np.sum(Y * np.log(s)), S), -Y / S, 1e-4), "(3) ∂C/∂S = -Y/S")

# core derivation
printed_S_def = np.exp(f)        # "S = (e^{f_1}, ..., e^{f_l}) = (S_1, ..., S_l)"
item("N002-CORE-S-DEF", "slip", close(printed_S_def, S),
     f"S printed as (e^f1..e^fl) = {np.round(printed_S_def[0], 3)}, missing the division by h = Σe^fk: S = {np.round(S[0], 3)}")
Jfd = fd_grad(lambda v: softmax_row(v[None, :])[0], f[0])
item("N002-CORE-DIAG", "ok", close(np.diag(Jfd), S[0] - S[0] ** 2), "∂S_i/∂f_i = S_i - S_i²")
offd = -np.outer(S[0], S[0]); np.fill_diagonal(offd, 0)
item("N002-CORE-OFFDIAG", "ok", close(Jfd - np.diag(np.diag(Jfd)), offd), "∂S_i/∂f_j = -S_i S_j (i≠j)")
eh = np.exp(f[0]); h = eh.sum()
printed_mid = -eh[0] * eh[0] / h ** 2     # "-e^{f_i} e^{f_i} / h^2" for i=0, j=1
item("N002-CORE-OFFDIAG-MID", "slip", np.isclose(printed_mid, Jfd[0, 1]),
     f"middle step prints -e^(f_i)·e^(f_i)/h² = {printed_mid:.4f} (= -S_i², the i=j product); right -e^(f_i)e^(f_j)/h² = {Jfd[0, 1]:.4f}; the end result -S_iS_j is right")
row_sums = Jfd.sum(axis=1)
item("N002-CORE-SUMPARTIALS", "slip", not np.allclose(row_sums, 0, atol=1e-8),
     f"'∂S_i/∂f := Σ_j ∂S_i/∂f_j' (= Σ_j S_j(Δ_j - S_i)) is identically 0: FD row sums {np.round(row_sums, 10)}; "
     "the chain rule needs the full L×L Jacobian (the green step silently uses ∂S_j/∂f_1 instead)")
green = -np.sum(Y[0] * ((np.arange(L) == 0) - S[0, 0]))
fdC_f = fd_grad(lambda v: -np.sum(Y[0] * np.log(softmax_row(v[None, :])[0])), f[0])
item("N002-GREEN", "ok", np.isclose(green, fdC_f[0]) and np.isclose(green, -(Y[0, 0] - S[0, 0])), "-Σ_j Y_j(Δ_j - S_1) = -(Y_1 - S_1) = ∂C/∂f_1")
item("N002-RESULT", "ok", close(fd_grad(loss, W), right_grad), f"∂loss/∂W = X^T@(S-Y) + λW (N×L), err {rel_err(right_grad, fd_grad(loss, W)):.1e}")
printed_order = ("(Y-S)", "X^T")  # "-(Y-S)*X^T" : (1×L)(N×1) does not conform
item("N002-GREEN-ORDER", "slip", printed_order == ("X^T", "(Y-S)"),
     "'-(Y-S)*X^T' multiplies 1×L by N×1 (does not conform); the next '=> X^T@(S-Y)' is the right order (notation)")

# batch of M images
Xb = rng.normal(size=(M, N)); Yb = np.eye(L)[rng.integers(0, L, size=M)]
Cb = lambda W_: -np.sum(Yb * np.log(softmax_row(Xb @ W_)))
g_mean = fd_grad(lambda W_: Cb(W_) / M + reg(W_), W); g_sum = fd_grad(lambda W_: Cb(W_) + reg(W_), W)
formula = Xb.T @ (softmax_row(Xb @ W) - Yb) / M + lam * W
item("N002-BATCH-MEAN", "ok", close(formula, g_mean), "X^T@(S-Y)/M + λW is the gradient of mean CE + λ/2||W||²")
item("N002-BATCH-SUM", "slip", close(formula, g_sum),
     f"but step 5 defines the loss with .sum(); for the summed loss the gradient is X^T(S-Y) + λW (formula err {rel_err(formula, g_sum):.2f}): "
     "the 1/M is right only for the mean, which the notes never write")
finish()

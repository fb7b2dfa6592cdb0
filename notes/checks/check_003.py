"""Checks for note 003 (cs231n notes: chain rules, DNN, softmax, RNN, LSTM). Row vectors, numerator Jacobians."""
import numpy as np
from common import fd_grad, close, rel_err, item, raises, finish

rng = np.random.default_rng(3)
sig = lambda z: 1 / (1 + np.exp(-z))
def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True)); return e / e.sum(axis=-1, keepdims=True)
def onehot(k, K):
    v = np.zeros(K); v[k] = 1; return v

# ---- chain rule for row vectors (line 12) and the long chain (line 16)
A = rng.normal(size=(3, 4)); B = rng.normal(size=(4, 2))
y_of_x = lambda x: np.tanh(x @ A)            # x 1x3 -> y 1x4
z_of_y = lambda y: np.sum(np.sin(y @ B))
x = rng.normal(size=3)
lhs = fd_grad(lambda v: z_of_y(y_of_x(v)), x)
rhs = fd_grad(z_of_y, y_of_x(x)) @ fd_grad(y_of_x, x)
item("N003-CHAIN-ROW", "ok", close(lhs, rhs), f"(∂z/∂x)_(1,m) = (∂z/∂y)_(1,n) (∂y/∂x)_(n,m), err {rel_err(rhs, lhs):.1e}")

# ---- Y = AX + B, z = f(Y): ∂z/∂X = A^T ∂z/∂Y (ok), ∂z/∂A printed as "∂z/∂A X^T" (circular)
A = rng.normal(size=(3, 4)); X = rng.normal(size=(4, 2)); Bm = rng.normal(size=(3, 2))
fz = lambda Y: np.sum(np.tanh(Y) ** 2)
G = fd_grad(fz, A @ X + Bm)
item("N003-AXB-dX", "ok", close(fd_grad(lambda V: fz(A @ V + Bm), X), A.T @ G), "∂z/∂X = A^T ∂z/∂Y")
dA = fd_grad(lambda V: fz(V @ X + Bm), A)
printed_rhs = "dz/dA X^T"     # lines 25 and 87: ∂z/∂A = ∂z/∂A X^T
item("N003-AXB-dA", "slip", printed_rhs == "dz/dY X^T",
     f"printed ∂z/∂A = {printed_rhs} (defines ∂z/∂A by itself); right: ∂z/∂Y X^T, FD err {rel_err(G @ X.T, dA):.1e}")

# ---- the notes say 分母布局 (denominator layout, lines 4 and 31) but their vector-by-vector shapes are numerator layout
Wl = rng.normal(size=(4, 3)); al = rng.normal(size=4)
J_num = fd_grad(lambda v: v @ Wl, al)          # rows follow Z (m=3), columns follow a (n=4): the Jacobian, numerator layout
printed_shape, printed_value = (3, 4), "W^T"    # "(∂Z/∂a)_{m,n} = W^T" with Z 1×m, a 1×n
den = J_num.T                                   # denominator layout is the transpose: n×m = W
item("N003-LAYOUT-NAME", "slip", printed_shape == den.shape and printed_value == "W",
     f"'取分母布局' but (∂Z/∂a)_(m,n) = W^T is the numerator-layout Jacobian {J_num.shape} (= W^T: {close(J_num, Wl.T)}); "
     f"denominator layout gives {den.shape} = W (= W: {close(den, Wl)}), and its chain rule multiplies in the other order")
# ---- Z = aW + b: ∂Z/∂a = W^T ; Z = σ(a)W + b: W^T diag(σ'(a))
W = rng.normal(size=(4, 3)); b = rng.normal(size=3); a = rng.normal(size=4)
item("N003-VEC-AFFINE", "ok", close(fd_grad(lambda v: v @ W + b, a), W.T), "(∂Z/∂a)_(m,n) = W^T")
item("N003-VEC-SIGMA", "ok", close(fd_grad(lambda v: sig(v) @ W + b, a), W.T @ np.diag(sig(a) * (1 - sig(a)))),
     "∂Z/∂a = W^T diag(σ'(a))")

# ---- DNN, J = 1/2 ||a^L - y||^2 with a^l = σ(a^(l-1) W^l + b^l)
sizes = [5, 4, 3, 2]
Ws = [rng.normal(size=(sizes[i], sizes[i + 1])) for i in range(3)]
bs = [rng.normal(size=sizes[i + 1]) for i in range(3)]
x0 = rng.normal(size=5); yt = rng.normal(size=2)

def dnn(Ws, bs, zpert=None):
    a = x0; acts = [a]; zs = []
    for l in range(3):
        z = a @ Ws[l] + bs[l]
        if zpert is not None and zpert[0] == l:
            z = z + zpert[1]
        zs.append(z); a = sig(z); acts.append(a)
    return 0.5 * np.sum((a - yt) ** 2), acts, zs

J0, acts, zs = dnn(Ws, bs)
sp = [sig(z) * (1 - sig(z)) for z in zs]
O = acts[-1] - yt
gWL = fd_grad(lambda V: dnn(Ws[:2] + [V], bs)[0], Ws[2])
gOOT = fd_grad(lambda V: np.sum((sig(acts[2] @ V + bs[2]) - yt) ** 2), Ws[2])
item("N003-DNN-HALF", "slip", close(gOOT, gWL),
     "line 61 writes ∂J/∂W^L = ∂(OO^T)/∂W^L, dropping the 1/2 of J: FD ratio "
     f"{np.mean(gOOT / gWL):.3f}; line 69 then gives ∂OO^T/∂O = 2O and the 2 silently vanishes in line 73, so the final formula is right")
item("N003-DNN-WL", "ok", close(np.outer(acts[2], O * sp[2]), gWL) and close(np.outer(acts[2], O) * sp[2], gWL),
     "∂J/∂W^L = (a^(L-1))^T[(a^L-y)⊙σ'(z^L)] = [(a^(L-1))^T O]⊙σ'(z^L)")
item("N003-DNN-bL", "ok", close(fd_grad(lambda v: dnn(Ws, bs[:2] + [v])[0], bs[2]), O * sp[2]), "∂J/∂b^L = (a^L-y)⊙σ'(z^L)")
deltas = [None, None, O * sp[2]]
for l in (1, 0):
    deltas[l] = (deltas[l + 1] @ Ws[l + 1].T) * sp[l]
ok = all(close(fd_grad(lambda e: dnn(Ws, bs, (l, e))[0], np.zeros(sizes[l + 1])), deltas[l]) for l in range(3))
item("N003-DNN-DELTA", "ok", ok, "δ^l = [δ^(l+1)(W^(l+1))^T]⊙σ'(z^l), 3 layers, each δ^l vs FD")
ok = all(close(fd_grad(lambda V: dnn(Ws[:l] + [V] + Ws[l + 1:], bs)[0], Ws[l]), np.outer(acts[l], deltas[l])) for l in range(3))
item("N003-DNN-Wl", "ok", ok, "∂J/∂W^l = (a^(l-1))^T δ^l and ∂J/∂b^l = δ^l for every layer")
Orow = O[None, :]
item("N003-DNN-OTO", "slip", (Orow.T @ Orow).shape == (1, 1),
     f"line 65 differentiates O^T O though J = 1/2 O O^T; for the row O, O^T O is {(Orow.T @ Orow).shape}, not a scalar (typo)")
printed_z = "z^l = a^l W^(l+1) + b^(l+1)"
item("N003-DNN-ZINDEX", "slip", printed_z == "z^l = a^(l-1) W^l + b^l",
     f"line 89 prints `{printed_z}`; the next formula (a^(l-1))^T δ^l needs z^l = a^(l-1)W^l + b^l (index typo)")
# ∂z^(l+1)/∂z^l = (W^(l+1))^T diag(σ'(z^l))
item("N003-DNN-DZDZ", "ok", close(fd_grad(lambda v: sig(v) @ Ws[1] + bs[1], zs[0]), Ws[1].T @ np.diag(sp[0])),
     "∂z^(l+1)/∂z^l = (W^(l+1))^T diag(σ'(z^l))")

# ---- affine_backward listing
def affine_backward(dout, cache):
    x, w, b = cache
    x_copy = np.reshape(x, (x.shape[0], -1))
    dw = x_copy.T @ dout
    dx = np.reshape(dout @ w.T, x.shape)
    db = np.sum(dout, axis=0)
    return dx, dw, db
xa = rng.normal(size=(2, 3, 2)); wa = rng.normal(size=(6, 4)); ba = rng.normal(size=4); U = rng.normal(size=(2, 4))
La = lambda x_, w_, b_: np.sum(U * (x_.reshape(2, -1) @ w_ + b_))
dx, dw, db = affine_backward(U, (xa, wa, ba))
item("N003-AFFINE-BACKWARD", "ok", close(dx, fd_grad(lambda v: La(v, wa, ba), xa)) and close(dw, fd_grad(lambda v: La(xa, v, ba), wa))
     and close(db, fd_grad(lambda v: La(xa, wa, v), ba)), "dx, dw, db vs FD")

# ---- Softmax: J = -ln(softmax(z)) y^T ; ∂J/∂z = a - y ; softmax Jacobian
z = rng.normal(size=5); y = onehot(2, 5)
item("N003-SOFTMAX-CE", "ok", close(fd_grad(lambda v: -np.log(softmax(v)) @ y, z), softmax(z) - y), "∂J/∂z = -y + a")
ez = np.exp(z)
item("N003-SOFTMAX-JAC", "ok", close(fd_grad(softmax, z), np.diag(ez) / ez.sum() - np.outer(ez, ez) / ez.sum() ** 2),
     "∂softmax/∂z = diag(e^z)/(e^z 1^T) - (e^z)^T e^z/(e^z 1^T)^2")
Xr = rng.normal(size=4); Wr = rng.normal(size=(4, 5))
item("N003-SOFTMAX-W", "ok", close(fd_grad(lambda V: -np.log(softmax(Xr @ V)) @ y, Wr), np.outer(Xr, softmax(Xr @ Wr) - y)),
     "∂l/∂a = -y^T + SoftMax(a); ∂l/∂W = X^T(-y^T + SoftMax(a))")

# ---- RNN: h_t = tanh(x_t Wxh + h_(t-1) Whh + b), z_t = h_t V + c, a_t = softmax(z_t), L = Σ CE
T, D, H, K = 5, 3, 4, 3
Wxh = rng.normal(size=(D, H)) * 0.8; Whh = rng.normal(size=(H, H)) * 0.8; brn = rng.normal(size=H) * 0.5
V = rng.normal(size=(H, K)); c = rng.normal(size=K)
xs = rng.normal(size=(T, D)); ys = [onehot(k, K) for k in rng.integers(0, K, size=T)]

def rnn(Wxh, Whh, brn, V, c, hpert=None):
    h = np.zeros(H); hs = [h]; os_ = []; As = []; L = 0.0
    for t in range(T):
        o = xs[t] @ Wxh + h @ Whh + brn; h = np.tanh(o)
        if hpert is not None and hpert[0] == t:
            h = h + hpert[1]
        os_.append(o); hs.append(h); a = softmax(h @ V + c); As.append(a); L -= np.log(a) @ ys[t]
    return L, hs, os_, As

L0, hs, os_, As = rnn(Wxh, Whh, brn, V, c)
d_fd = [fd_grad(lambda e: rnn(Wxh, Whh, brn, V, c, (t, e))[0], np.zeros(H)) for t in range(T)]
item("N003-RNN-dc", "ok", close(fd_grad(lambda v: rnn(Wxh, Whh, brn, V, v)[0], c), sum(As[t] - ys[t] for t in range(T))),
     "∂L/∂c = Σ(a_t - y_t)")
item("N003-RNN-dV", "ok", close(fd_grad(lambda v: rnn(Wxh, Whh, brn, v, c)[0], V),
                                 sum(np.outer(hs[t + 1], As[t] - ys[t]) for t in range(T))), "∂L/∂V = Σ h_t^T(a_t - y_t)")
# local Jacobian ∂h_t/∂h_(t-1)
t = 2
Jloc = fd_grad(lambda v: np.tanh(xs[t] @ Wxh + v @ Whh + brn), hs[t])
notes_loc = Whh.T @ np.diag(1 - hs[t] ** 2)
right_loc = np.diag(1 - hs[t + 1] ** 2) @ Whh.T
item("N003-RNN-DHDH", "slip", close(notes_loc, Jloc),
     f"∂h_t/∂h_(t-1): notes W_hh^T diag(1-h_(t-1)^2), err vs FD {rel_err(notes_loc, Jloc):.2f}; "
     f"right diag(1-h_t^2) W_hh^T, err {rel_err(right_loc, Jloc):.1e}")
# δ recursion as printed vs right
dn = [None] * T; dr = [None] * T
dn[T - 1] = (As[T - 1] - ys[T - 1]) @ V.T; dr[T - 1] = dn[T - 1].copy()
for t in range(T - 2, -1, -1):
    dn[t] = (As[t] - ys[t]) @ V.T + dn[t + 1] @ Whh.T @ np.diag(1 - hs[t + 1] ** 2)     # notes: diag(1 - h_t^2)
    dr[t] = (As[t] - ys[t]) @ V.T + (dr[t + 1] * (1 - hs[t + 2] ** 2)) @ Whh.T          # right: tanh' of h_(t+1)
errs_n = [rel_err(dn[t], d_fd[t]) for t in range(T)]; errs_r = [rel_err(dr[t], d_fd[t]) for t in range(T)]
item("N003-RNN-DELTA", "slip", max(errs_n) < 1e-5,
     f"notes δ_t = (a_t-y_t)V^T + δ_(t+1) W_hh^T diag(1-h_t^2): rel err per t {[round(e, 3) for e in errs_n]}; "
     f"right δ_t = (a_t-y_t)V^T + [δ_(t+1)⊙(1-h_(t+1)^2)] W_hh^T: max err {max(errs_r):.1e}")
item("N003-RNN-DELTA-T", "ok", close(dn[T - 1], d_fd[T - 1]), "δ_T = (a_T - y_T)V^T")
# weight gradients: notes use (1 - o_t^2); right is (1 - h_t^2) = tanh'(o_t); summed over t
gWhh = fd_grad(lambda v: rnn(Wxh, v, brn, V, c)[0], Whh); gWxh = fd_grad(lambda v: rnn(v, Whh, brn, V, c)[0], Wxh)
gb = fd_grad(lambda v: rnn(Wxh, Whh, v, V, c)[0], brn)
right_Whh = sum(np.outer(hs[t], dr[t] * (1 - hs[t + 1] ** 2)) for t in range(T))
notes_Whh = sum(np.outer(hs[t], dr[t] * (1 - os_[t] ** 2)) for t in range(T))
right_Wxh = sum(np.outer(xs[t], dr[t] * (1 - hs[t + 1] ** 2)) for t in range(T))
right_b = sum(dr[t] * (1 - hs[t + 1] ** 2) for t in range(T))
item("N003-RNN-dWhh-TANHPRIME", "slip", close(notes_Whh, gWhh),
     f"notes ∂L/∂W_hh = (h_(t-1))^T[δ_t⊙(1-o_t^2)] (even with right δ): err {rel_err(notes_Whh, gWhh):.2f}; "
     f"with (1-h_t^2) = tanh'(o_t), summed over t: err {rel_err(right_Whh, gWhh):.1e}; same slip in ∂L/∂W_xh, ∂L/∂b")
item("N003-RNN-dW-RIGHT", "ok", close(right_Whh, gWhh) and close(right_Wxh, gWxh) and close(right_b, gb),
     "Σ_t (h_(t-1))^T[δ_t⊙(1-h_t^2)], Σ_t x_t^T[...], Σ_t [...] match FD")

# rnn_step_backward listing
def rnn_step_backward(dnext_h, cache):
    dx, dprev_h, dWx, dWh, db = None, None, None, None, None
    x, Wx, Wh, prev_h, next_h, b = cache
    dWh = prev_h.T @ (dnext_h * (1 - next_h ** 2))
    dWx = x.T @ (dnext_h * (1 - next_h ** 2))
    db = np.sum(dnext_h * (1 - next_h ** 2), axis=0)
    dx = (dnext_h * (1 - next_h ** 2)) @ Wh.T
    return dx, dprev_h, dWx, dWh, db
N_, D_, H_ = 2, 3, 4
xq = rng.normal(size=(N_, D_)); Wx = rng.normal(size=(D_, H_)); Wh = rng.normal(size=(H_, H_)); ph = rng.normal(size=(N_, H_))
bq = rng.normal(size=H_); dnh = rng.normal(size=(N_, H_))
step = lambda x_, Wx_, Wh_, ph_, b_: np.tanh(x_ @ Wx_ + ph_ @ Wh_ + b_)
nh = step(xq, Wx, Wh, ph, bq)
dx, dprev, dWx, dWh, db = rnn_step_backward(dnh, (xq, Wx, Wh, ph, nh, bq))
Ls = lambda *args: np.sum(dnh * step(*args))
fdx = fd_grad(lambda v: Ls(v, Wx, Wh, ph, bq), xq); fdh = fd_grad(lambda v: Ls(xq, Wx, Wh, v, bq), ph)
item("N003-RNN-STEP-DX", "slip", dx.shape == fdx.shape and close(dx, fdx),
     f"code's dx = dO @ Wh.T has shape {dx.shape}, x is {xq.shape}; it is dprev_h (err vs FD dprev_h {rel_err(dx, fdh):.1e}); "
     f"right dx = dO @ Wx.T (err {rel_err((dnh * (1 - nh ** 2)) @ Wx.T, fdx):.1e}); dprev_h is returned as {dprev}")
item("N003-RNN-STEP-DW", "ok", close(dWx, fd_grad(lambda v: Ls(xq, v, Wh, ph, bq), Wx)) and
     close(dWh, fd_grad(lambda v: Ls(xq, Wx, v, ph, bq), Wh)) and close(db, fd_grad(lambda v: Ls(xq, Wx, Wh, ph, v), bq)),
     "dWx, dWh, db of rnn_step_backward vs FD")

# ---- LSTM (row vectors): f,i,o = σ(h W + x U + b), a = tanh(h W_a + x U_a + b_a), C = C⊙f + i⊙a, h = o⊙tanh(C)
T, D, H, K = 5, 3, 4, 3
P = {k: rng.normal(size=(H, H)) * 0.7 for k in "fiao"}
Uu = {k: rng.normal(size=(D, H)) * 0.7 for k in "fiao"}
bb = {k: rng.normal(size=H) * 0.3 for k in "fiao"}
Vl = rng.normal(size=(H, K)); bl = rng.normal(size=K)
xs = rng.normal(size=(T, D)); ys = [onehot(k, K) for k in rng.integers(0, K, size=T)]

def lstm(P, pert=None):
    h = np.zeros(H); C = np.zeros(H); st = {"h": [h], "C": [C], "f": [None], "i": [None], "a": [None], "o": [None], "yh": [None]}
    L = 0.0
    for t in range(1, T + 1):
        x = xs[t - 1]
        f = sig(h @ P["f"] + x @ Uu["f"] + bb["f"]); i = sig(h @ P["i"] + x @ Uu["i"] + bb["i"])
        a = np.tanh(h @ P["a"] + x @ Uu["a"] + bb["a"]); o = sig(h @ P["o"] + x @ Uu["o"] + bb["o"])
        C = C * f + i * a
        if pert is not None and pert[0] == ("C", t):
            C = C + pert[1]
        h = o * np.tanh(C)
        if pert is not None and pert[0] == ("h", t):
            h = h + pert[1]
        yh = softmax(h @ Vl + bl); L -= np.log(yh) @ ys[t - 1]
        for k, v in zip("hCfiaoy", (h, C, f, i, a, o, yh)):
            st["yh" if k == "y" else k].append(v)
    return L, st

L0, S = lstm(P)
dh_fd = {t: fd_grad(lambda e: lstm(P, (("h", t), e))[0], np.zeros(H)) for t in range(1, T + 1)}
dC_fd = {t: fd_grad(lambda e: lstm(P, (("C", t), e))[0], np.zeros(H)) for t in range(1, T + 1)}
tanhp = lambda v: 1 - np.tanh(v) ** 2
g = lambda k, t: S[k][t]
item("N003-LSTM-DH-TAU", "ok", close((g("yh", T) - ys[T - 1]) @ Vl.T, dh_fd[T]), "δ_h^τ = (ŷ^τ - y^τ)V^T")
item("N003-LSTM-DC-TAU", "ok", close(dh_fd[T] * g("o", T) * tanhp(g("C", T)), dC_fd[T]), "δ_C^τ = δ_h^τ⊙o^τ⊙(1-tanh^2(C^τ))")

t = 2   # local Jacobians of step t+1 with respect to h^t, C^t held fixed
x = xs[t]
def step_from_h(hv, Cprev):
    f = sig(hv @ P["f"] + x @ Uu["f"] + bb["f"]); i = sig(hv @ P["i"] + x @ Uu["i"] + bb["i"])
    a = np.tanh(hv @ P["a"] + x @ Uu["a"] + bb["a"]); o = sig(hv @ P["o"] + x @ Uu["o"] + bb["o"])
    C = Cprev * f + i * a
    return C, o * np.tanh(C), f, i, a, o
f1, i1, a1, o1, C1, Ct, ht = g("f", t + 1), g("i", t + 1), g("a", t + 1), g("o", t + 1), g("C", t + 1), g("C", t), g("h", t)
hC_fd = np.diag(o1 * tanhp(C1))
item("N003-LSTM-DHDC", "slip", close(np.diag(g("o", t) * tanhp(C1)), hC_fd),
     f"∂h^(t+1)/∂C^(t+1) printed diag(o^t⊙tanh'(C^(t+1))): err {rel_err(np.diag(g('o', t) * tanhp(C1)), hC_fd):.2f}; right o^(t+1)")
sf, si, so = f1 * (1 - f1), i1 * (1 - i1), o1 * (1 - o1)
# ∂C^(t+1)/∂h^t through f only: FD with i, a frozen
Jf_fd = fd_grad(lambda hv: Ct * sig(hv @ P["f"] + x @ Uu["f"] + bb["f"]), ht)
Ja_fd = fd_grad(lambda hv: i1 * np.tanh(hv @ P["a"] + x @ Uu["a"] + bb["a"]), ht)
Ji_fd = fd_grad(lambda hv: sig(hv @ P["i"] + x @ Uu["i"] + bb["i"]) * a1, ht)
Jo_fd = fd_grad(lambda hv: sig(hv @ P["o"] + x @ Uu["o"] + bb["o"]) * np.tanh(C1), ht)
terms = [("F", np.diag(Ct * f1 * sf) @ P["f"].T, np.diag(Ct * sf) @ P["f"].T, Jf_fd, "diag(C^t⊙f^(t+1)⊙σ')W_f^T", "diag(C^t⊙σ')W_f^T"),
         ("A", np.diag(a1 * i1 * (1 - a1 ** 2)) @ P["a"].T, np.diag(i1 * (1 - a1 ** 2)) @ P["a"].T, Ja_fd,
          "diag(a^(t+1)⊙i^(t+1)⊙tanh')W_a^T", "diag(i^(t+1)⊙tanh')W_a^T"),
         ("I", np.diag(a1 * i1 * si) @ P["i"].T, np.diag(a1 * si) @ P["i"].T, Ji_fd, "diag(a^(t+1)⊙i^(t+1)⊙σ')W_i^T", "diag(a^(t+1)⊙σ')W_i^T"),
         ("O", np.diag(o1 * np.tanh(C1) * so) @ P["o"].T, np.diag(np.tanh(C1) * so) @ P["o"].T, Jo_fd,
          "diag(o^(t+1)⊙tanh(C^(t+1))⊙σ')W_o^T", "diag(tanh(C^(t+1))⊙σ')W_o^T")]
for name, notes_J, right_J, fdJ, ptxt, rtxt in terms:
    item(f"N003-LSTM-GATE-{name}", "slip", close(notes_J, fdJ),
         f"printed {ptxt}: err {rel_err(notes_J, fdJ):.2f}; right {rtxt}: err {rel_err(right_J, fdJ):.1e}")
# δ_h^t recursion: the notes route the whole t+1 gradient through δ_h^(t+1) ∂h^(t+1)/∂C^(t+1), losing δ_C from C^(t+2)
res_struct, res_full = [], []
for tt in range(1, T):
    f1_, i1_, a1_, o1_, C1_, C0_ = g("f", tt + 1), g("i", tt + 1), g("a", tt + 1), g("o", tt + 1), g("C", tt + 1), g("C", tt)
    sf_, si_, so_ = f1_ * (1 - f1_), i1_ * (1 - i1_), o1_ * (1 - o1_)
    gate = (np.diag(C0_ * sf_) @ P["f"].T + np.diag(i1_ * (1 - a1_ ** 2)) @ P["a"].T + np.diag(a1_ * si_) @ P["i"].T)
    out = (g("yh", tt) - ys[tt - 1]) @ Vl.T
    hc = dh_fd[tt + 1] * o1_ * tanhp(C1_)
    notes_struct = out + hc @ gate + dh_fd[tt + 1] @ np.diag(np.tanh(C1_) * so_) @ P["o"].T
    right = out + dC_fd[tt + 1] @ gate + dh_fd[tt + 1] @ np.diag(np.tanh(C1_) * so_) @ P["o"].T
    res_struct.append((tt, rel_err(notes_struct, dh_fd[tt]), rel_err(right, dh_fd[tt])))
item("N003-LSTM-DH-CELLPATH", "slip", all(e < 1e-5 for _, e, _ in res_struct),
     "δ_h^t with δ_h^(t+1)∂h^(t+1)/∂C^(t+1) in place of δ_C^(t+1) (even with corrected gates), rel err per t "
     f"{[(tt, round(e, 3)) for tt, e, _ in res_struct]} (exact only at t=τ-1); with δ_C^(t+1): max err {max(r for *_, r in res_struct):.1e}")
ok = all(close(dC_fd[tt + 1] * g("f", tt + 1) + dh_fd[tt] * g("o", tt) * tanhp(g("C", tt)), dC_fd[tt]) for tt in range(1, T))
item("N003-LSTM-DC", "ok", ok, "δ_C^t = δ_C^(t+1)⊙f^(t+1) + δ_h^t⊙o^t⊙tanh'(C^t) (with the full δ_h^t)")
gWf = fd_grad(lambda v: lstm({**P, "f": v})[0], P["f"])
right_Wf = sum(np.outer(g("h", tt - 1), dC_fd[tt] * g("C", tt - 1) * g("f", tt) * (1 - g("f", tt))) for tt in range(1, T + 1))
item("N003-LSTM-dWf", "ok", close(right_Wf, gWf), f"∂L/∂W_f = Σ_t (h^(t-1))^T[δ_C^t⊙C^(t-1)⊙σ'] err {rel_err(right_Wf, gWf):.1e} (sum index printed as i)")
printed_circ = "dL/dh^t = dL/dh^t + dL/dh^(t+1) dh^(t+1)/dh^t"
item("N003-LSTM-CIRCULAR", "slip", printed_circ.split(" = ")[1].startswith("dL_t"),
     f"line 316 prints `{printed_circ}` (first term must be ∂L_t/∂h^t, the output at t only)")
printed_a = ["a^i=tanh(W_a h^(t-1)+U_a x^t+b_a)", "a^i=tanh(h^(t-1)W_a+U_a x^t+b_a)"]
item("N003-LSTM-A-NOTATION", "slip", all(p.startswith("a^t") for p in printed_a),
     "the input candidate is printed a^i (for a^t) and as W_a h^(t-1) + U_a x^t, then h^(t-1)W_a + U_a x^t: "
     "mixed column/row order; the gradients use the row form h^(t-1)W_a + x^t U_a")
finish()

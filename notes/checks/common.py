"""Shared helpers for the notes-errata checks: finite differences and PASS/SLIP reporting.

Each check states what it expects: "ok" (the notes are right here) or "slip" (the notes are wrong here).
The script prints one line per item and exits non-zero if any expectation is not met, so a claimed slip
that stops reproducing (or a claimed-correct item that breaks) fails loudly.
"""
import sys
import numpy as np

_failures = []
_counts = {"PASS": 0, "SLIP": 0}


def fd_grad(f, x, h=1e-6):
    """Central-difference gradient/Jacobian of f at x (any shape). Returns array of shape f(x).shape + x.shape."""
    x = np.array(x, dtype=float)
    y0 = np.asarray(f(x.copy()), dtype=float)
    J = np.zeros(y0.shape + x.shape)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        xp = x.copy(); xp[i] += h
        xm = x.copy(); xm[i] -= h
        J[(Ellipsis,) + i] = (np.asarray(f(xp), float) - np.asarray(f(xm), float)) / (2 * h)
    return J


def rel_err(a, b):
    a = np.asarray(a, float); b = np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(1e-12, np.max(np.abs(b))))


def close(a, b, tol=1e-6):
    a = np.asarray(a, float); b = np.asarray(b, float)
    return a.shape == b.shape and rel_err(a, b) < tol


def item(ident, expect, notes_ok, detail=""):
    """expect: 'ok' or 'slip'. notes_ok: does the notes' version agree with the truth?"""
    if expect == "ok" and notes_ok:
        tag = "PASS"
    elif expect == "slip" and not notes_ok:
        tag = "SLIP"
    elif expect == "slip":
        tag = "NOT-REPRODUCED"
    else:
        tag = "UNEXPECTED-FAIL"
    if tag in _counts:
        _counts[tag] += 1
    else:
        _failures.append(ident)
    print(f"{tag:15s} {ident}: {detail}")


def raises(fn, exc=Exception):
    try:
        fn()
    except exc as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"
    return None


def finish():
    print(f"-- {_counts['PASS']} PASS, {_counts['SLIP']} SLIP, {len(_failures)} failing expectations")
    if _failures:
        print("failing:", ", ".join(_failures))
        sys.exit(1)
    sys.exit(0)

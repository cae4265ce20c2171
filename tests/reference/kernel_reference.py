"""References for src/forecast/kernel.rs (tests/native/real_data.rs reads tests/data/kernel_reference.json).

Independent of the engine: numpy and scipy from the definitions, on the shipped files.
  points     src/data/real/*.csv read by numpy; y standardised by its mean and population sd.
  split      the first TRAIN rows train, the rest are held out (a fixed split, not the seed's).
  estimate   p(y|x) = sum_i w_i(x) N(y; y_i, hy^2), w_i(x) proportional to exp(-(x - x_i)^2 / 2 hx^2).
  bandwidths Silverman's rule 1.06 sd n^(-1/5) times 2^(i/2), i = -8..4, in x and in y; the pair
             with the largest mean leave-one-out log-likelihood of the training points.
  scores     the held-out NLL (scipy.special.logsumexp), and the CRPS of each held-out point
             by numerical integration of (F(z) - 1{z >= y})^2 (scipy.integrate.quad).
Regenerate: python3 tests/reference/kernel_reference.py > tests/data/kernel_reference.json
"""
import json
import numpy as np
from scipy.special import logsumexp
from scipy.stats import norm
from scipy.integrate import quad

SETS = [("faithful", "src/data/real/faithful.csv", ("waiting", "eruptions"), 200),
        ("mcycle", "src/data/real/mcycle.csv", ("times", "accel"), 100)]


def load(path, cols):
    rows = np.genfromtxt(path, delimiter=",", names=True, dtype=float)
    x, y = rows[cols[0]], rows[cols[1]]
    return x, (y - y.mean()) / y.std()


def loo(x, y, hx, hy):
    n = len(x)
    wx = -0.5 * (x[:, None] - x[None, :]) ** 2 / hx**2
    ly = norm.logpdf(y[:, None], loc=y[None, :], scale=hy)
    np.fill_diagonal(wx, -np.inf)
    return np.mean(logsumexp(wx + ly, axis=1) - logsumexp(wx, axis=1))


def crps(x0, y0, x, y, hx, hy):
    lw = -0.5 * (x0 - x) ** 2 / hx**2
    w = np.exp(lw - logsumexp(lw))
    F = lambda z: float(np.sum(w * norm.cdf((z - y) / hy)))
    lo, hi = min(y.min(), y0) - 10 * hy, max(y.max(), y0) + 10 * hy
    a = quad(lambda z: F(z) ** 2, lo, y0, limit=400, epsabs=1e-13)[0]
    b = quad(lambda z: (F(z) - 1) ** 2, y0, hi, limit=400, epsabs=1e-13)[0]
    return a + b


out = {}
for name, path, cols, train in SETS:
    x, y = load(path, cols)
    xt, yt, xv, yv = x[:train], y[:train], x[train:], y[train:]
    n = len(xt)
    rule = lambda v: 1.06 * v.std() * n ** -0.2
    grid = [2 ** (i / 2) for i in range(-8, 5)]
    best = max(((loo(xt, yt, rule(xt) * a, rule(yt) * b), rule(xt) * a, rule(yt) * b)
                for a in grid for b in grid), key=lambda t: t[0])
    _, hx, hy = best
    lw = -0.5 * (xv[:, None] - xt[None, :]) ** 2 / hx**2
    ll = logsumexp(lw + norm.logpdf(yv[:, None], loc=yt[None, :], scale=hy), axis=1) - logsumexp(lw, axis=1)
    out[name] = {
        "train": train, "y_mean": float(np.genfromtxt(path, delimiter=",", names=True)[cols[1]].mean()),
        "y_sd": float(np.genfromtxt(path, delimiter=",", names=True)[cols[1]].std()),
        "hx": hx, "hy": hy, "loo": best[0], "val_nll": float(-ll.mean()),
        "val_crps": float(np.mean([crps(a, b, xt, yt, hx, hy) for a, b in zip(xv, yv)])),
    }
print(json.dumps(out, indent=1))

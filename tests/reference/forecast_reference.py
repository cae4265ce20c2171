"""References for src/forecast/mod.rs (tests/native/forecast.rs reads tests/data/forecast_reference.json).

Independent of the engine's formulas: mpmath at 30 digits, from the definitions only.
  CDF       F(y) = sum_k pi_k Phi((y - mu_k) / sigma_k), Phi by mpmath.ncdf.
  CRPS      the integral of (F(z) - 1{z >= y})^2 over z, by mpmath.quad split at y and at the
            component means (not the closed form the engine uses).
  quantile  a root of F(q) - p: bisection, then mpmath.findroot (Illinois), bracketed.
  HPD       the level c where the mass of {y : p(y) >= c} is m: every crossing of p(y) = c
            by a root finder from a fine scan, the mass from F at the crossings, c by
            bisection; the final mass also by mpmath.quad of the density (mass_quad).
Regenerate: python3 tests/reference/forecast_reference.py > tests/data/forecast_reference.json
"""
import json
import mpmath as mp

mp.mp.dps = 30

CASES = [
    # name, pi, mu, sigma, outcomes y
    ("single", [1.0], [0.3], [0.2], [0.3, -0.5, 1.9]),
    ("two far apart", [0.4, 0.6], [-2.0, 3.0], [0.5, 0.8], [0.0, -2.1, 3.5]),
    ("three branches", [0.3, 0.45, 0.25], [0.2, 0.5, 0.8], [0.04, 0.06, 0.03], [0.35, 0.5, 0.79]),
    ("sigma at the floor", [0.5, 0.3, 0.2], [0.1, 0.1005, 0.9], [0.01, 0.01, 0.01], [0.1, 0.5, 0.95]),
    ("far tails", [0.7, 0.3], [0.0, 1.0], [0.1, 0.05], [4.0, -3.0, 1.0 + 40 * 0.05]),
    ("tiny weight", [1 - 1e-9, 1e-9], [0.0, 5.0], [1.0, 0.1], [5.0, 0.0]),
]
QS = [0.001, 0.05, 0.5, 0.95, 0.999]
MASSES = [0.5, 0.9]


def cdf(c, y):
    return mp.fsum(p * mp.ncdf((y - m) / s) for p, m, s in zip(*c))


def pdf(c, y):
    return mp.fsum(p * mp.npdf(y, m, s) for p, m, s in zip(*c))


def crps(c, y):
    lo = min(m - 12 * s for m, s in zip(c[1], c[2]))
    hi = max(m + 12 * s for m, s in zip(c[1], c[2]))
    lo, hi = min(lo, y - 1), max(hi, y + 1)
    cuts = sorted(set([lo, hi, y] + [m for m in c[1] if lo < m < hi]))
    below = [p for p in cuts if p <= y]
    above = [p for p in cuts if p >= y]
    f = lambda z: cdf(c, z) ** 2
    g = lambda z: (cdf(c, z) - 1) ** 2
    # Tails beyond lo and hi are below 1e-30 of the total.
    return mp.quad(f, below) + mp.quad(g, above)


def root(f, a, b):
    """A sign change of f in [a, b]: mpmath's bracketing Illinois solver, started from a
    bracket narrowed by 60 bisections."""
    fa = f(a)
    for _ in range(60):
        m = (a + b) / 2
        fm = f(m)
        if (fm >= 0) == (fa >= 0):
            a, fa = m, fm
        else:
            b = m
    return mp.findroot(f, (a, b), solver="illinois")


def quantile(c, p):
    lo = min(m - 40 * s for m, s in zip(c[1], c[2]))
    hi = max(m + 40 * s for m, s in zip(c[1], c[2]))
    return root(lambda q: cdf(c, q) - p, lo, hi)


def scan(c):
    """The density on a fine grid (plus every mean), computed once per case."""
    lo = min(m - 10 * s for m, s in zip(c[1], c[2]))
    hi = max(m + 10 * s for m, s in zip(c[1], c[2]))
    n = 4000
    ys = sorted(set([lo + (hi - lo) * mp.mpf(i) / n for i in range(n + 1)] + [mp.mpf(m) for m in c[1]]))
    return ys, [pdf(c, y) for y in ys]


def crossings(c, grid, level):
    ys, ps = grid
    out = []
    for a, b, pa, pb in zip(ys, ys[1:], ps, ps[1:]):
        if (pa >= level) != (pb >= level):
            out.append((root(lambda y: pdf(c, y) - level, a, b), pb >= level))
    return out


def hpd(c, mass):
    grid = scan(c)
    top = max(grid[1])
    lo, hi = mp.log(top) - 60, mp.log(top)
    for _ in range(90):
        mid = (lo + hi) / 2
        if intervals_mass(c, crossings(c, grid, mp.e ** mid)) >= mass:
            lo = mid
        else:
            hi = mid
    level = mp.e ** lo
    xs = crossings(c, grid, level)
    ivs = []
    start = None
    for y, rising in xs:
        if rising:
            start = y
        elif start is not None:
            ivs.append([float(start), float(y)])
            start = None
    # The mass once more by quadrature of the density over the intervals (not from F).
    quad = mp.fsum(mp.quad(lambda y: pdf(c, y), [mp.mpf(a), mp.mpf(b)]) for a, b in ivs)
    return {"level": float(level), "intervals": ivs, "mass": float(intervals_mass(c, xs)), "mass_quad": float(quad)}


def intervals_mass(c, xs):
    total = mp.mpf(0)
    start = None
    for y, rising in xs:
        if rising:
            start = y
        elif start is not None:
            total += cdf(c, y) - cdf(c, start)
            start = None
    return total


def main():
    out = []
    for name, pi, mu, sigma, ys in CASES:
        c = ([mp.mpf(v) for v in pi], [mp.mpf(v) for v in mu], [mp.mpf(v) for v in sigma])
        out.append({
            "name": name, "pi": pi, "mu": mu, "sigma": sigma,
            "outcomes": [{"y": y, "cdf": float(cdf(c, mp.mpf(y))), "crps": float(crps(c, mp.mpf(y)))} for y in ys],
            "quantiles": [[q, float(quantile(c, mp.mpf(q)))] for q in QS],
            "hpd": [dict(nominal=m, **hpd(c, mp.mpf(m))) for m in MASSES],
        })
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

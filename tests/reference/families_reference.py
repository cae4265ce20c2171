#!/usr/bin/env python3
"""Independent references for the component families (src/mdn/family.rs) and the data sets
whose Bayes optimum they reach.

Run: python3 tests/reference/families_reference.py > tests/data/families_reference.json
Needs numpy, scipy and mpmath. tests/native/families.rs reads the JSON.

- log-densities of one component, ln f(y; m, s), for every family, from scipy.stats
  (norm, laplace, t, vonmises, lognorm) and, for the cases scipy cannot resolve (far
  tails, concentrations past 700, scales at their floors), from mpmath at 50 digits;
- CDFs from scipy (von Mises wrapped onto [0, 2π), the mass from 0 to y);
- `wind`: E_s E_θ|s[−ln p(θ | s)] by nested adaptive quadrature;
- `rain`: the mixed-measure Bayes NLL, E_h[(1−p) (−ln(1−p)) + p (−ln p + H(LogNormal))],
  with H the log-normal's differential entropy μ + ½ ln(2πeσ²), by quadrature over h.
"""
import json
import math

import mpmath as mp
import numpy as np
from scipy import integrate, stats, special

mp.mp.dps = 50
TWO_PI = 2 * math.pi


def mp_logpdf(family, y, m, s, nu):
    y, m, s = mp.mpf(y), mp.mpf(m), mp.mpf(s)
    if family == "gaussian":
        z = (y - m) / s
        return -z * z / 2 - mp.log(s) - mp.log(2 * mp.pi) / 2
    if family == "laplace":
        return -abs(y - m) / s - mp.log(2 * s)
    if family == "student":
        nu = mp.mpf(nu)
        z = (y - m) / s
        return (mp.loggamma((nu + 1) / 2) - mp.loggamma(nu / 2) - mp.log(nu * mp.pi) / 2
                - mp.log(s) - (nu + 1) / 2 * mp.log(1 + z * z / nu))
    if family == "vonmises":
        k = 1 / (s * s)
        # ln I0 scaled, to stay exact for huge κ.
        return k * (mp.cos(y - m) - 1) - mp.log(2 * mp.pi) - mp.log(mp.besseli(0, k) * mp.exp(-k))
    if family == "hurdle":
        u = mp.log(y)
        z = (u - m) / s
        return -z * z / 2 - mp.log(s) - mp.log(2 * mp.pi) / 2 - u
    raise ValueError(family)


def scipy_logpdf(family, y, m, s, nu):
    if family == "gaussian":
        return stats.norm.logpdf(y, m, s)
    if family == "laplace":
        return stats.laplace.logpdf(y, m, s)
    if family == "student":
        return stats.t.logpdf(y, nu, m, s)
    if family == "vonmises":
        return stats.vonmises.logpdf(y, 1 / (s * s), loc=m)
    if family == "hurdle":
        return stats.lognorm.logpdf(y, s, scale=math.exp(m))
    raise ValueError(family)


def scipy_cdf(family, y, m, s, nu):
    if family == "gaussian":
        return stats.norm.cdf(y, m, s)
    if family == "laplace":
        return stats.laplace.cdf(y, m, s)
    if family == "student":
        return stats.t.cdf(y, nu, m, s)
    if family == "vonmises":
        k = 1 / (s * s)
        f = lambda v: stats.vonmises.pdf(v, k, loc=m)
        # The mass from 0 to y of the density wrapped onto the circle, by quadrature with
        # the peak marked (vonmises.pdf is already 2π-periodic).
        peak = (m % TWO_PI)
        pts = [p for p in (peak, (peak + math.pi) % TWO_PI) if 0 < p < y]
        return integrate.quad(f, 0, y, points=pts or None, limit=400, epsabs=1e-14, epsrel=1e-13)[0]
    if family == "hurdle":
        return stats.lognorm.cdf(y, s, scale=math.exp(m)) if y > 0 else 0.0
    raise ValueError(family)


cases = []
# (family, y, m, s, nu): the bulk, tails, scales at a floor of 0.01 and 1e-3, and extremes.
for fam in ["gaussian", "laplace", "student", "vonmises", "hurdle"]:
    nus = [1.0, 2.5, 4.0, 30.0] if fam == "student" else [4.0]
    for nu in nus:
        for (y, m, s) in [(0.3, 0.1, 0.5), (1.7, -0.4, 1.3), (0.5, 0.5, 0.01), (0.52, 0.5, 0.01),
                          (2.0, 0.0, 0.2), (40.0, 0.0, 0.5), (0.011, 0.0, 0.001),
                          (3.0, 2.9, 3.0), (6.2, 0.1, 0.3), (1e3, 0.0, 1.0), (0.7, 0.6, 10.0),
                          (5.0, 1.0, 0.07), (0.1, 6.2, 0.02), (1e-4, -2.0, 1.5)]:
            if fam != "hurdle" and y < 1e-3 and m == -2.0:
                continue
            ref = float(mp_logpdf(fam, y, m, s, nu))
            sp = float(scipy_logpdf(fam, y, m, s, nu))
            case = {"family": fam, "y": y, "m": m, "s": s, "nu": nu, "logpdf": ref}
            # scipy agrees where it can resolve the value (kept as a cross-check).
            if math.isfinite(sp) and abs(ref) < 1e6:
                case["scipy_logpdf"] = sp
            if fam == "vonmises" and not (0 <= y <= TWO_PI):
                pass
            elif s >= 0.01 and abs(y - m) < 60 * s + 1 and (fam != "hurdle" or y > 0):
                case["cdf"] = float(scipy_cdf(fam, y, m, s, nu))
            cases.append(case)

# ln I0(κ) − κ and 1 − I1/I0, mpmath.
bessel = []
for k in [1e-6, 0.01, 0.5, 1.0, 5.0, 29.9, 30.1, 50.0, 700.0, 1e4, 1e8]:
    km = mp.mpf(k)
    i0, i1 = mp.besseli(0, km), mp.besseli(1, km)
    bessel.append({"kappa": k, "ln_i0e": float(mp.log(i0) - km), "one_minus_a": float((i0 - i1) / i0)})


def wind(s):
    q = 0.25 + 0.15 * math.cos(TWO_PI * s)
    m1 = (1.0 + TWO_PI * s) % TWO_PI
    return q, (m1, 6.0), ((m1 + 2.5) % TWO_PI, 2.0)


def wind_pdf(s, th):
    q, (m1, k1), (m2, k2) = wind(s)
    return (1 - q) * stats.vonmises.pdf(th, k1, loc=m1) + q * stats.vonmises.pdf(th, k2, loc=m2)


def wind_inner(s):
    f = lambda th: -wind_pdf(s, th) * math.log(wind_pdf(s, th))
    _, (m1, _), (m2, _) = wind(s)
    pts = sorted(p for p in {m1, m2, (m1 + math.pi) % TWO_PI} if 0 < p < TWO_PI)
    return integrate.quad(f, 0, TWO_PI, points=pts, limit=400, epsabs=1e-12)[0]


wind_nll = integrate.quad(wind_inner, 0, 1, limit=400, epsabs=1e-11)[0]


def rain_inner(h):
    p = 1 / (1 + math.exp(-8 * (h - 0.55)))
    mu, sd = -0.3 + 1.8 * h, 0.5
    entropy = mu + 0.5 * math.log(2 * math.pi * math.e * sd * sd)
    return (1 - p) * -math.log(1 - p) + p * (-math.log(p) + entropy)


rain_nll = integrate.quad(rain_inner, 0, 1, limit=200, epsabs=1e-13)[0]
# Its two parts: the Bernoulli log loss of P(dry), and the wet days' density per wet day.
rain_logloss = integrate.quad(lambda h: special.entr(1 / (1 + math.exp(-8 * (h - 0.55))))
                              + special.entr(1 - 1 / (1 + math.exp(-8 * (h - 0.55)))), 0, 1)[0]
wet_mass = integrate.quad(lambda h: 1 / (1 + math.exp(-8 * (h - 0.55))), 0, 1)[0]
rain_wet = integrate.quad(lambda h: 1 / (1 + math.exp(-8 * (h - 0.55)))
                          * (-0.3 + 1.8 * h + 0.5 * math.log(2 * math.pi * math.e * 0.25)), 0, 1)[0] / wet_mass

print(json.dumps({
    "cases": cases,
    "bessel": bessel,
    "wind_bayes_nll": wind_nll,
    "rain_bayes_nll": rain_nll,
    "rain_bayes_logloss": rain_logloss,
    "rain_bayes_wet_nll": rain_wet,
    "rain_wet_fraction": wet_mass,
}, indent=1))

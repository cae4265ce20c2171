//! Quantiles, the central interval and highest-density (HPD) regions of a one-dimensional
//! predictive distribution, and an outcome's HPD rank. A point mass (the hurdle's dry
//! days) belongs to a region when its probability reaches the region's density level.

use crate::base::math;
use crate::forecast::predictive::{mixed_density, Predictive};

/// Inverts a CDF: the smallest y with F(y) ≥ p, by bisection to the last bit of y
/// (so |F(y) − p| is within what one ulp of y moves F, far below 1e-9).
pub fn quantile(f: &impl Predictive, p: f64) -> f64 {
    let (mut lo, mut hi, _) = f.support();
    let p = p.clamp(0.0, 1.0);
    // Widen until the bracket holds p (the support's margins are conservative already).
    let width = (hi - lo).max(1e-300);
    while f.cdf(lo) > p && lo.is_finite() {
        lo -= width;
    }
    while f.cdf(hi) < p && hi.is_finite() {
        hi += width;
    }
    for _ in 0..1100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break; // adjacent doubles: the last bit
        }
        if f.cdf(mid) >= p {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}
/// The central interval of mass `mass`: [F⁻¹((1 − mass)/2), F⁻¹((1 + mass)/2)].
pub fn central(f: &impl Predictive, mass: f64) -> (f64, f64) {
    let a = 0.5 * (1.0 - mass);
    (quantile(f, a), quantile(f, 1.0 - a))
}
/// A highest-density region: the y where p(y) ≥ `level`, as intervals, with the point
/// mass when its probability is at least `level` (on the mixed measure), and their mass.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Hpd {
    pub level: f64,
    pub intervals: Vec<(f64, f64)>,
    /// The point mass inside the region, as (where, its probability).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub atom: Option<(f64, f64)>,
    pub mass: f64,
}
impl Hpd {
    /// The total length of its intervals (a point mass has none).
    pub fn length(&self) -> f64 {
        self.intervals.iter().map(|(a, b)| b - a).sum()
    }

    /// Whether `y` lies in it. At a point mass, only the point mass decides: an interval
    /// that begins there holds the density above it, not the point.
    pub fn contains(&self, y: f64) -> bool {
        if let Some((at, _)) = self.atom {
            if y == at {
                return true;
            }
        }
        self.intervals.iter().any(|&(a, b)| a <= y && y <= b)
    }
}
/// The point mass of `f` when it belongs to the region of density at least `level`.
fn atom_at_level(f: &impl Predictive, level: f64) -> Option<(f64, f64)> {
    f.atom().filter(|&(_, p)| p >= level)
}
/// The density on a grid over the support, for level-set searches: the grid points
/// (uniform, plus every possible peak) and the density at each.
pub struct LevelGrid {
    pub y: Vec<f64>,
    pub p: Vec<f64>,
}
impl LevelGrid {
    /// `n` uniform points over the support, plus the support's points of interest (each
    /// component's peak and flanks).
    pub fn new(f: &impl Predictive, n: usize) -> LevelGrid {
        let (lo, hi, peaks) = f.support();
        let n = n.max(16);
        let mut y: Vec<f64> = (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect();
        y.extend(peaks.iter().copied().filter(|v| v.is_finite()));
        y.sort_by(f64::total_cmp);
        y.dedup();
        let p = y.iter().map(|&v| f.pdf(v)).collect();
        LevelGrid { y, p }
    }

    /// The intervals where p ≥ `level`: each crossing between two grid points placed by
    /// linear interpolation of the density (`refine` = 0) or by `refine` halvings of the
    /// bracket on the density itself (60 reach the last bits).
    pub fn level_set(&self, f: &impl Predictive, level: f64, refine: u32) -> Vec<(f64, f64)> {
        let cross = |i: usize, rising: bool| {
            let (mut a, mut b) = (self.y[i - 1], self.y[i]);
            if refine == 0 {
                let (pa, pb) = (self.p[i - 1], self.p[i]);
                let t = if pb != pa {
                    (level - pa) / (pb - pa)
                } else {
                    0.5
                };
                return a + (b - a) * t.clamp(0.0, 1.0);
            }
            for _ in 0..refine {
                let m = 0.5 * (a + b);
                if m <= a || m >= b {
                    break;
                }
                if (f.pdf(m) >= level) == rising {
                    b = m;
                } else {
                    a = m;
                }
            }
            if rising {
                b
            } else {
                a
            }
        };
        let mut out = Vec::new();
        let mut start: Option<f64> = None;
        for i in 0..self.y.len() {
            let inside = self.p[i] >= level;
            match (inside, start) {
                (true, None) => start = Some(if i == 0 { self.y[0] } else { cross(i, true) }),
                (false, Some(s)) => {
                    out.push((s, cross(i, false)));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, *self.y.last().expect("not empty")));
        }
        out
    }
}
/// The mass F(b) − F(a) summed over `intervals` (the density's mass: a point mass where
/// an interval begins is not in it), plus the point mass `atom` when given.
pub fn mass_of(f: &impl Predictive, intervals: &[(f64, f64)], atom: Option<(f64, f64)>) -> f64 {
    let continuous: f64 = intervals.iter().map(|&(a, b)| f.cdf(b) - f.cdf(a)).sum();
    (continuous + atom.map_or(0.0, |(_, p)| p)).clamp(0.0, 1.0)
}
/// The mass of the region where the density (on the mixed measure) is at least `level`.
fn mass_above(f: &impl Predictive, g: &LevelGrid, level: f64, refine: u32) -> f64 {
    mass_of(f, &g.level_set(f, level, refine), atom_at_level(f, level))
}
/// The HPD region of mass `mass` (0 < mass < 1): the level c with P(p(Y) ≥ c) = mass,
/// found by bisection on ln c, and its intervals. `grid` points locate the level set;
/// `refine` halvings place each end (60: to the last bits, as the CLI and tests use; fewer
/// for drawing).
pub fn hpd_with(f: &impl Predictive, mass: f64, grid: usize, refine: u32) -> Hpd {
    let g = LevelGrid::new(f, grid);
    hpd_on(f, &g, mass, refine)
}
/// [`hpd_with`] at full precision (a 2000-point grid, ends to the last bits).
pub fn hpd(f: &impl Predictive, mass: f64) -> Hpd {
    hpd_with(f, mass, 2000, 60)
}
/// [`hpd_with`] on a grid already made. The level is bisected on ln c with the crossings
/// interpolated on the grid, then (with `refine` > 0) again with the crossings placed on
/// the density itself, so that the mass is `mass` to about 1e-12.
pub fn hpd_on(f: &impl Predictive, g: &LevelGrid, mass: f64, refine: u32) -> Hpd {
    let mass = mass.clamp(1e-9, 1.0 - 1e-9);
    // The highest density on the grid, or a point mass's probability above it.
    let mut top = 0.0;
    for &p in g.p.iter().chain(f.atom().iter().map(|(_, p)| p)) {
        if p > top {
            top = p;
        }
    }
    if !(top > 0.0 && top.is_finite()) {
        return Hpd {
            level: 0.0,
            intervals: Vec::new(),
            atom: None,
            mass: 0.0,
        };
    }
    // The mass above a level falls as the level rises.
    let above = |ln_c: f64, r: u32| mass_above(f, g, math::exp(ln_c), r);
    let (mut lo, mut hi) = (math::ln(top) - 60.0, math::ln(top));
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if above(mid, 0) >= mass {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if refine > 0 {
        // The grid's interpolation is close: widen a little and bisect on exact crossings.
        let w = (hi - lo).max(1e-3);
        let (mut a, mut b) = (lo - w, hi + w);
        if above(a, refine) < mass {
            a = math::ln(top) - 60.0;
        }
        if above(b, refine) >= mass {
            b = math::ln(top);
        }
        for _ in 0..60 {
            let mid = 0.5 * (a + b);
            if mid <= a || mid >= b {
                break;
            }
            if above(mid, refine) >= mass {
                a = mid;
            } else {
                b = mid;
            }
        }
        lo = a;
    }
    let level = math::exp(lo);
    let intervals = g.level_set(f, level, refine);
    let atom = atom_at_level(f, level);
    Hpd {
        level,
        mass: mass_of(f, &intervals, atom),
        intervals,
        atom,
    }
}
/// The probability of the region where the density exceeds p(y) (on the mixed measure:
/// a point mass counts with its probability, and an outcome at it ties with all of it),
/// plus `v` times that of
/// the region where it equals p(y) (a plateau, as a uniform density has): the "HPD rank"
/// of an outcome, randomised on ties. y lies in the HPD region of mass m when this is at
/// most m, so the share of outcomes with a rank ≤ m is the HPD coverage at every m at once.
pub fn hpd_rank(f: &impl Predictive, g: &LevelGrid, y: f64, v: f64) -> f64 {
    let level = mixed_density(f, y);
    if level.is_nan() || level <= 0.0 {
        return 1.0;
    }
    // Twelve halvings place a crossing within 1/4096 of a grid step: plenty for a rank.
    let at_least = mass_above(f, g, level, 12);
    // Ties: a plateau of the density, or the point mass itself (all of it at one level).
    let at_atom = f.atom().is_some_and(|(at, _)| at == y);
    if !f.has_plateaus() && !at_atom {
        return at_least;
    }
    let above = mass_above(f, g, level * (1.0 + 1e-9), 12);
    (above + v * (at_least - above).max(0.0)).clamp(0.0, 1.0)
}

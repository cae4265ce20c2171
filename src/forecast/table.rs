//! A mixture of another family than the Gaussian tabulated for many queries, and a
//! one-dimensional mixture ready for them whatever its family ([`Prepared`]).

use crate::base::math;
use crate::forecast::crps::crps_mixture;
use crate::forecast::predictive::{Mixture1, Predictive};
use crate::mdn::family::Family;
use crate::mdn::mixture::Mixture;

/// A one-dimensional mixture ready for many queries: a Gaussian one as [`Mixture1`] (its
/// closed forms), any other family as a [`Table`].
pub enum Prepared<'a> {
    Gaussian(Mixture1, &'a Mixture),
    Other(Table),
}
impl<'a> Prepared<'a> {
    pub fn new(m: &'a Mixture) -> Prepared<'a> {
        if m.family == Family::Gaussian {
            Prepared::Gaussian(Mixture1::new(m), m)
        } else {
            Prepared::Other(Table::new(m))
        }
    }

    /// The CRPS of outcome y: in closed form for a Gaussian mixture, by the table's
    /// trapezoid rule otherwise.
    pub fn crps(&self, y: f64) -> f64 {
        match self {
            Prepared::Gaussian(_, m) => crps_mixture(m, y),
            Prepared::Other(t) => t.crps(y),
        }
    }
}
impl Predictive for Prepared<'_> {
    fn cdf(&self, y: f64) -> f64 {
        match self {
            Prepared::Gaussian(f, _) => f.cdf(y),
            Prepared::Other(t) => t.cdf(y),
        }
    }
    fn pdf(&self, y: f64) -> f64 {
        match self {
            Prepared::Gaussian(f, _) => f.pdf(y),
            Prepared::Other(t) => t.pdf(y),
        }
    }
    fn support(&self) -> (f64, f64, Vec<f64>) {
        match self {
            Prepared::Gaussian(f, _) => f.support(),
            Prepared::Other(t) => t.support(),
        }
    }
    fn cdf_below(&self, y: f64) -> f64 {
        match self {
            Prepared::Gaussian(f, _) => f.cdf_below(y),
            Prepared::Other(t) => t.cdf_below(y),
        }
    }
    fn is_gaussian(&self) -> bool {
        match self {
            Prepared::Gaussian(f, _) => f.is_gaussian(),
            Prepared::Other(_) => false,
        }
    }
    fn atom(&self) -> Option<(f64, f64)> {
        match self {
            Prepared::Gaussian(..) => None,
            Prepared::Other(t) => t.atom(),
        }
    }
}
/// A mixture of a family other than the Gaussian tabulated for many queries (the
/// calibration pass, the main plot's intervals), whose exact CDFs cost far more than a
/// density: the density on a grid that follows every component (57 points over its
/// range, denser at its centre; von Mises: also 256 over the circle), and the CDF exact
/// at the grid's two ends and the density's integral between (exponential between grid
/// points), scaled to meet them. Student-t's grid spans 50 scales; the hurdle's starts at 0 with its point mass.
#[derive(Clone, Debug)]
pub struct Table {
    y: Vec<f64>,
    p: Vec<f64>,
    f: Vec<f64>,
    /// P(y = 0), the hurdle's jump at the grid's start (0 for the others).
    atom: f64,
    /// Student-t's tails beyond the grid, as (ν, centre): the mass there falls as
    /// |z − centre|^−ν (what the CRPS adds past the grid's ends).
    tail: Option<(f64, f64)>,
    /// Each cell's ln(p₁/p₀) when the density is exponential across it ([`rate`]),
    /// computed once.
    rates: Vec<Option<f64>>,
}
impl Table {
    pub fn new(m: &Mixture) -> Table {
        // Cells per component: twice as many for Student-t, whose log-density bends over
        // a wider range than the exponential between points follows closely (its CDF to
        // about 3e-4 then, 1.7e-3 with 56).
        let n: usize = if m.family == Family::Student { 112 } else { 56 };
        let mut y: Vec<f64> = Vec::with_capacity((n + 1) * m.k + 260);
        for c in (0..m.k).filter(|&c| m.pi[c] >= 1e-3) {
            let (mu, s) = (m.mu[c], m.sigma[c]);
            let reach = match m.family {
                Family::Laplace => 20.0,
                Family::Student => 50.0,
                Family::VonMises => (std::f64::consts::PI / s).min(12.0),
                _ => 7.1,
            };
            for i in 0..=n {
                let u = 2.0 * i as f64 / n as f64 - 1.0;
                let t = reach * u * u.abs();
                y.push(match m.family {
                    Family::Hurdle => math::exp((mu + s * t).min(700.0)),
                    Family::VonMises => crate::mdn::family::wrap(mu + s * t),
                    _ => mu + s * t,
                });
            }
        }
        match m.family {
            Family::VonMises => {
                y.extend((0..=256).map(|i| crate::mdn::family::TWO_PI * i as f64 / 256.0));
            }
            Family::Hurdle => y.push(0.0),
            _ => {}
        }
        y.retain(|v| v.is_finite());
        y.sort_by(f64::total_cmp);
        y.dedup();
        if y.len() < 2 {
            let v = y.first().copied().unwrap_or(0.0);
            y = vec![v - 1.0, v + 1.0];
        }
        let p = density_on(m, &y);
        let atom = if m.family == Family::Hurdle {
            m.p_zero
        } else {
            0.0
        };
        let (f_lo, f_hi) = (m.cdf(y[0]), m.cdf(*y.last().expect("two points")));
        let rates: Vec<Option<f64>> = (1..y.len()).map(|i| rate(p[i - 1], p[i])).collect();
        let mut f = vec![f_lo; y.len()];
        for i in 1..y.len() {
            f[i] = f[i - 1] + part(rates[i - 1], p[i - 1], p[i], y[i] - y[i - 1], 1.0);
        }
        // Scale the increments so that the table meets the exact CDF at both ends.
        let (got, want) = (f[y.len() - 1] - f_lo, f_hi - f_lo);
        let k = if got > 0.0 { want / got } else { 1.0 };
        let p = p.iter().map(|v| v * k).collect();
        for v in f.iter_mut() {
            *v = (f_lo + (*v - f_lo) * k).clamp(0.0, 1.0);
        }
        let tail = (m.family == Family::Student).then(|| {
            let w: f64 = m.pi.iter().sum();
            let centre = (0..m.k).map(|c| m.pi[c] * m.mu[c]).sum::<f64>() / w.max(1e-300);
            (m.nu, centre)
        });
        Table {
            y,
            p,
            f,
            atom,
            tail,
            rates,
        }
    }

    fn cell(&self, v: f64) -> usize {
        match self.y.binary_search_by(|a| a.total_cmp(&v)) {
            Ok(i) => i.min(self.y.len() - 2),
            Err(i) => i.saturating_sub(1).min(self.y.len() - 2),
        }
    }

    /// ∫ (F(z) − 1{z ≥ y})² dz over the grid (and from y to it, outside).
    pub fn crps(&self, y: f64) -> f64 {
        let n = self.y.len();
        let mut s = 0.0;
        // Simpson's rule on each piece, with F from the table (exact for its density), cell
        // by cell: F at a cell's fraction t is its start's plus the mass up to t.
        let at = |i: usize, t: f64| {
            let h = self.y[i + 1] - self.y[i];
            (self.f[i] + part(self.rates[i], self.p[i], self.p[i + 1], h, t)).clamp(0.0, 1.0)
        };
        let piece = |i: usize, t0: f64, t1: f64, st: f64| {
            let h = self.y[i + 1] - self.y[i];
            let g = |t: f64| (at(i, t) - st).powi(2);
            (t1 - t0) * h / 6.0 * (g(t0) + 4.0 * g(0.5 * (t0 + t1)) + g(t1))
        };
        for i in 0..n - 1 {
            let (a, b) = (self.y[i], self.y[i + 1]);
            if a < y && y < b {
                let ty = (y - a) / (b - a);
                s += piece(i, 0.0, ty, 0.0) + piece(i, ty, 1.0, 1.0);
            } else {
                s += piece(i, 0.0, 1.0, if 0.5 * (a + b) >= y { 1.0 } else { 0.0 });
            }
        }
        let (a, b) = (self.y[0], self.y[n - 1]);
        let Some((nu, c)) = self.tail else {
            // Light tails: F is 0 (or 1) beyond the grid, the step 1 (or 0).
            if y < a {
                s += (a - y) * (1.0 - self.f[0]).powi(2).min(1.0);
            }
            if y > b {
                s += (y - b) * self.f[n - 1].powi(2);
            }
            return s;
        };
        // Heavy tails: beyond each end the mass left falls as a power of the distance
        // from the centre, F(z) = F(a) ((c − a)/(c − z))^ν on the left and
        // 1 − F(z) = (1 − F(b)) ((b − c)/(z − c))^ν on the right; each piece in closed form.
        let (left, right) = (self.f[0], 1.0 - self.f[n - 1]);
        let (da, db) = ((c - a).max(1e-300), (b - c).max(1e-300));
        // ∫ from distance u to v of (d/r)^q dr.
        let power = |d: f64, q: f64, u: f64, v: f64| -> f64 {
            if (q - 1.0).abs() < 1e-12 {
                d * math::ln(v / u)
            } else {
                d / (1.0 - q) * (libm::pow(v / d, 1.0 - q) - libm::pow(u / d, 1.0 - q))
            }
        };
        let tail_sq = |m: f64, d: f64, u: f64| {
            m * m * d / (2.0 * nu - 1.0) * libm::pow(d / u, 2.0 * nu - 1.0)
        };
        if y >= a {
            s += tail_sq(left, da, da); // F² below the grid
        } else {
            // F² from −∞ to y, then (1 − F)² from y to the grid.
            let (u, v) = (c - y, da);
            s += tail_sq(left, da, u);
            let t1 = left * power(da, nu, v, u);
            let t2 = left * left * power(da, 2.0 * nu, v, u);
            s += (u - v) - 2.0 * t1 + t2;
        }
        if y <= b {
            s += tail_sq(right, db, db); // (1 − F)² above the grid
        } else {
            let (u, v) = (db, y - c);
            s += tail_sq(right, db, v);
            let t1 = right * power(db, nu, u, v);
            let t2 = right * right * power(db, 2.0 * nu, u, v);
            s += (v - u) - 2.0 * t1 + t2;
        }
        s
    }
}
/// ln(p1/p0) when the density between two grid points is taken as exponential (both
/// positive and different): exact for Laplace's and close to every family's tails,
/// where a straight line between far-apart points overestimates the mass.
fn rate(p0: f64, p1: f64) -> Option<f64> {
    let r = if p0 > 0.0 && p1 > 0.0 {
        math::ln(p1 / p0)
    } else {
        0.0
    };
    (r.is_finite() && r.abs() > 1e-6).then_some(r)
}
/// The mass of a cell of width h from its start to the fraction t of it, its rate
/// ([`rate`]) given.
fn part(rate: Option<f64>, p0: f64, p1: f64, h: f64, t: f64) -> f64 {
    match rate {
        Some(r) => h * p0 * math::expm1(t * r) / r,
        None => h * (p0 * t + 0.5 * (p1 - p0) * t * t),
    }
}
/// A mixture's density (of another family than the Gaussian; the hurdle's continuous
/// part) at each of `ys`, summed component by component with each one's constants
/// computed once: what a table is built from, at about half the cost of a log-sum-exp
/// per point.
fn density_on(m: &Mixture, ys: &[f64]) -> Vec<f64> {
    use crate::mdn::family::{concentration, Shape};
    let shape = Shape::new(m.family, m.nu);
    let mut p = vec![0.0; ys.len()];
    // The hurdle's ln y, shared by its components.
    let ln_y: Vec<f64> = match m.family {
        Family::Hurdle => ys
            .iter()
            .map(|&y| if y > 0.0 { math::ln(y) } else { f64::NAN })
            .collect(),
        _ => Vec::new(),
    };
    for c in (0..m.k).filter(|&c| m.pi[c] > 0.0) {
        let (mu, s) = (m.mu[c], m.sigma[c]);
        let norm = m.norm.get(c).copied().unwrap_or_else(|| shape.norm(s));
        match m.family {
            Family::Laplace => {
                let coef = m.pi[c] / (2.0 * s);
                for (pi, &y) in p.iter_mut().zip(ys) {
                    *pi += coef * math::exp(-((y - mu) / s).abs());
                }
            }
            Family::Student => {
                let coef = m.pi[c] * math::exp(-norm) / s;
                let (nu, half) = (m.nu, -0.5 * (m.nu + 1.0));
                for (pi, &y) in p.iter_mut().zip(ys) {
                    let z = (y - mu) / s;
                    let w = z * z / nu;
                    let l1p = if w.is_finite() {
                        math::ln_1p(w)
                    } else {
                        f64::INFINITY
                    };
                    *pi += coef * math::exp(half * l1p);
                }
            }
            Family::VonMises => {
                let coef = m.pi[c] * math::exp(-norm);
                let k2 = 2.0 * concentration(s);
                for (pi, &y) in p.iter_mut().zip(ys) {
                    let h = libm::sin(0.5 * (y - mu));
                    *pi += coef * math::exp(-k2 * h * h);
                }
            }
            Family::Hurdle => {
                let coef = m.pi[c] * math::exp(m.ln_p_nonzero - math::HALF_LN_2PI) / s;
                for ((pi, &y), &u) in p.iter_mut().zip(ys).zip(&ln_y) {
                    if y > 0.0 {
                        let z = (u - mu) / s;
                        *pi += coef * math::exp(-0.5 * z * z - u);
                    }
                }
            }
            Family::Gaussian => {} // its table is never made (Mixture1 instead)
        }
    }
    if m.family == Family::Gaussian {
        return ys.iter().map(|&y| m.pdf(y)).collect();
    }
    p
}
impl Predictive for Table {
    fn cdf(&self, v: f64) -> f64 {
        let n = self.y.len();
        if v < self.y[0] {
            return 0.0;
        }
        if v >= self.y[n - 1] {
            return self.f[n - 1];
        }
        let i = self.cell(v);
        let h = self.y[i + 1] - self.y[i];
        let t = if h > 0.0 { (v - self.y[i]) / h } else { 0.0 };
        (self.f[i] + part(self.rates[i], self.p[i], self.p[i + 1], h, t)).clamp(0.0, 1.0)
    }

    fn cdf_below(&self, v: f64) -> f64 {
        if self.atom > 0.0 && v <= self.y[0] {
            return 0.0;
        }
        self.cdf(v)
    }

    fn pdf(&self, v: f64) -> f64 {
        let n = self.y.len();
        if v < self.y[0] || v > self.y[n - 1] {
            return 0.0;
        }
        let i = self.cell(v);
        let h = self.y[i + 1] - self.y[i];
        let t = if h > 0.0 { (v - self.y[i]) / h } else { 0.0 };
        let (p0, p1) = (self.p[i], self.p[i + 1]);
        match self.rates[i] {
            Some(r) => p0 * math::exp(t * r),
            None => p0 + (p1 - p0) * t,
        }
    }

    fn support(&self) -> (f64, f64, Vec<f64>) {
        // The grid follows every component: where a level set can begin or end.
        (self.y[0], self.y[self.y.len() - 1], self.y.clone())
    }

    fn atom(&self) -> Option<(f64, f64)> {
        (self.atom > 0.0).then_some((self.y[0], self.atom))
    }
}

//! A density known only through a function (the truth of a data set), tabulated on a
//! fine grid.

use crate::base::math;
use crate::forecast::predictive::Predictive;

/// A density known only through a function (the truth of a data set), tabulated on a fine
/// grid: the CDF by the trapezoid rule, renormalised to 1.
pub struct Gridded {
    pub y: Vec<f64>,
    pub p: Vec<f64>,
    /// F at each grid point.
    pub f: Vec<f64>,
}
impl Gridded {
    /// `ln_p` on `n` points over [lo, hi].
    pub fn new(lo: f64, hi: f64, n: usize, ln_p: impl Fn(f64) -> f64) -> Gridded {
        let n = n.max(3);
        let y: Vec<f64> = (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect();
        let p: Vec<f64> = y.iter().map(|&v| math::exp(ln_p(v))).collect();
        let mut f = vec![0.0; n];
        for i in 1..n {
            f[i] = f[i - 1] + 0.5 * (p[i] + p[i - 1]) * (y[i] - y[i - 1]);
        }
        let total = f[n - 1];
        if total > 0.0 {
            for v in &mut f {
                *v /= total;
            }
        }
        let p = p
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        Gridded { y, p, f }
    }

    fn at(&self, y: f64) -> (usize, f64) {
        let n = self.y.len();
        let h = (self.y[n - 1] - self.y[0]) / (n - 1) as f64;
        let t = ((y - self.y[0]) / h).clamp(0.0, (n - 1) as f64);
        let i = (t.floor() as usize).min(n - 2);
        (i, t - i as f64)
    }

    /// CRPS by the trapezoid rule over the grid.
    pub fn crps(&self, y: f64) -> f64 {
        let mut s = 0.0;
        for i in 1..self.y.len() {
            let g = |j: usize| {
                let step = if self.y[j] >= y { 1.0 } else { 0.0 };
                (self.f[j] - step) * (self.f[j] - step)
            };
            s += 0.5 * (g(i) + g(i - 1)) * (self.y[i] - self.y[i - 1]);
        }
        s
    }
}
impl Predictive for Gridded {
    fn cdf(&self, y: f64) -> f64 {
        if y <= self.y[0] {
            return 0.0;
        }
        if y >= *self.y.last().expect("not empty") {
            return 1.0;
        }
        let (i, t) = self.at(y);
        // Exact for the trapezoid rule's piecewise-linear density.
        let h = self.y[i + 1] - self.y[i];
        let (p0, p1) = (self.p[i], self.p[i + 1]);
        self.f[i] + h * (p0 * t + 0.5 * (p1 - p0) * t * t)
    }

    fn pdf(&self, y: f64) -> f64 {
        if y < self.y[0] || y > *self.y.last().expect("not empty") {
            return 0.0;
        }
        let (i, t) = self.at(y);
        self.p[i] + (self.p[i + 1] - self.p[i]) * t
    }

    fn support(&self) -> (f64, f64, Vec<f64>) {
        (self.y[0], *self.y.last().expect("not empty"), Vec::new())
    }

    fn has_plateaus(&self) -> bool {
        true
    }
}

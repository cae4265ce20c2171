//! The component families: the density of one mixture component in one output
//! dimension, with the derivatives training needs, its CDF and its draws.
//!
//! Every family has a location m and a scale s > 0 per component and dimension, from the
//! same rows of the network's outputs as the Gaussian head's means and scales (the σ map
//! and its floor, [`crate::mdn::head`]); a component of D dimensions is the product of D such
//! factors. `hurdle` adds one output, the logit of P(y = 0 | x).
//!
//! | family | ln f(y; m, s) | for |
//! |---|---|---|
//! | gaussian | −½z² − ln s − ½ ln 2π, z = (y − m)/s | the seed's head |
//! | laplace | −\|y − m\|/s − ln 2s | sharper peaks, exponential tails |
//! | student | ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln νπ − ln s − (ν+1)/2 · ln(1 + z²/ν) | heavy tails |
//! | vonmises | κ cos(y − m) − ln 2π I₀(κ), κ = 1/s² | angles (radians) |
//! | hurdle (y > 0) | Gaussian of ln y, minus ln y: a log-normal | positive amounts |
//!
//! Student-t's ν is a key of the spec, not a network output: ν is weakly identified by
//! the data at one x (a heavy tail shows in a few points out of thousands), its gradient
//! needs the digamma function in the training loop, and a learned ν drifts where the
//! tails give no evidence; a fixed ν keeps the NLL of every ν comparable. The hurdle's
//! amounts are log-normal rather than gamma: a Gaussian in ln y keeps the Gaussian head's
//! stable arithmetic and floors (a gamma's shape gradient needs digamma), and rain's true
//! amounts are log-normal. The von Mises concentration is κ = 1/s², so that s is the
//! width in radians of a narrow component, like the Gaussian's σ, with the same floor.
//!
//! Nothing here uses std's `exp`/`ln` or fused multiply-adds: links reproduce.

use crate::base::math::{self, phi_cdf, HALF_LN_2PI};
use crate::base::rng::Rng;

use crate::base::named::{named, Named};
use std::f64::consts::PI;

/// The distribution of each mixture component .
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Family {
    /// N(μ, σ²): the seed's head (a Cholesky factor per component for 2-D outputs).
    Gaussian,
    /// Laplace(μ, b): a sharper peak and exponential tails, the median's loss.
    Laplace,
    /// Student-t with `nu` degrees of freedom, location μ and scale s: heavy tails.
    Student,
    /// A point mass at exactly zero with probability P(dry | x) (a logistic output), and a
    /// mixture of log-normal components for y > 0 (rain).
    Hurdle,
    /// Von Mises(μ, κ = 1/s²): a density on the circle, for angles in radians.
    VonMises,
}

named!(Family {
    Gaussian => "gaussian",
    Laplace => "laplace",
    Student => "student",
    Hurdle => "hurdle",
    VonMises => "vonmises",
});

/// Student-t's degrees of freedom ν when none are given.
pub const NU: f64 = 4.0;
/// The degrees of freedom ν a Student-t takes: 1 (Cauchy) to 1000.
pub const NU_RANGE: (f64, f64) = (1.0, 1000.0);

pub const TWO_PI: f64 = 2.0 * PI;
const LN_2: f64 = std::f64::consts::LN_2;

/// A family with its constants, built once per block or mixture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    pub family: Family,
    /// Student-t's degrees of freedom.
    pub nu: f64,
    /// Student-t's ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln νπ.
    c: f64,
}

impl Shape {
    /// The family without its constants: only for [`Shape::log_pdf_normed`] with a
    /// component's [`Shape::norm`] given.
    pub fn bare(family: Family, nu: f64) -> Shape {
        Shape {
            family,
            nu,
            c: f64::NAN,
        }
    }

    pub fn new(family: Family, nu: f64) -> Shape {
        let c = if family == Family::Student {
            student_const(nu)
        } else {
            0.0
        };
        Shape { family, nu, c }
    }

    /// ln f(y; m, s) with ∂/∂m and ∂/∂s. For the hurdle, the log-normal amount of y > 0
    /// (−∞ at y ≤ 0, with no gradient).
    #[inline]
    pub fn log_pdf_grad(&self, y: f64, m: f64, s: f64) -> (f64, f64, f64) {
        match self.family {
            Family::Gaussian => gaussian(y, m, s),
            Family::Laplace => {
                let d = y - m;
                let a = d.abs();
                let sign = if d > 0.0 {
                    1.0
                } else if d < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                (-a / s - LN_2 - math::ln(s), sign / s, (a / s - 1.0) / s)
            }
            Family::Student => {
                let nu = self.nu;
                let z = (y - m) / s;
                let lp = student_lp(self.c, nu, z, s);
                // g = (ν+1) z / (ν + z²) and g z, without overflow for huge |z|.
                let (g, gz) = if z == 0.0 {
                    (0.0, 0.0)
                } else {
                    ((nu + 1.0) / (nu / z + z), (nu + 1.0) / (nu / (z * z) + 1.0))
                };
                (lp, g / s, (gz - 1.0) / s)
            }
            Family::VonMises => {
                let kappa = concentration(s);
                let d = y - m;
                let h = libm::sin(0.5 * d);
                let (ln_i0e, one_minus_a) = bessel(kappa);
                let lp = -2.0 * kappa * h * h - (2.0 * HALF_LN_2PI + ln_i0e);
                let dkappa = one_minus_a - 2.0 * h * h;
                (lp, kappa * libm::sin(d), dkappa * (-2.0 * kappa / s))
            }
            Family::Hurdle => {
                if y > 0.0 {
                    let u = math::ln(y);
                    let (lp, dm, ds) = gaussian(u, m, s);
                    (lp - u, dm, ds)
                } else {
                    (f64::NEG_INFINITY, 0.0, 0.0)
                }
            }
        }
    }

    #[inline]
    pub fn log_pdf(&self, y: f64, m: f64, s: f64) -> f64 {
        self.log_pdf_grad(y, m, s).0
    }

    /// What [`Shape::log_pdf`] spends on constants, computed once per component: the von
    /// Mises normaliser ln 2π + ln I₀(κ) − κ, Student-t's −(ln Γ((ν+1)/2) − ln Γ(ν/2) −
    /// ½ ln νπ) (0 for the other families).
    pub fn norm(&self, s: f64) -> f64 {
        match self.family {
            Family::VonMises => 2.0 * HALF_LN_2PI + bessel(concentration(s)).0,
            Family::Student => -self.c,
            _ => 0.0,
        }
    }

    /// [`Shape::log_pdf`] with the component's [`Shape::norm`] given (the same bits).
    #[inline]
    pub fn log_pdf_normed(&self, y: f64, m: f64, s: f64, norm: f64) -> f64 {
        match self.family {
            Family::VonMises => {
                let h = libm::sin(0.5 * (y - m));
                -2.0 * concentration(s) * h * h - norm
            }
            Family::Student => student_lp(-norm, self.nu, (y - m) / s, s),
            _ => self.log_pdf(y, m, s),
        }
    }

    /// P(Y ≤ y) of one component. Von Mises: the mass from 0 to y of the density wrapped
    /// onto [0, 2π) (angles are read from 0); the hurdle's: of its log-normal.
    pub fn cdf(&self, y: f64, m: f64, s: f64) -> f64 {
        match self.family {
            Family::Gaussian => phi_cdf((y - m) / s),
            Family::Laplace => {
                let z = (y - m) / s;
                if z < 0.0 {
                    0.5 * math::exp(z)
                } else {
                    1.0 - 0.5 * math::exp(-z)
                }
            }
            Family::Student => student_cdf((y - m) / s, self.nu),
            Family::VonMises => {
                let y = y.clamp(0.0, TWO_PI);
                von_mises_unwrapped_cdf(y - m, concentration(s))
                    - von_mises_unwrapped_cdf(-m, concentration(s))
            }
            Family::Hurdle => {
                if y > 0.0 {
                    phi_cdf((math::ln(y) - m) / s)
                } else {
                    0.0
                }
            }
        }
    }

    /// An interval that holds all but about 1e-12 of one component (Student-t with ν < 2
    /// is cut at 1e6 scales), for searches and plots.
    pub fn range(&self, m: f64, s: f64) -> (f64, f64) {
        let w = match self.family {
            Family::Gaussian => 7.1 * s,
            Family::Laplace => 27.0 * s,
            Family::Student => s * student_tail_width(self.nu),
            Family::VonMises => return (0.0, TWO_PI),
            Family::Hurdle => {
                return (
                    math::exp(m - 7.1 * s).max(1e-300),
                    math::exp((m + 7.1 * s).min(700.0)),
                )
            }
        };
        (m - w, m + w)
    }

    /// One standardised draw of this family, scaled by s and the temperature `t` and
    /// placed at m (von Mises: κ becomes κ/t², the result wrapped onto [0, 2π); the
    /// hurdle's: exp(m + t s ε)).
    pub fn draw(&self, m: f64, s: f64, t: f64, rng: &mut Rng) -> f64 {
        match self.family {
            Family::Gaussian => m + t * s * rng.normal(),
            Family::Hurdle => math::exp(m + t * s * rng.normal()),
            Family::Laplace => {
                let u = rng.uniform();
                let e = if u < 0.5 {
                    math::ln(2.0 * u)
                } else {
                    -math::ln(2.0 * (1.0 - u))
                };
                // u = 0 gives −∞: the stream's 2^-53 grid makes it rare, but keep finite.
                m + t * s * e.max(-745.0)
            }
            Family::Student => m + t * s * student_draw(self.nu, rng),
            Family::VonMises => {
                if t <= 0.0 {
                    return wrap(m);
                }
                let kappa = concentration(s) / (t * t);
                wrap(m + von_mises_draw(kappa, rng))
            }
        }
    }
}

/// What each family is for, for the page (plain text).
pub fn note(family: Family) -> &'static str {
    match family {
        Family::Gaussian => "Gaussian components, as in Bishop's MDN: each component is N(μ, σ²); \
            a good default for noisy continuous outputs.",
        Family::Laplace => "Laplace components: a sharper peak and exponential tails, so an \
            outlier costs |y − μ|/b rather than (y − μ)²/2σ². The mixture's components move to \
            the branches' medians; use it when the noise is spiky or has outliers.",
        Family::Student => "Student-t components with ν degrees of freedom (the nu key): heavy \
            tails that fall like |y|^−(ν+1), so a rare large move (a crash in the regimes \
            data) does not drag a component's σ up for every other point. ν = 1 is the Cauchy; \
            ν → ∞ is the Gaussian.",
        Family::Hurdle => "A hurdle: P(y = 0 | x) from the network as a point mass at exactly \
            zero (the bars below zero in the main plot, the bar in the slice), and log-normal components for y > 0. A dry day's NLL \
            is −ln P(dry); a wet day's −ln P(wet) − ln p(y | wet). That is a mixed measure: \
            the NLL of a Gaussian mixture (a density on dry days too) is not comparable with \
            it, so the status line compares every model on one measure — the log loss of \
            P(dry) plus the wet days' density.",
        Family::VonMises => "Von Mises components: a density on the circle for angles in \
            radians, κ = 1/s². 0 and 2π are the same direction, so a component near the seam \
            wraps round instead of being cut in two; the slice is also drawn on a circle.",
    }
}

/// Student-t's ln f at z = (y − m)/s, with its constant c.
#[inline]
fn student_lp(c: f64, nu: f64, z: f64, s: f64) -> f64 {
    let w = z * z / nu;
    let l1p = if w.is_finite() {
        math::ln_1p(w)
    } else {
        2.0 * math::ln(z.abs()) - math::ln(nu)
    };
    c - math::ln(s) - 0.5 * (nu + 1.0) * l1p
}

/// y onto [0, 2π).
pub fn wrap(y: f64) -> f64 {
    let w = y - TWO_PI * libm::floor(y / TWO_PI);
    if w >= TWO_PI {
        0.0
    } else {
        w
    }
}

#[inline]
fn gaussian(y: f64, m: f64, s: f64) -> (f64, f64, f64) {
    let z = (y - m) / s;
    (
        -0.5 * z * z - math::ln(s) - HALF_LN_2PI,
        z / s,
        (z * z - 1.0) / s,
    )
}

/// κ = 1/s², capped so that a scale of 0 stays finite.
#[inline]
pub fn concentration(s: f64) -> f64 {
    (1.0 / (s * s)).min(1e300)
}

/// ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln νπ.
pub fn student_const(nu: f64) -> f64 {
    libm::lgamma(0.5 * (nu + 1.0)) - libm::lgamma(0.5 * nu) - 0.5 * math::ln(nu * PI)
}

/// Where Student-t's tail mass falls below about 1e-12 (at most 1e6 scales).
fn student_tail_width(nu: f64) -> f64 {
    // P(|T| > t) ≈ C t^−ν: t = (C/1e-12)^(1/ν), with C ≤ 1 for ν ≥ 1.
    math::exp((12.0 * std::f64::consts::LN_10) / nu).clamp(8.0, 1e6)
}

/// (ln I₀(κ) − κ, 1 − I₁(κ)/I₀(κ)): by the power series up to κ = 30, beyond by the
/// asymptotic expansion I_ν(κ) ≈ e^κ/√(2πκ) Σ_m (−1)^m a_m(ν)/κ^m (Abramowitz and
/// Stegun 9.7.1), whose terms fall below 1e-17 long before they grow.
pub fn bessel(kappa: f64) -> (f64, f64) {
    if kappa <= 30.0 {
        let q = 0.25 * kappa * kappa;
        let (mut t0, mut t1) = (1.0, 0.5 * kappa);
        let (mut i0, mut i1) = (t0, t1);
        let mut m = 1.0;
        while t0 > 1e-17 * i0 || t1 > 1e-17 * i1.max(1e-300) {
            t0 *= q / (m * m);
            t1 *= q / (m * (m + 1.0));
            i0 += t0;
            i1 += t1;
            m += 1.0;
            if m > 200.0 {
                break;
            }
        }
        (math::ln(i0) - kappa, (i0 - i1) / i0)
    } else {
        let inv8k = 1.0 / (8.0 * kappa);
        let (mut a0, mut a1) = (1.0, 1.0);
        let (mut s0, mut s1) = (1.0, 1.0);
        let mut m = 1.0;
        loop {
            let odd = 2.0 * m - 1.0;
            // a_m(ν)(−1)^m/κ^m from a_{m−1}: × (odd² − 4ν²)/(8κ m).
            a0 *= odd * odd * inv8k / m;
            a1 *= (odd * odd - 4.0) * inv8k / m;
            s0 += a0;
            s1 += a1;
            m += 1.0;
            if (a0.abs() < 1e-17 && a1.abs() < 1e-17) || m > 60.0 {
                break;
            }
        }
        (
            math::ln(s0) - 0.5 * math::ln(TWO_PI * kappa),
            (s0 - s1) / s0,
        )
    }
}

/// The von Mises CDF of δ = y − m unwrapped: the mass of (−∞, δ] if the density went on
/// repeating, so that F(δ + 2π) = F(δ) + 1 and F(0) = ½. By the series
/// (δ + π)/2π + (1/π) Σ_j ρ_j sin(jδ)/j on [−π, π), ρ_j = I_j(κ)/I₀(κ) by backward
/// recurrence; above κ = 2.5e5 (s < 0.002) by the Gaussian it tends to (error ~1/κ).
pub fn von_mises_unwrapped_cdf(delta: f64, kappa: f64) -> f64 {
    let turns = libm::floor((delta + PI) / TWO_PI);
    let d = delta - TWO_PI * turns;
    let base = if kappa > 2.5e5 {
        phi_cdf(d * kappa.sqrt())
    } else {
        // ρ_j ≈ exp(−j²/2κ) for large κ: enough terms for 1e-17.
        let terms = (10.0 * (kappa.sqrt() + 1.0)).ceil() as usize + 10;
        let mut stack = [0.0f64; 512];
        let mut heap = Vec::new();
        let r: &mut [f64] = if terms + 2 <= stack.len() {
            &mut stack[..terms + 2]
        } else {
            heap.resize(terms + 2, 0.0);
            &mut heap
        };
        for j in (1..=terms).rev() {
            r[j] = 1.0 / (2.0 * j as f64 / kappa + r[j + 1]);
        }
        let mut rho = 1.0;
        let mut sum = 0.0;
        // sin(jd) by the recurrence sin((j+1)d) = 2 cos d sin(jd) − sin((j−1)d).
        let (s1, c2) = (libm::sin(d), 2.0 * libm::cos(d));
        let (mut prev, mut cur) = (0.0, s1);
        for (j, rj) in r.iter().enumerate().take(terms + 1).skip(1) {
            rho *= rj;
            if rho < 1e-18 {
                break;
            }
            sum += rho * cur / j as f64;
            (prev, cur) = (cur, c2 * cur - prev);
        }
        ((d + PI) / TWO_PI + sum / PI).clamp(0.0, 1.0)
    };
    turns + base
}

/// Student-t's CDF at t with ν degrees of freedom, by the regularised incomplete beta
/// function: P(T ≤ t) = ½ I_{ν/(ν+t²)}(ν/2, ½) for t < 0.
pub fn student_cdf(t: f64, nu: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    let x = if t.abs() > 1e150 {
        0.0
    } else {
        nu / (nu + t * t)
    };
    let tail = 0.5 * beta_inc(0.5 * nu, 0.5, x);
    if t < 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction
/// (modified Lentz), on the side where it converges fast.
pub fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * math::ln(x)
        + b * math::ln_1p(-x);
    if x < (a + 1.0) / (a + b + 2.0) {
        math::exp(ln_front) * beta_cf(a, b, x) / a
    } else {
        1.0 - math::exp(ln_front) * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..400 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// A standard Student-t draw (Bailey 1994's polar method: exact, two uniforms a try).
fn student_draw(nu: f64, rng: &mut Rng) -> f64 {
    loop {
        let u = 2.0 * rng.uniform() - 1.0;
        let v = 2.0 * rng.uniform() - 1.0;
        let w = u * u + v * v;
        if w > 0.0 && w <= 1.0 {
            let c2 = nu * (math::exp(-2.0 / nu * math::ln(w)) - 1.0) / w;
            return u * c2.sqrt();
        }
    }
}

/// A von Mises(0, κ) draw on [−π, π] (Best and Fisher 1979, as NumPy draws it: uniform
/// below κ = 1e-8, the wrapped Gaussian above κ = 1e6).
pub fn von_mises_draw(kappa: f64, rng: &mut Rng) -> f64 {
    if kappa < 1e-8 {
        return PI * (2.0 * rng.uniform() - 1.0);
    }
    if kappa > 1e6 {
        let d = rng.normal() / kappa.sqrt();
        return d - TWO_PI * libm::floor((d + PI) / TWO_PI);
    }
    let s = if kappa < 1e-5 {
        0.5 / kappa
    } else {
        let r = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
        let rho = (r - (2.0 * r).sqrt()) / (2.0 * kappa);
        (1.0 + rho * rho) / (2.0 * rho)
    };
    let w = loop {
        let z = libm::cos(PI * rng.uniform());
        let w = (1.0 + s * z) / (s + z);
        let y = kappa * (s - w);
        let v = rng.uniform();
        if y * (2.0 - y) - v >= 0.0 || math::ln(y / v) + 1.0 - y >= 0.0 {
            break w;
        }
    };
    let a = libm::acos(w.clamp(-1.0, 1.0));
    if rng.uniform() < 0.5 {
        -a
    } else {
        a
    }
}

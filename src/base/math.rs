//! Portable transcendental kernels: `exp`, `expm1`, `ln`, `ln_1p`, `tanh`, `softplus`.
//!
//! Why not `f64::exp`? The standard library calls the platform's libm, whose last
//! bits differ between x86_64 (glibc) and wasm32 (Rust's port of musl), so a share
//! link would not reproduce bit for bit. These kernels use only IEEE add, mul, div
//! and integer bit operations, in a fixed order and without FMA, so every platform
//! gives the same bits. They are branch-free (selects only), so loops that call them
//! over arrays vectorize. Accuracy is checked against the correctly rounded values
//! of the platform's libm in `tests/native/nll.rs` (max error 1-3 ulp).

// Coefficients are written as published (fdlibm), more digits than the type holds;
// comparisons are written so that NaN falls through to the NaN result.
#![allow(
    clippy::excessive_precision,
    clippy::manual_clamp,
    clippy::neg_cmp_op_on_partial_ord
)]

const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-01;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// 1.5 * 2^52: adding it rounds a float to an integer held in the low mantissa bits.
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// Splits `x` (already clamped to [-746, 710]) into `x = n ln2 + r` with |r| <= ln2/2
/// and returns `(n, p)` where `exp(r) = 1 + p`. `p` keeps full relative precision.
#[inline(always)]
fn exp_reduce(x: f64) -> (f64, f64) {
    let n = (x * INV_LN2 + SHIFTER) - SHIFTER;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    // Taylor coefficients 1/k!, k = 2..13; truncation error < 0.05 ulp for |r| <= ln2/2.
    let q = 1.0 / 6_227_020_800.0;
    let q = 1.0 / 479_001_600.0 + r * q;
    let q = 1.0 / 39_916_800.0 + r * q;
    let q = 1.0 / 3_628_800.0 + r * q;
    let q = 1.0 / 362_880.0 + r * q;
    let q = 1.0 / 40_320.0 + r * q;
    let q = 1.0 / 5_040.0 + r * q;
    let q = 1.0 / 720.0 + r * q;
    let q = 1.0 / 120.0 + r * q;
    let q = 1.0 / 24.0 + r * q;
    let q = 1.0 / 6.0 + r * q;
    let q = 0.5 + r * q;
    (n, r + (r * r) * q)
}

/// 2^n for an integer-valued `n` in [-1022, 1023], by building the exponent bits.
#[inline(always)]
fn pow2(n: f64) -> f64 {
    f64::from_bits((n + SHIFTER).to_bits().wrapping_add(1023) << 52)
}

/// e^x. Correct for the whole f64 range: overflow to inf, gradual underflow, NaN in, NaN out.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // Comparisons are false for NaN, which therefore flows through unchanged.
    let xc = if x < -746.0 {
        -746.0
    } else if x > 710.0 {
        710.0
    } else {
        x
    };
    let (n, p) = exp_reduce(xc);
    // Scale in two halves so that both factors stay normal: one rounding at the end.
    let n1 = (n * 0.5 + SHIFTER) - SHIFTER;
    let n2 = n - n1;
    ((1.0 + p) * pow2(n1)) * pow2(n2)
}

/// e^x - 1 with full relative precision near 0 (used by `tanh`).
#[inline(always)]
pub fn expm1(x: f64) -> f64 {
    // Below -40, e^x - 1 rounds to -1; above 709 it overflows anyway.
    let xc = if x < -40.0 {
        -40.0
    } else if x > 709.0 {
        709.0
    } else {
        x
    };
    let (n, p) = exp_reduce(xc);
    let s = pow2(n);
    let r = (s - 1.0) + s * p;
    if x > 709.0 {
        f64::INFINITY
    } else {
        r
    }
}

const LG1: f64 = 6.666_666_666_666_735_130e-01;
const LG2: f64 = 3.999_999_999_940_941_908e-01;
const LG3: f64 = 2.857_142_874_366_239_149e-01;
const LG4: f64 = 2.222_219_843_214_978_396e-01;
const LG5: f64 = 1.818_357_216_161_805_012e-01;
const LG6: f64 = 1.531_383_769_920_937_332e-01;
const LG7: f64 = 1.479_819_860_511_658_591e-01;
const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_667f_3bcd;

/// Natural logarithm (fdlibm's algorithm, written with selects instead of branches).
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    let sub = x < f64::MIN_POSITIVE;
    let xs = if sub { x * 18_014_398_509_481_984.0 } else { x }; // 2^54
    let eadj = if sub { -54.0 } else { 0.0 };
    // Shift the exponent boundary to sqrt(1/2) so that m lies in [sqrt(1/2), sqrt(2)).
    let hx = xs
        .to_bits()
        .wrapping_add(0x3ff0_0000_0000_0000 - SQRT_HALF_BITS);
    let k = f64::from_bits(0x4330_0000_0000_0000 | (hx >> 52)) - (4_503_599_627_370_496.0 + 1023.0)
        + eadj;
    let m = f64::from_bits((hx & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_BITS));
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let v = k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
    if x == 0.0 {
        f64::NEG_INFINITY
    } else if !(x >= 0.0) {
        f64::NAN
    } else if x == f64::INFINITY {
        f64::INFINITY
    } else {
        v
    }
}

/// ln(1 + u) for u >= 0 with full relative precision for small u.
#[inline(always)]
pub fn ln_1p(u: f64) -> f64 {
    let v = 1.0 + u;
    // Correct for the rounding of 1 + u (Goldberg's trick).
    let c = if v == 1.0 { 0.0 } else { ((v - 1.0) - u) / v };
    if v == 1.0 {
        u
    } else {
        ln(v) - c
    }
}

/// Hyperbolic tangent via `expm1`: accurate to a few ulp everywhere, odd, saturating.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    let em = expm1(-2.0 * a);
    let t = -em / (2.0 + em);
    let t = if a > 20.0 { 1.0 } else { t };
    // Keep the sign (and -0.0, and NaN).
    if x.is_nan() {
        x
    } else {
        t.copysign(x)
    }
}

/// softplus(r) = ln(1 + e^r), and the logistic sigmoid(r), its derivative, sharing one exp.
#[inline(always)]
pub fn softplus_sigmoid(r: f64) -> (f64, f64) {
    let e = exp(-r.abs());
    let sp = r.max(0.0) + ln_1p(e);
    let inv = 1.0 / (1.0 + e);
    let sig = if r >= 0.0 { inv } else { e * inv };
    (sp, sig)
}

/// Mean and (population) standard deviation of some values.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// ln(2π)/2, the Gaussian normalising constant per dimension.
pub const HALF_LN_2PI: f64 = 0.918_938_533_204_672_741_78;

// ---------------------------------------------------------------------------------------
// Single precision: the same algorithms with f32 constants. Training runs in f32 (twice
// the vector lanes of f64); the gradient checks instantiate the same code in f64.

const LN2_HI_F: f32 = 6.931_381_225_6e-01; // 0x3f317180
const LN2_LO_F: f32 = 9.058_000_614_5e-06; // 0x3717f7d1
const INV_LN2_F: f32 = std::f32::consts::LOG2_E;
/// 1.5 * 2^23.
const SHIFTER_F: f32 = 12_582_912.0;

#[inline(always)]
fn exp_reduce_f(x: f32) -> (f32, f32) {
    let n = (x * INV_LN2_F + SHIFTER_F) - SHIFTER_F;
    let r = (x - n * LN2_HI_F) - n * LN2_LO_F;
    // Taylor coefficients 1/k!, k = 2..8: truncation error < 0.02 ulp for |r| <= ln2/2.
    let q = 1.0 / 40_320.0;
    let q = 1.0 / 5_040.0 + r * q;
    let q = 1.0 / 720.0 + r * q;
    let q = 1.0 / 120.0 + r * q;
    let q = 1.0 / 24.0 + r * q;
    let q = 1.0 / 6.0 + r * q;
    let q = 0.5 + r * q;
    (n, r + (r * r) * q)
}

#[inline(always)]
fn pow2_f(n: f32) -> f32 {
    f32::from_bits((n + SHIFTER_F).to_bits().wrapping_add(127) << 23)
}

/// ln(f32::MIN_POSITIVE): below it e^x would be subnormal.
const EXP_F32_MIN: f32 = -87.336_55;

/// e^x in f32. Results that would be subnormal (x < −87.34) are flushed to 0: subnormal
/// arithmetic is many times slower on x86, and the flush is the same on every platform.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    let xc = if x < EXP_F32_MIN {
        EXP_F32_MIN
    } else if x > 89.0 {
        89.0
    } else {
        x
    };
    let (n, p) = exp_reduce_f(xc);
    let n1 = (n * 0.5 + SHIFTER_F) - SHIFTER_F;
    let n2 = n - n1;
    let v = ((1.0 + p) * pow2_f(n1)) * pow2_f(n2);
    if x < EXP_F32_MIN {
        0.0
    } else {
        v
    }
}

/// e^x - 1 in f32, full relative precision near 0.
#[inline(always)]
pub fn expm1_f32(x: f32) -> f32 {
    let xc = if x < -18.0 {
        -18.0
    } else if x > 88.0 {
        88.0
    } else {
        x
    };
    let (n, p) = exp_reduce_f(xc);
    let s = pow2_f(n);
    let r = (s - 1.0) + s * p;
    if x > 88.0 {
        f32::INFINITY
    } else {
        r
    }
}

const LG1_F: f32 = 0.666_666_626_93;
const LG2_F: f32 = 0.400_009_721_52;
const LG3_F: f32 = 0.284_987_866_88;
const LG4_F: f32 = 0.242_790_788_41;
const SQRT_HALF_BITS_F: u32 = 0x3f35_04f3;

/// Natural logarithm in f32 (fdlibm's logf, with selects).
#[inline(always)]
pub fn ln_f32(x: f32) -> f32 {
    let sub = x < f32::MIN_POSITIVE;
    let xs = if sub { x * 33_554_432.0 } else { x }; // 2^25
    let eadj = if sub { -25.0 } else { 0.0 };
    let hx = xs.to_bits().wrapping_add(0x3f80_0000 - SQRT_HALF_BITS_F);
    let k = f32::from_bits(0x4b00_0000 | (hx >> 23)) - (8_388_608.0 + 127.0) + eadj;
    let m = f32::from_bits((hx & 0x007f_ffff).wrapping_add(SQRT_HALF_BITS_F));
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2_F + w * LG4_F);
    let t2 = z * (LG1_F + w * LG3_F);
    let r = t2 + t1;
    let v = k * LN2_HI_F - ((hfsq - (s * (hfsq + r) + k * LN2_LO_F)) - f);
    if x == 0.0 {
        f32::NEG_INFINITY
    } else if !(x >= 0.0) {
        f32::NAN
    } else if x == f32::INFINITY {
        f32::INFINITY
    } else {
        v
    }
}

#[inline(always)]
pub fn ln_1p_f32(u: f32) -> f32 {
    let v = 1.0 + u;
    let c = if v == 1.0 { 0.0 } else { ((v - 1.0) - u) / v };
    if v == 1.0 {
        u
    } else {
        ln_f32(v) - c
    }
}

#[inline(always)]
pub fn tanh_f32(x: f32) -> f32 {
    let a = x.abs();
    let em = expm1_f32(-2.0 * a);
    let t = -em / (2.0 + em);
    let t = if a > 9.0 { 1.0 } else { t };
    if x.is_nan() {
        x
    } else {
        t.copysign(x)
    }
}

#[inline(always)]
pub fn softplus_sigmoid_f32(r: f32) -> (f32, f32) {
    let e = exp_f32(-r.abs());
    let sp = r.max(0.0) + ln_1p_f32(e);
    let inv = 1.0 / (1.0 + e);
    let sig = if r >= 0.0 { inv } else { e * inv };
    (sp, sig)
}

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

/// The floating-point type the network computes in: f32 for training (see
/// [`crate::train::experiment::Precision`]), f64 for the gradient checks. Every function maps to
/// the portable kernels above, so either type gives the same bits on every platform.
pub trait Real:
    Copy
    + Default
    + PartialEq
    + PartialOrd
    + Debug
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
{
    const ZERO: Self;
    const ONE: Self;
    const NEG_INFINITY: Self;
    const HALF_LN_2PI: Self;
    fn of(v: f64) -> Self;
    fn f64(self) -> f64;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn tanh(self) -> Self;
    fn softplus_sigmoid(self) -> (Self, Self);
    /// The logistic σ(x): the same operations, and so the same bits, as
    /// `softplus_sigmoid(x).1`, without the softplus.
    #[inline(always)]
    fn sigmoid(self) -> Self {
        let e = (-(if self < Self::ZERO { -self } else { self })).exp();
        let inv = Self::ONE / (Self::ONE + e);
        if self >= Self::ZERO {
            inv
        } else {
            e * inv
        }
    }
    fn sqrt(self) -> Self;
    fn max(self, other: Self) -> Self;
    /// Magnitudes below this are flushed to zero on the training path.
    const TINY: Self;
    /// `x`, or 0 where |x| < TINY. Subnormal numbers make x86 arithmetic up to a hundred
    /// times slower, and a CPU's flush-to-zero mode is not portable (wasm has none), so
    /// the code flushes explicitly, the same way everywhere, before products of small
    /// terms can underflow. In f32 the threshold is 1e-15: responsibilities and weights
    /// that small are below the precision of the sums they enter, and a gradient that
    /// small moves Adam (ε = 1e-8) by less than 1e-7 of a step.
    #[inline(always)]
    fn flush(self) -> Self {
        let a = if self < Self::ZERO { -self } else { self };
        if a < Self::TINY {
            Self::ZERO
        } else {
            self
        }
    }
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const NEG_INFINITY: f64 = f64::NEG_INFINITY;
    const HALF_LN_2PI: f64 = HALF_LN_2PI;
    const TINY: f64 = 1e-300;
    #[inline(always)]
    fn of(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn exp(self) -> f64 {
        exp(self)
    }
    #[inline(always)]
    fn ln(self) -> f64 {
        ln(self)
    }
    #[inline(always)]
    fn tanh(self) -> f64 {
        tanh(self)
    }
    #[inline(always)]
    fn softplus_sigmoid(self) -> (f64, f64) {
        softplus_sigmoid(self)
    }
    #[inline(always)]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn max(self, other: f64) -> f64 {
        f64::max(self, other)
    }
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    const NEG_INFINITY: f32 = f32::NEG_INFINITY;
    const HALF_LN_2PI: f32 = HALF_LN_2PI as f32;
    const TINY: f32 = 1e-15;
    #[inline(always)]
    fn of(v: f64) -> f32 {
        v as f32
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn exp(self) -> f32 {
        exp_f32(self)
    }
    #[inline(always)]
    fn ln(self) -> f32 {
        ln_f32(self)
    }
    #[inline(always)]
    fn tanh(self) -> f32 {
        tanh_f32(self)
    }
    #[inline(always)]
    fn softplus_sigmoid(self) -> (f32, f32) {
        softplus_sigmoid_f32(self)
    }
    #[inline(always)]
    fn sqrt(self) -> f32 {
        f32::sqrt(self)
    }
    #[inline(always)]
    fn max(self, other: f32) -> f32 {
        f32::max(self, other)
    }
}

/// Standard normal CDF Φ(z), accurate in both tails (erfc, not 1 − erf).
pub fn phi_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * std::f64::consts::FRAC_1_SQRT_2)
}

/// Standard normal density φ(z).
pub fn phi_pdf(z: f64) -> f64 {
    exp(-0.5 * z * z - HALF_LN_2PI)
}

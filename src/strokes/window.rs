//! Graves' soft window over a line of text (Graves 2013, §5, eqs. 46–51): at each pen
//! move the network says where in the text it is writing, as a mixture of K Gaussian
//! bumps over the character positions, and reads the characters there.
//!
//! From the first layer's output the network gives, per component k, (α̂_k, β̂_k, κ̂_k):
//! α = exp(α̂) (how much of the bump is read), β = exp(β̂) (how narrow it is), and κ, its
//! centre, which only moves forwards: κ_t = κ_{t−1} + step(κ̂_t), with step = exp (Graves)
//! or softplus. The weight of position u (1 to U) is
//!
//!   φ(t, u) = Σ_k α_k exp(−β_k (κ_k − u)²),
//!
//! and the window is w_t = Σ_u φ(t, u) c_u, c_u the one-hot vector of character u: the
//! characters under the bumps, weighted. Nothing tells the network which character a pen
//! move belongs to; it learns the alignment because reading the right letter makes the
//! next move likelier.
//!
//! Every sum runs in a fixed order (positions ascending, then components), so the bits
//! are the same in any build.

use crate::base::math::Real;
use crate::base::named::Named;

/// How κ moves forwards at each pen move: κ_t = κ_{t−1} + step(κ̂_t).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advance {
    /// step = exp (Graves): unbounded, so one large κ̂ can jump several characters.
    Exp,
    /// step = softplus: about linear for large κ̂, so a jump grows only linearly.
    Softplus,
}

impl Advance {
    /// step(r) and its derivative.
    fn step<T: Real>(self, r: T) -> (T, T) {
        match self {
            Advance::Exp => {
                let e = r.exp();
                (e, e)
            }
            Advance::Softplus => r.softplus_sigmoid(),
        }
    }
}

// The default first: a form shows a key left out of the link as the first name.
crate::base::named::named!(Advance {
    Softplus => "softplus",
    Exp => "exp",
});

/// The most bumps a window has.
pub const MAX_K: usize = 20;

/// The window's shape: `k` bumps (1 to [`MAX_K`]) over a text whose characters are
/// symbols below `alphabet`, moving as `advance` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub k: usize,
    pub alphabet: usize,
    pub advance: Advance,
}

impl Window {
    /// How many of the first layer's outputs the window reads per move: (α̂, β̂, κ̂) for
    /// each bump, laid out as all α̂, then all β̂, then all κ̂.
    pub fn raw_len(&self) -> usize {
        3 * self.k
    }

    /// One move forwards: from the raw outputs and the centres at the move before
    /// (zeros before the first move), the centres now (`kappa`, K), the weight of each
    /// position (`phi`, U: position u at `phi[u − 1]`) and the window (`w`, one value
    /// per symbol of the alphabet).
    pub fn forward<T: Real>(
        &self,
        raw: &[T],
        kappa_prev: &[T],
        text: &[u16],
        kappa: &mut [T],
        phi: &mut [T],
        w: &mut [T],
    ) {
        let k = self.k;
        for j in 0..k {
            kappa[j] = kappa_prev[j] + self.advance.step(raw[2 * k + j]).0;
        }
        let (alpha, beta) = self.widths(raw);
        w[..self.alphabet].fill(T::ZERO);
        for (i, &c) in text.iter().enumerate() {
            let p = bumps(&alpha[..k], &beta[..k], kappa, i + 1);
            phi[i] = p;
            w[c as usize] += p;
        }
    }

    /// α = exp(α̂) and β = exp(β̂) of each bump.
    fn widths<T: Real>(&self, raw: &[T]) -> ([T; MAX_K], [T; MAX_K]) {
        let k = self.k;
        let (mut alpha, mut beta) = ([T::ZERO; MAX_K], [T::ZERO; MAX_K]);
        for j in 0..k {
            alpha[j] = raw[j].exp();
            beta[j] = raw[k + j].exp();
        }
        (alpha, beta)
    }

    /// φ(t, u) from the raw outputs and the centres κ_t.
    pub fn phi<T: Real>(&self, raw: &[T], kappa: &[T], u: usize) -> T {
        let (alpha, beta) = self.widths(raw);
        bumps(&alpha[..self.k], &beta[..self.k], kappa, u)
    }

    /// One move backwards. `dw` holds the loss's derivatives with respect to this move's
    /// window; `dkappa` on entry those with respect to κ_t through the later moves (zeros
    /// after the last move), and on return those with respect to κ_{t−1}. The
    /// derivatives with respect to this move's raw outputs go to `draw`.
    pub fn backward<T: Real>(
        &self,
        raw: &[T],
        kappa: &[T],
        text: &[u16],
        dw: &[T],
        dkappa: &mut [T],
        draw: &mut [T],
    ) {
        let k = self.k;
        let two = T::of(2.0);
        let (alphas, betas) = self.widths(raw);
        for j in 0..k {
            let (alpha, beta) = (alphas[j], betas[j]);
            let (mut da, mut db, mut dk) = (T::ZERO, T::ZERO, T::ZERO);
            for (i, &c) in text.iter().enumerate() {
                let g = dw[c as usize];
                let d = kappa[j] - T::of((i + 1) as f64);
                let e = (T::ZERO - beta * d * d).exp();
                da += g * e;
                db -= g * alpha * e * d * d;
                dk -= g * alpha * e * two * beta * d;
            }
            let total = dk + dkappa[j];
            draw[j] = da * alpha;
            draw[k + j] = db * beta;
            draw[2 * k + j] = total * self.advance.step(raw[2 * k + j]).1;
            dkappa[j] = total;
        }
    }

    /// Graves' rule for the end of writing: the window has passed the last character
    /// when φ(t, U + 1), the weight of the position after it, is above the weight of
    /// every character (`phi`, as [`Window::forward`] leaves it).
    pub fn past_the_end<T: Real>(&self, raw: &[T], kappa: &[T], phi: &[T]) -> bool {
        let after = self.phi(raw, kappa, phi.len() + 1);
        phi.iter().all(|&p| after > p)
    }
}

/// Σ_k α_k exp(−β_k (κ_k − u)²), the components in order.
#[inline(always)]
fn bumps<T: Real>(alpha: &[T], beta: &[T], kappa: &[T], u: usize) -> T {
    let u = T::of(u as f64);
    let mut p = T::ZERO;
    for j in 0..alpha.len() {
        let d = kappa[j] - u;
        p += alpha[j] * (T::ZERO - beta[j] * d * d).exp();
    }
    p
}

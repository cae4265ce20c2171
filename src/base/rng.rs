//! Seeded randomness that a share link can reproduce on every platform.
//!
//! ChaCha8 gives the same 64-bit stream everywhere. The conversions to floats and
//! indices are written here (not taken from `rand`'s distributions, whose algorithms
//! may change between versions or depend on `usize`), so the numbers never move.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The project's one random generator.
#[derive(Clone, Debug)]
pub struct Rng(ChaCha8Rng);

impl Rng {
    /// A generator for `seed`, on stream `stream` (independent streams for data, init, batches...).
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        Rng(r)
    }

    /// Writes where the generator stands (its seed, stream and position).
    pub(crate) fn write(&self, w: &mut crate::base::bytes::Writer) {
        w.0.extend_from_slice(&self.0.get_seed());
        w.u64(self.0.get_stream());
        let pos = self.0.get_word_pos();
        w.u64(pos as u64);
        w.u64((pos >> 64) as u64);
    }

    /// A generator where [`Rng::write`] left one.
    pub(crate) fn read(r: &mut crate::base::bytes::Bytes) -> Option<Rng> {
        let seed: [u8; 32] = r.take(32)?.try_into().ok()?;
        let mut g = ChaCha8Rng::from_seed(seed);
        g.set_stream(r.u64()?);
        let (lo, hi) = (r.u64()?, r.u64()?);
        g.set_word_pos(lo as u128 | (hi as u128) << 64);
        Some(Rng(g))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform on [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal by Box-Muller, with libm's portable `ln`, `sqrt`, `cos`.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// Uniform integer in [0, n), unbiased (Lemire's method on u64).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0);
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            let lo = m as u64;
            if lo >= n || lo >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// Named streams, so that changing how many numbers one part draws never shifts another.
/// The largest seed: 2^53 − 1, exact in JavaScript.
pub const SEED_MAX: u64 = 9_007_199_254_740_991;

pub mod stream {
    pub const TRAIN_DATA: u64 = 1;
    pub const VAL_DATA: u64 = 2;
    pub const MDN_INIT: u64 = 3;
    pub const BASELINE_INIT: u64 = 4;
    pub const BATCHES: u64 = 5;
    pub const SAMPLES: u64 = 6;
    pub const NOISE: u64 = 7;
    pub const REINIT: u64 = 8;
    /// The randomised PIT of outcomes at a point mass (calibration).
    pub const PIT: u64 = 9;
    /// A model whose parameters are overwritten at once (a model file's): any stream would do.
    pub const PLACEHOLDER: u64 = 0;
    /// Handwriting: the order in which drawn words are picked.
    pub const STROKE_WORDS: u64 = 40;
    /// Handwriting: the networks' initial weights.
    pub const STROKE_INIT: u64 = 41;
    /// Handwriting: the mini-batches of words.
    pub const STROKE_BATCHES: u64 = 42;
    /// Handwriting: `mdn strokes sample`'s pen moves.
    pub const STROKE_SAMPLES: u64 = 43;
    /// Handwriting: the page's writing on from the pad.
    pub const STROKE_WRITE: u64 = 44;
    /// Handwriting: the lines of text and their jitter.
    pub const STROKE_LINES: u64 = 45;

    /// Stream `stream` of an ensemble's member `j`: the stream itself for member 0 (a
    /// single run's bits), and for the others streams no single run draws from.
    pub const fn member(stream: u64, j: u64) -> u64 {
        stream + (j << 32)
    }
}

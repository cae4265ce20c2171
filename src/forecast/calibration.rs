//! Is the density any good? Calibration on the validation set, for the MDN, for the MSE
//! regressor read as a Gaussian (its variance the training MSE), and for the truth where
//! it is known: the PIT histogram, the coverage of central and HPD regions against their
//! nominal mass, and the mean CRPS and NLL. One-dimensional outputs only.
//!
//! A pass over the validation set can stop after any point and go on later
//! ([`Scoring::advance`]), so that the page computes it a few milliseconds per frame while
//! training goes on; the result does not depend on where it stopped, and equals the
//! command line's.

use crate::base::math::Real;
use crate::base::rng::{stream, Rng};
use crate::data::dataset::Data;
use crate::data::dataset::{self, Dataset};
use crate::forecast::{self, Gridded, LevelGrid, Mixture1, Predictive};
use crate::mdn::kernels::Kernels;
use crate::mdn::mixture::Mixture;
use crate::mdn::model::Model;
use serde::Serialize;

/// The nominal masses of the coverage tables.
pub const LEVELS: [f64; 4] = [0.5, 0.8, 0.9, 0.95];
/// Bins of the PIT histogram.
pub const PIT_BINS: usize = 10;
/// The mass of the intervals whose mean length is reported (the plots' 90%).
pub const LENGTH_MASS: f64 = 0.9;
/// Grid points of a level-set search (plus each component's mean).
const GRID: usize = 128;
/// Grid points of a tabulated true density.
const TRUTH_GRID: usize = 800;

/// One forecaster's calibration on the validation set.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Calibration {
    /// Points scored.
    pub n: usize,
    /// Mean CRPS (in the units of y; lower is better).
    pub crps: f64,
    /// Mean negative log-likelihood (nats per point).
    pub nll: f64,
    /// Share of the PIT values u = F(y | x) in each tenth of [0, 1] (uniform if calibrated;
    /// randomised where the data has a point mass).
    pub pit_hist: Vec<f64>,
    /// Coverage of the central intervals: [nominal, empirical] at each of [`LEVELS`].
    pub central: Vec<[f64; 2]>,
    /// Coverage of the HPD regions: [nominal, empirical].
    pub hpd: Vec<[f64; 2]>,
    /// Mean total length of the central interval and of the HPD region of mass
    /// [`LENGTH_MASS`] (0 when the pass did not measure them).
    pub central_length: f64,
    pub hpd_length: f64,
}

/// The three forecasters' calibration (the truth's where it is known).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub mdn: Calibration,
    pub baseline: Calibration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truth: Option<Calibration>,
}

/// Running sums of one forecaster.
#[derive(Clone, Debug, Default)]
struct Sums {
    n: usize,
    crps: f64,
    nll: f64,
    pit: [usize; PIT_BINS],
    central: [usize; 4],
    hpd: [usize; 4],
    central_length: f64,
    hpd_length: f64,
}

impl Sums {
    /// Scores one outcome `y` of the forecast `f` (its CRPS given); `v` is the uniform
    /// draw that randomises the PIT at a point mass.
    fn add(
        &mut self,
        f: &impl Predictive,
        crps: f64,
        y: f64,
        atom: Option<f64>,
        v: f64,
        lengths: bool,
    ) {
        let u = match atom {
            // An outcome at the point mass (rain's dry days, recorded as 0): all we know
            // is that Y ≤ 0, so u is uniform on [F(0−)... here 0, F(0)] (randomised PIT).
            Some(a) if y == a => f.cdf_below(a) + v * (f.cdf(a) - f.cdf_below(a)),
            _ => f.cdf(y),
        };
        let u = u.clamp(0.0, 1.0);
        self.n += 1;
        self.crps += crps;
        self.nll -= crate::base::math::ln(forecast::mixed_density(f, y).max(f64::MIN_POSITIVE));
        self.pit[((u * PIT_BINS as f64) as usize).min(PIT_BINS - 1)] += 1;
        // A single Gaussian's HPD region is its central interval: no level-set search.
        let g = (!f.is_gaussian()).then(|| LevelGrid::new(f, GRID));
        let rank = match &g {
            Some(g) => forecast::hpd_rank(f, g, y, v),
            None => (2.0 * u - 1.0).abs(),
        };
        for (i, m) in LEVELS.iter().enumerate() {
            let tail = 0.5 * (1.0 - m);
            if u >= tail && u <= 1.0 - tail {
                self.central[i] += 1;
            }
            if rank <= *m {
                self.hpd[i] += 1;
            }
        }
        if lengths {
            let (a, b) = forecast::central(f, LENGTH_MASS);
            self.central_length += b - a;
            self.hpd_length += match &g {
                Some(g) => forecast::hpd_on(f, g, LENGTH_MASS, 0).length(),
                None => b - a,
            };
        }
    }

    fn result(&self) -> Calibration {
        let n = self.n.max(1) as f64;
        let cover = |c: &[usize; 4]| {
            LEVELS
                .iter()
                .zip(c)
                .map(|(m, k)| [*m, *k as f64 / n])
                .collect()
        };
        Calibration {
            n: self.n,
            crps: self.crps / n,
            nll: self.nll / n,
            pit_hist: self.pit.iter().map(|k| *k as f64 / n).collect(),
            central: cover(&self.central),
            hpd: cover(&self.hpd),
            central_length: self.central_length / n,
            hpd_length: self.hpd_length / n,
        }
    }
}

/// Where the data have a point mass (an exact value many outcomes take): rain's dry days.
pub fn point_mass(data: Data) -> Option<f64> {
    (data == Data::Rain).then_some(0.0)
}

/// The true conditional density at x tabulated over [lo, hi], where it is known: the
/// inverse problem (t uniform on {t ∈ [0, 1] : |x − t − 0.3 sin 2πt| ≤ 0.1}), ring and
/// regimes.
pub fn truth(data: Data, x: f64, (lo, hi): (f64, f64)) -> Option<Gridded> {
    match data {
        Data::BishopInverse => {
            let inside = move |t: f64| {
                let g = t + 0.3 * libm::sin(2.0 * std::f64::consts::PI * t);
                (0.0..=1.0).contains(&t) && (x - g).abs() <= 0.1
            };
            let ln_p = move |t: f64| if inside(t) { 0.0 } else { f64::NEG_INFINITY };
            Some(Gridded::new(0.0, 1.0, TRUTH_GRID, ln_p))
        }
        Data::Ring | Data::Regimes => {
            dataset::true_log_density(data, x, 0.0)?;
            Some(Gridded::new(lo, hi, TRUTH_GRID, move |y| {
                dataset::true_log_density(data, x, y).unwrap_or(f64::NEG_INFINITY)
            }))
        }
        _ => None,
    }
}

/// A calibration pass over a validation set, resumable after any point.
#[derive(Clone, Debug)]
pub struct Scoring {
    next: usize,
    data: Data,
    range: (f64, f64),
    mdn: Sums,
    baseline: Sums,
    truth: Option<Sums>,
    rng: Rng,
    /// Also measure the mean lengths of the 90% intervals (about doubles the work).
    lengths: bool,
    /// The truth's calibration from an earlier pass (it does not change with the model).
    known_truth: Option<Calibration>,
}

impl Scoring {
    /// A pass for `data` (the truth is scored where known), `y_range` the data's plot range
    /// of y (the truth's grid for ring and regimes). The randomised PIT's draws come from
    /// a stream of their own, seeded by `seed`.
    pub fn new(data: Data, y_range: (f64, f64), seed: u64, lengths: bool) -> Scoring {
        let pad = 0.5 * (y_range.1 - y_range.0);
        Scoring {
            next: 0,
            data,
            range: (y_range.0 - pad, y_range.1 + pad),
            mdn: Sums::default(),
            baseline: Sums::default(),
            truth: matches!(data, Data::BishopInverse | Data::Ring | Data::Regimes)
                .then(Sums::default),
            rng: Rng::new(seed, stream::PIT),
            lengths,
            known_truth: None,
        }
    }

    /// The same pass, taking the truth's calibration from an earlier complete pass over the
    /// same points (with the same seed) instead of scoring it again.
    pub fn with_truth(mut self, truth: Option<Calibration>) -> Scoring {
        if let Some(t) = truth.filter(|_| self.truth.is_some()) {
            self.truth = None;
            self.known_truth = Some(t);
        }
        self
    }

    /// Points scored so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// Scores validation points until all are done (true) or `out_of_time()` says stop
    /// (asked after each point): the forecasts of `members` (one model, or an ensemble's
    /// members scored as their even mixture, [`Mixture::even`]), with the first one's
    /// MSE regressor beside them.
    pub fn advance<R: Real + Kernels>(
        &mut self,
        members: &[&Model<R>],
        val: &Dataset,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let mut qs: Vec<_> = members.iter().map(|m| m.queries()).collect();
        if let [q] = qs.as_mut_slice() {
            return self.advance_with(&mut |x| q.mixture(&[x]), members[0], val, out_of_time);
        }
        let mut even = |x: f64| {
            let ms: Vec<Mixture> = qs.iter_mut().map(|q| q.mixture(&[x])).collect();
            Mixture::even(&ms).expect("members of one spec")
        };
        self.advance_with(&mut even, members[0], val, out_of_time)
    }

    /// [`Scoring::advance`] of the forecasts `mdn(x)` (another estimator's), with
    /// `baseline`'s MSE regressor.
    pub fn advance_with<R: Real + Kernels>(
        &mut self,
        mdn: &mut dyn FnMut(f64) -> Mixture,
        baseline: &Model<R>,
        val: &Dataset,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let atom = point_mass(self.data);
        let mut q = baseline.queries();
        while self.next < val.len() {
            let i = self.next;
            let (x, y) = (val.x[[0, i]], val.y[[0, i]]);
            let v = self.rng.uniform();
            let m = mdn(x);
            let l = self.lengths;
            let f = forecast::Prepared::new(&m);
            // A circular forecast (von Mises) lives on [0, 2π): its outcome is the angle.
            let ym = if m.circular() {
                crate::mdn::family::wrap(y)
            } else {
                y
            };
            self.mdn.add(&f, f.crps(ym), ym, atom, v, l);
            let b = q.baseline_mixture(&[x]);
            self.baseline.add(
                &Mixture1::new(&b),
                forecast::crps_mixture(&b, y),
                y,
                atom,
                v,
                l,
            );
            if let (Some(s), Some(t)) = (self.truth.as_mut(), truth(self.data, x, self.range)) {
                s.add(&t, t.crps(y), y, atom, v, l);
            }
            self.next += 1;
            if out_of_time() {
                break;
            }
        }
        self.next >= val.len()
    }

    /// The report of the points scored so far.
    pub fn report(&self) -> Report {
        Report {
            mdn: self.mdn.result(),
            baseline: self.baseline.result(),
            truth: self
                .known_truth
                .clone()
                .or_else(|| self.truth.as_ref().map(Sums::result)),
        }
    }
}

/// The whole report of a model on a validation set, in one go, with the intervals' lengths.
pub fn calibrate<R: Real + Kernels>(
    model: &Model<R>,
    val: &Dataset,
    data: Data,
    y_range: (f64, f64),
    seed: u64,
) -> Report {
    let mut p = Scoring::new(data, y_range, seed, true);
    p.advance(&[model], val, &mut || false);
    p.report()
}

//! What a forecaster reports from a one-dimensional predictive distribution p(y|x)
//! ([`predictive`]): its CDF, quantiles, the central interval and the highest-density
//! (HPD) region of a given mass ([`regions`]), and the CRPS of an outcome ([`crps`]). For
//! a Gaussian mixture in closed form where one exists; for another family from a table
//! ([`table`]); for a density known on a grid, the truth of a data set, by quadrature
//! ([`gridded`]). Then calibration on a validation set ([`calibration`]) and rain's
//! models on one measure ([`point_mass`]), and a conditional kernel density estimate to
//! compare with ([`kernel`]); a slice's peaks in words ([`peaks`]). Portable: Φ comes from libm's erfc (the same
//! bits natively and in wasm); no fused multiply-adds.

pub mod calibration;
pub mod crps;
pub mod gridded;
pub mod kernel;
pub mod peaks;
pub mod point_mass;
pub mod predictive;
pub mod regions;
pub mod table;

pub use crps::crps_mixture;
pub use gridded::Gridded;
pub use predictive::{mixed_density, Mixture1, Predictive};
pub use regions::{central, hpd, hpd_on, hpd_rank, hpd_with, mass_of, quantile, Hpd, LevelGrid};
pub use table::{Prepared, Table};

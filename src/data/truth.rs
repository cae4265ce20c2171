//! What is known of the true conditional distribution of a built-in data set, beyond its
//! density ([`super::dataset::true_log_density`]): whether there is a truth to draw at
//! all, the probability of rain's dry days (a point mass), and the arm's exact poses.

use super::dataset::{
    arm_forward, rain, true_log_density, Data, ARM_L1, ARM_L2, ARM_THETA1, ARM_THETA2,
};

/// Whether the true p(y | x) is known, to be drawn beside the model's: every drawn
/// set (the arm's is its two poses, see [`arm_poses`]); not your own points nor a real
/// set's.
pub fn known(data: Data) -> bool {
    data != Data::Custom && data.real().is_none()
}

/// The point mass of the true p(y | x), as (where, probability): rain's dry days.
pub fn point_mass(data: Data, x: f64) -> Option<(f64, f64)> {
    (data == Data::Rain).then(|| (0.0, 1.0 - rain(x).0))
}

/// The true density of the continuous part at (x, y), where there is one: 0 at rain's
/// dry value (whose probability is [`point_mass`]'s).
pub fn density(data: Data, x: f64, y: f64) -> Option<f64> {
    if data == Data::Rain && y <= 0.0 {
        return Some(0.0);
    }
    true_log_density(data, x, y).map(crate::base::math::exp)
}

/// The true density of the continuous part of p(y | x) at each of `ys`, where it is
/// known (not for the arm, whose truth is two points, nor custom data). The inverse
/// problem's is uniform over {t ∈ [0, 1] : |x − t − 0.3 sin 2πt| ≤ 0.1}, whose length is
/// measured on a grid of [`INVERSE_GRID`] points.
pub fn column(data: Data, x: f64, ys: &[f64]) -> Option<Vec<f64>> {
    if data == Data::BishopInverse {
        let inside = |t: f64| {
            let g = t + 0.3 * libm::sin(std::f64::consts::TAU * t);
            (0.0..=1.0).contains(&t) && (x - g).abs() <= 0.1
        };
        let n = INVERSE_GRID;
        let hits = (0..n)
            .filter(|&i| inside((i as f64 + 0.5) / n as f64))
            .count();
        let p = if hits == 0 {
            0.0
        } else {
            n as f64 / hits as f64
        };
        return Some(
            ys.iter()
                .map(|&t| if inside(t) { p } else { 0.0 })
                .collect(),
        );
    }
    ys.iter().map(|&y| density(data, x, y)).collect()
}

/// Points on which the inverse problem's set of t is measured.
pub const INVERSE_GRID: usize = 4000;

/// The joint angles (θ1, θ2) that put the arm's hand exactly on `target`, within the
/// ranges the data set draws them from: the elbow one way, the other, or none (the
/// target out of reach). The arm's data have no noise, so these poses are the whole of
/// the true p(θ | x): two points.
pub fn arm_poses(target: &[f64]) -> Vec<[f64; 2]> {
    let (x, y) = (target[0], target[1]);
    let r2 = x * x + y * y;
    // |hand|² = L1² + L2² − 2 L1 L2 cos θ2.
    let c = (ARM_L1 * ARM_L1 + ARM_L2 * ARM_L2 - r2) / (2.0 * ARM_L1 * ARM_L2);
    if !(-1.0..=1.0).contains(&c) {
        return Vec::new();
    }
    let tau = std::f64::consts::TAU;
    let a = libm::acos(c);
    let mut poses = Vec::new();
    for t2 in [a, tau - a] {
        // The hand is (A, −B) turned by θ1, with A = L1 − L2 cos θ2, B = L2 sin θ2.
        let (ca, cb) = (ARM_L1 - ARM_L2 * libm::cos(t2), ARM_L2 * libm::sin(t2));
        let mut t1 = libm::atan2(y, x) - libm::atan2(-cb, ca);
        t1 -= tau * libm::floor((t1 - ARM_THETA1.0) / tau);
        let inside = |v: f64, (lo, hi): (f64, f64)| v >= lo && v <= hi;
        let hand = arm_forward(t1, t2).1;
        let exact = (hand.0 - x).abs() + (hand.1 - y).abs() < 1e-9;
        if exact && inside(t1, ARM_THETA1) && inside(t2, ARM_THETA2) {
            poses.push([t1, t2]);
        }
    }
    if poses.len() == 2 && (poses[0][1] - poses[1][1]).abs() < 1e-12 {
        poses.pop();
    }
    poses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arm_poses_land_on_the_target_both_ways() {
        // The data set's default target: θ ≈ (0.758, 2.284) or (0.436, 3.999).
        let p = arm_poses(&[0.78, 0.53]);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            (p[0][0] - 0.758).abs() < 1e-3 && (p[0][1] - 2.284).abs() < 1e-3,
            "{p:?}"
        );
        assert!(
            (p[1][0] - 0.436).abs() < 1e-3 && (p[1][1] - 3.999).abs() < 1e-3,
            "{p:?}"
        );
        for t in &p {
            let hand = arm_forward(t[0], t[1]).1;
            assert!((hand.0 - 0.78).abs() < 1e-12 && (hand.1 - 0.53).abs() < 1e-12);
        }
        assert!(arm_poses(&[2.0, 2.0]).is_empty(), "out of reach");
    }

    #[test]
    fn rain_keeps_its_dry_days_apart() {
        let (at, p) = point_mass(Data::Rain, 0.3).unwrap();
        assert_eq!(at, 0.0);
        assert!((p - (1.0 - rain(0.3).0)).abs() < 1e-15);
        assert_eq!(density(Data::Rain, 0.3, 0.0), Some(0.0));
        assert!(density(Data::Rain, 0.3, 1.0).unwrap() > 0.0);
        assert!(point_mass(Data::Ring, 0.3).is_none());
    }
}

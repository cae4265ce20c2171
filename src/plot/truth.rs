//! The true conditional distribution drawn beside the model's: on the slice, the true
//! p(y | x₀) dashed (with rain's dry days as a bar); on the heatmap, thin contours around
//! the true 90% HPD region at each x, the region the model's own intervals should match.

use super::View;
use crate::data::dataset::Data;
use crate::data::truth;

/// The true p(y | x₀) for the slice: its density as (y, density) points, held level
/// across the jumps of a uniform density, and its point mass as (where, probability).
#[derive(Clone, Debug, PartialEq)]
pub struct SliceTruth {
    pub curve: Vec<(f64, f64)>,
    pub atom: Option<(f64, f64)>,
}

/// Points along y of the slice's true density.
const SLICE_POINTS: usize = 600;

/// The true p(y | x₀) over `y`, where the data set has one with a density (every built-in
/// set but the arm).
pub fn slice_truth(data: Data, x0: f64, y: (f64, f64)) -> Option<SliceTruth> {
    let ys = grid(y, SLICE_POINTS);
    let p = truth::column(data, x0, &ys)?;
    let mut curve = Vec::with_capacity(ys.len() + 8);
    for i in 0..ys.len() {
        // A jump to or from zero (the edge of a uniform density) drawn upright.
        if i > 0 && (p[i] == 0.0) != (p[i - 1] == 0.0) {
            curve.push((ys[i], p[i - 1]));
        }
        curve.push((ys[i], p[i]));
    }
    Some(SliceTruth {
        curve,
        atom: truth::point_mass(data, x0).filter(|(at, _)| (y.0..=y.1).contains(at)),
    })
}

/// The mass of the region the heatmap's truth contours enclose at each x.
pub const REGION_MASS: f64 = 0.9;

/// A line segment in data coordinates.
pub type Segment = [(f64, f64); 2];

/// The boundary of the true 90% HPD region of p(y | x) at each x across `view`, as line
/// segments (marching squares on `nx × ny` points): at each x, the y whose density is at
/// least the level that holds 90% of the probability (a point mass counts first, as the
/// densest place there is). Where the truth is uniform the region is its whole support.
pub fn region_contours(data: Data, view: &View, nx: usize, ny: usize) -> Option<Vec<Segment>> {
    let (nx, ny) = (nx.max(2), ny.max(2));
    let xs = grid(view.x, nx);
    let ys = grid(view.y, ny);
    let dy = (view.y.1 - view.y.0) / (ny - 1) as f64;
    let mut field = Vec::with_capacity(nx);
    for &x in &xs {
        let p = truth::column(data, x, &ys)?;
        let atom = truth::point_mass(data, x).map_or(0.0, |a| a.1);
        let level = hpd_level(&p, dy, atom, REGION_MASS);
        field.push(p.iter().map(|v| v - level).collect::<Vec<f64>>());
    }
    Some(marching_squares(&xs, &ys, &field))
}

/// The density level c at which {y : p(y) ≥ c} holds `mass` of a column's probability
/// (densities `p` on a grid of spacing `dy`, plus a point mass `atom`), normalised to the
/// column's total; infinite when the point mass alone holds it.
fn hpd_level(p: &[f64], dy: f64, atom: f64, mass: f64) -> f64 {
    let total = atom + p.iter().sum::<f64>() * dy;
    if total <= 0.0 || atom >= mass * total {
        return f64::INFINITY;
    }
    let mut sorted: Vec<f64> = p.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let mut held = atom;
    for v in &sorted {
        held += v * dy;
        if held >= mass * total {
            // Just under the level: a uniform density's whole support is inside.
            return v * (1.0 - 1e-9);
        }
    }
    0.0
}

fn grid((lo, hi): (f64, f64), n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The zero contour of `field[i][j]` (at `xs[i]`, `ys[j]`) as segments: in each cell, the
/// edges whose ends differ in sign are cut where the field, interpolated linearly, is
/// zero; two cuts make a segment, four (a saddle) two.
fn marching_squares(xs: &[f64], ys: &[f64], field: &[Vec<f64>]) -> Vec<Segment> {
    let mut out = Vec::new();
    for i in 0..xs.len() - 1 {
        for j in 0..ys.len() - 1 {
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let mut cuts = Vec::with_capacity(4);
            for e in 0..4 {
                let (a, b) = (corners[e], corners[(e + 1) % 4]);
                let (fa, fb) = (field[a.0][a.1], field[b.0][b.1]);
                if (fa >= 0.0) != (fb >= 0.0) && fa.is_finite() && fb.is_finite() {
                    let t = fa / (fa - fb);
                    cuts.push((
                        xs[a.0] + t * (xs[b.0] - xs[a.0]),
                        ys[a.1] + t * (ys[b.1] - ys[a.1]),
                    ));
                }
            }
            for pair in cuts.chunks_exact(2) {
                out.push([pair[0], pair[1]]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forward_problems_region_is_its_band() {
        // At t = 0.25 the curve is at 0.25 + 0.3 = 0.55; the noise is ±0.1.
        let view = View {
            x: (0.2, 0.3),
            y: (0.0, 1.0),
        };
        let segs = region_contours(Data::BishopForward, &view, 3, 401).unwrap();
        let at: Vec<f64> = segs
            .iter()
            .flat_map(|s| s.iter())
            .filter(|p| (p.0 - 0.25).abs() < 1e-12)
            .map(|p| p.1)
            .collect();
        assert!(at.iter().any(|y| (y - 0.45).abs() < 0.005), "{at:?}");
        assert!(at.iter().any(|y| (y - 0.65).abs() < 0.005), "{at:?}");
    }

    #[test]
    fn a_level_holds_its_mass_and_a_point_mass_counts_first() {
        let p = vec![1.0, 3.0, 2.0, 4.0];
        // Total 10 (dy = 1): 4 + 3 + 2 = 9 ≥ 9.
        assert!((hpd_level(&p, 1.0, 0.0, 0.9) - 2.0).abs() < 1e-6);
        assert_eq!(hpd_level(&p, 1.0, 100.0, 0.9), f64::INFINITY);
        let ring = slice_truth(Data::Ring, 0.0, (-1.3, 1.3)).unwrap();
        let top = ring.curve.iter().map(|v| v.1).fold(0.0, f64::max);
        // Half of a normal's peak of σ = 0.05: 0.5 / (0.05 √2π) ≈ 3.99.
        assert!((top - 3.99).abs() < 0.05, "{top}");
        assert!(slice_truth(Data::Rain, 0.5, (-0.5, 5.0))
            .unwrap()
            .atom
            .is_some());
        assert!(slice_truth(Data::Custom, 0.5, (0.0, 1.0)).is_none());
        assert!(slice_truth(Data::Arm, 0.5, (0.0, 1.0)).is_none());
    }
}

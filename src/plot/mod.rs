//! The plots. Dense images (the p(y|x) heatmap) are computed here into RGBA buffers that
//! the page blits with `putImageData`; axes, lines, points and text are drawn with
//! plotters, generic over its `DrawingBackend`, so the same code draws on the page
//! (CanvasBackend) and natively (BitMapBackend, in the tests and `mdn render`).
//!
//! | concern | module |
//! |---|---|
//! | data range, labels, layers of a plot | `frame` |
//! | colour scale, component colours, legends, colour bars | `style` |
//! | what the plots ask of the model (density grid, curves, samples, modes) | `query` |
//! | the main plot | `main_plot` |
//! | an ensemble's members and the data's gap over it | [`overlay`] |
//! | the panels: loss, parameters against x | `panels` |
//! | the slice p(y \| x₀) | `slice` |
//! | two experiments against each other: ln p_A − ln p_B | [`difference`] |
//! | the sweep plot | `sweep` |
//! | the calibration panel: PIT histograms, coverage against nominal mass | `calibration` |
//! | aleatoric and epistemic variance against x (an ensemble) | [`uncertainty`] |
//! | the true distribution beside the model's: on the slice, contours on the heatmap | [`truth`] |
//! | the 2-D views (input plane with the arm, output plane) | [`plane`] |
//! | SVG figures (page and `mdn render`), with the heatmap as an embedded PNG | [`svg`] |
//! | pen strokes and their samples (the handwriting model) | [`strokes`] |
//! | PNG and SVG output natively (`mdn render`) | [`native`] |
//! | the bundled font, registered for native drawing | `font` |

pub mod alignment;
mod calibration;
pub mod difference;
mod frame;
mod main_plot;
pub mod overlay;
mod panels;
pub mod plane;
mod query;
mod slice;
pub mod strokes;
mod style;
pub mod svg;
mod sweep;
pub mod truth;
pub mod uncertainty;

pub use calibration::*;
pub use frame::*;
pub use main_plot::*;
pub use panels::*;
pub use query::*;
pub use slice::*;
pub use style::*;
pub use sweep::*;
pub use truth::{region_contours, slice_truth, SliceTruth};

/// A chart over two f64 axes, as every panel draws on.
pub(crate) type Chart<'a, DB> = plotters::chart::ChartContext<
    'a,
    DB,
    plotters::coord::cartesian::Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

#[cfg(not(target_arch = "wasm32"))]
mod font;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;

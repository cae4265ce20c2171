//! Natively, the plots' text comes from the bundled DejaVu Sans (`fonts/`, its licence
//! beside it), registered once for plotters. (In the browser, plotters-canvas uses the
//! page's fonts.)

use plotters::style::FontStyle;

static FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// Registers the bundled font as plotters' "sans-serif" (once; later calls do nothing).
pub(crate) fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bundled file is a valid TrueType font: registering it cannot fail.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

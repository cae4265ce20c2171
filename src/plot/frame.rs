//! What every plot has: the data range it shows ([`View`]), its axis labels and how to
//! draw it ([`Frame`]), and which layer ([`Layer`]).

/// The data range a plot shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl View {
    /// A data set's plot range: the first input against the first output.
    pub fn of(info: &crate::data::dataset::DataInfo) -> View {
        View {
            x: info.x_ranges[0],
            y: info.y_ranges[0],
        }
    }

    /// The input plane of the 2-D views: two inputs, or the input against the first
    /// output; with the label of its vertical axis.
    pub fn inputs(info: &crate::data::dataset::DataInfo) -> (View, &'static str) {
        if info.din >= 2 {
            let v = View {
                x: info.x_ranges[0],
                y: info.x_ranges[1],
            };
            (v, info.x_labels[1])
        } else {
            (View::of(info), info.y_labels[0])
        }
    }

    /// The output plane of the 2-D views: the first two outputs.
    pub fn outputs(info: &crate::data::dataset::DataInfo) -> View {
        let r = &info.y_ranges;
        View {
            x: r[0],
            y: r.get(1).copied().unwrap_or(r[0]),
        }
    }
}

/// Training points a plot draws at most (more only hides the density under them).
pub const MAX_POINTS: usize = 2000;

/// What every plot of the page's main area has: its data range, axis labels, and how to
/// draw (text, legend, pixel scale, layer).
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    pub view: View,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Draw text (axis labels, legend, colour bar labels). Off where no font is at hand.
    pub text: bool,
    /// Draw the legend inside the plot (off on small screens: the caption explains).
    pub legend: bool,
    /// Pixel scale (devicePixelRatio): fonts and strokes are multiplied by it.
    pub scale: f64,
    /// Which layer to draw: the static one (axes, labels, legend, data, colour bar)
    /// changes only with the data and the canvas size; the live one (curves, colour
    /// scale numbers) with every snapshot.
    pub layer: Layer,
    /// Paper and ink of the axes and text (the heatmap is the same in both themes).
    pub theme: super::Theme,
}

impl<'a> Frame<'a> {
    /// The same frame in `theme`.
    pub fn themed(self, theme: super::Theme) -> Self {
        Frame {
            theme,
            x_label: theme.t(self.x_label),
            y_label: theme.t(self.y_label),
            ..self
        }
    }
}

impl Frame<'static> {
    /// The main plot's frame for a data set (text on).
    pub fn main(
        info: &crate::data::dataset::DataInfo,
        legend: bool,
        scale: f64,
        layer: Layer,
    ) -> Self {
        Frame {
            view: View::of(info),
            x_label: info.x_labels[0],
            y_label: info.y_labels[0],
            text: true,
            legend,
            scale,
            layer,
            theme: super::Theme::LIGHT,
        }
    }

    /// The input plane's frame (see [`View::inputs`]).
    pub fn inputs(
        info: &crate::data::dataset::DataInfo,
        legend: bool,
        scale: f64,
        layer: Layer,
    ) -> Self {
        let (view, y_label) = View::inputs(info);
        Frame {
            view,
            x_label: info.x_labels[0],
            y_label,
            ..Frame::main(info, legend, scale, layer)
        }
    }

    /// The output plane's frame (see [`View::outputs`]).
    pub fn outputs(
        info: &crate::data::dataset::DataInfo,
        legend: bool,
        scale: f64,
        layer: Layer,
    ) -> Self {
        Frame {
            view: View::outputs(info),
            x_label: info.y_labels[0],
            y_label: info.y_labels.get(1).copied().unwrap_or(""),
            ..Frame::main(info, legend, scale, layer)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Static,
    Live,
    /// Both, on one canvas (natively rendered images).
    All,
}

impl Layer {
    /// The live layer or the static one.
    pub fn of(live: bool) -> Layer {
        if live {
            Layer::Live
        } else {
            Layer::Static
        }
    }
}

/// The plot area's pixel rectangle (x0, y0, x1, y1), where the heatmap goes.
pub type Rect = (i32, i32, i32, i32);

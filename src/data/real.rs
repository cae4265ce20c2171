//! Real measurements, shipped inside the program (nothing is downloaded at run time):
//!
//! - `faithful`: Old Faithful's eruptions (Azzalini & Bowman 1990; R's `datasets::faithful`),
//!   the file `real/faithful.csv` of the PyPI package plotnine 0.15.9 (MIT licence).
//! - `mcycle`: a motorcycle crash test (Silverman 1985; R's `MASS::mcycle`), the file
//!   `real/mcycle.csv` of the PyPI package pygam 0.9.1 (Apache-2.0 licence).
//!
//! The inputs stay in their units; the outputs are standardised by the whole set's mean
//! and (population) standard deviation, so that the defaults (σ floor, initialisation,
//! learning rate) suit them as they suit the built-in sets. The seed splits the points
//! as it splits your own: a fifth held out for validation, or one fold of several.

use super::userdata::UserData;

/// A real data set (the data sets' names lead to it: `Data::real`): its file and which
/// columns are x and y.
pub struct RealSet {
    csv: &'static str,
    /// Columns of the CSV holding x and y.
    cols: (usize, usize),
    pub x_label: &'static str,
    pub y_label: &'static str,
    /// The story, the units, the standardisation and where the numbers come from.
    pub note: &'static str,
    /// The points as the models see them, read from the file once.
    parsed: std::sync::OnceLock<UserData>,
}

pub static FAITHFUL: RealSet = RealSet {
    csv: include_str!("real/faithful.csv"),
    cols: (1, 0),
    x_label: "waiting time (min)",
    y_label: "eruption duration (standardised)",
    note: "Old Faithful, Yellowstone: 272 eruptions, the minutes waited since the last one \
           against how long the eruption lasted (standardised: 0 is 3.49 min, 1 is 1.14 min). \
           After a short wait the eruption is short, after a long one mostly long, with both \
           kinds in between: two modes. Real measurements (Azzalini & Bowman 1990, from the \
           PyPI package plotnine, MIT licence): no true density is known, so there is no \
           Bayes line; the seed holds out a fifth of the points for validation.",
    parsed: std::sync::OnceLock::new(),
};

pub static MCYCLE: RealSet = RealSet {
    csv: include_str!("real/mcycle.csv"),
    cols: (1, 2),
    x_label: "time after impact (ms)",
    y_label: "head acceleration (standardised)",
    note: "A motorcycle crash test: 133 accelerations of a dummy's head against the \
           milliseconds after impact (standardised: 0 is −25.5 g, 1 is 48.1 g). One answer at \
           each time, but the noise grows from almost none before the impact to tens of g \
           after it: a σ that changes with x. Real measurements (Silverman 1985, from the PyPI \
           package pygam, Apache-2.0 licence): no true density is known, so there is no Bayes \
           line; the seed holds out a fifth of the points for validation.",
    parsed: std::sync::OnceLock::new(),
};

impl RealSet {
    /// The raw (x, y) pairs of the file, in its order.
    pub fn raw(&self) -> Vec<(f64, f64)> {
        let field = |line: &str, c: usize| -> f64 {
            let v = line
                .split(',')
                .nth(c)
                .expect("a shipped file has its columns");
            v.trim()
                .trim_matches('"')
                .parse()
                .expect("a shipped file holds numbers")
        };
        self.csv
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| (field(l, self.cols.0), field(l, self.cols.1)))
            .collect()
    }

    /// The outputs' mean and standard deviation in their units (what 0 and 1 stand for).
    pub fn y_scale(&self) -> (f64, f64) {
        let ys: Vec<f64> = self.raw().iter().map(|p| p.1).collect();
        crate::base::math::mean_sd(&ys)
    }

    /// The points as the models see them: x as it is, y standardised (read from the
    /// file on first use, then kept).
    pub fn points(&self) -> &UserData {
        self.parsed.get_or_init(|| {
            let raw = self.raw();
            let ys: Vec<f64> = raw.iter().map(|p| p.1).collect();
            let (mean, sd) = crate::base::math::mean_sd(&ys);
            UserData {
                cols: 2,
                values: raw
                    .iter()
                    .flat_map(|&(x, y)| [x, (y - mean) / sd])
                    .collect(),
            }
        })
    }
}

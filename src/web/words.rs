//! The plots in words, for a screen reader (the page puts each in a polite live region
//! that describes its figure, at most every few seconds while training): the main plot's
//! branches, the slice's peaks and intervals, the loss panel's latest readings, the 2-D
//! views' poses. Plain text; the page inserts it with `textContent`.

use super::*;

#[wasm_bindgen]
impl Viewer {
    /// The 90% central interval and HPD region at the slice's x0, in words (plain text;
    /// empty for two outputs).
    pub fn slice_intervals(&self, x0: f64) -> String {
        if self.info.dout != 1 {
            return String::new();
        }
        let (x0, mixture, _) = self.slice_at(x0);
        let lang = self.page_lang();
        crate::plot::SliceIntervals::of(&mixture)
            .map(|iv| {
                lang.fill(
                    "At x₀ = {0}: {1}",
                    &[&lang.signed(x0, 3), &iv.describe(lang)],
                )
            })
            .unwrap_or_default()
    }

    /// The main plot in words (plain text): how many branches p(y | x) has over which
    /// stretches of x; empty for two outputs.
    pub fn main_words(&self) -> String {
        if self.info.dout != 1 {
            return String::new();
        }
        let (xs, mixtures) = self.branch_columns();
        crate::forecast::peaks::describe_branches(&xs, &mixtures, self.view().y, self.page_lang())
    }

    /// The slice p(y | x₀) in words (plain text): its peaks with their weights, and
    /// where the MSE prediction falls among them; empty for two outputs.
    pub fn slice_words(&self, x0: f64) -> String {
        if self.info.dout != 1 {
            return String::new();
        }
        let (x0, mixture, baseline) = self.slice_at(x0);
        let label = self.info.y_labels[0];
        let name = if label.chars().count() <= 3 {
            label
        } else {
            "y"
        };
        let lang = self.page_lang();
        crate::forecast::peaks::describe(x0, &mixture, baseline, self.view().y, name, lang)
    }

    /// The loss panel in words (plain text): the latest validation readings against the
    /// best possible (or the kernel estimate's), their trend, the training batches'.
    pub fn loss_words(&self) -> String {
        let [train, val, base] = &self.snapshot.histories;
        let lang = self.page_lang();
        let level = match (self.info.bayes_nll, self.kernel_nll) {
            (Some(b), _) => Some((lang.t("the best possible"), b)),
            (None, Some(k)) => Some((lang.t("the kernel estimate"), k)),
            _ => None,
        };
        crate::train::history::describe(train, val, base, level, lang)
    }

    /// The 2-D views in words (plain text): the target and, for the robot arm, each
    /// likely pose and where its hand lands; empty for one output.
    pub fn pose_words(&mut self) -> String {
        if self.info.dout != 2 {
            return String::new();
        }
        let lang = self.page_lang();
        let said = self.scene().report().describe(lang);
        match self.target_note() {
            note if note.is_empty() => said,
            note => format!("{said} {note}"),
        }
    }
}

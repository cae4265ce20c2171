//! How a step's training points are chosen.

/// Which training points a step uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batch {
    /// Full batch: every step uses the whole training set.
    All,
    /// Mini-batches of this size, drawn without replacement, reshuffled each epoch.
    Size(usize),
}

impl Batch {
    /// The batch size used with `n` training points.
    pub fn size(self, n: usize) -> usize {
        match self {
            Batch::All => n,
            Batch::Size(b) => b.min(n),
        }
    }
}

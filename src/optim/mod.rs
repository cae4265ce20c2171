//! How parameters move: the update rules (SGD with momentum, Adam, AdamW), their learning-
//! rate schedules and settings ([`optimizer`]), and which training points a step uses
//! ([`batches`]). Below the spec, which composes their settings, and below the training
//! that runs them.

pub mod batches;
pub mod optimizer;

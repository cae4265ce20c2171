//! An experiment in training ([`experiment`]): both models stepped side by side on the
//! same mini-batches, a pass over data in blocks ([`pass`]; on threads natively:
//! `threads`), checked and rolled back on a blow-up; its readings of the validation NLL
//! ([`readings`]); its metrics, dead components and alarms ([`diagnostics`]); where it
//! stands, saved and restored whole ([`state`]); the page's helper worker with the bits
//! of one ([`helper`]); what the page is sent ([`snapshot`]); loss histories
//! ([`history`]); K sweeps ([`sweep`]); ensembles ([`ensemble`]); cross-validation on
//! split points ([`folds`]). The update rules and mini-batches it uses are in
//! [`crate::optim`].

pub mod diagnostics;
pub mod ensemble;
pub mod experiment;
pub mod folds;
pub mod helper;
pub mod history;
pub mod pass;
pub mod readings;
pub mod snapshot;
pub mod state;
pub mod sweep;
#[cfg(not(target_arch = "wasm32"))]
pub mod threads;

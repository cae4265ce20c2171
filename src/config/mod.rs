//! The experiment as a link: keys declared once, with their kinds, bounds and messages
//! ([`keys`]), and the spec that composes the settings of every block ([`spec`]).

pub mod keys;
pub mod spec;

//! The experiment as a link: keys declared once, with their kinds, bounds and messages
//! ([`keys`]), the spec that composes the settings of every block ([`spec`]), and the
//! settings that suit a small set of your own points ([`small_data`]).

pub mod keys;
pub mod small_data;
pub mod spec;

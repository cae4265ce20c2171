//! Data: the built-in sets with their truth where it is known ([`dataset`]), and your own
//! points from CSV text or a link ([`userdata`]).

pub mod dataset;
pub mod truth;
pub mod userdata;

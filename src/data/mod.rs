//! Data: the built-in sets with their truth where it is known ([`dataset`]), and your own
//! points from CSV text or a link ([`userdata`]), and real measurements ([`real`]).

pub mod dataset;
pub mod real;
pub mod truth;
pub mod userdata;

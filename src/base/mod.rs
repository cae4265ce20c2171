//! Portable numerics and plumbing, used by every other folder: exp/ln/tanh kernels with
//! the same bits natively and in wasm ([`math`]), eight f32 lanes without fused
//! multiply-adds ([`simd`]), seeded random streams ([`rng`]), little-endian bytes
//! ([`bytes`]), plain text for messages ([`text`]) and the settings' names in links
//! ([`named`]).

pub mod bytes;
pub mod math;
pub mod named;
pub mod rng;
pub(crate) mod simd;
pub mod text;

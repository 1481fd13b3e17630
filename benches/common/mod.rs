//! What the generator benchmarks share: the summing loop and the peers.

pub mod peers;
pub mod summing;

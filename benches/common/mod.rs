//! What the generator benchmarks share: the summing loop, the peers and the coroutine loops.

pub mod coroutines;
pub mod peers;
pub mod summing;

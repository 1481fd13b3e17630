//! What the generator benchmarks share: the summing loop, the peers, the coroutine loops and
//! the shapes one body is driven in.

pub mod coroutines;
pub mod peers;
pub mod shapes;
pub mod summing;

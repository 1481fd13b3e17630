//! cogen's benchmarks against its peers live in this workspace member's bench targets, so that
//! the peers never build for a user of the library, its examples or its tests. BENCHMARKS.md
//! gives each table with the command that reproduces it, e.g.
//! `cargo bench -p cogen-benches --bench generators`.

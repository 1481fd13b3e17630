//! Runs cogen's tests against cogen built with only the features each test needs: see this
//! package's Cargo.toml.

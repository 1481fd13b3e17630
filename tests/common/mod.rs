//! Finding (and if needed building) the examples' executables, for the tests that run them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The example's executable beside this test's (`target/<profile>/examples/<name>`), as
/// `cargo test` builds it; built with cargo when missing or older than its sources.
pub fn example_binary(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    let deps = test_binary.parent().expect("target/<profile>/deps");
    let profile_dir = deps.parent().expect("target/<profile>");
    let binary = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if is_fresh(&binary, name) {
        return binary;
    }
    build_example(name, profile_dir)
}

/// The binary exists and is newer than the example's source, the library's sources and the
/// manifest (so a stale binary from an earlier build is not tested).
fn is_fresh(binary: &Path, name: &str) -> bool {
    let Some(built) = modified(binary) else {
        return false;
    };
    let root = Path::new(MANIFEST_DIR);
    let mut sources = vec![
        root.join("Cargo.toml"),
        root.join("examples").join(format!("{name}.rs")),
    ];
    collect_files(&root.join("src"), &mut sources);
    sources
        .iter()
        .all(|source| modified(source).is_none_or(|time| time <= built))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// Builds the example with the profile of this test binary and returns the executable cargo
/// reports.
fn build_example(name: &str, profile_dir: &Path) -> PathBuf {
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev",
        Some(other) => other,
    };
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "--message-format=json",
            "--example",
            name,
        ])
        .args(["--profile", profile, "--manifest-path"])
        .arg(Path::new(MANIFEST_DIR).join("Cargo.toml"))
        .output()
        .unwrap_or_else(|error| panic!("cannot run cargo to build example {name}: {error}"));
    assert!(
        output.status.success(),
        "cargo build --example {name} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| message["target"]["name"] == name)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo built example {name} but reported no executable"))
}

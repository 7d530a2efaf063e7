//! Shared by the editors_* tests: finding the tools they drive (node, npm,
//! chromium, nvim), failing with a clear message when one is missing.
#![allow(dead_code)]

use devops_intel_e2e::{run_with_timeout, workspace_root, ProcessOutput};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// `.ci/setup.d/50-editors.sh` installs all of these.
pub const SETUP_HINT: &str =
    "install it with `bash .ci/setup.d/50-editors.sh` (apt-get install chromium neovim; npm ci in editors/vscode)";

/// Path of `name` on PATH, or a test failure saying how to install it.
pub fn require_tool(name: &str) -> PathBuf {
    find_on_path(name).unwrap_or_else(|| {
        panic!("`{name}` not found on PATH: the editors tests need it; {SETUP_HINT}")
    })
}

pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Runs a command to completion (bounded), returning its output.
pub fn run(cmd: &mut Command, timeout: Duration) -> ProcessOutput {
    let shown = format!("{cmd:?}");
    run_with_timeout(cmd, timeout).unwrap_or_else(|e| panic!("{shown}: {e}"))
}

/// Fails with both output streams unless the command succeeded.
pub fn assert_success(what: &str, out: &ProcessOutput) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        tail(&out.stdout, 12_000),
        tail(&out.stderr, 6_000)
    );
}

pub fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

pub fn vscode_dir() -> PathBuf {
    workspace_root().join("editors/vscode")
}

pub fn neovim_dir() -> PathBuf {
    workspace_root().join("editors/neovim")
}

/// The npm-based tests share editors/vscode/dist and node_modules: one at a time.
pub fn npm_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// node ≥ 18 and npm present, and editors/vscode/node_modules installed from
/// package-lock.json (`npm ci` here if the setup script has not run it).
pub fn prepare_npm() {
    let node = require_tool("node");
    require_tool("npm");
    let out = run(
        Command::new(&node).arg("--version"),
        Duration::from_secs(30),
    );
    let major: u32 = out
        .stdout
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    assert!(
        major >= 18,
        "node {} is too old: the extension's tooling needs node 18+",
        out.stdout.trim()
    );
    let dir = vscode_dir();
    if !dir.join("node_modules/.package-lock.json").is_file() {
        let out = run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
            Duration::from_secs(600),
        );
        assert_success("npm ci in editors/vscode", &out);
    }
}

pub fn npm(args: &[&str], dir: &Path, envs: &[(&str, &str)], timeout: Duration) -> ProcessOutput {
    let mut cmd = Command::new("npm");
    cmd.args(args).current_dir(dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    run(&mut cmd, timeout)
}

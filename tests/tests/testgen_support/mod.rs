//! Shared by the testgen and coverage e2e tests: the fixture project copied to
//! a temp dir, and real Python/pytest (missing tools fail the test).

#![allow(dead_code)]

use devops_intel_e2e::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const MODULES: &[&str] = &[
    "opskit/storage.py",
    "opskit/notify.py",
    "opskit/deploy.py",
    "opskit/config.py",
    "opskit/files.py",
];

pub fn fixture_dir() -> PathBuf {
    workspace_root().join("tests/workspaces/testgen-demo")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir").flatten() {
        let p = entry.path();
        let name = entry.file_name();
        if name == "__pycache__" || name == ".pytest_cache" || name == "tests" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).expect("copy fixture file");
        }
    }
}

/// The fixture project in a fresh temp workspace (without any tests).
pub fn project() -> TempWorkspace {
    let ws = TempWorkspace::new();
    copy_dir(&fixture_dir(), ws.root());
    ws
}

pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Fails the test (never skips) when python or the packages are missing.
pub fn require_python(modules: &str) {
    let mut cmd = Command::new(python());
    cmd.args(["-c", &format!("import {modules}")]);
    match run_with_timeout(&mut cmd, Duration::from_secs(60)) {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "python cannot import {modules} (run .ci/setup.d/40-testgen.sh): {}",
            out.stderr
        ),
        Err(e) => panic!("python3 is required for this test (.ci/setup.d/40-testgen.sh): {e}"),
    }
}

/// `python -m pytest ARGS` in `cwd`.
pub fn pytest(cwd: &Path, args: &[&str]) -> ProcessOutput {
    let mut cmd = Command::new(python());
    cmd.args(["-m", "pytest", "-p", "no:cacheprovider"])
        .args(args)
        .current_dir(cwd)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    run_with_timeout(&mut cmd, Duration::from_secs(300)).expect("run pytest")
}

/// `(passed, failed, skipped, errors)` from pytest's summary line.
pub fn pytest_counts(output: &str) -> (u32, u32, u32, u32) {
    let line = output
        .lines()
        .rev()
        .find(|l| {
            l.contains(" in ")
                && (l.contains("passed") || l.contains("failed") || l.contains("error"))
        })
        .unwrap_or("");
    let count = |word: &str| {
        let words: Vec<&str> = line
            .split(|c: char| c == ',' || c.is_whitespace() || c == '=')
            .filter(|w| !w.is_empty())
            .collect();
        words
            .windows(2)
            .find(|w| w[1].starts_with(word))
            .and_then(|w| w[0].parse().ok())
            .unwrap_or(0)
    };
    (
        count("passed"),
        count("failed"),
        count("skipped"),
        count("error"),
    )
}

/// Runs `devops-intel testgen` on every fixture module.
pub fn generate_all(ws: &TempWorkspace) {
    for m in MODULES {
        let out = run_cli(&["testgen", m], ws.root());
        assert_eq!(
            out.code(),
            Some(0),
            "testgen {m} failed:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
}

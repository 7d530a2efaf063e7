//! The Django 5.1.4 sources used by the corpus benchmark and the grimp
//! agreement test: `DEVOPS_INTEL_CORPUS`, or the sdist downloaded once with
//! pip and extracted into `<root>/.bench-cache/django-5.1.4/`
//! (`.ci/setup.d/30-graph.sh` pre-fetches it in CI).

use crate::{run_with_timeout, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const DJANGO: &str = "5.1.4";

/// The extracted Django sources (downloading them the first time).
pub fn django_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DEVOPS_INTEL_CORPUS") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.is_dir(),
            "DEVOPS_INTEL_CORPUS={} is not a folder",
            dir.display()
        );
        return dir.canonicalize().unwrap();
    }
    let cache = workspace_root().join(".bench-cache");
    let dir = cache.join(format!("django-{DJANGO}"));
    if dir.join(".complete").is_file() {
        return dir;
    }
    std::fs::create_dir_all(&cache).expect("create .bench-cache");
    let tarball = find_tarball(&cache).unwrap_or_else(|| {
        println!("downloading Django {DJANGO} sources with pip ...");
        let out = run_with_timeout(
            Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                    &format!("django=={DJANGO}"),
                    "-d",
                ])
                .arg(&cache),
            Duration::from_secs(900),
        )
        .expect("run pip download");
        assert!(
            out.status.success(),
            "pip download failed:\n{}\n{}",
            out.stdout,
            out.stderr
        );
        find_tarball(&cache).expect("pip produced no Django tarball")
    });
    let tmp = cache.join("extract.tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let out = run_with_timeout(
        Command::new("tar")
            .arg("xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&tmp),
        Duration::from_secs(600),
    )
    .expect("run tar");
    assert!(out.status.success(), "tar failed: {}", out.stderr);
    let top: Vec<PathBuf> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(top.len(), 1, "unexpected tarball layout: {top:?}");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&top[0], &dir).expect("move extracted sources");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::write(dir.join(".complete"), "").unwrap();
    dir
}

fn find_tarball(cache: &Path) -> Option<PathBuf> {
    std::fs::read_dir(cache)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            name == format!("django-{DJANGO}.tar.gz")
        })
}

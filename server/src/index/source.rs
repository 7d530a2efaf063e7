//! Reading a file from disk into analysable text, with the problems found.

use super::FileProblem;
use std::path::Path;

/// Text to analyse plus what was wrong with the bytes, if anything.
pub struct SourceText {
    pub text: String,
    pub problem: Option<FileProblem>,
}

/// Reads `path`. Files over `max_size` bytes or containing NUL bytes come back
/// empty with a `Skipped` problem; invalid UTF-8 is replaced (U+FFFD) and
/// reported as `InvalidUtf8`. Only I/O failures are errors.
pub fn read_source(path: &Path, max_size: u64) -> std::io::Result<SourceText> {
    let len = std::fs::metadata(path)?.len();
    if len > max_size {
        return Ok(skipped(format!(
            "file is {len} bytes, over the {max_size}-byte limit (max-file-size)"
        )));
    }
    let bytes = std::fs::read(path)?;
    Ok(from_bytes(bytes))
}

pub fn from_bytes(bytes: Vec<u8>) -> SourceText {
    if bytes.contains(&0) {
        return skipped("file contains NUL bytes (binary)".to_string());
    }
    match String::from_utf8(bytes) {
        Ok(text) => SourceText {
            text,
            problem: None,
        },
        Err(e) => SourceText {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            problem: Some(FileProblem::InvalidUtf8),
        },
    }
}

fn skipped(reason: String) -> SourceText {
    SourceText {
        text: String::new(),
        problem: Some(FileProblem::Skipped { reason }),
    }
}

//! Text positions: byte ranges, line index, UTF-8/UTF-16/UTF-32 conversion, and the
//! editable document (rope) kept for open files. Every position conversion in the
//! project lives here.

mod document;
mod line_index;

pub use document::{ContentChange, Document, EditError};
pub use line_index::{Encoding, LineCol, LineIndex};

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a file's UTF-8 text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn contains(&self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn contains_range(&self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn intersects(&self, other: TextRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    pub fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

impl From<std::ops::Range<usize>> for TextRange {
    fn from(r: std::ops::Range<usize>) -> Self {
        Self::new(r.start, r.end)
    }
}

//! An open document: a rope that takes LSP content changes in any encoding and
//! reports each change as a byte-level edit (what `tree.edit()` needs).

use super::{Encoding, LineCol};
use ropey::Rope;

/// One `TextDocumentContentChangeEvent`: a range replacement, or the whole text
/// when `range` is `None`.
#[derive(Clone, Debug)]
pub struct ContentChange {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// A byte-level description of one applied change: the replaced byte range in
/// the old text, the new end, and the (row, byte column) points at each end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteEdit {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start_point: (usize, usize),
    pub old_end_point: (usize, usize),
    pub new_end_point: (usize, usize),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("change range end {end:?} is before its start {start:?}")]
    InvertedRange { start: LineCol, end: LineCol },
}

#[derive(Clone, Debug)]
pub struct Document {
    pub version: i32,
    rope: Rope,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Self {
            version,
            rope: Rope::from_str(text),
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// Applies the changes in order. A position past the end of a line clamps to
    /// the line end and a line past the end clamps to the end of the document,
    /// as editors expect; an inverted range is refused and nothing after it is
    /// applied. Returns `None` in the edit list for full-text replacements.
    pub fn apply_changes(
        &mut self,
        changes: &[ContentChange],
        enc: Encoding,
    ) -> Result<Vec<Option<ByteEdit>>, EditError> {
        let mut edits = Vec::with_capacity(changes.len());
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    edits.push(None);
                }
                Some((start, end)) => {
                    if (end.line, end.col) < (start.line, start.col) {
                        return Err(EditError::InvertedRange { start, end });
                    }
                    edits.push(Some(self.replace(start, end, &change.text, enc)));
                }
            }
        }
        Ok(edits)
    }

    fn replace(&mut self, start: LineCol, end: LineCol, text: &str, enc: Encoding) -> ByteEdit {
        let start_char = self.char_index(start, enc);
        let end_char = self.char_index(end, enc).max(start_char);
        let start_byte = self.rope.char_to_byte(start_char);
        let old_end_byte = self.rope.char_to_byte(end_char);
        let start_point = self.point(start_byte);
        let old_end_point = self.point(old_end_byte);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, text);
        let new_end_byte = start_byte + text.len();
        let new_end_point = match text.rfind('\n') {
            Some(nl) => (
                start_point.0 + text.bytes().filter(|&b| b == b'\n').count(),
                text.len() - nl - 1,
            ),
            None => (start_point.0, start_point.1 + text.len()),
        };
        ByteEdit {
            start_byte,
            old_end_byte,
            new_end_byte,
            start_point,
            old_end_point,
            new_end_point,
        }
    }

    /// Tree-sitter point (row counted in `\n`, column in bytes) of a byte offset.
    fn point(&self, byte: usize) -> (usize, usize) {
        let char_idx = self.rope.byte_to_char(byte);
        let line = self.rope.char_to_line(char_idx);
        let line_byte = self.rope.line_to_byte(line);
        (line, byte - line_byte)
    }

    /// Char index of an LSP position, clamped as described in `apply_changes`.
    fn char_index(&self, pos: LineCol, enc: Encoding) -> usize {
        let line_count = self.rope.len_lines();
        if pos.line as usize >= line_count {
            return self.rope.len_chars();
        }
        let line_start = self.rope.line_to_char(pos.line as usize);
        let line = self.rope.line(pos.line as usize);
        let mut units = 0u32;
        let mut chars = 0usize;
        for ch in line.chars() {
            if ch == '\n' || ch == '\r' || units >= pos.col {
                break;
            }
            let w = match enc {
                Encoding::Utf8 => ch.len_utf8() as u32,
                Encoding::Utf16 => ch.len_utf16() as u32,
                Encoding::Utf32 => 1,
            };
            if units + w > pos.col {
                break;
            }
            units += w;
            chars += 1;
        }
        line_start + chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> ContentChange {
        ContentChange {
            range: Some((LineCol { line: l1, col: c1 }, LineCol { line: l2, col: c2 })),
            text: text.into(),
        }
    }

    #[test]
    fn edits_in_utf16_after_emoji() {
        let mut doc = Document::new("a = '😀'\nb = 1\n", 1);
        // replace the closing quote (utf-16 col 7: the emoji is 2 units) with a double quote
        doc.apply_changes(&[change(0, 7, 0, 8, "\"")], Encoding::Utf16)
            .unwrap();
        assert_eq!(doc.text(), "a = '😀\"\nb = 1\n");
        // utf-8 col 10 is after the double quote (the emoji is 4 bytes)
        doc.apply_changes(&[change(0, 10, 0, 10, "x")], Encoding::Utf8)
            .unwrap();
        assert_eq!(doc.text(), "a = '😀\"x\nb = 1\n");
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let mut doc = Document::new("ab\ncd", 1);
        let edits = doc
            .apply_changes(&[change(0, 50, 7, 0, "!")], Encoding::Utf16)
            .unwrap();
        assert_eq!(doc.text(), "ab!");
        let e = edits[0].unwrap();
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (2, 5, 3));
        assert!(doc
            .apply_changes(&[change(1, 0, 0, 0, "")], Encoding::Utf16)
            .is_err());
    }
}

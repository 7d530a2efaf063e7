//! Line index in the spirit of rust-analyzer's: line starts plus the multi-byte
//! characters of each non-ASCII line, so converting between byte offsets and
//! (line, column) in any encoding costs a binary search and a short scan.
//!
//! Line breaks are `\n`, `\r\n` and `\r`, as in the LSP specification.

use super::TextRange;
use serde::{Deserialize, Serialize};

/// Column unit negotiated with the client (`positionEncoding`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and a zero-based column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WideChar {
    /// Byte column of the character within its line.
    col: u32,
    /// Its length in UTF-8 bytes (2, 3 or 4).
    len: u8,
}

impl WideChar {
    fn len_in(&self, enc: Encoding) -> u32 {
        match enc {
            Encoding::Utf8 => self.len as u32,
            Encoding::Utf16 => {
                if self.len == 4 {
                    2
                } else {
                    1
                }
            }
            Encoding::Utf32 => 1,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    /// Byte offset where each line's content ends (before its line break).
    /// Stored only as the break length per line to keep the index small,
    /// and not at all (empty) when every break is `\n`, as in most files.
    break_len: Vec<u8>,
    /// Multi-byte characters, per line, for lines that have any; sorted by line.
    wide: Vec<(u32, Box<[WideChar]>)>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        let mut break_len = Vec::new();
        let mut wide = Vec::new();
        // Characters are looked at one by one only on non-ASCII lines of a
        // non-ASCII file; breaks are found by memchr.
        let ascii = bytes.is_ascii();
        if ascii && memchr::memchr(b'\r', bytes).is_none() {
            // the common case: one pass for `\n`, nothing else to record
            line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
            return Self {
                line_starts,
                break_len,
                wide,
                len: bytes.len() as u32,
            };
        }
        let mut wide_line = |line: usize, start: usize, end: usize| {
            if ascii || bytes[start..end].is_ascii() {
                return;
            }
            let chars = text[start..end].char_indices();
            let found: Box<[WideChar]> = chars
                .filter(|(_, c)| !c.is_ascii())
                .map(|(col, c)| WideChar {
                    col: col as u32,
                    len: c.len_utf8() as u8,
                })
                .collect();
            wide.push((line as u32, found));
        };
        let mut line_start = 0usize;
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if end < line_start {
                continue; // the `\n` of a `\r\n` already taken
            }
            wide_line(line_starts.len() - 1, line_start, end);
            let len = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            break_len.push(len as u8);
            line_start = end + len;
            line_starts.push(line_start as u32);
        }
        wide_line(line_starts.len() - 1, line_start, bytes.len());
        break_len.push(0);
        Self {
            line_starts,
            break_len,
            wide,
            len: bytes.len() as u32,
        }
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Byte offset of the start of `line`, if the line exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line as usize).copied()
    }

    /// Byte range of `line`'s content, without its line break.
    pub fn line_range(&self, line: u32) -> Option<TextRange> {
        let start = self.line_start(line)?;
        let next = self
            .line_starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        let brk = match self.break_len.get(line as usize) {
            Some(&len) => len as u32,
            // no `\r` anywhere: a `\n` ends every line but the last
            None if self.break_len.is_empty() && (line as usize) + 1 < self.line_starts.len() => 1,
            None => 0,
        };
        Some(TextRange {
            start,
            end: next - brk,
        })
    }

    /// Zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&s| s <= offset) - 1) as u32
    }

    fn wide_chars(&self, line: u32) -> &[WideChar] {
        match self.wide.binary_search_by_key(&line, |(l, _)| *l) {
            Ok(i) => &self.wide[i].1,
            Err(_) => &[],
        }
    }

    /// Converts a byte offset to a line and a column in `enc`.
    pub fn line_col(&self, offset: u32, enc: Encoding) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let col8 = offset - self.line_starts[line as usize];
        let mut col = col8;
        if enc != Encoding::Utf8 {
            for wc in self.wide_chars(line) {
                if wc.col >= col8 {
                    break;
                }
                col -= wc.len as u32 - wc.len_in(enc);
            }
        }
        LineCol { line, col }
    }

    /// Converts a line and a column in `enc` to a byte offset. A column past the
    /// end of the line clamps to the line's end (as the LSP spec asks); a column
    /// inside a multi-byte character rounds down to its start. Returns `None`
    /// when the line does not exist (except the line just after the last,
    /// which maps to the end of the text).
    pub fn offset(&self, pos: LineCol, enc: Encoding) -> Option<u32> {
        if pos.line as usize >= self.line_starts.len() {
            return None;
        }
        let range = self.line_range(pos.line)?;
        let line_len8 = range.len();
        let mut remaining = pos.col;
        let mut col8 = 0u32;
        for wc in self.wide_chars(pos.line) {
            let ascii_run = wc.col - col8;
            if remaining <= ascii_run {
                return Some(range.start + col8 + remaining);
            }
            remaining -= ascii_run;
            col8 = wc.col;
            let units = wc.len_in(enc);
            if remaining < units {
                return Some(range.start + col8);
            }
            remaining -= units;
            col8 += wc.len as u32;
        }
        Some(range.start + (col8 + remaining).min(line_len8))
    }

    /// Like [`offset`](Self::offset) but clamps a line past the end to the end of
    /// the text, which is what editors expect for a change range.
    pub fn offset_clamped(&self, pos: LineCol, enc: Encoding) -> u32 {
        self.offset(pos, enc).unwrap_or(self.len)
    }

    /// Rough memory used by the index, in bytes.
    pub fn heap_size(&self) -> usize {
        self.line_starts.capacity() * 4
            + self.break_len.capacity()
            + self
                .wide
                .iter()
                .map(|(_, w)| 16 + w.len() * std::mem::size_of::<WideChar>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_round_trip() {
        let idx = LineIndex::new("ab\ncd\r\nef\rg");
        assert_eq!(idx.line_count(), 4);
        assert_eq!(
            idx.line_col(4, Encoding::Utf16),
            LineCol { line: 1, col: 1 }
        );
        assert_eq!(
            idx.offset(LineCol { line: 2, col: 1 }, Encoding::Utf16),
            Some(8)
        );
        assert_eq!(
            idx.offset(LineCol { line: 3, col: 0 }, Encoding::Utf16),
            Some(10)
        );
        // past the end of the line clamps to the line end, before the break
        assert_eq!(
            idx.offset(LineCol { line: 1, col: 99 }, Encoding::Utf8),
            Some(5)
        );
        assert_eq!(
            idx.offset(LineCol { line: 9, col: 0 }, Encoding::Utf8),
            None
        );
    }

    #[test]
    fn lines_of_newline_only_text() {
        // the fast path (ASCII, no `\r`) records no break lengths
        for text in ["", "a", "a\n", "a\nbb\n\nccc", "\n\n", "x = 1\n# é\n"] {
            let idx = LineIndex::new(text);
            let mut start = 0;
            let lines: Vec<&str> = text.split('\n').collect();
            assert_eq!(idx.line_count() as usize, lines.len(), "{text:?}");
            for (i, line) in lines.iter().enumerate() {
                let want = TextRange::new(start, start + line.len());
                assert_eq!(idx.line_range(i as u32), Some(want), "{text:?} line {i}");
                start += line.len() + 1;
            }
            assert_eq!(idx.line_range(lines.len() as u32), None);
        }
    }

    #[test]
    fn wide_chars_in_every_encoding() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 UTF-16 units; "漢" 3 bytes.
        let text = "x = \"é😀漢\" + y\n";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap() as u32;
        assert_eq!(idx.line_col(y, Encoding::Utf8).col, y);
        assert_eq!(idx.line_col(y, Encoding::Utf16).col, 13);
        assert_eq!(idx.line_col(y, Encoding::Utf32).col, 12);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lc = idx.line_col(y, enc);
            assert_eq!(idx.offset(lc, enc), Some(y), "{enc:?}");
        }
        // a UTF-16 column inside the surrogate pair rounds down to the emoji start
        let emoji = text.find('😀').unwrap() as u32;
        assert_eq!(
            idx.offset(LineCol { line: 0, col: 7 }, Encoding::Utf16),
            Some(emoji)
        );
    }

    /// Every offset of texts mixing `\n`, `\r\n`, lone `\r`, empty lines and
    /// wide characters (first, last, on the last line) maps to the line and
    /// columns a character-by-character count gives, and back.
    #[test]
    fn matches_a_character_count() {
        let texts = [
            "",
            "\n",
            "\r\n\r\n",
            "a\rb\r\nc\n\nd",
            "é\n漢字 x\r\n😀\r",
            "ascii\nthen é at the end é",
            "\r\r\n\n😀😀\nz",
        ];
        for text in texts {
            let idx = LineIndex::new(text);
            let (mut line, mut col) = (0u32, [0u32; 3]);
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let encs = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];
                for (k, enc) in encs.into_iter().enumerate() {
                    let lc = LineCol { line, col: col[k] };
                    assert_eq!(idx.line_col(i as u32, enc), lc, "{text:?} at {i} {enc:?}");
                    assert_eq!(
                        idx.offset(lc, enc),
                        Some(i as u32),
                        "{text:?} at {i} {enc:?}"
                    );
                }
                let crlf = c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n');
                if crlf {
                    chars.next();
                }
                if c == '\n' || c == '\r' {
                    line += 1;
                    col = [0; 3];
                } else {
                    let u = [c.len_utf8(), c.len_utf16(), 1];
                    for k in 0..3 {
                        col[k] += u[k] as u32;
                    }
                }
            }
            assert_eq!(idx.line_count(), line + 1, "{text:?}");
        }
    }
}

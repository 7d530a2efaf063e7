//! Suppression comments: `# devops-intel: ignore[ID,…]` (or bare), `# nosec`
//! (optionally with bandit ids) for SEC rules and rules with a bandit peer, and `# noqa: S602`-style codes
//! mapped through each rule's peer ids. A comment applies on the finding's first
//! line, or on the first or last line of the statement that contains it.

use super::{Category, Finding};
use crate::index::{Suppression, SuppressionKind};
use crate::text::{LineIndex, TextRange};
use smol_str::SmolStr;
use tree_sitter::{Node, Tree};

pub fn parse(src: &str, comments: &[TextRange], line_index: &LineIndex) -> Vec<Suppression> {
    let mut out = Vec::new();
    for &range in comments {
        let text = range.slice(src);
        let found = if let Some(pos) =
            find_ci(text, "devops-intel: ignore").or_else(|| find_ci(text, "devops-intel:ignore"))
        {
            let rest = &text[pos..];
            let codes = rest
                .find('[')
                .and_then(|open| {
                    rest[open + 1..]
                        .find(']')
                        .map(|close| &rest[open + 1..open + 1 + close])
                })
                .map(split_codes);
            Some((SuppressionKind::Native, codes))
        } else if let Some(pos) = find_ci(text, "nosec") {
            let codes = split_codes(&text[pos + 5..]);
            let codes: Vec<SmolStr> = codes.into_iter().filter(|c| is_peer_code(c)).collect();
            Some((SuppressionKind::Nosec, (!codes.is_empty()).then_some(codes)))
        } else if let Some(pos) = find_ci(text, "noqa:") {
            let codes = split_codes(&text[pos + 5..]);
            (!codes.is_empty()).then_some((SuppressionKind::Noqa, Some(codes)))
        } else {
            None
        };
        if let Some((kind, codes)) = found {
            out.push(Suppression {
                line: line_index.line_of(range.start),
                range,
                codes,
                kind,
                used: false,
            });
        }
    }
    out
}

/// Byte offset of `needle` (lowercase ASCII) in `hay`, ignoring ASCII case;
/// most comments are prose, so this runs on every one without allocating.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let first = needle[0];
    let mut from = 0;
    while let Some(i) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..]) {
        let at = from + i;
        if hay.len() - at >= needle.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn split_codes(s: &str) -> Vec<SmolStr> {
    s.split(|c: char| c == ',' || c == ':' || c.is_whitespace())
        .map(str::trim)
        .take_while(|t| t.is_empty() || t.chars().all(|c| c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(|t| SmolStr::new(t.to_ascii_uppercase()))
        .collect()
}

fn is_bandit_id(code: &str) -> bool {
    code.len() >= 4 && code.starts_with('B') && code[1..].bytes().all(|b| b.is_ascii_digit())
}

fn is_peer_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('B' | 'S'))
        && chars.clone().count() >= 3
        && chars.all(|c| c.is_ascii_digit())
}

fn applies(s: &Suppression, f: &Finding) -> bool {
    let meta = f.meta();
    match (&s.kind, &s.codes) {
        (SuppressionKind::Native, None) => true,
        // bandit users put a bare `# nosec` on everything bandit reports:
        // every SEC rule, and the REL rules with a bandit equivalent (B113, B110…).
        (SuppressionKind::Nosec, None) => {
            meta.category == Category::Security || meta.peers.iter().any(|p| is_bandit_id(p))
        }
        (_, Some(codes)) => codes.iter().any(|c| {
            meta.id.starts_with(c.as_str()) || meta.peers.iter().any(|p| p.eq_ignore_ascii_case(c))
        }),
        (SuppressionKind::Noqa, None) => false,
    }
}

/// Lines on which a suppression for `f` may sit.
fn candidate_lines(f: &Finding, tree: &Tree, idx: &LineIndex) -> [u32; 3] {
    let first = idx.line_of(f.range.start);
    let stmt = statement_of(tree, f.range);
    let (s, e) = stmt.map_or((first, first), |n| {
        (
            idx.line_of(n.start_byte() as u32),
            idx.line_of(n.end_byte().saturating_sub(1) as u32),
        )
    });
    [first, s, e]
}

fn statement_of(tree: &Tree, range: TextRange) -> Option<Node<'_>> {
    let mut node = tree
        .root_node()
        .descendant_for_byte_range(range.start as usize, range.end as usize)?;
    loop {
        let parent = node.parent()?;
        if matches!(parent.kind(), "module" | "block") {
            return Some(node);
        }
        node = parent;
    }
}

/// True if a suppression silences `f`; marks the suppression used.
pub fn silences(f: &Finding, sups: &mut [Suppression], tree: &Tree, idx: &LineIndex) -> bool {
    let lines = candidate_lines(f, tree, idx);
    let mut hit = false;
    for s in sups.iter_mut() {
        if lines.contains(&s.line) && applies(s, f) {
            s.used = true;
            hit = true;
        }
    }
    hit
}

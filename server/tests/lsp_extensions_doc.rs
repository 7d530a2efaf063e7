//! The custom methods documented in docs/lsp-extensions.md are exactly the ones
//! the server registers.

#[test]
fn documented_methods_match_implemented_ones() {
    let doc = include_str!("../docs/lsp-extensions.md");
    let mut documented: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("### `"))
        .filter_map(|l| l.strip_suffix('`'))
        .collect();
    let mut implemented = devops_intel::lsp::EXTENSION_METHODS.to_vec();
    documented.sort();
    implemented.sort();
    assert_eq!(documented, implemented);
}

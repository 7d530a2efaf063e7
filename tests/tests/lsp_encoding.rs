//! Position encodings: negotiation, diagnostic columns after non-ASCII text,
//! and incremental edits expressed in each encoding.

use devops_intel_e2e::*;

const LINE: &str = r#"x = "😀漢字"; requests.get(url)"#;

fn text() -> String {
    format!("import requests\n{LINE}\n")
}

fn negotiated(offer: Option<&[&str]>) -> String {
    let ws = TempWorkspace::new();
    let mut opts = InitOptions::root(ws.root());
    if let Some(o) = offer {
        opts = opts.encodings(o);
    }
    let (c, init) = LspClient::start_initialized(&opts);
    init["capabilities"]["positionEncoding"]
        .as_str()
        .unwrap_or_else(|| c.fail(&format!("no positionEncoding in {init}")))
        .to_string()
}

#[test]
fn encoding_negotiation() {
    assert_eq!(negotiated(None), "utf-16", "absent list");
    assert_eq!(negotiated(Some(&["utf-8"])), "utf-8", "[utf-8]");
    assert_eq!(negotiated(Some(&["utf-32"])), "utf-32", "[utf-32]");
    assert_eq!(
        negotiated(Some(&["utf-8", "utf-16"])),
        "utf-16",
        "[utf-8, utf-16]"
    );
    assert_eq!(
        negotiated(Some(&["utf-32", "utf-8"])),
        "utf-32",
        "[utf-32, utf-8]"
    );
    assert_eq!(
        negotiated(Some(&["utf-8", "utf-32"])),
        "utf-8",
        "[utf-8, utf-32]"
    );
}

/// Opens `text()` with a client offering `offer`; returns the REL001 range.
fn rel001_range(offer: Option<&[&str]>, expect_enc: &str) -> (u32, u32, u32, u32) {
    let ws = TempWorkspace::new();
    let mut opts = InitOptions::root(ws.root());
    if let Some(o) = offer {
        opts = opts.encodings(o);
    }
    let (mut c, init) = LspClient::start_initialized(&opts);
    assert_eq!(
        init["capabilities"]["positionEncoding"], expect_enc,
        "{init}"
    );
    let uri = ws.uri("emoji.py");
    c.did_open(&uri, &text(), 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    let d = diags(&p);
    assert_eq!(d.len(), 1, "{p}");
    assert_eq!(d[0].code, "REL001", "{p}");
    d[0].range
}

#[test]
fn diagnostic_columns_utf16_default() {
    // x = "(5) 😀(2) 漢字(2) "; (3) -> 12; requests.get is 12 units.
    assert_eq!(span_of(LINE, "requests.get", Enc::Utf16), (12, 24));
    assert_eq!(rel001_range(None, "utf-16"), (1, 12, 1, 24));
}

#[test]
fn diagnostic_columns_utf8() {
    // x = "(5) 😀(4) 漢字(6) "; (3) -> 18.
    assert_eq!(span_of(LINE, "requests.get", Enc::Utf8), (18, 30));
    assert_eq!(rel001_range(Some(&["utf-8"]), "utf-8"), (1, 18, 1, 30));
}

#[test]
fn diagnostic_columns_utf32() {
    // x = "(5) 😀(1) 漢字(2) "; (3) -> 11.
    assert_eq!(span_of(LINE, "requests.get", Enc::Utf32), (11, 23));
    assert_eq!(rel001_range(Some(&["utf-32"]), "utf-32"), (1, 11, 1, 23));
}

/// Replaces the `x` after the emoji, then appends a call after more non-ASCII
/// text, with positions in `enc`; checks the server's text and the new range.
fn edit_after_emoji(enc: Enc, offer: Option<&[&str]>) {
    let ws = TempWorkspace::new();
    let mut opts = InitOptions::root(ws.root());
    if let Some(o) = offer {
        opts = opts.encodings(o);
    }
    let (mut c, init) = LspClient::start_initialized(&opts);
    assert_eq!(init["capabilities"]["positionEncoding"], enc.as_str());
    let uri = ws.uri("edit.py");
    let mut model = String::from("import requests\ns = \"😀x\"\nz = \"漢😀\"; \n");
    c.did_open(&uri, &model, 1);
    c.wait_diagnostics_version(&uri, 1);

    // 1) Replace `x` (right after the emoji) with `y`.
    let line1 = "s = \"😀x\"";
    let (xs, xe) = span_of(line1, "x", enc);
    let ch = change(1, xs, 1, xe, "y");
    apply_change(&mut model, &ch, enc);
    assert!(model.contains("s = \"😀y\""), "model: {model}");
    c.did_change(&uri, 2, vec![ch]);
    let p = c.wait_diagnostics_version(&uri, 2);
    assert_eq!(diag_keys(&p), vec![], "{p}");

    // 2) Append a call at the end of line 2 (after CJK + emoji).
    let line2 = "z = \"漢😀\"; ";
    let end = col_of(line2, line2.len(), enc);
    let ch = change(2, end, 2, end, "requests.get(url)");
    apply_change(&mut model, &ch, enc);
    c.did_change(&uri, 3, vec![ch]);
    let p = c.wait_diagnostics_version(&uri, 3);
    let st = c.document_state(&uri).expect("documentState");
    assert_eq!(
        st["text"].as_str().unwrap_or_default(),
        "import requests\ns = \"😀y\"\nz = \"漢😀\"; requests.get(url)\n",
        "server text after {enc:?} edits"
    );
    assert_eq!(st["text"].as_str().unwrap_or_default(), model);
    let full_line2 = "z = \"漢😀\"; requests.get(url)";
    let (s, e) = span_of(full_line2, "requests.get", enc);
    assert_eq!(
        diag_keys(&p),
        vec![("REL001".to_string(), (2, s, 2, e))],
        "{enc:?}: {p}"
    );

    // 3) Delete the emoji on line 1 (a whole surrogate pair in UTF-16).
    let line1 = "s = \"😀y\"";
    let (es, ee) = span_of(line1, "😀", enc);
    let ch = change(1, es, 1, ee, "");
    apply_change(&mut model, &ch, enc);
    c.did_change(&uri, 4, vec![ch]);
    c.wait_diagnostics_version(&uri, 4);
    let st = c.document_state(&uri).expect("documentState");
    assert_eq!(st["text"].as_str().unwrap_or_default(), model);
    assert!(model.contains("s = \"y\""), "model: {model}");
}

#[test]
fn incremental_edit_after_emoji_utf16() {
    edit_after_emoji(Enc::Utf16, None);
}

#[test]
fn incremental_edit_after_emoji_utf8() {
    edit_after_emoji(Enc::Utf8, Some(&["utf-8"]));
}

#[test]
fn incremental_edit_after_emoji_utf32() {
    edit_after_emoji(Enc::Utf32, Some(&["utf-32"]));
}

#[test]
fn utf16_edit_offsets_differ_from_utf8() {
    // Sanity check of the test's own model: the same edit lands differently.
    let line = "s = \"😀x\"";
    assert_eq!(span_of(line, "x", Enc::Utf16), (7, 8));
    assert_eq!(span_of(line, "x", Enc::Utf8), (9, 10));
    assert_eq!(span_of(line, "x", Enc::Utf32), (6, 7));
}

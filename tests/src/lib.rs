//! Shared helpers for end-to-end tests: a small synchronous LSP client that
//! drives the real `devops-intel serve` binary over stdio, a CLI runner, and
//! temporary fixture workspaces.
//!
//! Every wait has a deadline: a hung or crashed server makes the test fail
//! (with the tail of the server's stderr in the panic message), never hang.

pub mod corpus;

use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Default bound on any single wait for the server.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// Token the server uses for its indexing progress.
pub const INDEX_PROGRESS_TOKEN: &str = "devops-intel/index";

// ---------------------------------------------------------------------------
// Locating and building the binary
// ---------------------------------------------------------------------------

/// The cargo workspace root (`tests/..`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests crate has a parent folder")
        .to_path_buf()
}

/// `server/resources/test/fixtures/rules`.
pub fn rule_fixtures_dir() -> PathBuf {
    workspace_root().join("server/resources/test/fixtures/rules")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

/// The cargo target folder (`CARGO_TARGET_DIR` or `<root>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                workspace_root().join(d)
            }
        }
        None => workspace_root().join("target"),
    }
}

static DEBUG_BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
static RELEASE_BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// Path of the `devops-intel` binary for the debug profile (what the e2e tests
/// use). `DEVOPS_INTEL_BIN` wins if set. Otherwise the binary is built once per
/// test process with `cargo build -p devops-intel --bin devops-intel` (a no-op
/// when it is up to date, and it keeps a stale binary from being tested).
/// Panics (fails the test) if the binary cannot be found or built.
pub fn binary() -> PathBuf {
    binary_for(Profile::Debug)
}

pub fn binary_for(profile: Profile) -> PathBuf {
    let cell = match profile {
        Profile::Debug => &DEBUG_BIN,
        Profile::Release => &RELEASE_BIN,
    };
    cell.get_or_init(|| locate_or_build(profile))
        .clone()
        .unwrap_or_else(|e| panic!("devops-intel binary unavailable: {e}"))
}

fn locate_or_build(profile: Profile) -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("DEVOPS_INTEL_BIN") {
        let bin = PathBuf::from(bin);
        return if bin.is_file() {
            Ok(bin)
        } else {
            Err(format!("DEVOPS_INTEL_BIN={} does not exist", bin.display()))
        };
    }
    let dir = match profile {
        Profile::Debug => "debug",
        Profile::Release => "release",
    };
    let bin = target_dir()
        .join(dir)
        .join(format!("devops-intel{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root()).args([
        "build",
        "-p",
        "devops-intel",
        "--bin",
        "devops-intel",
    ]);
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    let out = run_with_timeout(&mut cmd, Duration::from_secs(1800))
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build -p devops-intel failed ({}):\n{}",
            out.status, out.stderr
        ));
    }
    if !bin.is_file() {
        return Err(format!("{} missing after cargo build", bin.display()));
    }
    Ok(bin)
}

// ---------------------------------------------------------------------------
// Running processes with a deadline
// ---------------------------------------------------------------------------

#[derive(Debug)]
pub struct ProcessOutput {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl ProcessOutput {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

/// Runs `cmd` to completion, killing it (and returning an error) after `timeout`.
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> std::io::Result<ProcessOutput> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = wait_child(&mut child, timeout);
    let status = match status {
        Some(s) => s,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("{cmd:?} did not finish within {timeout:?}"),
            ));
        }
    };
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    Ok(ProcessOutput {
        status,
        stdout,
        stderr,
    })
}

fn wait_child(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `devops-intel ARGS` in `cwd` (60 s bound).
pub fn run_cli(args: &[&str], cwd: &Path) -> ProcessOutput {
    let mut cmd = Command::new(binary());
    cmd.args(args).current_dir(cwd);
    run_with_timeout(&mut cmd, Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("devops-intel {args:?}: {e}"))
}

// ---------------------------------------------------------------------------
// URIs and fixture workspaces
// ---------------------------------------------------------------------------

/// `file://` URI for an absolute path, percent-encoding everything but
/// unreserved characters and `/`.
pub fn path_to_uri(path: &Path) -> String {
    let s = path.to_string_lossy();
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Path of a `file://` URI (percent-decoded).
pub fn uri_to_path(uri: &str) -> PathBuf {
    let rest = uri
        .strip_prefix("file://")
        .unwrap_or_else(|| panic!("not a file URI: {uri}"));
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8_lossy(&out).into_owned())
}

/// Whether two file URIs name the same path (ignoring percent-encoding choices).
pub fn same_uri(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let cheap_differs = !a.contains('%')
        && !b.contains('%')
        && !a.contains("localhost")
        && !b.contains("localhost");
    !cheap_differs
        && a.starts_with("file:")
        && b.starts_with("file:")
        && uri_to_path(a) == uri_to_path(b)
}

/// A temporary folder holding a fixture workspace; removed on drop.
pub struct TempWorkspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Default for TempWorkspace {
    fn default() -> Self {
        Self::new()
    }
}

impl TempWorkspace {
    pub fn new() -> Self {
        Self::new_in(&std::env::temp_dir())
    }

    /// A workspace inside `parent` (which must exist).
    pub fn new_in(parent: &Path) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("di-e2e-")
            .tempdir_in(parent)
            .expect("create temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        Self { _dir: dir, root }
    }

    pub fn with_files(files: &[(&str, &str)]) -> Self {
        let ws = Self::new();
        for (rel, text) in files {
            ws.write(rel, text);
        }
        ws
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn root_uri(&self) -> String {
        path_to_uri(&self.root)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn uri(&self, rel: &str) -> String {
        path_to_uri(&self.path(rel))
    }

    /// Writes a file (creating parent folders); returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create fixture folders");
        }
        std::fs::write(&path, contents).expect("write fixture file");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read fixture file")
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove fixture file");
    }
}

// ---------------------------------------------------------------------------
// Position encodings and a local model of incremental edits
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

impl Enc {
    pub fn as_str(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
            Enc::Utf32 => "utf-32",
        }
    }

    pub fn units(self, c: char) -> u32 {
        match self {
            Enc::Utf8 => c.len_utf8() as u32,
            Enc::Utf16 => c.len_utf16() as u32,
            Enc::Utf32 => 1,
        }
    }
}

/// Column (in `enc` units) of byte offset `byte` within `line`.
pub fn col_of(line: &str, byte: usize, enc: Enc) -> u32 {
    line[..byte].chars().map(|c| enc.units(c)).sum()
}

/// `(start, end)` columns in `enc` of the first occurrence of `needle` in `line`.
pub fn span_of(line: &str, needle: &str, enc: Enc) -> (u32, u32) {
    let b = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    (col_of(line, b, enc), col_of(line, b + needle.len(), enc))
}

/// Byte offset of an LSP position (`\n` line ends). Panics when out of range.
pub fn offset_of(text: &str, line: u32, character: u32, enc: Enc) -> usize {
    let mut start = 0usize;
    for _ in 0..line {
        start += text[start..]
            .find('\n')
            .unwrap_or_else(|| panic!("line {line} out of range"))
            + 1;
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0u32;
    for (i, c) in text[start..line_end].char_indices() {
        if units >= character {
            assert_eq!(units, character, "position inside a character");
            return start + i;
        }
        units += enc.units(c);
    }
    assert!(
        units >= character,
        "character {character} past end of line {line}"
    );
    line_end
}

/// Applies one LSP content change (with or without `range`) to `text`.
pub fn apply_change(text: &mut String, change: &Value, enc: Enc) {
    let new = change["text"].as_str().expect("change text");
    match change.get("range") {
        None | Some(Value::Null) => *text = new.to_string(),
        Some(r) => {
            let pos = |p: &Value| {
                offset_of(
                    text,
                    p["line"].as_u64().unwrap() as u32,
                    p["character"].as_u64().unwrap() as u32,
                    enc,
                )
            };
            let (s, e) = (pos(&r["start"]), pos(&r["end"]));
            text.replace_range(s..e, new);
        }
    }
}

/// An incremental content change.
pub fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> Value {
    json!({
        "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
        "text": text,
    })
}

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

/// A diagnostic, flattened for comparisons.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Diag {
    pub code: String,
    /// `(start line, start character, end line, end character)`.
    pub range: (u32, u32, u32, u32),
    pub severity: Option<i64>,
    pub source: Option<String>,
    pub message: String,
}

impl Diag {
    pub fn from_value(v: &Value) -> Diag {
        let n = |p: &Value| p.as_u64().expect("position number") as u32;
        let r = &v["range"];
        Diag {
            code: match &v["code"] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            },
            range: (
                n(&r["start"]["line"]),
                n(&r["start"]["character"]),
                n(&r["end"]["line"]),
                n(&r["end"]["character"]),
            ),
            severity: v["severity"].as_i64(),
            source: v["source"].as_str().map(str::to_string),
            message: v["message"].as_str().unwrap_or_default().to_string(),
        }
    }

    /// `(code, range)`, the usual thing to compare.
    pub fn key(&self) -> (String, (u32, u32, u32, u32)) {
        (self.code.clone(), self.range)
    }
}

/// The diagnostics of a `publishDiagnostics` params object or a full
/// `textDocument/diagnostic` report, sorted.
pub fn diags(params: &Value) -> Vec<Diag> {
    let list = params
        .get("diagnostics")
        .or_else(|| params.get("items"))
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no diagnostics/items in {params}"));
    let mut v: Vec<Diag> = list.iter().map(Diag::from_value).collect();
    v.sort();
    v
}

/// Sorted `(code, range)` keys of `params`' diagnostics.
pub fn diag_keys(params: &Value) -> Vec<(String, (u32, u32, u32, u32))> {
    diags(params).iter().map(Diag::key).collect()
}

// ---------------------------------------------------------------------------
// The LSP client
// ---------------------------------------------------------------------------

/// A JSON-RPC error response.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorValue {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl ErrorValue {
    fn from_value(v: &Value) -> Self {
        ErrorValue {
            code: v["code"].as_i64().unwrap_or(0),
            message: v["message"].as_str().unwrap_or_default().to_string(),
            data: v.get("data").cloned(),
        }
    }
}

/// A notification received from the server.
#[derive(Clone, Debug)]
pub struct Notification {
    pub method: String,
    pub params: Value,
}

/// What the client puts in `initialize`.
#[derive(Clone, Debug, Default)]
pub struct InitOptions {
    /// Sent as `rootUri` and as the first workspace folder.
    pub root: Option<PathBuf>,
    /// More workspace folders.
    pub extra_folders: Vec<PathBuf>,
    /// Send `rootUri` only, no `workspaceFolders`.
    pub root_uri_only: bool,
    /// `capabilities.general.positionEncodings`; `None` leaves it out.
    pub position_encodings: Option<Vec<String>>,
    /// `capabilities.window.workDoneProgress`.
    pub work_done_progress: bool,
    /// Declare `textDocument.diagnostic` (pull diagnostics).
    pub pull_diagnostics: bool,
    pub initialization_options: Option<Value>,
}

impl InitOptions {
    pub fn root(root: &Path) -> Self {
        InitOptions {
            root: Some(root.to_path_buf()),
            ..Default::default()
        }
    }

    pub fn encodings(mut self, encs: &[&str]) -> Self {
        self.position_encodings = Some(encs.iter().map(|s| s.to_string()).collect());
        self
    }

    pub fn progress(mut self) -> Self {
        self.work_done_progress = true;
        self
    }

    pub fn pull(mut self) -> Self {
        self.pull_diagnostics = true;
        self
    }

    pub fn options(mut self, v: Value) -> Self {
        self.initialization_options = Some(v);
        self
    }

    pub fn to_params(&self) -> Value {
        let mut caps = json!({
            "window": {"workDoneProgress": self.work_done_progress},
            "workspace": {
                "workspaceFolders": true,
                "configuration": true,
                "didChangeWatchedFiles": {"dynamicRegistration": true},
            },
            "textDocument": {
                "synchronization": {"dynamicRegistration": false, "didSave": true},
                "publishDiagnostics": {"versionSupport": true, "relatedInformation": true},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
            },
        });
        if let Some(encs) = &self.position_encodings {
            caps["general"] = json!({"positionEncodings": encs});
        }
        if self.pull_diagnostics {
            caps["textDocument"]["diagnostic"] =
                json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
        }
        let mut params = json!({
            "processId": std::process::id(),
            "clientInfo": {"name": "devops-intel-e2e", "version": "0"},
            "capabilities": caps,
        });
        if let Some(root) = &self.root {
            params["rootUri"] = json!(path_to_uri(root));
            if !self.root_uri_only {
                let mut folders = vec![root.clone()];
                folders.extend(self.extra_folders.iter().cloned());
                params["workspaceFolders"] = Value::Array(
                    folders
                        .iter()
                        .map(|f| {
                            json!({
                                "uri": path_to_uri(f),
                                "name": f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                            })
                        })
                        .collect(),
                );
            }
        } else {
            params["rootUri"] = Value::Null;
        }
        if let Some(o) = &self.initialization_options {
            params["initializationOptions"] = o.clone();
        }
        params
    }
}

type SharedWriter = Arc<Mutex<Option<ChildStdin>>>;

enum Incoming {
    Message(Value),
    /// A frame whose body is not JSON (a server bug worth reporting).
    Garbage(String),
}

/// A synchronous LSP client over the server's stdin/stdout.
pub struct LspClient {
    child: Child,
    writer: SharedWriter,
    rx: Receiver<Incoming>,
    next_id: i64,
    /// Notifications not yet consumed by a `wait_*`, in arrival order.
    inbox: VecDeque<Notification>,
    /// Every notification received, in arrival order.
    pub history: Vec<Notification>,
    /// Requests the server sent (already answered with null).
    pub server_requests: Vec<Value>,
    /// Responses not yet claimed, by id.
    responses: HashMap<i64, Value>,
    /// Responses whose id is null or not a number (e.g. parse errors).
    pub orphan_responses: Vec<Value>,
    /// Frames that were not valid JSON.
    pub garbage: Vec<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Bound for `request` and `wait_*` without an explicit timeout.
    pub timeout: Duration,
    disconnected: bool,
    pid: u32,
}

impl LspClient {
    /// Spawns `devops-intel serve` (debug binary).
    pub fn start() -> Self {
        Self::start_with(&binary())
    }

    pub fn start_with(bin: &Path) -> Self {
        let mut child = Command::new(bin)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot spawn {} serve: {e}", bin.display()));
        let pid = child.id();
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr_pipe = child.stderr.take().expect("stderr");
        let writer: SharedWriter = Arc::new(Mutex::new(Some(stdin)));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        {
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = stderr_pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let mut s = stderr.lock().unwrap();
                    s.extend_from_slice(&buf[..n]);
                    // Keep the tail only.
                    if s.len() > 256 * 1024 {
                        let cut = s.len() - 128 * 1024;
                        s.drain(..cut);
                    }
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        {
            let writer = writer.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::with_capacity(1 << 16, stdout);
                while let Ok(Some(body)) = read_frame(&mut reader) {
                    let msg = match serde_json::from_slice::<Value>(&body) {
                        Ok(v) => v,
                        Err(_) => {
                            let _ = tx.send(Incoming::Garbage(
                                String::from_utf8_lossy(&body).into_owned(),
                            ));
                            continue;
                        }
                    };
                    if msg.get("method").is_some() && msg.get("id").is_some() {
                        answer_server_request(&writer, &msg);
                    }
                    if tx.send(Incoming::Message(msg)).is_err() {
                        break;
                    }
                }
            });
        }
        LspClient {
            child,
            writer,
            rx,
            next_id: 1,
            inbox: VecDeque::new(),
            history: Vec::new(),
            server_requests: Vec::new(),
            responses: HashMap::new(),
            orphan_responses: Vec::new(),
            garbage: Vec::new(),
            stderr,
            timeout: DEFAULT_TIMEOUT,
            disconnected: false,
            pid,
        }
    }

    /// Spawns the server and runs `initialize` + `initialized`; returns the
    /// client and the `initialize` result.
    pub fn start_initialized(opts: &InitOptions) -> (Self, Value) {
        let mut c = Self::start();
        let r = c.initialize(opts);
        (c, r)
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// `initialize` (must succeed) then `initialized`; returns the result.
    pub fn initialize(&mut self, opts: &InitOptions) -> Value {
        let result = self
            .request("initialize", opts.to_params())
            .unwrap_or_else(|e| self.fail(&format!("initialize failed: {e:?}")));
        self.notify("initialized", json!({}));
        result
    }

    /// The tail of the server's stderr.
    pub fn stderr_tail(&self) -> String {
        let s = self.stderr.lock().unwrap();
        let start = s.len().saturating_sub(4000);
        String::from_utf8_lossy(&s[start..]).into_owned()
    }

    /// Panics with `msg`, the server's state and its stderr tail.
    pub fn fail(&self, msg: &str) -> ! {
        // Give a crashing server a moment to finish writing its panic message.
        std::thread::sleep(Duration::from_millis(100));
        panic!(
            "{msg}\n--- server stderr (tail) ---\n{}\n---",
            self.stderr_tail()
        )
    }

    // -- sending ----------------------------------------------------------

    fn write_bytes(&mut self, bytes: &[u8]) {
        let res = {
            let mut w = self.writer.lock().unwrap();
            match w.as_mut() {
                Some(stdin) => stdin.write_all(bytes).and_then(|_| stdin.flush()),
                None => Err(std::io::Error::other("stdin closed")),
            }
        };
        if let Err(e) = res {
            let status = self.child.try_wait().ok().flatten();
            self.fail(&format!(
                "cannot write to the server ({e}); exit status: {status:?}"
            ));
        }
    }

    /// Sends a JSON body with a correct `Content-Length` header.
    pub fn send_message(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).expect("serialize");
        self.send_raw_body(&body);
    }

    /// Sends `body` (any bytes) framed with a correct `Content-Length`.
    pub fn send_raw_body(&mut self, body: &[u8]) {
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body);
        self.write_bytes(&bytes);
    }

    /// Sends bytes exactly as given (headers included).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.write_bytes(bytes);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send_message(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send_message(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, ErrorValue> {
        self.request_with_timeout(method, params, self.timeout)
    }

    pub fn request_with_timeout(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, ErrorValue> {
        let id = self.send_request(method, params);
        self.wait_response(id, method, timeout)
    }

    /// Waits for the response to request `id`, buffering everything else.
    pub fn wait_response(
        &mut self,
        id: i64,
        what: &str,
        timeout: Duration,
    ) -> Result<Value, ErrorValue> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(mut resp) = self.responses.remove(&id) {
                if let Some(e) = resp.get("error").filter(|e| !e.is_null()) {
                    return Err(ErrorValue::from_value(e));
                }
                // moved out, not cloned: graph answers are megabytes
                return Ok(resp
                    .get_mut("result")
                    .map(Value::take)
                    .unwrap_or(Value::Null));
            }
            if !self.pump(deadline) {
                self.fail(&format!(
                    "no response to `{what}` (id {id}) within {timeout:?}"
                ));
            }
        }
    }

    /// Receives one message into the buffers. Returns false on timeout;
    /// fails the test if the server closed its stdout.
    fn pump(&mut self, deadline: Instant) -> bool {
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        if self.disconnected {
            self.fail_disconnected();
        }
        match self.rx.recv_timeout(deadline - now) {
            Ok(Incoming::Message(msg)) => {
                self.file(msg);
                true
            }
            Ok(Incoming::Garbage(s)) => {
                self.garbage.push(s);
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => {
                self.disconnected = true;
                self.fail_disconnected()
            }
        }
    }

    fn fail_disconnected(&mut self) -> ! {
        let status = wait_child(&mut self.child, Duration::from_secs(2));
        self.fail(&format!(
            "the server closed its output (crashed or exited); exit status: {status:?}"
        ))
    }

    fn file(&mut self, msg: Value) {
        if let Some(method) = msg.get("method").and_then(Value::as_str) {
            if msg.get("id").is_some() {
                self.server_requests.push(msg);
            } else {
                let n = Notification {
                    method: method.to_string(),
                    params: msg.get("params").cloned().unwrap_or(Value::Null),
                };
                self.history.push(n.clone());
                self.inbox.push_back(n);
            }
        } else if let Some(id) = msg.get("id").and_then(Value::as_i64) {
            self.responses.insert(id, msg);
        } else {
            self.orphan_responses.push(msg);
        }
    }

    /// Forgets unconsumed notifications (the history keeps them).
    pub fn clear_inbox(&mut self) {
        self.inbox.clear();
    }

    /// Forgets the notification history (keeps memory flat in long runs).
    pub fn clear_history(&mut self) {
        self.history.clear();
    }

    /// Collects whatever arrives during `d` (no assertion; a settling window).
    pub fn drain_for(&mut self, d: Duration) {
        let deadline = Instant::now() + d;
        while self.pump(deadline) {}
    }

    /// Takes the first buffered or incoming notification `method` whose params
    /// satisfy `pred`; fails the test after `timeout`.
    pub fn wait_notification(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        match self.try_wait_notification(method, pred, timeout) {
            Some(v) => v,
            None => {
                let seen: Vec<String> = self
                    .inbox
                    .iter()
                    .filter(|n| n.method == method)
                    .map(|n| truncate(&n.params.to_string(), 400))
                    .collect();
                self.fail(&format!(
                    "no matching `{method}` within {timeout:?}; unconsumed `{method}`s:\n{}",
                    seen.join("\n")
                ))
            }
        }
    }

    /// Like `wait_notification` but returns `None` on timeout.
    pub fn try_wait_notification(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        let mut scanned = 0;
        loop {
            while scanned < self.inbox.len() {
                let n = &self.inbox[scanned];
                if n.method == method && pred(&n.params) {
                    return self.inbox.remove(scanned).map(|n| n.params);
                }
                scanned += 1;
            }
            if !self.pump(deadline) {
                return None;
            }
        }
    }

    /// Waits for a request from the server (already answered).
    pub fn wait_server_request(&mut self, method: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(r) = self.server_requests.iter().find(|r| r["method"] == method) {
                return r.clone();
            }
            if !self.pump(deadline) {
                self.fail(&format!(
                    "no `{method}` request from the server within {timeout:?}"
                ));
            }
        }
    }

    /// Every `publishDiagnostics` received so far for `uri`, in order.
    pub fn published(&self, uri: &str) -> Vec<Value> {
        self.history
            .iter()
            .filter(|n| {
                n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"].as_str().is_some_and(|u| same_uri(u, uri))
            })
            .map(|n| n.params.clone())
            .collect()
    }

    /// Waits for `publishDiagnostics` for `uri` satisfying `pred`.
    pub fn wait_diagnostics(
        &mut self,
        uri: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        let uri = uri.to_string();
        self.wait_notification(
            "textDocument/publishDiagnostics",
            move |p| p["uri"].as_str().is_some_and(|u| same_uri(u, &uri)) && pred(p),
            timeout,
        )
    }

    /// Waits for `publishDiagnostics` for `uri` carrying `version`.
    pub fn wait_diagnostics_version(&mut self, uri: &str, version: i64) -> Value {
        let t = self.timeout;
        self.wait_diagnostics(uri, |p| p["version"].as_i64() == Some(version), t)
    }

    /// Waits for the first `publishDiagnostics` for `uri` (any version).
    pub fn wait_any_diagnostics(&mut self, uri: &str) -> Value {
        let t = self.timeout;
        self.wait_diagnostics(uri, |_| true, t)
    }

    /// Waits for the indexing progress to end (`$/progress` with
    /// `kind: "end"` for the index token). Needs `work_done_progress`.
    pub fn wait_index_end(&mut self, timeout: Duration) -> Value {
        self.wait_notification(
            "$/progress",
            |p| p["token"] == INDEX_PROGRESS_TOKEN && p["value"]["kind"] == "end",
            timeout,
        )
    }

    /// Polls `devopsIntel/status` until `indexing` is false and at least
    /// `min_files` are indexed; returns the last status.
    pub fn wait_indexed(&mut self, min_files: u64, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let st = self.status();
            if st["indexing"] == false && st["files"].as_u64().unwrap_or(0) >= min_files {
                return st;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "index not done within {timeout:?}; last status {st}"
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    // -- protocol shorthands ----------------------------------------------

    pub fn did_open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}}),
        );
    }

    pub fn did_change(&mut self, uri: &str, version: i64, changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn did_close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// `workspace/didChangeWatchedFiles`; kinds: 1 created, 2 changed, 3 deleted.
    pub fn did_change_watched(&mut self, changes: &[(&str, u8)]) {
        let changes: Vec<Value> = changes
            .iter()
            .map(|(uri, kind)| json!({"uri": uri, "type": kind}))
            .collect();
        self.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": changes}),
        );
    }

    /// `devopsIntel/status` (must succeed).
    pub fn status(&mut self) -> Value {
        self.request("devopsIntel/status", Value::Null)
            .unwrap_or_else(|e| self.fail(&format!("devopsIntel/status failed: {e:?}")))
    }

    pub fn document_state(&mut self, uri: &str) -> Result<Value, ErrorValue> {
        self.request(
            "devopsIntel/documentState",
            json!({"textDocument": {"uri": uri}}),
        )
    }

    /// `shutdown` + `exit`; returns the exit status (fails after the timeout).
    pub fn shutdown_and_exit(&mut self) -> ExitStatus {
        let r = self.request("shutdown", Value::Null);
        if let Err(e) = r {
            self.fail(&format!("shutdown failed: {e:?}"));
        }
        self.notify("exit", Value::Null);
        match wait_child(&mut self.child, self.timeout) {
            Some(s) => s,
            None => self.fail("server did not exit after `exit`"),
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes the server's stdin.
    pub fn close_stdin(&mut self) {
        self.writer.lock().unwrap().take();
    }

    /// Waits for the process to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        wait_child(&mut self.child, timeout)
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        s.to_string()
    } else {
        let mut end = n;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    }
}

/// Answers a server→client request so the server never waits on us:
/// `workspace/configuration` gets one `null` per item, everything else `null`.
fn answer_server_request(writer: &SharedWriter, msg: &Value) {
    let result = if msg["method"] == "workspace/configuration" {
        let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
        Value::Array(vec![Value::Null; n])
    } else {
        Value::Null
    };
    let resp = json!({"jsonrpc": "2.0", "id": msg["id"], "result": result});
    let body = serde_json::to_vec(&resp).expect("serialize");
    let mut w = writer.lock().unwrap();
    if let Some(stdin) = w.as_mut() {
        let _ = write!(stdin, "Content-Length: {}\r\n\r\n", body.len());
        let _ = stdin.write_all(&body);
        let _ = stdin.flush();
    }
}

/// Reads one `Content-Length`-framed body; `None` at end of stream.
fn read_frame(r: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut len: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let t = line.trim_end_matches(['\r', '\n']);
        if t.is_empty() {
            if len.is_some() {
                break;
            }
            continue;
        }
        if let Some((k, v)) = t.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok();
            }
        }
    }
    let mut body = vec![0u8; len.unwrap_or(0)];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// `VmRSS` and `VmHWM` of `pid` in bytes, from `/proc/<pid>/status` (Linux).
pub fn proc_memory(pid: u32) -> Option<(u64, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
            .map(|kb| kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// CPU time of every thread of this process so far (for benchmarks).
pub fn process_cpu_time() -> Duration {
    cpu_clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

/// CPU time of the calling thread so far (for benchmarks).
pub fn thread_cpu_time() -> Duration {
    cpu_clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn cpu_clock(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime({clock}) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The rule ids the engine implements (what `devops-intel rules` must list).
pub const RULE_IDS: &[&str] = &[
    "SEC001", "SEC002", "SEC003", "SEC004", "SEC005", "SEC006", "SEC007", "SEC008", "SEC009",
    "SEC010", "SEC011", "SEC012", "SEC013", "SEC014", "SEC015", "SEC016", "SEC017", "SEC018",
    "SEC019", "SEC020", "SEC021", "SEC022", "SEC023", "REL001", "REL002", "REL003", "REL004",
    "REL005", "REL006", "REL007", "REL008", "REL009", "REL010", "REL011", "REL012", "REL013",
    "REL014", "REL015", "REL016", "REL017", "REL018", "ARC001", "ARC002", "IAC001", "IAC002",
    "IAC003", "IAC004", "IAC005", "IAC006", "IAC007", "IAC008", "IAC009", "IAC010", "IAC011",
    "IAC012", "IAC013", "IAC014", "IAC015", "IAC016", "IAC017", "IAC018", "IAC019", "IAC020",
    "IAC021", "IAC022", "IAC023", "IAC024", "COV001",
];

/// Every `*.py` under the rule fixtures, as `(rule id, file name, text)`.
pub fn rule_fixtures() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let dir = rule_fixtures_dir();
    let mut rules: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    rules.sort_by_key(|e| e.file_name());
    for r in rules {
        let mut files: Vec<_> = std::fs::read_dir(r.path())
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
            .collect();
        files.sort_by_key(|e| e.file_name());
        for f in files {
            out.push((
                r.file_name().to_string_lossy().into_owned(),
                f.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(f.path()).unwrap(),
            ));
        }
    }
    assert!(!out.is_empty(), "no rule fixtures under {}", dir.display());
    out
}

/// Lines (1-based) of a fixture that carry `# expect: RULE`.
pub fn expected_lines(text: &str, rule: &str) -> Vec<u32> {
    // `# expect: SEC001` or `# expect: SEC001, SEC004` (as server/tests/rules.rs reads them)
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split(',').any(|x| x.trim() == rule))
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// LSP severity for an engine severity name.
pub fn lsp_severity(sev: &str) -> i64 {
    match sev {
        "critical" | "high" => 1,
        "medium" => 2,
        "low" => 3,
        "info" => 4,
        other => panic!("unknown severity {other:?}"),
    }
}

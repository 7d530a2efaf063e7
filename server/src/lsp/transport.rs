//! A framing proxy in front of tower-lsp-server's transport. The library's
//! framed reader stops reading after the first undecodable message, so every
//! frame is validated here first: bad JSON gets a -32700 response and a
//! non-object body a -32600 (both with `id: null`, as JSON-RPC asks), and the
//! server keeps serving. Responses from the server are copied frame by frame,
//! so an injected error never splits one of them. `exit` ends the process
//! (status 0 after `shutdown`, else 1) even if a handler is still waiting on
//! the client.

use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;

/// Reads one frame's body; `Ok(None)` at end of input. Frames without a valid
/// Content-Length are skipped (logged).
async fn read_frame<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        let mut len: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).await? == 0 {
                return Ok(None);
            }
            let trimmed = line.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((k, v)) = trimmed.split_once(':') {
                if k.trim().eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().ok();
                }
            }
        }
        match len {
            Some(n) if n <= 512 * 1024 * 1024 => {
                let mut body = vec![0u8; n];
                r.read_exact(&mut body).await?;
                return Ok(Some(body));
            }
            _ => tracing::error!("message without a valid Content-Length header; skipped"),
        }
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_response(code: i64, message: String) -> Vec<u8> {
    let v = json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } });
    serde_json::to_vec(&v).unwrap_or_default()
}

/// What tower-lsp-server's decoder accepts; anything else would stop it.
fn check_shape(obj: &serde_json::Map<String, Value>) -> Result<(), &'static str> {
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err("`jsonrpc` must be \"2.0\"");
    }
    let id_ok = |id: Option<&Value>| match id {
        None => true,
        Some(Value::String(_)) | Some(Value::Null) => true,
        Some(Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    };
    match obj.get("method") {
        Some(Value::String(_)) => {
            if !id_ok(obj.get("id")) {
                return Err("`id` must be an integer or a string");
            }
            Ok(())
        }
        Some(_) => Err("`method` must be a string"),
        None => {
            if obj.get("id").is_none() || !id_ok(obj.get("id")) {
                return Err("a response needs an integer or string `id`");
            }
            match (obj.get("result"), obj.get("error")) {
                (Some(_), None) => Ok(()),
                (None, Some(Value::Object(e)))
                    if e.get("code").is_some_and(Value::is_i64)
                        && e.get("message").is_some_and(Value::is_string) =>
                {
                    Ok(())
                }
                _ => Err("a response needs exactly one of `result` or a well-formed `error`"),
            }
        }
    }
}

/// Copies client frames from `input` to `to_server`, answering invalid ones on `errors`.
pub async fn pump_input<R, W>(input: R, mut to_server: W, errors: mpsc::UnboundedSender<Vec<u8>>)
where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    let shutdown = Arc::new(AtomicBool::new(false));
    loop {
        let body = match read_frame(&mut reader).await {
            Ok(Some(b)) => b,
            Ok(None) => break,
            Err(e) => {
                tracing::error!(error = %e, "reading from the client failed");
                break;
            }
        };
        let value: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, "malformed JSON-RPC message");
                let _ = errors.send(error_response(-32700, format!("Parse error: {e}")));
                continue;
            }
        };
        let Some(obj) = value.as_object() else {
            tracing::error!("JSON-RPC message is not an object");
            let _ = errors.send(error_response(
                -32600,
                "Invalid request: not a JSON object".into(),
            ));
            continue;
        };
        if let Err(why) = check_shape(obj) {
            tracing::error!(why, "invalid JSON-RPC message");
            let _ = errors.send(error_response(-32600, format!("Invalid request: {why}")));
            continue;
        }
        let method = obj.get("method").and_then(Value::as_str).unwrap_or("");
        if method == "shutdown" {
            shutdown.store(true, Ordering::SeqCst);
        }
        if to_server.write_all(&frame(&body)).await.is_err() {
            break;
        }
        let _ = to_server.flush().await;
        if method == "exit" {
            let code = if shutdown.load(Ordering::SeqCst) {
                0
            } else {
                1
            };
            tokio::spawn(async move {
                // give the server a moment to finish, then leave whatever is pending
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                std::process::exit(code);
            });
        }
    }
    tracing::info!("client closed the input; exiting");
    std::process::exit(0);
}

/// Copies server frames to `output`, interleaving injected error responses
/// only between whole frames.
pub async fn pump_output<R, W>(
    from_server: R,
    mut output: W,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
) where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(from_server);
    loop {
        tokio::select! {
            frame_body = read_frame(&mut reader) => match frame_body {
                Ok(Some(body)) => {
                    if output.write_all(&frame(&body)).await.is_err() { return; }
                    let _ = output.flush().await;
                }
                _ => return,
            },
            Some(err) = errors.recv() => {
                if output.write_all(&frame(&err)).await.is_err() { return; }
                let _ = output.flush().await;
            }
        }
    }
}

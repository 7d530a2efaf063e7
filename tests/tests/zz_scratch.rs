use devops_intel_e2e::*;
use std::time::{Duration, Instant};
#[test]
fn scratch_exit() {
    std::env::set_var("DEVOPS_INTEL_LOG", "debug");
    for i in 0..8 {
        let ws = TempWorkspace::new();
        let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
        let t = Instant::now();
        c.request("shutdown", serde_json::Value::Null).unwrap();
        c.notify("exit", serde_json::Value::Null);
        let st = c.wait_exit(Duration::from_secs(2));
        eprintln!("{i}: {:?} after {:?}", st, t.elapsed());
        if st.is_none() {
            eprintln!("server requests: {:?}", c.server_requests);
            eprintln!("history: {:?}", c.history);
            eprintln!("stderr: {}", c.stderr_tail());
            break;
        }
    }
}

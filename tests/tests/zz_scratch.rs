use devops_intel_e2e::*;
use std::time::{Duration, Instant};
#[test]
fn scratch_eof() {
    for i in 0..30 {
        let opts = InitOptions::default();
        let (mut c, _) = LspClient::start_initialized(&opts);
        c.status();
        let t = Instant::now();
        c.close_stdin();
        let st = c.wait_exit(Duration::from_secs(2));
        if st.is_none() {
            eprintln!("{i}: HUNG {:?} after {:?}", st, t.elapsed());
            let out = std::process::Command::new("gdb")
                .args([
                    "-p",
                    &c.pid().to_string(),
                    "-batch",
                    "-ex",
                    "thread apply all bt 30",
                ])
                .output()
                .unwrap();
            let s = String::from_utf8_lossy(&out.stdout);
            for l in s
                .lines()
                .filter(|l| l.starts_with("Thread") || l.starts_with('#'))
            {
                eprintln!("{l}");
            }
            break;
        }
    }
}

//! The effect catalog: which calls touch the environment, processes, the
//! network, files and cloud services. Works on resolved (`qualified`) names, so
//! every import alias is covered.

use super::summary::{CallSite, Effect, EffectKind};
use smol_str::SmolStr;

pub const SUBPROCESS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "os.system",
    "os.popen",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
    "paramiko.SSHClient.exec_command",
];

const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
];

const HTTP_CLIENTS: &[&str] = &[
    "requests",
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
];

const OTHER_NETWORK: &[&str] = &[
    "urllib.request.urlopen",
    "urllib.request.urlretrieve",
    "urllib3.PoolManager.request",
    "urllib3.request",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "socket.create_connection",
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "ftplib.FTP",
    "telnetlib.Telnet",
    "paramiko.SSHClient.connect",
];

const FILE_WRITES: &[&str] = &[
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
    "shutil.rmtree",
    "os.remove",
    "os.unlink",
    "os.rename",
    "os.replace",
    "os.makedirs",
    "os.mkdir",
    "os.rmdir",
    "os.chmod",
    "pathlib.Path.write_text",
    "pathlib.Path.write_bytes",
    "pathlib.Path.unlink",
    "pathlib.Path.mkdir",
    "pathlib.Path.touch",
];

const FILE_READS: &[&str] = &["pathlib.Path.read_text", "pathlib.Path.read_bytes"];

const CLOUD_FACTORIES: &[&str] = &[
    "boto3.client",
    "boto3.resource",
    "boto3.Session.client",
    "boto3.Session.resource",
    "boto3.session.Session.client",
    "boto3.session.Session.resource",
];

/// `(client, method)` when `qualified` is an HTTP request through requests,
/// httpx or aiohttp, e.g. `("requests.Session", "get")`.
pub fn http_call(qualified: &str) -> Option<(&str, &str)> {
    let (client, method) = super::value::split_last_dot(qualified)?;
    (HTTP_METHODS.contains(&method) && HTTP_CLIENTS.contains(&client)).then_some((client, method))
}

/// Calls whose first argument names a cloud service (`boto3.client("s3")`).
pub fn is_cloud_factory(qualified: &str) -> bool {
    CLOUD_FACTORIES.contains(&qualified)
}

pub fn classify(call: &CallSite, service: Option<&str>) -> Option<Effect> {
    let q = call.qualified.as_str();
    let effect = |kind, target: Option<String>| {
        Some(Effect {
            kind,
            api: call.qualified.clone(),
            target: target.map(SmolStr::new),
            range: call.range,
            enclosing: call.enclosing,
        })
    };
    if SUBPROCESS.contains(&q) || q.starts_with("os.exec") || q.starts_with("os.spawn") {
        let cmd = call.arg(0, "args").and_then(|a| a.value.command_text());
        return effect(EffectKind::Subprocess, cmd);
    }
    if matches!(q, "os.getenv" | "os.environ.get" | "os.getenvb") {
        let key = call
            .arg(0, "key")
            .and_then(|a| a.value.as_str().map(str::to_string));
        return effect(EffectKind::EnvRead, key);
    }
    if let Some((_, method)) = http_call(q) {
        {
            let (verb, url) = if method == "request" || method == "stream" {
                let verb = call
                    .arg(0, "method")
                    .and_then(|a| a.value.as_str().map(str::to_uppercase));
                (verb, call.arg(1, "url"))
            } else {
                (Some(method.to_uppercase()), call.arg(0, "url"))
            };
            let url = url.and_then(|a| a.value.as_str().map(str::to_string));
            let target = match (verb, url) {
                (Some(v), Some(u)) => Some(format!("{v} {u}")),
                (Some(v), None) => Some(v),
                (None, u) => u,
            };
            return effect(EffectKind::Network, target);
        }
    }
    if OTHER_NETWORK.contains(&q) {
        let target = call
            .arg(0, "url")
            .and_then(|a| a.value.as_str().map(str::to_string));
        return effect(EffectKind::Network, target);
    }
    if matches!(q, "open" | "io.open" | "pathlib.Path.open" | "codecs.open") {
        let path_index = usize::from(q != "pathlib.Path.open");
        let mode_index = path_index;
        let path = (path_index == 1)
            .then(|| {
                call.arg(0, "file")
                    .and_then(|a| a.value.as_str().map(str::to_string))
            })
            .flatten();
        let writes = match call.arg(mode_index, "mode").map(|a| &a.value) {
            None => false,
            Some(v) => match v.as_str() {
                Some(m) => m.contains(['w', 'a', 'x', '+']),
                None => true,
            },
        };
        let kind = if writes {
            EffectKind::FileWrite
        } else {
            EffectKind::FileRead
        };
        return effect(kind, path);
    }
    if FILE_WRITES.contains(&q) {
        let target = call
            .positional(0)
            .and_then(|a| a.value.as_str().map(str::to_string));
        return effect(EffectKind::FileWrite, target);
    }
    if FILE_READS.contains(&q) {
        return effect(EffectKind::FileRead, None);
    }
    if is_cloud_factory(q) {
        let svc = call
            .arg(0, "service_name")
            .and_then(|a| a.value.as_str().map(str::to_string));
        return effect(EffectKind::CloudClient, svc);
    }
    for factory in CLOUD_FACTORIES {
        if let Some(op) = q.strip_prefix(factory).and_then(|r| r.strip_prefix('.')) {
            let target = match service {
                Some(s) => format!("{s}.{op}"),
                None => op.to_string(),
            };
            return effect(EffectKind::CloudCall, Some(target));
        }
    }
    if q.starts_with("google.cloud.") && q.ends_with("Client") {
        let svc = q
            .trim_start_matches("google.cloud.")
            .split('.')
            .next()
            .map(str::to_string);
        return effect(EffectKind::CloudClient, svc);
    }
    if q.starts_with("azure.") && q.ends_with("Client") {
        let class = Some(super::value::last_segment(q).to_string());
        return effect(EffectKind::CloudClient, class);
    }
    None
}

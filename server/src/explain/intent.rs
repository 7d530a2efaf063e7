//! One line saying what a definition does: the docstring's first line, or a
//! phrase derived deterministically from the name's words and the effects
//! ("Uploads manifest: calls S3 `upload_file`").

use super::facts::{Effects, ViaCall};
use crate::index::{Def, DefKind};

/// The first line of a docstring's first paragraph, trimmed.
pub fn first_line(doc: &str) -> Option<String> {
    let line = doc.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_string())
}

/// Verbs a function name commonly starts with, and their third person.
const VERBS: &[(&str, &str)] = &[
    ("add", "Adds"),
    ("apply", "Applies"),
    ("build", "Builds"),
    ("call", "Calls"),
    ("check", "Checks"),
    ("clean", "Cleans"),
    ("cleanup", "Cleans up"),
    ("clone", "Clones"),
    ("collect", "Collects"),
    ("compute", "Computes"),
    ("configure", "Configures"),
    ("connect", "Connects"),
    ("convert", "Converts"),
    ("copy", "Copies"),
    ("create", "Creates"),
    ("delete", "Deletes"),
    ("deploy", "Deploys"),
    ("describe", "Describes"),
    ("destroy", "Destroys"),
    ("download", "Downloads"),
    ("dump", "Dumps"),
    ("emit", "Emits"),
    ("ensure", "Ensures"),
    ("execute", "Executes"),
    ("export", "Exports"),
    ("fetch", "Fetches"),
    ("find", "Finds"),
    ("format", "Formats"),
    ("generate", "Generates"),
    ("get", "Gets"),
    ("handle", "Handles"),
    ("init", "Initializes"),
    ("install", "Installs"),
    ("invoke", "Invokes"),
    ("list", "Lists"),
    ("load", "Loads"),
    ("make", "Makes"),
    ("migrate", "Migrates"),
    ("notify", "Notifies"),
    ("parse", "Parses"),
    ("patch", "Patches"),
    ("ping", "Pings"),
    ("poll", "Polls"),
    ("post", "Posts"),
    ("prepare", "Prepares"),
    ("print", "Prints"),
    ("process", "Processes"),
    ("provision", "Provisions"),
    ("publish", "Publishes"),
    ("pull", "Pulls"),
    ("push", "Pushes"),
    ("put", "Puts"),
    ("read", "Reads"),
    ("record", "Records"),
    ("register", "Registers"),
    ("release", "Releases"),
    ("reload", "Reloads"),
    ("remove", "Removes"),
    ("render", "Renders"),
    ("report", "Reports"),
    ("resolve", "Resolves"),
    ("restart", "Restarts"),
    ("restore", "Restores"),
    ("retry", "Retries"),
    ("rollback", "Rolls back"),
    ("rollout", "Rolls out"),
    ("rotate", "Rotates"),
    ("run", "Runs"),
    ("save", "Saves"),
    ("scale", "Scales"),
    ("send", "Sends"),
    ("set", "Sets"),
    ("setup", "Sets up"),
    ("start", "Starts"),
    ("stop", "Stops"),
    ("store", "Stores"),
    ("sync", "Syncs"),
    ("tag", "Tags"),
    ("terminate", "Terminates"),
    ("update", "Updates"),
    ("upload", "Uploads"),
    ("upsert", "Upserts"),
    ("validate", "Validates"),
    ("verify", "Verifies"),
    ("wait", "Waits for"),
    ("watch", "Watches"),
    ("write", "Writes"),
];

/// Splits `upload_fileToS3` / `_private_name` into lower-case words.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.extend(c.to_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// "Uploads manifest", "Checks whether ready", "Entry point", "Deploy runner".
pub fn name_phrase(def: &Def) -> String {
    let w = words(&def.name);
    let rest = |from: usize| w.get(from..).map(|r| r.join(" ")).unwrap_or_default();
    let phrase = match (def.kind, w.first().map(String::as_str)) {
        (_, None) => format!("`{}`", def.name),
        (DefKind::Method, Some("init")) if def.name == "__init__" => {
            "Initializes the instance".to_string()
        }
        (DefKind::Class, _) => capitalize(&w.join(" ")),
        (_, Some("main")) if w.len() == 1 => "Entry point".to_string(),
        (_, Some("is" | "has" | "can" | "should")) if w.len() > 1 => {
            format!("Checks whether {}", w.join(" "))
        }
        (_, Some("to")) if w.len() > 1 => format!("Converts to {}", rest(1)),
        (_, Some("on")) if w.len() > 1 => format!("Handles {}", rest(1)),
        (_, Some(first)) => match VERBS.iter().find(|(v, _)| *v == first) {
            Some((_, third)) if w.len() > 1 => format!("{third} {}", rest(1)),
            Some((_, third)) => third.to_string(),
            None => capitalize(&w.join(" ")),
        },
    };
    phrase
}

/// The derived one-line intent: the name's phrase, then what its effects do.
pub fn derive(def: &Def, effects: &Effects, via: &[ViaCall]) -> String {
    let base = name_phrase(def);
    let mut clauses = effect_clauses(effects);
    if clauses.is_empty() {
        // what the functions it calls do, e.g. "runs `docker` and calls S3 `upload_file`"
        for c in via.iter().flat_map(|v| v.effects.iter()) {
            if clauses.len() < 4 && !clauses.contains(c) {
                clauses.push(c.clone());
            }
        }
    }
    if clauses.is_empty() {
        base
    } else {
        format!("{base}: {}", join_and(&clauses))
    }
}

/// Short phrases for the effects, most consequential first.
pub fn effect_clauses(e: &Effects) -> Vec<String> {
    let mut out = Vec::new();
    for c in &e.cloud {
        let svc = c
            .service
            .as_deref()
            .map(service_name)
            .unwrap_or_else(|| "a cloud service".to_string());
        let ops: Vec<String> = c
            .operations
            .iter()
            .take(3)
            .map(|o| format!("`{o}`"))
            .collect();
        out.push(if ops.is_empty() {
            format!("uses {svc}")
        } else {
            format!("calls {svc} {}", ops.join(", "))
        });
    }
    if !e.http.is_empty() {
        let mut parts: Vec<String> = Vec::new();
        for h in &e.http {
            let p = match h.target.as_deref().map(|t| t.split_once(' ')) {
                Some(Some((m, url))) => format!("{m} to {}", host(url)),
                _ => h
                    .target
                    .clone()
                    .unwrap_or_else(|| "HTTP requests".to_string()),
            };
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        out.push(format!("sends {}", join_and(&parts)));
    }
    if !e.processes.is_empty() {
        let mut progs: Vec<String> = Vec::new();
        for p in &e.processes {
            let prog = p
                .target
                .as_deref()
                .and_then(|t| t.split_whitespace().next())
                .map(|t| format!("`{t}`"))
                .unwrap_or_else(|| "a command".to_string());
            if !progs.contains(&prog) {
                progs.push(prog);
            }
        }
        out.push(format!("runs {}", join_and(&progs)));
    }
    let files = |list: &[super::facts::EffectFact], verb: &str| {
        let named: Vec<String> = list
            .iter()
            .filter_map(|f| f.target.as_deref())
            .take(2)
            .map(|t| format!("`{t}`"))
            .collect();
        if named.is_empty() {
            format!("{verb} files")
        } else {
            format!("{verb} {}", join_and(&named))
        }
    };
    if !e.files_written.is_empty() {
        out.push(files(&e.files_written, "writes"));
    }
    if !e.files_read.is_empty() {
        out.push(files(&e.files_read, "reads"));
    }
    if !e.env.is_empty() {
        let names: Vec<String> = e
            .env
            .iter()
            .filter_map(|f| f.target.as_deref())
            .map(|t| format!("`{t}`"))
            .collect();
        out.push(match names.len() {
            0 => "reads the environment".to_string(),
            1..=3 => format!("reads {}", join_and(&names)),
            n => format!("reads {n} environment variables"),
        });
    }
    out
}

/// `https://hooks.slack.com/x` -> `hooks.slack.com`.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let h = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("`{h}`")
}

/// Display name of an AWS service id.
pub fn service_name(id: &str) -> String {
    let known = [
        ("s3", "S3"),
        ("sqs", "SQS"),
        ("sns", "SNS"),
        ("ec2", "EC2"),
        ("ecr", "ECR"),
        ("ecs", "ECS"),
        ("eks", "EKS"),
        ("iam", "IAM"),
        ("sts", "STS"),
        ("ssm", "SSM"),
        ("kms", "KMS"),
        ("rds", "RDS"),
        ("dynamodb", "DynamoDB"),
        ("lambda", "Lambda"),
        ("logs", "CloudWatch Logs"),
        ("cloudwatch", "CloudWatch"),
        ("secretsmanager", "Secrets Manager"),
        ("route53", "Route 53"),
        ("cloudformation", "CloudFormation"),
        ("autoscaling", "Auto Scaling"),
        ("elbv2", "ELB"),
        ("kinesis", "Kinesis"),
        ("athena", "Athena"),
        ("glue", "Glue"),
        ("storage", "Cloud Storage"),
        ("pubsub", "Pub/Sub"),
    ];
    known
        .iter()
        .find(|(k, _)| *k == id)
        .map(|(_, v)| v.to_string())
        .unwrap_or_else(|| format!("`{id}`"))
}

pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_snake_and_camel_case() {
        assert_eq!(
            words("_upload_fileToS3"),
            vec!["upload", "file", "to", "s3"]
        );
        assert_eq!(words("HTTPServer"), vec!["httpserver"]);
        assert_eq!(words("DeployRunner"), vec!["deploy", "runner"]);
    }

    #[test]
    fn joins_with_and() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&["a"])), "a");
        assert_eq!(join_and(&v(&["a", "b", "c"])), "a, b and c");
    }
}

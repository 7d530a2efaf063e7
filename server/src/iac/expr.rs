//! Evaluated IaC argument values. Unlike `index::Value` they keep structure
//! (dicts, nested `…Args(...)` objects, CDK helper calls), the enum members and
//! config keys they name, references to other resources, and a range for every
//! node so findings and fixes can point inside a nested argument.

use crate::text::TextRange;
use serde::Serialize;
use smol_str::SmolStr;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expr {
    pub range: TextRange,
    pub v: V,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum V {
    Str(Box<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    List(Vec<Expr>),
    Dict(Vec<(SmolStr, Expr)>),
    /// An attribute of an imported module: `aws_cdk.aws_s3.BucketEncryption.KMS`.
    Enum(SmolStr),
    /// `pulumi.Config().get("KEY")`: the value lives in the stack config.
    Config {
        key: SmolStr,
        secret: bool,
    },
    /// An output of another resource (`bucket.arn`, or the resource itself).
    Ref {
        resource: u32,
        attr: SmolStr,
    },
    /// A call that is not a resource: `ec2.Port.tcp(22)`, `json.dumps({...})`,
    /// `aws.ec2.SecurityGroupIngressArgs(...)`.
    Call {
        callee: SmolStr,
        args: Vec<Arg>,
    },
    /// Anything else: a parameter, a computed value. Never guessed.
    Unknown(SmolStr),
}

/// An argument: keyword (`name`) or positional.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Arg {
    pub name: Option<SmolStr>,
    pub value: Expr,
    /// The whole argument (`name=value`).
    pub range: TextRange,
}

impl Expr {
    pub fn unknown(range: TextRange, text: &str) -> Expr {
        Expr {
            range,
            v: V::Unknown(crate::index::truncate_text(text)),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.v {
            V::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match &self.v {
            V::Int(i) => Some(*i),
            V::Str(s) => s.trim().parse().ok(),
            V::Float(f) if f.fract() == 0.0 => Some(*f as i64),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.v {
            V::Int(i) => Some(*i as f64),
            V::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Expr]> {
        match &self.v {
            V::List(items) => Some(items),
            _ => None,
        }
    }

    /// The qualified enum member, or its last part with `member()`.
    pub fn as_enum(&self) -> Option<&str> {
        match &self.v {
            V::Enum(e) => Some(e),
            _ => None,
        }
    }

    /// The last dotted part of an enum member (`KMS` of `s3.BucketEncryption.KMS`).
    pub fn member(&self) -> Option<&str> {
        self.as_enum().and_then(|e| e.rsplit('.').next())
    }

    pub fn callee(&self) -> Option<&str> {
        match &self.v {
            V::Call { callee, .. } => Some(callee),
            _ => None,
        }
    }

    pub fn call_args(&self) -> &[Arg] {
        match &self.v {
            V::Call { args, .. } => args,
            _ => &[],
        }
    }

    /// Dict entry or keyword argument `key` (dicts and `…Args(...)` read alike).
    pub fn get(&self, key: &str) -> Option<&Expr> {
        match &self.v {
            V::Dict(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            V::Call { args, .. } => args
                .iter()
                .find(|a| a.name.as_deref() == Some(key))
                .map(|a| &a.value),
            _ => None,
        }
    }

    /// The first of `keys` present (snake_case and camelCase spellings).
    pub fn get_any(&self, keys: &[&str]) -> Option<&Expr> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// Positional argument `i` of a call.
    pub fn positional(&self, i: usize) -> Option<&Expr> {
        self.call_args()
            .iter()
            .filter(|a| a.name.is_none())
            .nth(i)
            .map(|a| &a.value)
    }

    /// The value is known (no unknown, config or reference inside).
    pub fn is_known(&self) -> bool {
        match &self.v {
            V::Unknown(_) | V::Config { .. } | V::Ref { .. } => false,
            V::List(items) => items.iter().all(Expr::is_known),
            V::Dict(pairs) => pairs.iter().all(|(_, v)| v.is_known()),
            V::Call { args, .. } => args.iter().all(|a| a.value.is_known()),
            _ => true,
        }
    }

    /// Strings in this value: the string itself or the strings of a list.
    pub fn strings(&self) -> Vec<&str> {
        match &self.v {
            V::Str(s) => vec![s],
            V::List(items) => items.iter().filter_map(Expr::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The items of a list, or the value itself.
    pub fn items(&self) -> &[Expr] {
        match &self.v {
            V::List(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    /// Every node of this value, depth first (self included).
    pub fn walk<'s>(&'s self, f: &mut dyn FnMut(&'s Expr)) {
        f(self);
        match &self.v {
            V::List(items) => items.iter().for_each(|e| e.walk(f)),
            V::Dict(pairs) => pairs.iter().for_each(|(_, e)| e.walk(f)),
            V::Call { args, .. } => args.iter().for_each(|a| a.value.walk(f)),
            _ => {}
        }
    }

    /// Whether `needle` occurs in a string value or a dict key inside this value.
    pub fn mentions(&self, needle: &str) -> bool {
        let mut found = false;
        self.walk(&mut |x| match &x.v {
            V::Str(s) if s.contains(needle) => found = true,
            V::Dict(pairs) if pairs.iter().any(|(k, _)| k.contains(needle)) => found = true,
            _ => {}
        });
        found
    }

    /// Short rendering for messages and hovers.
    pub fn display(&self) -> String {
        match &self.v {
            V::Str(s) => format!("{s:?}"),
            V::Int(i) => i.to_string(),
            V::Float(f) => f.to_string(),
            V::Bool(b) => if *b { "True" } else { "False" }.into(),
            V::None => "None".into(),
            V::List(items) => {
                let parts: Vec<String> = items.iter().take(6).map(Expr::display).collect();
                let more = if items.len() > 6 { ", …" } else { "" };
                format!("[{}{more}]", parts.join(", "))
            }
            V::Dict(pairs) => {
                let parts: Vec<String> = pairs
                    .iter()
                    .take(4)
                    .map(|(k, v)| format!("{k:?}: {}", v.display()))
                    .collect();
                let more = if pairs.len() > 4 { ", …" } else { "" };
                format!("{{{}{more}}}", parts.join(", "))
            }
            V::Enum(e) => short_enum(e),
            V::Config { key, .. } => format!("config `{key}`"),
            V::Ref { attr, .. } if attr.is_empty() => "a resource".into(),
            V::Ref { attr, .. } => format!("resource output `{attr}`"),
            V::Call { callee, .. } => format!("{}(…)", short_enum(callee)),
            V::Unknown(t) => t.to_string(),
        }
    }

    /// Converts a JSON document (an inline policy string) into an `Expr`
    /// whose nodes all carry `range`.
    pub fn from_json(v: &serde_json::Value, range: TextRange) -> Expr {
        use serde_json::Value as J;
        let v = match v {
            J::Null => V::None,
            J::Bool(b) => V::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => V::Int(i),
                None => V::Float(n.as_f64().unwrap_or(0.0)),
            },
            J::String(s) => V::Str(s.as_str().into()),
            J::Array(items) => V::List(items.iter().map(|i| Expr::from_json(i, range)).collect()),
            J::Object(map) => V::Dict(
                map.iter()
                    .map(|(k, v)| (SmolStr::new(k), Expr::from_json(v, range)))
                    .collect(),
            ),
        };
        Expr { range, v }
    }
}

/// `aws_cdk.aws_s3.BucketEncryption.KMS` -> `BucketEncryption.KMS`.
pub fn short_enum(e: &str) -> String {
    let parts: Vec<&str> = e.split('.').collect();
    let n = parts.len();
    if n >= 2 {
        format!("{}.{}", parts[n - 2], parts[n - 1])
    } else {
        e.to_string()
    }
}

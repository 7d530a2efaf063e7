//! IAC: infrastructure risks in Pulumi, AWS CDK and CDKTF programs. The rules
//! read the file's resource model (`crate::iac`), not the syntax tree.

pub mod compute;
pub mod data;
pub mod iam;
pub mod misc;
pub mod network;
pub mod rds;
pub mod s3;

use crate::iac::{Expr, IacFile, Resource};
use crate::index::CallSite;
use crate::rules::{fix, Applicability, Checker, Edit, Fix};

/// This category's rules (the registry sorts all rules by id).
pub static RULES: &[&super::RuleMeta] = &[
    &network::IAC001,
    &network::IAC002,
    &network::IAC003,
    &s3::IAC004,
    &s3::IAC005,
    &s3::IAC006,
    &s3::IAC007,
    &s3::IAC008,
    &s3::IAC009,
    &rds::IAC010,
    &rds::IAC011,
    &rds::IAC012,
    &compute::IAC013,
    &compute::IAC014,
    &iam::IAC015,
    &iam::IAC016,
    &iam::IAC017,
    &misc::IAC018,
    &misc::IAC019,
    &misc::IAC020,
    &misc::IAC021,
    &network::IAC022,
    &data::IAC023,
    &data::IAC024,
];

/// The file's IaC model, if it has one.
pub(crate) fn model<'a>(cx: &Checker<'a>) -> Option<&'a IacFile> {
    cx.ex.iac.as_deref()
}

fn call_of<'a>(cx: &Checker<'a>, r: &Resource) -> Option<&'a CallSite> {
    cx.call_at(r.range)
}

/// A fix adding `keyword=value` to the resource's constructor call.
pub(crate) fn add_keyword(
    cx: &Checker,
    r: &Resource,
    keyword: &str,
    value: &str,
    applicability: Applicability,
) -> Option<Fix> {
    if r.has_star_kwargs {
        return None;
    }
    let call = call_of(cx, r)?;
    Some(Fix {
        title: format!("Add `{keyword}={value}`"),
        applicability,
        edits: vec![fix::add_keyword(call, keyword, value)],
    })
}

/// A fix replacing a (nested) value with `text`.
pub(crate) fn replace(e: &Expr, text: &str, applicability: Applicability) -> Option<Fix> {
    (e.range.end > e.range.start).then(|| Fix {
        title: format!("Set to `{text}`"),
        applicability,
        edits: vec![Edit {
            range: e.range,
            new_text: text.to_string(),
        }],
    })
}

/// Whether a value is explicitly `True` (a config read or unknown is not).
/// (Pulumi types a few flags as strings: `encrypted="true"`.)
pub(crate) fn is_true(e: Option<&Expr>) -> bool {
    e.and_then(flag) == Some(true)
}

pub(crate) fn is_false(e: Option<&Expr>) -> bool {
    e.and_then(flag) == Some(false)
}

fn flag(e: &Expr) -> Option<bool> {
    e.as_bool().or_else(|| match e.as_str()? {
        s if s.eq_ignore_ascii_case("true") => Some(true),
        s if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

//! Infrastructure as code: the resource model of Pulumi, AWS CDK and CDKTF
//! programs (built per file from the extraction, kept in the summary), the
//! provider catalog, the price table and estimator, and the resource graph.
//! The IAC rules live in `rules/iac/` and read the model through
//! [`IacFile`].

pub mod catalog;
pub mod expr;
pub mod graph;
pub mod model;
pub mod pricing;
pub mod region;

pub use catalog::{Cloud, Framework, Kind};
pub use expr::{Arg, Expr, V};
pub use graph::resource_graph;
pub use pricing::{estimate_file, Estimate, PriceTable};

use crate::text::TextRange;
use serde::Serialize;
use smol_str::SmolStr;

/// The IaC part of a file's summary; absent for files without IaC imports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IacFile {
    pub resources: Vec<Resource>,
    /// A region the code sets for the whole file (provider, stack env).
    pub region: Option<RegionHint>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionHint {
    pub cloud: Cloud,
    pub value: Expr,
    /// Where it was read, e.g. `aws.Provider(region=…)`.
    pub source: SmolStr,
}

/// One resource constructor call.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resource {
    pub framework: Framework,
    pub cloud: Cloud,
    pub kind: Kind,
    /// The constructor resolved through imports, e.g. `pulumi_aws.s3.BucketV2`.
    pub constructor: SmolStr,
    /// Provider type: `aws:s3/bucketV2:BucketV2`, `AWS::S3::Bucket`, `aws_s3_bucket`.
    pub type_name: SmolStr,
    /// The logical name (Pulumi resource name, CDK/CDKTF construct id).
    pub name: Expr,
    /// The variable the resource is bound to (`bucket`, `self.bucket`).
    pub var: Option<SmolStr>,
    pub range: TextRange,
    pub callee_range: TextRange,
    /// Range of the argument list, parentheses included.
    pub args_range: TextRange,
    /// Keyword arguments, evaluated.
    pub props: Vec<Arg>,
    /// Calls on the resource after construction (`add_ingress_rule`, `grant_read`…).
    pub methods: Vec<MethodCall>,
    /// Other resources this one references: (resource index, via).
    pub refs: Vec<(u32, SmolStr)>,
    /// The call forwards `**kwargs`: missing arguments may be set there.
    pub has_star_kwargs: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodCall {
    /// The method path after the resource, e.g. `connections.allow_from_any_ipv4`.
    pub name: SmolStr,
    pub args: Vec<Arg>,
    pub range: TextRange,
    pub callee_range: TextRange,
}

impl Resource {
    pub fn prop(&self, name: &str) -> Option<&Arg> {
        self.props.iter().find(|a| a.name.as_deref() == Some(name))
    }

    /// The value of keyword `name`, if passed.
    pub fn get(&self, name: &str) -> Option<&Expr> {
        self.prop(name).map(|a| &a.value)
    }

    /// A display name: the logical name, else the variable, else the class.
    pub fn label(&self) -> String {
        match (self.name.as_str(), &self.var) {
            (Some(n), _) => n.to_string(),
            (None, Some(v)) => v.to_string(),
            _ => self
                .constructor
                .rsplit('.')
                .next()
                .unwrap_or(&self.constructor)
                .to_string(),
        }
    }

    pub fn class(&self) -> &str {
        self.constructor
            .rsplit('.')
            .next()
            .unwrap_or(&self.constructor)
    }

    /// The class with its module: `s3.BucketV2`, `rds.Instance` (CDKTF classes
    /// are unique on their own).
    pub fn short_type(&self) -> String {
        let parts: Vec<&str> = self.constructor.split('.').collect();
        let n = parts.len();
        if self.framework == Framework::Cdktf || n < 3 {
            return self.class().to_string();
        }
        format!(
            "{}.{}",
            parts[n - 2]
                .trim_start_matches("aws_")
                .trim_end_matches('_'),
            parts[n - 1]
        )
    }

    /// How a message names the resource: ``s3.BucketV2 `artifacts` ``.
    pub fn describe(&self) -> String {
        format!("{} `{}`", self.short_type(), self.label())
    }
}

impl IacFile {
    /// Resources that reference resource `idx` (through any argument).
    pub fn referrers(&self, idx: usize) -> impl Iterator<Item = (usize, &Resource)> {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.refs.iter().any(|(t, _)| *t as usize == idx))
    }
}

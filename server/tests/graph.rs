//! Graph acceptance tests on the fixture workspace `tests/workspaces/graph-demo`:
//! every import-resolution case, call resolution (exact and heuristic),
//! the impact set of a symbol against a hand-derived answer, data flow, and
//! incremental refresh of the graph cache.

use devops_intel::config::Config;
use devops_intel::graph::query::{self, Focus};
use devops_intel::graph::{impact, search_roots, CallLayer, GraphState, Snapshot};
use devops_intel::index::{analyze, discover, Workspace};
use devops_intel::rules::RuleSettings;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/workspaces/graph-demo")
        .canonicalize()
        .expect("fixture workspace exists")
}

struct Demo {
    root: PathBuf,
    ws: Workspace,
    roots: Vec<PathBuf>,
    state: GraphState,
}

impl Demo {
    fn new() -> Self {
        let root = demo_root();
        let (config, _) = Config::discover(&root).expect("fixture config parses");
        assert_eq!(config.src_dirs(), vec!["src".to_string(), ".".to_string()]);
        let files = discover(std::slice::from_ref(&root), &config);
        let ws = Workspace::new();
        ws.index(&files, &config);
        let roots = search_roots(std::slice::from_ref(&root), &config.src_dirs());
        Demo {
            root,
            ws,
            roots,
            state: GraphState::new(),
        }
    }

    fn snap(&self) -> (Snapshot, Arc<CallLayer>) {
        let (snap, _) = self.state.refresh(self.ws.summaries(), &self.roots);
        let calls = self.state.calls(&snap);
        (snap, calls)
    }
}

fn json(g: &devops_intel::graph::Graph) -> Value {
    g.to_json(devops_intel::text::Encoding::Utf16, |_| None)
}

fn edges(v: &Value) -> BTreeSet<(String, String)> {
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The `data` of edge `from -> to`.
fn edge<'a>(v: &'a Value, from: &str, to: &str) -> &'a Value {
    &v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == from && e["to"] == to)
        .unwrap_or_else(|| panic!("no edge {from} -> {to} in {:#?}", edges(v)))["data"]
}

fn node<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

#[test]
fn module_names_follow_src_layout_and_namespace_packages() {
    let d = Demo::new();
    let (snap, _) = d.snap();
    let ix = &snap.modules.index;
    let name = |rel: &str| ix.name_of(&d.root.join(rel)).map(str::to_string);
    assert_eq!(name("src/shop/__init__.py").as_deref(), Some("shop"));
    assert_eq!(name("src/shop/api.py").as_deref(), Some("shop.api"));
    assert_eq!(
        name("nsp/plugins/hello.py").as_deref(),
        Some("nsp.plugins.hello")
    );
    assert_eq!(name("tests/test_api.py").as_deref(), Some("tests.test_api"));
    let nsp = ix.get("nsp.plugins").expect("namespace package");
    assert!(nsp.is_package && nsp.path.is_none());
    assert!(ix.get("src").is_none(), "`src` is a root, not a package");
}

#[test]
fn module_graph_resolves_every_import_form() {
    let d = Demo::new();
    let (snap, _) = d.snap();
    let v = json(&snap.modules.graph(&snap.summaries, None, None));
    // absolute
    assert_eq!(edge(&v, "shop.api", "shop.models")["typeChecking"], false);
    // `from . import util`: a submodule
    edge(&v, "shop.api", "shop.util");
    // under TYPE_CHECKING: kept, marked
    assert_eq!(edge(&v, "shop.api", "shop.billing")["typeChecking"], true);
    // relative re-export in a package __init__
    edge(&v, "shop", "shop.api");
    // inside a function: kept, marked
    assert_eq!(edge(&v, "shop.models", "shop.pricing")["inFunction"], true);
    // `from shop import cycle_b`: a submodule; `from .cycle_a import THING`: a name
    edge(&v, "shop.cycle_a", "shop.cycle_b");
    edge(&v, "shop.cycle_b", "shop.cycle_a");
    // `from shop.util import not_a_module_but_a_name`: the module
    edge(&v, "shop.broken", "shop.util");
    // a namespace package importing through a package re-export
    edge(&v, "nsp.plugins.hello", "shop");
    edge(&v, "scripts.deploy", "nsp.plugins.hello");
    // externals grouped by top-level package
    for ext in ["subprocess", "boto3", "requests", "os", "yaml"] {
        assert_eq!(node(&v, ext)["kind"], "external-module", "{ext}");
    }
    edge(&v, "scripts.deploy", "requests");
    assert!(!edges(&v).iter().any(|(_, to)| to.starts_with("requests.")));
    // unresolved imports are not edges
    assert!(!edges(&v).iter().any(|(_, to)| to.contains("missing")));
    // cycle members are marked
    assert_eq!(node(&v, "shop.cycle_a")["data"]["inCycle"], true);
    assert_eq!(node(&v, "shop.api")["data"]["inCycle"], false);
}

#[test]
fn module_graph_focus_limits_depth() {
    let d = Demo::new();
    let (snap, _) = d.snap();
    let v = json(
        &snap
            .modules
            .graph(&snap.summaries, Some("shop.util"), Some(1)),
    );
    let ids: BTreeSet<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "module")
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = ["shop.util", "shop.api", "shop.broken", "tests.test_util"]
        .into_iter()
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(v["truncated"], true);
}

#[test]
fn call_graph_resolves_through_imports_aliases_self_cls_super_and_classes() {
    let d = Demo::new();
    let (snap, calls) = d.snap();
    let v = json(&query::call_graph(&snap, &calls, None, None));
    let exact = |from: &str, to: &str| {
        assert_eq!(edge(&v, from, to)["exact"], true, "{from} -> {to}");
    };
    // class instantiation -> __init__
    exact("shop.api.create_order", "shop.models.Order.__init__");
    // alias `slugify as slug`
    exact("shop.api.create_order", "shop.util.slugify");
    // `from . import util; util.normalize()`
    exact("shop.api.create_order", "shop.util.normalize");
    // a typed local (`order = Order(...)`), method inherited from Base
    exact("shop.api.create_order", "shop.models.Base.save");
    // self.method / cls.method / super().method
    exact("shop.models.Base.save", "shop.models.Base.validate");
    exact("shop.models.Order.create", "shop.models.Order.make");
    exact("shop.models.Order.validate", "shop.models.Base.validate");
    // module-level function of the same file; in-function `import shop.pricing`
    exact("shop.models.Order.total", "shop.models.compute");
    exact("shop.models.compute", "shop.pricing.price");
    // through a package re-export and a namespace package
    exact("nsp.plugins.hello.run", "shop.api.create_order");
    exact("scripts.deploy.main", "nsp.plugins.hello.run");
    // a method on a constructed object: `Order("a").total()`
    exact(
        "tests.test_api.TestOrder.test_total",
        "shop.models.Order.total",
    );
    // heuristic: a method called on an unknown object, unique in the workspace
    let h = edge(&v, "shop.billing.settle", "shop.billing.Invoice.reorder");
    assert_eq!(h["exact"], false);
    assert_eq!(h["resolution"], "heuristic");
    // unresolved external calls kept by dotted name
    assert_eq!(node(&v, "subprocess.run")["kind"], "external");
    assert_eq!(node(&v, "requests.get")["kind"], "external");
    assert_eq!(node(&v, "boto3.client")["kind"], "external");
}

#[test]
fn impact_of_a_symbol_equals_the_hand_derived_set() {
    let d = Demo::new();
    let (snap, calls) = d.snap();
    let target = query::resolve_focus(&snap, &calls, "shop.util.normalize").expect("symbol");
    let v = json(&impact::impact(&snap, &calls, &target));
    let got: BTreeSet<(String, String, u64)> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                n["kind"].as_str().unwrap().to_string(),
                n["data"]["distance"].as_u64().unwrap(),
            )
        })
        .collect();
    // Derived by hand from the fixture:
    //  normalize <- create_order (call), tests.test_util (imports it), test_normalize (call)
    //  create_order <- hello.run, Invoice.reorder, test_create (calls);
    //                  shop, shop.billing, nsp.plugins.hello, tests.test_api (import it)
    //  run <- scripts.deploy.main (call), scripts.deploy (imports it);
    //  reorder <- settle (a heuristic call: `invoice.reorder()`)
    let expected: BTreeSet<(String, String, u64)> = [
        ("shop.util.normalize", "function", 0),
        ("shop.api.create_order", "function", 1),
        ("tests.test_util", "test", 1),
        ("tests.test_util.test_normalize", "test", 1),
        ("nsp.plugins.hello.run", "function", 2),
        ("shop.billing.Invoice.reorder", "method", 2),
        ("tests.test_api.test_create", "test", 2),
        ("shop", "module", 2),
        ("shop.billing", "module", 2),
        ("nsp.plugins.hello", "module", 2),
        ("tests.test_api", "test", 2),
        ("scripts.deploy.main", "function", 3),
        ("shop.billing.settle", "function", 3),
        ("scripts.deploy", "module", 3),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn impact_of_a_module_follows_reverse_imports() {
    let d = Demo::new();
    let (snap, calls) = d.snap();
    let v = json(&impact::impact(
        &snap,
        &calls,
        &Focus::Module("shop.pricing".into()),
    ));
    let dist = |id: &str| node(&v, id)["data"]["distance"].as_u64().unwrap();
    assert_eq!(dist("shop.pricing"), 0);
    assert_eq!(dist("shop.models"), 1); // imports it (in a function)
    assert_eq!(dist("shop.models.compute"), 1); // calls price
    assert_eq!(dist("shop.api"), 2); // imports shop.models
    assert_eq!(node(&v, "tests.test_api")["kind"], "test");
}

#[test]
fn data_flow_lists_inputs_calls_and_outputs() {
    let d = Demo::new();
    let (snap, calls) = d.snap();
    let Some(Focus::Def(g)) = query::resolve_focus(&snap, &calls, "scripts.deploy.main") else {
        panic!("scripts.deploy.main not found");
    };
    let v = json(&devops_intel::graph::dataflow::dataflow(&snap, &calls, g));
    let kinds: BTreeSet<(String, String)> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (k, id) in [
        ("input", "env:API_URL"),
        ("call", "call:nsp.plugins.hello.run"),
        ("call", "call:subprocess.run"),
        ("output", "subprocess:ls"),
        ("output", "resource:s3.put_object"),
    ] {
        assert!(
            kinds.contains(&(k.to_string(), id.to_string())),
            "missing {k} {id} in {kinds:#?}"
        );
    }
    assert!(
        kinds
            .iter()
            .any(|(k, id)| k == "output" && id.starts_with("network:")),
        "{kinds:#?}"
    );
    edge(&v, "call:subprocess.run", "subprocess:ls");
}

#[test]
fn cache_rebuilds_only_when_imports_or_definitions_change() {
    let d = Demo::new();
    let (_, first) = d.state.refresh(d.ws.summaries(), &d.roots);
    assert!(first.modules_rebuilt);
    let (_, again) = d.state.refresh(d.ws.summaries(), &d.roots);
    assert!(!again.modules_rebuilt, "nothing changed");
    let path = d.root.join("src/shop/cycle_b.py");
    let settings = RuleSettings::default();
    // a body edit: same imports, no rebuild
    d.ws.insert(analyze(
        &path,
        "import os\nfrom .cycle_a import THING  # expect: ARC001\nX = 2\n",
        &settings,
    ));
    let (_, body) = d.state.refresh(d.ws.summaries(), &d.roots);
    assert!(!body.modules_rebuilt);
    // dropping the import that closes the cycle: ARC001 disappears from both files
    d.ws.insert(analyze(&path, "import os\nTHING = 2\n", &settings));
    let (snap, changed) = d.state.refresh(d.ws.summaries(), &d.roots);
    assert!(changed.modules_rebuilt);
    let a = d.root.join("src/shop/cycle_a.py");
    assert_eq!(changed.findings_changed, vec![a.clone(), path.clone()]);
    assert!(snap.findings.for_path(&a).is_empty());
}

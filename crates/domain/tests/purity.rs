//! Architecture invariant: the domain knows nothing of SQL, HTTP, SMTP, S3
//! or tokio. This test reads the resolved dependency graph (`cargo metadata`)
//! and fails if any I/O crate is reachable from the domain's normal
//! (non-dev) dependencies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};
use std::process::Command;

use serde_json::Value;

const FORBIDDEN: &[&str] = &[
    "sea-orm",
    "sqlx",
    "poem",
    "poem-openapi",
    "lettre",
    "object_store",
    "reqwest",
    "tokio",
    "hyper",
];

#[test]
fn the_domain_depends_on_no_io_crate() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = names
        .iter()
        .find(|(_, name)| **name == "fakturo-domain")
        .map(|(id, _)| *id)
        .unwrap();

    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|kind| kind["kind"].is_null() || kind["kind"] == "build");
            if normal {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let reachable: Vec<&str> = seen.iter().map(|id| names[id]).collect();
    for forbidden in FORBIDDEN {
        assert!(
            !reachable.contains(forbidden),
            "fakturo-domain reaches {forbidden}: {reachable:?}"
        );
    }
    assert!(reachable.contains(&"rust_decimal"), "the graph was read: {reachable:?}");
}

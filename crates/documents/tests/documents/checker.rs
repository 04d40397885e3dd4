//! The independent checker: `tests/check_einvoice.py` (Python, the
//! `facturx` package, lxml, Saxon) validates the Factur-X PDFs, the CII and
//! the UBL of the worked example, a credit note, the German invoice and a
//! reverse-charge invoice. The interpreter is `FAKTURO_TEST_PYTHON`, else
//! `.venv-test/bin/python` at the workspace root; without one that can
//! import `facturx` the test prints `skipped: no factur-x checker`, unless
//! `FAKTURO_REQUIRE_DOCUMENT_CHECKER=1`, where that and any check the script
//! skips (no `saxonche`, no `qpdf`) fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use fakturo_documents::{Document, cii, render_facturx, ubl};

use crate::fixtures;
use crate::support::{REQUIRE_CHECKER, checker_required, write_artifact};

fn python() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidate = std::env::var_os("FAKTURO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../.venv-test/bin/python"));
    let usable = Command::new(&candidate)
        .args(["-c", "import facturx, lxml, pypdf"])
        .output()
        .is_ok_and(|output| output.status.success());
    usable.then_some(candidate)
}

fn artifacts(name: &str, document: &Document) -> Vec<PathBuf> {
    vec![
        write_artifact(&format!("{name}.facturx.pdf"), &render_facturx(document).unwrap()),
        write_artifact(&format!("{name}.cii.xml"), cii(document).unwrap().as_bytes()),
        write_artifact(&format!("{name}.ubl.xml"), ubl(document).unwrap().as_bytes()),
    ]
}

#[test]
fn the_independent_checker_accepts_invoices_and_credit_notes() {
    let Some(python) = python() else {
        assert!(!checker_required(), "no factur-x checker and {REQUIRE_CHECKER}=1");
        println!("skipped: no factur-x checker");
        return;
    };
    let mut files = artifacts("worked-example", &fixtures::worked_example());
    files.extend(artifacts("credit-note", &fixtures::credit_note()));
    files.extend(artifacts("german", &fixtures::german()));
    files.extend(artifacts("reverse-charge", &fixtures::reverse_charge()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_einvoice.py");
    let output = Command::new(&python).arg(&script).args(&files).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the checker failed:\n{stdout}");
    assert!(
        !stdout.contains("SKIP") || !checker_required(),
        "a check was skipped:\n{stdout}"
    );
}

//! Helpers: where artifacts go, and the external tools (poppler's
//! `pdftotext` / `pdftoppm`, the Python checker) with their skip rules.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// Set to `1` to fail instead of skipping when a checker tool is missing.
pub const REQUIRE_CHECKER: &str = "FAKTURO_REQUIRE_DOCUMENT_CHECKER";

static ARTIFACTS: LazyLock<PathBuf> = LazyLock::new(|| match std::env::var_os("FAKTURO_DOCUMENTS_ARTIFACTS") {
    Some(dir) => {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
    None => tempfile::Builder::new()
        .prefix("fakturo-documents-")
        .tempdir()
        .unwrap()
        .keep(),
});

/// Writes `bytes` as `name` into the artifacts folder.
pub fn write_artifact(name: &str, bytes: &[u8]) -> PathBuf {
    let path = ARTIFACTS.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// True when the checker tools are required rather than optional.
pub fn checker_required() -> bool {
    std::env::var(REQUIRE_CHECKER).is_ok_and(|value| value == "1")
}

/// Whether a program is on the PATH; if not, skips (prints one line) or,
/// when required, fails.
pub fn tool_available(program: &str, skip_line: &str) -> bool {
    let found = Command::new(program).arg("-v").output().is_ok();
    if !found {
        assert!(!checker_required(), "{program} is missing and {REQUIRE_CHECKER}=1");
        println!("{skip_line}");
    }
    found
}

/// The text of a PDF by `pdftotext -layout`, or `None` (skipped) without
/// poppler.
pub fn pdf_text(pdf: &Path) -> Option<String> {
    if !tool_available("pdftotext", "skipped: no pdftotext (apt-get install poppler-utils)") {
        return None;
    }
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Page 1 of a PDF as a PNG next to it, or `None` (skipped) without poppler.
pub fn first_page_png(pdf: &Path) -> Option<PathBuf> {
    if !tool_available("pdftoppm", "skipped: no pdftoppm (apt-get install poppler-utils)") {
        return None;
    }
    let prefix = pdf.with_extension("");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm failed");
    Some(prefix.with_extension("png"))
}

/// Text with its runs of whitespace folded to one space, for searching
/// `pdftotext` output that spreads a phrase over columns.
pub fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

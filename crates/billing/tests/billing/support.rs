//! What the tests share: the Python venv with localstripe and the SDKs
//! (skipped with a printed reason when missing, unless
//! `FAKTURO_REQUIRE_BILLING_FAKES=1`), settings for fast retries, the wall
//! clock for the parts that check it themselves, and form decoding.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use fakturo_billing::{HttpSettings, RetryPolicy};

/// HTTP settings for a fake at `base_url`: short timeouts and waits.
pub fn fast_settings(base_url: &str) -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        retry: RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        },
        ..HttpSettings::new(base_url)
    }
}

/// Whether missing fakes fail the run (CI) instead of skipping.
pub fn required() -> bool {
    std::env::var("FAKTURO_REQUIRE_BILLING_FAKES").is_ok_and(|v| v == "1")
}

/// The venv's Python if it has `modules`; otherwise `None` after printing
/// why (or failing when required).
pub fn python_with(modules: &[&str], test: &str) -> Option<PathBuf> {
    let python = std::env::var_os("FAKTURO_TEST_BILLING_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-test/bin/python"));
    let imports = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let usable = python.exists()
        && Command::new(&python)
            .args(["-c", &imports])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if usable {
        return Some(python);
    }
    let missing = format!(
        "{} cannot import {} (python3 -m venv .venv-test && .venv-test/bin/pip install localstripe stripe paddle-python-sdk)",
        python.display(),
        modules.join(", ")
    );
    assert!(
        !required(),
        "{test}: {missing}; FAKTURO_REQUIRE_BILLING_FAKES=1 forbids skipping"
    );
    let reason = format!("{test}: skipped: {missing}");
    eprintln!("{reason}");
    None
}

/// Runs `script` with `args`, `stdin` as input; returns stdout and whether it succeeded.
pub fn run_python(python: &PathBuf, script: &str, args: &[&str], stdin: &[u8]) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() {
        eprintln!("python: {}", String::from_utf8_lossy(&output.stderr));
    }
    (output.status.success(), stdout)
}

/// The wall clock, for checks made against another process's clock (the
/// SDKs' tolerance, localstripe's signatures).
#[allow(clippy::disallowed_methods)]
pub fn wall_clock() -> DateTime<Utc> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    DateTime::from_timestamp(since_epoch.as_secs() as i64, 0).unwrap()
}

/// Decodes `application/x-www-form-urlencoded` into pairs, in order.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    std::str::from_utf8(body)
        .unwrap()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// A free local port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

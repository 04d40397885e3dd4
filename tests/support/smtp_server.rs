//! A real SMTP server for the tests: aiosmtpd, started as a child process
//! that is killed when the handle is dropped.
//!
//! The Python with aiosmtpd comes from `FAKTURO_TEST_SMTP_PYTHON`, else from
//! the workspace's `.venv-test`. When neither has aiosmtpd the tests print
//! one "skipped" line and pass, unless `FAKTURO_REQUIRE_SMTP=1` makes that a
//! failure.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A running aiosmtpd that stores every message in a Maildir.
#[derive(Debug)]
pub struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
    _temp: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts a server, or returns `None` (after printing why) when no
    /// aiosmtpd is available and none is required. `extra_args` go before
    /// the handler arguments (such as `["-s", "2000"]`).
    pub fn start(extra_args: &[&str]) -> Option<Self> {
        let Some(python) = find_python() else {
            assert!(
                std::env::var("FAKTURO_REQUIRE_SMTP").as_deref() != Ok("1"),
                "FAKTURO_REQUIRE_SMTP=1 but no Python with aiosmtpd was found (set FAKTURO_TEST_SMTP_PYTHON)"
            );
            use std::io::Write as _;
            // Straight to stderr, past the test harness's capture, so the skip is seen.
            let _ = writeln!(std::io::stderr(), "skipped: no aiosmtpd (set FAKTURO_TEST_SMTP_PYTHON)");
            return None;
        };
        let temp = tempfile::tempdir().expect("test SMTP server");
        let maildir = temp.path().join("mail");
        let log_path = temp.path().join("aiosmtpd.log");
        let port = free_port();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(extra_args)
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log_path).expect("test SMTP server"))
            .spawn()
            .unwrap_or_else(|error| panic!("could not start {}: {error}", python.display()));
        let mut server = Self {
            child,
            port,
            maildir,
            _temp: temp,
        };
        server.wait_until_listening(&log_path);
        Some(server)
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The messages received so far, as raw bytes.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .map(|entry| fs::read(entry.expect("test SMTP server").path()).expect("test SMTP server"))
            .collect()
    }

    fn wait_until_listening(&mut self, log_path: &Path) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(status) = self.child.try_wait().expect("test SMTP server") {
                panic!(
                    "aiosmtpd exited ({status}): {}",
                    fs::read_to_string(log_path).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "aiosmtpd did not listen within 10 s");
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python to run aiosmtpd with, if one can import it.
fn find_python() -> Option<PathBuf> {
    let from_env = std::env::var_os("FAKTURO_TEST_SMTP_PYTHON").map(PathBuf::from);
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv-test/bin/python");
    [from_env, Some(venv)].into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("test SMTP server")
        .local_addr()
        .expect("test SMTP server")
        .port()
}

//! A real S3 API for the tests: moto's server, started as a child process
//! that is killed when the handle is dropped. It keeps everything in memory.
//!
//! The Python with `moto[server]` comes from `FAKTURO_TEST_S3_PYTHON`, else
//! from the workspace's `.venv-test`. When neither has it the tests print
//! one "skipped" line and pass, unless `FAKTURO_REQUIRE_S3=1` makes that a
//! failure.

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::smtp_server::free_port;

/// The region moto's buckets live in when none is asked for.
pub const REGION: &str = "us-east-1";
/// moto accepts any key pair; the tests use these.
pub const ACCESS_KEY_ID: &str = "fakturo-test";
/// moto accepts any key pair; the tests use these.
pub const SECRET_ACCESS_KEY: &str = "fakturo-test-secret";

/// A running moto server.
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    port: u16,
    _temp: tempfile::TempDir,
}

impl MotoServer {
    /// Starts a server, or returns `None` (after printing why) when no
    /// moto is available and none is required.
    pub fn start() -> Option<Self> {
        let Some(python) = find_python() else {
            assert!(
                std::env::var("FAKTURO_REQUIRE_S3").as_deref() != Ok("1"),
                "FAKTURO_REQUIRE_S3=1 but no Python with moto[server] was found (set FAKTURO_TEST_S3_PYTHON)"
            );
            // Straight to stderr, past the test harness's capture, so the skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: no moto server (set FAKTURO_TEST_S3_PYTHON)"
            );
            return None;
        };
        let temp = tempfile::tempdir().expect("test S3 server");
        let log_path = temp.path().join("moto.log");
        let port = free_port();
        let child = Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log_path).expect("test S3 server"))
            .spawn()
            .unwrap_or_else(|error| panic!("could not start {}: {error}", python.display()));
        let mut server = Self {
            child,
            port,
            _temp: temp,
        };
        server.wait_until_answering(&log_path);
        Some(server)
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The S3 endpoint, `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a bucket through the S3 API (`PUT /<bucket>`), since object
    /// stores cannot create buckets.
    pub fn create_bucket(&self, bucket: &str) {
        let status = self.send("PUT", &format!("/{bucket}")).map(|response| response.status);
        assert_eq!(status, Some(200), "moto refused to create bucket {bucket}");
    }

    /// Every key in `bucket`, read straight from the S3 API (one listing
    /// page: up to 1000 keys), to see what a store really wrote.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let response = self
            .send("GET", &format!("/{bucket}?list-type=2"))
            .filter(|response| response.status == 200)
            .unwrap_or_else(|| panic!("moto could not list bucket {bucket}"));
        response
            .body
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>").map(|(key, _)| key.to_owned()))
            .collect()
    }

    /// The ETag of an object, as moto reports it (`"<md5>-<parts>"` after a
    /// multipart upload), or `None` if there is no such object.
    pub fn etag(&self, bucket: &str, key: &str) -> Option<String> {
        let response = self
            .send("HEAD", &format!("/{bucket}/{key}"))
            .filter(|response| response.status == 200)?;
        response.head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("etag").then(|| value.trim().to_owned())
        })
    }

    /// Sends a bodiless HTTP/1.0 request (so the answer is neither chunked
    /// nor kept alive) as the test key pair: moto reads the access key from
    /// the `Authorization` header and checks no signature, but refuses
    /// anonymous reads of objects. `None` if no HTTP response came back.
    fn send(&self, method: &str, path: &str) -> Option<Response> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        write!(
            stream,
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/20260101/{REGION}/s3/aws4_request, \
             SignedHeaders=host, Signature=0\r\n\r\n",
            self.port
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        Some(Response {
            status: head.split(' ').nth(1)?.parse().ok()?,
            head: head.to_owned(),
            body: body.to_owned(),
        })
    }

    fn wait_until_answering(&mut self, log_path: &Path) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.send("GET", "/").is_some_and(|response| response.status == 200) {
                return;
            }
            if let Some(status) = self.child.try_wait().expect("test S3 server") {
                panic!(
                    "moto_server exited ({status}): {}",
                    fs::read_to_string(log_path).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "moto_server did not answer within 20 s");
            sleep(Duration::from_millis(50));
        }
    }
}

/// One answer from moto.
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python to run moto's server with, if one can import it.
fn find_python() -> Option<PathBuf> {
    let from_env = std::env::var_os("FAKTURO_TEST_S3_PYTHON").map(PathBuf::from);
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv-test/bin/python");
    [from_env, Some(venv)].into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

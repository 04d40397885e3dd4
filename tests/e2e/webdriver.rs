//! A headless Chromium for the end-to-end tests: Debian's `chromium` driven
//! through its `chromedriver` (package `chromium-driver`) with the W3C
//! WebDriver protocol, JSON over HTTP with reqwest. Each [`Browser`] runs its
//! own chromedriver on a free port with a fresh profile directory; dropping
//! it ends the browser session and the driver.
//!
//! The programs are `/usr/bin/chromium` and `/usr/bin/chromedriver` unless
//! `FAKTURO_TEST_CHROMIUM` and `FAKTURO_TEST_CHROMEDRIVER` name others. When
//! either is missing the test prints one "skipped" line and passes, unless
//! `FAKTURO_REQUIRE_CHROMIUM=1` makes that a failure (as `.ci/run` does).

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key under which WebDriver returns an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session on a chromedriver of its own.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

fn program(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, or returns `None`
    /// (after printing why) when they are not installed and not required.
    pub async fn start() -> Option<Self> {
        let chromium = program("FAKTURO_TEST_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = program("FAKTURO_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
        if let Some(missing) = [&chromium, &chromedriver].into_iter().find(|p| !p.is_file()) {
            assert!(
                std::env::var("FAKTURO_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
                "FAKTURO_REQUIRE_CHROMIUM=1 but {} is missing (apt-get install chromium chromium-driver)",
                missing.display()
            );
            eprintln!(
                "skipped: no {} (apt-get install chromium chromium-driver, or FAKTURO_REQUIRE_CHROMIUM=1 to fail instead)",
                missing.display()
            );
            return None;
        }
        let port = fakturo_tests::smtp_server::free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} did not start: {e}", chromedriver.display()));
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Self {
            driver,
            port,
            session: String::new(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            _profile: profile,
        };
        browser.wait_until_ready().await;
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--no-first-run",
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ],
            },
        }}});
        let created = browser
            .command(reqwest::Method::POST, "/session", Some(capabilities))
            .await;
        browser.session = created["sessionId"].as_str().unwrap().to_owned();
        Some(browser)
    }

    async fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            let status = self
                .http
                .get(format!("http://127.0.0.1:{}/status", self.port))
                .send()
                .await;
            if let Ok(status) = status
                && let Ok(body) = status.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return;
            }
            if let Some(exit) = self.driver.try_wait().unwrap() {
                panic!("chromedriver exited at start: {exit}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not get ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// One WebDriver command: its `value`, or a panic with WebDriver's error.
    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let mut request = self.http.request(method.clone(), url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let reply: Value = response.json().await.unwrap();
        assert!(
            status.is_success(),
            "WebDriver {method} {path}: {status} {}",
            reply["value"]
        );
        reply["value"].clone()
    }

    fn at(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    /// Navigates to `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, &self.at("/url"), Some(json!({"url": url})))
            .await;
    }

    /// The address of the page shown.
    pub async fn current_url(&self) -> String {
        let url = self.command(reqwest::Method::GET, &self.at("/url"), None).await;
        url.as_str().unwrap_or_default().to_owned()
    }

    /// The title of the page shown.
    pub async fn title(&self) -> String {
        let title = self.command(reqwest::Method::GET, &self.at("/title"), None).await;
        title.as_str().unwrap_or_default().to_owned()
    }

    /// The elements matching a CSS selector (none: an empty list).
    pub async fn find_all(&self, css: &str) -> Vec<String> {
        let found = self
            .command(
                reqwest::Method::POST,
                &self.at("/elements"),
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|element| element[ELEMENT].as_str().unwrap().to_owned())
            .collect()
    }

    /// The rendered text of an element.
    pub async fn text(&self, element: &str) -> String {
        let text = self
            .command(
                reqwest::Method::GET,
                &self.at(&format!("/element/{element}/text")),
                None,
            )
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// Clicks an element as a user would (scrolled into view, must be interactable).
    pub async fn click(&self, element: &str) {
        self.command(
            reqwest::Method::POST,
            &self.at(&format!("/element/{element}/click")),
            Some(json!({})),
        )
        .await;
    }

    /// Waits up to `within` until the current address satisfies `arrived`, and returns it.
    pub async fn wait_for_url(&self, arrived: impl Fn(&str) -> bool, within: Duration) -> String {
        let started = Instant::now();
        loop {
            let url = self.current_url().await;
            if arrived(&url) {
                return url;
            }
            assert!(started.elapsed() < within, "the browser stayed at {url}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends the browser session (Chromium exits) and the driver.
    pub async fn quit(mut self) {
        self.command(reqwest::Method::DELETE, &self.at(""), None).await;
        self.session.clear();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // After a failed assertion: end the session with a plain blocking
        // request so that Chromium does not outlive the test, then the driver.
        if !self.session.is_empty()
            && let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port))
        {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session, self.port
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read(&mut [0_u8; 512]);
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

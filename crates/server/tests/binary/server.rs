//! The `fakturo` binary as a child process: configured only through
//! `FAKTURO_<SECTION>__<KEY>` variables, in a working directory of its own,
//! listening on a free port; its output goes to a log file that a failing
//! test prints.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The key ring's key (32 bytes of 0x2a, base64), as in the end-to-end tests.
const TEST_KEY: &str = "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

/// How one run of the server is configured.
#[derive(Clone, Debug)]
pub struct Config {
    /// The database URL.
    pub database_url: String,
    /// The Stripe API base URL (the wiremock fake).
    pub stripe_api_url: String,
    /// The working directory (data, outbox, files, log).
    pub dir: PathBuf,
    /// Whether the in-process workers run.
    pub workers: bool,
}

/// A running `fakturo serve`.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:{port}`.
    pub base: String,
    log: PathBuf,
    http: reqwest::Client,
}

/// A reply: status and JSON body (`Value::Null` when empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// Starts the binary and waits until `/health` answers.
    pub async fn start(config: &Config) -> Self {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let dir: &Path = &config.dir;
        let log = dir.join(format!("fakturo-{port}.log"));
        let output = std::fs::File::create(&log).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_fakturo"));
        // Only this test's settings: nothing inherited from the caller's environment.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("FAKTURO_") {
                command.env_remove(name);
            }
        }
        command
            .arg("serve")
            .current_dir(dir)
            .env("FAKTURO_HTTP__BIND", format!("127.0.0.1:{port}"))
            .env("FAKTURO_HTTP__PUBLIC_URL", &base)
            .env("FAKTURO_DATABASE__URL", &config.database_url)
            .env("FAKTURO_SECRETS__KEYS", format!("test:{TEST_KEY}"))
            .env("FAKTURO_AUTH__IP_RATE_LIMIT_PER_MINUTE", "0")
            .env("FAKTURO_EMAIL__TRANSPORT", "file")
            .env("FAKTURO_EMAIL__OUTBOX_DIR", dir.join("outbox"))
            .env("FAKTURO_STORAGE__LOCAL_DIR", dir.join("files"))
            .env("FAKTURO_BILLING__STRIPE__API_URL", &config.stripe_api_url)
            .env("FAKTURO_WORKERS__ENABLED", config.workers.to_string())
            .env("FAKTURO_WORKERS__POLL_INTERVAL_MS", "50")
            .env("FAKTURO_LOG__LEVEL", "info,sqlx=warn,sea_orm=warn")
            .stdin(Stdio::null())
            .stdout(output.try_clone().unwrap())
            .stderr(output);
        let child = command.spawn().unwrap();
        let mut server = Self {
            child,
            base,
            log,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&mut self) {
        let started = Instant::now();
        loop {
            let health = self.http.get(format!("{}/health", self.base)).send().await;
            if health.is_ok_and(|reply| reply.status().is_success()) {
                return;
            }
            if let Some(exit) = self.child.try_wait().unwrap() {
                panic!("fakturo exited at start ({exit}):\n{}", self.output());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "fakturo did not answer /health:\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the process wrote so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `kill -9`: no shutdown of any kind; returns how the process ended.
    pub fn kill_hard(mut self) -> ExitStatus {
        self.child.kill().unwrap();
        self.child.wait().unwrap()
    }

    /// A request with an optional bearer token and JSON body.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// Signs up an organization: the session token and the organization id.
    pub async fn signup(&self, email: &str) -> (String, String) {
        let body = json!({
            "email": email,
            "password": "correct horse battery",
            "name": "Erika Mustermann",
            "organization_name": "Muster Design GmbH",
            "country": "DE",
            "accept_policy_version": "2026-11-01",
            "confirm_minimum_age": true,
        });
        let reply = self.call(Method::POST, "/api/v1/signup", None, Some(body)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (
            reply.body["token"].as_str().unwrap().to_owned(),
            reply.body["organization"]["id"].as_str().unwrap().to_owned(),
        )
    }

    /// A client and a finalized invoice of 200.56 EUR: the invoice id.
    pub async fn finalized_invoice(&self, token: &str) -> String {
        let client = self
            .call(
                Method::POST,
                "/api/v1/clients",
                Some(token),
                Some(json!({"name": "Client GmbH", "email": "billing@client.example"})),
            )
            .await;
        assert_eq!(client.status, StatusCode::CREATED, "{}", client.body);
        let draft = json!({
            "client_id": client.body["id"],
            "currency": "EUR",
            "lines": [
                {"description": "Design work", "quantity": "3", "unit_price": "19.99", "tax_rate": "19"},
                {"description": "Travel", "quantity": "1.5", "unit_price": "80.00", "tax_rate": "7"},
                {"description": "Stickers", "quantity": "2", "unit_price": "0.333", "tax_rate": "19"},
            ],
        });
        let invoice = self
            .call(Method::POST, "/api/v1/invoices", Some(token), Some(draft))
            .await;
        assert_eq!(invoice.status, StatusCode::CREATED, "{}", invoice.body);
        let id = invoice.body["id"].as_str().unwrap().to_owned();
        let finalized = self
            .call(
                Method::POST,
                &format!("/api/v1/invoices/{id}/finalize"),
                Some(token),
                Some(json!({})),
            )
            .await;
        assert_eq!(finalized.status, StatusCode::OK, "{}", finalized.body);
        assert_eq!(finalized.body["total"], "200.56", "{}", finalized.body);
        id
    }

    /// Posts a raw webhook body with its `Stripe-Signature` to the tenant's endpoint.
    pub async fn deliver(&self, tenant: &str, body: &str, signature: &str) -> StatusCode {
        self.http
            .post(format!("{}/api/v1/webhooks/stripe-connect/{tenant}", self.base))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Stripe-Signature", signature)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .status()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A test that failed midway must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

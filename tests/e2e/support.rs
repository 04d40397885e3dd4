//! Test support: a running application per test on a scratch database, an
//! HTTP client, and a log capture shared by the whole binary.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{TimeZone, Utc};
use fakturo_database::Backend;
use fakturo_database::scratch::{ScratchDatabase, ScratchError};
use fakturo_domain::kernel::clock::ManualClock;
use fakturo_server::http::AppState;
use fakturo_server::settings::{LogFormat, LogSettings};
use fakturo_server::workers::Workers;
use fakturo_server::{Application, Settings, telemetry};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Runs each listed async test once per backend: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some(app) = $crate::support::TestApp::spawn(fakturo_database::Backend::Sqlite).await {
                    super::$case(app).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some(app) = $crate::support::TestApp::spawn(fakturo_database::Backend::Postgres).await {
                    super::$case(app).await;
                }
            })+
        }
    };
}

/// Like `on_both_backends!`, with settings changed by the function `$adjust(&mut Settings)` of the invoking module.
#[macro_export]
macro_rules! on_both_backends_with {
    ($adjust:ident; $($case:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some(app) = $crate::support::TestApp::spawn_with(fakturo_database::Backend::Sqlite, super::$adjust).await {
                    super::$case(app).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                if let Some(app) = $crate::support::TestApp::spawn_with(fakturo_database::Backend::Postgres, super::$adjust).await {
                    super::$case(app).await;
                }
            })+
        }
    };
}

/// Every log line written by any test of this binary.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().unwrap()).into_owned()
}

fn log_buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static BUFFER: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUFFER.get_or_init(|| Arc::new(Mutex::new(Vec::new())))
}

#[derive(Clone)]
struct CaptureWriter(Arc<Mutex<Vec<u8>>>);

impl Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn init_logs() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let writer = CaptureWriter(log_buffer().clone());
        let settings = LogSettings {
            level: "debug,sqlx=warn,sea_orm=info,hyper=info,poem=info".into(),
            format: LogFormat::Json,
        };
        telemetry::init_with_writer(&settings, move || writer.clone());
    });
}

/// The key ring's key in tests (32 bytes of 0x2a, base64).
pub const TEST_KEY: &str = "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

/// A running application.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub workers: Workers,
    /// Where the file mailer writes `.eml` files.
    pub outbox: std::path::PathBuf,
    _scratch: Option<ScratchDatabase>,
}

/// A signed-up owner: their token and organization id.
#[derive(Clone, Debug)]
pub struct Account {
    /// An owner-role API token: it does not expire, so tests that move the
    /// clock by months (or run the scheduler, whose sweep deletes expired
    /// sessions) keep working.
    pub token: String,
    /// The session token from sign-up, for tests of sessions themselves.
    pub session: String,
    pub organization_id: String,
}

/// A response: status and JSON body (`Value::Null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub content_type: String,
}

impl Reply {
    /// The problem `code` of an error response.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    pub fn str(&self, field: &str) -> String {
        self.body[field].as_str().unwrap_or_default().to_owned()
    }
}

impl TestApp {
    /// Starts the application on a fresh database; `None` when PostgreSQL is skipped.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with changed settings.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Option<Self> {
        init_logs();
        let scratch = match ScratchDatabase::create(backend).await {
            Ok(scratch) => scratch,
            Err(skip @ ScratchError::Skipped(_)) => {
                fakturo_database::scratch::announce_skip(&skip);
                return None;
            }
            Err(error) => panic!("{error}"),
        };
        let mut app = Self::spawn_on(&scratch, adjust).await;
        app._scratch = Some(scratch);
        Some(app)
    }

    /// Starts the application on an existing scratch database (which the caller keeps).
    pub async fn spawn_on(scratch: &ScratchDatabase, adjust: impl FnOnce(&mut Settings)) -> Self {
        init_logs();
        let mut settings = Settings::defaults().unwrap();
        settings.http.bind = "127.0.0.1:0".parse().unwrap();
        settings.database.url = scratch.url().to_owned();
        settings.database.max_connections = 12;
        let outbox = std::env::temp_dir().join(format!("fakturo-outbox-{}", uuid::Uuid::new_v4().simple()));
        settings.email.outbox_dir = outbox.display().to_string();
        settings.storage.local_dir =
            std::env::temp_dir().join(format!("fakturo-files-{}", uuid::Uuid::new_v4().simple()));
        // Tests drive the workers themselves, deterministically.
        settings.workers.enabled = false;
        // A fixed key ring (no key file), and no per-address limit: every
        // test client comes from 127.0.0.1. The rate-limit test turns it on.
        settings.secrets.keys = format!("test:{TEST_KEY}");
        settings.auth.ip_rate_limit_per_minute = 0;
        adjust(&mut settings);
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()));
        let app = Application::build_with_clock(settings, clock.clone()).await.unwrap();
        let base = format!("http://{}", app.address());
        let state = app.state().clone();
        let workers = app.workers().clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            base,
            http: reqwest::Client::new(),
            clock,
            state,
            workers,
            outbox,
            _scratch: None,
        }
    }

    /// Runs the operator task `run-due --as-of date` against this app's database.
    pub async fn run_due(&self, date: &str) -> String {
        let date = date.parse().unwrap();
        fakturo_server::ops::run_due(&self.state.settings, Some(date))
            .await
            .unwrap()
    }

    /// Performs every due job (emails) now.
    pub async fn drain_jobs(&self) {
        self.workers.drain().await.unwrap();
    }

    /// The `.eml` files whose recipient is `address`, oldest first.
    pub fn emails_to(&self, address: &str) -> Vec<String> {
        let address = address.to_lowercase();
        let mut found: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&self.outbox)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .map(|e| {
                        let modified = e.metadata().and_then(|m| m.modified()).unwrap();
                        (modified, std::fs::read_to_string(e.path()).unwrap())
                    })
                    .filter(|(_, text)| {
                        text.to_lowercase()
                            .lines()
                            .any(|l| l.starts_with("to:") && l.contains(&address))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by_key(|(modified, _)| *modified);
        found.into_iter().map(|(_, text)| text).collect()
    }

    /// Drains the jobs and returns the token of the newest link emailed to
    /// `address` whose subject contains `subject`.
    pub async fn link_token(&self, address: &str, subject: &str) -> String {
        self.drain_jobs().await;
        let email = self
            .emails_to(address)
            .into_iter()
            .rev()
            .find(|text| text.lines().any(|l| l.starts_with("Subject:") && l.contains(subject)))
            .unwrap_or_else(|| panic!("no email {subject:?} to {address}"));
        token_in(&email)
    }

    /// Invites `email` with `role` as `inviter`, accepts through the emailed link, and returns the new user's session.
    pub async fn join(&self, inviter: &Account, email: &str, role: &str) -> Account {
        let invited = self
            .post(
                "/api/v1/users/invitations",
                &inviter.token,
                json!({"email": email, "role": role}),
            )
            .await;
        assert_eq!(invited.status, StatusCode::CREATED, "{:?}", invited.body);
        let token = self.link_token(email, "invites you").await;
        let joined = self
            .call(
                Method::POST,
                "/api/v1/invitations/accept",
                None,
                Some(json!({
                    "token": token,
                    "name": "Team Member",
                    "password": "a long team password",
                    "accept_policy_version": "2026-11-01",
                    "confirm_minimum_age": true,
                })),
            )
            .await;
        assert_eq!(joined.status, StatusCode::CREATED, "{:?}", joined.body);
        Account {
            token: joined.str("token"),
            session: joined.str("token"),
            organization_id: joined.body["organization"]["id"].as_str().unwrap().to_owned(),
        }
    }

    /// A connection of its own to this app's database (for checks in SQL).
    pub async fn db(&self) -> sea_orm::DatabaseConnection {
        fakturo_database::connect(&fakturo_database::DatabaseSettings {
            url: self.state.settings.database.url.clone(),
            max_connections: 2,
            acquire_timeout: std::time::Duration::from_secs(30),
        })
        .await
        .unwrap()
    }

    /// Rows per table that belong to `tenant`, in every table of the live
    /// schema that has a `tenant_id` column (and `organizations` by id).
    pub async fn tenant_rows(&self, tenant: &str) -> std::collections::BTreeMap<String, i64> {
        use sea_orm::{ConnectionTrait, Statement};
        let db = self.db().await;
        let backend = db.get_database_backend();
        let schema = fakturo_database::data_map::schema_columns(&db).await.unwrap();
        let placeholder = match backend {
            sea_orm::DbBackend::Postgres => "$1",
            _ => "?",
        };
        let mut counts = std::collections::BTreeMap::new();
        for (table, columns) in schema {
            let column = if table == "organizations" {
                "id"
            } else if columns.contains("tenant_id") {
                "tenant_id"
            } else {
                continue;
            };
            let sql = format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE \"{column}\" = {placeholder}");
            let value = sea_orm::Value::from(uuid::Uuid::parse_str(tenant).unwrap());
            let row = db
                .query_one_raw(Statement::from_sql_and_values(backend, sql, [value]))
                .await
                .unwrap()
                .unwrap();
            counts.insert(table, row.try_get::<i64>("", "n").unwrap());
        }
        counts
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.call_with(method, path, token, body, &[]).await
    }

    /// Like [`TestApp::call`] with extra headers.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            body,
            content_type,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Signs up a new organization; `email` must be unique in the test.
    pub async fn signup(&self, email: &str) -> Account {
        let reply = self
            .call(
                Method::POST,
                "/api/v1/signup",
                None,
                Some(signup_body(email, "correct horse battery")),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        // The welcome (address verification) email goes out at once, as a
        // running worker would send it, so later counts see only new emails.
        self.drain_jobs().await;
        let session = reply.str("token");
        let api_token = self
            .post("/api/v1/api-tokens", &session, json!({"name": "tests"}))
            .await;
        assert_eq!(api_token.status, StatusCode::CREATED, "{:?}", api_token.body);
        Account {
            token: api_token.str("token"),
            session,
            organization_id: reply.body["organization"]["id"].as_str().unwrap().to_owned(),
        }
    }

    /// Creates a client and returns its id.
    pub async fn client(&self, account: &Account, name: &str) -> String {
        let reply = self
            .post(
                "/api/v1/clients",
                &account.token,
                json!({"name": name, "email": "billing@client.example"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.str("id")
    }

    /// Creates the worked-example draft of the API outline and returns the reply.
    pub async fn worked_example(&self, account: &Account, client_id: &str) -> Reply {
        let reply = self
            .post("/api/v1/invoices", &account.token, worked_example_body(client_id))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply
    }
}

/// The token of the first `#token=` link in an email's plain-text part.
pub fn token_in(email: &str) -> String {
    let mail = mailparse::parse_mail(email.as_bytes()).unwrap();
    let text = std::iter::once(&mail)
        .chain(mail.subparts.iter())
        .find(|part| part.ctype.mimetype == "text/plain")
        .map(|part| part.get_body().unwrap())
        .expect("a plain-text part");
    let start = text.find("#token=").expect("a link with a token") + "#token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

pub fn signup_body(email: &str, password: &str) -> Value {
    json!({
        "email": email,
        "password": password,
        "name": "Erika Mustermann",
        "organization_name": "Muster Design GmbH",
        "country": "DE",
        "accept_policy_version": "2026-11-01",
        "confirm_minimum_age": true,
    })
}

pub fn worked_example_body(client_id: &str) -> Value {
    json!({
        "client_id": client_id,
        "currency": "EUR",
        "lines": [
            {"description": "Design work", "quantity": "3", "unit_price": "19.99", "tax_rate": "19"},
            {"description": "Travel", "quantity": "1.5", "unit_price": "80.00", "tax_rate": "7"},
            {"description": "Stickers", "quantity": "2", "unit_price": "0.333", "tax_rate": "19"},
        ],
    })
}

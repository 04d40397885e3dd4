//! Security by default: API tokens, cookie sessions with CSRF protection,
//! sign-in throttling that never locks the owner out, per-address rate
//! limits, argon2id parameters, and Stripe keys sealed at rest with a
//! rotatable key ring.

use fakturo_database::Backend;
use fakturo_database::scratch::{ScratchDatabase, ScratchError};
use fakturo_server::settings::Settings;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TEST_KEY, TestApp};
use crate::{on_both_backends, on_both_backends_with};

on_both_backends!(
    api_tokens_are_prefixed_capped_and_revocable,
    cookie_sessions_need_the_csrf_header,
    password_hashes_are_argon2id_with_asvs_parameters
);

mod throttling {
    use super::*;

    fn behind_one_proxy(settings: &mut Settings) {
        settings.http.trusted_proxy_hops = 1;
    }

    on_both_backends_with!(behind_one_proxy; guessing_is_throttled_for_the_attacker_only);

    async fn guessing_is_throttled_for_the_attacker_only(app: TestApp) {
        super::guessing_is_throttled_for_the_attacker_only(app).await;
    }
}

mod rate_limits {
    use super::*;

    fn limited(settings: &mut Settings) {
        settings.http.trusted_proxy_hops = 1;
        settings.auth.ip_rate_limit_per_minute = 5;
    }

    on_both_backends_with!(limited; credential_routes_are_rate_limited_per_address);

    async fn credential_routes_are_rate_limited_per_address(app: TestApp) {
        super::credential_routes_are_rate_limited_per_address(app).await;
    }
}

async fn api_tokens_are_prefixed_capped_and_revocable(app: TestApp) {
    let owner = app.signup("tokens@security.example").await;
    let accountant = app.join(&owner, "books@security.example", "accountant").await;

    let created = app
        .post(
            "/api/v1/api-tokens",
            &owner.token,
            json!({"name": "Books export", "role": "accountant"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let token = created.str("token");
    assert!(token.starts_with("fkt_") && token.len() >= 47, "{token}");
    assert_eq!(app.get("/api/v1/clients", &token).await.status, StatusCode::OK);
    let write = app.post("/api/v1/clients", &token, json!({"name": "X"})).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "the token acts as an accountant");

    let listed = app.get("/api/v1/api-tokens", &owner.token).await;
    let text = listed.body.to_string();
    assert!(!text.contains(&token), "the secret is shown once only");
    assert_eq!(listed.body["data"][0]["hint"], format!("{}…", &token[..10]));

    let too_high = app
        .post(
            "/api/v1/api-tokens",
            &accountant.token,
            json!({"name": "x", "role": "admin"}),
        )
        .await;
    assert_eq!(too_high.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_high.body["errors"][0]["code"], "role_too_high");

    let id = created.str("id");
    let by_other = app
        .call(
            Method::DELETE,
            &format!("/api/v1/api-tokens/{id}"),
            Some(&accountant.token),
            None,
        )
        .await;
    assert_eq!(by_other.status, StatusCode::FORBIDDEN);
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/api-tokens/{id}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/clients", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let logout = app
        .call(Method::DELETE, "/api/v1/sessions/current", Some(&token), None)
        .await;
    assert_eq!(logout.status, StatusCode::UNAUTHORIZED);
}

async fn cookie_sessions_need_the_csrf_header(app: TestApp) {
    app.signup("browser@security.example").await;
    let browser = reqwest::Client::builder().build().unwrap();
    let signed_in = browser
        .post(format!("{}/api/v1/sessions", app.base))
        .json(&json!({"email": "browser@security.example", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::CREATED);
    let cookies: Vec<String> = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session_cookie = cookies.iter().find(|c| c.starts_with("fakturo_session=")).unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(session_cookie.contains(attribute), "{session_cookie}");
    }
    let csrf_cookie = cookies.iter().find(|c| c.starts_with("fakturo_csrf=")).unwrap();
    assert!(!csrf_cookie.contains("HttpOnly"), "the page's script reads it");
    let body: serde_json::Value = signed_in.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    let session = session_cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("fakturo_session=")
        .to_owned();
    let cookie = format!("fakturo_session={session}");

    let read = browser
        .get(format!("{}/api/v1/me", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK, "safe methods need no CSRF token");
    let forged = browser
        .post(format!("{}/api/v1/clients", app.base))
        .header("cookie", &cookie)
        .json(&json!({"name": "Forged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let problem: serde_json::Value = forged.json().await.unwrap();
    assert_eq!(problem["code"], "csrf_failed");
    let wrong = browser
        .post(format!("{}/api/v1/clients", app.base))
        .header("cookie", &cookie)
        .header("x-csrf-token", "0".repeat(64))
        .json(&json!({"name": "Forged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let genuine = browser
        .post(format!("{}/api/v1/clients", app.base))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "Genuine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(genuine.status(), StatusCode::CREATED);

    let out = browser
        .delete(format!("{}/api/v1/sessions/current", app.base))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = out.headers().get_all("set-cookie").iter().any(|v| {
        let v = v.to_str().unwrap();
        v.starts_with("fakturo_session=") && v.contains("Max-Age=0")
    });
    assert!(cleared, "sign-out clears the cookie");
    let after = browser
        .get(format!("{}/api/v1/me", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED, "revoked on the server");
}

async fn password_hashes_are_argon2id_with_asvs_parameters(app: TestApp) {
    app.signup("hash@security.example").await;
    let uow = app.state.store.begin().await.unwrap();
    let (_, hash) = uow
        .users()
        .find_credentials("hash@security.example")
        .await
        .unwrap()
        .unwrap();
    let phc = hash.as_phc();
    assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
    let params = phc.split('$').nth(3).unwrap();
    let value = |key: &str| -> u32 {
        params
            .split(',')
            .find_map(|p| p.strip_prefix(&format!("{key}=")))
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(value("m") >= 19456, "{params}");
    assert!(value("t") >= 2, "{params}");
    assert!(!phc.contains("correct horse"));
}

async fn sign_in(app: &TestApp, password: &str, from: &str) -> crate::support::Reply {
    app.call_with(
        Method::POST,
        "/api/v1/sessions",
        None,
        Some(json!({"email": "victim@security.example", "password": password})),
        &[("x-forwarded-for", from)],
    )
    .await
}

async fn guessing_is_throttled_for_the_attacker_only(app: TestApp) {
    let owner = app.signup("victim@security.example").await;
    let attacker = "203.0.113.66";
    let home = "198.51.100.7";
    for guess in 0..10 {
        let reply = sign_in(&app, &format!("guess number {guess}"), attacker).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "guess {guess}");
    }
    let eleventh = sign_in(&app, "guess number 10", attacker).await;
    assert_eq!(
        eleventh.status,
        StatusCode::UNAUTHORIZED,
        "the 11th guess is checked and starts a delay"
    );
    let twelfth = sign_in(&app, "correct horse battery", attacker).await;
    assert_eq!(
        (twelfth.status, twelfth.code()),
        (StatusCode::TOO_MANY_REQUESTS, "sign_in_throttled"),
        "even the right password waits on the attacker's network"
    );

    let owner_session = sign_in(&app, "correct horse battery", home).await;
    assert_eq!(
        owner_session.status,
        StatusCode::CREATED,
        "the owner signs in from home"
    );

    // The block ends by itself: no permanent lockout.
    app.clock.advance(chrono::TimeDelta::seconds(31));
    assert_eq!(
        sign_in(&app, "correct horse battery", attacker).await.status,
        StatusCode::CREATED
    );

    app.drain_jobs().await;
    let notices: Vec<String> = app
        .emails_to("victim@security.example")
        .into_iter()
        .filter(|m| m.contains("Repeated failed sign-ins"))
        .collect();
    assert_eq!(notices.len(), 1, "the owner is told once");
    let audit = app
        .get("/api/v1/audit-events?action=auth.sign_in_throttled", &owner.token)
        .await;
    assert_eq!(audit.body["data"][0]["ip_prefix"], "203.0.113.0/24");
    let failures = app
        .get(
            "/api/v1/audit-events?action=auth.sign_in_failed&limit=100",
            &owner.token,
        )
        .await;
    assert_eq!(failures.body["data"].as_array().unwrap().len(), 11);
}

async fn credential_routes_are_rate_limited_per_address(app: TestApp) {
    let noisy = "192.0.2.10";
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let reply = app
            .call_with(
                Method::POST,
                "/api/v1/login-links",
                None,
                Some(json!({"email": "someone@security.example"})),
                &[("x-forwarded-for", noisy)],
            )
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(&statuses[..5], &[StatusCode::ACCEPTED; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    let limited = app
        .http
        .post(format!("{}/api/v1/login-links", app.base))
        .header("x-forwarded-for", noisy)
        .json(&json!({"email": "someone@security.example"}))
        .send()
        .await
        .unwrap();
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let problem: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(problem["code"], "rate_limited");
    let other = app
        .call_with(
            Method::POST,
            "/api/v1/login-links",
            None,
            Some(json!({"email": "someone@security.example"})),
            &[("x-forwarded-for", "192.0.2.99")],
        )
        .await;
    assert_eq!(other.status, StatusCode::ACCEPTED, "another address is not affected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_stripe_keys_are_sealed_and_survive_key_rotation() {
    stripe_keys_are_sealed_and_survive_key_rotation(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stripe_keys_are_sealed_and_survive_key_rotation() {
    stripe_keys_are_sealed_and_survive_key_rotation(Backend::Postgres).await;
}

const STRIPE_KEY: &str = "sk_live_51SeCrEtKeyThatMustNeverLeak0042";
const WEBHOOK_SECRET: &str = "whsec_AnotherSecretThatMustNeverLeak";
const NEW_KEY: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

/// Everything the database holds, as text: the SQLite files, or `pg_dump`.
fn dump(scratch: &ScratchDatabase) -> String {
    match Backend::of_url(scratch.url()).unwrap() {
        Backend::Sqlite => {
            let path = scratch
                .url()
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap()
                .to_owned();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Backend::Postgres => {
            let output = std::process::Command::new("pg_dump")
                .arg(scratch.url())
                .output()
                .expect("pg_dump (PostgreSQL client tools)");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            String::from_utf8(output.stdout).unwrap()
        }
    }
}

async fn stripe_keys_are_sealed_and_survive_key_rotation(backend: Backend) {
    let scratch = match ScratchDatabase::create(backend).await {
        Ok(scratch) => scratch,
        Err(skip @ ScratchError::Skipped(_)) => {
            fakturo_database::scratch::announce_skip(&skip);
            return;
        }
        Err(error) => panic!("{error}"),
    };
    let app = TestApp::spawn_on(&scratch, |_| {}).await;
    let owner = app.signup("stripe@security.example").await;
    let member = app.join(&owner, "member@security.example", "member").await;
    let body = json!({"secret_key": STRIPE_KEY, "webhook_secret": WEBHOOK_SECRET});
    let by_member = app
        .call(
            Method::PUT,
            "/api/v1/integrations/stripe",
            Some(&member.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        by_member.status,
        StatusCode::FORBIDDEN,
        "billing is for owners and admins"
    );
    let stored = app
        .call(
            Method::PUT,
            "/api/v1/integrations/stripe",
            Some(&owner.token),
            Some(body),
        )
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{:?}", stored.body);
    assert_eq!(stored.body["secret_key_hint"], "sk_live_…0042");
    let shown = app.get("/api/v1/integrations/stripe", &owner.token).await;
    assert_eq!(shown.body["connected"], true);
    assert_eq!(shown.body["mode"], "live");
    for reply in [&stored, &shown] {
        let text = reply.body.to_string();
        assert!(!text.contains(STRIPE_KEY) && !text.contains(WEBHOOK_SECRET), "{text}");
    }
    let bad = app
        .call(
            Method::PUT,
            "/api/v1/integrations/stripe",
            Some(&owner.token),
            Some(json!({"secret_key": "pk_live_notasecretkey123"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let dumped = dump(&scratch);
    assert!(dumped.contains("v1.test."), "the sealed value is in the dump");
    assert!(!dumped.contains(STRIPE_KEY) && !dumped.contains("SeCrEtKeyThatMustNeverLeak"));
    assert!(!dumped.contains(WEBHOOK_SECRET));

    // Rotate to a new primary, then forget the old key.
    let mut settings = (*app.state.settings).clone();
    settings.secrets.keys = format!("test:{TEST_KEY}, k2027:{NEW_KEY}");
    settings.secrets.primary = "k2027".into();
    let report = fakturo_server::ops::rotate_keys(&settings).await.unwrap();
    assert!(report.contains("1 stored secret(s) examined, 1 re-sealed"), "{report}");
    let again = fakturo_server::ops::rotate_keys(&settings).await.unwrap();
    assert!(again.contains("0 re-sealed"), "{again}");
    let dumped = dump(&scratch);
    assert!(dumped.contains("v1.k2027."));
    if backend == Backend::Postgres {
        // (SQLite's raw file may keep the superseded row until its page is reused.)
        assert!(
            !dumped.contains("v1.test."),
            "no live value is sealed under the old key"
        );
    }

    let rotated = TestApp::spawn_on(&scratch, |s| {
        s.secrets.keys = format!("k2027:{NEW_KEY}");
        s.secrets.primary = String::new();
    })
    .await;
    let tenant = owner.organization_id.parse().unwrap();
    let opened = rotated
        .state
        .services
        .integrations
        .stripe_secret_key(tenant)
        .await
        .unwrap();
    assert_eq!(
        opened.expose(),
        STRIPE_KEY,
        "everything still decrypts without the old key"
    );
    let status = rotated.get("/api/v1/integrations/stripe", &owner.token).await;
    assert_eq!(status.body["connected"], true);

    let events = app
        .get("/api/v1/audit-events?action=integrations.updated", &owner.token)
        .await;
    assert_eq!(events.body["data"][0]["details"]["provider"], "stripe");
}

//! Sign in with Google against a local OpenID Connect provider: a wiremock
//! server with discovery, signing keys and a token endpoint that checks the
//! code and the PKCE verifier and answers with an ID token signed by a test
//! key (`fixtures/oidc-test-key.pem`). Google sign-in creates or links the
//! account from a verified ID token, and refuses a wrong nonce, audience or
//! signature.

use std::collections::HashMap;

use chrono::TimeDelta;
use fakturo_database::Backend;
use fakturo_domain::kernel::clock::Clock;
use openidconnect::core::{
    CoreHmacKey, CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::url::{Url, form_urlencoded};
use openidconnect::{
    AccessToken, Audience, EmptyAdditionalClaims, EndUserEmail, EndUserName, IssuerUrl, JsonWebKeyId, LocalizedClaim,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{Reply, TestApp, captured_logs};

/// The provider's signing key (test only).
const KEY: &str = include_str!("fixtures/oidc-test-key.pem");
/// Another key, which the provider does not publish.
const OTHER_KEY: &str = include_str!("fixtures/oidc-other-key.pem");
/// Both keys sign under the published key id, so only the signature differs.
const KEY_ID: &str = "fakturo-test-key";
const CLIENT_ID: &str = "fakturo-test";
const CLIENT_SECRET: &str = "test-secret";

/// Runs each test once per backend.
macro_rules! on_both_backends_google {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case(fakturo_database::Backend::Sqlite).await;
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case(fakturo_database::Backend::Postgres).await;
            })+
        }
    };
}

on_both_backends_google!(
    sign_up_sign_in_and_linking,
    tokens_that_do_not_verify_are_refused,
    states_work_once_and_only_where_started,
);

/// Who signs the ID token.
#[derive(Clone, Copy)]
enum Signer {
    /// The provider's published key.
    Provider,
    /// A key the provider does not publish, under the published key id.
    Stranger,
    /// HMAC with the client secret (an algorithm the provider does not announce).
    ClientSecret,
}

/// What the ID token says.
#[derive(Clone)]
struct Claims {
    sub: String,
    email: String,
    email_verified: bool,
    name: Option<String>,
    /// `None`: the nonce of the sign-in.
    nonce: Option<String>,
    audience: String,
    signer: Signer,
}

impl Claims {
    fn new(sub: &str, email: &str) -> Self {
        Self {
            sub: sub.to_owned(),
            email: email.to_owned(),
            email_verified: true,
            name: Some("Greta Google".to_owned()),
            nonce: None,
            audience: CLIENT_ID.to_owned(),
            signer: Signer::Provider,
        }
    }
}

/// A sign-in that went to the provider: what the authorization URL carried.
struct Started {
    state: String,
    nonce: String,
    code_challenge: String,
    redirect_uri: String,
}

/// The application with Google sign-in on, and its identity provider.
struct Google {
    app: TestApp,
    idp: MockServer,
    key: CoreRsaPrivateSigningKey,
    stranger: CoreRsaPrivateSigningKey,
    /// Secrets handed out in this test, which must never be logged.
    secrets: std::sync::Mutex<Vec<String>>,
}

fn signing_key(pem: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(KEY_ID.to_owned()))).unwrap()
}

impl Google {
    async fn spawn(backend: Backend) -> Option<Self> {
        let idp = MockServer::start().await;
        let issuer = idp.uri();
        let key = signing_key(KEY);
        Mock::given(method("GET"))
            .and(path("/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": format!("{issuer}/jwks"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            })))
            .mount(&idp)
            .await;
        Mock::given(method("GET"))
            .and(path("/jwks"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(CoreJsonWebKeySet::new(vec![key.as_verification_key()])),
            )
            .mount(&idp)
            .await;
        let app = TestApp::spawn_with(backend, |s| {
            s.google.enabled = true;
            s.google.client_id = CLIENT_ID.into();
            s.google.client_secret = CLIENT_SECRET.into();
            s.google.issuer_url = issuer.clone();
        })
        .await?;
        Some(Self {
            app,
            idp,
            key,
            stranger: signing_key(OTHER_KEY),
            secrets: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn keep_secret(&self, secret: &str) {
        self.secrets.lock().unwrap().push(secret.to_owned());
    }

    /// `POST /auth/google/start`, and what its authorization URL carries.
    async fn start(&self, body: Value) -> Started {
        let reply = self
            .app
            .call(Method::POST, "/api/v1/auth/google/start", None, Some(body))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let url = Url::parse(&reply.str("authorization_url")).unwrap();
        assert_eq!(
            url.as_str().split('?').next().unwrap(),
            format!("{}/authorize", self.idp.uri())
        );
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], CLIENT_ID);
        assert_eq!(query["code_challenge_method"], "S256");
        let scopes: Vec<&str> = query["scope"].split(' ').collect();
        for scope in ["openid", "email", "profile"] {
            assert!(scopes.contains(&scope), "{scopes:?}");
        }
        assert!(!query["nonce"].is_empty() && !query["state"].is_empty());
        self.keep_secret(&query["state"]);
        self.keep_secret(&query["nonce"]);
        Started {
            state: query["state"].clone(),
            nonce: query["nonce"].clone(),
            code_challenge: query["code_challenge"].clone(),
            redirect_uri: query["redirect_uri"].clone(),
        }
    }

    async fn start_sign_up(&self, organization: &str) -> Started {
        self.start(json!({
            "intent": "sign_up",
            "organization_name": organization,
            "country": "DE",
            "accept_policy_version": "2026-11-01",
            "confirm_minimum_age": true,
        }))
        .await
    }

    async fn start_sign_in(&self) -> Started {
        self.start(json!({"intent": "sign_in"})).await
    }

    /// The ID token for `claims`, issued now by the app's clock.
    fn id_token(&self, claims: &Claims, started: &Started, access_token: &AccessToken) -> CoreIdToken {
        let now = self.app.clock.now();
        let mut name = LocalizedClaim::new();
        if let Some(full) = &claims.name {
            name.insert(None, EndUserName::new(full.clone()));
        }
        let standard = StandardClaims::new(SubjectIdentifier::new(claims.sub.clone()))
            .set_email(Some(EndUserEmail::new(claims.email.clone())))
            .set_email_verified(Some(claims.email_verified))
            .set_name(claims.name.as_ref().map(|_| name));
        let id_claims = CoreIdTokenClaims::new(
            IssuerUrl::new(self.idp.uri()).unwrap(),
            vec![Audience::new(claims.audience.clone())],
            now + TimeDelta::minutes(5),
            now,
            standard,
            EmptyAdditionalClaims {},
        )
        .set_nonce(Some(Nonce::new(
            claims.nonce.clone().unwrap_or_else(|| started.nonce.clone()),
        )));
        match claims.signer {
            Signer::Provider => CoreIdToken::new(
                id_claims,
                &self.key,
                CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                Some(access_token),
                None,
            ),
            Signer::Stranger => CoreIdToken::new(
                id_claims,
                &self.stranger,
                CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                Some(access_token),
                None,
            ),
            Signer::ClientSecret => CoreIdToken::new(
                id_claims,
                &CoreHmacKey::new(CLIENT_SECRET),
                CoreJwsSigningAlgorithm::HmacSha256,
                Some(access_token),
                None,
            ),
        }
        .unwrap()
    }

    /// The provider answers the code of this sign-in with an ID token for
    /// `claims`; then the browser comes back to the callback.
    async fn finish(&self, started: &Started, claims: &Claims) -> Reply {
        let code = format!("code-{}", uuid::Uuid::new_v4().simple());
        let access_token = AccessToken::new(format!("at-{}", uuid::Uuid::new_v4().simple()));
        let id_token = self.id_token(claims, started, &access_token);
        self.keep_secret(&code);
        self.keep_secret(access_token.secret());
        self.keep_secret(&id_token.to_string());
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(header(
                "authorization",
                format!("Basic {}", "ZmFrdHVyby10ZXN0OnRlc3Qtc2VjcmV0").as_str(),
            ))
            .and(body_string_contains(format!("code={code}")))
            .respond_with(TokenEndpoint {
                code: code.clone(),
                code_challenge: started.code_challenge.clone(),
                redirect_uri: started.redirect_uri.clone(),
                answer: json!({
                    "access_token": access_token.secret(),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "id_token": id_token.to_string(),
                }),
            })
            .expect(1)
            .named(format!("the token endpoint for {code}"))
            .mount(&self.idp)
            .await;
        self.callback(&code, &started.state).await
    }

    async fn callback(&self, code: &str, state: &str) -> Reply {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("code", code)
            .append_pair("state", state)
            .finish();
        self.app
            .call(
                Method::GET,
                &format!("/api/v1/auth/google/callback?{query}"),
                None,
                None,
            )
            .await
    }

    /// Nothing this test handed out appears in the logs.
    fn assert_secrets_not_logged(&self) {
        let logs = captured_logs();
        for secret in self.secrets.lock().unwrap().iter() {
            assert!(!logs.contains(secret.as_str()), "the logs contain {secret:?}");
        }
    }
}

/// The token endpoint of one sign-in: checks the grant, the code, the
/// redirect URI and that the PKCE verifier matches the challenge of the
/// authorization URL.
struct TokenEndpoint {
    code: String,
    code_challenge: String,
    redirect_uri: String,
    answer: Value,
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> = form_urlencoded::parse(&request.body).into_owned().collect();
        let verifier_matches = form.get("code_verifier").is_some_and(|verifier| {
            PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.clone())).as_str()
                == self.code_challenge
        });
        let valid = form.get("grant_type").map(String::as_str) == Some("authorization_code")
            && form.get("code") == Some(&self.code)
            && form.get("redirect_uri") == Some(&self.redirect_uri)
            && verifier_matches;
        if valid {
            ResponseTemplate::new(200).set_body_json(&self.answer)
        } else {
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid_grant", "error_description": format!("{form:?}")}))
        }
    }
}

fn assert_problem(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!((reply.status, reply.code()), (status, code), "{:?}", reply.body);
}

async fn me(app: &TestApp, token: &str) -> Value {
    let reply = app.get("/api/v1/me", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

async fn sign_up_sign_in_and_linking(backend: Backend) {
    let Some(google) = Google::spawn(backend).await else {
        return;
    };
    let app = &google.app;

    // (a) Sign-up creates an organization with this person as its verified owner.
    let started = google.start_sign_up("Greta's Garden GmbH").await;
    assert!(
        started.redirect_uri.ends_with("/api/v1/auth/google/callback"),
        "{}",
        started.redirect_uri
    );
    let greta = Claims::new("google-sub-greta", "greta@gmail.example");
    let signed_up = google.finish(&started, &greta).await;
    assert_eq!(signed_up.status, StatusCode::CREATED, "{:?}", signed_up.body);
    let token = signed_up.str("token");
    google.keep_secret(&token);
    let first = me(app, &token).await;
    assert_eq!(first["role"], "owner");
    assert_eq!(first["user"]["email"], "greta@gmail.example");
    assert_eq!(first["user"]["email_verified"], true);
    assert_eq!(first["user"]["name"], "Greta Google");
    assert_eq!(first["organization"]["name"], "Greta's Garden GmbH");
    assert_eq!(first["organization"]["country"], "DE");
    let linked = app
        .get("/api/v1/audit-events?action=auth.identity_linked", &token)
        .await;
    assert_eq!(
        linked.body["data"][0]["details"]["new_account"], "true",
        "{:?}",
        linked.body
    );

    // (b) Signing in again with the same subject reaches the same user, even
    // with a changed email address at the provider.
    let again = google.start_sign_in().await;
    let signed_in = google
        .finish(&again, &Claims::new("google-sub-greta", "greta.renamed@gmail.example"))
        .await;
    assert_eq!(signed_in.status, StatusCode::CREATED, "{:?}", signed_in.body);
    let second = me(app, &signed_in.str("token")).await;
    assert_eq!(second["user"]["id"], first["user"]["id"]);
    assert_eq!(second["organization"]["id"], first["organization"]["id"]);
    // Signing up again with the same identity signs in, too: no second organization.
    let once_more = google.start_sign_up("Another Org").await;
    let no_duplicate = google.finish(&once_more, &greta).await;
    assert_eq!(no_duplicate.status, StatusCode::CREATED, "{:?}", no_duplicate.body);
    let third = me(app, &no_duplicate.str("token")).await;
    assert_eq!(third["organization"]["id"], first["organization"]["id"]);

    // (c) An existing password account with the same (verified) email is linked.
    let owner = app.signup("hans@firm.example").await;
    let verification = app.link_token("hans@firm.example", "Confirm your email address").await;
    let confirmed = app
        .call(
            Method::POST,
            "/api/v1/email-verifications/confirm",
            None,
            Some(json!({"token": verification})),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::NO_CONTENT);
    let hans = me(app, &owner.token).await;
    let link = google.start_sign_in().await;
    let linked = google
        .finish(&link, &Claims::new("google-sub-hans", "Hans@Firm.example"))
        .await;
    assert_eq!(linked.status, StatusCode::CREATED, "{:?}", linked.body);
    let via_google = me(app, &linked.str("token")).await;
    assert_eq!(via_google["user"]["id"], hans["user"]["id"]);
    let events = app
        .get("/api/v1/audit-events?action=auth.identity_linked", &owner.token)
        .await;
    assert_eq!(events.status, StatusCode::OK, "{:?}", events.body);
    let event = &events.body["data"][0];
    assert_eq!(event["action"], "auth.identity_linked");
    assert_eq!(event["target_id"], hans["user"]["id"]);
    assert_eq!(event["details"]["provider"], "google");
    assert_eq!(event["details"]["new_account"], "false");
    // The link holds: the next sign-in finds the user by subject.
    let later = google.start_sign_in().await;
    let by_subject = google
        .finish(&later, &Claims::new("google-sub-hans", "hans@firm.example"))
        .await;
    assert_eq!(by_subject.status, StatusCode::CREATED, "{:?}", by_subject.body);
    assert_eq!(
        me(app, &by_subject.str("token")).await["user"]["id"],
        hans["user"]["id"]
    );

    // (d) Signing in with an identity nobody has: no account.
    let stranger = google.start_sign_in().await;
    let unknown = google
        .finish(&stranger, &Claims::new("google-sub-nobody", "nobody@gmail.example"))
        .await;
    assert_problem(&unknown, StatusCode::NOT_FOUND, "no_account");

    google.assert_secrets_not_logged();
}

async fn tokens_that_do_not_verify_are_refused(backend: Backend) {
    let Some(google) = Google::spawn(backend).await else {
        return;
    };
    let mallory = Claims::new("google-sub-mallory", "mallory@gmail.example");
    let cases = [
        // (e) A nonce of another sign-in.
        Claims {
            nonce: Some("a-nonce-of-another-sign-in".into()),
            ..mallory.clone()
        },
        // (f) A token issued to another client.
        Claims {
            audience: "someone-else.apps.example".into(),
            ..mallory.clone()
        },
        // (g) Signed by a key the provider does not publish.
        Claims {
            signer: Signer::Stranger,
            ..mallory.clone()
        },
        // An HMAC signature with the client secret, an algorithm the provider does not announce.
        Claims {
            signer: Signer::ClientSecret,
            ..mallory.clone()
        },
    ];
    for claims in &cases {
        let started = google.start_sign_up("Mallory Ltd").await;
        let refused = google.finish(&started, claims).await;
        assert_problem(&refused, StatusCode::UNAUTHORIZED, "invalid_id_token");
    }
    // (h) The provider does not vouch for the email address.
    let started = google.start_sign_up("Mallory Ltd").await;
    let unverified = google
        .finish(
            &started,
            &Claims {
                email_verified: false,
                ..mallory.clone()
            },
        )
        .await;
    assert_problem(&unverified, StatusCode::FORBIDDEN, "email_not_verified");

    // None of them made an account.
    let check = google.start_sign_in().await;
    let nothing = google.finish(&check, &mallory).await;
    assert_problem(&nothing, StatusCode::NOT_FOUND, "no_account");
    // The same token, verified, signs up.
    let started = google.start_sign_up("Mallory Ltd").await;
    let fine = google.finish(&started, &mallory).await;
    assert_eq!(fine.status, StatusCode::CREATED, "{:?}", fine.body);
    google.assert_secrets_not_logged();
}

async fn states_work_once_and_only_where_started(backend: Backend) {
    let Some(google) = Google::spawn(backend).await else {
        return;
    };
    let app = &google.app;
    let ida = Claims::new("google-sub-ida", "ida@gmail.example");
    let started = google.start_sign_up("Ida's Studio").await;
    let first = google.finish(&started, &ida).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);

    // (i) The same state again: used up, before any code exchange.
    let replay = google.callback("a-code-never-issued", &started.state).await;
    assert_problem(&replay, StatusCode::GONE, "token_expired_or_used");

    // (j) A state this server never handed out.
    let forged = google.callback("a-code-never-issued", "a-state-never-issued").await;
    assert_problem(&forged, StatusCode::UNAUTHORIZED, "invalid_state");

    // A state older than ten minutes.
    let slow = google.start_sign_in().await;
    app.clock.advance(TimeDelta::minutes(11));
    let expired = google.callback("a-code-never-issued", &slow.state).await;
    assert_problem(&expired, StatusCode::GONE, "token_expired_or_used");

    // The person declined at the provider, or the callback lacks its code.
    let declined = app
        .call(
            Method::GET,
            "/api/v1/auth/google/callback?error=access_denied&state=x",
            None,
            None,
        )
        .await;
    assert_problem(&declined, StatusCode::UNAUTHORIZED, "sign_in_cancelled");

    // Sign-up needs the same consents as a sign-up with a password.
    let no_policy = app
        .call(
            Method::POST,
            "/api/v1/auth/google/start",
            None,
            Some(json!({"intent": "sign_up", "organization_name": "X", "country": "DE",
                "accept_policy_version": "2020-01-01", "confirm_minimum_age": true})),
        )
        .await;
    assert_problem(&no_policy, StatusCode::UNPROCESSABLE_ENTITY, "policy_not_accepted");
    let no_age = app
        .call(
            Method::POST,
            "/api/v1/auth/google/start",
            None,
            Some(json!({"intent": "sign_up", "organization_name": "X", "country": "DE",
                "accept_policy_version": "2026-11-01"})),
        )
        .await;
    assert_problem(&no_age, StatusCode::UNPROCESSABLE_ENTITY, "minimum_age_not_confirmed");
    let bad_intent = app
        .call(
            Method::POST,
            "/api/v1/auth/google/start",
            None,
            Some(json!({"intent": "take_over"})),
        )
        .await;
    assert_problem(&bad_intent, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    google.assert_secrets_not_logged();
}

/// (k) Off unless configured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabled_google_sign_in_is_not_found() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let start = app
        .call(
            Method::POST,
            "/api/v1/auth/google/start",
            None,
            Some(json!({"intent": "sign_in"})),
        )
        .await;
    assert_problem(&start, StatusCode::NOT_FOUND, "google_sign_in_disabled");
    let callback = app
        .call(Method::GET, "/api/v1/auth/google/callback?code=c&state=s", None, None)
        .await;
    assert_problem(&callback, StatusCode::NOT_FOUND, "google_sign_in_disabled");
}

/// Someone who signed up with a password for an address they do not own
/// (never verified) must not end up sharing an account — or an
/// organization, with whoever they invited — with the address's real owner
/// when that person signs in with Google: the link is refused, and the
/// person is told to prove the address (sign in, or reset the password)
/// first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_password_account_is_never_linked() {
    let google = Google::spawn(Backend::Sqlite).await.unwrap();
    let app = &google.app;
    let squatter = app.signup("victim@gmail.example").await;
    let accomplice = app.join(&squatter, "accomplice@evil.example", "owner").await;
    let started = google.start_sign_up("Victim's Business").await;
    let victim = google
        .finish(&started, &Claims::new("google-sub-victim", "victim@gmail.example"))
        .await;
    assert_eq!(
        (victim.status, victim.code()),
        (StatusCode::CONFLICT, "account_not_verified"),
        "{:?}",
        victim.body
    );
    assert!(victim.body.get("token").is_none(), "no session is handed out");
    let users = app.get("/api/v1/users", &accomplice.token).await;
    assert_eq!(
        users.body["data"].as_array().unwrap().len(),
        2,
        "nobody joined the squatter's organization"
    );
    let linked = app
        .get("/api/v1/audit-events?action=auth.identity_linked", &accomplice.token)
        .await;
    assert_eq!(linked.body["data"], json!([]), "nothing was linked");
    // A later sign-in with Google still finds no linked account.
    let again = google.start_sign_in().await;
    let refused = google
        .finish(&again, &Claims::new("google-sub-victim", "victim@gmail.example"))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
}

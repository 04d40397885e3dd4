//! Roles: an accountant reads everything and changes nothing.

use fakturo_domain::email::EmailAddress;
use fakturo_domain::ports::{Password, PasswordHasher as _};
use fakturo_domain::user::{Role, User};
use fakturo_domain::{TenantId, UserId};
use fakturo_server::adapters::Argon2PasswordHasher;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(accountants_are_read_only);

async fn accountants_are_read_only(app: TestApp) {
    let owner = app.signup("boss@muster.example").await;
    let client = app.client(&owner, "Client").await;
    let invoice = app.worked_example(&owner, &client).await.str("id");

    // Team invitations are not part of the API yet: add the accountant through the store.
    let tenant: TenantId = owner.organization_id.parse().unwrap();
    let accountant = User {
        id: UserId::from_uuid(uuid::Uuid::now_v7()),
        tenant_id: tenant,
        email: EmailAddress::parse("books@muster.example").unwrap(),
        name: "Bea Buchhalter".into(),
        role: Role::Accountant,
        accepted_policy_version: "2026-11-01".into(),
        created_at: fakturo_domain::ports::Clock::now(app.clock.as_ref()),
    };
    let hash = Argon2PasswordHasher::new()
        .unwrap()
        .hash(&Password::new_secret("ledger and pencil".into()).unwrap())
        .await
        .unwrap();
    let uow = app.state.store.begin().await.unwrap();
    uow.users().insert(&accountant, &hash).await.unwrap();
    uow.commit().await.unwrap();
    let session = app
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "books@muster.example", "password": "ledger and pencil"})),
        )
        .await;
    let token = session.str("token");

    assert_eq!(app.get("/api/v1/me", &token).await.str("role"), "accountant");
    assert_eq!(
        app.get(&format!("/api/v1/invoices/{invoice}"), &token).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/api/v1/clients", &token).await.status, StatusCode::OK);
    let writes = [
        (Method::POST, "/api/v1/clients".to_owned(), Some(json!({"name": "X"}))),
        (
            Method::PATCH,
            format!("/api/v1/clients/{client}"),
            Some(json!({"name": "X"})),
        ),
        (Method::DELETE, format!("/api/v1/clients/{client}"), None),
        (
            Method::POST,
            "/api/v1/invoices".to_owned(),
            Some(crate::support::worked_example_body(&client)),
        ),
        (
            Method::PATCH,
            format!("/api/v1/invoices/{invoice}"),
            Some(json!({"notes": "x"})),
        ),
        (Method::DELETE, format!("/api/v1/invoices/{invoice}"), None),
        (
            Method::POST,
            format!("/api/v1/invoices/{invoice}/finalize"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/invoices/{invoice}/payments"),
            Some(json!({"amount": "1", "paid_on": "2026-11-22", "method": "cash"})),
        ),
    ];
    for (method, path, body) in writes {
        let reply = app.call(method.clone(), &path, Some(&token), body).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{method} {path}"
        );
    }
    assert_eq!(
        app.get(&format!("/api/v1/invoices/{invoice}"), &token)
            .await
            .str("status"),
        "draft"
    );
}

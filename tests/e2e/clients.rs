//! Clients over HTTP: CRUD, pagination and validation.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(clients_crud, clients_paginate_with_cursors, clients_with_invoices_stay);

async fn clients_crud(app: TestApp) {
    let owner = app.signup("crud@muster.example").await;
    let created = app
        .post(
            "/api/v1/clients",
            &owner.token,
            json!({"name": "Client SARL", "email": "Billing@Client.FR", "country": "FR", "tax_id": "FR40303265045", "currency": "EUR", "locale": "fr-FR", "phone": "+33 1 23 45 67 89", "address": "1 rue de Rivoli\n75001 Paris"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.str("email"), "Billing@client.fr");
    let path = format!("/api/v1/clients/{}", created.str("id"));
    assert_eq!(app.get(&path, &owner.token).await.body, created.body);

    let changed = app
        .call(
            Method::PATCH,
            &path,
            Some(&owner.token),
            Some(json!({"name": "Client SAS", "phone": null})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(changed.str("name"), "Client SAS");
    assert!(changed.body["phone"].is_null());
    assert_eq!(changed.str("country"), "FR");

    let invalid = app
        .post(
            "/api/v1/clients",
            &owner.token,
            json!({"name": " ", "email": "nope", "country": "France"}),
        )
        .await;
    assert_eq!(
        (invalid.status, invalid.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "email", "country"]);

    let deleted = app.call(Method::DELETE, &path, Some(&owner.token), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(&path, &owner.token).await;
    assert_eq!((gone.status, gone.code()), (StatusCode::NOT_FOUND, "client_not_found"));
}

async fn clients_paginate_with_cursors(app: TestApp) {
    let owner = app.signup("pages@muster.example").await;
    for n in 0..5 {
        app.client(&owner, &format!("Client {n}")).await;
    }
    let mut names = Vec::new();
    let mut path = "/api/v1/clients?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = app.get(&path, &owner.token).await;
        assert_eq!(page.status, StatusCode::OK);
        pages += 1;
        names.extend(
            page.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/clients?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["Client 4", "Client 3", "Client 2", "Client 1", "Client 0"]);
    let too_many = app.get("/api/v1/clients?limit=101", &owner.token).await;
    assert_eq!(
        (too_many.status, too_many.code()),
        (StatusCode::BAD_REQUEST, "invalid_request")
    );
    let bad_cursor = app.get("/api/v1/clients?cursor=abc", &owner.token).await;
    assert_eq!(bad_cursor.status, StatusCode::BAD_REQUEST);
}

async fn clients_with_invoices_stay(app: TestApp) {
    let owner = app.signup("keep@muster.example").await;
    let client = app.client(&owner, "Client SARL").await;
    app.worked_example(&owner, &client).await;
    let refused = app
        .call(
            Method::DELETE,
            &format!("/api/v1/clients/{client}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "client_has_invoices")
    );
}

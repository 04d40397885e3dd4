//! Jobs (their fields, statuses and the client's email about a new status,
//! sent only while the client allows it) and notes on clients, invoices
//! and jobs.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::files::upload;
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    jobs_are_planned_and_clients_told,
    notes_attach_to_clients_invoices_and_jobs,
    deleting_jobs_and_clients_with_content,
);

async fn jobs_are_planned_and_clients_told(app: TestApp) {
    let owner = app.signup("jobs@content.example").await;
    let client = app.client(&owner, "Kitchen Owner").await;
    let other = app.signup("other-jobs@content.example").await;
    let foreign = app.client(&other, "Foreign Client").await;

    let invalid = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": client, "title": "  ", "scheduled_start": "2026-12-02T08:00:00Z",
                   "scheduled_end": "2026-12-01T16:00:00Z"}),
        )
        .await;
    assert_eq!(invalid.code(), "validation_failed", "{:?}", invalid.body);
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "scheduled_end"]);
    let elsewhere = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": foreign, "title": "Not mine"}),
        )
        .await;
    assert_eq!(
        elsewhere.body["errors"][0]["code"], "unknown_client",
        "{:?}",
        elsewhere.body
    );
    let bad_status = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": client, "title": "X", "status": "paused"}),
        )
        .await;
    assert_eq!(
        bad_status.status,
        StatusCode::BAD_REQUEST,
        "an unknown status is a malformed request"
    );

    let created = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": client, "title": "Kitchen tiles", "description": "12 m² wall",
                   "address": "Hauptstraße 1, 10115 Berlin"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.str("status"), "quote");
    let id = created.str("id");
    app.drain_jobs().await;
    assert!(
        app.emails_to("billing@client.example").is_empty(),
        "creating tells nobody"
    );

    let scheduled = app
        .post(
            &format!("/api/v1/jobs/{id}/status"),
            &owner.token,
            json!({"status": "scheduled"}),
        )
        .await;
    assert_eq!(scheduled.str("status"), "scheduled", "{:?}", scheduled.body);
    let planned = app
        .call(
            Method::PATCH,
            &format!("/api/v1/jobs/{id}"),
            Some(&owner.token),
            Some(json!({"scheduled_start": "2026-12-01T08:00:00Z", "description": null})),
        )
        .await;
    assert_eq!(planned.str("scheduled_start"), "2026-12-01T08:00:00+00:00");
    assert!(planned.body["description"].is_null());
    app.drain_jobs().await;
    let told = app.emails_to("billing@client.example");
    assert_eq!(told.len(), 1, "one email per status change");
    assert!(told[0].contains("Subject: Scheduled: Kitchen tiles"), "{}", told[0]);

    // Two quick changes: only the status the job still has goes out.
    app.post(
        &format!("/api/v1/jobs/{id}/status"),
        &owner.token,
        json!({"status": "in_progress"}),
    )
    .await;
    app.post(
        &format!("/api/v1/jobs/{id}/status"),
        &owner.token,
        json!({"status": "done"}),
    )
    .await;
    app.drain_jobs().await;
    let told = app.emails_to("billing@client.example");
    assert_eq!(told.len(), 2, "the superseded update is not sent");
    assert!(told[1].contains("Subject: Done: Kitchen tiles"), "{}", told[1]);

    // A restricted client is not emailed.
    app.post(&format!("/api/v1/clients/{client}/restrict"), &owner.token, json!({}))
        .await;
    app.post(
        &format!("/api/v1/jobs/{id}/status"),
        &owner.token,
        json!({"status": "cancelled"}),
    )
    .await;
    app.drain_jobs().await;
    assert_eq!(app.emails_to("billing@client.example").len(), 2, "restricted: no email");

    let listed = app.get(&format!("/api/v1/jobs?client_id={client}"), &owner.token).await;
    assert_eq!(listed.body["data"][0]["status"], "cancelled");
    assert!(
        app.get("/api/v1/jobs", &other.token).await.body["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let foreign_get = app.get(&format!("/api/v1/jobs/{id}"), &other.token).await;
    assert_eq!(
        (foreign_get.status, foreign_get.code()),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
}

async fn notes_attach_to_clients_invoices_and_jobs(app: TestApp) {
    let owner = app.signup("notes@content.example").await;
    let client = app.client(&owner, "Noted Client").await;
    let invoice = app.worked_example(&owner, &client).await.str("id");
    let job = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": client, "title": "Logo"}),
        )
        .await
        .str("id");
    for (kind, id) in [("clients", &client), ("invoices", &invoice), ("jobs", &job)] {
        for n in 0..3 {
            let note = app
                .post(
                    &format!("/api/v1/{kind}/{id}/notes"),
                    &owner.token,
                    json!({"body": format!("Note {n} on the {kind}")}),
                )
                .await;
            assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.body);
            assert_eq!(note.str("client_id"), client);
        }
        let page = app
            .get(&format!("/api/v1/{kind}/{id}/notes?limit=2"), &owner.token)
            .await;
        assert_eq!(
            page.body["data"][0]["body"],
            format!("Note 2 on the {kind}"),
            "newest first"
        );
        let rest = app
            .get(
                &format!("/api/v1/{kind}/{id}/notes?limit=2&cursor={}", page.str("next_cursor")),
                &owner.token,
            )
            .await;
        assert_eq!(rest.body["data"].as_array().unwrap().len(), 1);
    }
    let empty = app
        .post(
            &format!("/api/v1/clients/{client}/notes"),
            &owner.token,
            json!({"body": " "}),
        )
        .await;
    assert_eq!(empty.code(), "validation_failed");
    let missing = app
        .post(
            &format!("/api/v1/jobs/{}/notes", uuid::Uuid::now_v7()),
            &owner.token,
            json!({"body": "Lost"}),
        )
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
    let accountant = app.join(&owner, "books@content.example", "accountant").await;
    let read = app
        .get(&format!("/api/v1/clients/{client}/notes"), &accountant.token)
        .await;
    assert_eq!(read.status, StatusCode::OK, "accountants read notes");
    let write = app
        .post(
            &format!("/api/v1/clients/{client}/notes"),
            &accountant.token,
            json!({"body": "No"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "but write none");
}

async fn deleting_jobs_and_clients_with_content(app: TestApp) {
    let owner = app.signup("cleanup@content.example").await;
    let client = app.client(&owner, "Short Client").await;
    let job = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": client, "title": "Flyer"}),
        )
        .await
        .str("id");
    let note = app
        .post(
            &format!("/api/v1/jobs/{job}/notes"),
            &owner.token,
            json!({"body": "Proof attached."}),
        )
        .await
        .str("id");
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    let file = upload(&app, &owner.token, ("note", &note), "proof.png", "image/png", png)
        .await
        .str("id");
    let client_note = app
        .post(
            &format!("/api/v1/clients/{client}/notes"),
            &owner.token,
            json!({"body": "Pays fast."}),
        )
        .await
        .str("id");

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
        (StatusCode::CONFLICT, "client_has_jobs")
    );

    let gone = app
        .call(Method::DELETE, &format!("/api/v1/jobs/{job}"), Some(&owner.token), None)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/files/{file}"), &owner.token).await.status,
        StatusCode::NOT_FOUND,
        "the job's note's file went with it"
    );
    let job_notes = app.get(&format!("/api/v1/jobs/{job}/notes"), &owner.token).await;
    assert_eq!(job_notes.status, StatusCode::NOT_FOUND);

    let deleted = app
        .call(
            Method::DELETE,
            &format!("/api/v1/clients/{client}"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    let rows = app.tenant_rows(&owner.organization_id).await;
    assert_eq!(
        (rows["notes"], rows["files"], rows["work_orders"]),
        (0, 0, 0),
        "{client_note} went with its client"
    );
}

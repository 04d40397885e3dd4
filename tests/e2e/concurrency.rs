//! Gap-free numbering under concurrency: 200 finalizations from 8 tasks.

use fakturo_database::Backend;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

async fn finalize_200_from_8_tasks(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let owner = app.signup("busy@muster.example").await;
    let client = app.client(&owner, "Client").await;
    let mut drafts = Vec::new();
    for _ in 0..200 {
        drafts.push(app.worked_example(&owner, &client).await.str("id"));
    }
    let app = std::sync::Arc::new(app);
    let tasks = drafts.chunks(25).map(|chunk| {
        let (app, token, chunk) = (app.clone(), owner.token.clone(), chunk.to_vec());
        tokio::spawn(async move {
            let mut numbers = Vec::new();
            for id in chunk {
                let reply = app
                    .post(&format!("/api/v1/invoices/{id}/finalize"), &token, json!({}))
                    .await;
                assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                numbers.push(reply.str("number"));
            }
            numbers
        })
    });
    let mut numbers: Vec<String> = join_all(tasks).await.into_iter().flat_map(Result::unwrap).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=200).map(|n| format!("INV-2026-{n:04}")).collect();
    assert_eq!(numbers, expected, "exactly 0001–0200: no gap, no duplicate");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn postgres_numbers_stay_gap_free_under_concurrency() {
    finalize_200_from_8_tasks(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn sqlite_numbers_stay_gap_free_under_concurrency() {
    finalize_200_from_8_tasks(Backend::Sqlite).await;
}

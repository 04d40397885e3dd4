//! Two application instances with workers on one PostgreSQL database: every
//! due schedule issues exactly one invoice, numbers stay contiguous, and
//! every email job is performed exactly once.

use std::collections::HashSet;

use fakturo_database::Backend;
use fakturo_database::scratch::{ScratchDatabase, ScratchError, announce_skip};
use fakturo_domain::kernel::clock::{Clock, ManualClock};
use fakturo_server::{Application, Settings};
use serde_json::json;
use std::sync::Arc;

use crate::support::TestApp;

const SCHEDULES: usize = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_issue_each_period_once() {
    let scratch = match ScratchDatabase::create(Backend::Postgres).await {
        Ok(scratch) => scratch,
        Err(skip @ ScratchError::Skipped(_)) => return announce_skip(&skip),
        Err(error) => panic!("{error}"),
    };
    let first = TestApp::spawn_on(&scratch, |_| {}).await;
    let owner = first.signup("parallel@muster.example").await;
    let client = first.client(&owner, "Client").await;
    for _ in 0..SCHEDULES {
        let reply = first
            .post(
                "/api/v1/recurring-invoices",
                &owner.token,
                json!({
                    "client_id": client,
                    "template": {"lines": [{"description": "Retainer", "quantity": "1", "unit_price": "100", "tax_rate": "19"}]},
                    "frequency": "monthly",
                    "start_date": "2026-11-22",
                    "auto_send": true,
                }),
            )
            .await;
        assert_eq!(reply.status, reqwest::StatusCode::CREATED);
    }

    // A second instance: its own pool, clock and workers, the same database and outbox.
    let mut settings = Settings::defaults().unwrap();
    settings.http.bind = "127.0.0.1:0".parse().unwrap();
    settings.database.url = scratch.url().to_owned();
    settings.email.outbox_dir = first.outbox.display().to_string();
    settings.workers.enabled = false;
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(first.clock.now()));
    let second = Application::build_with_clock(settings, clock).await.unwrap();

    let run = |state: fakturo_server::http::AppState, workers: fakturo_server::workers::Workers| async move {
        let report = state.services.scheduler.run_due().await.unwrap();
        let jobs = workers.drain().await.unwrap();
        (report.issued.len(), jobs.done)
    };
    let (a, b) = tokio::join!(
        tokio::spawn(run(first.state.clone(), first.workers.clone())),
        tokio::spawn(run(second.state().clone(), second.workers().clone())),
    );
    let ((issued_a, sent_a), (issued_b, sent_b)) = (a.unwrap(), b.unwrap());
    assert_eq!(
        issued_a + issued_b,
        SCHEDULES,
        "each schedule issued once ({issued_a} + {issued_b})"
    );
    assert_eq!(
        sent_a + sent_b,
        SCHEDULES,
        "each email job performed once ({sent_a} + {sent_b})"
    );

    let mut numbers = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/invoices?limit=100&cursor={c}"),
            None => "/api/v1/invoices?limit=100".to_owned(),
        };
        let page = first.get(&path, &owner.token).await;
        numbers.extend(
            page.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["number"].as_str().unwrap().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    numbers.sort();
    let expected: Vec<String> = (1..=SCHEDULES).map(|n| format!("INV-2026-{n:04}")).collect();
    assert_eq!(numbers, expected, "contiguous numbers, no gap, no duplicate");
    let distinct: HashSet<String> = first.emails_to("billing@client.example").into_iter().collect();
    assert_eq!(distinct.len(), SCHEDULES, "one email per invoice");
}

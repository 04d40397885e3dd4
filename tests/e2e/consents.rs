//! The consent ledger: nothing is granted by default, granting and
//! withdrawing are one call each and both are recorded with time, policy
//! version and channel; analytics events are stored only with consent; and
//! a withdrawn marketing consent stops the next product update email, even
//! one queued before the withdrawal.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{Account, TestApp};

on_both_backends!(
    consents_are_granted_and_withdrawn_with_one_call_each,
    analytics_events_are_stored_only_with_consent,
    a_withdrawn_consent_stops_the_next_marketing_email,
);

async fn put_consent(app: &TestApp, who: &Account, body: serde_json::Value) -> crate::support::Reply {
    app.call(Method::PUT, "/api/v1/privacy/consents", Some(&who.token), Some(body))
        .await
}

fn purpose<'a>(reply: &'a crate::support::Reply, name: &str) -> &'a serde_json::Value {
    reply.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|state| state["purpose"] == name)
        .unwrap()
}

async fn consents_are_granted_and_withdrawn_with_one_call_each(app: TestApp) {
    let owner = app.signup("consent-owner@muster.example").await;
    let current = app.get("/api/v1/privacy/consents", &owner.token).await;
    assert_eq!(current.status, StatusCode::OK);
    let purposes: Vec<&str> = current.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["purpose"].as_str().unwrap())
        .collect();
    assert_eq!(purposes, ["analytics", "marketing_email", "ai_processing"]);
    assert!(
        current.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["granted"] == false && s["since"].is_null()),
        "nothing is granted by default: {:?}",
        current.body
    );

    let granted = put_consent(
        &app,
        &owner,
        json!({"purpose": "marketing_email", "granted": true, "channel": "web"}),
    )
    .await;
    assert_eq!(granted.status, StatusCode::OK, "{:?}", granted.body);
    assert_eq!(granted.body["policy_version"], "2026-11-01");
    assert_eq!(granted.body["channel"], "web");
    assert_eq!(granted.str("occurred_at"), "2026-11-22T10:00:00+00:00");
    let current = app.get("/api/v1/privacy/consents", &owner.token).await;
    assert_eq!(purpose(&current, "marketing_email")["granted"], true);
    assert_eq!(purpose(&current, "marketing_email")["channel"], "web");
    assert_eq!(purpose(&current, "analytics")["granted"], false);

    app.clock.advance(chrono::TimeDelta::minutes(30));
    let withdrawn = put_consent(&app, &owner, json!({"purpose": "marketing_email", "granted": false})).await;
    assert_eq!(withdrawn.status, StatusCode::OK);
    assert_eq!(withdrawn.body["channel"], "api", "the default channel");
    let current = app.get("/api/v1/privacy/consents", &owner.token).await;
    let marketing = purpose(&current, "marketing_email");
    assert_eq!(marketing["granted"], false);
    assert_eq!(marketing["since"], "2026-11-22T10:30:00+00:00");

    let history = app.get("/api/v1/privacy/consents/history?limit=1", &owner.token).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_eq!(history.body["data"][0]["granted"], false, "newest first");
    let cursor = history.str("next_cursor");
    let older = app
        .get(
            &format!("/api/v1/privacy/consents/history?limit=1&cursor={cursor}"),
            &owner.token,
        )
        .await;
    assert_eq!(older.body["data"][0]["granted"], true);
    assert_eq!(older.body["data"][0]["channel"], "web");
    assert!(older.body["next_cursor"].is_null());
    let too_many = app
        .get("/api/v1/privacy/consents/history?limit=101", &owner.token)
        .await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);

    for (body, field) in [
        (json!({"purpose": "telemetry", "granted": true}), "purpose"),
        (
            json!({"purpose": "analytics", "granted": true, "channel": "fax"}),
            "channel",
        ),
    ] {
        let refused = put_consent(&app, &owner, body).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        );
        assert_eq!(refused.body["errors"][0]["field"], field);
    }
    let smuggled = put_consent(
        &app,
        &owner,
        json!({"purpose": "analytics", "granted": true, "policy_version": "1999"}),
    )
    .await;
    assert_eq!(smuggled.status, StatusCode::BAD_REQUEST);
    let anonymous = app.call(Method::GET, "/api/v1/privacy/consents", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Consent is about oneself: an accountant reads and withdraws their own,
    // and sees nobody else's.
    let accountant = app.join(&owner, "consent-books@muster.example", "accountant").await;
    let mine = app.get("/api/v1/privacy/consents/history", &accountant.token).await;
    assert_eq!(mine.body["data"].as_array().unwrap().len(), 0);
    let grant = put_consent(&app, &accountant, json!({"purpose": "analytics", "granted": true})).await;
    assert_eq!(grant.status, StatusCode::OK);
    let withdraw = put_consent(&app, &accountant, json!({"purpose": "analytics", "granted": false})).await;
    assert_eq!(withdraw.status, StatusCode::OK);
    let owners = app.get("/api/v1/privacy/consents/history", &owner.token).await;
    assert_eq!(owners.body["data"].as_array().unwrap().len(), 2);
}

async fn analytics_events(app: &TestApp, _who: &Account) -> u64 {
    use sea_orm::ConnectionTrait;
    let db = app.db().await;
    let sql = "SELECT COUNT(*) AS n FROM analytics_events";
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql));
    let n: i64 = row.await.unwrap().unwrap().try_get("", "n").unwrap();
    u64::try_from(n).unwrap()
}

/// Every value of every column of `analytics_events`, as text.
async fn analytics_values(app: &TestApp) -> (Vec<String>, Vec<String>) {
    use sea_orm::ConnectionTrait;
    let db = app.db().await;
    let backend = db.get_database_backend();
    let schema = fakturo_database::data_map::schema_columns(&db).await.unwrap();
    let columns: Vec<String> = schema["analytics_events"].iter().cloned().collect();
    let mut values = Vec::new();
    for column in &columns {
        // SQLite keeps UUIDs as blobs: read those as hex.
        let sql = match backend {
            sea_orm::DbBackend::Sqlite => format!(
                "SELECT CASE WHEN typeof(\"{column}\") = 'blob' THEN lower(hex(\"{column}\")) \
                 ELSE CAST(\"{column}\" AS TEXT) END AS v FROM analytics_events"
            ),
            _ => format!("SELECT CAST(\"{column}\" AS TEXT) AS v FROM analytics_events"),
        };
        for row in db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await
            .unwrap()
        {
            values.push(row.try_get::<Option<String>>("", "v").unwrap().unwrap_or_default());
        }
    }
    (columns, values)
}

async fn analytics_events_are_stored_only_with_consent(app: TestApp) {
    let owner = app.signup("analytics@muster.example").await;
    let record = || {
        app.post(
            "/api/v1/analytics/events",
            &owner.token,
            json!({"name": "invoice.created"}),
        )
    };

    let without = record().await;
    assert_eq!(without.status, StatusCode::ACCEPTED);
    assert_eq!(without.body["recorded"], false);
    assert_eq!(
        analytics_events(&app, &owner).await,
        0,
        "nothing stored without consent"
    );

    put_consent(&app, &owner, json!({"purpose": "analytics", "granted": true})).await;
    let with = record().await;
    assert_eq!(
        (with.status, &with.body["recorded"]),
        (StatusCode::ACCEPTED, &json!(true))
    );
    assert_eq!(analytics_events(&app, &owner).await, 1);

    for _ in 0..19 {
        assert_eq!(record().await.body["recorded"], true);
    }
    assert_eq!(analytics_events(&app, &owner).await, 20);
    // Nothing in the table links back to the person: no organization, user,
    // session, address or exact time, whatever column one looks in.
    let (columns, values) = analytics_values(&app).await;
    assert_eq!(columns, ["id", "name", "occurred_hour"]);
    let me = app.get("/api/v1/me", &owner.token).await;
    let user_id = me.body["user"]["id"]
        .as_str()
        .or(me.body["id"].as_str())
        .unwrap()
        .to_owned();
    let simple = |id: &str| uuid::Uuid::parse_str(id).unwrap().simple().to_string();
    let (user_hex, organization_hex) = (simple(&user_id), simple(&owner.organization_id));
    let linking = [
        user_id.as_str(),
        user_hex.as_str(),
        owner.organization_id.as_str(),
        organization_hex.as_str(),
        "analytics@muster.example",
        owner.token.as_str(),
        owner.session.as_str(),
        "127.0.0.1",
    ];
    for value in &values {
        for link in linking {
            assert!(!value.contains(link), "{value} holds {link}");
        }
    }

    put_consent(&app, &owner, json!({"purpose": "analytics", "granted": false})).await;
    let after = record().await;
    assert_eq!(after.body["recorded"], false);
    assert_eq!(analytics_events(&app, &owner).await, 20, "withdrawal stops it at once");

    // Thirteen months on, the sweep leaves none.
    let in_a_year = fakturo_domain::kernel::clock::Clock::now(app.clock.as_ref()) + chrono::TimeDelta::days(365);
    app.run_due(&in_a_year.date_naive().to_string()).await;
    assert_eq!(analytics_events(&app, &owner).await, 20, "twelve months: kept");
    let later = in_a_year + chrono::TimeDelta::days(32);
    app.run_due(&later.date_naive().to_string()).await;
    assert_eq!(analytics_events(&app, &owner).await, 0, "thirteen months: swept");

    let free_text = app
        .post(
            "/api/v1/analytics/events",
            &owner.token,
            json!({"name": "ada@example.com"}),
        )
        .await;
    assert_eq!(
        (free_text.status, free_text.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
}

async fn a_withdrawn_consent_stops_the_next_marketing_email(app: TestApp) {
    let owner = app.signup("news-owner@muster.example").await;
    app.join(&owner, "news-member@muster.example", "member").await;
    put_consent(&app, &owner, json!({"purpose": "marketing_email", "granted": true})).await;
    let update = |subject: &'static str| {
        let settings = app.state.settings.clone();
        let clock = app.clock.clone();
        async move {
            fakturo_server::ops::send_product_update_at(
                &settings,
                &["--subject", subject, "--body", "Recurring invoices now repeat weekly."],
                clock,
            )
            .await
            .unwrap()
        }
    };
    let news = |address: &str, subject: &str| {
        app.emails_to(address)
            .into_iter()
            .filter(|email| email.lines().any(|l| l.starts_with("Subject:") && l.contains(subject)))
            .count()
    };

    let report = update("Product news 1").await;
    assert!(report.contains("queued for 2 user(s)"), "{report}");
    assert!(
        update("Product news 1")
            .await
            .contains("0 user(s) (2 had it queued already)")
    );
    app.drain_jobs().await;
    assert_eq!(
        news("news-owner@muster.example", "Product news 1"),
        1,
        "granted: produced"
    );
    assert_eq!(news("news-member@muster.example", "Product news 1"), 0, "never granted");

    // Queued while granted, withdrawn before the worker runs: not produced.
    update("Product news 2").await;
    let withdrawn = put_consent(&app, &owner, json!({"purpose": "marketing_email", "granted": false})).await;
    assert_eq!(withdrawn.status, StatusCode::OK);
    app.drain_jobs().await;
    assert_eq!(
        news("news-owner@muster.example", "Product news 2"),
        0,
        "withdrawn: none"
    );

    let refused =
        fakturo_server::ops::send_product_update_at(&app.state.settings, &["--subject", "No body"], app.clock.clone())
            .await
            .unwrap_err();
    assert!(refused.to_string().contains("usage"), "{refused}");
}

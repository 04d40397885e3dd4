//! The record of processing activities (GDPR Art. 30), generated from the
//! data map: an organization's owner reads theirs as JSON and as a PDF; the
//! operator generates their own and any organization's with
//! `cargo xtask processing-record`.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    the_owner_reads_a_record_that_matches_the_data_map,
    the_operator_generates_records_as_json_and_pdf,
);

/// `table.column` of every entry of `activities`.
fn listed(activities: &Value) -> BTreeSet<String> {
    activities
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["personal_data"].as_array().unwrap().iter())
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

async fn the_owner_reads_a_record_that_matches_the_data_map(app: TestApp) {
    let owner = app.signup("owner@record.example").await;
    let record = app.get("/api/v1/privacy/processing-record", &owner.token).await;
    assert_eq!(record.status, StatusCode::OK, "{:?}", record.body);
    let body = &record.body;
    assert_eq!(body["perspective"], "organization");
    assert!(!body["controller"]["name"].as_str().unwrap().is_empty());
    assert!(
        body["processor"]["name"].as_str().unwrap().contains("operator"),
        "{body:?}"
    );
    let categories: Vec<&str> = body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["category"].as_str().unwrap())
        .collect();
    assert!(categories.contains(&"customer_content"), "{categories:?}");
    assert!(categories.contains(&"accounting_records"), "{categories:?}");
    for activity in body["activities"].as_array().unwrap() {
        for field in ["purpose", "legal_basis", "retention"] {
            assert!(!activity[field].as_str().unwrap().is_empty(), "{field} of {activity:?}");
        }
        assert!(
            !activity["data_subjects"].as_array().unwrap().is_empty(),
            "{activity:?}"
        );
    }
    assert!(!body["recipients"].as_array().unwrap().is_empty());
    // Providers in the EU are recipients, not transfers; the others name their safeguard.
    let transfers = body["transfers"].as_array().unwrap();
    let outside = body["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["transfer_safeguard"].as_str().unwrap().starts_with("none"))
        .count();
    assert_eq!(transfers.len(), outside, "{transfers:?}");
    assert!(outside > 0 && outside < body["recipients"].as_array().unwrap().len());
    assert!(!body["security_measures"].as_array().unwrap().is_empty());

    // Every personal column the organization's data holds is in the record,
    // and the record names nothing the data map does not hold.
    let map = app.get("/api/v1/privacy/data-map", &owner.token).await;
    let mut personal = BTreeSet::new();
    let mut processed = BTreeSet::new();
    for table in map.body["tables"].as_array().unwrap() {
        for column in table["columns"].as_array().unwrap() {
            if column["role"] != "processor" {
                continue;
            }
            let name = format!(
                "{}.{}",
                table["table"].as_str().unwrap(),
                column["name"].as_str().unwrap()
            );
            if column["personal"] == true {
                personal.insert(name.clone());
            }
            processed.insert(name);
        }
    }
    let in_record = listed(&body["activities"]);
    assert!(in_record.contains("clients.email"), "{in_record:?}");
    let missing: Vec<_> = personal.difference(&in_record).collect();
    assert!(
        missing.is_empty(),
        "personal columns missing from the record: {missing:?}"
    );
    let unknown: Vec<_> = in_record.difference(&processed).collect();
    assert!(
        unknown.is_empty(),
        "the record names columns the data map lacks: {unknown:?}"
    );

    let pdf = app
        .http
        .get(format!("{}/api/v1/privacy/processing-record/pdf", app.base))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");

    let member = app.join(&owner, "admin@record.example", "admin").await;
    let refused = app.get("/api/v1/privacy/processing-record", &member.token).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::FORBIDDEN, "forbidden"));
}

async fn the_operator_generates_records_as_json_and_pdf(app: TestApp) {
    let owner = app.signup("operator@record.example").await;
    let settings = &app.state.settings;
    let json = fakturo_server::ops::processing_record(settings, &[]).await.unwrap();
    let own: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(own["perspective"], "operator");
    let controller = listed(&own["activities"]);
    assert!(controller.contains("users.email"), "{controller:?}");
    assert!(controller.contains("users.password_hash"), "{controller:?}");
    let for_tenants = listed(&own["on_behalf_of_organizations"]);
    assert!(for_tenants.contains("clients.email"), "{for_tenants:?}");
    assert!(controller.is_disjoint(&for_tenants));
    assert_eq!(own["consent_purposes"].as_array().unwrap().len(), 3);

    let tenant = fakturo_server::ops::processing_record(settings, &["--tenant", &owner.organization_id])
        .await
        .unwrap();
    let tenant: Value = serde_json::from_str(&tenant).unwrap();
    assert_eq!(tenant["perspective"], "organization");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.pdf");
    let out = fakturo_server::ops::processing_record(settings, &["--pdf", path.to_str().unwrap()])
        .await
        .unwrap();
    assert!(out.contains("written to"), "{out}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));

    let unknown =
        fakturo_server::ops::processing_record(settings, &["--tenant", "00000000-0000-7000-8000-000000000000"])
            .await
            .unwrap_err()
            .to_string();
    assert!(unknown.contains("no organization"), "{unknown}");
    let invalid = fakturo_server::ops::processing_record(settings, &["--tenant", "acme"])
        .await
        .unwrap_err()
        .to_string();
    assert!(invalid.contains("not an organization id"), "{invalid}");
}

//! The OpenAPI document describes every route, and amounts are strings in it.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn the_document_lists_every_route_with_string_amounts() {
    let app = TestApp::spawn(fakturo_database::Backend::Sqlite).await.unwrap();
    let reply = app.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/health", "get"),
        ("/ready", "get"),
        ("/api/v1/public/policies/current", "get"),
        ("/api/v1/signup", "post"),
        ("/api/v1/sessions", "post"),
        ("/api/v1/sessions/current", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/clients", "post"),
        ("/api/v1/clients", "get"),
        ("/api/v1/clients/{id}", "get"),
        ("/api/v1/clients/{id}", "patch"),
        ("/api/v1/clients/{id}", "delete"),
        ("/api/v1/invoices", "post"),
        ("/api/v1/invoices", "get"),
        ("/api/v1/invoices/{id}", "get"),
        ("/api/v1/invoices/{id}", "patch"),
        ("/api/v1/invoices/{id}", "delete"),
        ("/api/v1/invoices/{id}/finalize", "post"),
        ("/api/v1/invoices/{id}/payments", "post"),
    ];
    for (path, method) in expected {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is missing");
        assert!(
            operation["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{method} {path} has no responses"
        );
        if method == "post" && path != "/api/v1/sessions/current" && !path.ends_with("finalize") {
            assert!(
                operation["requestBody"].is_object(),
                "{method} {path} has no request body schema"
            );
        }
    }
    let schemas = &doc["components"]["schemas"];
    let invoice = &schemas["InvoiceView"]["properties"];
    for amount in ["subtotal", "tax_total", "total", "amount_paid", "balance_due"] {
        assert_eq!(invoice[amount]["type"], "string", "InvoiceView.{amount}");
    }
    for (schema, field) in [
        ("LineInput", "quantity"),
        ("LineInput", "unit_price"),
        ("LineInput", "tax_rate"),
        ("LineView", "net_amount"),
        ("TaxBreakdownView", "tax_amount"),
        ("PaymentCreate", "amount"),
        ("PaymentView", "amount"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["type"], "string",
            "{schema}.{field}"
        );
    }
    let problem: &Value = &schemas["Problem"]["properties"];
    for field in ["type", "title", "status", "detail", "code"] {
        assert!(problem[field].is_object(), "Problem.{field}");
    }
    let docs = app.call(Method::GET, "/api/docs/", None, None).await;
    assert_eq!(docs.status, StatusCode::OK);
}

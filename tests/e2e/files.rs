//! Stored files: byte-identical round trips on the local folder and on a
//! real S3 API (moto), the type check against the bytes (415), the size
//! limit (413), the quota, tenant isolation (404), object keys free of
//! names, and erasure and account purge leaving no object behind.

use fakturo_database::Backend;
use fakturo_server::Settings;
use fakturo_storage::StorageBackend;
use fakturo_tests::moto_server::{self, MotoServer};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::on_both_backends_with;
use crate::privacy::{export, json_rows};
use crate::support::{Account, Reply, TestApp};

on_both_backends_with!(
    small_limits;
    files_round_trip_byte_identical,
    bytes_must_be_what_they_claim,
    limits_and_quota_hold,
    foreign_files_are_not_found,
    deleting_erasing_and_exporting_files,
);

/// 64 KiB per file, 160 KiB per organization.
fn small_limits(settings: &mut Settings) {
    settings.files.max_upload_bytes = 64 * 1024;
    settings.files.tenant_quota_bytes = 160 * 1024;
}

/// A PDF-looking file of `len` bytes whose content varies byte by byte.
fn pdf_bytes(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut state: u32 = 0x2545_4446;
    while bytes.len() < len {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push(state.to_be_bytes()[0]);
    }
    bytes
}

pub(crate) const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    attached: (&str, &str),
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> Reply {
    let part = Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(content_type)
        .unwrap();
    let form = Form::new()
        .part("file", part)
        .text("attached_to_type", attached.0.to_owned())
        .text("attached_to_id", attached.1.to_owned());
    let response = app
        .http
        .post(format!("{}/api/v1/files", app.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        content_type,
    }
}

/// Status, headers and bytes of a file's content.
async fn download(app: &TestApp, token: &str, id: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app
        .http
        .get(format!("{}/api/v1/files/{id}/content", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Uploads a 60 KiB file to a client and checks its download is the same bytes.
async fn round_trip(app: &TestApp, owner: &Account, client: &str) -> String {
    let bytes = pdf_bytes(60 * 1024);
    let stored = upload(
        app,
        &owner.token,
        ("client", client),
        "Angebot Müller & Söhne.pdf",
        "application/pdf",
        bytes.clone(),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    assert_eq!(stored.str("name"), "Angebot Müller & Söhne.pdf");
    assert_eq!(stored.str("content_type"), "application/pdf");
    assert_eq!(stored.body["size_bytes"], 60 * 1024);
    assert_eq!(stored.str("sha256"), sha256_hex(&bytes));
    assert_eq!(stored.str("client_id"), client);
    let id = stored.str("id");
    let (status, headers, downloaded) = download(app, &owner.token, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(downloaded == bytes, "the download is byte-identical");
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; "), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''Angebot%20M%C3%BCller%20&%20S%C3%B6hne.pdf"),
        "{disposition}"
    );
    let meta = app.get(&format!("/api/v1/files/{id}"), &owner.token).await;
    assert_eq!(meta.status, StatusCode::OK);
    assert_eq!(meta.str("content_url"), format!("/api/v1/files/{id}/content"));
    id
}

async fn files_round_trip_byte_identical(app: TestApp) {
    let owner = app.signup("files@content.example").await;
    let client = app.client(&owner, "Müller & Söhne").await;
    round_trip(&app, &owner, &client).await;
    // On an invoice, a job and a note too; listed by what they are attached to.
    let invoice = app.worked_example(&owner, &client).await.str("id");
    let job = app
        .post(
            "/api/v1/jobs",
            &owner.token,
            json!({"client_id": client, "title": "Mockups"}),
        )
        .await
        .str("id");
    let note = app
        .post(
            &format!("/api/v1/jobs/{job}/notes"),
            &owner.token,
            json!({"body": "Second draft attached."}),
        )
        .await
        .str("id");
    for (kind, id) in [("invoice", &invoice), ("job", &job), ("note", &note)] {
        let stored = upload(&app, &owner.token, (kind, id), "mockup.png", "image/png", PNG.to_vec()).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{kind}: {:?}", stored.body);
        assert_eq!(stored.str("client_id"), client, "a {kind}'s file belongs to its client");
        let listed = app
            .get(
                &format!("/api/v1/files?attached_to_type={kind}&attached_to_id={id}"),
                &owner.token,
            )
            .await;
        assert_eq!(listed.body["data"].as_array().unwrap().len(), 1, "{kind}");
        assert_eq!(listed.body["data"][0]["id"], stored.body["id"]);
    }
    let all = app.get("/api/v1/files?limit=2", &owner.token).await;
    assert_eq!(all.body["data"].as_array().unwrap().len(), 2);
    let rest = app
        .get(
            &format!("/api/v1/files?limit=2&cursor={}", all.str("next_cursor")),
            &owner.token,
        )
        .await;
    assert_eq!(rest.body["data"].as_array().unwrap().len(), 2, "four files in all");
    assert!(rest.body["next_cursor"].is_null());
    let half = app.get("/api/v1/files?attached_to_type=job", &owner.token).await;
    assert_eq!((half.status, half.code()), (StatusCode::BAD_REQUEST, "invalid_request"));
}

async fn bytes_must_be_what_they_claim(app: TestApp) {
    let owner = app.signup("types@content.example").await;
    let client = app.client(&owner, "Typed Client").await;
    let at = ("client", client.as_str());
    let png_as_pdf = upload(&app, &owner.token, at, "invoice.pdf", "application/pdf", PNG.to_vec()).await;
    assert_eq!(
        (png_as_pdf.status, png_as_pdf.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type_mismatch")
    );
    assert_eq!(png_as_pdf.content_type, "application/problem+json");
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec();
    let page = upload(&app, &owner.token, at, "page.html", "text/html", html).await;
    assert_eq!(
        (page.status, page.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file_type")
    );
    let binary = upload(
        &app,
        &owner.token,
        at,
        "blob.bin",
        "application/octet-stream",
        vec![0, 159, 146, 150],
    )
    .await;
    assert_eq!(binary.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let csv = upload(
        &app,
        &owner.token,
        at,
        "hours.csv",
        "text/csv",
        b"date,hours\n2026-11-02,6\n".to_vec(),
    )
    .await;
    assert_eq!(csv.status, StatusCode::CREATED, "{:?}", csv.body);
    let empty = upload(&app, &owner.token, at, "empty.txt", "text/plain", Vec::new()).await;
    assert_eq!(empty.status.as_u16() / 100, 4, "{:?}", empty.body);
    let unknown = upload(
        &app,
        &owner.token,
        ("supplier", &client),
        "a.png",
        "image/png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert_eq!(unknown.body["errors"][0]["code"], "invalid_attached_to_type");
    let listed = app.get("/api/v1/files", &owner.token).await;
    assert_eq!(
        listed.body["data"].as_array().unwrap().len(),
        1,
        "only the CSV was stored"
    );
}

async fn limits_and_quota_hold(app: TestApp) {
    let owner = app.signup("limits@content.example").await;
    let client = app.client(&owner, "Big Files").await;
    let at = ("client", client.as_str());
    let over = upload(
        &app,
        &owner.token,
        at,
        "big.pdf",
        "application/pdf",
        pdf_bytes(64 * 1024 + 1),
    )
    .await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large")
    );
    let far_over = upload(
        &app,
        &owner.token,
        at,
        "huge.pdf",
        "application/pdf",
        pdf_bytes(400 * 1024),
    )
    .await;
    assert_eq!(
        far_over.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "refused while reading the body"
    );
    let at_limit = upload(
        &app,
        &owner.token,
        at,
        "exact.pdf",
        "application/pdf",
        pdf_bytes(64 * 1024),
    )
    .await;
    assert_eq!(at_limit.status, StatusCode::CREATED, "{:?}", at_limit.body);
    let second = upload(
        &app,
        &owner.token,
        at,
        "second.pdf",
        "application/pdf",
        pdf_bytes(64 * 1024),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED);
    let third = upload(
        &app,
        &owner.token,
        at,
        "third.pdf",
        "application/pdf",
        pdf_bytes(40 * 1024),
    )
    .await;
    assert_eq!(
        (third.status, third.code()),
        (StatusCode::CONFLICT, "storage_quota_exceeded"),
        "160 KiB in all"
    );
    let deleted = app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/files/{}", second.str("id")),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let fits = upload(
        &app,
        &owner.token,
        at,
        "third.pdf",
        "application/pdf",
        pdf_bytes(40 * 1024),
    )
    .await;
    assert_eq!(fits.status, StatusCode::CREATED, "a deleted file frees its space");
}

async fn foreign_files_are_not_found(app: TestApp) {
    let owner = app.signup("mine@content.example").await;
    let stranger = app.signup("stranger@content.example").await;
    let client = app.client(&owner, "Private Client").await;
    let file = upload(
        &app,
        &owner.token,
        ("client", &client),
        "a.png",
        "image/png",
        PNG.to_vec(),
    )
    .await
    .str("id");
    for path in [format!("/api/v1/files/{file}"), format!("/api/v1/files/{file}/content")] {
        let reply = app.get(&path, &stranger.token).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::NOT_FOUND, "file_not_found"),
            "{path}"
        );
    }
    let delete = app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/files/{file}"),
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    let onto = upload(
        &app,
        &stranger.token,
        ("client", &client),
        "b.png",
        "image/png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!((onto.status, onto.code()), (StatusCode::NOT_FOUND, "client_not_found"));
    assert!(
        app.get("/api/v1/files", &stranger.token).await.body["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (status, _, bytes) = download(&app, &owner.token, &file).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PNG), "still the owner's");
}

async fn deleting_erasing_and_exporting_files(app: TestApp) {
    let owner = app.signup("lifecycle@content.example").await;
    let client = app.client(&owner, "Leaving Client").await;
    let kept = app.client(&owner, "Staying Client").await;
    let text = |s: &str| s.as_bytes().to_vec();
    let first = upload(
        &app,
        &owner.token,
        ("client", &client),
        "brief.txt",
        "text/plain",
        text("The brief."),
    )
    .await
    .str("id");
    let other = upload(
        &app,
        &owner.token,
        ("client", &kept),
        "other.txt",
        "text/plain",
        text("Not theirs."),
    )
    .await
    .str("id");

    // The client's export carries its files (and only its files).
    let files = export(&app, &owner.token, json!({"scope": "client", "client_id": client})).await;
    assert_eq!(
        files.get(&format!("files/{first}")).map(String::as_str),
        Some("The brief.")
    );
    assert!(!files.contains_key(&format!("files/{other}")));
    assert_eq!(json_rows(&files, "files").len(), 1);

    // Erasure deletes the client's files, records and bytes.
    let erased = app
        .post(&format!("/api/v1/clients/{client}/erase"), &owner.token, json!({}))
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    let deleted: Vec<&str> = erased.body["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["what"].as_str().unwrap())
        .collect();
    assert!(deleted.contains(&"files (records and stored bytes)"), "{deleted:?}");
    assert_eq!(
        app.get(&format!("/api/v1/files/{first}"), &owner.token).await.status,
        StatusCode::NOT_FOUND
    );
    let (status, _, _) = download(&app, &owner.token, &other).await;
    assert_eq!(status, StatusCode::OK, "other clients' files stay");
    let stored = walk(std::path::Path::new(&app.state.settings.storage.local_dir));
    assert_eq!(stored.iter().filter(|k| k.contains("/files/")).count(), 1, "{stored:?}");
    assert!(
        stored.iter().all(|k| !k.contains("other") && !k.contains(".txt")),
        "keys hold ids only: {stored:?}"
    );
}

/// Every file under `root`, as paths relative to it.
fn walk(root: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    found
}

/// The whole life of files on a real S3 API, on `backend`: upload and
/// download byte-identical, keys that name no file or person, erasure and
/// the purge of a closed account leaving nothing of the tenant in the bucket.
async fn on_s3(backend: Backend) {
    let Some(server) = MotoServer::start() else { return };
    let bucket = format!("fakturo-e2e-{}", uuid::Uuid::new_v4().simple());
    server.create_bucket(&bucket);
    let (endpoint, bucket_name) = (server.endpoint(), bucket.clone());
    let Some(app) = TestApp::spawn_with(backend, move |settings| {
        settings.storage.backend = StorageBackend::S3;
        settings.storage.s3_endpoint = endpoint;
        settings.storage.s3_bucket = bucket_name;
        settings.storage.s3_region = moto_server::REGION.to_owned();
        settings.storage.s3_access_key_id = moto_server::ACCESS_KEY_ID.to_owned();
        settings.storage.s3_secret_access_key = moto_server::SECRET_ACCESS_KEY.to_owned();
        settings.storage.s3_allow_http = true;
    })
    .await
    else {
        return;
    };
    let owner = app.signup("s3@content.example").await;
    let neighbour = app.signup("s3-neighbour@content.example").await;
    let client = app.client(&owner, "Cloud Client").await;
    let other_client = app.client(&owner, "Other Cloud Client").await;
    let first = round_trip(&app, &owner, &client).await;
    let second = upload(
        &app,
        &owner.token,
        ("client", &other_client),
        "b.png",
        "image/png",
        PNG.to_vec(),
    )
    .await
    .str("id");
    let theirs = app.client(&neighbour, "Neighbour's Client").await;
    let neighbours = upload(
        &app,
        &neighbour.token,
        ("client", &theirs),
        "n.png",
        "image/png",
        PNG.to_vec(),
    )
    .await
    .str("id");

    let tenant_keys = |tenant: &str| -> Vec<String> {
        server
            .keys(&bucket)
            .into_iter()
            .filter(|k| k.contains(tenant))
            .collect()
    };
    let keys = tenant_keys(&owner.organization_id);
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.iter().any(|k| k.ends_with(&first)) && keys.iter().any(|k| k.ends_with(&second)));
    assert!(
        keys.iter()
            .all(|k| !k.contains("Angebot") && !k.contains("Cloud") && !k.contains("s3@")),
        "keys hold ids only: {keys:?}"
    );

    let erased = app
        .post(&format!("/api/v1/clients/{client}/erase"), &owner.token, json!({}))
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    let keys = tenant_keys(&owner.organization_id);
    assert!(
        !keys.iter().any(|k| k.ends_with(&first)),
        "the erased client's file is gone from S3: {keys:?}"
    );
    assert_eq!(keys.len(), 1);

    let closed = app
        .post(
            "/api/v1/account/close",
            &owner.session,
            json!({"password": "correct horse battery"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::ACCEPTED, "{:?}", closed.body);
    app.run_due("2026-12-23").await;
    assert!(
        tenant_keys(&owner.organization_id).is_empty(),
        "the purge leaves no object of the tenant: {:?}",
        server.keys(&bucket)
    );
    assert_eq!(
        tenant_keys(&neighbour.organization_id).len(),
        1,
        "the neighbour's file stays"
    );
    let (status, _, bytes) = download(&app, &neighbour.token, &neighbours).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PNG));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_live_and_die_on_s3_with_sqlite() {
    on_s3(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_live_and_die_on_s3_with_postgres() {
    on_s3(Backend::Postgres).await;
}

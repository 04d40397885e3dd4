//! How an unreachable or failing store is reported: transient trouble is
//! [`FileStoreError::Unavailable`] (worth retrying), a misconfiguration is
//! [`FileStoreError::Unexpected`], and a missing bucket is never mistaken
//! for a missing object on a write.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use fakturo_domain::kernel::files::{FileStore, FileStoreError, KeyPrefix, ObjectKey};
use fakturo_storage::{ObjectFileStore, StorageBackend, StorageSettings};
use fakturo_tests::moto_server::MotoServer;
use fakturo_tests::smtp_server::free_port;
use uuid::Uuid;

use crate::support::{s3_settings, tenant};

fn s3_at(endpoint: &str) -> ObjectFileStore {
    ObjectFileStore::new(&StorageSettings {
        backend: StorageBackend::S3,
        s3_endpoint: endpoint.to_owned(),
        s3_bucket: "fakturo".to_owned(),
        s3_region: "us-east-1".to_owned(),
        s3_access_key_id: "key".to_owned(),
        s3_secret_access_key: "secret".to_owned(),
        s3_allow_http: true,
        ..StorageSettings::default()
    })
    .unwrap()
}

#[tokio::test]
async fn an_unreachable_store_is_unavailable() {
    let store = s3_at(&format!("http://127.0.0.1:{}", free_port()));
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());

    let read = store.get(&key).await;
    assert!(matches!(read, Err(FileStoreError::Unavailable(_))), "{read:?}");
    let write = store.put(&key, b"x".to_vec()).await;
    assert!(matches!(write, Err(FileStoreError::Unavailable(_))), "{write:?}");
    let check = store.check().await;
    assert!(matches!(check, Err(FileStoreError::Unavailable(_))), "{check:?}");
}

/// An HTTP server on 127.0.0.1 that answers every request with `503` and
/// stops after `limit` requests or 20 seconds, whichever comes first.
fn always_503(limit: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut served = 0;
        while served < limit && Instant::now() < deadline {
            let Ok((mut stream, _)) = listener.accept() else {
                thread::sleep(Duration::from_millis(10));
                continue;
            };
            served += 1;
            let _ = stream.set_nonblocking(false);
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = [0; 8192];
            let _ = stream.read(&mut request);
            let _ =
                stream.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    port
}

#[tokio::test]
async fn a_store_answering_503_is_unavailable() {
    let store = s3_at(&format!("http://127.0.0.1:{}", always_503(40)));
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());

    let read = store.get(&key).await;
    match read {
        Err(FileStoreError::Unavailable(reason)) => assert!(reason.contains("503"), "{reason}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    let write = store.put(&key, b"x".to_vec()).await;
    assert!(matches!(write, Err(FileStoreError::Unavailable(_))), "{write:?}");
}

#[tokio::test]
async fn a_missing_bucket_is_a_setup_problem_not_a_missing_object() {
    let Some(server) = MotoServer::start() else { return };
    let store = ObjectFileStore::new(&s3_settings(&server, "no-such-bucket")).unwrap();
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());

    let check = store.check().await;
    assert!(matches!(check, Err(FileStoreError::Unexpected(_))), "{check:?}");
    let write = store.put(&key, b"x".to_vec()).await;
    assert!(matches!(write, Err(FileStoreError::Unexpected(_))), "{write:?}");
    let listing = store.list(&KeyPrefix::tenant(tenant())).await;
    assert!(matches!(listing, Err(FileStoreError::Unexpected(_))), "{listing:?}");

    server.create_bucket("no-such-bucket");
    store.check().await.unwrap();
}

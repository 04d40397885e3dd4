//! The suite every backend must pass, run once against a local folder
//! (`suite::local::…`) and once against moto's S3 API (`suite::s3::…`).

use fakturo_domain::kernel::files::{FileStore, FileStoreError, KeyPrefix, ObjectKey};
use fakturo_storage::UPLOAD_PART_SIZE;
use uuid::Uuid;

use crate::support::{Backend, binary, read_all, tenant};

/// Runs each named case on both backends.
macro_rules! on_both_backends {
    ($($case:ident),+ $(,)?) => {
        mod local {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(&crate::support::Backend::local()).await;
                }
            )+
        }
        mod s3 {
            $(
                #[tokio::test]
                async fn $case() {
                    let Some(backend) = crate::support::Backend::moto() else { return };
                    super::$case(&backend).await;
                }
            )+
        }
    };
}

on_both_backends!(
    binary_bytes_come_back_identical,
    a_multi_megabyte_file_is_uploaded_in_parts_and_streamed_back,
    a_small_file_is_put_from_disk,
    a_put_replaces_the_object,
    keys_are_listed_under_a_prefix,
    deleting_is_idempotent,
    deleting_a_prefix_removes_exactly_one_tenants_objects,
    a_missing_key_is_not_found,
    stored_keys_never_hold_user_supplied_names,
);

async fn binary_bytes_come_back_identical(backend: &Backend) {
    let store = &backend.store;
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());
    let bytes = binary(100_003, 7);

    store.put(&key, bytes.clone()).await.unwrap();

    assert_eq!(store.get(&key).await.unwrap(), bytes);
    assert_eq!(store.size(&key).await.unwrap(), 100_003);
    let reader = store.open(&key).await.unwrap();
    assert_eq!(reader.size, 100_003);
    assert_eq!(read_all(reader).await.0, bytes);

    let empty = ObjectKey::tenant_file(tenant(), Uuid::new_v4());
    store.put(&empty, Vec::new()).await.unwrap();
    assert_eq!(store.get(&empty).await.unwrap(), Vec::<u8>::new());
    assert_eq!(store.size(&empty).await.unwrap(), 0);
    assert_eq!(read_all(store.open(&empty).await.unwrap()).await.0, Vec::<u8>::new());
}

async fn a_multi_megabyte_file_is_uploaded_in_parts_and_streamed_back(backend: &Backend) {
    let store = &backend.store;
    let key = ObjectKey::tenant_export(tenant(), Uuid::new_v4());
    // One and a half parts: a multipart upload with a short last part.
    let bytes = binary(UPLOAD_PART_SIZE + UPLOAD_PART_SIZE / 2 + 17, 11);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    std::fs::write(&path, &bytes).unwrap();

    let stored = store.put_file(&key, &path).await.unwrap();

    assert_eq!(stored, bytes.len() as u64);
    assert_eq!(store.size(&key).await.unwrap(), bytes.len() as u64);
    let reader = store.open(&key).await.unwrap();
    assert_eq!(reader.size, bytes.len() as u64);
    let (read, chunks, largest) = read_all(reader).await;
    assert!(read == bytes, "the bytes read back differ from the file");
    assert!(chunks > 1, "read in {chunks} chunk");
    assert!(largest < bytes.len(), "one chunk held the whole object");
    assert_eq!(
        backend.stored_keys(),
        vec![key.as_str().to_owned()],
        "no staging leftovers"
    );
    if let Some(parts) = backend.upload_parts(&key) {
        assert_eq!(parts, 2, "uploaded in one full part and a short last one");
    }
}

async fn a_small_file_is_put_from_disk(backend: &Backend) {
    let store = &backend.store;
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());
    let bytes = binary(4096, 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logo.png");
    std::fs::write(&path, &bytes).unwrap();

    assert_eq!(store.put_file(&key, &path).await.unwrap(), 4096);
    assert_eq!(store.get(&key).await.unwrap(), bytes);
    if let Some(parts) = backend.upload_parts(&key) {
        assert_eq!(parts, 1, "a small file is one plain upload");
    }

    let missing = store.put_file(&key, &dir.path().join("no-such-file")).await;
    assert!(matches!(missing, Err(FileStoreError::Unexpected(_))), "{missing:?}");
    assert_eq!(
        store.get(&key).await.unwrap(),
        bytes,
        "a failed put keeps the old object"
    );
}

async fn a_put_replaces_the_object(backend: &Backend) {
    let store = &backend.store;
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());
    store.put(&key, b"first version, longer".to_vec()).await.unwrap();
    store.put(&key, b"second".to_vec()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), b"second");
    assert_eq!(store.size(&key).await.unwrap(), 6);
}

async fn keys_are_listed_under_a_prefix(backend: &Backend) {
    let store = &backend.store;
    let (alice, bob) = (tenant(), tenant());
    let mut alices = vec![
        ObjectKey::tenant_file(alice, Uuid::new_v4()),
        ObjectKey::tenant_file(alice, Uuid::new_v4()),
        ObjectKey::tenant_export(alice, Uuid::new_v4()),
    ];
    for key in &alices {
        store.put(key, b"a".to_vec()).await.unwrap();
    }
    store
        .put(&ObjectKey::tenant_file(bob, Uuid::new_v4()), b"b".to_vec())
        .await
        .unwrap();
    alices.sort();

    assert_eq!(store.list(&KeyPrefix::tenant(alice)).await.unwrap(), alices);
    let files = store.list(&KeyPrefix::tenant_files(alice)).await.unwrap();
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|key| key.as_str().contains("/files/")));
    let exports = store.list(&KeyPrefix::tenant_exports(alice)).await.unwrap();
    assert_eq!(exports.len(), 1);
    assert_eq!(store.list(&KeyPrefix::tenant(bob)).await.unwrap().len(), 1);
    assert!(store.list(&KeyPrefix::tenant(tenant())).await.unwrap().is_empty());
}

async fn deleting_is_idempotent(backend: &Backend) {
    let store = &backend.store;
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());
    store.put(&key, b"to be deleted".to_vec()).await.unwrap();

    store.delete(&key).await.unwrap();
    assert!(matches!(store.get(&key).await, Err(FileStoreError::NotFound)));
    store.delete(&key).await.unwrap();
    store
        .delete(&ObjectKey::tenant_export(tenant(), Uuid::new_v4()))
        .await
        .unwrap();
    assert!(backend.stored_keys().is_empty());
}

async fn deleting_a_prefix_removes_exactly_one_tenants_objects(backend: &Backend) {
    let store = &backend.store;
    let (leaving, staying) = (tenant(), tenant());
    for key in [
        ObjectKey::tenant_file(leaving, Uuid::new_v4()),
        ObjectKey::tenant_file(leaving, Uuid::new_v4()),
        ObjectKey::tenant_export(leaving, Uuid::new_v4()),
    ] {
        store.put(&key, b"leaving".to_vec()).await.unwrap();
    }
    let kept = [
        ObjectKey::tenant_file(staying, Uuid::new_v4()),
        ObjectKey::tenant_export(staying, Uuid::new_v4()),
    ];
    for key in &kept {
        store.put(key, b"staying".to_vec()).await.unwrap();
    }

    assert_eq!(store.delete_prefix(&KeyPrefix::tenant(leaving)).await.unwrap(), 3);

    assert!(store.list(&KeyPrefix::tenant(leaving)).await.unwrap().is_empty());
    let mut expected: Vec<_> = kept.iter().map(|key| key.as_str().to_owned()).collect();
    expected.sort();
    assert_eq!(backend.stored_keys(), expected);
    for key in &kept {
        assert_eq!(store.get(key).await.unwrap(), b"staying");
    }
    assert_eq!(store.delete_prefix(&KeyPrefix::tenant(leaving)).await.unwrap(), 0);
    assert_eq!(
        store.delete_prefix(&KeyPrefix::tenant_exports(staying)).await.unwrap(),
        1
    );
    assert_eq!(
        store.list(&KeyPrefix::tenant(staying)).await.unwrap(),
        vec![kept[0].clone()]
    );
}

async fn a_missing_key_is_not_found(backend: &Backend) {
    let store = &backend.store;
    let key = ObjectKey::tenant_file(tenant(), Uuid::new_v4());
    assert!(matches!(store.get(&key).await, Err(FileStoreError::NotFound)));
    assert!(matches!(store.open(&key).await, Err(FileStoreError::NotFound)));
    assert!(matches!(store.size(&key).await, Err(FileStoreError::NotFound)));
}

async fn stored_keys_never_hold_user_supplied_names(backend: &Backend) {
    let store = &backend.store;
    let owner = tenant();
    // What a user may call a file; it goes into the database row, never the key.
    let user_name = "../../Müller & Söhne/Rechnung 2026-0042.pdf";
    let file_id = Uuid::new_v4();
    store
        .put(&ObjectKey::tenant_file(owner, file_id), b"%PDF-1.7".to_vec())
        .await
        .unwrap();
    store
        .put(&ObjectKey::tenant_export(owner, Uuid::new_v4()), b"PK\x05\x06".to_vec())
        .await
        .unwrap();

    let stored = backend.stored_keys();
    assert_eq!(stored.len(), 2);
    for text in &stored {
        let key = ObjectKey::parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"));
        assert_eq!(key.tenant(), owner);
        assert!(
            text.bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || b"/-.".contains(&byte)),
            "{text:?}"
        );
        for part in ["..", "Müller", "Rechnung", "pdf", " "] {
            assert!(!text.contains(part), "{text:?} holds {part:?} of {user_name:?}");
        }
    }
    assert!(stored.contains(&format!("tenants/{owner}/files/{file_id}")));
}

//! What only the local folder backend does: it creates its folder, keeps
//! each object as a file at its key's path, and leaves no empty folders
//! behind.

use fakturo_domain::kernel::files::{FileStore, KeyPrefix, ObjectKey};
use fakturo_storage::{ObjectFileStore, StorageSettings};
use uuid::Uuid;

use crate::support::tenant;

#[tokio::test]
async fn the_folder_is_created_and_objects_are_files_at_their_keys() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("data/files");
    let store = ObjectFileStore::new(&StorageSettings {
        local_dir: root.clone(),
        ..StorageSettings::default()
    })
    .unwrap();
    store.check().await.unwrap();
    assert!(root.is_dir());

    let owner = tenant();
    let key = ObjectKey::tenant_file(owner, Uuid::new_v4());
    store.put(&key, b"%PDF-1.7".to_vec()).await.unwrap();
    assert_eq!(std::fs::read(root.join(key.as_str())).unwrap(), b"%PDF-1.7");

    store.delete(&key).await.unwrap();
    assert!(
        !root.join(KeyPrefix::tenant(owner).as_str()).exists(),
        "the tenant's empty folders are removed"
    );
    assert!(root.is_dir(), "the root stays");
}

#[tokio::test]
async fn deleting_a_tenant_leaves_no_folder_of_it() {
    let temp = tempfile::tempdir().unwrap();
    let store = ObjectFileStore::local(temp.path()).unwrap();
    let owner = tenant();
    for key in [
        ObjectKey::tenant_file(owner, Uuid::new_v4()),
        ObjectKey::tenant_export(owner, Uuid::new_v4()),
    ] {
        store.put(&key, b"x".to_vec()).await.unwrap();
    }

    assert_eq!(store.delete_prefix(&KeyPrefix::tenant(owner)).await.unwrap(), 2);
    assert!(!temp.path().join(format!("tenants/{owner}")).exists());
}

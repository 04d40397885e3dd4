//! The data map covers the migrated schema exactly, and a column nobody
//! declared is caught (shown with a test-only table).

use fakturo_database::SqlStore;
use fakturo_database::data_map::{DECLARATIONS, check};
use sea_orm::{ConnectionTrait, Statement};

on_both_backends!(the_data_map_declares_every_column, an_undeclared_column_is_caught);

async fn the_data_map_declares_every_column(store: SqlStore) {
    let result = check(store.connection(), DECLARATIONS).await.unwrap();
    assert!(
        result.undeclared.is_empty(),
        "declare these columns in the data map: {:?}",
        result.undeclared
    );
    assert!(
        result.stale.is_empty(),
        "declared but not in the schema: {:?}",
        result.stale
    );
    let tables: std::collections::BTreeSet<&str> = DECLARATIONS.iter().map(|d| d.table).collect();
    assert_eq!(tables.len(), DECLARATIONS.len(), "each table is declared once");
}

async fn an_undeclared_column_is_caught(store: SqlStore) {
    let db = store.connection();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        "CREATE TABLE test_only_undeclared (id INTEGER PRIMARY KEY, favourite_colour TEXT)",
    ))
    .await
    .unwrap();
    let result = check(db, DECLARATIONS).await.unwrap();
    assert_eq!(
        result.undeclared,
        ["test_only_undeclared.favourite_colour", "test_only_undeclared.id"]
    );
}

//! Translation of sea-orm / sqlx errors into the domain's [`RepositoryError`].
//! Messages that could carry row values are never copied: a unique violation
//! keeps only the constraint's name.

use fakturo_domain::kernel::repository::RepositoryError;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Converts a database error at the adapter's seam.
pub(crate) fn translate(error: DbErr) -> RepositoryError {
    if let Some(SqlErr::UniqueConstraintViolation(_)) = error.sql_err() {
        return RepositoryError::Duplicate {
            constraint: constraint_name(&error).unwrap_or_else(|| "unique".to_owned()),
        };
    }
    if is_serialization_failure(&error) {
        return RepositoryError::Conflict;
    }
    RepositoryError::Unexpected(Box::new(error))
}

fn database_error(error: &DbErr) -> Option<&(dyn sea_orm::sqlx::error::DatabaseError + 'static)> {
    match error {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            sea_orm::sqlx::Error::Database(db) => Some(db.as_ref()),
            _ => None,
        },
        _ => None,
    }
}

fn constraint_name(error: &DbErr) -> Option<String> {
    let db = database_error(error)?;
    if let Some(name) = db.constraint() {
        return Some(name.to_owned());
    }
    // SQLite: "UNIQUE constraint failed: users.email_normalized" names columns, not values.
    db.message()
        .split_once("failed: ")
        .map(|(_, columns)| columns.to_owned())
}

fn is_serialization_failure(error: &DbErr) -> bool {
    database_error(error)
        .and_then(|db| db.code())
        .is_some_and(|code| matches!(code.as_ref(), "40001" | "40P01"))
}

/// Stored data that cannot be read back into the domain.
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Corrupt(format!("{what}: {detail}"))
}

//! [`SqlStore`] and its unit of work: one database transaction exposing
//! every repository. Dropping a unit without committing rolls it back.

use async_trait::async_trait;
use fakturo_domain::access::ports::IdempotencyRepository;
use fakturo_domain::access::ports::{
    ApiTokenRepository, AuditRepository, IdentityRepository, IntegrationRepository, InvitationRepository,
    OneTimeTokenRepository, SessionRepository, ThrottleRepository, UserRepository,
};
use fakturo_domain::invoicing::ports::{
    ClientRepository, CreditNoteRepository, InvoiceRepository, NumberingRepository, RecurringInvoiceRepository,
    ReminderRepository,
};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::messaging::ports::JobRepository;
use fakturo_domain::ports::{Store, UnitOfWork};
use fakturo_domain::privacy::ports::{
    AnalyticsRepository, ConsentRepository, ExportRepository, PolicyRepository, PrivacyRequestRepository,
    PrivacySubmissionRepository,
};
use fakturo_domain::tenancy::ports::OrganizationRepository;
use fakturo_domain::work::ports::{FileRepository, NoteRepository, WorkOrderRepository};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

use crate::errors::translate;

/// The storage port on a sea-orm connection pool (SQLite or PostgreSQL).
#[derive(Clone, Debug)]
pub struct SqlStore {
    db: DatabaseConnection,
}

impl SqlStore {
    /// A store on an open (and migrated) connection pool.
    #[must_use]
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Writes a consistent copy of an SQLite database to `path` (`VACUUM INTO`).
    ///
    /// # Errors
    /// The database's error, or [`RepositoryError::Unexpected`] for PostgreSQL
    /// (back it up with `pg_dump`).
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<(), RepositoryError> {
        let backend = self.db.get_database_backend();
        if backend != DbBackend::Sqlite {
            return Err(RepositoryError::Unexpected(
                "VACUUM INTO is SQLite only; use pg_dump".into(),
            ));
        }
        let target = path.display().to_string().replace('\'', "''");
        self.db
            .execute_raw(Statement::from_string(backend, format!("VACUUM INTO '{target}'")))
            .await
            .map_err(translate)?;
        Ok(())
    }

    /// The underlying pool, for operator tasks and tests.
    #[must_use]
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}

impl SqlStore {
    /// Starts a transaction: the unit of work behind every area's store.
    pub(crate) async fn begin_unit(&self) -> Result<SqlUnitOfWork, RepositoryError> {
        let txn = match self.db.get_database_backend() {
            // Take SQLite's write lock up front: a deferred transaction that
            // later upgrades can fail at once instead of waiting its turn.
            DbBackend::Sqlite => self
                .db
                .begin_with_options(TransactionOptions {
                    isolation_level: None,
                    access_mode: None,
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                })
                .await
                .map_err(translate)?,
            _ => self.db.begin().await.map_err(translate)?,
        };
        Ok(SqlUnitOfWork { txn })
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn begin(&self) -> Result<Box<dyn UnitOfWork>, RepositoryError> {
        Ok(Box::new(self.begin_unit().await?))
    }

    async fn ping(&self) -> Result<(), RepositoryError> {
        let backend = self.db.get_database_backend();
        self.db
            .query_one_raw(Statement::from_string(backend, "SELECT 1"))
            .await
            .map_err(translate)?;
        Ok(())
    }
}

/// One open transaction. Implements every repository port (each in its own
/// file under `repositories/`).
pub(crate) struct SqlUnitOfWork {
    pub(crate) txn: DatabaseTransaction,
}

#[async_trait]
impl UnitOfWork for SqlUnitOfWork {
    fn organizations(&self) -> &dyn OrganizationRepository {
        self
    }

    fn users(&self) -> &dyn UserRepository {
        self
    }

    fn sessions(&self) -> &dyn SessionRepository {
        self
    }

    fn clients(&self) -> &dyn ClientRepository {
        self
    }

    fn invoices(&self) -> &dyn InvoiceRepository {
        self
    }

    fn numbering(&self) -> &dyn NumberingRepository {
        self
    }

    fn idempotency(&self) -> &dyn IdempotencyRepository {
        self
    }

    fn jobs(&self) -> &dyn JobRepository {
        self
    }

    fn recurring(&self) -> &dyn RecurringInvoiceRepository {
        self
    }

    fn reminders(&self) -> &dyn ReminderRepository {
        self
    }

    fn api_tokens(&self) -> &dyn ApiTokenRepository {
        self
    }

    fn one_time_tokens(&self) -> &dyn OneTimeTokenRepository {
        self
    }

    fn invitations(&self) -> &dyn InvitationRepository {
        self
    }

    fn identities(&self) -> &dyn IdentityRepository {
        self
    }

    fn throttles(&self) -> &dyn ThrottleRepository {
        self
    }

    fn audit(&self) -> &dyn AuditRepository {
        self
    }

    fn integrations(&self) -> &dyn IntegrationRepository {
        self
    }

    fn exports(&self) -> &dyn ExportRepository {
        self
    }

    fn consents(&self) -> &dyn ConsentRepository {
        self
    }

    fn analytics(&self) -> &dyn AnalyticsRepository {
        self
    }

    fn policies(&self) -> &dyn PolicyRepository {
        self
    }

    fn privacy_requests(&self) -> &dyn PrivacyRequestRepository {
        self
    }

    fn privacy_submissions(&self) -> &dyn PrivacySubmissionRepository {
        self
    }

    fn work_orders(&self) -> &dyn WorkOrderRepository {
        self
    }

    fn notes(&self) -> &dyn NoteRepository {
        self
    }

    fn files(&self) -> &dyn FileRepository {
        self
    }

    fn credit_notes(&self) -> &dyn CreditNoteRepository {
        self
    }

    async fn commit(self: Box<Self>) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(translate)
    }
}

//! [`SqlStore`] and its unit of work: one database transaction that every
//! area's unit of work runs on (see `units/`). Dropping a unit without
//! committing rolls it back.

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

impl SqlStore {
    /// Starts a transaction with every repository, for the adapter's own
    /// tests and operator tasks; use cases open their area's unit instead.
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if the database cannot be reached.
    pub async fn begin(&self) -> Result<SqlUnitOfWork, RepositoryError> {
        self.begin_unit().await
    }

    /// Checks that the database answers (for readiness probes).
    ///
    /// # Errors
    /// [`RepositoryError::Unexpected`] if it does not.
    pub async fn ping(&self) -> Result<(), RepositoryError> {
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
pub struct SqlUnitOfWork {
    pub(crate) txn: DatabaseTransaction,
}

/// Every repository of the transaction, by name (for the adapter's own
/// tests and operator tasks).
impl SqlUnitOfWork {
    /// The organizations repository.
    #[must_use]
    pub fn organizations(&self) -> &dyn OrganizationRepository {
        self
    }

    /// The users repository.
    #[must_use]
    pub fn users(&self) -> &dyn UserRepository {
        self
    }

    /// The sessions repository.
    #[must_use]
    pub fn sessions(&self) -> &dyn SessionRepository {
        self
    }

    /// The clients repository.
    #[must_use]
    pub fn clients(&self) -> &dyn ClientRepository {
        self
    }

    /// The invoices repository.
    #[must_use]
    pub fn invoices(&self) -> &dyn InvoiceRepository {
        self
    }

    /// The numbering repository.
    #[must_use]
    pub fn numbering(&self) -> &dyn NumberingRepository {
        self
    }

    /// The idempotency repository.
    #[must_use]
    pub fn idempotency(&self) -> &dyn IdempotencyRepository {
        self
    }

    /// The jobs repository.
    #[must_use]
    pub fn jobs(&self) -> &dyn JobRepository {
        self
    }

    /// The recurring repository.
    #[must_use]
    pub fn recurring(&self) -> &dyn RecurringInvoiceRepository {
        self
    }

    /// The reminders repository.
    #[must_use]
    pub fn reminders(&self) -> &dyn ReminderRepository {
        self
    }

    /// The api_tokens repository.
    #[must_use]
    pub fn api_tokens(&self) -> &dyn ApiTokenRepository {
        self
    }

    /// The one_time_tokens repository.
    #[must_use]
    pub fn one_time_tokens(&self) -> &dyn OneTimeTokenRepository {
        self
    }

    /// The invitations repository.
    #[must_use]
    pub fn invitations(&self) -> &dyn InvitationRepository {
        self
    }

    /// The identities repository.
    #[must_use]
    pub fn identities(&self) -> &dyn IdentityRepository {
        self
    }

    /// The throttles repository.
    #[must_use]
    pub fn throttles(&self) -> &dyn ThrottleRepository {
        self
    }

    /// The audit repository.
    #[must_use]
    pub fn audit(&self) -> &dyn AuditRepository {
        self
    }

    /// The integrations repository.
    #[must_use]
    pub fn integrations(&self) -> &dyn IntegrationRepository {
        self
    }

    /// The exports repository.
    #[must_use]
    pub fn exports(&self) -> &dyn ExportRepository {
        self
    }

    /// The consents repository.
    #[must_use]
    pub fn consents(&self) -> &dyn ConsentRepository {
        self
    }

    /// The analytics repository.
    #[must_use]
    pub fn analytics(&self) -> &dyn AnalyticsRepository {
        self
    }

    /// The policies repository.
    #[must_use]
    pub fn policies(&self) -> &dyn PolicyRepository {
        self
    }

    /// The privacy_requests repository.
    #[must_use]
    pub fn privacy_requests(&self) -> &dyn PrivacyRequestRepository {
        self
    }

    /// The privacy_submissions repository.
    #[must_use]
    pub fn privacy_submissions(&self) -> &dyn PrivacySubmissionRepository {
        self
    }

    /// The work_orders repository.
    #[must_use]
    pub fn work_orders(&self) -> &dyn WorkOrderRepository {
        self
    }

    /// The notes repository.
    #[must_use]
    pub fn notes(&self) -> &dyn NoteRepository {
        self
    }

    /// The files repository.
    #[must_use]
    pub fn files(&self) -> &dyn FileRepository {
        self
    }

    /// The credit_notes repository.
    #[must_use]
    pub fn credit_notes(&self) -> &dyn CreditNoteRepository {
        self
    }

    /// Commits every write of the unit.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] on a serialization failure,
    /// [`RepositoryError::Unexpected`] otherwise; nothing was written then.
    pub async fn commit(self) -> Result<(), RepositoryError> {
        self.txn.commit().await.map_err(translate)
    }
}

//! Export use cases: ask for an archive (any time, also while the account
//! is closed), follow it, download it. The archive itself is built by a
//! worker from the rows the storage adapter streams.

use std::sync::Arc;

use chrono::TimeDelta;
use uuid::Uuid;

use super::record;
use crate::access::Authenticated;
use crate::access::audit::{AuditAction, RequestOrigin};
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::files::ObjectKey;
use crate::kernel::ids::IdGenerator;
use crate::kernel::validation::ValidationErrors;
use crate::messaging::outbox::Effect;
use crate::privacy::exports::{Export, ExportScope, ExportStatus};
use crate::privacy::ports::PrivacyStore;
use crate::{ClientId, TenantId};

/// Why an export could not be requested, read or downloaded.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Exports of the organization or of a client are for owners and admins.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// An unknown scope, or a client scope without a client.
    #[error("invalid export: {0}")]
    Invalid(ValidationErrors),
    /// No such export (or client) in the organization.
    #[error("no such export")]
    NotFound,
    /// The archive is not built yet (or failed).
    #[error("the export is {0}, not ready")]
    NotReady(&'static str),
    /// The archive was deleted after its download window.
    #[error("the export expired; request a new one")]
    Expired,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ExportError);

/// Export use cases.
#[derive(Clone)]
pub struct ExportService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    export_days: u32,
}

impl ExportService {
    /// The service on the privacy store; archives stay downloadable `export_days` days.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        export_days: u32,
    ) -> Self {
        Self {
            store,
            clock,
            ids,
            export_days,
        }
    }

    /// Asks for an export of `scope` (`tenant`, `me` or `client`).
    ///
    /// # Errors
    /// See [`ExportError`].
    pub async fn request(
        &self,
        who: &Authenticated,
        scope: &str,
        client: Option<ClientId>,
        origin: &RequestOrigin,
    ) -> Result<Export, ExportError> {
        let principal = who.principal;
        let scope = match (scope, client) {
            ("tenant", _) => {
                principal.manager("export the whole organization")?;
                ExportScope::Tenant
            }
            ("me", _) => ExportScope::User(principal.user_id),
            ("client", Some(client)) => {
                principal.manager("export a client's data")?;
                ExportScope::Client(client)
            }
            ("client", None) => {
                return Err(ExportError::Invalid(ValidationErrors::single(
                    "client_id",
                    "required",
                    "is required for a client export",
                )));
            }
            _ => {
                return Err(ExportError::Invalid(ValidationErrors::single(
                    "scope",
                    "invalid_scope",
                    "must be tenant, me or client",
                )));
            }
        };
        let tenant = principal.reader().tenant();
        let now = self.clock.now();
        let export = Export {
            id: self.ids.new_uuid(),
            tenant_id: tenant,
            scope,
            status: ExportStatus::Pending,
            requested_by: principal.user_id,
            requested_at: now,
            completed_at: None,
            object_key: None,
            size_bytes: None,
            manifest: None,
            error: None,
            expires_at: now + TimeDelta::days(i64::from(self.export_days)),
        };
        let uow = self.store.begin().await?;
        if let ExportScope::Client(client) = scope
            && uow.client(tenant, client).await?.is_none()
        {
            return Err(ExportError::NotFound);
        }
        uow.exports().insert(&export).await?;
        super::enqueue(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            Effect::BuildExport { export_id: export.id },
            format!("export:{}", export.id),
        )
        .await?;
        record(
            uow.as_ref(),
            self.clock.as_ref(),
            self.ids.as_ref(),
            tenant,
            who.actor(),
            AuditAction::DataExported,
            origin,
            |e| {
                let event = e.with("scope", scope.as_str());
                match scope.subject() {
                    Some(subject) => event.about(
                        if matches!(scope, ExportScope::Client(_)) {
                            "client"
                        } else {
                            "user"
                        },
                        subject,
                    ),
                    None => event,
                }
            },
        )
        .await?;
        uow.commit().await?;
        Ok(export)
    }

    /// One export: the requester's own, or any for owners and admins.
    ///
    /// # Errors
    /// [`ExportError::NotFound`], or `Forbidden` for someone else's export.
    pub async fn get(&self, who: &Principal, id: Uuid) -> Result<Export, ExportError> {
        let uow = self.store.begin().await?;
        let export = uow
            .exports()
            .get(who.reader().tenant(), id)
            .await?
            .ok_or(ExportError::NotFound)?;
        if export.requested_by != who.user_id {
            who.manager("see other users' exports")?;
        }
        Ok(export)
    }

    /// The archive of a ready export.
    ///
    /// # Errors
    /// [`ExportError::NotReady`], [`ExportError::Expired`] or `NotFound`.
    pub async fn archive(&self, who: &Principal, id: Uuid) -> Result<(Export, ObjectKey), ExportError> {
        let export = self.get(who, id).await?;
        if export.expires_at <= self.clock.now() {
            return Err(ExportError::Expired);
        }
        let key = match (export.status, export.object_key.as_deref()) {
            (ExportStatus::Ready, Some(key)) => key
                .parse::<ObjectKey>()
                .map_err(|e| ExportError::Unexpected(Unexpected(Box::new(e))))?,
            (status, _) => return Err(ExportError::NotReady(status.as_str())),
        };
        Ok((export, key))
    }

    /// The export a worker should build, if it is still pending.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn pending(&self, tenant: TenantId, id: Uuid) -> Result<Option<Export>, Unexpected> {
        let uow = self.store.begin().await?;
        Ok(uow
            .exports()
            .get(tenant, id)
            .await?
            .filter(|e| e.status == ExportStatus::Pending))
    }

    /// Records a built archive.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn finished(
        &self,
        mut export: Export,
        key: &ObjectKey,
        size: u64,
        manifest: String,
    ) -> Result<(), Unexpected> {
        export.status = ExportStatus::Ready;
        export.completed_at = Some(self.clock.now());
        export.object_key = Some(key.as_str().to_owned());
        export.size_bytes = Some(size);
        export.manifest = Some(manifest);
        let uow = self.store.begin().await?;
        uow.exports().update(&export).await?;
        uow.commit().await?;
        Ok(())
    }

    /// Records a failed build.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn failed(&self, mut export: Export, error: &str) -> Result<(), Unexpected> {
        export.status = ExportStatus::Failed;
        export.completed_at = Some(self.clock.now());
        export.error = Some(error.chars().take(500).collect());
        let uow = self.store.begin().await?;
        uow.exports().update(&export).await?;
        uow.commit().await?;
        Ok(())
    }
}

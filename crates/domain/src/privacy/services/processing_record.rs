//! The record of processing activities (Art. 30) as a use case: an
//! organization's owner reads theirs, the operator generates their own.

use std::sync::Arc;

use crate::TenantId;
use crate::access::user::{Forbidden, Principal};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::privacy::ports::{DataMapSource, PrivacyStore};
use crate::privacy::processing_record::{
    ProcessingRecord, RecordParty, RecordRecipient, operator_record, organization_record,
};
use crate::privacy::retention::RetentionPolicy;

/// Why the record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProcessingRecordError {
    /// Only the owner reads the organization's record.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such organization (the operator's task).
    #[error("no organization has this id")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ProcessingRecordError);

/// Generates records of processing activities.
#[derive(Clone)]
pub struct ProcessingRecordService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    source: Arc<dyn DataMapSource>,
    policy: RetentionPolicy,
    operator: RecordParty,
    recipients: Vec<RecordRecipient>,
}

impl ProcessingRecordService {
    /// The service on the data map of `source` under `policy`, for the
    /// deployment run by `operator` with the sub-processors `recipients`.
    #[must_use]
    pub fn new(
        store: Arc<dyn PrivacyStore>,
        clock: Arc<dyn Clock>,
        source: Arc<dyn DataMapSource>,
        policy: RetentionPolicy,
        operator: RecordParty,
        recipients: Vec<RecordRecipient>,
    ) -> Self {
        Self {
            store,
            clock,
            source,
            policy,
            operator,
            recipients,
        }
    }

    /// The organization's record, as of now (owner only).
    ///
    /// # Errors
    /// See [`ProcessingRecordError`].
    pub async fn for_organization(&self, who: &Principal) -> Result<ProcessingRecord, ProcessingRecordError> {
        let tenant = who.owner("read the record of processing activities")?.tenant();
        self.for_tenant(tenant).await
    }

    /// An organization's record, as of now (the operator's task).
    ///
    /// # Errors
    /// [`ProcessingRecordError::NotFound`] for an unknown organization, or a storage failure.
    pub async fn for_tenant(&self, tenant: TenantId) -> Result<ProcessingRecord, ProcessingRecordError> {
        let uow = self.store.begin().await?;
        let org = uow.organization(tenant).await?.ok_or(ProcessingRecordError::NotFound)?;
        drop(uow);
        let profile = &org.profile;
        let mut address: Vec<String> = profile
            .address
            .iter()
            .flat_map(|a| a.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned))
            .collect();
        let city = [profile.postcode.as_deref(), profile.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !city.is_empty() {
            address.push(city);
        }
        address.push(org.country.code().to_owned());
        let controller = RecordParty {
            name: org.name.clone(),
            address,
            contact: profile.email.clone(),
        };
        Ok(organization_record(
            controller,
            self.operator.clone(),
            self.source.declarations(),
            &self.policy,
            self.recipients.clone(),
            self.clock.now(),
        ))
    }

    /// The operator's own record, as of now.
    #[must_use]
    pub fn for_operator(&self) -> ProcessingRecord {
        operator_record(
            self.operator.clone(),
            self.source.declarations(),
            &self.policy,
            self.recipients.clone(),
            self.clock.now(),
        )
    }
}

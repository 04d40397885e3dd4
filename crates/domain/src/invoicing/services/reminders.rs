//! Payment reminder settings.

use std::sync::Arc;

use crate::access::user::{Forbidden, Principal};
use crate::invoicing::ports::InvoicingStore;
use crate::invoicing::reminders::{ReminderRule, ReminderSettings};
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::validation::ValidationErrors;

/// Why reminder settings could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveReminderSettingsError {
    /// The role may not write.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Invalid rules.
    #[error("invalid reminder settings: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

/// Why reminder settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadReminderSettingsError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(SaveReminderSettingsError, ReadReminderSettingsError);

/// Reminder settings use cases.
#[derive(Clone)]
pub struct ReminderService {
    store: Arc<dyn InvoicingStore>,
    clock: Arc<dyn Clock>,
}

impl ReminderService {
    /// The service on `ports`.
    #[must_use]
    pub fn new(store: Arc<dyn InvoicingStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// The tenant's settings; reminders are off until set.
    ///
    /// # Errors
    /// See [`ReadReminderSettingsError`].
    pub async fn settings(&self, who: &Principal) -> Result<ReminderSettings, ReadReminderSettingsError> {
        let uow = self.store.begin().await?;
        Ok(uow
            .reminders()
            .settings(who.reader().tenant())
            .await?
            .unwrap_or_else(ReminderSettings::disabled))
    }

    /// Replaces the tenant's settings.
    ///
    /// # Errors
    /// See [`SaveReminderSettingsError`].
    pub async fn save(
        &self,
        who: &Principal,
        enabled: bool,
        rules: Vec<ReminderRule>,
    ) -> Result<ReminderSettings, SaveReminderSettingsError> {
        let writer = who.writer("change reminder settings")?;
        let settings = ReminderSettings::new(enabled, rules).map_err(SaveReminderSettingsError::Invalid)?;
        let uow = self.store.begin().await?;
        uow.reminders()
            .save_settings(writer.tenant(), &settings, self.clock.now())
            .await?;
        uow.commit().await?;
        Ok(settings)
    }
}

#[cfg(test)]
mod tests;

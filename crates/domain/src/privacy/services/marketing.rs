//! The operator's product updates: marketing email from the deployment's
//! operator to the users of Fakturo, the smallest real path that needs
//! consent. The operator task queues one job per user; whether an email is
//! produced is decided when the job is performed, by
//! [`crate::privacy::may_process`] on the user's consent ledger at that
//! moment (see `delivery/privacy.rs`), so a withdrawal between queueing and
//! sending is honoured. Queueing the same update twice sends it once.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::TenantId;
use crate::access::user::User;
use crate::kernel::clock::Clock;
use crate::kernel::errors::{Unexpected, unexpected_from};
use crate::kernel::ids::IdGenerator;
use crate::kernel::validation::{ValidationErrors, required_text};
use crate::messaging::outbox::Effect;
use crate::privacy::ports::PrivacyStore;

/// What queueing an update did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProductUpdateReport {
    /// Users the update was queued for (each decides by consent when sent).
    pub queued: usize,
    /// Users who had it queued before.
    pub already_queued: usize,
}

/// Why an update could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum ProductUpdateError {
    /// A blank or too long subject or body.
    #[error("invalid product update: {0}")]
    Invalid(ValidationErrors),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(Unexpected),
}

unexpected_from!(ProductUpdateError);

/// Marketing use cases (operator tasks).
#[derive(Clone)]
pub struct MarketingService {
    store: Arc<dyn PrivacyStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

/// Users read per page.
const PAGE: u32 = 500;

impl MarketingService {
    /// The service on the privacy store.
    #[must_use]
    pub fn new(store: Arc<dyn PrivacyStore>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGenerator>) -> Self {
        Self { store, clock, ids }
    }

    /// Queues a product update for every user of `tenant`, or of every
    /// tenant when `None`.
    ///
    /// # Errors
    /// See [`ProductUpdateError`].
    pub async fn send_product_update(
        &self,
        subject: &str,
        body: &str,
        tenant: Option<TenantId>,
    ) -> Result<ProductUpdateReport, ProductUpdateError> {
        let mut errors = ValidationErrors::new();
        let subject = errors.check("subject", required_text(subject, 200));
        let body = errors.check("body", required_text(body, 20_000));
        let (Some(subject), Some(body)) = (subject, body) else {
            return Err(ProductUpdateError::Invalid(errors));
        };
        let digest: String = Sha256::digest(format!("{subject}\n{body}").as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        let uow = self.store.begin().await?;
        let mut report = ProductUpdateReport::default();
        let mut after = tenant.map(|t| (t, crate::UserId::from_uuid(uuid::Uuid::nil())));
        loop {
            let users: Vec<User> = uow
                .scan_users(after, PAGE)
                .await?
                .into_iter()
                .take_while(|user| tenant.is_none_or(|t| user.tenant_id == t))
                .collect();
            let Some(last) = users.last() else {
                break;
            };
            after = Some((last.tenant_id, last.id));
            for user in &users {
                let effect = Effect::SendProductUpdate {
                    user_id: user.id,
                    subject: subject.clone(),
                    body: body.clone(),
                };
                if super::enqueue(
                    uow.as_ref(),
                    self.clock.as_ref(),
                    self.ids.as_ref(),
                    user.tenant_id,
                    effect,
                    format!("product-update:{digest}:{}", user.id),
                )
                .await?
                {
                    report.queued += 1;
                } else {
                    report.already_queued += 1;
                }
            }
        }
        uow.commit().await?;
        Ok(report)
    }
}

//! Delivery of the owners' subscription notices: whom a queued notice goes
//! to now (an owner who left or lost the role gets nothing).

use std::sync::Arc;

use crate::billing::notices::SubscriptionNotice;
use crate::billing::ports::BillingStore;
use crate::kernel::errors::Unexpected;
use crate::messaging::delivery::{Notice, Outgoing, Prepared};
use crate::messaging::outbox::Job;
use crate::{TenantId, UserId};

const PRODUCT_NAME: &str = "Fakturo";

/// Prepares billing's emails.
#[derive(Clone)]
pub struct BillingDelivery {
    store: Arc<dyn BillingStore>,
}

impl BillingDelivery {
    /// The service on the billing store.
    #[must_use]
    pub fn new(store: Arc<dyn BillingStore>) -> Self {
        Self { store }
    }

    /// The notice to `owner_id`, if they are still an owner of `tenant`.
    /// Subscription notices are service notices: no consent gates them.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare_subscription_notice(
        &self,
        job: &Job,
        tenant: TenantId,
        owner_id: UserId,
        notice: SubscriptionNotice,
    ) -> Result<Prepared, Unexpected> {
        let unit = self.store.begin().await?;
        let owners = unit.organizations().owners(tenant).await?;
        let Some(owner) = owners.into_iter().find(|owner| owner.id == owner_id) else {
            return Ok(Prepared::Skip("the user is no longer an owner"));
        };
        let Some(organization_name) = unit.organizations().organization_name(tenant).await? else {
            return Ok(Prepared::Skip("the organization no longer exists"));
        };
        Ok(Prepared::Send(Outgoing {
            to: owner.email,
            to_name: owner.name,
            from_name: PRODUCT_NAME.to_owned(),
            reply_to: None,
            message_key: job.idempotency_key.clone(),
            notice: Notice::Subscription {
                organization_name,
                notice,
            },
        }))
    }
}

//! Delivery of queued emails, the workers' side of the outbox: decide what
//! a job should send *now* (an invoice paid since a reminder was queued
//! sends nothing), and record what went out. Rendering and transport are
//! adapters; this decides the facts.

use fakturo_domain::access::services::AccountDelivery;
use fakturo_domain::billing::services::BillingDelivery;
use fakturo_domain::invoicing::services::InvoiceDelivery;
use fakturo_domain::kernel::errors::Unexpected;
use fakturo_domain::messaging::delivery::{Outgoing, Prepared};
use fakturo_domain::messaging::outbox::{Effect, Job};
use fakturo_domain::privacy::services::PrivacyDelivery;
use fakturo_domain::work::services::WorkDelivery;

/// What queued emails send: each job goes to the area whose email it is.
#[derive(Clone)]
pub struct DeliveryService {
    accounts: AccountDelivery,
    privacy: PrivacyDelivery,
    work: WorkDelivery,
    invoices: InvoiceDelivery,
    billing: BillingDelivery,
}

impl DeliveryService {
    /// Each area prepares its own emails: account emails come from
    /// `accounts`, privacy emails from `privacy`, job updates from `work`,
    /// invoice emails from `invoices`, subscription notices from `billing`.
    #[must_use]
    pub fn new(
        accounts: AccountDelivery,
        privacy: PrivacyDelivery,
        work: WorkDelivery,
        invoices: InvoiceDelivery,
        billing: BillingDelivery,
    ) -> Self {
        Self {
            accounts,
            privacy,
            work,
            invoices,
            billing,
        }
    }

    /// Decides what the job should send now.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails (the job is retried).
    pub async fn prepare(&self, job: &Job) -> Result<Prepared, Unexpected> {
        if let Effect::SendPrivacyRequestConfirmation { submission_id } = &job.effect {
            return self.privacy.prepare_privacy_confirmation(job, *submission_id).await;
        }
        let Some(tenant) = job.tenant_id else {
            return Ok(Prepared::Skip("the job names no organization"));
        };
        match &job.effect {
            Effect::SendInvoiceEmail { .. }
            | Effect::SendPaymentReminder { .. }
            | Effect::SendPaymentReceipt { .. } => {}
            Effect::SendAccountEmail { user_id, email } => {
                return self.accounts.prepare_account_email(job, tenant, *user_id, *email).await;
            }
            Effect::SendEmailChange { user_id, new_email } => {
                return self
                    .accounts
                    .prepare_email_change(job, tenant, *user_id, new_email)
                    .await;
            }
            Effect::SendInvitation { invitation_id } => {
                return self.accounts.prepare_invitation(job, tenant, *invitation_id).await;
            }
            Effect::BuildExport { .. } => return Ok(Prepared::Skip("not an email")),
            Effect::SendProductUpdate { user_id, subject, body } => {
                return self
                    .privacy
                    .prepare_product_update(job, tenant, *user_id, subject, body)
                    .await;
            }
            Effect::SendPolicyNotice {
                user_id,
                policy,
                version,
            } => {
                return self
                    .privacy
                    .prepare_policy_notice(job, tenant, *user_id, *policy, version)
                    .await;
            }
            Effect::SendOverduePrivacyRequests { owner_id, on } => {
                return self
                    .privacy
                    .prepare_overdue_privacy_requests(job, tenant, *owner_id, *on)
                    .await;
            }
            Effect::SendWorkUpdate { work_order_id, status } => {
                return self
                    .work
                    .prepare_work_update(job, tenant, *work_order_id, *status)
                    .await;
            }
            Effect::SendPrivacyRequestExtended { request_id, event_id } => {
                return self
                    .privacy
                    .prepare_extension_notice(job, tenant, *request_id, *event_id)
                    .await;
            }
            Effect::SendSubscriptionNotice { owner_id, notice } => {
                return self
                    .billing
                    .prepare_subscription_notice(job, tenant, *owner_id, *notice)
                    .await;
            }
            Effect::SendIncidentNotice { incident_id, user_id } => {
                return self
                    .privacy
                    .prepare_incident_notice(job, tenant, *incident_id, *user_id)
                    .await;
            }
            Effect::SendPrivacyRequestConfirmation { .. } => {
                return Ok(Prepared::Skip("not an organization's email"));
            }
        }
        self.invoices.prepare(job).await
    }

    /// Records a delivered email: the invoice's last delivery, or the reminder's status.
    ///
    /// # Errors
    /// [`Unexpected`] when storage fails.
    pub async fn delivered(&self, job: &Job, outgoing: &Outgoing) -> Result<(), Unexpected> {
        self.invoices.delivered(job, outgoing).await
    }
}

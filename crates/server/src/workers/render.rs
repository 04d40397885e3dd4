//! Turns a prepared email (facts from the domain) into a complete message
//! with the email adapter's templates.

use fakturo_domain::billing::SubscriptionNotice;
use fakturo_domain::messaging::delivery::{Notice, Outgoing};
use fakturo_domain::messaging::outbox::AccountEmail;
use fakturo_domain::messaging::ports::EmailMessage;
use fakturo_domain::privacy::requests::RequestType;
use fakturo_email::templates::{
    self, AccountLinkEmail, IncidentNoticeEmail, InvitationEmail, InvoiceSentEmail, LinkKind, OverdueCaseLine,
    OverduePrivacyRequestsEmail, PaymentReceivedEmail, PaymentReminderEmail, PolicyNoticeEmail,
    PrivacyRequestConfirmationEmail, PrivacyRequestExtendedEmail, ProductUpdateEmail, RenderedEmail, SubscriptionEvent,
    SubscriptionNoticeEmail, WorkUpdateEmail,
};
use sha2::{Digest, Sha256};

/// Where links in emails point.
pub(super) struct Links<'a> {
    /// This server (public invoice pages).
    pub public_base: &'a str,
    /// The web application (account pages that take a token).
    pub app_base: &'a str,
}

/// The complete message for `outgoing`.
pub(super) fn message(outgoing: &Outgoing, links: &Links<'_>, sender_address: &str) -> EmailMessage {
    let organization_name = outgoing.from_name.clone();
    let client_name = outgoing.to_name.clone();
    let public_base = links.public_base;
    let app_base = links.app_base;
    let link = |token: &str| format!("{public_base}/i/{token}");
    // The token travels in the fragment: browsers never send it to a server
    // or in a Referer header; the web application reads it and posts it.
    let account_link = |page: &str, token: &str| format!("{app_base}/{page}#token={token}");
    let rendered: RenderedEmail = match &outgoing.notice {
        Notice::InvoiceSent {
            invoice_number,
            total,
            due_date,
            public_token,
        } => templates::invoice_sent(&InvoiceSentEmail {
            organization_name,
            client_name,
            invoice_number: invoice_number.clone(),
            total: total.to_string(),
            currency: total.currency().code().to_owned(),
            due_date: due_date.map(|d| d.to_string()).unwrap_or_default(),
            public_url: link(public_token),
        }),
        Notice::PaymentReminder {
            invoice_number,
            balance_due,
            due_date,
            days_from_due,
            public_token,
        } => templates::payment_reminder(&PaymentReminderEmail {
            organization_name,
            client_name,
            invoice_number: invoice_number.clone(),
            balance_due: balance_due.to_string(),
            currency: balance_due.currency().code().to_owned(),
            due_date: due_date.to_string(),
            days_overdue: i64::from(*days_from_due),
            public_url: link(public_token),
        }),
        Notice::WorkUpdate {
            title,
            status,
            scheduled_start,
            address,
        } => templates::work_update(&WorkUpdateEmail {
            organization_name,
            client_name,
            title: title.clone(),
            status: status.as_str().to_owned(),
            scheduled_start: scheduled_start.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string()),
            address: address.clone(),
        }),
        Notice::PaymentReceived {
            invoice_number,
            amount,
            paid_on,
            balance_due,
        } => templates::payment_received(&PaymentReceivedEmail {
            organization_name,
            client_name,
            invoice_number: invoice_number.clone(),
            amount: amount.to_string(),
            currency: amount.currency().code().to_owned(),
            paid_on: paid_on.to_string(),
            balance_due: balance_due.to_string(),
        }),
        Notice::AccountLink {
            email,
            token,
            valid_minutes,
        } => {
            let (kind, page) = match email {
                AccountEmail::LoginLink => (LinkKind::SignIn, "sign-in/link"),
                AccountEmail::PasswordReset => (LinkKind::PasswordReset, "password-reset"),
                AccountEmail::EmailChange => (LinkKind::EmailChange, "verify-email"),
                AccountEmail::EmailVerification
                | AccountEmail::SignInThrottled
                | AccountEmail::EmailChangeRequested => (LinkKind::EmailVerification, "verify-email"),
            };
            templates::account_link(&AccountLinkEmail {
                user_name: client_name,
                kind,
                url: account_link(page, token),
                valid_minutes: *valid_minutes,
            })
        }
        Notice::SignInThrottled => templates::sign_in_throttled(&client_name, &format!("{app_base}/password-reset")),
        Notice::EmailChangeRequested => {
            templates::email_change_requested(&client_name, &format!("{app_base}/password-reset"))
        }
        Notice::Invitation {
            organization_name: inviting,
            role,
            token,
            valid_days,
        } => templates::invitation(&InvitationEmail {
            organization_name: inviting.clone(),
            role: role.clone(),
            url: account_link("invitations/accept", token),
            valid_days: *valid_days,
        }),
        Notice::ProductUpdate { subject, body } => templates::product_update(&ProductUpdateEmail {
            user_name: client_name,
            subject: subject.clone(),
            body: body.clone(),
            preferences_url: format!("{app_base}/settings/privacy"),
        }),
        Notice::PolicyChanged {
            kind,
            version,
            effective_at,
            material,
            summary,
        } => templates::policy_notice(&PolicyNoticeEmail {
            user_name: client_name,
            policy_title: kind.title().to_owned(),
            version: version.clone(),
            effective_on: effective_at.format("%Y-%m-%d").to_string(),
            material: *material,
            summary: summary.clone(),
            url: format!("{app_base}/policies/{kind}"),
        }),
        Notice::PrivacyRequestConfirmation {
            request_type,
            token,
            valid_hours,
        } => templates::privacy_request_confirmation(&PrivacyRequestConfirmationEmail {
            request: request_in_words(*request_type).to_owned(),
            url: account_link("privacy-requests/confirm", token),
            valid_hours: *valid_hours,
        }),
        Notice::OverduePrivacyRequests {
            organization_name: organization,
            on,
            cases,
        } => templates::overdue_privacy_requests(&OverduePrivacyRequestsEmail {
            user_name: client_name,
            organization_name: organization.clone(),
            on: on.to_string(),
            cases: cases
                .iter()
                .map(|case| OverdueCaseLine {
                    reference: case.id.to_string(),
                    request_type: case.request_type.as_str().replace('_', " "),
                    received_on: case.received_on.to_string(),
                    due_on: case.due_on.to_string(),
                })
                .collect(),
            url: format!("{app_base}/privacy/requests"),
        }),
        Notice::PrivacyRequestExtended {
            organization_name: organization,
            request_type,
            received_on,
            due_on,
            reason,
        } => templates::privacy_request_extended(&PrivacyRequestExtendedEmail {
            organization_name: organization.clone(),
            request: request_in_words(*request_type).to_owned(),
            received_on: received_on.to_string(),
            due_on: due_on.to_string(),
            reason: reason.clone(),
        }),
        Notice::Subscription {
            organization_name: organization,
            notice,
        } => templates::subscription_notice(&SubscriptionNoticeEmail {
            user_name: client_name,
            organization_name: organization.clone(),
            event: match notice {
                SubscriptionNotice::PaymentFailed => SubscriptionEvent::PaymentFailed,
                SubscriptionNotice::WillEnd { at } => SubscriptionEvent::WillEnd(at.date_naive().to_string()),
                SubscriptionNotice::Ended { purge_after } => {
                    SubscriptionEvent::Ended(purge_after.map(|at| at.date_naive().to_string()))
                }
            },
            url: format!("{app_base}/settings/billing"),
        }),
        Notice::Incident(letter) => templates::incident_notice(&IncidentNoticeEmail {
            user_name: client_name,
            organization_name: letter.organization_name.clone(),
            as_owner: letter.as_owner,
            reference: letter.reference.to_string(),
            discovered_at: letter.discovered_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            nature: letter.nature.clone(),
            categories: letter
                .categories
                .iter()
                .map(|category| category.as_str().replace('_', " "))
                .collect::<Vec<_>>()
                .join(", "),
            consequences: letter.consequences.clone(),
            measures: letter.measures.clone(),
        }),
    };
    EmailMessage {
        message_id: message_id(&outgoing.message_key, sender_address),
        from_name: outgoing.from_name.clone(),
        reply_to: outgoing.reply_to.clone(),
        to: outgoing.to.clone(),
        to_name: (!outgoing.to_name.is_empty()).then(|| outgoing.to_name.clone()),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachments: Vec::new(),
    }
}

/// A privacy request type as the confirmation email words it.
fn request_in_words(request_type: RequestType) -> &'static str {
    match request_type {
        RequestType::Access => "access to your data",
        RequestType::Rectification => "correction of your data",
        RequestType::Erasure => "erasure of your data",
        RequestType::Restriction => "restriction of the processing of your data",
        RequestType::Objection => "objection to the processing of your data",
        RequestType::Portability => "a copy of your data to take elsewhere",
        RequestType::ConsentWithdrawal => "withdrawal of your consent",
    }
}

/// `<digest@domain>`: the same job always yields the same Message-ID.
fn message_id(key: &str, sender_address: &str) -> String {
    let domain = sender_address.rsplit_once('@').map_or("fakturo.invalid", |(_, d)| d);
    let digest: String = Sha256::digest(key.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("<{digest}@{domain}>")
}

//! How an invoice reaches its client: the public link and the last email.
//! A draft is not yet a legal document, so it never has a public link, even
//! when a token was assigned to it.

use chrono::{DateTime, Utc};

use super::{Invoice, InvoiceStatus};

/// How an invoice reaches its client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    /// The unguessable token of the client's page `/i/{public_token}`.
    pub public_token: Option<String>,
    /// When the invoice was last emailed.
    pub sent_at: Option<DateTime<Utc>>,
    /// To whom it was last emailed.
    pub sent_to: Option<String>,
}

impl Invoice {
    /// The token of the client's page `/i/{token}`: `None` for a draft
    /// (drafts have no public page) and for an invoice given no token yet.
    #[must_use]
    pub fn public_link_token(&self) -> Option<&str> {
        match self.status {
            InvoiceStatus::Draft => None,
            _ => self.delivery.public_token.as_deref(),
        }
    }
}

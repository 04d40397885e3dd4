//! Typed identifiers. Every entity has its own id type so a client id can
//! never be passed where an invoice id is expected. Ids are UUIDs (v7,
//! time-ordered), generated through the [`crate::kernel::ids::IdGenerator`] port.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a raw UUID (from storage or a parsed request).
            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The raw UUID, for storage.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An organization (tenant): the business whose data this is.
    TenantId
);
id_type!(
    /// A person who signs in.
    UserId
);
id_type!(
    /// A server-side session.
    SessionId
);
id_type!(
    /// A tenant's client (customer).
    ClientId
);
id_type!(
    /// An invoice, draft or finalized.
    InvoiceId
);
id_type!(
    /// One line of an invoice.
    InvoiceLineId
);
id_type!(
    /// A payment recorded against an invoice.
    PaymentId
);
id_type!(
    /// A recurring invoice schedule.
    RecurringInvoiceId
);
id_type!(
    /// A personal API token.
    ApiTokenId
);
id_type!(
    /// An invitation to join an organization.
    InvitationId
);
id_type!(
    /// One entry of the security event log.
    AuditEventId
);
id_type!(
    /// One grant or withdrawal in a user's consent ledger.
    ConsentEventId
);
id_type!(
    /// One product usage event recorded with consent.
    AnalyticsEventId
);
id_type!(
    /// A privacy request (data-subject request): a tenant's case or the operator's.
    PrivacyRequestId
);
id_type!(
    /// One entry of a privacy request's history.
    PrivacyRequestEventId
);
id_type!(
    /// A privacy request submitted without an account, until its sender confirms it.
    PrivacySubmissionId
);
id_type!(
    /// A stored file's record (its object key is made from it).
    FileId
);

id_type!(
    /// A personal data breach in the operator's incident register.
    IncidentId
);

/// Makes new ids (UUID v7, time-ordered).
#[cfg_attr(test, mockall::automock)]
pub trait IdGenerator: Send + Sync {
    /// A new unique id.
    fn new_uuid(&self) -> Uuid;
}

//! The "unexpected" half of every service error: storage or machinery
//! failures that are not the caller's fault. Each operation's error enum has
//! an `Unexpected` variant carrying this.

use crate::money::MoneyError;
use crate::ports::security::HashError;
use crate::ports::{RepositoryError, SecretError};

/// A failure of the machinery, with its cause for the logs.
#[derive(Debug, thiserror::Error)]
#[error("unexpected failure")]
pub struct Unexpected(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl From<RepositoryError> for Unexpected {
    fn from(error: RepositoryError) -> Self {
        Self(Box::new(error))
    }
}

impl From<HashError> for Unexpected {
    fn from(error: HashError) -> Self {
        Self(Box::new(error))
    }
}

impl From<SecretError> for Unexpected {
    fn from(error: SecretError) -> Self {
        Self(Box::new(error))
    }
}

impl From<MoneyError> for Unexpected {
    fn from(error: MoneyError) -> Self {
        Self(Box::new(error))
    }
}

/// Implements `From<RepositoryError>` (and hashing errors) for an operation's
/// error enum by way of its `Unexpected(Unexpected)` variant.
macro_rules! unexpected_from {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$crate::ports::RepositoryError> for $error {
            fn from(error: $crate::ports::RepositoryError) -> Self {
                Self::Unexpected(error.into())
            }
        }
        impl From<$crate::ports::security::HashError> for $error {
            fn from(error: $crate::ports::security::HashError) -> Self {
                Self::Unexpected(error.into())
            }
        }
        impl From<$crate::services::errors::Unexpected> for $error {
            fn from(error: $crate::services::errors::Unexpected) -> Self {
                Self::Unexpected(error)
            }
        }
    )+};
}
pub(crate) use unexpected_from;

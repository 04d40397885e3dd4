//! The "unexpected" half of every service error: storage or machinery
//! failures that are not the caller's fault. Each operation's error enum has
//! an `Unexpected` variant carrying this.

use crate::kernel::money::MoneyError;
use crate::kernel::repository::RepositoryError;

/// A failure of the machinery, with its cause for the logs.
#[derive(Debug, thiserror::Error)]
#[error("unexpected failure")]
pub struct Unexpected(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl From<RepositoryError> for Unexpected {
    fn from(error: RepositoryError) -> Self {
        Self(Box::new(error))
    }
}

impl From<MoneyError> for Unexpected {
    fn from(error: MoneyError) -> Self {
        Self(Box::new(error))
    }
}

/// Implements `From<RepositoryError>` and `From<Unexpected>` for an
/// operation's error enum by way of its `Unexpected(Unexpected)` variant.
macro_rules! unexpected_from {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$crate::kernel::repository::RepositoryError> for $error {
            fn from(error: $crate::kernel::repository::RepositoryError) -> Self {
                Self::Unexpected(error.into())
            }
        }
        impl From<$crate::kernel::errors::Unexpected> for $error {
            fn from(error: $crate::kernel::errors::Unexpected) -> Self {
                Self::Unexpected(error)
            }
        }
    )+};
}
pub(crate) use unexpected_from;

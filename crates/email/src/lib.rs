//! Fakturo's email adapter: the [`Mailer`](fakturo_domain::messaging::ports::Mailer)
//! port delivered over SMTP ([`SmtpMailer`]) or written as `.eml` files for
//! development ([`FileMailer`], the embedded default), and the
//! [`templates`] that turn facts from the domain into message content.
//!
//! Both mailers build the message the same way (see `message`), so what a
//! developer finds in the outbox folder is what a recipient would receive.

mod errors;
mod file_mailer;
mod message;
mod smtp_mailer;
pub mod templates;

pub use errors::SetupError;
pub use file_mailer::{DEFAULT_FROM_ADDRESS, DEFAULT_OUTBOX_DIR, FileMailer};
pub use smtp_mailer::{SmtpMailer, SmtpSecurity, SmtpSettings};

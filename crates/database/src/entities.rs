//! sea-orm entities, one per table. They stay inside this crate: the
//! repositories convert them to and from domain types, and neither the
//! domain nor the HTTP layer ever sees a `Model`.

pub mod client;
pub mod idempotency_key;
pub mod invoice;
pub mod invoice_line;
pub mod invoice_reminder;
pub mod job;
pub mod number_counter;
pub mod organization;
pub mod payment;
pub mod recurring_invoice;
pub mod recurring_run;
pub mod reminder_settings;
pub mod session;
pub mod user;

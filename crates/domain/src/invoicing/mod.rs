//! Invoicing: clients, invoices with their totals, numbers and payments,
//! credit notes, recurring invoices and payment reminders.

pub mod client;
pub mod credit_note;
pub mod invoice;
pub mod ports;
pub mod recurring;
pub mod reminders;
pub mod services;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

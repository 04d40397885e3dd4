//! Messaging: the outbox — side effects recorded in the transaction that
//! causes them and performed by workers afterwards — and outgoing email.

pub mod delivery;
pub mod outbox;
pub mod ports;

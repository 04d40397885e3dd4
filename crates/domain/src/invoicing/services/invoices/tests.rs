//! The invoice use cases on the memory store.

mod create;
mod delete;
mod finalize;
mod payments;
mod public;
mod read;
mod send;
mod update;

//! Work: contractors' jobs (work orders), notes on clients, invoices and
//! jobs, and the records of stored files.

pub mod content_type;
pub mod files;
pub mod notes;
pub mod ports;
pub mod services;
pub mod work_order;

pub use work_order::{WorkOrder, WorkOrderFields, WorkOrderId, WorkStatus};

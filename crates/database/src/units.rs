//! The areas' units of work and stores, implemented on [`crate::store::SqlStore`]
//! and [`crate::store::SqlUnitOfWork`], one file per area. Each hands out the
//! repositories of its area (implemented once, under `repositories/`) and
//! answers the few cross-area needs of the area's use cases.

mod access_unit;
mod billing_unit;
mod invoicing_unit;
mod privacy_unit;
mod work_unit;

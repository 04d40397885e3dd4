//! The tenancy use cases: the organization's settings and profile.

pub mod organization;

pub use organization::OrganizationService;

//! Fakturo's schema history, oldest first. Migrations are frozen: once
//! released, a migration is never edited; changes come as new migrations.
//! They use local `DeriveIden` enums and never import domain or entity types,
//! so the history compiles the same forever.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261123_000002_background_work;
mod m20261124_000003_accounts_security;
mod m20261125_000004_privacy;
mod m20261125_000005_consent_requests;
mod m20261126_000006_content;
mod m20261203_000007_billing;
mod m20261204_000008_anonymous_analytics;
mod m20261205_000009_incident_register;

/// Runs Fakturo's migrations.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261123_000002_background_work::Migration),
            Box::new(m20261124_000003_accounts_security::Migration),
            Box::new(m20261125_000004_privacy::Migration),
            Box::new(m20261125_000005_consent_requests::Migration),
            Box::new(m20261126_000006_content::Migration),
            Box::new(m20261203_000007_billing::Migration),
            Box::new(m20261204_000008_anonymous_analytics::Migration),
            Box::new(m20261205_000009_incident_register::Migration),
        ]
    }
}

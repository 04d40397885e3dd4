//! Embedding Fakturo's domain: an organization on the in-memory invoicing
//! store, a client, a draft invoice with the worked example's three lines,
//! its totals, and its finalization with the first gap-free number.
//!
//! Run it with `cargo run -p fakturo-domain --example embed` (the example
//! turns on the `testing` feature, which provides the in-memory store).
//! A real application implements the same ports on its database.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use fakturo_domain::access::{Principal, Role};
use fakturo_domain::invoicing::client::ClientFields;
use fakturo_domain::invoicing::invoice::{InvoiceFields, LineFields};
use fakturo_domain::invoicing::services::{ClientService, InvoiceService};
use fakturo_domain::invoicing::testing::MemoryStore;
use fakturo_domain::kernel::clock::ManualClock;
use fakturo_domain::kernel::files::{FileStore, FileStoreError, KeyPrefix, ObjectKey, ObjectReader};
use fakturo_domain::kernel::ids::IdGenerator;
use fakturo_domain::kernel::money::Currency;
use fakturo_domain::kernel::numbering::NumberPattern;
use fakturo_domain::kernel::tokens::{SecretToken, TokenGenerator};
use fakturo_domain::privacy::retention::StatutoryPeriods;
use fakturo_domain::tenancy::{Country, Organization, OrganizationProfile, TimeZone as Zone};
use fakturo_domain::{TenantId, UserId};

/// Random ids (a database would use UUID v7 for their order).
struct RandomIds;

impl IdGenerator for RandomIds {
    fn new_uuid(&self) -> uuid::Uuid {
        uuid::Uuid::new_v4()
    }
}

/// Counting tokens; a real application draws them from the OS.
#[derive(Default)]
struct CountingTokens(AtomicU64);

impl CountingTokens {
    fn next(&self) -> String {
        format!("{:032}", self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

impl TokenGenerator for CountingTokens {
    fn secret_token(&self) -> SecretToken {
        SecretToken::new(format!("fks_{}", self.next()))
    }
    fn api_token(&self) -> SecretToken {
        SecretToken::new(format!("fkt_{}", self.next()))
    }
    fn link_token(&self) -> SecretToken {
        SecretToken::new(self.next())
    }
    fn public_token(&self) -> String {
        self.next()
    }
}

/// No files in this example: deleting a client would ask to remove its files.
struct NoFiles;

#[async_trait::async_trait]
impl FileStore for NoFiles {
    async fn put(&self, _: &ObjectKey, _: Vec<u8>) -> Result<(), FileStoreError> {
        Ok(())
    }
    async fn put_file(&self, _: &ObjectKey, _: &std::path::Path) -> Result<u64, FileStoreError> {
        Ok(0)
    }
    async fn get(&self, _: &ObjectKey) -> Result<Vec<u8>, FileStoreError> {
        Err(FileStoreError::NotFound)
    }
    async fn open(&self, _: &ObjectKey) -> Result<ObjectReader, FileStoreError> {
        Err(FileStoreError::NotFound)
    }
    async fn size(&self, _: &ObjectKey) -> Result<u64, FileStoreError> {
        Err(FileStoreError::NotFound)
    }
    async fn delete(&self, _: &ObjectKey) -> Result<(), FileStoreError> {
        Ok(())
    }
    async fn list(&self, _: &KeyPrefix) -> Result<Vec<ObjectKey>, FileStoreError> {
        Ok(Vec::new())
    }
    async fn delete_prefix(&self, _: &KeyPrefix) -> Result<u64, FileStoreError> {
        Ok(0)
    }
}

fn line(description: &str, quantity: &str, unit_price: &str, tax_rate: &str) -> LineFields {
    LineFields {
        description: description.to_owned(),
        quantity: quantity.to_owned(),
        unit_price: unit_price.to_owned(),
        tax_rate: tax_rate.to_owned(),
        discount_percent: None,
        product_id: None,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc
        .with_ymd_and_hms(2026, 12, 3, 9, 0, 0)
        .single()
        .ok_or("an unambiguous time")?;
    let tenant = TenantId::from_uuid(uuid::Uuid::new_v4());
    let organization = Organization {
        id: tenant,
        name: "Muster Design GmbH".to_owned(),
        country: Country::parse("DE")?,
        default_currency: Currency::EUR,
        time_zone: Zone::parse("Europe/Berlin")?,
        invoice_number_pattern: NumberPattern::default_invoice(),
        default_payment_terms_days: 14,
        created_at: now,
        closure: None,
        profile: OrganizationProfile::default(),
    };
    let owner = Principal {
        user_id: UserId::from_uuid(uuid::Uuid::new_v4()),
        tenant_id: tenant,
        role: Role::Owner,
    };

    // The ports: a store, a clock, ids and tokens.
    let store = Arc::new(MemoryStore::with_organization(organization, None));
    let clock = Arc::new(ManualClock::new(now));
    let ids = Arc::new(RandomIds);
    let clients = ClientService::new(store.clone(), clock.clone(), ids.clone(), Arc::new(NoFiles));
    let invoices = InvoiceService::new(
        store,
        clock,
        ids,
        Arc::new(CountingTokens::default()),
        StatutoryPeriods::default(),
    );

    let client = clients
        .create(
            &owner,
            ClientFields {
                name: Some("Acme Corp".to_owned()),
                country: Some("DE".to_owned()),
                ..ClientFields::default()
            },
        )
        .await?;
    let draft = invoices
        .create(
            &owner,
            InvoiceFields {
                client_id: Some(client.id),
                lines: Some(vec![
                    line("Design work", "3", "19.99", "19"),
                    line("Travel", "1.5", "80.00", "7"),
                    line("Stickers", "2", "0.333", "19"),
                ]),
                ..InvoiceFields::default()
            },
        )
        .await?;
    let totals = draft.invoice.totals();
    println!(
        "draft for {}: subtotal {} tax {} total {} {}",
        client.details.name, totals.subtotal, totals.tax_total, totals.total, draft.invoice.content.currency
    );
    for group in &totals.tax_breakdown {
        println!("  {} % on {}: {}", group.rate, group.taxable, group.tax);
    }

    let finalized = invoices.finalize(&owner, draft.invoice.id).await?;
    println!(
        "finalized invoice {} issued {} due {}",
        finalized.invoice.number.as_deref().unwrap_or("?"),
        finalized
            .invoice
            .content
            .issue_date
            .map_or_else(String::new, |d| d.to_string()),
        finalized
            .invoice
            .content
            .due_date
            .map_or_else(String::new, |d| d.to_string()),
    );
    Ok(())
}

//! Fixtures for the invoicing service tests: one organization on a memory
//! store, a manual clock, sequential ids and tokens, principals of each
//! role, and builders for clients, lines and invoices.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::{MemoryState, MemoryStore};
use crate::access::user::{Principal, Role};
use crate::invoicing::client::{Client, ClientDetails, ClientFields, ClientPrivacy};
use crate::invoicing::invoice::payment::PaymentFields;
use crate::invoicing::invoice::{Invoice, InvoiceFields, InvoiceStatus, LineFields};
use crate::invoicing::services::{
    ClientService, CreditNoteService, DocumentService, InvoiceDelivery, InvoiceService, InvoicingScheduler,
    RecurringService, ReminderService,
};
use crate::kernel::clock::ManualClock;
use crate::kernel::email::EmailAddress;
use crate::kernel::files::{FileStore, FileStoreError, KeyPrefix, ObjectKey, ObjectReader};
use crate::kernel::ids::IdGenerator;
use crate::kernel::money::Currency;
use crate::kernel::numbering::NumberPattern;
use crate::kernel::tokens::{SecretToken, TokenGenerator};
use crate::privacy::retention::StatutoryPeriods;
use crate::tenancy::{Country, Organization, OrganizationProfile, TimeZone as Zone};
use crate::{ClientId, InvoiceId, TenantId, UserId};

/// Ids that count up, so that later ids sort after earlier ones (as UUID v7 do).
#[derive(Debug, Default)]
pub(crate) struct SequentialIds(AtomicU64);

impl IdGenerator for SequentialIds {
    fn new_uuid(&self) -> Uuid {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | u128::from(n))
    }
}

/// Tokens that count up.
#[derive(Debug, Default)]
pub(crate) struct SequentialTokens(AtomicU64);

impl SequentialTokens {
    fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
}

impl TokenGenerator for SequentialTokens {
    fn secret_token(&self) -> SecretToken {
        SecretToken::new(format!("fks_secret-{:016}", self.next()))
    }
    fn api_token(&self) -> SecretToken {
        SecretToken::new(format!("fkt_api-{:016}", self.next()))
    }
    fn link_token(&self) -> SecretToken {
        SecretToken::new(format!("link-{:016}", self.next()))
    }
    fn public_token(&self) -> String {
        format!("public-{:016}", self.next())
    }
}

/// A file store that only records the keys it is asked to delete.
#[derive(Debug, Default)]
pub(crate) struct RecordingFiles {
    pub deleted: Mutex<Vec<ObjectKey>>,
}

#[async_trait]
impl FileStore for RecordingFiles {
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
    async fn delete(&self, key: &ObjectKey) -> Result<(), FileStoreError> {
        self.deleted.lock().unwrap().push(key.clone());
        Ok(())
    }
    async fn list(&self, _: &KeyPrefix) -> Result<Vec<ObjectKey>, FileStoreError> {
        Ok(Vec::new())
    }
    async fn delete_prefix(&self, _: &KeyPrefix) -> Result<u64, FileStoreError> {
        Ok(0)
    }
}

/// 2026-03-10 10:00 UTC, the fixtures' "now".
pub(crate) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap()
}

/// A calendar date.
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A German organization in Berlin time, EUR, 14 days' terms, `INV-{YYYY}-{SEQ:4}`.
pub(crate) fn organization(id: TenantId) -> Organization {
    Organization {
        id,
        name: "Muster GmbH".to_owned(),
        country: Country::parse("DE").unwrap(),
        default_currency: Currency::EUR,
        time_zone: Zone::parse("Europe/Berlin").unwrap(),
        invoice_number_pattern: NumberPattern::default_invoice(),
        default_payment_terms_days: 14,
        created_at: start(),
        closure: None,
        profile: OrganizationProfile::default(),
    }
}

/// A line: description, quantity, unit price, tax rate.
pub(crate) fn line(description: &str, quantity: &str, unit_price: &str, tax_rate: &str) -> LineFields {
    LineFields {
        description: description.to_owned(),
        quantity: quantity.to_owned(),
        unit_price: unit_price.to_owned(),
        tax_rate: tax_rate.to_owned(),
        discount_percent: None,
        product_id: None,
    }
}

/// Payment fields.
pub(crate) fn payment(amount: &str, paid_on: NaiveDate) -> PaymentFields {
    PaymentFields {
        amount: amount.to_owned(),
        paid_on,
        method: "bank_transfer".to_owned(),
        reference: None,
    }
}

/// One organization on a memory store, with its ports.
pub(crate) struct World {
    pub store: MemoryStore,
    pub clock: Arc<ManualClock>,
    pub ids: Arc<SequentialIds>,
    pub tokens: Arc<SequentialTokens>,
    pub files: Arc<RecordingFiles>,
    pub tenant: TenantId,
    pub org: Organization,
}

impl World {
    /// A fresh world at [`start`], whose owner receives replies at `owner@muster.example`.
    pub fn new() -> Self {
        let tenant = TenantId::from_uuid(Uuid::from_u128(0xA));
        let org = organization(tenant);
        let store = MemoryStore::with_organization(org.clone(), Some(email("owner@muster.example")));
        Self {
            store,
            clock: Arc::new(ManualClock::new(start())),
            ids: Arc::new(SequentialIds::default()),
            tokens: Arc::new(SequentialTokens::default()),
            files: Arc::new(RecordingFiles::default()),
            tenant,
            org,
        }
    }

    /// The committed state.
    pub fn snapshot(&self) -> MemoryState {
        self.store.snapshot()
    }

    /// A principal of the tenant with `role`.
    pub fn as_role(&self, role: Role) -> Principal {
        Principal {
            user_id: UserId::from_uuid(Uuid::from_u128(0x1_0000 + u128::from(role.rank()))),
            tenant_id: self.tenant,
            role,
        }
    }

    /// The tenant's owner.
    pub fn owner(&self) -> Principal {
        self.as_role(Role::Owner)
    }

    /// The tenant's read-only accountant.
    pub fn accountant(&self) -> Principal {
        self.as_role(Role::Accountant)
    }

    /// The owner of another organization (also stored).
    pub fn stranger(&self) -> Principal {
        let tenant = TenantId::from_uuid(Uuid::from_u128(0xB));
        self.store.edit(|state| {
            state
                .organizations
                .entry(tenant)
                .or_insert_with(|| organization(tenant));
        });
        Principal {
            user_id: UserId::from_uuid(Uuid::from_u128(0x2_0000)),
            tenant_id: tenant,
            role: Role::Owner,
        }
    }

    /// Changes the stored organization.
    pub fn edit_org(&mut self, change: impl FnOnce(&mut Organization)) {
        change(&mut self.org);
        let org = self.org.clone();
        self.store.edit(|state| {
            state.organizations.insert(org.id, org);
        });
    }

    pub fn invoices(&self) -> InvoiceService {
        InvoiceService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            self.tokens.clone(),
            StatutoryPeriods::default(),
        )
    }

    pub fn clients(&self) -> ClientService {
        ClientService::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            self.files.clone(),
        )
    }

    pub fn credit_notes(&self) -> CreditNoteService {
        CreditNoteService::new(Arc::new(self.store.clone()), self.clock.clone(), self.ids.clone())
    }

    pub fn documents(&self) -> DocumentService {
        DocumentService::new(Arc::new(self.store.clone()), self.clock.clone())
    }

    pub fn delivery(&self) -> InvoiceDelivery {
        InvoiceDelivery::new(Arc::new(self.store.clone()), self.clock.clone())
    }

    pub fn recurring(&self) -> RecurringService {
        RecurringService::new(Arc::new(self.store.clone()), self.clock.clone(), self.ids.clone())
    }

    pub fn reminders(&self) -> ReminderService {
        ReminderService::new(Arc::new(self.store.clone()), self.clock.clone())
    }

    pub fn scheduler(&self) -> InvoicingScheduler {
        InvoicingScheduler::new(
            Arc::new(self.store.clone()),
            self.clock.clone(),
            self.ids.clone(),
            self.tokens.clone(),
        )
    }

    /// Stores a client of the tenant directly; `email` may be `None`.
    pub fn add_client(&self, name: &str, address: Option<&str>) -> Client {
        let details = ClientDetails::parse(ClientFields {
            name: Some(name.to_owned()),
            email: address.map(str::to_owned),
            ..ClientFields::default()
        })
        .unwrap();
        let client = Client {
            id: ClientId::from_uuid(self.ids.new_uuid()),
            tenant_id: self.tenant,
            details,
            privacy: ClientPrivacy::default(),
            created_at: self.clock_now(),
            updated_at: self.clock_now(),
        };
        self.store.edit(|state| {
            state.clients.insert((client.tenant_id, client.id), client.clone());
        });
        client
    }

    /// Changes a stored client.
    pub fn edit_client(&self, id: ClientId, change: impl FnOnce(&mut Client)) {
        let tenant = self.tenant;
        self.store
            .edit(|state| change(state.clients.get_mut(&(tenant, id)).unwrap()));
    }

    /// Changes a stored invoice.
    pub fn edit_invoice(&self, id: InvoiceId, change: impl FnOnce(&mut Invoice)) {
        let tenant = self.tenant;
        self.store
            .edit(|state| change(state.invoices.get_mut(&(tenant, id)).unwrap()));
    }

    /// The stored invoice.
    pub fn invoice(&self, id: InvoiceId) -> Invoice {
        self.snapshot().invoices.get(&(self.tenant, id)).cloned().unwrap()
    }

    fn clock_now(&self) -> DateTime<Utc> {
        use crate::kernel::clock::Clock;
        self.clock.now()
    }

    /// Invoice fields for `client` with `lines`.
    pub fn fields(client: &Client, lines: Vec<LineFields>) -> InvoiceFields {
        InvoiceFields {
            client_id: Some(client.id),
            lines: Some(lines),
            ..InvoiceFields::default()
        }
    }

    /// A draft of 2 × 50.00 at 19 % (total 119.00 EUR) through the service.
    pub async fn draft(&self, client: &Client) -> Invoice {
        let fields = Self::fields(client, vec![line("Consulting", "2", "50.00", "19")]);
        self.invoices().create(&self.owner(), fields).await.unwrap().invoice
    }

    /// A finalized invoice of 119.00 EUR through the service.
    pub async fn open_invoice(&self, client: &Client) -> Invoice {
        let draft = self.draft(client).await;
        let view = self.invoices().finalize(&self.owner(), draft.id).await.unwrap();
        assert_eq!(view.invoice.status, InvoiceStatus::Open);
        view.invoice
    }
}

/// An email address.
pub(crate) fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

/// The codes of a validation error, as `field:code`.
pub(crate) fn codes(errors: &crate::kernel::validation::ValidationErrors) -> Vec<String> {
    errors
        .errors()
        .iter()
        .map(|e| format!("{}:{}", e.field, e.code))
        .collect()
}

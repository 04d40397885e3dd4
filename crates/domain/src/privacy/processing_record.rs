//! The record of processing activities (GDPR Art. 30), generated from what
//! the code itself declares: the data map (every personal column, its
//! category, the role it is processed in and whom it is about), the
//! retention rules, the consent purposes and the sub-processor register.
//! Nothing in it is written by hand per deployment except the parties'
//! names, so it cannot drift from what is stored.
//!
//! Two views: an organization's record, as the controller of its clients'
//! data with the deployment's operator as its processor (Art. 30(1)); and
//! the operator's own, as controller of accounts, security and billing
//! (Art. 30(1)) and processor for the organizations (Art. 30(2)).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::privacy::ConsentPurpose;
use crate::privacy::data_map::{DataRole, TableDeclaration};
use crate::privacy::retention::{DataCategory, RetentionPolicy};

/// A party of the record: a controller or processor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RecordParty {
    /// Its name.
    pub name: String,
    /// Its postal address, one line per element.
    pub address: Vec<String>,
    /// Where data-protection questions go.
    pub contact: Option<String>,
}

/// A recipient of the data: a sub-processor of the deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordRecipient {
    /// The provider's name.
    pub name: String,
    /// What it does.
    pub purpose: String,
    /// The categories of personal data it processes.
    pub data_categories: Vec<String>,
    /// Where.
    pub location: String,
    /// The safeguard of a transfer outside the EEA (or why none is needed).
    pub transfer_safeguard: String,
}

/// One processing activity: one data category, processed for one purpose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessingActivity {
    /// The data category's stable name, such as `accounting_records`.
    pub category: String,
    /// Why the data is processed.
    pub purpose: String,
    /// The legal basis (GDPR Art. 6).
    pub legal_basis: String,
    /// Whom the data is about.
    pub data_subjects: Vec<String>,
    /// The personal data, as `table.column` of the data map.
    pub personal_data: Vec<String>,
    /// How long it is kept (the retention rule in words).
    pub retention: String,
}

/// A record of processing activities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessingRecord {
    /// Whose record: `organization` or `operator`.
    pub perspective: String,
    /// When it was generated.
    pub generated_at: DateTime<Utc>,
    /// The controller.
    pub controller: RecordParty,
    /// The processor acting for the controller (the operator, in an organization's record).
    pub processor: Option<RecordParty>,
    /// What the controller decides the purposes of (Art. 30(1)).
    pub activities: Vec<ProcessingActivity>,
    /// What the operator processes on organizations' behalf (Art. 30(2)); empty in an organization's record.
    pub on_behalf_of_organizations: Vec<ProcessingActivity>,
    /// Processing that takes the person's consent, and what each is.
    pub consent_purposes: Vec<ProcessingActivity>,
    /// Who receives the data.
    pub recipients: Vec<RecordRecipient>,
    /// Transfers to third countries, in words (from the recipients' safeguards).
    pub transfers: Vec<String>,
    /// The technical and organisational security measures (Art. 32).
    pub security_measures: Vec<String>,
}

/// The measures the code takes, in words (Art. 30(1)(g), 32).
pub const SECURITY_MEASURES: [&str; 9] = [
    "every query is scoped to one organization; foreign ids answer as missing",
    "roles (owner, admin, member, accountant) limit who reads and changes what",
    "passwords are hashed with argon2id; session and API tokens are stored as digests only",
    "integration secrets are encrypted at rest under a rotatable key ring",
    "sign-in attempts are throttled per account and network",
    "a security log records sign-ins, changes of access and privacy actions, with networks cut to /24 or /48",
    "no personal data is written to the application logs",
    "outgoing requests go only to addresses the operator allowed",
    "database backups are encrypted (age) to a key kept apart from them and deleted after their retention",
];

/// Why a category is processed and on which basis.
fn purpose_of(category: DataCategory) -> (&'static str, &'static str) {
    match category {
        DataCategory::AccountProfile => (
            "providing the user accounts and the organization's settings",
            "Art. 6(1)(b) GDPR: performance of the contract",
        ),
        DataCategory::Credentials => (
            "signing users in and keeping their access secure",
            "Art. 6(1)(b) and (f) GDPR: the contract and the security of the service",
        ),
        DataCategory::CustomerContent => (
            "keeping the organization's client records, drafts, schedules, jobs, notes and files",
            "Art. 6(1)(b) GDPR with the organization's clients, or (f) legitimate interest in managing them",
        ),
        DataCategory::AccountingRecords => (
            "issuing invoices and credit notes and keeping the books",
            "Art. 6(1)(c) GDPR: statutory bookkeeping and retention duties",
        ),
        DataCategory::OperatorBilling => (
            "charging the subscription of the service",
            "Art. 6(1)(b) and (c) GDPR: the contract and tax law",
        ),
        DataCategory::TechnicalLogs => (
            "running the service: queued work, duplicate protection, throttles",
            "Art. 6(1)(f) GDPR: legitimate interest in a reliable service",
        ),
        DataCategory::SecurityEvents => (
            "detecting and investigating misuse of accounts",
            "Art. 6(1)(f) and Art. 32 GDPR: security of processing",
        ),
        DataCategory::SupportCommunications => (
            "answering support requests",
            "Art. 6(1)(b) GDPR: performance of the contract",
        ),
        DataCategory::PrivacyRecords => (
            "answering privacy requests and proving consent and compliance",
            "Art. 6(1)(c) GDPR with Arts. 5(2), 7(1), 12–22",
        ),
        DataCategory::AnonymousAnalytics => (
            "counting how the product is used, without linking events to anyone",
            "Art. 6(1)(a) GDPR: consent (the events hold no personal data)",
        ),
    }
}

/// What a consent purpose is used for.
fn consent_use(purpose: ConsentPurpose) -> &'static str {
    match purpose {
        ConsentPurpose::Analytics => "product usage statistics, stored without any link to the person",
        ConsentPurpose::MarketingEmail => "product news and offers by email",
        ConsentPurpose::AiProcessing => "reading documents with an AI model into drafts; never used for training",
    }
}

/// Builds the activities of `tables` processed in `role`, grouped by data
/// category, with the retention of `policy`.
fn activities(tables: &[TableDeclaration], role: DataRole, policy: &RetentionPolicy) -> Vec<ProcessingActivity> {
    let mut by_category: BTreeMap<&'static str, (DataCategory, Vec<String>, Vec<&'static str>)> = BTreeMap::new();
    for table in tables.iter().filter(|t| t.role == role) {
        let about_someone = table.client_link.is_some() || table.user_link.is_some();
        for column in table.columns.iter() {
            let category = table.category_of(column);
            // Secrets are not personal data in the map (nobody reads them),
            // but a password hash or token digest is still about its person.
            if !(column.personal || (about_someone && category == DataCategory::Credentials)) {
                continue;
            }
            let entry = by_category
                .entry(category.as_str())
                .or_insert_with(|| (category, Vec::new(), Vec::new()));
            entry.1.push(format!("{}.{}", table.table, column.name));
            let subject = match (table.client_link.is_some(), table.user_link.is_some()) {
                (true, _) => "the organization's clients and their contact persons",
                (false, true) => "users of the organization's account",
                (false, false) if category == DataCategory::PrivacyRecords => {
                    "people who send privacy requests, users and clients"
                }
                (false, false) => "users and visitors of the service",
            };
            if !entry.2.contains(&subject) {
                entry.2.push(subject);
            }
        }
    }
    DataCategory::ALL
        .iter()
        .filter_map(|category| by_category.remove(category.as_str()))
        .map(|(category, personal_data, subjects)| {
            let (purpose, basis) = purpose_of(category);
            ProcessingActivity {
                category: category.as_str().to_owned(),
                purpose: purpose.to_owned(),
                legal_basis: basis.to_owned(),
                data_subjects: subjects.into_iter().map(str::to_owned).collect(),
                personal_data,
                retention: policy.rule(category).describe(),
            }
        })
        .collect()
}

fn consent_purposes(policy: &RetentionPolicy) -> Vec<ProcessingActivity> {
    ConsentPurpose::ALL
        .iter()
        .map(|purpose| ProcessingActivity {
            category: purpose.as_str().to_owned(),
            purpose: consent_use(*purpose).to_owned(),
            legal_basis: "Art. 6(1)(a) GDPR: consent, withdrawn as easily as given".to_owned(),
            data_subjects: vec!["users who consent".to_owned()],
            personal_data: Vec::new(),
            retention: policy.rule(DataCategory::PrivacyRecords).describe(),
        })
        .collect()
}

/// The recipients whose processing is a transfer to a third country: every
/// one whose safeguard does not say that none is needed ("none needed:
/// processed in the EU", as the register words it).
fn transfers(recipients: &[RecordRecipient]) -> Vec<String> {
    recipients
        .iter()
        .filter(|r| !r.transfer_safeguard.trim_start().to_lowercase().starts_with("none"))
        .map(|r| format!("{} ({}): {}", r.name, r.location, r.transfer_safeguard))
        .collect()
}

/// The record of an organization: the controller of its clients' data,
/// with the operator as processor and the sub-processors as recipients.
#[must_use]
pub fn organization_record(
    organization: RecordParty,
    operator: RecordParty,
    tables: &[TableDeclaration],
    policy: &RetentionPolicy,
    recipients: Vec<RecordRecipient>,
    generated_at: DateTime<Utc>,
) -> ProcessingRecord {
    ProcessingRecord {
        perspective: "organization".to_owned(),
        generated_at,
        controller: organization,
        processor: Some(operator),
        activities: activities(tables, DataRole::Processor, policy),
        on_behalf_of_organizations: Vec::new(),
        consent_purposes: Vec::new(),
        transfers: transfers(&recipients),
        recipients,
        security_measures: SECURITY_MEASURES.iter().map(|m| (*m).to_owned()).collect(),
    }
}

/// The operator's record: controller of accounts, security, billing and
/// privacy records; processor of the organizations' business data.
#[must_use]
pub fn operator_record(
    operator: RecordParty,
    tables: &[TableDeclaration],
    policy: &RetentionPolicy,
    recipients: Vec<RecordRecipient>,
    generated_at: DateTime<Utc>,
) -> ProcessingRecord {
    ProcessingRecord {
        perspective: "operator".to_owned(),
        generated_at,
        controller: operator,
        processor: None,
        activities: activities(tables, DataRole::Controller, policy),
        on_behalf_of_organizations: activities(tables, DataRole::Processor, policy),
        consent_purposes: consent_purposes(policy),
        transfers: transfers(&recipients),
        recipients,
        security_measures: SECURITY_MEASURES.iter().map(|m| (*m).to_owned()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::data_map::{ColumnDeclaration, Link};

    const TABLES: &[TableDeclaration] = &[
        TableDeclaration {
            table: "clients",
            category: DataCategory::CustomerContent,
            role: DataRole::Processor,
            tenant_column: Some("tenant_id"),
            client_link: Some(Link::Column("id")),
            user_link: None,
            columns: &[
                ColumnDeclaration::plain("id"),
                ColumnDeclaration::personal("email"),
                ColumnDeclaration::personal("name"),
            ],
        },
        TableDeclaration {
            table: "users",
            category: DataCategory::AccountProfile,
            role: DataRole::Controller,
            tenant_column: Some("tenant_id"),
            client_link: None,
            user_link: Some(Link::Column("id")),
            columns: &[
                ColumnDeclaration::plain("id"),
                ColumnDeclaration::personal("email"),
                ColumnDeclaration::secret("password_hash"),
            ],
        },
    ];

    fn party(name: &str) -> RecordParty {
        RecordParty {
            name: name.to_owned(),
            ..RecordParty::default()
        }
    }

    fn at() -> DateTime<Utc> {
        "2027-03-01T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn an_organization_is_controller_of_what_the_operator_processes_for_it() {
        let policy = RetentionPolicy::default();
        let record = organization_record(party("Acme"), party("Operator"), TABLES, &policy, Vec::new(), at());
        assert_eq!(record.controller.name, "Acme");
        assert_eq!(record.processor.as_ref().map(|p| p.name.as_str()), Some("Operator"));
        assert_eq!(record.activities.len(), 1);
        let clients = &record.activities[0];
        assert_eq!(clients.category, "customer_content");
        assert_eq!(clients.personal_data, ["clients.email", "clients.name"]);
        assert_eq!(
            clients.data_subjects,
            ["the organization's clients and their contact persons"]
        );
        assert_eq!(clients.retention, policy.rule(DataCategory::CustomerContent).describe());
        assert!(record.on_behalf_of_organizations.is_empty());
    }

    #[test]
    fn the_operator_is_controller_of_accounts_and_processor_for_organizations() {
        let policy = RetentionPolicy::default();
        let recipient = RecordRecipient {
            name: "Mail Co".into(),
            purpose: "email delivery".into(),
            data_categories: vec!["account_profile".into()],
            location: "United States".into(),
            transfer_safeguard: "EU-US Data Privacy Framework".into(),
        };
        let inside = RecordRecipient {
            name: "Host Co".into(),
            location: "Germany (European Union)".into(),
            transfer_safeguard: "none needed: processed in the EU".into(),
            ..recipient.clone()
        };
        let record = operator_record(party("Operator"), TABLES, &policy, vec![recipient, inside], at());
        let controller: Vec<_> = record.activities.iter().map(|a| a.category.as_str()).collect();
        assert_eq!(controller, ["account_profile", "credentials"]);
        assert_eq!(record.activities[0].personal_data, ["users.email"]);
        // A password hash is never shown, but it is about its user: listed as credentials.
        assert_eq!(record.activities[1].personal_data, ["users.password_hash"]);
        assert_eq!(record.on_behalf_of_organizations[0].category, "customer_content");
        assert_eq!(record.consent_purposes.len(), ConsentPurpose::ALL.len());
        assert_eq!(
            record.transfers,
            ["Mail Co (United States): EU-US Data Privacy Framework"]
        );
        assert!(!record.security_measures.is_empty());
    }
}

//! Every route × every role: allowed or 403, never 500; and a foreign
//! tenant's ids are 404 on every route that takes an id.
//!
//! [`TABLE`] is the contract. Each authenticated operation of the OpenAPI
//! document has one or more rows: what kind of operation it is (which says
//! who may call it), what its `{id}` is, the body of a request that
//! succeeds, and the status an allowed role gets. The tests read the
//! document of the running server and fail when an authenticated operation
//! has no row or a row names an operation that no longer exists, so a new
//! route cannot slip past this matrix. Public operations are listed in
//! [`PUBLIC`] the same way.
//!
//! The intended rules, which the kinds encode:
//! - accountants read everything and change nothing, except their own
//!   session, password, API tokens, email verification, consent and policy
//!   acceptances, and leaving the organization, which the product allows
//!   everyone ([`Kind::OwnAccount`]);
//! - members write business data but do not manage users, invitations,
//!   integrations or read the security log ([`Kind::Manage`]);
//! - owners and admins do everything, but admins cannot act on owners
//!   ([`Kind::OnOwner`]).
//!
//! Where the product answers differently from these rules, the difference
//! is listed in [`KNOWN_DEVIATIONS`] (asserted as it is today, so that fixing
//! the product makes the test say which entry to remove).

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{Account, TestApp, signup_body, worked_example_body};

on_both_backends!(
    the_table_covers_every_operation,
    every_role_is_allowed_or_forbidden,
    foreign_ids_are_not_found_on_any_route,
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Owner,
    Admin,
    Member,
    Accountant,
}

const ROLES: [Role; 4] = [Role::Owner, Role::Admin, Role::Member, Role::Accountant];

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
            Self::Accountant => "accountant",
        }
    }
}

/// What an operation does, and so who may do it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Reads business or team data: every role.
    Read,
    /// Creates or changes business data: owners, admins and members.
    Write,
    /// Manages the organization (users, invitations, integrations, the security log): owners and admins.
    Manage,
    /// Acts on an owner or grants owner power: owners only (admins cannot act on owners).
    OnOwner,
    /// The caller's own session, password, API tokens, email verification or membership: every role.
    OwnAccount,
}

impl Kind {
    fn allows(self, role: Role) -> bool {
        match self {
            Self::Read | Self::OwnAccount => true,
            Self::Write => role != Role::Accountant,
            Self::Manage => matches!(role, Role::Owner | Role::Admin),
            Self::OnOwner => role == Role::Owner,
        }
    }
}

/// The `{id}` of a request, and what exists before it. "Fresh" targets are
/// made for each call (by the owner) so that the order of calls does not matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// No id.
    Nothing,
    /// The tenant's client (it has invoices).
    Client,
    /// A new client without invoices.
    FreshClient,
    /// The tenant's draft invoice.
    Draft,
    /// A new draft invoice.
    FreshDraft,
    /// The tenant's finalized (open) invoice.
    Open,
    /// The tenant's active recurring invoice.
    Recurring,
    /// A new active recurring invoice.
    FreshRecurring,
    /// A new paused recurring invoice.
    FreshPausedRecurring,
    /// A new pending invitation (of a member).
    FreshInvitation,
    /// No id; Stripe is connected before the call.
    StripeConnected,
    /// A new API token of the caller.
    OwnToken,
    /// A new API token of another member of the organization.
    OthersToken,
    /// A new API token of the owner.
    OwnersToken,
    /// A user who just joined as a member.
    FreshMember,
    /// A user who just joined as a (second) owner.
    FreshOwner,
    /// The caller is a user who just joined with the role; the id is theirs.
    /// For operations that end the caller's sessions or membership.
    FreshSelf,
    /// A ready export of the caller's own data.
    OwnExport,
    /// A ready export of the whole organization, asked for by the owner.
    OthersExport,
    /// A new organization in which the caller has the role (for closing it).
    FreshOrganization,
    /// A new, closed organization in which the caller has the role (for reopening it).
    FreshClosedOrganization,
    /// A new privacy request of the tenant (recorded by the owner).
    FreshPrivacyRequest,
    /// The tenant's job.
    Job,
    /// A new job.
    FreshJob,
    /// A new note on the tenant's client.
    FreshNote,
    /// The tenant's stored file.
    StoredFile,
    /// A new stored file.
    FreshFile,
    /// The tenant's credit note.
    CreditNote,
    /// A new finalized invoice.
    FreshOpen,
    /// A new incident of the register that affects the tenant (opened by the operator).
    FreshIncident,
}

/// One row of the matrix.
struct Row {
    /// The OpenAPI `operationId`.
    op: &'static str,
    kind: Kind,
    target: Target,
    /// The JSON body, empty for none. `$client` is the caller's tenant's
    /// client, `$email` a new unique address.
    body: &'static str,
    /// What an allowed role gets.
    status: u16,
    /// Why `status` is not a success, when it is not.
    why: &'static str,
}

const fn row(op: &'static str, kind: Kind, target: Target, body: &'static str, status: u16) -> Row {
    Row {
        op,
        kind,
        target,
        body,
        status,
        why: "",
    }
}

use Kind::{Manage, OnOwner, OwnAccount, Read, Write};
use Target::*;

const INVOICE: &str = r#"{"client_id": "$client", "currency": "EUR", "lines": [
    {"description": "Design work", "quantity": "3", "unit_price": "19.99", "tax_rate": "19"}]}"#;
const RECURRING: &str = r#"{"client_id": "$client", "frequency": "monthly", "interval": 1,
    "start_date": "2026-12-01", "auto_send": false, "template": {"currency": "EUR", "payment_terms_days": 14,
    "lines": [{"description": "Retainer", "quantity": "1", "unit_price": "100.00", "tax_rate": "19"}]}}"#;
const PAYMENT: &str = r#"{"amount": "1.00", "paid_on": "2026-11-22", "method": "cash"}"#;
/// Not JSON: a multipart upload of a small PNG attached to `$client`.
const UPLOAD: &str = "$upload";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
const STRIPE: &str =
    r#"{"secret_key": "sk_test_MatrixKey000000000000", "webhook_secret": "whsec_MatrixSecret00000000"}"#;
const NEW_PASSWORD: &str =
    r#"{"current_password": "a long team password", "new_password": "an even longer team password"}"#;
const REMINDERS: &str = r#"{"enabled": true, "rules": [{"days_from_due": 0}, {"days_from_due": 7}]}"#;

/// Every authenticated operation under `/api/v1`.
#[rustfmt::skip]
const TABLE: &[Row] = &[
    // Accounts, sessions, API tokens.
    row("me", Read, Nothing, "", 200),
    row("update_me", OwnAccount, Nothing, r#"{"name": "Matrix Person"}"#, 200),
    row("erase_me", OwnAccount, FreshSelf, r#"{"password": "$password"}"#, 200),
    row("delete_current_session", OwnAccount, FreshSelf, "", 204),
    row("change_password", OwnAccount, FreshSelf, NEW_PASSWORD, 200),
    Row {
        why: "every user's address is verified: invitation links prove it, and the owner confirmed at setup",
        ..row("request_email_verification", OwnAccount, Nothing, "", 409)
    },
    row("create_api_token", OwnAccount, Nothing, r#"{"name": "matrix"}"#, 201),
    row("list_api_tokens", Read, Nothing, "", 200),
    row("revoke_api_token", OwnAccount, OwnToken, "", 204),
    row("revoke_api_token", Manage, OthersToken, "", 204),
    row("revoke_api_token", OnOwner, OwnersToken, "", 204),
    // The team, the security log, integrations.
    row("list_users", Read, Nothing, "", 200),
    row("update_user", Manage, FreshMember, r#"{"role": "accountant"}"#, 200),
    row("update_user", OnOwner, FreshMember, r#"{"role": "owner"}"#, 200),
    row("update_user", OnOwner, FreshOwner, r#"{"role": "admin"}"#, 200),
    row("remove_user", Manage, FreshMember, "", 204),
    row("remove_user", OnOwner, FreshOwner, "", 204),
    row("remove_user", OwnAccount, FreshSelf, "", 204),
    row("create_invitation", Manage, Nothing, r#"{"email": "$email", "role": "member"}"#, 201),
    row("create_invitation", OnOwner, Nothing, r#"{"email": "$email", "role": "owner"}"#, 201),
    row("list_invitations", Manage, Nothing, "", 200),
    row("revoke_invitation", Manage, FreshInvitation, "", 204),
    row("list_audit_events", Manage, Nothing, "", 200),
    row("get_stripe_integration", Manage, Nothing, "", 200),
    row("set_stripe_integration", Manage, Nothing, STRIPE, 200),
    row("delete_stripe_integration", Manage, StripeConnected, "", 204),
    // The subscription (billing.provider = "none" here).
    row("get_subscription", Read, Nothing, "", 200),
    row("list_subscription_transactions", Read, Nothing, "", 200),
    Row {
        why: "this deployment charges no subscriptions: billing_not_configured",
        ..row("start_subscription_checkout", Manage, Nothing, r#"{"plan": "starter"}"#, 409)
    },
    Row {
        why: "this deployment charges no subscriptions: billing_not_configured",
        ..row("open_subscription_portal", Manage, Nothing, "", 409)
    },
    // Clients.
    row("create_client", Write, Nothing, r#"{"name": "Matrix client"}"#, 201),
    row("list_clients", Read, Nothing, "", 200),
    row("get_client", Read, Client, "", 200),
    row("update_client", Write, Client, r#"{"phone": "+49 30 1234567"}"#, 200),
    row("delete_client", Write, FreshClient, "", 204),
    // Invoices.
    row("create_invoice", Write, Nothing, INVOICE, 201),
    row("list_invoices", Read, Nothing, "", 200),
    row("get_invoice", Read, Draft, "", 200),
    row("update_invoice", Write, Draft, r#"{"notes": "matrix"}"#, 200),
    row("delete_invoice", Write, FreshDraft, "", 204),
    row("finalize_invoice", Write, FreshDraft, "", 200),
    row("send_invoice", Write, Open, "", 202),
    row("list_invoice_reminders", Read, Open, "", 200),
    row("list_payments", Read, Open, "", 200),
    row("create_payment", Write, Open, PAYMENT, 201),
    row("get_reminder_settings", Read, Nothing, "", 200),
    row("put_reminder_settings", Write, Nothing, REMINDERS, 200),
    // Recurring invoices.
    row("create_recurring_invoice", Write, Nothing, RECURRING, 201),
    row("list_recurring_invoices", Read, Nothing, "", 200),
    row("get_recurring_invoice", Read, Recurring, "", 200),
    row("update_recurring_invoice", Write, Recurring, r#"{"auto_send": false}"#, 200),
    row("delete_recurring_invoice", Write, FreshRecurring, "", 204),
    row("pause_recurring_invoice", Write, FreshRecurring, "", 200),
    row("resume_recurring_invoice", Write, FreshPausedRecurring, "", 200),
    // Privacy: the data map, exports, clients' rights, account closure.
    row("get_data_map", Read, Nothing, "", 200),
    row("get_processing_record", OnOwner, Nothing, "", 200),
    row("processing_record_pdf", OnOwner, Nothing, "", 200),
    row("create_export", OwnAccount, Nothing, r#"{"scope": "me"}"#, 202),
    row("create_export", Manage, Nothing, r#"{"scope": "tenant"}"#, 202),
    row("get_export", Read, OwnExport, "", 200),
    row("get_export", Manage, OthersExport, "", 200),
    row("download_export", Read, OwnExport, "", 200),
    row("download_export", Manage, OthersExport, "", 200),
    row("erase_client", Manage, FreshClient, "{}", 200),
    row("restrict_client", Manage, FreshClient, "", 200),
    row("unrestrict_client", Manage, FreshClient, "", 200),
    row("set_client_objections", Manage, FreshClient, r#"{"purposes": ["analytics"], "contact": true}"#, 200),
    row("close_account", OnOwner, FreshOrganization, r#"{"password": "$password"}"#, 202),
    row("reopen_account", OnOwner, FreshClosedOrganization, "", 204),
    // Privacy: the caller's own consent and policy acceptances.
    row("list_consents", Read, Nothing, "", 200),
    row("change_consent", OwnAccount, Nothing, r#"{"purpose": "marketing_email", "granted": true}"#, 200),
    row("consent_history", Read, Nothing, "", 200),
    row("record_analytics_event", OwnAccount, Nothing, r#"{"name": "invoice.created"}"#, 202),
    row("accept_policy", OwnAccount, Nothing, r#"{"kind": "privacy", "version": "2026-11-01"}"#, 200),
    // Privacy requests about the tenant's clients: owners and admins.
    row("create_privacy_request", Manage, Nothing, r#"{"type": "access", "subject_email": "$email", "details": "All of it."}"#, 201),
    row("list_privacy_requests", Manage, Nothing, "", 200),
    row("get_privacy_request", Manage, FreshPrivacyRequest, "", 200),
    row("extend_privacy_request", Manage, FreshPrivacyRequest, r#"{"reason": "Three systems to search.", "months": 1}"#, 200),
    row("change_privacy_request_status", Manage, FreshPrivacyRequest, r#"{"status": "in_progress"}"#, 200),
    row("verify_privacy_request_identity", Manage, FreshPrivacyRequest, r#"{"method": "document"}"#, 200),
    // The incident register, read by the owners of affected organizations.
    row("list_incidents", OnOwner, Nothing, "", 200),
    row("get_incident", OnOwner, FreshIncident, "", 200),
    // Jobs, notes and files.
    row("create_job", Write, Nothing, r#"{"client_id": "$client", "title": "Matrix job"}"#, 201),
    row("list_jobs", Read, Nothing, "", 200),
    row("get_job", Read, Job, "", 200),
    row("update_job", Write, Job, r#"{"title": "Matrix job, revised"}"#, 200),
    row("change_job_status", Write, Job, r#"{"status": "scheduled"}"#, 200),
    row("delete_job", Write, FreshJob, "", 204),
    row("create_client_note", Write, Client, r#"{"body": "matrix"}"#, 201),
    row("list_client_notes", Read, Client, "", 200),
    row("create_invoice_note", Write, Draft, r#"{"body": "matrix"}"#, 201),
    row("list_invoice_notes", Read, Draft, "", 200),
    row("create_job_note", Write, Job, r#"{"body": "matrix"}"#, 201),
    row("list_job_notes", Read, Job, "", 200),
    row("delete_note", Write, FreshNote, "", 204),
    row("create_file", Write, Nothing, UPLOAD, 201),
    row("list_files", Read, Nothing, "", 200),
    row("get_file", Read, StoredFile, "", 200),
    row("download_file", Read, StoredFile, "", 200),
    row("delete_file", Write, FreshFile, "", 204),
    // Credit notes and the organization's settings.
    row("void_invoice", Write, FreshOpen, "{}", 201),
    row("list_credit_notes", Read, Nothing, "", 200),
    row("get_credit_note", Read, CreditNote, "", 200),
    // Documents: every role reads them.
    row("invoice_pdf", Read, Open, "", 200),
    Row {
        why: "the seller has no VAT id, which EN 16931 requires (BR-CO-26): einvoice_incomplete",
        ..row("invoice_ubl", Read, Open, "", 409)
    },
    Row {
        why: "the open invoice is not past its due date: invoice_not_overdue",
        ..row("invoice_reminder_letter", Read, Open, "", 409)
    },
    row("credit_note_pdf", Read, CreditNote, "", 200),
    Row {
        why: "the seller has no VAT id, which EN 16931 requires (BR-CO-26): einvoice_incomplete",
        ..row("credit_note_ubl", Read, CreditNote, "", 409)
    },
    row("get_organization", Read, Nothing, "", 200),
    row("update_organization", Manage, Nothing, r#"{"phone": "+49 30 1234567"}"#, 200),
];

/// Where the product answers a role differently from the intended rules.
struct Deviation {
    op: &'static str,
    kind: Kind,
    target: Target,
    role: Role,
    /// What the product answers today.
    status: u16,
    issue: &'static str,
}

const KNOWN_DEVIATIONS: &[Deviation] = &[Deviation {
    op: "erase_me",
    kind: OwnAccount,
    target: FreshSelf,
    role: Role::Owner,
    status: 409,
    issue: "by design: an owner hands ownership over before erasing their account (owner_must_transfer)",
}];

fn deviation(row: &Row, role: Role) -> Option<&'static Deviation> {
    KNOWN_DEVIATIONS
        .iter()
        .find(|d| (d.op, d.kind, d.target, d.role) == (row.op, row.kind, row.target, role))
}

/// A public operation (no `security` in the document) and a sensible request.
struct Public {
    op: &'static str,
    /// Appended to the path.
    query: &'static str,
    /// `$email`: a new address, `$owner`: the signed-up owner's address.
    body: &'static str,
    status: u16,
    code: &'static str,
}

const PUBLIC: &[Public] = &[
    Public {
        op: "current_policies",
        query: "",
        body: "",
        status: 200,
        code: "",
    },
    Public {
        op: "signup",
        query: "",
        body: "$signup",
        status: 201,
        code: "",
    },
    Public {
        op: "create_session",
        query: "",
        body: r#"{"email": "$owner", "password": "correct horse battery"}"#,
        status: 201,
        code: "",
    },
    Public {
        op: "request_login_link",
        query: "",
        body: r#"{"email": "$owner"}"#,
        status: 202,
        code: "",
    },
    Public {
        op: "redeem_login_link",
        query: "",
        body: r#"{"token": "not-a-link-token"}"#,
        status: 401,
        code: "invalid_token",
    },
    Public {
        op: "request_password_reset",
        query: "",
        body: r#"{"email": "$owner"}"#,
        status: 202,
        code: "",
    },
    Public {
        op: "complete_password_reset",
        query: "",
        body: r#"{"token": "not-a-link-token", "new_password": "a perfectly good password"}"#,
        status: 401,
        code: "invalid_token",
    },
    Public {
        op: "confirm_email_verification",
        query: "",
        body: r#"{"token": "not-a-link-token"}"#,
        status: 401,
        code: "invalid_token",
    },
    Public {
        op: "accept_invitation",
        query: "",
        body: r#"{"token": "not-a-link-token", "name": "Someone", "password": "a long team password",
            "accept_policy_version": "2026-11-01", "confirm_minimum_age": true}"#,
        status: 401,
        code: "invalid_token",
    },
    Public {
        op: "list_subprocessors",
        query: "",
        body: "",
        status: 200,
        code: "",
    },
    Public {
        op: "submit_public_privacy_request",
        query: "",
        body: r#"{"type": "access", "email": "$owner", "details": "What do you hold about me?"}"#,
        status: 202,
        code: "",
    },
    Public {
        op: "confirm_public_privacy_request",
        query: "",
        body: r#"{"token": "not-a-link-token"}"#,
        status: 401,
        code: "invalid_token",
    },
    Public {
        op: "list_plans",
        query: "",
        body: "",
        status: 200,
        code: "",
    },
    Public {
        op: "receive_stripe_webhook",
        query: "",
        body: r#"{"id": "evt_1"}"#,
        status: 400,
        code: "webhook_not_configured",
    },
    Public {
        op: "receive_paddle_webhook",
        query: "",
        body: r#"{"event_id": "evt_1"}"#,
        status: 400,
        code: "webhook_not_configured",
    },
    Public {
        op: "receive_stripe_connect_webhook",
        query: "",
        body: r#"{"id": "evt_1"}"#,
        status: 400,
        code: "",
    },
    Public {
        op: "start_google_sign_in",
        query: "",
        body: r#"{"intent": "sign_in"}"#,
        status: 404,
        code: "google_sign_in_disabled",
    },
    Public {
        op: "google_sign_in_callback",
        query: "?code=some-code&state=some-state",
        body: "",
        status: 404,
        code: "google_sign_in_disabled",
    },
];

/// One operation of the OpenAPI document.
#[derive(Clone, Debug)]
struct Operation {
    method: Method,
    path: String,
    id: String,
    secured: bool,
}

async fn operations(app: &TestApp) -> Vec<Operation> {
    let reply = app.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let mut found = Vec::new();
    for (path, item) in reply.body["paths"].as_object().expect("paths") {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for (method, operation) in item.as_object().expect("a path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
            found.push(Operation {
                method,
                path: path.clone(),
                id: id.to_owned(),
                secured,
            });
        }
    }
    found
}

fn operation<'a>(operations: &'a [Operation], id: &str) -> &'a Operation {
    operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// The table and the document describe the same operations, and the table
/// follows the intended rules.
fn assert_table_matches(operations: &[Operation]) {
    let mut problems = Vec::new();
    let secured: BTreeSet<&str> = operations.iter().filter(|o| o.secured).map(|o| o.id.as_str()).collect();
    let public: BTreeSet<&str> = operations
        .iter()
        .filter(|o| !o.secured)
        .map(|o| o.id.as_str())
        .collect();
    let tabled: BTreeSet<&str> = TABLE.iter().map(|r| r.op).collect();
    let listed: BTreeSet<&str> = PUBLIC.iter().map(|p| p.op).collect();
    for op in secured.difference(&tabled) {
        problems.push(format!("authenticated operation {op} has no row in TABLE: add one"));
    }
    for op in tabled.difference(&secured) {
        problems.push(format!(
            "TABLE names {op}, which is not an authenticated operation of the document"
        ));
    }
    for op in public.difference(&listed) {
        problems.push(format!("public operation {op} has no row in PUBLIC: add one"));
    }
    for op in listed.difference(&public) {
        problems.push(format!(
            "PUBLIC names {op}, which is not a public operation of the document"
        ));
    }
    // The intended rules, checked on the table itself.
    let own_account = [
        ("create_export", Nothing),
        ("update_me", Nothing),
        ("erase_me", FreshSelf),
        ("delete_current_session", FreshSelf),
        ("change_password", FreshSelf),
        ("request_email_verification", Nothing),
        ("create_api_token", Nothing),
        ("revoke_api_token", OwnToken),
        ("remove_user", FreshSelf),
        ("change_consent", Nothing),
        ("record_analytics_event", Nothing),
        ("accept_policy", Nothing),
    ];
    for row in TABLE {
        let Some(op) = operations.iter().find(|o| o.id == row.op) else {
            continue;
        };
        let reads = op.method == Method::GET;
        if reads && !matches!(row.kind, Read | Manage | OnOwner) {
            problems.push(format!("{}: a GET is a Read, Manage or OnOwner row", row.op));
        }
        if !reads && row.kind == Read {
            problems.push(format!(
                "{}: accountants change nothing, so a {} is not Read",
                row.op, op.method
            ));
        }
        if row.kind == OwnAccount && !own_account.contains(&(row.op, row.target)) {
            problems.push(format!(
                "{}: only the caller's own account operations are OwnAccount",
                row.op
            ));
        }
        let management = [
            "/api/v1/users/invitations",
            "/api/v1/integrations",
            "/api/v1/audit-events",
        ]
        .iter()
        .any(|p| op.path.starts_with(p))
            || (op.path.starts_with("/api/v1/users/") && !reads);
        if management && matches!(row.kind, Read | Write) {
            problems.push(format!(
                "{}: members do not manage users, invitations or integrations",
                row.op
            ));
        }
        if (row.status == 403 || row.status >= 500) || (!(200..300).contains(&row.status) && row.why.is_empty()) {
            problems.push(format!(
                "{}: an allowed role's status {} needs a reason",
                row.op, row.status
            ));
        }
    }
    for d in KNOWN_DEVIATIONS {
        if !TABLE
            .iter()
            .any(|r| (r.op, r.kind, r.target) == (d.op, d.kind, d.target))
        {
            problems.push(format!(
                "KNOWN_DEVIATIONS names {} {:?}, which has no row",
                d.op, d.target
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// A user of a tenant.
#[derive(Clone, Debug)]
struct Person {
    token: String,
    id: String,
}

/// An organization with a user per role and one of each business object.
struct Tenant {
    owner: Account,
    people: BTreeMap<Role, Person>,
    /// A second member, whose things others act on.
    other: Option<Person>,
    client: String,
    draft: String,
    open: String,
    recurring: String,
    job: String,
    file: String,
    credit_note: String,
}

fn unique_email() -> String {
    format!("{}@matrix.example", uuid::Uuid::new_v4().simple())
}

async fn person(app: &TestApp, token: &str) -> Person {
    let me = app.get("/api/v1/me", token).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    Person {
        token: token.to_owned(),
        id: me.body["user"]["id"].as_str().unwrap().to_owned(),
    }
}

async fn joined(app: &TestApp, owner: &Account, role: Role) -> Person {
    let account = app.join(owner, &unique_email(), role.as_str()).await;
    person(app, &account.token).await
}

/// The body of a request, with placeholders filled in (`$password` is the
/// caller's: owners sign up with one, everyone else joins with another).
fn body_for(template: &str, client: &str, role: Role) -> Option<Value> {
    let password = match role {
        Role::Owner => "correct horse battery",
        _ => "a long team password",
    };
    body(&template.replace("$password", password), client)
}

/// The body of a request, with placeholders filled in.
fn body(template: &str, client: &str) -> Option<Value> {
    if template.is_empty() {
        return None;
    }
    let text = template.replace("$client", client).replace("$email", &unique_email());
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad body {template}: {e}")))
}

async fn created(app: &TestApp, path: &str, token: &str, body: Value) -> String {
    let reply = app.post(path, token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "POST {path}: {:?}", reply.body);
    reply.str("id")
}

/// Signs up an organization (`name` must be unique) with one of each business object; with
/// `team`, also an admin, a member, an accountant and a second member.
async fn tenant(app: &TestApp, name: &str, team: bool) -> Tenant {
    let email = format!("owner@{name}.example");
    let owner = app.signup(&email).await;
    // Confirm the owner's address, so every user of the matrix is verified.
    let token = app.link_token(&email, "Confirm your email address").await;
    let confirmed = app
        .call(
            Method::POST,
            "/api/v1/email-verifications/confirm",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::NO_CONTENT, "{:?}", confirmed.body);
    let mut people = BTreeMap::new();
    people.insert(Role::Owner, person(app, &owner.token).await);
    let mut other = None;
    if team {
        for role in [Role::Admin, Role::Member, Role::Accountant] {
            people.insert(role, joined(app, &owner, role).await);
        }
        other = Some(joined(app, &owner, Role::Member).await);
    }
    let client = app.client(&owner, "Matrix Client").await;
    let draft = app.worked_example(&owner, &client).await.str("id");
    let open = app.worked_example(&owner, &client).await.str("id");
    let finalized = app
        .call(
            Method::POST,
            &format!("/api/v1/invoices/{open}/finalize"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
    let recurring = created(
        app,
        "/api/v1/recurring-invoices",
        &owner.token,
        body(RECURRING, &client).unwrap(),
    )
    .await;
    let job = created(
        app,
        "/api/v1/jobs",
        &owner.token,
        json!({"client_id": client, "title": "Job"}),
    )
    .await;
    let file = upload_file(app, &owner.token, &client).await.str("id");
    let voided = fresh_open(app, &owner, &client).await;
    let credit_note = created(app, &format!("/api/v1/invoices/{voided}/void"), &owner.token, json!({})).await;
    Tenant {
        owner,
        people,
        other,
        client,
        draft,
        open,
        recurring,
        job,
        file,
        credit_note,
    }
}

async fn upload_file(app: &TestApp, token: &str, client: &str) -> crate::support::Reply {
    crate::files::upload(app, token, ("client", client), "matrix.png", "image/png", PNG.to_vec()).await
}

/// A new finalized invoice of the owner.
async fn fresh_open(app: &TestApp, owner: &Account, client: &str) -> String {
    let id = app.worked_example(owner, client).await.str("id");
    let finalized = app
        .post(&format!("/api/v1/invoices/{id}/finalize"), &owner.token, json!({}))
        .await;
    assert_eq!(finalized.status, StatusCode::OK, "{:?}", finalized.body);
    id
}

/// Calls `operation` as `token`; a body of [`UPLOAD`] is sent as a multipart upload.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    template: &str,
    body: Option<Value>,
    client: &str,
) -> crate::support::Reply {
    if template == UPLOAD {
        upload_file(app, token, client).await
    } else {
        app.call(method, path, Some(token), body).await
    }
}

/// Who calls, with which `{id}`.
struct Prepared {
    caller: String,
    id: Option<String>,
}

/// Makes what `target` needs in `tenant`, for a call by `role`.
/// Opens an incident that affects `organization` as the operator does; returns its id.
async fn open_incident(app: &TestApp, organization: &str) -> String {
    let opened = fakturo_server::ops::incident_at(
        &app.state.settings,
        &[
            "open",
            "--discovered-at",
            "2026-11-22T08:00:00Z",
            "--nature",
            "A matrix incident.",
            "--categories",
            "account_profile",
            "--people",
            "1",
            "--records",
            "1",
            "--consequences",
            "None likely.",
            "--measures",
            "Contained.",
            "--tenant",
            organization,
        ],
        app.clock.clone(),
    )
    .await
    .unwrap();
    opened
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("opened incident "))
        .unwrap()
        .to_owned()
}

async fn prepare(app: &TestApp, tenant: &Tenant, target: Target, role: Role) -> Prepared {
    let owner = &tenant.owner;
    let mut caller = tenant.people[&role].token.clone();
    let token_of =
        |token: String| async move { created(app, "/api/v1/api-tokens", &token, json!({"name": "target"})).await };
    let id = match target {
        Nothing => None,
        Client => Some(tenant.client.clone()),
        FreshClient => Some(app.client(owner, "Fresh Client").await),
        Draft => Some(tenant.draft.clone()),
        FreshDraft => Some(app.worked_example(owner, &tenant.client).await.str("id")),
        Open => Some(tenant.open.clone()),
        Recurring => Some(tenant.recurring.clone()),
        FreshRecurring | FreshPausedRecurring => {
            let id = created(
                app,
                "/api/v1/recurring-invoices",
                &owner.token,
                body(RECURRING, &tenant.client).unwrap(),
            )
            .await;
            if target == FreshPausedRecurring {
                let paused = app
                    .call(
                        Method::POST,
                        &format!("/api/v1/recurring-invoices/{id}/pause"),
                        Some(&owner.token),
                        None,
                    )
                    .await;
                assert_eq!(paused.status, StatusCode::OK, "{:?}", paused.body);
            }
            Some(id)
        }
        FreshInvitation => Some(
            created(
                app,
                "/api/v1/users/invitations",
                &owner.token,
                json!({"email": unique_email(), "role": "member"}),
            )
            .await,
        ),
        StripeConnected => {
            let reply = app
                .call(
                    Method::PUT,
                    "/api/v1/integrations/stripe",
                    Some(&owner.token),
                    body(STRIPE, ""),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            None
        }
        OwnExport | OthersExport => {
            let requester = if target == OwnExport {
                caller.clone()
            } else {
                owner.token.clone()
            };
            let scope = if target == OwnExport { "me" } else { "tenant" };
            let reply = app
                .post("/api/v1/privacy/exports", &requester, json!({"scope": scope}))
                .await;
            assert_eq!(reply.status, StatusCode::ACCEPTED, "{:?}", reply.body);
            app.drain_jobs().await;
            Some(reply.str("id"))
        }
        FreshOrganization | FreshClosedOrganization => {
            let fresh = app.signup(&unique_email()).await;
            caller = match role {
                Role::Owner => fresh.session.clone(),
                _ => app.join(&fresh, &unique_email(), role.as_str()).await.session,
            };
            if target == FreshClosedOrganization {
                let closed = app
                    .post(
                        "/api/v1/account/close",
                        &fresh.session,
                        json!({"password": "correct horse battery"}),
                    )
                    .await;
                assert_eq!(closed.status, StatusCode::ACCEPTED, "{:?}", closed.body);
            }
            None
        }
        Job => Some(tenant.job.clone()),
        FreshJob => Some(
            created(
                app,
                "/api/v1/jobs",
                &owner.token,
                json!({"client_id": tenant.client, "title": "Fresh"}),
            )
            .await,
        ),
        FreshNote => Some(
            created(
                app,
                &format!("/api/v1/clients/{}/notes", tenant.client),
                &owner.token,
                json!({"body": "Fresh note"}),
            )
            .await,
        ),
        StoredFile => Some(tenant.file.clone()),
        FreshFile => Some(upload_file(app, &owner.token, &tenant.client).await.str("id")),
        CreditNote => Some(tenant.credit_note.clone()),
        FreshOpen => Some(fresh_open(app, owner, &tenant.client).await),
        FreshPrivacyRequest => Some(
            created(
                app,
                "/api/v1/privacy/requests",
                &owner.token,
                json!({"type": "access", "subject_email": unique_email(), "details": "All of it."}),
            )
            .await,
        ),
        FreshIncident => Some(open_incident(app, &owner.organization_id).await),
        OwnToken => Some(token_of(caller.clone()).await),
        OthersToken => Some(token_of(tenant.other.clone().expect("a team").token).await),
        OwnersToken => Some(token_of(owner.token.clone()).await),
        FreshMember => Some(joined(app, owner, Role::Member).await.id),
        FreshOwner => Some(joined(app, owner, Role::Owner).await.id),
        FreshSelf => {
            let fresh = joined(app, owner, role).await;
            caller = fresh.token;
            Some(fresh.id)
        }
    };
    Prepared { caller, id }
}

fn path_with(operation: &Operation, id: Option<&str>) -> String {
    match id {
        Some(id) => operation.path.replace("{id}", id),
        None => operation.path.clone(),
    }
}

async fn the_table_covers_every_operation(app: TestApp) {
    let operations = operations(&app).await;
    assert_table_matches(&operations);
    // Public operations answer sensible requests without failing.
    let owner_email = "public-owner@matrix.example";
    app.signup(owner_email).await;
    let mut failures = Vec::new();
    for public in PUBLIC {
        let operation = operation(&operations, public.op);
        let body = match public.body {
            "" => None,
            "$signup" => Some(signup_body(&unique_email(), "correct horse battery")),
            text => Some(serde_json::from_str(&text.replace("$owner", owner_email)).unwrap()),
        };
        let path = format!("{}{}", operation.path, public.query);
        let reply = app.call(operation.method.clone(), &path, None, body).await;
        let code_ok = public.code.is_empty() || reply.code() == public.code;
        if reply.status.as_u16() != public.status || !code_ok {
            failures.push(format!(
                "{} {path} ({}): expected {} {}, got {} {:?}",
                operation.method, public.op, public.status, public.code, reply.status, reply.body
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

async fn every_role_is_allowed_or_forbidden(app: TestApp) {
    let operations = operations(&app).await;
    assert_table_matches(&operations);
    let a = tenant(&app, "matrix-a", true).await;
    let mut failures = Vec::new();
    let mut calls = 0;
    for row in TABLE {
        let operation = operation(&operations, row.op);
        for role in ROLES {
            let prepared = prepare(&app, &a, row.target, role).await;
            let path = path_with(operation, prepared.id.as_deref());
            let body = if row.body == UPLOAD {
                None
            } else {
                body_for(row.body, &a.client, role)
            };
            let reply = send(
                &app,
                operation.method.clone(),
                &path,
                &prepared.caller,
                row.body,
                body,
                &a.client,
            )
            .await;
            calls += 1;
            let status = reply.status.as_u16();
            let what = format!(
                "{} {} ({} on {:?}) as {}",
                operation.method,
                operation.path,
                row.op,
                row.target,
                role.as_str()
            );
            if status >= 500 {
                failures.push(format!("{what}: {status} {:?}", reply.body));
                continue;
            }
            match deviation(row, role) {
                Some(known) if status == known.status => {}
                Some(known) => failures.push(format!(
                    "{what}: KNOWN_DEVIATIONS says {} ({}), but the answer is {status} {:?}; if the product \
                     was fixed, remove the entry",
                    known.status, known.issue, reply.body
                )),
                None if row.kind.allows(role) => {
                    if status != row.status {
                        failures.push(format!(
                            "{what}: allowed, expected {}, got {status} {:?}",
                            row.status, reply.body
                        ));
                    }
                }
                None => {
                    if status != 403 || reply.code() != "forbidden" {
                        failures.push(format!(
                            "{what}: not allowed, expected 403 forbidden, got {status} {:?}",
                            reply.body
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn foreign_ids_are_not_found_on_any_route(app: TestApp) {
    let operations = operations(&app).await;
    let a = tenant(&app, "isolation-a", true).await;
    let b = tenant(&app, "isolation-b", false).await;
    let stranger = &b.owner.token;
    let mut failures = Vec::new();
    let mut checked = BTreeSet::new();
    for row in TABLE {
        let operation = operation(&operations, row.op);
        if !operation.path.contains("{id}") {
            continue;
        }
        checked.insert(row.op);
        let prepared = prepare(&app, &a, row.target, Role::Owner).await;
        let id = prepared.id.expect("an id");
        let body = body(row.body, &b.client);
        let foreign = app
            .call(
                operation.method.clone(),
                &path_with(operation, Some(&id)),
                Some(stranger),
                body.clone(),
            )
            .await;
        let random = uuid::Uuid::now_v7().to_string();
        let missing = app
            .call(
                operation.method.clone(),
                &path_with(operation, Some(&random)),
                Some(stranger),
                body,
            )
            .await;
        let what = format!(
            "{} {} ({} on {:?})",
            operation.method, operation.path, row.op, row.target
        );
        if foreign.status != StatusCode::NOT_FOUND {
            failures.push(format!(
                "{what}: a foreign id answers {} {:?}",
                foreign.status, foreign.body
            ));
        }
        if (foreign.status, &foreign.body) != (missing.status, &missing.body) {
            failures.push(format!(
                "{what}: a foreign id answers {} {:?}, a random one {} {:?}",
                foreign.status, foreign.body, missing.status, missing.body
            ));
        }
    }
    // Every operation of the document that takes an id was checked.
    for operation in operations.iter().filter(|o| o.secured && o.path.contains("{id}")) {
        assert!(
            checked.contains(operation.id.as_str()),
            "{} was not checked",
            operation.id
        );
    }

    // Ids in bodies and queries: a foreign one is exactly a missing one, too.
    let a_owner = a.people[&Role::Owner].id.clone();
    let cases: Vec<(Method, String, Option<Value>, String)> = vec![
        (
            Method::POST,
            "/api/v1/invoices".into(),
            Some(worked_example_body("$id")),
            a.client.clone(),
        ),
        (
            Method::POST,
            "/api/v1/recurring-invoices".into(),
            body(RECURRING, "$id"),
            a.client.clone(),
        ),
        (
            Method::PATCH,
            format!("/api/v1/invoices/{}", b.draft),
            Some(json!({"client_id": "$id"})),
            a.client.clone(),
        ),
        (
            Method::PATCH,
            format!("/api/v1/recurring-invoices/{}", b.recurring),
            Some(json!({"client_id": "$id"})),
            a.client.clone(),
        ),
        (
            Method::GET,
            "/api/v1/invoices?client_id=$id".into(),
            None,
            a.client.clone(),
        ),
        (Method::GET, "/api/v1/audit-events?user_id=$id".into(), None, a_owner),
    ];
    for (method, path, body, foreign_id) in cases {
        let with = |id: &str| {
            let body = body
                .as_ref()
                .map(|b| serde_json::from_str::<Value>(&b.to_string().replace("$id", id)).unwrap());
            (path.replace("$id", id), body)
        };
        let (foreign_path, foreign_body) = with(&foreign_id);
        let foreign = app
            .call(method.clone(), &foreign_path, Some(stranger), foreign_body)
            .await;
        let (missing_path, missing_body) = with(&uuid::Uuid::now_v7().to_string());
        let missing = app
            .call(method.clone(), &missing_path, Some(stranger), missing_body)
            .await;
        let what = format!("{method} {path} with a foreign id");
        if foreign.status.is_success() && method != Method::GET {
            failures.push(format!("{what}: accepted {:?}", foreign.body));
        }
        if method == Method::GET && foreign.body["data"] != json!([]) {
            failures.push(format!("{what}: lists {:?}", foreign.body));
        }
        if foreign.status.is_server_error() || (foreign.status, &foreign.body) != (missing.status, &missing.body) {
            failures.push(format!(
                "{what}: answers {} {:?}, a random id {} {:?}",
                foreign.status, foreign.body, missing.status, missing.body
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));

    // Nothing of the first organization changed.
    let owner = &a.owner.token;
    let draft = app.get(&format!("/api/v1/invoices/{}", a.draft), owner).await;
    assert_eq!(
        (draft.str("status"), draft.body["notes"].clone()),
        ("draft".to_owned(), Value::Null)
    );
    let open = app.get(&format!("/api/v1/invoices/{}", a.open), owner).await;
    assert_eq!(
        (open.str("status"), open.str("amount_paid")),
        ("open".to_owned(), "0.00".to_owned())
    );
    assert!(open.body["sent_at"].is_null(), "{:?}", open.body);
    let recurring = app
        .get(&format!("/api/v1/recurring-invoices/{}", a.recurring), owner)
        .await;
    assert_eq!(recurring.str("status"), "active");
    let client = app.get(&format!("/api/v1/clients/{}", a.client), owner).await;
    assert!(client.body["phone"].is_null(), "{:?}", client.body);
    let users = app.get("/api/v1/users?limit=100", owner).await;
    let users = users.body["data"].as_array().unwrap();
    for (role, count) in [("admin", 1), ("accountant", 1)] {
        assert_eq!(users.iter().filter(|u| u["role"] == role).count(), count, "{users:?}");
    }
}

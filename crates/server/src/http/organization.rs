//! The organization's settings and the seller's details its invoices
//! print: every role reads them, owners and admins change them.

use std::sync::Arc;

use fakturo_domain::tenancy::OrganizationFields;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};

use super::accounts::{OrganizationView, organization_view};
use super::auth::Auth;
use super::clients::patch_field;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct OrganizationApi {
    state: Arc<AppState>,
}

impl OrganizationApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// Changes to the organization: absent fields are kept, `null` clears an optional one.
#[derive(Object)]
#[oai(deny_unknown_fields)]
struct OrganizationPatch {
    /// The business name shown on invoices.
    name: Option<String>,
    /// ISO 4217; proposed for new clients and invoices.
    default_currency: Option<String>,
    /// IANA time zone in which the business's dates are reckoned.
    time_zone: Option<String>,
    /// Such as `INV-{YYYY}-{SEQ:4}`; placeholders `{YYYY}`, `{YY}`, `{MM}`, `{SEQ}`, `{SEQ:n}`.
    invoice_number_pattern: Option<String>,
    /// Days from issue to due date when an invoice names neither (0 to 365).
    default_payment_terms_days: Option<i64>,
    address: MaybeUndefined<String>,
    postcode: MaybeUndefined<String>,
    city: MaybeUndefined<String>,
    /// Checked for its shape (country prefix and 2 to 13 letters or digits).
    vat_id: MaybeUndefined<String>,
    email: MaybeUndefined<String>,
    phone: MaybeUndefined<String>,
    /// Checked by its check digits.
    iban: MaybeUndefined<String>,
    bic: MaybeUndefined<String>,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Team")]
impl OrganizationApi {
    /// The organization's settings and the seller's details its invoices print.
    #[oai(path = "/organization", method = "get", operation_id = "get_organization")]
    async fn get(&self, auth: Auth) -> Result<Json<OrganizationView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let org = self.state.services.organization.get(&who.principal).await?;
        Ok(Json(organization_view(&org)))
    }

    /// Change the organization's settings (owners and admins).
    #[oai(path = "/organization", method = "patch", operation_id = "update_organization")]
    async fn update(&self, auth: Auth, body: Json<OrganizationPatch>) -> Result<Json<OrganizationView>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let p = body.0;
        let fields = OrganizationFields {
            name: p.name,
            default_currency: p.default_currency,
            time_zone: p.time_zone,
            invoice_number_pattern: p.invoice_number_pattern,
            default_payment_terms_days: p.default_payment_terms_days,
            address: patch_field(p.address),
            postcode: patch_field(p.postcode),
            city: patch_field(p.city),
            vat_id: patch_field(p.vat_id),
            email: patch_field(p.email),
            phone: patch_field(p.phone),
            iban: patch_field(p.iban),
            bic: patch_field(p.bic),
        };
        let org = self.state.services.organization.update(&who.principal, fields).await?;
        Ok(Json(organization_view(&org)))
    }
}

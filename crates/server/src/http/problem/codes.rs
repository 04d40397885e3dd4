//! The one table of stable problem codes: every `code` an error body can
//! carry is a variant here, with its default HTTP status and its meaning.
//! `docs/errors.md` lists the same table; a test fails when they disagree.

use poem::http::StatusCode;

macro_rules! error_codes {
    ($($variant:ident => $code:literal, $status:ident, $meaning:literal;)+) => {
        /// A stable machine-readable problem code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(
                #[doc = $meaning]
                $variant,
            )+
        }

        impl ErrorCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The code as it appears in `code` and in `urn:fakturo:problem:<code>`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }

            /// The status a problem with this code has unless the caller names another.
            #[must_use]
            pub const fn status(self) -> StatusCode {
                match self {
                    $(Self::$variant => StatusCode::$status,)+
                }
            }

            /// One sentence saying what the code means.
            #[must_use]
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Self::$variant => $meaning,)+
                }
            }
        }
    };
}

error_codes! {
    // Requests, authentication and permissions.
    InvalidRequest => "invalid_request", BAD_REQUEST, "The request is malformed: a body that does not parse, an unknown field, a bad query parameter.";
    ValidationFailed => "validation_failed", UNPROCESSABLE_ENTITY, "The request is well-formed but some fields are invalid; `errors` lists each field.";
    Unauthenticated => "unauthenticated", UNAUTHORIZED, "The access token is missing, invalid or expired, or its user no longer exists.";
    Forbidden => "forbidden", FORBIDDEN, "The caller's role does not allow this action.";
    CsrfFailed => "csrf_failed", FORBIDDEN, "A request that changes data with the session cookie did not send the X-CSRF-Token header.";
    SessionRequired => "session_required", FORBIDDEN, "The action needs a signed-in session, not an API token.";
    AccountClosed => "account_closed", CONFLICT, "The organization's account is closed (403 for requests other than export, reopen, sign-out and me).";
    NotFound => "not_found", NOT_FOUND, "There is nothing at this address.";
    MethodNotAllowed => "method_not_allowed", METHOD_NOT_ALLOWED, "The method is not allowed at this address.";
    PayloadTooLarge => "payload_too_large", PAYLOAD_TOO_LARGE, "The request body is larger than the server accepts.";
    UnsupportedMediaType => "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "The body is not sent as application/json.";
    RateLimited => "rate_limited", TOO_MANY_REQUESTS, "Too many requests from this address; wait `Retry-After` seconds.";
    InternalError => "internal_error", INTERNAL_SERVER_ERROR, "Something failed on our side (any 5xx that is not a dependency being unavailable).";
    Error => "error", BAD_REQUEST, "Another error status produced outside the handlers; the body's `status` is the real one.";
    // Idempotency.
    InvalidIdempotencyKey => "invalid_idempotency_key", BAD_REQUEST, "The Idempotency-Key header is not 1 to 255 printable ASCII characters.";
    IdempotencyKeyInUse => "idempotency_key_in_use", CONFLICT, "A request with this Idempotency-Key is still being processed.";
    IdempotencyKeyReused => "idempotency_key_reused", UNPROCESSABLE_ENTITY, "This Idempotency-Key was used before with a different body.";
    // Accounts, sessions, links, team and tokens.
    EmailTaken => "email_taken", CONFLICT, "A user with this email address already exists.";
    PolicyNotAccepted => "policy_not_accepted", UNPROCESSABLE_ENTITY, "The current privacy policy version was not accepted.";
    MinimumAgeNotConfirmed => "minimum_age_not_confirmed", UNPROCESSABLE_ENTITY, "The person did not confirm the minimum age.";
    PolicyVersionNotAcceptable => "policy_version_not_acceptable", UNPROCESSABLE_ENTITY, "The policy version accepted is not the current one.";
    InvalidCredentials => "invalid_credentials", UNAUTHORIZED, "The email or password is not correct.";
    SignInThrottled => "sign_in_throttled", TOO_MANY_REQUESTS, "Too many failed sign-ins for this account; wait `Retry-After` seconds.";
    NotASession => "not_a_session", BAD_REQUEST, "Only a session can sign out; the token is an API token.";
    WrongPassword => "wrong_password", UNPROCESSABLE_ENTITY, "The current password given is not correct.";
    InvalidToken => "invalid_token", UNAUTHORIZED, "The link's token is not valid.";
    TokenExpiredOrUsed => "token_expired_or_used", GONE, "The link or sign-in state was used before or has expired.";
    EmailAlreadyVerified => "email_already_verified", CONFLICT, "The email address is verified already.";
    InvitationNotFound => "invitation_not_found", NOT_FOUND, "No invitation with this id exists in the organization.";
    InvitationNotPending => "invitation_not_pending", CONFLICT, "The invitation was accepted or revoked already.";
    UserNotFound => "user_not_found", NOT_FOUND, "No user with this id exists in the organization.";
    LastOwner => "last_owner", CONFLICT, "The organization's last owner cannot be removed or demoted.";
    OwnerMustTransfer => "owner_must_transfer", CONFLICT, "An owner's account cannot be erased: make another user owner and step down first, or close the account.";
    ApiTokenNotFound => "api_token_not_found", NOT_FOUND, "No API token with this id exists.";
    IntegrationNotConnected => "integration_not_connected", NOT_FOUND, "The integration is not connected.";
    AccountNotClosed => "account_not_closed", CONFLICT, "The account is open, so it cannot be reopened.";
    GracePeriodOver => "grace_period_over", GONE, "The closed account's grace period is over; it can no longer be reopened.";
    // Sign-in with Google.
    InvalidState => "invalid_state", UNAUTHORIZED, "The sign-in was not started here or its state is not valid.";
    EmailNotVerified => "email_not_verified", FORBIDDEN, "The identity provider has not verified the email address.";
    NoAccount => "no_account", NOT_FOUND, "No account exists for this identity; sign up first.";
    AccountNotVerified => "account_not_verified", CONFLICT, "The account's email address is not verified, so it cannot be linked.";
    InvalidIdToken => "invalid_id_token", UNAUTHORIZED, "The identity provider's answer did not verify.";
    IdentityProviderUnavailable => "identity_provider_unavailable", SERVICE_UNAVAILABLE, "The identity provider could not be reached.";
    GoogleSignInDisabled => "google_sign_in_disabled", NOT_FOUND, "Sign-in with Google is not enabled on this deployment.";
    SignInCancelled => "sign_in_cancelled", UNAUTHORIZED, "The sign-in with the identity provider was cancelled or is incomplete.";
    // Clients and invoices.
    ClientNotFound => "client_not_found", NOT_FOUND, "No client with this id exists in the organization.";
    ClientErased => "client_erased", CONFLICT, "The client's personal data was erased already.";
    ClientHasInvoices => "client_has_invoices", CONFLICT, "The client has invoices, so it cannot be deleted.";
    ClientHasJobs => "client_has_jobs", CONFLICT, "The client has jobs, so it cannot be deleted.";
    ClientHasNoEmail => "client_has_no_email", UNPROCESSABLE_ENTITY, "The invoice's client has no email address to send it to.";
    InvoiceNotFound => "invoice_not_found", NOT_FOUND, "No invoice with this id exists in the organization.";
    InvoiceNotDraft => "invoice_not_draft", CONFLICT, "The invoice is finalized; only drafts can be changed, deleted or finalized.";
    InvoiceNotReady => "invoice_not_ready", UNPROCESSABLE_ENTITY, "The draft lacks what finalizing needs; `errors` lists each field.";
    InvoiceNumberTaken => "invoice_number_taken", CONFLICT, "The series' next number is already used by another invoice.";
    InvoiceNotFinalized => "invoice_not_finalized", CONFLICT, "The invoice is a draft, and the action needs a finalized invoice.";
    InvoiceNotPayable => "invoice_not_payable", CONFLICT, "The invoice is paid or void and takes no payments.";
    InvoiceNotSendable => "invoice_not_sendable", CONFLICT, "Only finalized invoices that are not void can be sent.";
    InvoiceVoid => "invoice_void", CONFLICT, "The invoice is void already.";
    InvoiceNotOverdue => "invoice_not_overdue", CONFLICT, "The invoice is not overdue, so it has no reminder letter.";
    InvoiceRestricted => "invoice_restricted", CONFLICT, "The invoice is restricted after an erasure request; it is kept, not collected.";
    Overpayment => "overpayment", UNPROCESSABLE_ENTITY, "The payment is larger than the amount due.";
    LegalHold => "legal_hold", CONFLICT, "The record must be kept until `retained_until`.";
    RecurringInvoiceNotFound => "recurring_invoice_not_found", NOT_FOUND, "No recurring invoice with this id exists in the organization.";
    RecurringInvoiceWrongStatus => "recurring_invoice_wrong_status", CONFLICT, "The recurring invoice's status does not allow this action.";
    CreditNoteNotFound => "credit_note_not_found", NOT_FOUND, "No credit note with this id exists in the organization.";
    EinvoiceIncomplete => "einvoice_incomplete", CONFLICT, "The invoice lacks data an e-invoice (EN 16931) requires.";
    DocumentInvalid => "document_invalid", CONFLICT, "The rendered document did not pass its own validation.";
    // Jobs, notes and files.
    JobNotFound => "job_not_found", NOT_FOUND, "No job with this id exists in the organization.";
    NoteNotFound => "note_not_found", NOT_FOUND, "No note with this id exists in the organization.";
    FileNotFound => "file_not_found", NOT_FOUND, "No file with this id exists in the organization.";
    FileTooLarge => "file_too_large", PAYLOAD_TOO_LARGE, "The uploaded file is larger than the per-file limit.";
    StorageQuotaExceeded => "storage_quota_exceeded", CONFLICT, "The organization's storage quota would be exceeded.";
    UnsupportedFileType => "unsupported_file_type", UNSUPPORTED_MEDIA_TYPE, "The file is of no accepted type, or of active content a browser would run.";
    ContentTypeMismatch => "content_type_mismatch", UNSUPPORTED_MEDIA_TYPE, "The file's bytes are not of the type its Content-Type declares.";
    // Privacy.
    ExportNotFound => "export_not_found", NOT_FOUND, "No export with this id exists in the organization.";
    ExportNotReady => "export_not_ready", CONFLICT, "The export is still being built.";
    ExportExpired => "export_expired", GONE, "The export's download has expired.";
    PrivacyRequestNotFound => "privacy_request_not_found", NOT_FOUND, "No privacy request with this id exists.";
    PrivacyRequestClosed => "privacy_request_closed", CONFLICT, "The privacy request is closed.";
    InvalidStatusTransition => "invalid_status_transition", CONFLICT, "The privacy request cannot move from its status to the one asked for.";
    ExtensionLimitReached => "extension_limit_reached", CONFLICT, "The privacy request's deadline was extended as far as the law allows.";
    IdentityAlreadyVerified => "identity_already_verified", CONFLICT, "The requester's identity is verified already.";
    IncidentNotFound => "incident_not_found", NOT_FOUND, "No incident with this id affects the organization.";
    // Billing: plans, subscriptions, online payments and webhooks.
    BillingNotConfigured => "billing_not_configured", CONFLICT, "The deployment charges no one (billing.provider is none) or the provider is not set up.";
    BillingProviderRefused => "billing_provider_refused", UNPROCESSABLE_ENTITY, "The payment provider refused the request.";
    BillingProviderUnavailable => "billing_provider_unavailable", SERVICE_UNAVAILABLE, "The payment provider could not be reached; try again later.";
    NoSubscription => "no_subscription", CONFLICT, "The organization has no subscription with the provider yet.";
    PlanLimitReached => "plan_limit_reached", PAYMENT_REQUIRED, "A write beyond the plan's limit or without its feature; `detail` names the limit and the upgrade route (reads, exports, privacy requests and closure are never blocked).";
    StripeKeyRefused => "stripe_key_refused", UNPROCESSABLE_ENTITY, "Stripe refused the secret key (revoked, restricted or of another account).";
    UnknownPlan => "unknown_plan", UNPROCESSABLE_ENTITY, "No plan with this id is configured.";
    WebhookMalformed => "webhook_malformed", BAD_REQUEST, "A correctly signed webhook whose body cannot be read; nothing was stored.";
    WebhookNotConfigured => "webhook_not_configured", BAD_REQUEST, "No webhook signing secret is configured for this endpoint; nothing was stored.";
    WebhookSignatureInvalid => "webhook_signature_invalid", BAD_REQUEST, "A webhook whose signature is missing, forged or outside the tolerance; nothing was stored.";
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ErrorCode {
    /// The code of an error status that left the handlers without a problem
    /// body (routing, extractors, body limits), with the sentence it gets
    /// when the error itself says nothing the caller may read.
    #[must_use]
    pub fn for_bare_status(status: StatusCode) -> (Self, &'static str) {
        match status {
            StatusCode::BAD_REQUEST => (Self::InvalidRequest, "The request is malformed."),
            StatusCode::UNAUTHORIZED => (
                Self::Unauthenticated,
                "The access token is missing, invalid or expired.",
            ),
            StatusCode::FORBIDDEN => (Self::Forbidden, "This action is not allowed."),
            StatusCode::NOT_FOUND => (Self::NotFound, "There is nothing at this address."),
            StatusCode::METHOD_NOT_ALLOWED => (Self::MethodNotAllowed, "This method is not allowed here."),
            StatusCode::PAYLOAD_TOO_LARGE => (Self::PayloadTooLarge, "The request body is too large."),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (Self::UnsupportedMediaType, "Send the body as application/json."),
            StatusCode::UNPROCESSABLE_ENTITY => (Self::ValidationFailed, "The request could not be processed."),
            StatusCode::TOO_MANY_REQUESTS => (Self::RateLimited, "Too many requests; try again later."),
            s if s.is_server_error() => (Self::InternalError, "Something went wrong on our side."),
            _ => (Self::Error, "The request failed."),
        }
    }
}

#[cfg(test)]
mod tests;

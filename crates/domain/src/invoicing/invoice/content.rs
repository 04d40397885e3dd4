//! Validating and changing an invoice's content.

use chrono::{Days, NaiveDate};

use super::{
    InvoiceContent, InvoiceFields, InvoiceLine, MAX_LINES, MAX_PAYMENT_TERMS_DAYS, NOTES_MAX, Totals, compute_totals,
};
use crate::ClientId;
use crate::kernel::money::{Currency, MoneyError};
use crate::kernel::validation::{ValidationErrors, optional_text};

impl InvoiceContent {
    /// Validates the fields of a new invoice. `client_id` and `currency` are
    /// required (the service fills the currency from the client or tenant).
    ///
    /// # Errors
    /// Every invalid field, with its path.
    pub fn parse(fields: InvoiceFields) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let client_id = fields.client_id;
        if client_id.is_none() {
            errors.add("client_id", "required", "is required");
        }
        let currency = match fields.currency.as_deref() {
            Some(code) => errors.check("currency", Currency::parse(code)),
            None => {
                errors.add("currency", "required", "is required");
                None
            }
        };
        // Without a valid client or currency the remaining fields are still
        // checked (against placeholders) so the caller hears of every problem.
        let complete = client_id.is_some() && currency.is_some();
        let content = Self {
            client_id: client_id.unwrap_or(ClientId::from_uuid(uuid::Uuid::nil())),
            currency: currency.unwrap_or(Currency::EUR),
            issue_date: None,
            due_date: None,
            payment_terms_days: None,
            notes: None,
            lines: Vec::new(),
        };
        let fields = InvoiceFields {
            client_id: None,
            currency: None,
            ..fields
        };
        let content = content.apply(fields, &mut errors);
        if !complete && errors.is_empty() {
            errors.add("client_id", "required", "is required");
        }
        errors.into_result(content)
    }

    /// Applies a partial update to a draft's content.
    ///
    /// # Errors
    /// Every invalid field, with its path.
    pub fn patched(&self, fields: InvoiceFields) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut base = self.clone();
        if let Some(client_id) = fields.client_id {
            base.client_id = client_id;
        }
        if let Some(code) = fields.currency.as_deref()
            && let Some(currency) = errors.check("currency", Currency::parse(code))
        {
            base.currency = currency;
        }
        // A new due date replaces payment terms and vice versa, unless both are sent.
        if matches!(fields.due_date, Some(Some(_))) && fields.payment_terms_days.is_none() {
            base.payment_terms_days = None;
        }
        if matches!(fields.payment_terms_days, Some(Some(_))) && fields.due_date.is_none() {
            base.due_date = None;
        }
        let content = base.apply(fields, &mut errors);
        errors.into_result(content)
    }

    fn apply(mut self, fields: InvoiceFields, errors: &mut ValidationErrors) -> Self {
        if let Some(issue_date) = fields.issue_date {
            self.issue_date = issue_date;
        }
        if let Some(due_date) = fields.due_date {
            self.due_date = due_date;
        }
        if let Some(terms) = fields.payment_terms_days {
            self.payment_terms_days = terms;
        }
        if let Some(notes) = fields.notes {
            self.notes = match notes {
                Some(text) => errors.check("notes", optional_text(&text, NOTES_MAX)).flatten(),
                None => None,
            };
        }
        if let Some(lines) = fields.lines {
            if lines.len() > MAX_LINES {
                errors.add(
                    "lines",
                    "too_many",
                    format!("an invoice may have at most {MAX_LINES} lines"),
                );
            }
            let mut parsed = Vec::with_capacity(lines.len());
            for (index, line) in lines.into_iter().enumerate() {
                match InvoiceLine::parse(line) {
                    Ok(line) => parsed.push(line),
                    Err(line_errors) => errors.extend_prefixed(&format!("lines[{index}]"), line_errors),
                }
            }
            self.lines = parsed;
        }
        if self.due_date.is_some() && self.payment_terms_days.is_some() {
            errors.add(
                "due_date",
                "conflict",
                "give either due_date or payment_terms_days, not both",
            );
        }
        if self
            .payment_terms_days
            .is_some_and(|days| days > MAX_PAYMENT_TERMS_DAYS)
        {
            errors.add(
                "payment_terms_days",
                "out_of_range",
                format!("must be between 0 and {MAX_PAYMENT_TERMS_DAYS}"),
            );
        }
        if let (Some(issue), Some(due)) = (self.issue_date, self.due_date)
            && due < issue
        {
            errors.add("due_date", "before_issue_date", "must not be before the issue date");
        }
        self
    }

    /// The due date when issued on `issue_date`: the given one, else the
    /// issue date plus the payment terms (the organization's default when
    /// the invoice names none).
    #[must_use]
    pub fn due_date_for(&self, issue_date: NaiveDate, default_terms_days: u32) -> NaiveDate {
        self.due_date.unwrap_or_else(|| {
            let terms = self.payment_terms_days.unwrap_or(default_terms_days);
            issue_date
                .checked_add_days(Days::new(u64::from(terms)))
                .unwrap_or(issue_date)
        })
    }

    /// Computes the totals of the lines.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] when an amount overflows.
    pub fn totals(&self) -> Result<Totals, MoneyError> {
        let priced: Vec<_> = self.lines.iter().map(InvoiceLine::priced).collect();
        compute_totals(&priced, self.currency)
    }
}

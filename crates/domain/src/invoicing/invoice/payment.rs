//! Payments recorded against finalized invoices.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{Invoice, InvoiceStatus};
use crate::kernel::money::{Money, MoneyError};
use crate::kernel::validation::{ValidationErrors, optional_text};
use crate::{InvoiceId, PaymentId, TenantId};

/// How the money arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentMethod {
    /// A bank transfer.
    BankTransfer,
    /// A card payment.
    Card,
    /// Cash.
    Cash,
    /// A cheque.
    Cheque,
    /// Anything else.
    Other,
}

impl PaymentMethod {
    /// The stable name used in the API and in storage.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::Card => "card",
            Self::Cash => "cash",
            Self::Cheque => "cheque",
            Self::Other => "other",
        }
    }

    /// Parses the stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "bank_transfer" => Some(Self::BankTransfer),
            "card" => Some(Self::Card),
            "cash" => Some(Self::Cash),
            "cheque" => Some(Self::Cheque),
            "other" => Some(Self::Other),
            _ => None,
        }
    }
}

/// A recorded payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// The payment's id.
    pub id: PaymentId,
    /// The owning tenant.
    pub tenant_id: TenantId,
    /// The invoice paid.
    pub invoice_id: InvoiceId,
    /// How much; positive, in the invoice currency.
    pub amount: Money,
    /// When the money arrived.
    pub paid_on: NaiveDate,
    /// How it arrived.
    pub method: PaymentMethod,
    /// A bank reference or note.
    pub reference: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// Unvalidated payment fields.
#[derive(Clone, Debug, Default)]
pub struct PaymentFields {
    /// The amount as a decimal string.
    pub amount: String,
    /// The date the money arrived.
    pub paid_on: NaiveDate,
    /// The method's stable name.
    pub method: String,
    /// Optional reference.
    pub reference: Option<String>,
}

/// A validated payment, not yet applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentInput {
    /// See [`Payment::amount`].
    pub amount: Money,
    /// See [`Payment::paid_on`].
    pub paid_on: NaiveDate,
    /// See [`Payment::method`].
    pub method: PaymentMethod,
    /// See [`Payment::reference`].
    pub reference: Option<String>,
}

/// Why a payment cannot be applied to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRuleError {
    /// Drafts cannot be paid.
    #[error("the invoice is a draft; finalize it before recording payments")]
    NotFinalized,
    /// Paid or void invoices take no more money.
    #[error("the invoice is {0} and takes no payments")]
    NotPayable(&'static str),
    /// More than the balance due.
    #[error("the payment of {amount} exceeds the balance due of {balance_due}")]
    Overpayment {
        /// The attempted amount.
        amount: Money,
        /// What was still due.
        balance_due: Money,
    },
}

impl PaymentInput {
    /// Validates payment fields for an invoice in `invoice_currency`, as of `today`
    /// (a payment cannot arrive more than a day in the future).
    ///
    /// # Errors
    /// Every invalid field, with its name.
    pub fn parse(
        fields: PaymentFields,
        invoice_currency: crate::kernel::money::Currency,
        today: NaiveDate,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let amount = errors.check("amount", Money::parse(&fields.amount, invoice_currency));
        if amount.is_some_and(|a| !a.is_positive()) {
            errors.add("amount", "out_of_range", "must be above zero");
        }
        let method = PaymentMethod::parse(&fields.method);
        if method.is_none() {
            errors.add(
                "method",
                "invalid_choice",
                "must be one of bank_transfer, card, cash, cheque, other",
            );
        }
        let latest = today.checked_add_days(Days::new(1)).unwrap_or(today);
        if fields.paid_on > latest {
            errors.add("paid_on", "in_future", "must not be in the future");
        }
        let reference = match fields.reference {
            Some(text) => errors.check("reference", optional_text(&text, 200)).flatten(),
            None => None,
        };
        match (amount, method) {
            (Some(amount), Some(method)) if errors.is_empty() => Ok(Self {
                amount,
                paid_on: fields.paid_on,
                method,
                reference,
            }),
            _ => Err(errors),
        }
    }
}

impl Invoice {
    /// Applies a payment: raises `amount_paid` and moves the status to
    /// `partially_paid` or `paid`.
    ///
    /// # Errors
    /// [`PaymentRuleError`] for drafts, settled invoices and overpayments.
    pub fn apply_payment(&mut self, amount: Money, now: DateTime<Utc>) -> Result<(), PaymentRuleError> {
        match self.status {
            InvoiceStatus::Draft => return Err(PaymentRuleError::NotFinalized),
            InvoiceStatus::Paid | InvoiceStatus::Void => {
                return Err(PaymentRuleError::NotPayable(self.status.as_str()));
            }
            InvoiceStatus::Open | InvoiceStatus::PartiallyPaid => {}
        }
        let balance_due = self.balance_due();
        let new_paid = self
            .amount_paid
            .checked_add(amount)
            .map_err(|_: MoneyError| PaymentRuleError::Overpayment { amount, balance_due })?;
        if new_paid.minor() > self.totals().total.minor() {
            return Err(PaymentRuleError::Overpayment { amount, balance_due });
        }
        self.amount_paid = new_paid;
        self.status = if new_paid.minor() == self.totals().total.minor() {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::PartiallyPaid
        };
        self.updated_at = now;
        Ok(())
    }
}

/// Why a refund cannot be applied to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefundRuleError {
    /// Only money received can be refunded.
    #[error("the refund of {amount} exceeds the {paid} received")]
    ExceedsPaid {
        /// The attempted refund.
        amount: Money,
        /// What was received.
        paid: Money,
    },
    /// Another currency than the invoice's.
    #[error("the refund is in another currency than the invoice")]
    Currency,
}

impl Invoice {
    /// Applies a refund of money received: lowers `amount_paid` and moves the
    /// status back to `partially_paid`, or `open` when nothing is left.
    ///
    /// # Errors
    /// [`RefundRuleError`] for a refund above what was received or in
    /// another currency.
    pub fn apply_refund(&mut self, amount: Money, now: DateTime<Utc>) -> Result<(), RefundRuleError> {
        if amount.currency() != self.amount_paid.currency() {
            return Err(RefundRuleError::Currency);
        }
        let paid = self.amount_paid;
        let left = paid.minor().checked_sub(amount.minor()).filter(|left| *left >= 0);
        let Some(left) = left.filter(|_| amount.minor() > 0) else {
            return Err(RefundRuleError::ExceedsPaid { amount, paid });
        };
        self.amount_paid = Money::from_minor(left, paid.currency());
        if matches!(self.status, InvoiceStatus::Paid | InvoiceStatus::PartiallyPaid) {
            self.status = if left == 0 {
                InvoiceStatus::Open
            } else {
                InvoiceStatus::PartiallyPaid
            };
        }
        self.updated_at = now;
        Ok(())
    }
}

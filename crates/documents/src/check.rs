//! Consistency checks of a [`Document`]: the amounts were computed elsewhere
//! (the domain's totals rule), so this only verifies that they agree with
//! each other the way EN 16931 requires (BR-CO-10, BR-CO-13..17, BR-S-08 and
//! its siblings), and that the document is complete enough to render.

use std::collections::{BTreeMap, BTreeSet};

use fakturo_domain::kernel::money::{Money, MoneyError};
use rust_decimal::Decimal;

use crate::model::{Document, DocumentKind, Party, TaxCategory};

/// Why a document is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The document number is empty.
    #[error("the document number is empty")]
    MissingNumber,
    /// A party has no name.
    #[error("the {party} has no name")]
    MissingPartyName {
        /// `seller` or `buyer`.
        party: &'static str,
    },
    /// A country code is not an ISO 3166-1 alpha-2 code.
    #[error("the {party}'s country code {code:?} is not an ISO 3166-1 alpha-2 code")]
    InvalidCountryCode {
        /// `seller` or `buyer`.
        party: &'static str,
        /// The code given.
        code: String,
    },
    /// An invoice or credit note has no lines (BR-16).
    #[error("an invoice or credit note needs at least one line")]
    NoLines,
    /// A unit code is not of the UN/ECE recommendation 20 form.
    #[error("line {line} has the unit code {code:?}, which is not a UN/ECE recommendation 20 code")]
    InvalidUnitCode {
        /// The line's 1-based position.
        line: usize,
        /// The code given.
        code: String,
    },
    /// An amount is in another currency than the document.
    #[error("the {field} is in {found}, the document in {expected}")]
    CurrencyMismatch {
        /// Which amount.
        field: &'static str,
        /// The document currency.
        expected: &'static str,
        /// The amount's currency.
        found: &'static str,
    },
    /// The sum of the line net amounts is not the subtotal (BR-CO-10).
    #[error("the line net amounts add up to {lines}, the subtotal says {subtotal} (BR-CO-10)")]
    SubtotalMismatch {
        /// The sum of the lines.
        lines: String,
        /// The given subtotal.
        subtotal: String,
    },
    /// The VAT breakdown does not add up to the tax total (BR-CO-14).
    #[error("the VAT breakdown adds up to {breakdown}, the tax total says {tax_total} (BR-CO-14)")]
    TaxTotalMismatch {
        /// The sum of the breakdown.
        breakdown: String,
        /// The given tax total.
        tax_total: String,
    },
    /// The total is not subtotal plus tax (BR-CO-13, BR-CO-15).
    #[error("subtotal plus tax is {expected}, the total says {total} (BR-CO-15)")]
    TotalMismatch {
        /// `subtotal + tax_total`.
        expected: String,
        /// The given total.
        total: String,
    },
    /// The amount due is not total minus paid (BR-CO-16).
    #[error("total minus paid is {expected}, the amount due says {amount_due} (BR-CO-16)")]
    AmountDueMismatch {
        /// `total − amount_paid`.
        expected: String,
        /// The given amount due.
        amount_due: String,
    },
    /// The lines of a category and rate do not add up to the breakdown's
    /// taxable amount, or one side has no counterpart (BR-S-08, BR-Z-08, …).
    #[error("the lines of VAT category {category} at {rate} % add up to {lines}, the breakdown says {breakdown}")]
    TaxableAmountMismatch {
        /// The category code.
        category: &'static str,
        /// The rate.
        rate: String,
        /// The lines' sum, `none` without lines.
        lines: String,
        /// The breakdown's taxable amount, `none` without an entry.
        breakdown: String,
    },
    /// The breakdown has two entries for the same category and rate.
    #[error("the VAT breakdown has two entries for category {category} at {rate} %")]
    DuplicateTaxLine {
        /// The category code.
        category: &'static str,
        /// The rate.
        rate: String,
    },
    /// A breakdown's tax is not `round(taxable × rate / 100)` (BR-CO-17).
    #[error("VAT category {category} at {rate} %: tax should be {expected}, the breakdown says {found} (BR-CO-17)")]
    TaxAmountMismatch {
        /// The category code.
        category: &'static str,
        /// The rate.
        rate: String,
        /// The correctly rounded tax.
        expected: String,
        /// The given tax.
        found: String,
    },
    /// A rate does not fit its category: `S` needs a rate above zero, the
    /// others zero (BR-S-05, BR-Z-05, BR-E-05, BR-AE-05, …).
    #[error("VAT category {category} does not allow the rate {rate} %")]
    RateNotAllowed {
        /// The category code.
        category: &'static str,
        /// The rate.
        rate: String,
    },
    /// An exempt or reverse-charge breakdown has no exemption reason
    /// (BR-E-10, BR-AE-10, …).
    #[error("the VAT breakdown for category {category} needs an exemption reason or reason code")]
    MissingExemptionReason {
        /// The category code.
        category: &'static str,
    },
    /// A credit note carries a negative amount; credit notes are written
    /// with positive amounts.
    #[error("a credit note's {field} must not be negative: credit notes carry positive amounts")]
    NegativeCreditNote {
        /// Which amount.
        field: &'static str,
    },
    /// A credit note does not name the invoice it corrects (BT-25).
    #[error("a credit note must name the invoice it corrects (BT-25)")]
    MissingPrecedingInvoice,
    /// A reminder's days overdue disagree with its dates.
    #[error("the reminder says {given} days overdue, its dates say {expected}")]
    DaysOverdueMismatch {
        /// The number given.
        given: u32,
        /// Days from the original due date to the letter's issue date.
        expected: i64,
    },
    /// An amount overflowed while adding up.
    #[error("an amount is too large")]
    Overflow,
}

impl Document {
    /// Checks that the document is complete and its amounts agree.
    ///
    /// # Errors
    /// The first [`DocumentError`] found; every variant names the rule.
    pub fn check(&self) -> Result<(), DocumentError> {
        if self.number.trim().is_empty() {
            return Err(DocumentError::MissingNumber);
        }
        check_party(&self.seller, "seller")?;
        check_party(&self.buyer, "buyer")?;
        self.check_currencies()?;
        self.check_lines()?;
        self.check_breakdown()?;
        self.check_totals()?;
        self.check_kind()
    }

    fn check_currencies(&self) -> Result<(), DocumentError> {
        let expected = self.currency;
        let mut amounts: Vec<(&'static str, Money)> = vec![
            ("subtotal", self.subtotal),
            ("tax total", self.tax_total),
            ("total", self.total),
            ("amount paid", self.amount_paid),
            ("amount due", self.amount_due),
        ];
        amounts.extend(self.lines.iter().map(|line| ("line net amount", line.net_amount)));
        for tax in &self.tax_breakdown {
            amounts.push(("taxable amount", tax.taxable_amount));
            amounts.push(("tax amount", tax.tax_amount));
        }
        match amounts.into_iter().find(|(_, amount)| amount.currency() != expected) {
            Some((field, amount)) => Err(DocumentError::CurrencyMismatch {
                field,
                expected: expected.code(),
                found: amount.currency().code(),
            }),
            None => Ok(()),
        }
    }

    fn check_lines(&self) -> Result<(), DocumentError> {
        if self.lines.is_empty() && !matches!(self.kind, DocumentKind::PaymentReminder(_)) {
            return Err(DocumentError::NoLines);
        }
        for (index, line) in self.lines.iter().enumerate() {
            let code = &line.unit_code;
            let well_formed = (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric());
            if !well_formed {
                return Err(DocumentError::InvalidUnitCode {
                    line: index + 1,
                    code: code.clone(),
                });
            }
        }
        let lines = sum(self.currency, self.lines.iter().map(|line| line.net_amount))?;
        if lines != self.subtotal {
            return Err(DocumentError::SubtotalMismatch {
                lines: lines.to_string(),
                subtotal: self.subtotal.to_string(),
            });
        }
        Ok(())
    }

    fn check_breakdown(&self) -> Result<(), DocumentError> {
        let mut from_lines: BTreeMap<(TaxCategory, Decimal), Money> = BTreeMap::new();
        for line in &self.lines {
            let key = (line.category(), line.tax_rate.normalize());
            let entry = from_lines.entry(key).or_insert(Money::zero(self.currency));
            *entry = entry.checked_add(line.net_amount).map_err(overflow)?;
        }
        let mut from_breakdown: BTreeMap<(TaxCategory, Decimal), Money> = BTreeMap::new();
        for tax in &self.tax_breakdown {
            let rate = tax.rate.normalize();
            let rate_ok = if tax.category.requires_zero_rate() {
                rate.is_zero()
            } else {
                rate > Decimal::ZERO
            };
            if !rate_ok {
                return Err(DocumentError::RateNotAllowed {
                    category: tax.category.code(),
                    rate: rate.to_string(),
                });
            }
            let has_reason = [&tax.exemption_reason, &tax.exemption_reason_code]
                .into_iter()
                .flatten()
                .any(|reason| !reason.trim().is_empty());
            if tax.category.needs_exemption_reason() && !has_reason {
                return Err(DocumentError::MissingExemptionReason {
                    category: tax.category.code(),
                });
            }
            let expected = Money::round(
                tax.taxable_amount.to_decimal() * rate / Decimal::ONE_HUNDRED,
                self.currency,
            )
            .map_err(overflow)?;
            if expected != tax.tax_amount {
                return Err(DocumentError::TaxAmountMismatch {
                    category: tax.category.code(),
                    rate: rate.to_string(),
                    expected: expected.to_string(),
                    found: tax.tax_amount.to_string(),
                });
            }
            if from_breakdown
                .insert((tax.category, rate), tax.taxable_amount)
                .is_some()
            {
                return Err(DocumentError::DuplicateTaxLine {
                    category: tax.category.code(),
                    rate: rate.to_string(),
                });
            }
        }
        let keys: BTreeSet<_> = from_lines.keys().chain(from_breakdown.keys()).collect();
        for key in keys {
            let lines = from_lines.get(key);
            let breakdown = from_breakdown.get(key);
            if lines != breakdown {
                let show = |amount: Option<&Money>| amount.map_or_else(|| "none".to_owned(), Money::to_string);
                return Err(DocumentError::TaxableAmountMismatch {
                    category: key.0.code(),
                    rate: key.1.to_string(),
                    lines: show(lines),
                    breakdown: show(breakdown),
                });
            }
        }
        Ok(())
    }

    fn check_totals(&self) -> Result<(), DocumentError> {
        let breakdown = sum(self.currency, self.tax_breakdown.iter().map(|tax| tax.tax_amount))?;
        if breakdown != self.tax_total {
            return Err(DocumentError::TaxTotalMismatch {
                breakdown: breakdown.to_string(),
                tax_total: self.tax_total.to_string(),
            });
        }
        let expected = self.subtotal.checked_add(self.tax_total).map_err(overflow)?;
        if expected != self.total {
            return Err(DocumentError::TotalMismatch {
                expected: expected.to_string(),
                total: self.total.to_string(),
            });
        }
        let expected = self.total.checked_sub(self.amount_paid).map_err(overflow)?;
        if expected != self.amount_due {
            return Err(DocumentError::AmountDueMismatch {
                expected: expected.to_string(),
                amount_due: self.amount_due.to_string(),
            });
        }
        Ok(())
    }

    fn check_kind(&self) -> Result<(), DocumentError> {
        match &self.kind {
            DocumentKind::Invoice => Ok(()),
            DocumentKind::CreditNote => {
                let amounts = [
                    ("subtotal", self.subtotal),
                    ("tax total", self.tax_total),
                    ("total", self.total),
                    ("amount due", self.amount_due),
                ];
                if let Some((field, _)) = amounts.iter().find(|(_, amount)| amount.is_negative()) {
                    return Err(DocumentError::NegativeCreditNote { field });
                }
                if self
                    .preceding_invoice
                    .as_ref()
                    .is_none_or(|p| p.number.trim().is_empty())
                {
                    return Err(DocumentError::MissingPrecedingInvoice);
                }
                Ok(())
            }
            DocumentKind::PaymentReminder(reminder) => {
                let expected = (self.issue_date - reminder.original_due_date).num_days();
                if i64::from(reminder.days_overdue) != expected {
                    return Err(DocumentError::DaysOverdueMismatch {
                        given: reminder.days_overdue,
                        expected,
                    });
                }
                Ok(())
            }
        }
    }
}

fn check_party(party: &Party, role: &'static str) -> Result<(), DocumentError> {
    if party.name.trim().is_empty() {
        return Err(DocumentError::MissingPartyName { party: role });
    }
    let code = &party.country_code;
    let upper = code.bytes().all(|b| b.is_ascii_uppercase());
    if !upper || isocountry::CountryCode::for_alpha2(code).is_err() {
        return Err(DocumentError::InvalidCountryCode {
            party: role,
            code: party.country_code.clone(),
        });
    }
    Ok(())
}

fn sum(
    currency: fakturo_domain::kernel::money::Currency,
    mut amounts: impl Iterator<Item = Money>,
) -> Result<Money, DocumentError> {
    amounts.try_fold(Money::zero(currency), |acc, amount| {
        acc.checked_add(amount).map_err(overflow)
    })
}

fn overflow(_: MoneyError) -> DocumentError {
    DocumentError::Overflow
}

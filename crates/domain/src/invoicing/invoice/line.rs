//! Invoice lines and their validation.

use rust_decimal::Decimal;
use uuid::Uuid;

use super::totals::PricedLine;
use crate::kernel::money::parse_decimal;
use crate::kernel::validation::{ValidationErrors, required_text};

/// One validated line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    /// What is invoiced.
    pub description: String,
    /// How many units; positive.
    pub quantity: Decimal,
    /// Price per unit; may be negative for a deduction.
    pub unit_price: Decimal,
    /// Tax rate in percent, 0 to 100.
    pub tax_rate: Decimal,
    /// Discount in percent, 0 to 100.
    pub discount_percent: Decimal,
    /// The catalogue product the line came from, if any.
    pub product_id: Option<Uuid>,
}

/// Unvalidated line fields, decimals as strings.
#[derive(Clone, Debug, Default)]
pub struct LineFields {
    /// See [`InvoiceLine::description`].
    pub description: String,
    /// See [`InvoiceLine::quantity`].
    pub quantity: String,
    /// See [`InvoiceLine::unit_price`].
    pub unit_price: String,
    /// See [`InvoiceLine::tax_rate`].
    pub tax_rate: String,
    /// See [`InvoiceLine::discount_percent`]; `None` is no discount.
    pub discount_percent: Option<String>,
    /// See [`InvoiceLine::product_id`].
    pub product_id: Option<Uuid>,
}

const DESCRIPTION_MAX: usize = 1000;
const MAX_SCALE: u32 = 6;
const PERCENT_SCALE: u32 = 4;

impl InvoiceLine {
    /// Validates one line.
    ///
    /// # Errors
    /// Every invalid field, with its name.
    pub fn parse(fields: LineFields) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let description = errors.check("description", required_text(&fields.description, DESCRIPTION_MAX));
        let quantity = bounded(
            &mut errors,
            "quantity",
            &fields.quantity,
            Bound::Positive(1_000_000_000),
            MAX_SCALE,
        );
        let unit_price = bounded(
            &mut errors,
            "unit_price",
            &fields.unit_price,
            Bound::Symmetric(1_000_000_000_000),
            MAX_SCALE,
        );
        let tax_rate = bounded(&mut errors, "tax_rate", &fields.tax_rate, Bound::Percent, PERCENT_SCALE);
        let discount_percent = match fields.discount_percent.as_deref() {
            None => Some(Decimal::ZERO),
            Some(text) => bounded(&mut errors, "discount_percent", text, Bound::Percent, PERCENT_SCALE),
        };
        match (description, quantity, unit_price, tax_rate, discount_percent) {
            (Some(description), Some(quantity), Some(unit_price), Some(tax_rate), Some(discount_percent))
                if errors.is_empty() =>
            {
                Ok(Self {
                    description,
                    quantity,
                    unit_price,
                    tax_rate,
                    discount_percent,
                    product_id: fields.product_id,
                })
            }
            _ => Err(errors),
        }
    }

    /// The numbers the totals rule needs.
    #[must_use]
    pub fn priced(&self) -> PricedLine {
        PricedLine {
            quantity: self.quantity,
            unit_price: self.unit_price,
            tax_rate: self.tax_rate,
            discount_percent: self.discount_percent,
        }
    }
}

enum Bound {
    /// Above zero, at most this.
    Positive(i64),
    /// Absolute value at most this.
    Symmetric(i64),
    /// From 0 to 100.
    Percent,
}

fn bounded(errors: &mut ValidationErrors, field: &str, text: &str, bound: Bound, max_scale: u32) -> Option<Decimal> {
    let raw = errors.check(field, parse_decimal(text))?;
    // Keep the caller's notation ("80.00") unless only trailing zeros exceed the scale.
    let value = if raw.scale() > max_scale { raw.normalize() } else { raw };
    if value.scale() > max_scale {
        errors.add(
            field,
            "too_many_decimals",
            format!("may have at most {max_scale} decimal places"),
        );
        return None;
    }
    let (ok, message) = match bound {
        Bound::Positive(max) => (
            value > Decimal::ZERO && value <= Decimal::from(max),
            format!("must be above 0 and at most {max}"),
        ),
        Bound::Symmetric(max) => (
            value.abs() <= Decimal::from(max),
            format!("must be between -{max} and {max}"),
        ),
        Bound::Percent => (
            value >= Decimal::ZERO && value <= Decimal::ONE_HUNDRED,
            "must be a percentage from 0 to 100".to_owned(),
        ),
    };
    if ok {
        Some(value)
    } else {
        errors.add(field, "out_of_range", message);
        None
    }
}

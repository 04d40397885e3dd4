//! The totals rule (EN 16931): each line's net amount is rounded to the
//! currency's minor unit; tax is computed once per tax rate on the sum of the
//! rounded net amounts of that rate and rounded; the total is the sum of the
//! rounded parts. Rounding is half away from zero.

use rust_decimal::Decimal;

use crate::kernel::money::{Currency, Money, MoneyError};

/// The priced content of one line, already validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    /// How many units.
    pub quantity: Decimal,
    /// Price per unit, before discount and tax.
    pub unit_price: Decimal,
    /// Tax rate in percent (`19` is 19 %).
    pub tax_rate: Decimal,
    /// Discount in percent of the line (`10` is 10 %).
    pub discount_percent: Decimal,
}

/// One line's amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineAmounts {
    /// `round(quantity × unit_price × (1 − discount/100))`.
    pub net: Money,
    /// The line's share of tax, `round(net × rate/100)`; informative only:
    /// the invoice's tax is computed per rate group.
    pub tax: Money,
}

/// The tax of one rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaxGroup {
    /// The rate in percent, normalized (`19`, `7.5`).
    pub rate: Decimal,
    /// The sum of the rounded net amounts of the lines with this rate.
    pub taxable: Money,
    /// `round(taxable × rate/100)`.
    pub tax: Money,
}

/// The computed totals of an invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Per line, in line order.
    pub lines: Vec<LineAmounts>,
    /// Per tax rate, highest rate first.
    pub tax_breakdown: Vec<TaxGroup>,
    /// The sum of the line net amounts.
    pub subtotal: Money,
    /// The sum of the per-rate tax amounts.
    pub tax_total: Money,
    /// `subtotal + tax_total`.
    pub total: Money,
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Computes the totals of `lines` in `currency`.
///
/// # Errors
/// [`MoneyError::TooLarge`] when an amount does not fit 64-bit minor units.
pub fn compute_totals(lines: &[PricedLine], currency: Currency) -> Result<Totals, MoneyError> {
    let mut line_amounts = Vec::with_capacity(lines.len());
    let mut groups: Vec<(Decimal, Money)> = Vec::new();
    let mut subtotal = Money::zero(currency);
    for line in lines {
        let factor = (HUNDRED - line.discount_percent)
            .checked_div(HUNDRED)
            .ok_or(MoneyError::TooLarge)?;
        let gross = line
            .quantity
            .checked_mul(line.unit_price)
            .and_then(|v| v.checked_mul(factor))
            .ok_or(MoneyError::TooLarge)?;
        let net = Money::round(gross, currency)?;
        let tax = Money::round(tax_on(net, line.tax_rate)?, currency)?;
        line_amounts.push(LineAmounts { net, tax });
        subtotal = subtotal.checked_add(net)?;
        let rate = line.tax_rate.normalize();
        match groups.iter_mut().find(|(r, _)| *r == rate) {
            Some((_, taxable)) => *taxable = taxable.checked_add(net)?,
            None => groups.push((rate, net)),
        }
    }
    groups.sort_by_key(|group| std::cmp::Reverse(group.0));
    let mut tax_total = Money::zero(currency);
    let mut tax_breakdown = Vec::with_capacity(groups.len());
    for (rate, taxable) in groups {
        let tax = Money::round(tax_on(taxable, rate)?, currency)?;
        tax_total = tax_total.checked_add(tax)?;
        tax_breakdown.push(TaxGroup { rate, taxable, tax });
    }
    let total = subtotal.checked_add(tax_total)?;
    Ok(Totals {
        lines: line_amounts,
        tax_breakdown,
        subtotal,
        tax_total,
        total,
    })
}

fn tax_on(net: Money, rate: Decimal) -> Result<Decimal, MoneyError> {
    net.to_decimal()
        .checked_mul(rate)
        .and_then(|v| v.checked_div(HUNDRED))
        .ok_or(MoneyError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::money::parse_decimal;
    use proptest::prelude::*;

    fn line(quantity: &str, unit_price: &str, tax_rate: &str, discount: &str) -> PricedLine {
        PricedLine {
            quantity: parse_decimal(quantity).unwrap(),
            unit_price: parse_decimal(unit_price).unwrap(),
            tax_rate: parse_decimal(tax_rate).unwrap(),
            discount_percent: parse_decimal(discount).unwrap(),
        }
    }

    #[test]
    fn the_worked_example_of_the_api_outline() {
        let eur = Currency::parse("EUR").unwrap();
        let totals = compute_totals(
            &[
                line("3", "19.99", "19", "0"),
                line("1.5", "80.00", "7", "0"),
                line("2", "0.333", "19", "0"),
            ],
            eur,
        )
        .unwrap();
        let nets: Vec<String> = totals.lines.iter().map(|l| l.net.to_string()).collect();
        assert_eq!(nets, ["59.97", "120.00", "0.67"]);
        let groups: Vec<(String, String, String)> = totals
            .tax_breakdown
            .iter()
            .map(|g| (g.rate.to_string(), g.taxable.to_string(), g.tax.to_string()))
            .collect();
        assert_eq!(
            groups,
            [
                ("19".into(), "60.64".into(), "11.52".into()),
                ("7".into(), "120.00".into(), "8.40".into())
            ]
        );
        assert_eq!(totals.subtotal.to_string(), "180.64");
        assert_eq!(totals.tax_total.to_string(), "19.92");
        assert_eq!(totals.total.to_string(), "200.56");
    }

    #[test]
    fn discounts_and_zero_decimal_currencies() {
        let jpy = Currency::parse("JPY").unwrap();
        let totals = compute_totals(&[line("3", "333", "10", "12.5")], jpy).unwrap();
        // 999 × 0.875 = 874.125 → 874; tax 87.4 → 87.
        assert_eq!(totals.subtotal.to_string(), "874");
        assert_eq!(totals.tax_total.to_string(), "87");
        assert_eq!(totals.total.to_string(), "961");
    }

    #[test]
    fn rates_written_differently_share_a_group() {
        let eur = Currency::parse("EUR").unwrap();
        let totals = compute_totals(&[line("1", "10", "19", "0"), line("1", "10", "19.00", "0")], eur).unwrap();
        assert_eq!(totals.tax_breakdown.len(), 1);
        assert_eq!(totals.tax_total.to_string(), "3.80");
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let eur = Currency::parse("EUR").unwrap();
        let huge = line("1000000000", "1000000000000", "0", "0");
        assert_eq!(compute_totals(&[huge], eur), Err(MoneyError::TooLarge));
    }

    fn decimal(max_units: i64, scale: u32) -> impl Strategy<Value = Decimal> {
        (0..=max_units).prop_map(move |units| Decimal::new(units, scale))
    }

    fn priced_line() -> impl Strategy<Value = PricedLine> {
        (
            decimal(100_000, 3).prop_filter("positive", |q| !q.is_zero()),
            decimal(10_000_000, 4),
            prop_oneof![Just("0"), Just("5.5"), Just("7"), Just("19"), Just("20"), Just("21")],
            decimal(10_000, 2),
        )
            .prop_map(|(quantity, unit_price, rate, discount)| PricedLine {
                quantity,
                unit_price,
                tax_rate: parse_decimal(rate).unwrap(),
                discount_percent: discount,
            })
    }

    proptest! {
        #[test]
        fn totals_are_the_sums_of_their_rounded_parts(
            lines in prop::collection::vec(priced_line(), 0..20),
            code in prop_oneof![Just("EUR"), Just("JPY"), Just("BHD"), Just("USD")],
        ) {
            let currency = Currency::parse(code).unwrap();
            let totals = compute_totals(&lines, currency).unwrap();
            let scale = currency.minor_units();
            let net_sum: i64 = totals.lines.iter().map(|l| l.net.minor()).sum();
            let group_taxable: i64 = totals.tax_breakdown.iter().map(|g| g.taxable.minor()).sum();
            let group_tax: i64 = totals.tax_breakdown.iter().map(|g| g.tax.minor()).sum();
            prop_assert_eq!(totals.subtotal.minor(), net_sum);
            prop_assert_eq!(group_taxable, net_sum);
            prop_assert_eq!(totals.tax_total.minor(), group_tax);
            prop_assert_eq!(totals.total.minor(), net_sum + group_tax);
            for amount in totals.lines.iter().flat_map(|l| [l.net, l.tax])
                .chain(totals.tax_breakdown.iter().flat_map(|g| [g.taxable, g.tax]))
                .chain([totals.subtotal, totals.tax_total, totals.total])
            {
                prop_assert!(amount.to_decimal().scale() <= scale);
                prop_assert_eq!(amount.currency(), currency);
            }
            for (line, amounts) in lines.iter().zip(&totals.lines) {
                let exact = line.quantity * line.unit_price * (Decimal::ONE_HUNDRED - line.discount_percent) / Decimal::ONE_HUNDRED;
                let difference = (exact - amounts.net.to_decimal()).abs();
                prop_assert!(difference <= Decimal::new(5, scale + 1), "rounding off by more than half a minor unit");
            }
        }
    }
}

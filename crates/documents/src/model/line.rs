//! Document lines and the VAT breakdown.

use fakturo_domain::kernel::money::Money;
use rust_decimal::Decimal;

/// A VAT category code from UNCL5305, as EN 16931 uses it (BT-118, BT-151).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxCategory {
    /// `S`: standard rate (any rate above zero).
    Standard,
    /// `Z`: zero rated goods.
    ZeroRated,
    /// `E`: exempt from VAT; needs an exemption reason.
    Exempt,
    /// `AE`: VAT reverse charge; needs an exemption reason and both VAT ids.
    ReverseCharge,
    /// `K`: intra-community supply, VAT exempt for EEA.
    IntraCommunity,
    /// `G`: export outside the EU, free export item.
    Export,
    /// `O`: services outside the scope of VAT.
    OutsideScope,
}

impl TaxCategory {
    /// The UNCL5305 code (`S`, `Z`, `E`, `AE`, `K`, `G`, `O`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Standard => "S",
            Self::ZeroRated => "Z",
            Self::Exempt => "E",
            Self::ReverseCharge => "AE",
            Self::IntraCommunity => "K",
            Self::Export => "G",
            Self::OutsideScope => "O",
        }
    }

    /// The category implied by a rate when none is given: `S` above zero,
    /// `Z` at zero.
    #[must_use]
    pub fn for_rate(rate: Decimal) -> Self {
        if rate > Decimal::ZERO {
            Self::Standard
        } else {
            Self::ZeroRated
        }
    }

    /// True for the categories whose breakdown must state an exemption
    /// reason (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
    #[must_use]
    pub fn needs_exemption_reason(self) -> bool {
        matches!(
            self,
            Self::Exempt | Self::ReverseCharge | Self::IntraCommunity | Self::Export | Self::OutsideScope
        )
    }

    /// True for the categories whose rate must be zero (all but `S`).
    #[must_use]
    pub fn requires_zero_rate(self) -> bool {
        self != Self::Standard
    }
}

/// One line of a document. All amounts are computed by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLine {
    /// What was sold (BT-153).
    pub description: String,
    /// How many units (BT-129), with its scale as given (`1.5`).
    pub quantity: Decimal,
    /// The unit of measure, UN/ECE recommendation 20 (BT-130); `C62` ("one")
    /// by default.
    pub unit_code: String,
    /// The price of one unit before discount and tax (BT-146), as given.
    pub unit_price: Decimal,
    /// The line discount in percent (`10` is 10 %); zero for none.
    pub discount_percent: Decimal,
    /// `round(quantity × unit_price × (1 − discount/100))` (BT-131).
    pub net_amount: Money,
    /// The VAT rate in percent (BT-152).
    pub tax_rate: Decimal,
    /// The VAT category (BT-151); `None` derives it from the rate (see
    /// [`TaxCategory::for_rate`]).
    pub tax_category: Option<TaxCategory>,
}

impl DocumentLine {
    /// A line without discount, in unit `C62`, with the category derived from
    /// the rate.
    #[must_use]
    pub fn new(
        description: impl Into<String>,
        quantity: Decimal,
        unit_price: Decimal,
        tax_rate: Decimal,
        net_amount: Money,
    ) -> Self {
        Self {
            description: description.into(),
            quantity,
            unit_code: "C62".to_owned(),
            unit_price,
            discount_percent: Decimal::ZERO,
            net_amount,
            tax_rate,
            tax_category: None,
        }
    }

    /// The VAT category: the override, else derived from the rate.
    #[must_use]
    pub fn category(&self) -> TaxCategory {
        self.tax_category
            .unwrap_or_else(|| TaxCategory::for_rate(self.tax_rate))
    }

    /// True when the line has a discount.
    #[must_use]
    pub fn has_discount(&self) -> bool {
        !self.discount_percent.is_zero()
    }
}

/// One entry of the VAT breakdown (BG-23): the lines of one category and rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxLine {
    /// The VAT category (BT-118).
    pub category: TaxCategory,
    /// The rate in percent (BT-119).
    pub rate: Decimal,
    /// The sum of the net amounts of the lines of this category and rate
    /// (BT-116).
    pub taxable_amount: Money,
    /// `round(taxable × rate / 100)` (BT-117).
    pub tax_amount: Money,
    /// Why no VAT is charged (BT-120), for the categories that need it.
    pub exemption_reason: Option<String>,
    /// The VATEX code of the exemption (BT-121), such as `VATEX-EU-AE`.
    pub exemption_reason_code: Option<String>,
}

impl TaxLine {
    /// A breakdown entry without exemption reason.
    #[must_use]
    pub fn new(category: TaxCategory, rate: Decimal, taxable_amount: Money, tax_amount: Money) -> Self {
        Self {
            category,
            rate,
            taxable_amount,
            tax_amount,
            exemption_reason: None,
            exemption_reason_code: None,
        }
    }
}

//! The seller and the buyer of a document.

/// An electronic address (BT-34 for the seller, BT-49 for the buyer): an
/// identifier and its scheme from the EAS code list (`EM` for an email
/// address, `0088` for a GLN, `9930` for a German VAT number, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectronicAddress {
    /// The EAS scheme code, such as `EM` or `0088`.
    pub scheme: String,
    /// The identifier within the scheme.
    pub identifier: String,
}

/// A party of a document: the seller or the buyer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    /// The legal name (BT-27, BT-44).
    pub name: String,
    /// Street address lines, at most three are used in the e-invoices
    /// (BT-35..BT-37, BT-50..BT-52); empty lines are skipped.
    pub address_lines: Vec<String>,
    /// The postcode (BT-38, BT-53).
    pub postcode: String,
    /// The city (BT-37, BT-52).
    pub city: String,
    /// The ISO 3166-1 alpha-2 country code, upper case (BT-40, BT-55).
    pub country_code: String,
    /// The VAT identifier with its country prefix (BT-31, BT-48).
    pub vat_id: Option<String>,
    /// A legal registration identifier, such as a trade register number
    /// (BT-30, BT-47).
    pub registration_id: Option<String>,
    /// A contact email address; printed, and the fallback electronic address.
    pub email: Option<String>,
    /// The electronic address for e-invoice delivery; when absent the email
    /// address is used with scheme `EM`.
    pub electronic_address: Option<ElectronicAddress>,
}

impl Party {
    /// The electronic address to put in an e-invoice: the given one, else the
    /// email address with scheme `EM`, else none.
    #[must_use]
    pub fn effective_electronic_address(&self) -> Option<ElectronicAddress> {
        if let Some(address) = &self.electronic_address {
            return Some(address.clone());
        }
        self.email
            .as_ref()
            .filter(|email| !email.trim().is_empty())
            .map(|email| ElectronicAddress {
                scheme: "EM".to_owned(),
                identifier: email.clone(),
            })
    }

    /// The non-empty address lines, trimmed.
    pub fn street_lines(&self) -> impl Iterator<Item = &str> {
        self.address_lines
            .iter()
            .map(|line| line.trim())
            .filter(|line| !line.is_empty())
    }
}

//! Decimal numbers on the wire: always JSON strings (`"19.99"`), never JSON
//! numbers, which clients and parsers turn into binary floating point. A
//! JSON number where a decimal is expected is refused with 400.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use serde_json::Value;

/// A decimal number written as a JSON string; its value is checked by the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecimalString(pub String);

impl Type for DecimalString {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string(decimal)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            format: Some("decimal"),
            pattern: Some(r"^-?[0-9]+(\.[0-9]+)?$".into()),
            example: Some(Value::String("19.99".into())),
            ..MetaSchema::new("string")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for DecimalString {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(text)) => Ok(Self(text)),
            Some(Value::Number(_)) => Err(ParseError::custom(
                "decimals must be sent as strings, such as \"19.99\", never as JSON numbers",
            )),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for DecimalString {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

impl From<String> for DecimalString {
    fn from(text: String) -> Self {
        Self(text)
    }
}

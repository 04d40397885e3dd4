//! Validation errors collected field by field, so a client learns every
//! problem with its request at once rather than one per round trip.

use std::fmt;

/// One invalid field: where it is, a stable machine-readable code, and a
/// sentence for people. Messages never echo the submitted value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path in the request, such as `lines[2].quantity`.
    pub field: String,
    /// A stable code such as `required`, `invalid_decimal`, `too_long`.
    pub code: &'static str,
    /// A human-readable explanation.
    pub message: String,
}

/// Every invalid field of one request. Never empty when returned as an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// An empty collection to add errors to.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A collection holding a single error.
    #[must_use]
    pub fn single(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, code, message);
        errors
    }

    /// Records one invalid field.
    pub fn add(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            code,
            message: message.into(),
        });
    }

    /// Runs a parser and records its error under `field`; returns the value on success.
    pub fn check<T, E: fmt::Display + HasCode>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.code(), error.to_string());
                None
            }
        }
    }

    /// Adds every error of `other`, prefixing its fields with `prefix`.
    pub fn extend_prefixed(&mut self, prefix: &str, other: ValidationErrors) {
        for mut error in other.errors {
            error.field = format!("{prefix}.{}", error.field);
            self.errors.push(error);
        }
    }

    /// True when nothing was recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The recorded errors, in the order they were found.
    #[must_use]
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// `Ok(value)` when nothing was recorded, else `Err(self)`.
    ///
    /// # Errors
    /// Returns `self` when at least one error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for error in &self.errors {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{}: {}", error.field, error.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// A parse error that carries a stable code for [`FieldError::code`].
pub trait HasCode {
    /// The stable machine-readable code of this error.
    fn code(&self) -> &'static str;
}

/// Trims `value` and checks it is non-empty and at most `max` characters.
///
/// # Errors
/// [`TextError::Required`] when blank, [`TextError::TooLong`] when longer than `max`.
pub fn required_text(value: &str, max: usize) -> Result<String, TextError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(TextError::Required);
    }
    optional_text(trimmed, max).map(|text| text.unwrap_or_default())
}

/// Trims `value`; blank becomes `None`; longer than `max` characters is an error.
///
/// # Errors
/// [`TextError::TooLong`] when longer than `max` characters.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, TextError> {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(TextError::ControlCharacters);
    }
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// Why a text field was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The field is blank.
    #[error("is required")]
    Required,
    /// The field is longer than allowed.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The maximum number of characters.
        max: usize,
    },
    /// The field contains control characters.
    #[error("must not contain control characters")]
    ControlCharacters,
}

impl HasCode for TextError {
    fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::ControlCharacters => "invalid_characters",
        }
    }
}

//! Invoice number patterns. A pattern such as `INV-{YYYY}-{SEQ:4}` names a
//! *series* per period (`INV-2026-#`): numbers in a series are gap-free and
//! follow the order of finalization. The counter itself lives in storage and
//! is advanced inside the finalizing transaction (see `docs/numbering.md`).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::kernel::validation::HasCode;

/// The default pattern: `INV-2026-0001`.
pub const DEFAULT_INVOICE_PATTERN: &str = "INV-{YYYY}-{SEQ:4}";

/// A validated numbering pattern.
#[derive(Clone, PartialEq, Eq)]
pub struct NumberPattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year4,
    Year2,
    Month,
    Sequence { width: usize },
}

/// Why a numbering pattern was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// The pattern is empty or longer than 40 characters.
    #[error("must be 1 to 40 characters")]
    Length,
    /// The pattern has no `{SEQ}` or more than one.
    #[error("must contain exactly one {{SEQ}} or {{SEQ:n}} placeholder")]
    Sequence,
    /// An unknown `{…}` placeholder or an unbalanced brace.
    #[error("may only use the placeholders {{YYYY}}, {{YY}}, {{MM}}, {{SEQ}} and {{SEQ:n}} (n from 1 to 10)")]
    Placeholder,
    /// A literal character outside letters, digits and `-_/.`.
    #[error("may only contain letters, digits and - _ / . outside placeholders")]
    Character,
}

impl HasCode for PatternError {
    fn code(&self) -> &'static str {
        "invalid_number_pattern"
    }
}

impl NumberPattern {
    /// Parses a pattern.
    ///
    /// # Errors
    /// A [`PatternError`] saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        if text.is_empty() || text.chars().count() > 40 {
            return Err(PatternError::Length);
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after_brace) = rest.strip_prefix('{') {
                let (token, tail) = after_brace.split_once('}').ok_or(PatternError::Placeholder)?;
                parts.push(match token {
                    "YYYY" => Part::Year4,
                    "YY" => Part::Year2,
                    "MM" => Part::Month,
                    "SEQ" => Part::Sequence { width: 1 },
                    _ => {
                        let width = token
                            .strip_prefix("SEQ:")
                            .and_then(|w| w.parse::<usize>().ok())
                            .filter(|w| (1..=10).contains(w))
                            .ok_or(PatternError::Placeholder)?;
                        Part::Sequence { width }
                    }
                });
                rest = tail;
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if literal.contains('}') {
                    return Err(PatternError::Placeholder);
                }
                if !literal.chars().all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c)) {
                    return Err(PatternError::Character);
                }
                parts.push(Part::Literal(literal.to_owned()));
                rest = &rest[end..];
            }
        }
        let sequences = parts.iter().filter(|p| matches!(p, Part::Sequence { .. })).count();
        if sequences != 1 {
            return Err(PatternError::Sequence);
        }
        Ok(Self {
            text: text.to_owned(),
            parts,
        })
    }

    /// The default `INV-{YYYY}-{SEQ:4}`.
    #[must_use]
    pub fn default_invoice() -> Self {
        Self {
            text: DEFAULT_INVOICE_PATTERN.to_owned(),
            parts: vec![
                Part::Literal("INV-".into()),
                Part::Year4,
                Part::Literal("-".into()),
                Part::Sequence { width: 4 },
            ],
        }
    }

    /// The pattern as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The series a document dated `date` belongs to: the pattern with its
    /// date placeholders filled and the sequence shown as `#`. Changing only
    /// the sequence width keeps the series (and its counter).
    #[must_use]
    pub fn series_key(&self, date: NaiveDate) -> String {
        self.render_with(date, |_| "#".to_owned())
    }

    /// The number of the `sequence`-th document of the series of `date`.
    #[must_use]
    pub fn render(&self, date: NaiveDate, sequence: u64) -> String {
        self.render_with(date, |width| format!("{sequence:0width$}"))
    }

    fn render_with(&self, date: NaiveDate, sequence: impl Fn(usize) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => text.clone(),
                Part::Year4 => format!("{:04}", date.year()),
                Part::Year2 => format!("{:02}", date.year().rem_euclid(100)),
                Part::Month => format!("{:02}", date.month()),
                Part::Sequence { width } => sequence(*width),
            })
            .collect()
    }
}

impl fmt::Debug for NumberPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NumberPattern({:?})", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_pattern_renders_the_documented_numbers() {
        let pattern = NumberPattern::default_invoice();
        assert_eq!(pattern, NumberPattern::parse(DEFAULT_INVOICE_PATTERN).unwrap());
        assert_eq!(pattern.render(date(2026, 3, 9), 1), "INV-2026-0001");
        assert_eq!(pattern.render(date(2026, 3, 9), 12345), "INV-2026-12345");
        assert_eq!(pattern.series_key(date(2026, 3, 9)), "INV-2026-#");
        assert_ne!(
            pattern.series_key(date(2027, 1, 1)),
            pattern.series_key(date(2026, 12, 31))
        );
    }

    #[test]
    fn other_placeholders_render() {
        let pattern = NumberPattern::parse("R{YY}/{MM}/{SEQ}").unwrap();
        assert_eq!(pattern.render(date(2031, 7, 1), 42), "R31/07/42");
        assert_eq!(pattern.series_key(date(2031, 7, 1)), "R31/07/#");
    }

    #[test]
    fn malformed_patterns_are_refused() {
        assert_eq!(NumberPattern::parse("INV-{YYYY}"), Err(PatternError::Sequence));
        assert_eq!(NumberPattern::parse("{SEQ}{SEQ}"), Err(PatternError::Sequence));
        assert_eq!(NumberPattern::parse("{SEQ:0}"), Err(PatternError::Placeholder));
        assert_eq!(NumberPattern::parse("{DAY}{SEQ}"), Err(PatternError::Placeholder));
        assert_eq!(NumberPattern::parse("{SEQ"), Err(PatternError::Placeholder));
        assert_eq!(NumberPattern::parse("IN V{SEQ}"), Err(PatternError::Character));
        assert_eq!(NumberPattern::parse(""), Err(PatternError::Length));
    }
}

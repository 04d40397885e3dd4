//! Typst values written as typst code: the data the template lays out is
//! passed as one `#let data = (...)` literal. User text only ever becomes a
//! typst *string literal* (escaped here), and the template places strings as
//! text, never as markup, so `#`, `*`, `$`, `[`, `]`, `<` and `\` in a
//! description print as themselves and cannot run typst code.

use std::fmt::Write as _;

/// A typst value: the subset the template needs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// `none`.
    None,
    /// `true` / `false`.
    Bool(bool),
    /// A string literal.
    Str(String),
    /// An array `(a, b,)`.
    Array(Vec<Value>),
    /// A dictionary `(key: value, ...)`; keys are fixed identifiers.
    Dict(Vec<(&'static str, Value)>),
}

impl Value {
    /// A string value.
    pub(crate) fn str(text: impl Into<String>) -> Self {
        Self::Str(text.into())
    }

    /// A string, or `none` when absent or blank.
    pub(crate) fn opt_str(text: Option<impl Into<String>>) -> Self {
        match text.map(Into::into) {
            Some(text) if !text.trim().is_empty() => Self::Str(text),
            _ => Self::None,
        }
    }

    /// Writes the value as typst code.
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Self::None => out.push_str("none"),
            Self::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Self::Str(text) => write_string(out, text),
            Self::Array(items) => {
                out.push('(');
                for item in items {
                    item.write(out);
                    out.push(',');
                }
                out.push(')');
            }
            Self::Dict(entries) => {
                if entries.is_empty() {
                    out.push_str("(:)");
                    return;
                }
                out.push('(');
                for (key, value) in entries {
                    out.push_str(key);
                    out.push(':');
                    value.write(out);
                    out.push(',');
                }
                out.push(')');
            }
        }
    }
}

/// Writes `text` as a typst string literal. Inside one, only `\` and `"`
/// are special; control characters are written as escapes so the literal
/// stays on one line.
fn write_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: &Value) -> String {
        let mut out = String::new();
        value.write(&mut out);
        out
    }

    #[test]
    fn strings_are_escaped_literals() {
        assert_eq!(written(&Value::str(r#"a "b" \c"#)), r#""a \"b\" \\c""#);
        assert_eq!(written(&Value::str("x\ny\u{7}")), r#""x\ny\u{7}""#);
        assert_eq!(
            written(&Value::str("#let x = 1 $a$ *b* [c] <d>")),
            r##""#let x = 1 $a$ *b* [c] <d>""##
        );
    }

    #[test]
    fn arrays_and_dicts_keep_their_shape() {
        let value = Value::Dict(vec![
            ("a", Value::Array(vec![Value::str("x")])),
            ("b", Value::None),
            ("c", Value::Bool(true)),
            ("d", Value::Dict(vec![])),
        ]);
        assert_eq!(written(&value), r#"(a:("x",),b:none,c:true,d:(:),)"#);
        assert_eq!(Value::opt_str(Some("  ")), Value::None);
    }
}

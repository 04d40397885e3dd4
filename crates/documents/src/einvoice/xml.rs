//! A small XML writer: elements are opened and closed by closures so they
//! always nest, every text and attribute value is escaped, characters XML 1.0
//! cannot carry are dropped, and text elements without text are never
//! written (Peppol forbids empty elements).

/// Builds an indented UTF-8 XML document.
pub(crate) struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    /// A document with the XML declaration written.
    pub(crate) fn new() -> Self {
        Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    /// An element with attributes whose children `body` writes.
    pub(crate) fn element_with(&mut self, name: &str, attributes: &[(&str, &str)], body: impl FnOnce(&mut Self)) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attributes);
        self.out.push_str(">\n");
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// An element whose children `body` writes.
    pub(crate) fn element(&mut self, name: &str, body: impl FnOnce(&mut Self)) {
        self.element_with(name, &[], body);
    }

    /// An element without content, `<name/>`, for the few a schema requires
    /// even when there is nothing to say.
    pub(crate) fn empty(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str("/>\n");
    }

    /// A text element with attributes; nothing when `text` is blank.
    pub(crate) fn leaf_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attributes);
        self.out.push('>');
        escape_into(&mut self.out, text, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// A text element; nothing when `text` is blank.
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    /// A text element if `text` is present and not blank.
    pub(crate) fn leaf_opt(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.leaf(name, text);
        }
    }

    /// The finished document.
    pub(crate) fn finish(self) -> String {
        self.out
    }

    fn attributes(&mut self, attributes: &[(&str, &str)]) {
        for (name, value) in attributes {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

/// Appends `text` escaped for element content or (with `attribute`) for a
/// double-quoted attribute value.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// The characters XML 1.0 allows, less the ones handled above.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes_and_skips_empty_leaves() {
        let mut w = XmlWriter::new();
        w.element_with("a", &[("x", "1\"<&'")], |w| {
            w.leaf("b", "Fish & <Chips> \"quoted\"");
            w.leaf("empty", "  ");
            w.leaf_opt("none", None);
            w.leaf("ctl", "a\u{0}b\u{1b}c\r\nd");
        });
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <a x=\"1&quot;&lt;&amp;&apos;\">\n  \
             <b>Fish &amp; &lt;Chips&gt; \"quoted\"</b>\n  \
             <ctl>abc&#13;\nd</ctl>\n\
             </a>\n"
        );
    }
}

//! A report: a titled document of sections, each with paragraphs and an
//! optional table, laid out in the invoices' style (the same fonts,
//! colours and page furniture). The record of processing activities is one.

use chrono::NaiveDate;

/// A report to render as a PDF.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The title, such as "Record of processing activities".
    pub title: String,
    /// Who the report is of or by (printed in the letterhead and as the PDF author).
    pub author: String,
    /// Lines under the author (an address, a contact).
    pub author_lines: Vec<String>,
    /// One line under the title.
    pub subtitle: Option<String>,
    /// The date printed and used as the PDF's creation date.
    pub issued_on: NaiveDate,
    /// The sections, in order.
    pub sections: Vec<ReportSection>,
}

/// One section of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportSection {
    /// Its heading.
    pub heading: String,
    /// Paragraphs of text, before the table.
    pub paragraphs: Vec<String>,
    /// A table, if any.
    pub table: Option<ReportTable>,
}

/// A table of text cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportTable {
    /// The column headings.
    pub header: Vec<String>,
    /// The rows; each is cut or padded to the header's width.
    pub rows: Vec<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            title: "Record of processing activities".into(),
            author: "Acme \"Quotes\" #GmbH".into(),
            author_lines: vec!["Hauptstraße 1".into(), "10115 Berlin".into()],
            subtitle: Some("GDPR Art. 30(1)".into()),
            issued_on: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            sections: vec![ReportSection {
                heading: "Activities".into(),
                paragraphs: vec!["What is processed, why and for how long. $x$ *not bold*".into()],
                table: Some(ReportTable {
                    header: vec!["Data".into(), "Purpose".into(), "Kept".into()],
                    rows: vec![
                        vec!["clients.email".into(), "invoicing".into(), "until deleted".into()],
                        vec!["short row".into()],
                        vec!["a".into(), "b".into(), "c".into(), "cut".into()],
                    ],
                }),
            }],
        }
    }

    #[test]
    fn a_report_renders_to_the_same_pdf_every_time() {
        let first = crate::render_report(&report()).unwrap();
        assert!(first.starts_with(b"%PDF-"));
        assert!(first.len() > 2_000, "{} bytes", first.len());
        assert_eq!(first, crate::render_report(&report()).unwrap());
        let mut other = report();
        other.sections[0].heading = "Something else".into();
        assert_ne!(first, crate::render_report(&other).unwrap());
    }
}

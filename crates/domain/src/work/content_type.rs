//! What a file really is, from its first bytes, and whether that agrees
//! with the type its uploader declared.
//!
//! An upload is accepted only when [`matches`] says the declared type and
//! the [`sniff`]ed one agree, so a PNG declared as `application/pdf` (or an
//! HTML page declared as text) is refused before it is stored, and never
//! when it is active content a browser would run ([`accepted_type`]). Signatures
//! are written out here rather than taken from a crate: the list is short
//! and the text rules are Fakturo's own.

/// How many leading bytes [`sniff`] looks at; pass at least this many (or
/// the whole file, if shorter) for Office documents to be told apart.
pub const SNIFF_LEN: usize = 8192;

/// `application/pdf`
pub const PDF: &str = "application/pdf";
/// `image/png`
pub const PNG: &str = "image/png";
/// `image/jpeg`
pub const JPEG: &str = "image/jpeg";
/// `image/gif`
pub const GIF: &str = "image/gif";
/// `image/webp`
pub const WEBP: &str = "image/webp";
/// `application/zip`: a ZIP archive that is not recognisably an Office document.
pub const ZIP: &str = "application/zip";
/// A Word document (`.docx`).
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// An Excel workbook (`.xlsx`).
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// A PowerPoint presentation (`.pptx`).
pub const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
/// `text/plain`: text without markup (also what CSV files sniff as).
pub const TEXT: &str = "text/plain";
/// `text/csv`
pub const CSV: &str = "text/csv";
/// `text/html`: never served as a plain text file.
pub const HTML: &str = "text/html";
/// `image/svg+xml`: may carry scripts.
pub const SVG: &str = "image/svg+xml";
/// `application/xml`
pub const XML: &str = "application/xml";

/// Why an upload's type is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypeRefusal {
    /// HTML or SVG: a browser would run it.
    #[error("files of type {0} are not accepted: a browser would run them")]
    ActiveContent(&'static str),
    /// The bytes are not of the declared type.
    #[error("the file's bytes are not of the type its Content-Type declares")]
    Mismatch,
    /// The bytes are of no accepted type.
    #[error("the file is of no accepted type (PDF, images, Office documents, ZIP, text, CSV, XML)")]
    Unrecognised,
}

/// The type an upload is stored as: the one its bytes show, provided the
/// `declared` type agrees and it is not active content.
///
/// # Errors
/// [`TypeRefusal::ActiveContent`] for HTML and SVG, [`TypeRefusal::Mismatch`]
/// when the declared type disagrees, [`TypeRefusal::Unrecognised`] for bytes
/// of no known type (an empty file included).
pub fn accepted_type(declared: Option<&str>, bytes: &[u8]) -> Result<&'static str, TypeRefusal> {
    let sniffed = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    match sniffed {
        Some(active @ (HTML | SVG)) => Err(TypeRefusal::ActiveContent(active)),
        Some(sniffed) if matches(declared.unwrap_or_default(), Some(sniffed)) => Ok(sniffed),
        Some(_) => Err(TypeRefusal::Mismatch),
        None => Err(TypeRefusal::Unrecognised),
    }
}

/// The MIME type that `first_bytes` (the start of a file, see
/// [`SNIFF_LEN`]) shows, or `None` when it is nothing recognised: empty,
/// or binary without a known signature.
#[must_use]
pub fn sniff(first_bytes: &[u8]) -> Option<&'static str> {
    let signatures: [(&[u8], &'static str); 5] = [
        (b"%PDF-", PDF),
        (b"\x89PNG\r\n\x1a\n", PNG),
        (b"\xff\xd8\xff", JPEG),
        (b"GIF87a", GIF),
        (b"GIF89a", GIF),
    ];
    if let Some((_, mime)) = signatures
        .iter()
        .find(|(signature, _)| first_bytes.starts_with(signature))
    {
        return Some(mime);
    }
    if first_bytes.starts_with(b"RIFF") && first_bytes.get(8..12) == Some(b"WEBP") {
        return Some(WEBP);
    }
    if first_bytes.starts_with(b"PK\x03\x04") || first_bytes.starts_with(b"PK\x05\x06") {
        return Some(office_document(first_bytes).unwrap_or(ZIP));
    }
    sniff_text(first_bytes)
}

/// Whether a file declared as `declared` (a `Content-Type` value; case and
/// parameters such as `charset` are ignored) may be stored when its bytes
/// sniff as `sniffed`. Unrecognised bytes are never accepted.
#[must_use]
pub fn matches(declared: &str, sniffed: Option<&str>) -> bool {
    let Some(sniffed) = sniffed else {
        return false;
    };
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let declared = match declared.as_str() {
        "image/jpg" | "image/pjpeg" => JPEG,
        "application/x-zip-compressed" => ZIP,
        other => other,
    };
    if declared == sniffed {
        return true;
    }
    match sniffed {
        // CSV is text; its first bytes cannot prove it is not plain text.
        TEXT => declared == CSV,
        // An Office document is a ZIP archive.
        DOCX | XLSX | PPTX => declared == ZIP,
        // A ZIP archive whose first entries did not reveal an Office type.
        ZIP => [DOCX, XLSX, PPTX].contains(&declared),
        _ => false,
    }
}

/// The Office Open XML type of a ZIP archive, from the names of the entries
/// in its first bytes: `[Content_Types].xml` marks an Office document, and
/// `word/`, `xl/` or `ppt/` says which.
fn office_document(zip: &[u8]) -> Option<&'static str> {
    const LOCAL_HEADER: &[u8] = b"PK\x03\x04";
    const NAME_OFFSET: usize = 30;
    let mut is_office = false;
    let mut kind = None;
    let mut start = 0;
    while let Some(found) = find(zip.get(start..)?, LOCAL_HEADER) {
        let header = start + found;
        start = header + LOCAL_HEADER.len();
        let Some(&[low, high]) = zip.get(header + 26..header + 28) else {
            break;
        };
        let name_len = usize::from(u16::from_le_bytes([low, high]));
        let Some(name) = zip.get(header + NAME_OFFSET..header + NAME_OFFSET + name_len) else {
            break;
        };
        is_office |= name == b"[Content_Types].xml";
        kind = kind.or(if name.starts_with(b"word/") {
            Some(DOCX)
        } else if name.starts_with(b"xl/") {
            Some(XLSX)
        } else if name.starts_with(b"ppt/") {
            Some(PPTX)
        } else {
            None
        });
        if is_office && kind.is_some() {
            return kind;
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Text: no control characters but tab, line breaks, form feed and escape;
/// UTF-8 or a legacy 8-bit encoding. Markup that a browser would run is
/// told apart, so it cannot pass as plain text.
fn sniff_text(first_bytes: &[u8]) -> Option<&'static str> {
    let text = first_bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(first_bytes);
    let allowed = |byte: &u8| matches!(*byte, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b) || (*byte >= 0x20 && *byte != 0x7f);
    let is_text = !text.is_empty() && text.iter().all(allowed);
    if !is_text {
        return None;
    }
    let start = text.iter().position(|byte| !byte.is_ascii_whitespace()).unwrap_or(0);
    let head: Vec<u8> = text.iter().skip(start).take(512).map(u8::to_ascii_lowercase).collect();
    let markup = [
        (&b"<!doctype html"[..], HTML),
        (b"<html", HTML),
        (b"<head", HTML),
        (b"<body", HTML),
        (b"<script", HTML),
        (b"<iframe", HTML),
        (b"<svg", SVG),
    ];
    if let Some((_, mime)) = markup.iter().find(|(tag, _)| head.starts_with(tag)) {
        return Some(mime);
    }
    if head.starts_with(b"<?xml") {
        return Some(if find(&head, b"<svg").is_some() { SVG } else { XML });
    }
    Some(TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_stored_as_what_its_bytes_show_when_the_declared_type_agrees() {
        assert_eq!(accepted_type(Some("application/pdf"), b"%PDF-1.7 ..."), Ok(PDF));
        assert_eq!(accepted_type(Some("text/csv; charset=utf-8"), b"a,b\n1,2\n"), Ok(TEXT));
        assert_eq!(
            accepted_type(Some("application/pdf"), b"\x89PNG\r\n\x1a\n...."),
            Err(TypeRefusal::Mismatch)
        );
        assert_eq!(accepted_type(None, b"%PDF-1.7"), Err(TypeRefusal::Mismatch));
        assert_eq!(
            accepted_type(Some("text/plain"), b"<!DOCTYPE html><html></html>"),
            Err(TypeRefusal::ActiveContent(HTML))
        );
        assert_eq!(
            accepted_type(Some("application/octet-stream"), &[0, 1, 2, 3]),
            Err(TypeRefusal::Unrecognised)
        );
        assert_eq!(accepted_type(Some("text/plain"), b""), Err(TypeRefusal::Unrecognised));
    }

    /// A ZIP local file header for an entry called `name` (contents empty).
    fn zip_entry(name: &str) -> Vec<u8> {
        let mut entry = b"PK\x03\x04".to_vec();
        entry.extend_from_slice(&[20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        entry.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        entry.extend_from_slice(&[0, 0]);
        entry.extend_from_slice(name.as_bytes());
        entry.extend_from_slice(b"\x03\x00compressed bytes");
        entry
    }

    fn zip_of(names: &[&str]) -> Vec<u8> {
        names.iter().flat_map(|name| zip_entry(name)).collect()
    }

    #[test]
    fn binary_formats_are_recognised_by_their_signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some(PDF));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(PNG));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some(JPEG));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Some(GIF));
        assert_eq!(sniff(b"GIF87a\x01\0\x01\0"), Some(GIF));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(WEBP));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(&zip_of(&["invoices/2026-0042.pdf"])), Some(ZIP));
        assert_eq!(sniff(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), Some(ZIP));
    }

    #[test]
    fn office_documents_are_told_apart() {
        assert_eq!(
            sniff(&zip_of(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"])),
            Some(DOCX)
        );
        assert_eq!(
            sniff(&zip_of(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"])),
            Some(XLSX)
        );
        assert_eq!(
            sniff(&zip_of(&["[Content_Types].xml", "ppt/presentation.xml"])),
            Some(PPTX)
        );
        // A plain archive that happens to hold a folder called word/ is just a ZIP.
        assert_eq!(sniff(&zip_of(&["word/notes.txt"])), Some(ZIP));
        // Cut off before the telling entry: a ZIP, which an Office type may be declared as.
        assert_eq!(sniff(&zip_of(&["[Content_Types].xml"])), Some(ZIP));
        let truncated = zip_of(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(sniff(&truncated[..truncated.len() - 30]), Some(ZIP));
    }

    #[test]
    fn text_is_recognised_and_markup_is_not_plain_text() {
        assert_eq!(sniff(b"date;amount\n2026-11-01;12.50\n"), Some(TEXT));
        assert_eq!(sniff("\u{feff}Kunde,Betrag\r\nMüller,3\r\n".as_bytes()), Some(TEXT));
        assert_eq!(sniff(b"Stra\xdfe;Gr\xf6\xdfe\n"), Some(TEXT), "Latin-1 text");
        assert_eq!(sniff(b"  <!DOCTYPE html><p>hi"), Some(HTML));
        assert_eq!(sniff(b"<HTML><body>"), Some(HTML));
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\">"),
            Some(SVG)
        );
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<svg>"), Some(SVG));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<Invoice>"), Some(XML));
    }

    #[test]
    fn unknown_binary_and_empty_input_are_not_recognised() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b"text with a \0 in it"), None);
    }

    #[test]
    fn a_declared_type_must_agree_with_the_bytes() {
        let png = sniff(b"\x89PNG\r\n\x1a\n");
        assert!(matches("image/png", png));
        assert!(!matches("application/pdf", png), "a PNG declared as a PDF");
        let pdf = sniff(b"%PDF-1.4");
        assert!(matches("application/pdf", pdf));
        assert!(!matches("image/png", pdf), "a PDF declared as a PNG");
        assert!(!matches("text/plain", pdf));
        assert!(matches("image/jpg", sniff(b"\xff\xd8\xff\xdb")));
        assert!(!matches("application/pdf", None));
        assert!(!matches("", png));
    }

    #[test]
    fn text_may_be_declared_as_plain_text_or_csv_but_not_the_other_way_round() {
        let csv = sniff(b"a,b\n1,2\n");
        assert!(matches("text/csv", csv));
        assert!(matches("text/plain; charset=utf-8", csv));
        assert!(matches("Text/CSV;charset=UTF-8", csv));
        assert!(!matches("application/pdf", csv), "text declared as a PDF");
        assert!(!matches("text/csv", sniff(b"%PDF-1.4")), "a PDF declared as CSV");
        let html = sniff(b"<html><script>alert(1)</script>");
        assert!(!matches("text/plain", html), "HTML declared as text");
        assert!(!matches("text/csv", html));
        assert!(matches("text/html", html));
    }

    #[test]
    fn office_documents_and_zip_archives_may_be_declared_either_way() {
        let docx = sniff(&zip_of(&["[Content_Types].xml", "word/document.xml"]));
        assert!(matches(DOCX, docx));
        assert!(matches("application/zip", docx));
        assert!(!matches(XLSX, docx), "a Word document declared as a workbook");
        let zip = sniff(&zip_of(&["a.txt"]));
        assert!(matches("application/zip", zip));
        assert!(matches("application/x-zip-compressed", zip));
        assert!(matches(XLSX, zip));
        assert!(!matches("application/pdf", zip));
    }
}

//! Factur-X metadata. typst writes the PDF/A-3b file with the CII attached
//! (relationship, MIME type and the catalog's `/AF` included) but cannot add
//! custom XMP, so this module adds the Factur-X properties (`fx:` schema)
//! and their PDF/A extension schema description to the XMP packet.
//!
//! The PDF is not rewritten: lopdf only *reads* it to find the metadata
//! stream, and the new packet is appended as an incremental update (the
//! metadata object under its own number, a one-entry cross-reference
//! section and a trailer with `/Prev`), so every byte typst wrote stays as
//! it was and the result is as deterministic as the input.

use std::io::Write as _;

use lopdf::{Dictionary, Object, ObjectId};

use crate::render::error::RenderError;

/// The Factur-X XMP namespace (Factur-X 1.0).
const FX_NAMESPACE: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The Factur-X properties: an EN 16931 invoice in `factur-x.xml`.
const FX_DESCRIPTION: &str = r#"<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
<fx:DocumentType>INVOICE</fx:DocumentType>
<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
<fx:Version>1.0</fx:Version>
<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
</rdf:Description>
"#;

/// The PDF/A extension schema entry that describes the `fx:` properties.
const FX_SCHEMA: &str = r#"<rdf:li rdf:parseType="Resource" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property>
<rdf:Seq>
<rdf:li rdf:parseType="Resource">
<pdfaProperty:name>DocumentFileName</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>name of the embedded XML invoice file</pdfaProperty:description>
</rdf:li>
<rdf:li rdf:parseType="Resource">
<pdfaProperty:name>DocumentType</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>INVOICE</pdfaProperty:description>
</rdf:li>
<rdf:li rdf:parseType="Resource">
<pdfaProperty:name>Version</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>The actual version of the Factur-X XML schema</pdfaProperty:description>
</rdf:li>
<rdf:li rdf:parseType="Resource">
<pdfaProperty:name>ConformanceLevel</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>The conformance level of the embedded Factur-X data</pdfaProperty:description>
</rdf:li>
</rdf:Seq>
</pdfaSchema:property>
</rdf:li>
"#;

/// Adds the Factur-X XMP to a PDF/A-3 that typst wrote.
///
/// # Errors
/// [`RenderError::FacturX`] if the PDF has no readable XMP packet or
/// cross-reference table.
pub(crate) fn add_facturx_metadata(pdf: Vec<u8>) -> Result<Vec<u8>, RenderError> {
    let parsed = lopdf::Document::load_mem(&pdf).map_err(|error| fail(format!("the PDF does not parse: {error}")))?;
    let trailer = &parsed.trailer;
    let root = reference(trailer, b"Root")?;
    let catalog = parsed
        .get_dictionary(root)
        .map_err(|error| fail(format!("no catalog: {error}")))?;
    let metadata_id = reference(catalog, b"Metadata")?;
    let stream = parsed
        .get_object(metadata_id)
        .and_then(Object::as_stream)
        .map_err(|error| fail(format!("no metadata stream: {error}")))?;
    if stream.dict.has(b"Filter") {
        return Err(fail("the metadata stream is compressed".to_owned()));
    }
    let xmp = std::str::from_utf8(&stream.content).map_err(|_| fail("the XMP is not UTF-8".to_owned()))?;
    let xmp = with_facturx(xmp)?;
    let previous_xref = start_xref(&pdf)?;
    let size = trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .map_err(|error| fail(format!("no /Size in the trailer: {error}")))?;
    let mut extra = String::new();
    for key in [b"Info".as_slice(), b"ID".as_slice()] {
        if let Ok(value) = trailer.get(key) {
            extra.push_str(&format!(" /{} {}", String::from_utf8_lossy(key), write_object(value)?));
        }
    }
    let mut out = pdf;
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let object_offset = out.len();
    let (number, generation) = metadata_id;
    let io = |error: std::io::Error| fail(error.to_string());
    write!(
        out,
        "{number} {generation} obj\n<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n",
        xmp.len()
    )
    .map_err(io)?;
    out.extend_from_slice(xmp.as_bytes());
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref_offset = out.len();
    write!(
        out,
        "xref\n{number} 1\n{object_offset:010} {generation:05} n\r\ntrailer\n<< /Size {size} /Root {} 0 R{extra} /Prev {previous_xref} >>\nstartxref\n{xref_offset}\n%%EOF\n",
        root.0
    )
    .map_err(io)?;
    Ok(out)
}

/// The XMP packet with the `fx:` properties and their extension schema.
fn with_facturx(xmp: &str) -> Result<String, RenderError> {
    if xmp.contains(FX_NAMESPACE) {
        return Ok(xmp.to_owned());
    }
    let mut xmp = xmp.to_owned();
    let schemas = "<pdfaExtension:schemas>";
    if let Some(start) = xmp.find(schemas) {
        let bag = xmp[start..]
            .find("<rdf:Bag>")
            .map(|offset| start + offset + "<rdf:Bag>".len())
            .ok_or_else(|| fail("the extension schemas have no rdf:Bag".to_owned()))?;
        xmp.insert_str(bag, FX_SCHEMA);
    } else {
        let description = format!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\">\n<pdfaExtension:schemas>\n<rdf:Bag>\n{FX_SCHEMA}</rdf:Bag>\n</pdfaExtension:schemas>\n</rdf:Description>\n"
        );
        insert_before_rdf_end(&mut xmp, &description)?;
    }
    insert_before_rdf_end(&mut xmp, FX_DESCRIPTION)?;
    Ok(xmp)
}

fn insert_before_rdf_end(xmp: &mut String, text: &str) -> Result<(), RenderError> {
    let end = xmp
        .rfind("</rdf:RDF>")
        .ok_or_else(|| fail("the XMP has no rdf:RDF element".to_owned()))?;
    xmp.insert_str(end, text);
    Ok(())
}

/// The offset after the last `startxref`.
fn start_xref(pdf: &[u8]) -> Result<u64, RenderError> {
    let keyword = b"startxref";
    let position = pdf
        .windows(keyword.len())
        .rposition(|window| window == keyword)
        .ok_or_else(|| fail("no startxref".to_owned()))?;
    let rest = pdf.get(position + keyword.len()..).unwrap_or_default();
    let digits: String = rest
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    digits.parse().map_err(|_| fail("startxref has no offset".to_owned()))
}

fn reference(dictionary: &Dictionary, key: &[u8]) -> Result<ObjectId, RenderError> {
    dictionary
        .get(key)
        .and_then(Object::as_reference)
        .map_err(|error| fail(format!("no /{} reference: {error}", String::from_utf8_lossy(key))))
}

/// Writes the few object kinds a trailer's `/Info` and `/ID` hold.
fn write_object(object: &Object) -> Result<String, RenderError> {
    match object {
        Object::Reference((number, generation)) => Ok(format!("{number} {generation} R")),
        Object::String(bytes, _) => Ok(format!(
            "<{}>",
            bytes.iter().map(|b| format!("{b:02X}")).collect::<String>()
        )),
        Object::Array(items) => {
            let items: Result<Vec<String>, RenderError> = items.iter().map(write_object).collect();
            Ok(format!("[{}]", items?.join(" ")))
        }
        other => Err(fail(format!("unexpected trailer entry {other:?}"))),
    }
}

fn fail(message: String) -> RenderError {
    RenderError::FacturX(message)
}

//! The Factur-X PDF/A-3, read back with lopdf: the CII is attached as
//! `factur-x.xml` and listed in `/AF`, the XMP carries the Factur-X
//! properties, and the file is deterministic.

use fakturo_documents::{cii, render_facturx};
use lopdf::{Document as Pdf, Object};

use crate::fixtures;

fn name(object: &Object) -> Vec<u8> {
    object.as_name().map(<[u8]>::to_vec).unwrap_or_default()
}

#[test]
fn the_cii_is_attached_as_factur_x_xml_and_the_xmp_says_so() {
    let document = fixtures::worked_example();
    let bytes = render_facturx(&document).unwrap();
    assert!(bytes.ends_with(b"%%EOF\n"));
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let catalog = pdf.catalog().unwrap();

    let associated = catalog.get(b"AF").unwrap().as_array().unwrap();
    assert_eq!(associated.len(), 1);
    let spec = pdf.get_dictionary(associated[0].as_reference().unwrap()).unwrap();
    assert_eq!(spec.get(b"UF").unwrap().as_str().unwrap(), b"factur-x.xml");
    assert_eq!(name(spec.get(b"AFRelationship").unwrap()), b"Alternative");
    let file_ref = spec
        .get(b"EF")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"F")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = pdf.get_object(file_ref).unwrap().as_stream().unwrap();
    assert_eq!(name(stream.dict.get(b"Subtype").unwrap()), b"text/xml");
    let embedded = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    assert_eq!(embedded, cii(&document).unwrap().into_bytes());

    let metadata = pdf
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(metadata.content.clone()).unwrap();
    for expected in [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<fx:DocumentType>INVOICE</fx:DocumentType>",
        "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
        "<fx:Version>1.0</fx:Version>",
        "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
        "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
    ] {
        assert!(xmp.contains(expected), "{expected} missing from the XMP:\n{xmp}");
    }
    assert_eq!(
        xmp.matches("<pdfaExtension:schemas>").count(),
        1,
        "one extension schema list"
    );
}

#[test]
fn factur_x_renders_are_byte_identical() {
    let document = fixtures::credit_note();
    assert_eq!(render_facturx(&document).unwrap(), render_facturx(&document).unwrap());
}

#[test]
fn characters_the_embedded_fonts_lack_are_refused_by_pdf_a_only() {
    let mut document = fixtures::worked_example();
    document.buyer.name = "Ελληνικά Кириллица ✓ → €".into();
    assert!(
        render_facturx(&document).is_ok(),
        "Greek, Cyrillic and symbols are covered"
    );
    document.buyer.name = "株式会社".into();
    let pdf = fakturo_documents::render_pdf(&document, &fakturo_documents::RenderOptions::default());
    assert!(pdf.is_ok(), "a plain PDF shows a placeholder glyph");
    let error = render_facturx(&document).unwrap_err();
    assert!(
        matches!(&error, fakturo_documents::RenderError::Pdf(message) if message.contains("PDF/A-3b")),
        "{error}"
    );
}

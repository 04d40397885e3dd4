//! Cursor pagination parameters and list envelopes.

use fakturo_domain::kernel::pagination::PageRequest;
use poem::http::StatusCode;

use super::problem::ApiError;

/// Validates `limit` and `cursor` query parameters.
///
/// # Errors
/// 400 `invalid_request` naming the parameter.
pub fn page_request(limit: Option<u32>, cursor: Option<&str>) -> Result<PageRequest, ApiError> {
    PageRequest::new(limit, cursor).map_err(|errors| ApiError::validation(StatusCode::BAD_REQUEST, &errors))
}

//! Cursor pagination. Lists are ordered newest first by id (UUID v7 ids are
//! time-ordered); a cursor is the last id of the previous page.

use uuid::Uuid;

use crate::kernel::validation::ValidationErrors;

/// The largest page a caller may ask for.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The page size when the caller names none.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// A validated request for one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// At most this many items.
    pub limit: u32,
    /// Items strictly after (older than) this id; `None` for the first page.
    pub after: Option<Uuid>,
}

impl PageRequest {
    /// Validates a limit (1..=100, default 50) and an optional cursor.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming `limit` or `cursor`.
    pub fn new(limit: Option<u32>, cursor: Option<&str>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if limit == 0 || limit > MAX_PAGE_SIZE {
            errors.add(
                "limit",
                "out_of_range",
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            );
        }
        let after = match cursor {
            None | Some("") => None,
            Some(text) => {
                let parsed = decode_cursor(text);
                if parsed.is_none() {
                    errors.add("cursor", "invalid_cursor", "is not a cursor returned by this list");
                }
                parsed
            }
        };
        errors.into_result(Self { limit, after })
    }

    /// The first page with the default size.
    #[must_use]
    pub fn first() -> Self {
        Self {
            limit: DEFAULT_PAGE_SIZE,
            after: None,
        }
    }
}

/// One page of results and the cursor of the next, if there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, newest first.
    pub items: Vec<T>,
    /// Pass this as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched items: the extra item
    /// only tells that another page exists.
    pub fn from_overfetch(mut items: Vec<T>, limit: u32, id_of: impl Fn(&T) -> Uuid) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let has_more = items.len() > limit;
        items.truncate(limit);
        let next_cursor = if has_more {
            items.last().map(|item| encode_cursor(id_of(item)))
        } else {
            None
        };
        Self { items, next_cursor }
    }

    /// Converts the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

const CURSOR_PREFIX: &str = "c1_";

fn encode_cursor(id: Uuid) -> String {
    format!("{CURSOR_PREFIX}{}", id.simple())
}

fn decode_cursor(text: &str) -> Option<Uuid> {
    let hex = text.strip_prefix(CURSOR_PREFIX)?;
    if hex.len() != 32 {
        return None;
    }
    Uuid::try_parse(hex).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded() {
        assert!(PageRequest::new(Some(100), None).is_ok());
        assert!(PageRequest::new(Some(101), None).is_err());
        assert!(PageRequest::new(Some(0), None).is_err());
        assert_eq!(PageRequest::new(None, None).unwrap().limit, DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = Uuid::from_u128(42);
        let page = Page::from_overfetch(vec![Uuid::from_u128(43), id, Uuid::from_u128(41)], 2, |u| *u);
        let cursor = page.next_cursor.unwrap();
        assert_eq!(PageRequest::new(Some(2), Some(&cursor)).unwrap().after, Some(id));
        assert!(PageRequest::new(None, Some("nope")).is_err());
        let last = Page::from_overfetch(vec![id], 2, |u| *u);
        assert_eq!(last.next_cursor, None);
    }
}

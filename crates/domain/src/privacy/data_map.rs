//! The data map: every stored column, with its data category, the role in
//! which it is processed (controller or processor), whether it is personal
//! data, and — through its category — its retention rule. Storage adapters
//! declare their tables with these types next to each table; a test fails
//! when the migrated schema has a column nobody declared.
//!
//! The declarations also say how rows reach a person: through a `client_id`
//! or `user_id` column, or through a parent row (an invoice line belongs to
//! its invoice's client). Exports and erasure follow these links.

use crate::privacy::retention::DataCategory;

/// In which role the operator processes the data (GDPR Art. 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataRole {
    /// The operator decides why: accounts, security, its own billing.
    Controller,
    /// On the tenant's behalf: the tenant's business data.
    Processor,
}

impl DataRole {
    /// The stable name.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Controller => "controller",
            Self::Processor => "processor",
        }
    }
}

/// One column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnDeclaration {
    /// The column's name.
    pub name: &'static str,
    /// Whether it holds personal data (directly or in free text).
    pub personal: bool,
    /// A category other than the table's, if any.
    pub category: Option<DataCategory>,
    /// Whether exports include it (secrets, hashes and digests are never exported).
    pub exported: bool,
}

impl ColumnDeclaration {
    /// A column that holds no personal data.
    #[must_use]
    pub const fn plain(name: &'static str) -> Self {
        Self {
            name,
            personal: false,
            category: None,
            exported: true,
        }
    }

    /// A column that holds personal data.
    #[must_use]
    pub const fn personal(name: &'static str) -> Self {
        Self {
            name,
            personal: true,
            category: None,
            exported: true,
        }
    }

    /// A secret, hash or digest: never exported.
    #[must_use]
    pub const fn secret(name: &'static str) -> Self {
        Self {
            name,
            personal: false,
            category: Some(DataCategory::Credentials),
            exported: false,
        }
    }
}

/// How a row leads to a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// This row's own column holds the person's id.
    Column(&'static str),
    /// This row's `column` names a row of `table` (by its `id`) that leads to the person.
    Via {
        /// The referencing column of this table.
        column: &'static str,
        /// The parent table.
        table: &'static str,
    },
}

/// One table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableDeclaration {
    /// The table's name.
    pub table: &'static str,
    /// The category of its columns (columns may override).
    pub category: DataCategory,
    /// The role in which it is processed.
    pub role: DataRole,
    /// The column naming the tenant (`tenant_id`, or `id` for organizations); `None` for deployment-wide tables.
    pub tenant_column: Option<&'static str>,
    /// How a row leads to one of the tenant's clients.
    pub client_link: Option<Link>,
    /// How a row leads to one of the tenant's users.
    pub user_link: Option<Link>,
    /// Every column.
    pub columns: &'static [ColumnDeclaration],
}

impl TableDeclaration {
    /// The category of a column.
    #[must_use]
    pub fn category_of(&self, column: &ColumnDeclaration) -> DataCategory {
        column.category.unwrap_or(self.category)
    }

    /// Whether rows belong to a tenant.
    #[must_use]
    pub fn is_tenant_data(&self) -> bool {
        self.tenant_column.is_some()
    }
}

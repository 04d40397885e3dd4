//! The data map: every stored field with its data category, the role in
//! which it is processed, whether it is personal data and exported, and
//! the retention rule its category falls under.

use std::sync::Arc;

use crate::privacy::data_map::DataRole;
use crate::privacy::ports::DataMapSource;
use crate::privacy::retention::{DataCategory, RetentionPolicy};

/// One stored column as the data map shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedColumn {
    /// The column's name.
    pub name: &'static str,
    /// Its data category.
    pub category: DataCategory,
    /// The role in which it is processed (its table's).
    pub role: DataRole,
    /// Whether it holds personal data.
    pub personal: bool,
    /// Whether exports include it.
    pub exported: bool,
    /// The retention rule of its category, in words.
    pub retention: String,
}

/// One stored table as the data map shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedTable {
    /// The table's name.
    pub table: &'static str,
    /// Whether its rows belong to one organization.
    pub tenant_data: bool,
    /// Every column.
    pub columns: Vec<MappedColumn>,
}

/// Reads the data map.
#[derive(Clone)]
pub struct DataMapService {
    source: Arc<dyn DataMapSource>,
    policy: RetentionPolicy,
}

impl DataMapService {
    /// The data map of `source`'s tables under the retention `policy`.
    #[must_use]
    pub fn new(source: Arc<dyn DataMapSource>, policy: RetentionPolicy) -> Self {
        Self { source, policy }
    }

    /// Every stored table and column, children before parents.
    #[must_use]
    pub fn tables(&self) -> Vec<MappedTable> {
        self.source
            .declarations()
            .iter()
            .map(|table| MappedTable {
                table: table.table,
                tenant_data: table.is_tenant_data(),
                columns: table
                    .columns
                    .iter()
                    .map(|column| {
                        let category = table.category_of(column);
                        MappedColumn {
                            name: column.name,
                            category,
                            role: table.role,
                            personal: column.personal,
                            exported: column.exported,
                            retention: self.policy.rule(category).describe(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::data_map::{ColumnDeclaration, TableDeclaration};

    struct Fixed;

    const TABLES: &[TableDeclaration] = &[TableDeclaration {
        table: "notes",
        category: DataCategory::CustomerContent,
        role: DataRole::Processor,
        tenant_column: Some("tenant_id"),
        client_link: None,
        user_link: None,
        columns: &[
            ColumnDeclaration::plain("tenant_id"),
            ColumnDeclaration::personal("body"),
            ColumnDeclaration::secret("digest"),
        ],
    }];

    impl DataMapSource for Fixed {
        fn declarations(&self) -> &'static [TableDeclaration] {
            TABLES
        }
    }

    #[test]
    fn every_column_gets_its_category_role_and_retention() {
        let policy = RetentionPolicy::default();
        let map = DataMapService::new(Arc::new(Fixed), policy.clone()).tables();
        assert_eq!(map.len(), 1);
        let table = &map[0];
        assert_eq!((table.table, table.tenant_data), ("notes", true));
        let names: Vec<_> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, ["tenant_id", "body", "digest"]);
        let body = &table.columns[1];
        assert!(body.personal && body.exported);
        assert_eq!(body.role, DataRole::Processor);
        assert_eq!(body.retention, policy.rule(DataCategory::CustomerContent).describe());
        let digest = &table.columns[2];
        assert_eq!(digest.category, DataCategory::Credentials);
        assert!(!digest.exported);
    }
}

//! Where the data map comes from: the storage adapter declares every table
//! it keeps (each declaration lives next to its schema).

use crate::privacy::data_map::TableDeclaration;

/// The declarations of every stored table.
pub trait DataMapSource: Send + Sync {
    /// Every table's declaration, in the order a tenant's rows can be
    /// deleted (children before parents).
    ///
    /// # Errors
    /// None: the declarations are fixed when the adapter is built.
    fn declarations(&self) -> &'static [TableDeclaration];
}

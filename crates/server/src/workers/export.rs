//! Builds an export's archive: a ZIP with a JSON file per entity
//! (`json/<table>.json`), a CSV file per table (`csv/<table>.csv`), the
//! stored files (`files/…`), for a whole organization the incidents of the
//! register that affect it (`incident_register.json`), and `manifest.json`
//! with counts and data categories. Rows stream from the database into a temporary file and the
//! file streams into the file store, so memory does not grow with the
//! organization's size.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};

use fakturo_domain::kernel::files::{KeyPrefix, ObjectKey};
use fakturo_domain::privacy::exports::{Export, ExportScope};
use fakturo_domain::privacy::ports::{ExportTable, RowSink};
use serde::Serialize;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::Workers;
use crate::telemetry::error_chain;

type Zip = ZipWriter<BufWriter<File>>;

/// One table in the manifest.
#[derive(Serialize)]
struct TableEntry {
    table: String,
    category: &'static str,
    rows: u64,
    columns: Vec<String>,
    json: String,
    csv: String,
}

#[derive(Serialize)]
struct Manifest {
    export_id: uuid::Uuid,
    organization_id: uuid::Uuid,
    scope: &'static str,
    subject_id: Option<uuid::Uuid>,
    generated_at: chrono::DateTime<chrono::Utc>,
    format: &'static str,
    tables: Vec<TableEntry>,
    files: u64,
    /// Incidents in `incident_register.json` (whole-organization exports).
    incidents: u64,
    categories: BTreeMap<&'static str, u64>,
}

/// Writes each row into the open JSON array entry.
struct JsonRows<'a> {
    zip: &'a mut Zip,
    first: bool,
}

impl RowSink for JsonRows<'_> {
    fn row(&mut self, json: &str) -> Result<(), String> {
        let separator: &[u8] = if self.first { b"\n  " } else { b",\n  " };
        self.first = false;
        self.zip.write_all(separator).map_err(|e| e.to_string())?;
        self.zip.write_all(json.as_bytes()).map_err(|e| e.to_string())
    }
}

/// Writes each row as a CSV record, columns in the declared order.
struct CsvRows<'a> {
    zip: &'a mut Zip,
    columns: &'a [String],
}

impl RowSink for CsvRows<'_> {
    fn row(&mut self, json: &str) -> Result<(), String> {
        let value: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).map_err(|e| e.to_string())?;
        let fields: Vec<String> = self
            .columns
            .iter()
            .map(|c| csv_field(value.get(c).unwrap_or(&serde_json::Value::Null)))
            .collect();
        writeln!(self.zip, "{}", fields.join(",")).map_err(|e| e.to_string())
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
fn csv_field(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

impl Workers {
    /// Builds and stores the archive of a pending export; a failure marks it failed.
    pub(super) async fn build_export(&self, tenant: fakturo_domain::TenantId, id: uuid::Uuid) -> Result<(), String> {
        let exports = &self.services.exports;
        let Some(export) = exports.pending(tenant, id).await.map_err(|e| e.to_string())? else {
            return Ok(());
        };
        match self.write_archive(&export).await {
            Ok((key, size, manifest)) => exports
                .finished(export, &key, size, manifest)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => {
                tracing::error!(export = %id, %error, "an export failed");
                exports.failed(export, &error).await.map_err(|e| e.to_string())
            }
        }
    }

    async fn write_archive(&self, export: &Export) -> Result<(ObjectKey, u64, String), String> {
        let temp = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        let file = temp.reopen().map_err(|e| e.to_string())?;
        let mut zip = ZipWriter::new(BufWriter::new(file));
        let tables: Vec<ExportTable> = {
            let uow = self.services.privacy_store.begin().await.map_err(|e| e.to_string())?;
            uow.exports().tables(export.scope)
        };
        let mut entries = Vec::new();
        let mut categories: BTreeMap<&'static str, u64> = BTreeMap::new();
        for table in &tables {
            let rows = self.write_table(export, table, &mut zip).await?;
            *categories.entry(table.category.as_str()).or_default() += rows;
            entries.push(TableEntry {
                table: table.table.clone(),
                category: table.category.as_str(),
                rows,
                columns: table.columns.clone(),
                json: format!("json/{}.json", table.table),
                csv: format!("csv/{}.csv", table.table),
            });
        }
        let files = self.write_files(export, &mut zip).await?;
        let incidents = self.write_incidents(export, &mut zip).await?;
        let manifest = Manifest {
            export_id: export.id,
            organization_id: export.tenant_id.as_uuid(),
            scope: export.scope.as_str(),
            subject_id: export.scope.subject(),
            generated_at: self.clock.now(),
            format: "JSON (one array per table) and CSV (RFC 4180, header row) in UTF-8",
            tables: entries,
            files,
            incidents,
            categories,
        };
        let manifest_json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
        zip.start_file("manifest.json", options()).map_err(|e| e.to_string())?;
        zip.write_all(manifest_json.as_bytes()).map_err(|e| e.to_string())?;
        let mut writer = zip.finish().map_err(|e| e.to_string())?;
        writer.flush().map_err(|e| e.to_string())?;
        drop(writer);
        let key = ObjectKey::tenant_export(export.tenant_id, export.id);
        let size = self
            .services
            .file_store
            .put_file(&key, temp.path())
            .await
            .map_err(|e| e.to_string())?;
        Ok((key, size, manifest_json))
    }

    async fn write_table(&self, export: &Export, table: &ExportTable, zip: &mut Zip) -> Result<u64, String> {
        zip.start_file(format!("json/{}.json", table.table), options())
            .map_err(|e| e.to_string())?;
        zip.write_all(b"[").map_err(|e| e.to_string())?;
        let rows = {
            let uow = self.services.privacy_store.begin().await.map_err(|e| e.to_string())?;
            let mut sink = JsonRows { zip, first: true };
            uow.exports()
                .stream_rows(export.tenant_id, export.scope, &table.table, &mut sink)
                .await
                .map_err(|e| error_chain(&e))?
        };
        zip.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })
            .map_err(|e| e.to_string())?;
        zip.start_file(format!("csv/{}.csv", table.table), options())
            .map_err(|e| e.to_string())?;
        writeln!(zip, "{}", table.columns.join(",")).map_err(|e| e.to_string())?;
        let uow = self.services.privacy_store.begin().await.map_err(|e| e.to_string())?;
        let mut sink = CsvRows {
            zip,
            columns: &table.columns,
        };
        uow.exports()
            .stream_rows(export.tenant_id, export.scope, &table.table, &mut sink)
            .await
            .map_err(|e| error_chain(&e))?;
        Ok(rows)
    }

    /// The stored files in the export's scope: all the organization's, or
    /// those attached to the client (a user's own export holds no files).
    async fn write_files(&self, export: &Export, zip: &mut Zip) -> Result<u64, String> {
        let files = &self.services.file_store;
        let keys = match export.scope {
            ExportScope::Tenant => files
                .list(&KeyPrefix::tenant_files(export.tenant_id))
                .await
                .map_err(|e| e.to_string())?,
            ExportScope::Client(client) => {
                let uow = self.services.privacy_store.begin().await.map_err(|e| e.to_string())?;
                uow.client_files(export.tenant_id, client)
                    .await
                    .map_err(|e| error_chain(&e))?
            }
            ExportScope::User(_) => return Ok(0),
        };
        for key in &keys {
            let name = key.as_str().rsplit('/').next().unwrap_or("file");
            zip.start_file(format!("files/{name}"), options())
                .map_err(|e| e.to_string())?;
            let mut reader = self.services.file_store.open(key).await.map_err(|e| e.to_string())?;
            while let Some(chunk) = reader.chunks.next_chunk().await.map_err(|e| e.to_string())? {
                zip.write_all(&chunk).map_err(|e| e.to_string())?;
            }
        }
        Ok(u64::try_from(keys.len()).unwrap_or(u64::MAX))
    }

    /// The incidents of the register that affect the organization, with
    /// their history, as one JSON array (whole-organization exports only).
    async fn write_incidents(&self, export: &Export, zip: &mut Zip) -> Result<u64, String> {
        if export.scope != ExportScope::Tenant {
            return Ok(0);
        }
        let records = self
            .services
            .incidents
            .exported(export.tenant_id)
            .await
            .map_err(|e| error_chain(&e))?;
        let register: Vec<serde_json::Value> = records.iter().map(crate::ops::incident_json).collect();
        zip.start_file("incident_register.json", options())
            .map_err(|e| e.to_string())?;
        let text = serde_json::to_string_pretty(&register).map_err(|e| e.to_string())?;
        zip.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(u64::try_from(records.len()).unwrap_or(u64::MAX))
    }
}

//! The operator's incident register (`cargo xtask incident …`): open an
//! incident, update its facts with a note, record the authority's
//! notification, notify the people affected (service notices, once per
//! person), close it, and list or show the register with its 72-hour
//! overdue flags, as text or JSON.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::privacy::incidents::{AffectedTenants, IncidentChanges, IncidentDraft};
use fakturo_domain::privacy::services::incidents::{IncidentError, IncidentRecord};
use fakturo_domain::{IncidentId, TenantId};
use serde_json::{Value, json};

use super::OpsError;
use crate::adapters::SystemClock;
use crate::application::wire;
use crate::settings::Settings;
use crate::telemetry::error_chain;

/// The usage of `incident`.
pub const INCIDENT_USAGE: &str = "incident open --discovered-at RFC3339 --nature TEXT --categories a,b \
--people N --records N --consequences TEXT --measures TEXT [--tenant ID ...]
       incident update ID [--nature TEXT] [--categories a,b] [--people N] [--records N] \
[--consequences TEXT] [--measures TEXT] --note TEXT
       incident notify-authority ID --reference REF [--at RFC3339]
       incident notify ID
       incident close ID [--note TEXT]   (without the authority's notification: --note says why none was required)
       incident list [--json]
       incident show ID [--json]";

/// Most incidents `list` shows.
const LIST_LIMIT: u32 = 1000;

fn usage() -> OpsError {
    OpsError::Task(format!("usage: {INCIDENT_USAGE}"))
}

/// The value after `--name` in `args`.
fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|arg| *arg == name)
        .and_then(|i| args.get(i + 1))
        .copied()
}

/// Every value after a repeated `--name`.
fn flags<'a>(args: &[&'a str], name: &str) -> Vec<&'a str> {
    args.windows(2)
        .filter(|pair| pair[0] == name)
        .map(|pair| pair[1])
        .collect()
}

fn instant(name: &str, text: &str) -> Result<DateTime<Utc>, OpsError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            OpsError::Task(format!(
                "{name} takes an RFC 3339 time like 2027-05-01T10:00:00Z, not {text}"
            ))
        })
}

fn number(name: &str, text: &str) -> Result<u64, OpsError> {
    text.parse()
        .map_err(|_| OpsError::Task(format!("{name} takes a whole number, not {text}")))
}

fn categories(text: &str) -> Vec<String> {
    text.split(',').map(|name| name.trim().to_owned()).collect()
}

fn incident_id(text: Option<&&str>) -> Result<IncidentId, OpsError> {
    let text = text.ok_or_else(usage)?;
    text.parse()
        .map_err(|_| OpsError::Task(format!("not an incident id: {text}")))
}

/// Parses `incident open` arguments.
///
/// # Errors
/// [`OpsError::Task`] naming the missing or malformed argument.
pub fn parse_incident_draft(args: &[&str]) -> Result<IncidentDraft, OpsError> {
    let required = |name: &str| flag(args, name).ok_or_else(usage);
    let mut tenants = Vec::new();
    for id in flags(args, "--tenant") {
        tenants.push(
            id.parse::<TenantId>()
                .map_err(|_| OpsError::Task(format!("not an organization id: {id}")))?,
        );
    }
    Ok(IncidentDraft {
        discovered_at: Some(instant("--discovered-at", required("--discovered-at")?)?),
        nature: required("--nature")?.to_owned(),
        categories: categories(required("--categories")?),
        people_affected: number("--people", required("--people")?)?,
        records_affected: number("--records", required("--records")?)?,
        consequences: required("--consequences")?.to_owned(),
        measures: required("--measures")?.to_owned(),
        tenants,
    })
}

fn parse_changes(args: &[&str]) -> Result<IncidentChanges, OpsError> {
    let text = |name: &str| flag(args, name).map(str::to_owned);
    Ok(IncidentChanges {
        nature: text("--nature"),
        categories: flag(args, "--categories").map(categories),
        people_affected: flag(args, "--people").map(|n| number("--people", n)).transpose()?,
        records_affected: flag(args, "--records").map(|n| number("--records", n)).transpose()?,
        consequences: text("--consequences"),
        measures: text("--measures"),
    })
}

fn refused(error: IncidentError) -> OpsError {
    match error {
        IncidentError::Invalid(errors) => OpsError::Task(format!(
            "refused: {}",
            errors
                .errors()
                .iter()
                .map(|e| format!("{} {} ({})", e.field, e.message, e.code))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        IncidentError::NotFound => OpsError::Task("no such incident".into()),
        IncidentError::Rule(rule) => OpsError::Task(format!("refused: {rule}")),
        IncidentError::Unexpected(error) => OpsError::Task(error_chain(&error)),
    }
}

/// Runs `incident …` now.
///
/// # Errors
/// [`OpsError::Task`] for invalid arguments, a refusal of the register's
/// rules, or a storage failure.
pub async fn incident(settings: &Settings, args: &[&str]) -> Result<String, OpsError> {
    incident_at(settings, args, Arc::new(SystemClock)).await
}

/// [`incident`] on another clock (tests).
///
/// # Errors
/// See [`incident`].
pub async fn incident_at(settings: &Settings, args: &[&str], clock: Arc<dyn Clock>) -> Result<String, OpsError> {
    let now = clock.now();
    let json_wanted = args.contains(&"--json");
    let Some((command, rest)) = args.split_first() else {
        return Err(usage());
    };
    // Parse everything before wiring, so a typo touches no database.
    enum Task {
        Open(IncidentDraft),
        Update(IncidentId, IncidentChanges, String),
        NotifyAuthority(IncidentId, Option<DateTime<Utc>>, String),
        Notify(IncidentId),
        Close(IncidentId, String),
        List,
        Show(IncidentId),
    }
    let task = match *command {
        "open" => Task::Open(parse_incident_draft(rest)?),
        "update" => Task::Update(
            incident_id(rest.first())?,
            parse_changes(rest)?,
            flag(rest, "--note").ok_or_else(usage)?.to_owned(),
        ),
        "notify-authority" => Task::NotifyAuthority(
            incident_id(rest.first())?,
            flag(rest, "--at").map(|at| instant("--at", at)).transpose()?,
            flag(rest, "--reference").ok_or_else(usage)?.to_owned(),
        ),
        "notify" => Task::Notify(incident_id(rest.first())?),
        "close" => Task::Close(
            incident_id(rest.first())?,
            flag(rest, "--note").unwrap_or_default().to_owned(),
        ),
        "list" => Task::List,
        "show" => Task::Show(incident_id(rest.first())?),
        _ => return Err(usage()),
    };
    let wiring = wire(settings.clone(), clock).await?;
    let register = &wiring.state.services.incidents;
    let outcome = match task {
        Task::Open(draft) => register.open(draft).await.map(|record| {
            format!(
                "opened incident {}\n{}",
                record.entry.incident.id,
                describe(&record, now)
            )
        }),
        Task::Update(id, changes, note) => register
            .update(id, changes, &note)
            .await
            .map(|record| format!("updated incident {id}\n{}", describe(&record, now))),
        Task::NotifyAuthority(id, at, reference) => register.notify_authority(id, at, &reference).await.map(|record| {
            format!(
                "recorded the authority's notification of incident {id}\n{}",
                describe(&record, now)
            )
        }),
        Task::Notify(id) => register.notify_people(id).await.map(|run| {
            format!(
                "incident {id}: {} notice(s) queued, {} person(s) notified before (service notices, not \
                 consent-gated; performed by the workers)\n",
                run.queued, run.already
            )
        }),
        Task::Close(id, note) => register
            .close(id, &note)
            .await
            .map(|record| format!("closed incident {id}\n{}", describe(&record, now))),
        Task::Show(id) => register.show(id).await.map(|record| {
            if json_wanted {
                format!("{}\n", as_json(&record))
            } else {
                describe(&record, now)
            }
        }),
        Task::List => register
            .register(LIST_LIMIT)
            .await
            .map_err(IncidentError::Unexpected)
            .map(|records| list(&records, json_wanted)),
    };
    let _ = wiring.sql.connection().clone().close().await;
    outcome.map_err(refused)
}

fn list(records: &[IncidentRecord], json_wanted: bool) -> String {
    if json_wanted {
        let all: Vec<Value> = records.iter().map(as_json).collect();
        return format!("{}\n", Value::Array(all));
    }
    let mut out = String::new();
    let overdue = records.iter().filter(|r| r.entry.overdue).count();
    let _ = writeln!(
        out,
        "incidents: {} ({overdue} overdue for the authority)",
        records.len()
    );
    for record in records {
        let i = &record.entry.incident;
        let _ = writeln!(
            out,
            "  {} {} discovered {} authority due {}{}",
            i.id,
            i.status.as_str(),
            i.discovered_at.to_rfc3339(),
            i.authority_due_at().to_rfc3339(),
            if record.entry.overdue { " OVERDUE" } else { "" }
        );
    }
    out
}

fn tenants(affected: &AffectedTenants) -> String {
    match affected {
        AffectedTenants::All => "all".to_owned(),
        AffectedTenants::Some(ids) => ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    }
}

fn describe(record: &IncidentRecord, now: DateTime<Utc>) -> String {
    let i = &record.entry.incident;
    let f = &i.facts;
    let mut out = String::new();
    let _ = writeln!(out, "  status: {}", i.status.as_str());
    let _ = writeln!(
        out,
        "  discovered: {}  opened: {}",
        i.discovered_at.to_rfc3339(),
        i.opened_at.to_rfc3339()
    );
    let _ = match &i.authority {
        Some(a) => writeln!(out, "  authority notified: {} ({})", a.at.to_rfc3339(), a.reference),
        None => writeln!(
            out,
            "  authority due: {}{}",
            i.authority_due_at().to_rfc3339(),
            if i.overdue(now) { " OVERDUE" } else { "" }
        ),
    };
    let _ = writeln!(out, "  organizations: {}", tenants(&i.affected));
    let _ = writeln!(
        out,
        "  data: {}",
        f.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        out,
        "  about {} people, {} records",
        f.people_affected, f.records_affected
    );
    let _ = writeln!(out, "  nature: {}", f.nature);
    let _ = writeln!(out, "  consequences: {}", f.consequences);
    let _ = writeln!(out, "  measures: {}", f.measures);
    let _ = writeln!(out, "  people notified: {}", record.notices);
    for update in &record.history {
        let _ = writeln!(
            out,
            "  {} {}{}{}",
            update.at.to_rfc3339(),
            update.kind.as_str(),
            if update.changed.is_empty() {
                String::new()
            } else {
                format!(" [{}]", update.changed.join(", "))
            },
            update.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default()
        );
    }
    out
}

/// One incident of the register as JSON (`incident list --json`).
#[must_use]
pub fn as_json(record: &IncidentRecord) -> Value {
    let i = &record.entry.incident;
    let f = &i.facts;
    json!({
        "id": i.id,
        "status": i.status.as_str(),
        "discovered_at": i.discovered_at,
        "opened_at": i.opened_at,
        "authority_due_at": i.authority_due_at(),
        "overdue": record.entry.overdue,
        "authority_notified_at": i.authority.as_ref().map(|a| a.at),
        "authority_reference": i.authority.as_ref().map(|a| a.reference.clone()),
        "closed_at": i.closed_at,
        "nature": f.nature,
        "data_categories": f.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "people_affected": f.people_affected,
        "records_affected": f.records_affected,
        "consequences": f.consequences,
        "measures": f.measures,
        "affects_all_organizations": i.affected == AffectedTenants::All,
        "organizations": match &i.affected {
            AffectedTenants::All => Vec::new(),
            AffectedTenants::Some(ids) => ids.clone(),
        },
        "people_notified": record.notices,
        "history": record.history.iter().map(|u| json!({
            "at": u.at,
            "kind": u.kind.as_str(),
            "changed": u.changed,
            "note": u.note,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_arguments_are_parsed_and_named_when_wrong() {
        let draft = parse_incident_draft(&[
            "--discovered-at",
            "2027-05-01T12:00:00+02:00",
            "--nature",
            "n",
            "--categories",
            "account_profile, customer_content",
            "--people",
            "12",
            "--records",
            "30",
            "--consequences",
            "c",
            "--measures",
            "m",
            "--tenant",
            "0190a5a0-0000-7000-8000-000000000001",
            "--tenant",
            "0190a5a0-0000-7000-8000-000000000002",
        ])
        .unwrap();
        assert_eq!(draft.discovered_at.unwrap().to_rfc3339(), "2027-05-01T10:00:00+00:00");
        assert_eq!(draft.categories, vec!["account_profile", "customer_content"]);
        assert_eq!(draft.tenants.len(), 2);
        assert_eq!(draft.people_affected, 12);
        let missing = parse_incident_draft(&["--nature", "n"]).unwrap_err();
        assert!(missing.to_string().contains("usage"), "{missing}");
        let bad = parse_incident_draft(&[
            "--discovered-at",
            "yesterday",
            "--nature",
            "n",
            "--categories",
            "x",
            "--people",
            "1",
            "--records",
            "1",
            "--consequences",
            "c",
            "--measures",
            "m",
        ])
        .unwrap_err();
        assert!(bad.to_string().contains("--discovered-at"), "{bad}");
    }
}

//! Operator tasks of the privacy promises: publishing a policy version
//! (`publish-policy`), listing the operator's own privacy requests
//! (`privacy-requests`), erasing one person's account (`erase-user`), the
//! record of processing activities (`processing-record`) and
//! queueing a product update (`send-product-update`),
//! with the argument parsing `xtask` and `fakturo admin` share.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use fakturo_domain::TenantId;
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::privacy::policies::{PolicyDraft, PolicyKind};
use fakturo_domain::privacy::services::policies::PublishPolicyError;
use fakturo_domain::privacy::services::user_erasure::UserErasureError;

use super::OpsError;
use crate::adapters::SystemClock;
use crate::application::wire;
use crate::settings::Settings;
use crate::telemetry::error_chain;

/// The usage line of `publish-policy`.
pub const PUBLISH_POLICY_USAGE: &str = "publish-policy --kind privacy|terms --version V --effective DATE \
                                        [--material] --summary TEXT";

/// The usage line of `send-product-update`.
pub const PRODUCT_UPDATE_USAGE: &str = "send-product-update --subject TEXT --body TEXT [--tenant ID]";

/// The value after `--name` in `args`.
fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|arg| *arg == name)
        .and_then(|i| args.get(i + 1))
        .copied()
}

/// Parses `publish-policy` arguments. `--effective` is a date (midnight
/// UTC) or an RFC 3339 instant.
///
/// # Errors
/// A message naming the missing or invalid argument.
pub fn parse_policy_draft(args: &[&str]) -> Result<PolicyDraft, String> {
    let usage = || format!("usage: {PUBLISH_POLICY_USAGE}");
    let kind = flag(args, "--kind").ok_or_else(usage)?;
    let kind = PolicyKind::parse(kind).ok_or_else(|| format!("--kind must be privacy or terms, not {kind}"))?;
    let version = flag(args, "--version").ok_or_else(usage)?;
    let effective = flag(args, "--effective").ok_or_else(usage)?;
    let effective_at = parse_instant(effective)
        .ok_or_else(|| format!("--effective takes a date like 2027-01-15 or an RFC 3339 time, not {effective}"))?;
    let summary = flag(args, "--summary").ok_or_else(usage)?;
    Ok(PolicyDraft {
        kind,
        version: version.to_owned(),
        effective_at,
        material: args.contains(&"--material"),
        summary: summary.to_owned(),
    })
}

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = text.parse::<NaiveDate>() {
        return date.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// Publishes a policy version now and queues a notice to every user.
///
/// # Errors
/// [`OpsError::Task`] saying why the version was refused (notice period,
/// existing or older version), or a storage failure.
pub async fn publish_policy(settings: &Settings, draft: PolicyDraft) -> Result<String, OpsError> {
    publish_policy_at(settings, draft, Arc::new(SystemClock)).await
}

/// [`publish_policy`] on another clock (tests).
///
/// # Errors
/// See [`publish_policy`].
pub async fn publish_policy_at(
    settings: &Settings,
    draft: PolicyDraft,
    clock: Arc<dyn Clock>,
) -> Result<String, OpsError> {
    let wiring = wire(settings.clone(), clock).await?;
    let published = wiring.state.services.policies.publish(draft).await;
    let _ = wiring.sql.connection().clone().close().await;
    let publication = published.map_err(|error| match error {
        PublishPolicyError::Refused(refused) => OpsError::Task(format!("refused: {refused}")),
        PublishPolicyError::Unexpected(error) => OpsError::Task(error_chain(&error)),
    })?;
    let v = &publication.version;
    Ok(format!(
        "published {} version {} ({}), effective {}\nnotices queued: {} (one per user; performed by the workers)\n",
        v.kind.title(),
        v.version,
        if v.material { "material" } else { "not material" },
        v.effective_at.to_rfc3339(),
        publication.notices_queued
    ))
}

/// Lists the privacy requests that concern no organization: the operator's
/// own cases, newest first, with their deadlines. The output names the
/// requester's address, which the operator needs to answer: it goes to the
/// operator's terminal, never to the logs.
///
/// # Errors
/// [`OpsError`] when storage fails.
pub async fn privacy_requests(settings: &Settings) -> Result<String, OpsError> {
    let clock = Arc::new(SystemClock);
    let today = clock.now().date_naive();
    let wiring = wire(settings.clone(), clock).await?;
    let cases = wiring.state.services.privacy_requests.operator_cases(1000).await;
    let _ = wiring.sql.connection().clone().close().await;
    let cases = cases.map_err(|e| OpsError::Task(error_chain(&e)))?;
    let mut out = String::new();
    let _ = writeln!(out, "operator privacy requests: {}", cases.len());
    for case in cases {
        let overdue = if case.status.is_open() && case.due_on < today {
            " OVERDUE"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} {} {} received {} due {}{overdue} from {}",
            case.id,
            case.request_type.as_str(),
            case.status.as_str(),
            case.received_at.to_rfc3339(),
            case.due_on,
            case.subject_email,
        );
        if let Some(hint) = &case.organization_hint {
            let _ = writeln!(out, "    organization named: {hint}");
        }
        if let Some(reference) = &case.client_reference {
            let _ = writeln!(out, "    reference: {reference}");
        }
        let _ = writeln!(out, "    details: {}", case.details.replace('\n', " "));
    }
    Ok(out)
}

/// Erases the account signing in with `email` (a child's account, or a
/// person's request sent to the operator); the organization stays. An
/// owner's account is refused until ownership has passed to another user.
///
/// # Errors
/// [`OpsError::Task`] for an invalid or unknown address, an owner, or a
/// storage failure.
pub async fn erase_user(settings: &Settings, email: &str) -> Result<String, OpsError> {
    erase_user_at(settings, email, Arc::new(SystemClock)).await
}

/// [`erase_user`] on another clock (tests).
///
/// # Errors
/// See [`erase_user`].
pub async fn erase_user_at(settings: &Settings, email: &str, clock: Arc<dyn Clock>) -> Result<String, OpsError> {
    let address = EmailAddress::parse(email).map_err(|e| OpsError::Task(format!("not an email address: {e}")))?;
    let wiring = wire(settings.clone(), clock).await?;
    let erased = wiring.state.services.user_erasure.erase_by_email(&address).await;
    let _ = wiring.sql.connection().clone().close().await;
    let report = erased.map_err(|error| match error {
        UserErasureError::Unexpected(e) => OpsError::Task(error_chain(&e)),
        other => OpsError::Task(other.to_string()),
    })?;
    let mut out = format!("erased user {} of organization {}\n", report.user_id, report.tenant_id);
    for item in &report.deleted {
        let _ = writeln!(out, "  deleted: {} ({})", item.what, item.count);
    }
    for item in &report.pseudonymized {
        let _ = writeln!(out, "  pseudonymized: {} ({})", item.what, item.count);
    }
    for line in &report.retained {
        let _ = writeln!(out, "  kept: {line}");
    }
    Ok(out)
}

/// The usage line of `processing-record`.
pub const PROCESSING_RECORD_USAGE: &str = "processing-record [--tenant ID] [--pdf FILE]";

/// The record of processing activities (Art. 30): the operator's own, or
/// with `--tenant` an organization's; as JSON, or with `--pdf FILE` written
/// to FILE as a PDF.
///
/// # Errors
/// [`OpsError::Task`] for invalid arguments, an unknown organization, or a
/// rendering or storage failure.
pub async fn processing_record(settings: &Settings, args: &[&str]) -> Result<String, OpsError> {
    let tenant = match flag(args, "--tenant") {
        Some(id) => Some(
            id.parse::<TenantId>()
                .map_err(|_| OpsError::Task(format!("not an organization id: {id}")))?,
        ),
        None if args.contains(&"--tenant") => {
            return Err(OpsError::Task(format!("usage: {PROCESSING_RECORD_USAGE}")));
        }
        None => None,
    };
    let pdf = match flag(args, "--pdf") {
        Some(path) => Some(std::path::PathBuf::from(path)),
        None if args.contains(&"--pdf") => return Err(OpsError::Task(format!("usage: {PROCESSING_RECORD_USAGE}"))),
        None => None,
    };
    let wiring = wire(settings.clone(), Arc::new(SystemClock)).await?;
    let service = wiring.state.services.processing_record.clone();
    let record = match tenant {
        Some(tenant) => service.for_tenant(tenant).await,
        None => Ok(service.for_operator()),
    };
    let _ = wiring.sql.connection().clone().close().await;
    let record = record.map_err(|e| OpsError::Task(error_chain(&e)))?;
    match pdf {
        Some(path) => {
            let bytes = crate::documents::processing_record::pdf(&record)
                .await
                .map_err(|e| OpsError::Task(error_chain(&e)))?;
            std::fs::write(&path, &bytes)
                .map_err(|e| OpsError::Task(format!("cannot write {}: {e}", path.display())))?;
            Ok(format!(
                "record of processing activities written to {} ({} bytes)\n",
                path.display(),
                bytes.len()
            ))
        }
        None => serde_json::to_string_pretty(&record)
            .map(|json| json + "\n")
            .map_err(|e| OpsError::Task(e.to_string())),
    }
}

/// Queues the operator's product update for every user (of one tenant when
/// `--tenant` is given); each email is produced only if its user consents
/// to marketing email when the job runs.
///
/// # Errors
/// [`OpsError::Task`] for invalid arguments or a storage failure.
pub async fn send_product_update(settings: &Settings, args: &[&str]) -> Result<String, OpsError> {
    send_product_update_at(settings, args, Arc::new(SystemClock)).await
}

/// [`send_product_update`] on another clock (tests).
///
/// # Errors
/// See [`send_product_update`].
pub async fn send_product_update_at(
    settings: &Settings,
    args: &[&str],
    clock: Arc<dyn Clock>,
) -> Result<String, OpsError> {
    let usage = || OpsError::Task(format!("usage: {PRODUCT_UPDATE_USAGE}"));
    let subject = flag(args, "--subject").ok_or_else(usage)?;
    let body = flag(args, "--body").ok_or_else(usage)?;
    let tenant = match flag(args, "--tenant") {
        Some(id) => Some(
            id.parse::<TenantId>()
                .map_err(|_| OpsError::Task(format!("not an organization id: {id}")))?,
        ),
        None => None,
    };
    let wiring = wire(settings.clone(), clock).await?;
    let report = wiring
        .state
        .services
        .marketing
        .send_product_update(subject, body, tenant)
        .await;
    let _ = wiring.sql.connection().clone().close().await;
    let report = report.map_err(|e| OpsError::Task(error_chain(&e)))?;
    Ok(format!(
        "product update queued for {} user(s) ({} had it queued already); each is sent only with consent\n",
        report.queued, report.already_queued
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_arguments_are_parsed_and_named_when_wrong() {
        let draft = parse_policy_draft(&[
            "--kind",
            "privacy",
            "--version",
            "2027-01-15",
            "--effective",
            "2027-01-15",
            "--material",
            "--summary",
            "Files move to the EU.",
        ])
        .unwrap();
        assert_eq!(draft.kind, PolicyKind::Privacy);
        assert!(draft.material);
        assert_eq!(draft.effective_at.to_rfc3339(), "2027-01-15T00:00:00+00:00");
        let at = parse_policy_draft(&[
            "--kind",
            "terms",
            "--version",
            "v2",
            "--effective",
            "2027-02-01T09:00:00+01:00",
            "--summary",
            "x",
        ])
        .unwrap();
        assert_eq!(at.effective_at.to_rfc3339(), "2027-02-01T08:00:00+00:00");
        assert!(!at.material);
        let wrong = parse_policy_draft(&["--kind", "cookies"]).unwrap_err();
        assert!(wrong.contains("--kind"), "{wrong}");
        let missing = parse_policy_draft(&["--kind", "privacy", "--version", "v"]).unwrap_err();
        assert!(missing.contains("usage"), "{missing}");
    }
}

//! Exports: who may ask for which scope, the queued build and its audit
//! event, reading one's own or (as a manager) anyone's, and the archive's
//! download window.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::user::Forbidden;
use crate::kernel::files::ObjectKey;
use crate::messaging::outbox::Effect;
use crate::privacy::exports::{ExportScope, ExportStatus};
use crate::privacy::services::exports::ExportError;

#[tokio::test]
async fn an_unknown_scope_or_a_client_scope_without_a_client_is_invalid() {
    let w = World::new();
    let before = w.snapshot();
    let err = w
        .exports()
        .request(&signed_in(&w.owner), "everything", None, &origin())
        .await
        .unwrap_err();
    let ExportError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["scope:invalid_scope"]);
    let err = w
        .exports()
        .request(&signed_in(&w.owner), "client", None, &origin())
        .await
        .unwrap_err();
    let ExportError::Invalid(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(codes(&errors), ["client_id:required"]);
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_member_exports_only_their_own_data() {
    let w = World::new();
    let client = w.client("Erika Muster", None);
    let before = w.snapshot();
    let err = w
        .exports()
        .request(&signed_in(&w.member), "tenant", None, &origin())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::Forbidden(Forbidden {
                role: Role::Member,
                action: "export the whole organization"
            })
        ),
        "{err:?}"
    );
    let err = w
        .exports()
        .request(&signed_in(&w.member), "client", Some(client.id), &origin())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::Forbidden(Forbidden {
                action: "export a client's data",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn a_client_export_of_an_unknown_or_foreign_client_is_not_found() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let theirs = w.client_of(elsewhere, "Jean Dupont", None);
    let before = w.snapshot();
    let err = w
        .exports()
        .request(&signed_in(&w.owner), "client", Some(theirs.id), &origin())
        .await
        .unwrap_err();
    assert!(matches!(err, ExportError::NotFound), "{err:?}");
    assert_eq!(w.snapshot(), before);
}

#[tokio::test]
async fn an_export_of_ones_own_data_is_queued_once_and_audited() {
    let w = World::new();
    let export = w
        .exports()
        .request(&signed_in(&w.accountant), "me", None, &origin())
        .await
        .unwrap();
    assert_eq!(export.scope, ExportScope::User(w.accountant.id));
    assert_eq!(export.status, ExportStatus::Pending);
    assert_eq!((export.requested_by, export.requested_at), (w.accountant.id, w.now()));
    assert_eq!(export.expires_at, w.now() + TimeDelta::days(7));
    let state = w.snapshot();
    assert_eq!(state.exports[&(w.tenant, export.id)], export);
    assert_eq!(state.job_keys(), [format!("export:{}", export.id)]);
    assert_eq!(state.jobs[0].effect, Effect::BuildExport { export_id: export.id });
    assert_eq!(state.jobs[0].tenant_id, Some(w.tenant));
    let events = state.events(AuditAction::DataExported);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].details.get("scope").map(String::as_str), Some("me"));
    assert_eq!(
        events[0].target.as_ref().map(|t| (t.kind, t.id)),
        Some(("user", w.accountant.id.as_uuid()))
    );
}

#[tokio::test]
async fn organization_and_client_exports_name_their_subject_in_the_audit_log() {
    let w = World::new();
    let client = w.client("Erika Muster", None);
    let whole = w
        .exports()
        .request(&signed_in(&w.admin), "tenant", None, &origin())
        .await
        .unwrap();
    let one = w
        .exports()
        .request(&signed_in(&w.owner), "client", Some(client.id), &origin())
        .await
        .unwrap();
    assert_eq!(
        (whole.scope, one.scope),
        (ExportScope::Tenant, ExportScope::Client(client.id))
    );
    let state = w.snapshot();
    let events = state.events(AuditAction::DataExported);
    assert_eq!(events[0].target, None);
    assert_eq!(
        events[1].target.as_ref().map(|t| (t.kind, t.id)),
        Some(("client", client.id.as_uuid()))
    );
    assert_eq!(state.jobs.len(), 2);
}

#[tokio::test]
async fn someone_elses_export_is_for_managers_only() {
    let w = World::new();
    let export = w
        .exports()
        .request(&signed_in(&w.accountant), "me", None, &origin())
        .await
        .unwrap();
    let err = w.exports().get(&principal(&w.member), export.id).await.unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::Forbidden(Forbidden {
                action: "see other users' exports",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(
        w.exports().get(&principal(&w.accountant), export.id).await.unwrap(),
        export
    );
    assert_eq!(w.exports().get(&principal(&w.admin), export.id).await.unwrap(), export);
}

#[tokio::test]
async fn an_unknown_or_foreign_export_is_not_found() {
    let w = World::new();
    let export = w
        .exports()
        .request(&signed_in(&w.owner), "me", None, &origin())
        .await
        .unwrap();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let stranger = w.user(elsewhere, "olga@example.org", Role::Owner);
    let err = w.exports().get(&principal(&stranger), export.id).await.unwrap_err();
    assert!(matches!(err, ExportError::NotFound), "{err:?}");
    let err = w
        .exports()
        .archive(&principal(&w.owner), uuid::Uuid::from_u128(12345))
        .await
        .unwrap_err();
    assert!(matches!(err, ExportError::NotFound), "{err:?}");
}

#[tokio::test]
async fn the_archive_is_ready_only_after_the_build_and_until_it_expires() {
    let w = World::new();
    let service = w.exports();
    let who = principal(&w.owner);
    let export = service
        .request(&signed_in(&w.owner), "me", None, &origin())
        .await
        .unwrap();
    let err = service.archive(&who, export.id).await.unwrap_err();
    assert!(matches!(err, ExportError::NotReady("pending")), "{err:?}");

    let pending = service.pending(w.tenant, export.id).await.unwrap().unwrap();
    let key = ObjectKey::tenant_export(w.tenant, export.id);
    w.advance(TimeDelta::minutes(3));
    service
        .finished(pending, &key, 2048, "{\"users\":1}".into())
        .await
        .unwrap();
    let stored = w.snapshot().exports[&(w.tenant, export.id)].clone();
    assert_eq!(stored.status, ExportStatus::Ready);
    assert_eq!(stored.completed_at, Some(w.now()));
    assert_eq!(stored.object_key.as_deref(), Some(key.as_str()));
    assert_eq!(
        (stored.size_bytes, stored.manifest.as_deref()),
        (Some(2048), Some("{\"users\":1}"))
    );
    assert_eq!(service.pending(w.tenant, export.id).await.unwrap(), None);

    let (found, archive) = service.archive(&who, export.id).await.unwrap();
    assert_eq!((found, archive), (stored, key));

    w.clock.set(export.expires_at);
    let err = service.archive(&who, export.id).await.unwrap_err();
    assert!(matches!(err, ExportError::Expired), "{err:?}");
}

#[tokio::test]
async fn a_failed_build_is_not_ready_and_keeps_a_short_error() {
    let w = World::new();
    let service = w.exports();
    let export = service
        .request(&signed_in(&w.owner), "tenant", None, &origin())
        .await
        .unwrap();
    service.failed(export.clone(), &"x".repeat(800)).await.unwrap();
    let stored = w.snapshot().exports[&(w.tenant, export.id)].clone();
    assert_eq!(stored.status, ExportStatus::Failed);
    assert_eq!(stored.error.as_ref().map(String::len), Some(500));
    assert_eq!(stored.completed_at, Some(w.now()));
    let err = service.archive(&principal(&w.owner), export.id).await.unwrap_err();
    assert!(matches!(err, ExportError::NotReady("failed")), "{err:?}");
    assert_eq!(service.pending(w.tenant, export.id).await.unwrap(), None);
}

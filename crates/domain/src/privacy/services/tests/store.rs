//! The memory store itself behaves as the services expect of a database:
//! a dropped unit writes nothing, unique keys refuse duplicates, a
//! confirmation token confirms once, and users page in order.

use super::*;
use crate::PrivacySubmissionId;
use crate::kernel::pagination::PageRequest;
use crate::kernel::repository::RepositoryError;
use crate::kernel::tokens::TokenDigest;
use crate::privacy::policies::{PolicyKind, PolicyVersion};
use crate::privacy::ports::{PrivacyStore, SubmissionConfirmation};
use crate::privacy::requests::{PrivacySubmission, RequestType};

#[tokio::test]
async fn a_dropped_unit_changes_nothing_and_a_committed_one_counts() {
    let w = World::new();
    let client = w.client("Erika", None);
    let before = w.snapshot();
    let uow = w.store.begin().await.unwrap();
    assert!(uow.delete_client(w.tenant, client.id).await.unwrap());
    assert!(uow.client(w.tenant, client.id).await.unwrap().is_none());
    drop(uow);
    assert_eq!(w.snapshot(), before);
    let uow = w.store.begin().await.unwrap();
    uow.delete_client(w.tenant, client.id).await.unwrap();
    uow.commit().await.unwrap();
    let after = w.snapshot();
    assert!(after.clients.is_empty());
    assert_eq!(after.commits, before.commits + 1);
}

#[tokio::test]
async fn duplicate_policy_versions_are_refused() {
    let w = World::new();
    let version = PolicyVersion {
        kind: PolicyKind::Privacy,
        version: "v2".into(),
        effective_at: w.now(),
        material: false,
        summary: "x".into(),
        published_at: w.now(),
    };
    let uow = w.store.begin().await.unwrap();
    uow.policies().insert(&version).await.unwrap();
    let err = uow.policies().insert(&version).await.unwrap_err();
    assert!(matches!(err, RepositoryError::Duplicate { constraint } if constraint == "policy_versions_pkey"));
}

#[tokio::test]
async fn a_token_confirms_its_submission_once_and_collisions_are_refused() {
    let w = World::new();
    let submission = |n: u128| PrivacySubmission {
        id: PrivacySubmissionId::from_uuid(uuid::Uuid::from_u128(n)),
        request_type: RequestType::Access,
        email: EmailAddress::parse("a@example.com").unwrap(),
        organization_hint: None,
        client_reference: None,
        details: "x".into(),
        token_digest: None,
        submitted_at: w.now(),
        expires_at: w.now() + TimeDelta::days(2),
        confirmed_at: None,
    };
    let uow = w.store.begin().await.unwrap();
    let repo = uow.privacy_submissions();
    let (one, two) = (submission(1), submission(2));
    repo.insert(&one).await.unwrap();
    repo.insert(&two).await.unwrap();
    assert!(matches!(
        repo.insert(&one).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    let digest = TokenDigest::from_stored("abc".into());
    assert!(repo.set_token(one.id, &digest).await.unwrap());
    assert!(matches!(
        repo.set_token(two.id, &digest).await,
        Err(RepositoryError::Duplicate { .. })
    ));
    let unknown = TokenDigest::from_stored("zzz".into());
    assert_eq!(
        repo.confirm(&unknown, w.now()).await.unwrap(),
        SubmissionConfirmation::Unknown
    );
    assert!(
        matches!(repo.confirm(&digest, w.now()).await.unwrap(), SubmissionConfirmation::Confirmed(s) if s.id == one.id)
    );
    assert_eq!(
        repo.confirm(&digest, w.now()).await.unwrap(),
        SubmissionConfirmation::AlreadyConfirmed
    );
}

#[tokio::test]
async fn users_page_in_id_order_within_their_tenant() {
    let w = World::new();
    let elsewhere = w.organization("Other Ltd", "FR", "Europe/Paris");
    let olga = w.user(elsewhere, "olga@example.org", Role::Owner);
    let uow = w.store.begin().await.unwrap();
    let first = uow
        .users(w.tenant, PageRequest { limit: 3, after: None })
        .await
        .unwrap();
    assert_eq!(
        first.items.iter().map(|u| u.id).collect::<Vec<_>>(),
        [w.owner.id, w.admin.id, w.member.id]
    );
    let cursor = first.next_cursor.unwrap();
    let rest = uow
        .users(w.tenant, PageRequest::new(Some(3), Some(&cursor)).unwrap())
        .await
        .unwrap();
    assert_eq!(rest.items.iter().map(|u| u.id).collect::<Vec<_>>(), [w.accountant.id]);
    assert!(rest.next_cursor.is_none());
    let scanned = uow.scan_users(Some((w.tenant, w.accountant.id)), 10).await.unwrap();
    assert_eq!(scanned.iter().map(|u| u.id).collect::<Vec<_>>(), [olga.id]);
}

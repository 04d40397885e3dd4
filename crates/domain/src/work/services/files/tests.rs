//! The upload policy, checked before any storage is touched.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{TimeZone, Utc};

use super::{FileError, FileRules, FileService, Upload};
use crate::access::testing::fakes::SequentialIds;
use crate::access::user::{Principal, Role};
use crate::invoicing::testing::fixtures::RecordingFiles;
use crate::kernel::clock::ManualClock;
use crate::kernel::repository::RepositoryError;
use crate::work::content_type::{HTML, TypeRefusal};
use crate::work::notes::Subject;
use crate::work::ports::{WorkStore, WorkUnit};
use crate::{ClientId, TenantId, UserId};

/// A store the policy must never reach.
struct Unreachable;

#[async_trait]
impl WorkStore for Unreachable {
    async fn begin(&self) -> Result<Box<dyn WorkUnit>, RepositoryError> {
        Err(RepositoryError::Unexpected("the store was reached".into()))
    }
}

fn service(max_bytes: u64) -> FileService {
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    FileService::new(
        Arc::new(Unreachable),
        Arc::new(ManualClock::new(now)),
        Arc::new(SequentialIds::new()),
        Arc::new(RecordingFiles::default()),
        FileRules {
            max_bytes,
            tenant_quota_bytes: 1_000_000,
        },
    )
}

fn principal(role: Role) -> Principal {
    Principal {
        user_id: UserId::from_uuid(uuid::Uuid::from_u128(1)),
        tenant_id: TenantId::from_uuid(uuid::Uuid::from_u128(2)),
        role,
    }
}

fn upload(declared: &str, bytes: &[u8]) -> Upload {
    Upload {
        name: "scan.pdf".into(),
        declared_type: Some(declared.into()),
        bytes: bytes.to_vec(),
    }
}

fn subject() -> Subject {
    Subject::Client(ClientId::from_uuid(uuid::Uuid::from_u128(3)))
}

#[test]
fn sizes_over_the_limit_are_refused_before_reading() {
    let files = service(10);
    assert!(files.admit_size(10).is_ok());
    assert!(matches!(files.admit_size(11), Err(FileError::TooLarge { max: 10 })));
}

#[tokio::test]
async fn the_file_is_checked_before_the_role_and_the_store() {
    let files = service(10);
    let accountant = principal(Role::Accountant);
    let too_large = files
        .upload(&accountant, subject(), upload("application/pdf", b"%PDF-1.7 ..."))
        .await;
    assert!(matches!(too_large, Err(FileError::TooLarge { max: 10 })));
    let active = files
        .upload(&accountant, subject(), upload("text/plain", b"<html>"))
        .await;
    assert!(matches!(active, Err(FileError::Type(TypeRefusal::ActiveContent(HTML)))));
    let mismatch = files
        .upload(&accountant, subject(), upload("image/png", b"%PDF-1.7"))
        .await;
    assert!(matches!(mismatch, Err(FileError::Type(TypeRefusal::Mismatch))));
    let unknown = files
        .upload(&accountant, subject(), upload("application/pdf", &[0, 1, 2]))
        .await;
    assert!(matches!(unknown, Err(FileError::Type(TypeRefusal::Unrecognised))));
    let refused = files
        .upload(&accountant, subject(), upload("application/pdf", b"%PDF-1.7"))
        .await;
    assert!(matches!(refused, Err(FileError::Forbidden(_))));
    let member = principal(Role::Member);
    let reached = files
        .upload(&member, subject(), upload("application/pdf", b"%PDF-1.7"))
        .await;
    assert!(
        matches!(reached, Err(FileError::Unexpected(_))),
        "an acceptable file goes on to the store"
    );
}

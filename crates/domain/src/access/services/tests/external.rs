//! Sign-in with Google: the state kept across the redirect and what a
//! verified identity leads to.

use super::*;
use crate::access::audit::AuditAction;
use crate::access::one_time_tokens::TokenPurpose;
use crate::access::ports::{ExternalIdentity, PasswordHash};
use crate::access::services::accounts::{BeginExternalError, ExternalIntent, ExternalSignInError, VerifiedIdentity};
use crate::kernel::tokens::SecretToken;
use crate::privacy::policies::AcceptanceChannel;

fn sign_up(country: &str, version: &str) -> ExternalIntent {
    ExternalIntent::SignUp {
        organization_name: "Grace Consulting".into(),
        country: country.into(),
        accept_policy_version: version.into(),
    }
}

fn identity(email: &str) -> VerifiedIdentity {
    VerifiedIdentity {
        provider: "google".into(),
        subject: "sub-1".into(),
        email: EmailAddress::parse(email).unwrap(),
        email_verified: true,
        name: Some("Grace Hopper".into()),
    }
}

fn state() -> SecretToken {
    SecretToken::new("state-1".into())
}

#[tokio::test]
async fn the_state_is_kept_ten_minutes_with_the_adapters_data_and_the_intent() {
    let world = World::new();
    world
        .accounts
        .begin_external_sign_in(&state(), "nonce+verifier".into(), sign_up("DE", POLICY), true)
        .await
        .unwrap();
    let stored = world.snapshot().one_time_tokens[state().digest().as_str()].clone();
    assert_eq!(stored.purpose, TokenPurpose::ExternalSignIn);
    assert_eq!((stored.tenant_id, stored.user_id), (None, None));
    assert_eq!(stored.expires_at, start() + TimeDelta::minutes(10));
    world.advance(TimeDelta::minutes(9));
    let (adapter, intent) = world.accounts.take_external_state("state-1").await.unwrap();
    assert_eq!((adapter.as_str(), intent), ("nonce+verifier", sign_up("DE", POLICY)));
    assert!(matches!(
        world.accounts.take_external_state("state-1").await,
        Err(ExternalSignInError::StateGone)
    ));
}

#[tokio::test]
async fn a_state_unknown_or_older_than_ten_minutes_is_refused() {
    let world = World::new();
    assert!(matches!(
        world.accounts.take_external_state("state-1").await,
        Err(ExternalSignInError::InvalidState)
    ));
    world
        .accounts
        .begin_external_sign_in(&state(), "a".into(), ExternalIntent::SignIn, false)
        .await
        .unwrap();
    world.advance(TimeDelta::minutes(10));
    let before = world.snapshot();
    assert!(matches!(
        world.accounts.take_external_state("state-1").await,
        Err(ExternalSignInError::StateGone)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_external_sign_up_checks_its_fields_age_and_policy_before_storing_anything() {
    let world = World::new();
    let invalid = ExternalIntent::SignUp {
        organization_name: " ".into(),
        country: "Germany".into(),
        accept_policy_version: POLICY.into(),
    };
    match world
        .accounts
        .begin_external_sign_in(&state(), "a".into(), invalid, true)
        .await
    {
        Err(BeginExternalError::Invalid(errors)) => assert_eq!(fields_of(&errors), ["organization_name", "country"]),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(matches!(
        world
            .accounts
            .begin_external_sign_in(&state(), "a".into(), sign_up("DE", POLICY), false)
            .await,
        Err(BeginExternalError::AgeNotConfirmed { minimum: 16 })
    ));
    match world
        .accounts
        .begin_external_sign_in(&state(), "a".into(), sign_up("DE", "2020-01-01"), true)
        .await
    {
        Err(BeginExternalError::PolicyNotAccepted { current }) => assert_eq!(current, POLICY),
        other => panic!("expected PolicyNotAccepted, got {other:?}"),
    }
    assert_eq!(world.snapshot(), MemoryState::default());
}

#[tokio::test]
async fn an_email_the_provider_does_not_vouch_for_is_refused() {
    let world = World::new();
    world.owner();
    let before = world.snapshot();
    let unverified = VerifiedIdentity {
        email_verified: false,
        ..identity("ada@example.com")
    };
    assert!(matches!(
        world
            .accounts
            .sign_in_external(unverified, ExternalIntent::SignIn, &origin())
            .await,
        Err(ExternalSignInError::EmailNotVerified)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn signing_in_without_an_account_is_no_account() {
    let world = World::new();
    world.owner();
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .sign_in_external(identity("grace@example.com"), ExternalIntent::SignIn, &origin())
            .await,
        Err(ExternalSignInError::NoAccount)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_account_that_never_confirmed_its_address_is_not_linked() {
    let world = World::new();
    let ada = world.owner();
    world.edit_user(&ada, |s| s.user.email_verified_at = None);
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .sign_in_external(identity("Ada@example.com"), sign_up("DE", POLICY), &origin())
            .await,
        Err(ExternalSignInError::UnverifiedAccount)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn a_verified_account_with_the_email_is_linked_and_signed_in() {
    let world = World::new();
    let ada = world.owner();
    let new = world
        .accounts
        .sign_in_external(identity("ada@example.com"), ExternalIntent::SignIn, &origin())
        .await
        .unwrap();
    assert_eq!(new.session.user_id, ada.id);
    let state = world.snapshot();
    assert_eq!(
        state.identities[&("google".to_owned(), "sub-1".to_owned())],
        ExternalIdentity {
            tenant_id: ada.tenant_id,
            user_id: ada.id,
            provider: "google".into(),
            subject: "sub-1".into(),
            linked_at: start(),
        }
    );
    let linked = state.events(AuditAction::IdentityLinked);
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].details["new_account"], "false");
    assert_eq!(
        state.events(AuditAction::SignInSucceeded)[0].details["method"],
        "google"
    );

    // Next time the link decides, whatever the email now says.
    let again = world
        .accounts
        .sign_in_external(identity("ada.new@example.com"), ExternalIntent::SignIn, &origin())
        .await
        .unwrap();
    assert_eq!(again.session.user_id, ada.id);
    let state = world.snapshot();
    assert_eq!(state.events(AuditAction::IdentityLinked).len(), 1);
    assert_eq!(state.events(AuditAction::SignInSucceeded).len(), 2);
    assert_eq!(state.sessions.len(), 2);
}

#[tokio::test]
async fn a_link_to_a_user_that_is_gone_is_no_account() {
    let world = World::new();
    let ada = world.owner();
    world.store.edit(|s| {
        s.identities.insert(
            ("google".into(), "sub-1".into()),
            ExternalIdentity {
                tenant_id: ada.tenant_id,
                user_id: UserId::from_uuid(uuid::Uuid::from_u128(999)),
                provider: "google".into(),
                subject: "sub-1".into(),
                linked_at: start(),
            },
        );
    });
    let before = world.snapshot();
    assert!(matches!(
        world
            .accounts
            .sign_in_external(identity("ada@example.com"), ExternalIntent::SignIn, &origin())
            .await,
        Err(ExternalSignInError::NoAccount)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_external_sign_up_creates_an_organization_and_a_verified_owner_without_a_password() {
    let world = World::new();
    let new = world
        .accounts
        .sign_in_external(identity("grace@example.com"), sign_up("FR", POLICY), &origin())
        .await
        .unwrap();
    let state = world.snapshot();
    assert_eq!(state.commits, 1);
    let stored = state.user(new.session.user_id).unwrap();
    assert_eq!(stored.password_hash, PasswordHash::unusable());
    assert_eq!(stored.user.role, Role::Owner);
    assert_eq!(stored.user.name, "Grace Hopper");
    assert_eq!(stored.user.email_verified_at, Some(start()));
    let organization = &state.organizations[&stored.user.tenant_id];
    assert_eq!(
        (organization.name.as_str(), organization.country.code()),
        ("Grace Consulting", "FR")
    );
    assert_eq!(state.acceptances.len(), 1);
    assert_eq!(state.acceptances[0].channel, AcceptanceChannel::Signup);
    assert_eq!(
        state.events(AuditAction::IdentityLinked)[0].details["new_account"],
        "true"
    );
    assert_eq!(state.identities.len(), 1);
}

#[tokio::test]
async fn a_nameless_identity_is_named_after_its_address() {
    let world = World::new();
    let nameless = VerifiedIdentity {
        name: Some("  ".into()),
        ..identity("grace@example.com")
    };
    let new = world
        .accounts
        .sign_in_external(nameless, sign_up("DE", POLICY), &origin())
        .await
        .unwrap();
    assert_eq!(world.snapshot().user(new.session.user_id).unwrap().user.name, "grace");
}

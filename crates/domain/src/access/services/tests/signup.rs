//! Sign-up and "who am I".

use super::*;
use crate::access::services::accounts::{MeError, SignupError};
use crate::messaging::outbox::{AccountEmail, Effect};
use crate::privacy::policies::{AcceptanceChannel, PolicyKind, PolicyVersion};

fn published(world: &World, version: &str, effective_at: DateTime<Utc>) {
    world.store.edit(|s| {
        s.policies.push(PolicyVersion {
            kind: PolicyKind::Privacy,
            version: version.into(),
            effective_at,
            material: true,
            summary: "New processors.".into(),
            published_at: effective_at - TimeDelta::days(30),
        });
    });
}

#[tokio::test]
async fn signing_up_creates_the_organization_its_owner_a_session_and_a_verification_email() {
    let world = World::new();
    let signed = world.accounts.signup(signup_fields()).await.unwrap();
    let state = world.snapshot();

    assert_eq!(state.commits, 1);
    assert_eq!(signed.organization.name, "Grace Consulting");
    assert_eq!(
        state.organizations.get(&signed.organization.id),
        Some(&signed.organization)
    );
    let stored = state.user(signed.user.id).unwrap();
    assert_eq!(stored.user, signed.user);
    assert_eq!(stored.user.role, Role::Owner);
    assert_eq!(stored.user.tenant_id, signed.organization.id);
    assert_eq!(stored.user.email_verified_at, None);
    assert_eq!(stored.password_hash, FakePasswordHasher::hash_of(PASSWORD));

    let session = &signed.session.session;
    assert_eq!(state.sessions.values().collect::<Vec<_>>(), [session]);
    assert_eq!(session.token_digest, signed.session.token.digest());
    assert_eq!(session.expires_at, start() + TimeDelta::hours(24));

    assert_eq!(state.acceptances.len(), 1);
    assert_eq!(state.acceptances[0].version, POLICY);
    assert_eq!(state.acceptances[0].channel, AcceptanceChannel::Signup);
    assert_eq!(state.acceptances[0].user_id, signed.user.id);

    let minute = start().timestamp() / 60;
    assert_eq!(
        state.job_keys(),
        [format!("account-email:{}:EmailVerification:{minute}", signed.user.id)]
    );
    assert_eq!(
        state.jobs[0].effect,
        Effect::SendAccountEmail {
            user_id: signed.user.id,
            email: AccountEmail::EmailVerification,
        }
    );
    assert_eq!(state.jobs[0].tenant_id, Some(signed.organization.id));
}

#[tokio::test]
async fn invalid_fields_are_all_named_and_nothing_is_hashed_or_written() {
    let world = World::new();
    let before = world.snapshot();
    let fields = SignupFields {
        email: "not an email".into(),
        name: " ".into(),
        organization_name: String::new(),
        country: "Germany".into(),
        ..signup_fields()
    };
    match world.accounts.signup(fields).await {
        Err(SignupError::Invalid(errors)) => {
            assert_eq!(fields_of(&errors), ["email", "name", "organization_name", "country"]);
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(world.passwords.hashes(), 0);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn the_minimum_age_must_be_confirmed() {
    let world = World::new();
    let fields = SignupFields {
        confirm_minimum_age: false,
        ..signup_fields()
    };
    assert!(matches!(
        world.accounts.signup(fields).await,
        Err(SignupError::AgeNotConfirmed { minimum: 16 })
    ));
    assert_eq!(world.passwords.hashes(), 0);
    assert_eq!(world.snapshot(), MemoryState::default());
}

#[tokio::test]
async fn the_published_policy_in_force_must_be_the_one_accepted() {
    let world = World::new();
    published(&world, "2026-11-15", start() - TimeDelta::days(7));
    published(&world, "2027-01-01", start() + TimeDelta::days(40));
    let before = world.snapshot();
    match world.accounts.signup(signup_fields()).await {
        Err(SignupError::PolicyNotAccepted { current }) => assert_eq!(current, "2026-11-15"),
        other => panic!("expected PolicyNotAccepted, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
    let fields = SignupFields {
        accept_policy_version: "2026-11-15".into(),
        ..signup_fields()
    };
    let signed = world.accounts.signup(fields).await.unwrap();
    assert_eq!(signed.user.accepted_policy_version, "2026-11-15");
}

#[tokio::test]
async fn an_email_in_use_in_any_tenant_and_any_case_is_taken() {
    let world = World::new();
    let tenant = world.organization("First");
    world.user(tenant, "Grace@Example.com", Role::Member);
    let before = world.snapshot();
    let fields = SignupFields {
        email: "  grace@EXAMPLE.com ".into(),
        ..signup_fields()
    };
    assert!(matches!(
        world.accounts.signup(fields).await,
        Err(SignupError::EmailTaken)
    ));
    let after = world.snapshot();
    assert_eq!(after, before, "no organization, session or email was left behind");
}

#[tokio::test]
async fn me_shows_the_user_their_organization_and_their_acceptance() {
    let world = World::new();
    let signed = world.accounts.signup(signup_fields()).await.unwrap();
    let me = world.accounts.me(&principal(&signed.user)).await.unwrap();
    assert_eq!(me.user, signed.user);
    assert_eq!(me.organization, signed.organization);
    assert_eq!(me.privacy_policy.version, POLICY);
    assert_eq!(me.privacy_policy_accepted_at, Some(start()));

    // A newer version takes effect: it is not accepted yet.
    published(&world, "2026-12-01", start() + TimeDelta::days(9));
    world.advance(TimeDelta::days(10));
    let me = world.accounts.me(&principal(&signed.user)).await.unwrap();
    assert_eq!(me.privacy_policy.version, "2026-12-01");
    assert_eq!(me.privacy_policy_accepted_at, None);
}

#[tokio::test]
async fn me_fails_once_the_user_is_gone() {
    let world = World::new();
    let ada = world.owner();
    world.store.edit(|s| {
        s.users.clear();
    });
    assert!(matches!(
        world.accounts.me(&principal(&ada)).await,
        Err(MeError::UserGone)
    ));
}

#[tokio::test]
async fn me_does_not_find_a_user_under_another_tenant() {
    let world = World::new();
    let ada = world.owner();
    let other = world.organization("Other");
    let mut wrong = principal(&ada);
    wrong.tenant_id = other;
    assert!(matches!(world.accounts.me(&wrong).await, Err(MeError::UserGone)));
}

//! Invitations: inviting, listing, revoking and accepting.

use super::delivery::invitation_link;
use super::*;
use crate::access::audit::AuditAction;
use crate::access::services::team::{AcceptFields, AcceptInvitationError, InviteError, TeamReadError};
use crate::access::team::{Invitation, InvitationStatus};
use crate::access::user::Forbidden;
use crate::kernel::pagination::PageRequest;
use crate::messaging::outbox::Effect;
use crate::privacy::policies::AcceptanceChannel;

async fn invite(world: &World, by: &User, email: &str, role: &str) -> Invitation {
    world.team.invite(&signed_in(by), email, role, &origin()).await.unwrap()
}

fn accept_fields(token: &str) -> AcceptFields {
    AcceptFields {
        token: token.into(),
        name: "Nina".into(),
        password: PASSWORD.into(),
        accept_policy_version: POLICY.into(),
        confirm_minimum_age: true,
    }
}

#[tokio::test]
async fn an_invitation_is_stored_pending_queued_and_recorded() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, " Nina@Example.com ", "admin").await;
    assert_eq!(
        (invitation.email.as_str(), invitation.role),
        ("Nina@example.com", Role::Admin)
    );
    assert_eq!(invitation.invited_by, ada.id);
    assert_eq!(invitation.expires_at, start() + TimeDelta::days(7));
    assert_eq!(invitation.status(world.now()), InvitationStatus::Pending);
    let state = world.snapshot();
    assert_eq!(state.invitations[&(ada.tenant_id, invitation.id)], invitation);
    assert_eq!(state.job_keys(), [format!("invitation:{}", invitation.id)]);
    assert_eq!(
        state.jobs[0].effect,
        Effect::SendInvitation {
            invitation_id: invitation.id
        }
    );
    let invited = state.events(AuditAction::UserInvited);
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].details["role"], "admin");
    assert_eq!(invited[0].target.as_ref().unwrap().id, invitation.id.as_uuid());
}

#[tokio::test]
async fn members_do_not_invite() {
    let world = World::new();
    let ada = world.owner();
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let before = world.snapshot();
    match world
        .team
        .invite(&signed_in(&bob), "nina@example.com", "member", &origin())
        .await
    {
        Err(InviteError::Forbidden(forbidden)) => assert_eq!(
            forbidden,
            Forbidden {
                role: Role::Member,
                action: "invite users",
            }
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn admins_do_not_invite_owners() {
    let world = World::new();
    let ada = world.owner();
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    let before = world.snapshot();
    match world
        .team
        .invite(&signed_in(&eve), "nina@example.com", "owner", &origin())
        .await
    {
        Err(InviteError::Forbidden(forbidden)) => assert_eq!(
            forbidden,
            Forbidden {
                role: Role::Admin,
                action: "invite someone with a role above their own",
            }
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
    invite(&world, &eve, "nina@example.com", "admin").await;
}

#[tokio::test]
async fn an_invalid_address_and_role_are_both_named() {
    let world = World::new();
    let ada = world.owner();
    let before = world.snapshot();
    match world.team.invite(&signed_in(&ada), "nina", "boss", &origin()).await {
        Err(InviteError::Invalid(errors)) => {
            assert_eq!(fields_of(&errors), ["email", "role"]);
            assert_eq!(errors.errors()[1].code, "invalid_role");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_address_with_an_account_anywhere_is_not_invited() {
    let world = World::new();
    let ada = world.owner();
    world.owner_elsewhere();
    let before = world.snapshot();
    assert!(matches!(
        world
            .team
            .invite(&signed_in(&ada), "OLGA@example.org", "member", &origin())
            .await,
        Err(InviteError::EmailTaken)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn managers_list_their_own_invitations_newest_first() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    let first = invite(&world, &ada, "one@example.com", "member").await;
    invite(&world, &outsider, "theirs@example.com", "member").await;
    let second = invite(&world, &ada, "two@example.com", "member").await;
    let page = world
        .team
        .invitations(&principal(&ada), PageRequest { limit: 1, after: None })
        .await
        .unwrap();
    assert_eq!(page.items, vec![second]);
    let rest = world
        .team
        .invitations(
            &principal(&ada),
            PageRequest::new(Some(1), page.next_cursor.as_deref()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((rest.items, rest.next_cursor), (vec![first], None));

    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Accountant);
    match world.team.invitations(&principal(&bob), PageRequest::first()).await {
        Err(TeamReadError::Forbidden(forbidden)) => assert_eq!(forbidden.action, "see invitations"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn a_revoked_invitation_is_recorded_and_its_link_stops_working() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, "nina@example.com", "member").await;
    let token = invitation_link(&world, &invitation).await;
    world.advance(TimeDelta::hours(1));
    let revoked = world
        .team
        .revoke_invitation(&signed_in(&ada), invitation.id, &origin())
        .await
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(world.now()));
    let state = world.snapshot();
    assert_eq!(state.invitations[&(ada.tenant_id, invitation.id)], revoked);
    assert_eq!(state.events(AuditAction::InvitationRevoked).len(), 1);
    assert!(matches!(
        world.team.accept(accept_fields(&token), &origin()).await,
        Err(AcceptInvitationError::Gone)
    ));
    assert!(matches!(
        world
            .team
            .revoke_invitation(&signed_in(&ada), invitation.id, &origin())
            .await,
        Err(TeamReadError::NotPending)
    ));
    assert_eq!(world.snapshot(), state);
}

#[tokio::test]
async fn an_expired_invitation_is_not_pending() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, "nina@example.com", "member").await;
    world.advance(TimeDelta::days(7));
    let before = world.snapshot();
    assert!(matches!(
        world
            .team
            .revoke_invitation(&signed_in(&ada), invitation.id, &origin())
            .await,
        Err(TeamReadError::NotPending)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn another_tenants_invitation_is_not_found() {
    let world = World::new();
    let ada = world.owner();
    let outsider = world.owner_elsewhere();
    let theirs = invite(&world, &outsider, "nina@example.com", "member").await;
    assert!(matches!(
        world
            .team
            .revoke_invitation(&signed_in(&ada), theirs.id, &origin())
            .await,
        Err(TeamReadError::NotFound)
    ));
}

#[tokio::test]
async fn revoking_needs_a_manager_whose_role_covers_the_invitation() {
    let world = World::new();
    let ada = world.owner();
    let eve = world.user(ada.tenant_id, "eve@example.com", Role::Admin);
    let bob = world.user(ada.tenant_id, "bob@example.com", Role::Member);
    let owner_invite = invite(&world, &ada, "co-owner@example.com", "owner").await;
    let before = world.snapshot();
    match world
        .team
        .revoke_invitation(&signed_in(&eve), owner_invite.id, &origin())
        .await
    {
        Err(TeamReadError::Forbidden(forbidden)) => assert_eq!(
            forbidden,
            Forbidden {
                role: Role::Admin,
                action: "revoke an invitation with a role above their own",
            }
        ),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    match world
        .team
        .revoke_invitation(&signed_in(&bob), owner_invite.id, &origin())
        .await
    {
        Err(TeamReadError::Forbidden(forbidden)) => assert_eq!(forbidden.action, "revoke invitations"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn accepting_creates_the_user_with_the_role_and_signs_them_in() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, "Nina@example.com", "accountant").await;
    let token = invitation_link(&world, &invitation).await;
    world.advance(TimeDelta::days(6));
    let joined = world.team.accept(accept_fields(&token), &origin()).await.unwrap();
    assert_eq!(joined.organization.id, ada.tenant_id);
    assert_eq!(
        (joined.user.role, joined.user.email.as_str()),
        (Role::Accountant, "Nina@example.com")
    );
    assert_eq!(joined.user.email_verified_at, Some(world.now()));
    let state = world.snapshot();
    let stored = state.user(joined.user.id).unwrap();
    assert_eq!(stored.password_hash, FakePasswordHasher::hash_of(PASSWORD));
    assert_eq!(
        state.invitations[&(ada.tenant_id, invitation.id)].accepted_at,
        Some(world.now())
    );
    assert_eq!(state.sessions.values().collect::<Vec<_>>(), [&joined.session.session]);
    assert_eq!(state.acceptances[0].channel, AcceptanceChannel::Invitation);
    let accepted = state.events(AuditAction::InvitationAccepted);
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].actor.user_id, Some(joined.user.id));
    assert_eq!(accepted[0].details["role"], "accountant");
    assert_eq!(accepted[0].details["invitation"], invitation.id.to_string());

    let before = world.snapshot();
    assert!(matches!(
        world.team.accept(accept_fields(&token), &origin()).await,
        Err(AcceptInvitationError::Gone)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_invitation_expires_after_seven_days() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, "nina@example.com", "member").await;
    let token = invitation_link(&world, &invitation).await;
    world.advance(TimeDelta::days(7));
    let before = world.snapshot();
    assert!(matches!(
        world.team.accept(accept_fields(&token), &origin()).await,
        Err(AcceptInvitationError::Gone)
    ));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_unknown_or_replaced_link_is_invalid() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, "nina@example.com", "member").await;
    let old = invitation_link(&world, &invitation).await;
    invitation_link(&world, &invitation).await;
    let before = world.snapshot();
    for token in ["nothing", old.as_str()] {
        assert!(matches!(
            world.team.accept(accept_fields(token), &origin()).await,
            Err(AcceptInvitationError::Invalid)
        ));
    }
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn acceptance_fields_age_and_policy_are_checked_before_hashing() {
    let world = World::new();
    let before = world.snapshot();
    let fields = AcceptFields {
        name: String::new(),
        password: "short".into(),
        ..accept_fields("t")
    };
    match world.team.accept(fields, &origin()).await {
        Err(AcceptInvitationError::Fields(errors)) => {
            assert_eq!(fields_of(&errors), ["name", "password"]);
            assert_eq!(errors.errors()[1].code, "password_too_short");
        }
        other => panic!("expected Fields, got {other:?}"),
    }
    let young = AcceptFields {
        confirm_minimum_age: false,
        ..accept_fields("t")
    };
    assert!(matches!(
        world.team.accept(young, &origin()).await,
        Err(AcceptInvitationError::AgeNotConfirmed { minimum: 16 })
    ));
    let outdated = AcceptFields {
        accept_policy_version: "2020-01-01".into(),
        ..accept_fields("t")
    };
    match world.team.accept(outdated, &origin()).await {
        Err(AcceptInvitationError::PolicyNotAccepted { current }) => assert_eq!(current, POLICY),
        other => panic!("expected PolicyNotAccepted, got {other:?}"),
    }
    assert_eq!(world.passwords.hashes(), 0);
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn an_address_that_got_an_account_meanwhile_is_taken() {
    let world = World::new();
    let ada = world.owner();
    let invitation = invite(&world, &ada, "nina@example.com", "member").await;
    let token = invitation_link(&world, &invitation).await;
    let elsewhere = world.organization("Elsewhere");
    world.user(elsewhere, "NINA@example.com", Role::Owner);
    let before = world.snapshot();
    assert!(matches!(
        world.team.accept(accept_fields(&token), &origin()).await,
        Err(AcceptInvitationError::EmailTaken)
    ));
    assert_eq!(world.snapshot(), before, "the invitation is still pending");
}

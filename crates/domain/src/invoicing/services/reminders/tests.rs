#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::access::user::Role;
use crate::invoicing::testing::fixtures::{World, codes};

fn rule(days_from_due: i32) -> ReminderRule {
    ReminderRule {
        days_from_due,
        repeat_every_days: None,
        max_repeats: None,
    }
}

#[tokio::test]
async fn settings_are_disabled_until_saved() {
    let world = World::new();
    let settings = world.reminders().settings(&world.accountant()).await.unwrap();
    assert_eq!(settings, ReminderSettings::disabled());
    assert!(settings.offsets().is_empty());
}

#[tokio::test]
async fn save_replaces_the_settings_and_they_are_read_back() {
    let world = World::new();
    let service = world.reminders();
    let repeated = ReminderRule {
        days_from_due: 7,
        repeat_every_days: Some(7),
        max_repeats: Some(3),
    };
    service.save(&world.owner(), true, vec![rule(-3)]).await.unwrap();
    let saved = service
        .save(&world.as_role(Role::Admin), true, vec![repeated])
        .await
        .unwrap();
    assert_eq!(saved.rules, [repeated]);
    assert_eq!(service.settings(&world.accountant()).await.unwrap(), saved);
    assert_eq!(saved.offsets(), [7, 14, 21]);
    let state = world.snapshot();
    assert_eq!(state.reminder_settings.get(&world.tenant), Some(&saved));
    assert_eq!(state.commits, 2);
}

#[tokio::test]
async fn settings_are_kept_per_tenant() {
    let world = World::new();
    world
        .reminders()
        .save(&world.owner(), true, vec![rule(1)])
        .await
        .unwrap();
    let foreign = world.reminders().settings(&world.stranger()).await.unwrap();
    assert_eq!(foreign, ReminderSettings::disabled());
}

#[tokio::test]
async fn save_is_forbidden_to_an_accountant() {
    let world = World::new();
    let before = world.snapshot();
    let error = world
        .reminders()
        .save(&world.accountant(), true, vec![rule(1)])
        .await
        .unwrap_err();
    assert!(matches!(error, SaveReminderSettingsError::Forbidden(_)));
    assert_eq!(world.snapshot(), before);
}

#[tokio::test]
async fn save_of_invalid_rules_names_each_and_keeps_the_old_settings() {
    let world = World::new();
    let service = world.reminders();
    let kept = service.save(&world.owner(), true, vec![rule(3)]).await.unwrap();
    let before = world.snapshot();
    let rules = vec![
        rule(400),
        ReminderRule {
            days_from_due: 1,
            repeat_every_days: Some(0),
            max_repeats: Some(13),
        },
        ReminderRule {
            days_from_due: 1,
            repeat_every_days: Some(5),
            max_repeats: None,
        },
    ];
    let error = service.save(&world.owner(), true, rules).await.unwrap_err();
    let SaveReminderSettingsError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(
        codes(&errors),
        [
            "rules[0].days_from_due:out_of_range",
            "rules[1].repeat_every_days:out_of_range",
            "rules[1].max_repeats:out_of_range",
            "rules[2].max_repeats:required",
        ]
    );
    assert_eq!(world.snapshot(), before);
    assert_eq!(service.settings(&world.owner()).await.unwrap(), kept);
}

#[tokio::test]
async fn save_of_too_many_rules_is_invalid() {
    let world = World::new();
    let rules = (1..=11).map(rule).collect();
    let error = world.reminders().save(&world.owner(), true, rules).await.unwrap_err();
    let SaveReminderSettingsError::Invalid(errors) = error else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(codes(&errors), ["rules:too_many"]);
    assert!(world.snapshot().reminder_settings.is_empty());
}

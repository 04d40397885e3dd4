//! Schedules whose start moved back onto issued periods, and templates
//! whose amounts cannot be totalled.

use super::*;

#[tokio::test]
async fn moving_the_start_back_issues_the_new_periods_and_skips_the_issued_ones() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let recurring = schedule(&world, monthly(&client)).await;
    world.clock.set(at(2026, 5, 1, 9));
    let first = world.scheduler().run_due().await.unwrap();
    assert_eq!(first.issued.len(), 2, "April and May");

    let earlier = RecurringFields {
        start_date: Some(date(2026, 3, 1)),
        ..RecurringFields::default()
    };
    world
        .recurring()
        .update(&world.owner(), recurring.id, earlier)
        .await
        .unwrap();
    world.clock.set(at(2026, 8, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    let dates: Vec<_> = report.issued.iter().map(|i| i.issue_date).collect();
    assert_eq!(
        dates,
        [date(2026, 3, 1), date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)],
        "March is new, April and May were issued before, June to August are due"
    );
    let numbers: Vec<_> = report.issued.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["INV-2026-0003", "INV-2026-0004", "INV-2026-0005", "INV-2026-0006"]
    );
    let after = stored(&world, recurring.id);
    assert_eq!(after.next_issue_date(), Some(date(2026, 9, 1)));
    assert!(world.scheduler().run_due().await.unwrap().issued.is_empty());
}

#[tokio::test]
async fn a_template_whose_amounts_overflow_is_refused() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let huge = RecurringFields {
        lines: Some(vec![line("Everything", "1000000000", "1000000000000", "19")]),
        ..monthly(&client)
    };
    let before = world.snapshot();
    match world.recurring().create(&world.owner(), huge).await {
        Err(crate::invoicing::services::WriteRecurringError::Invalid(errors)) => {
            let codes: Vec<_> = errors.errors().iter().map(|e| (e.field.as_str(), e.code)).collect();
            assert_eq!(codes, [("template.lines", "out_of_range")]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(world.snapshot(), before);

    let recurring = schedule(&world, monthly(&client)).await;
    let update = RecurringFields {
        lines: Some(vec![line("Everything", "1000000000", "1000000000000", "19")]),
        ..RecurringFields::default()
    };
    assert!(matches!(
        world.recurring().update(&world.owner(), recurring.id, update).await,
        Err(crate::invoicing::services::WriteRecurringError::Invalid(_))
    ));
}

#[tokio::test]
async fn a_stored_template_that_overflows_pauses_its_schedule_and_the_run_goes_on() {
    let world = World::new();
    let client = world.add_client("Acme", None);
    let broken = schedule(&world, monthly(&client)).await;
    let healthy = schedule(&world, monthly(&client)).await;
    // A template stored before amounts were checked on save.
    world.store.edit(|state| {
        let stored = state.recurring.get_mut(&(world.tenant, broken.id)).unwrap();
        stored.template.lines = vec![
            crate::invoicing::invoice::InvoiceLine::parse(line("Everything", "1000000000", "1000000000000", "19"))
                .unwrap(),
        ];
    });
    world.clock.set(at(2026, 4, 1, 9));
    let report = world.scheduler().run_due().await.unwrap();
    assert_eq!(report.paused, [broken.id]);
    assert_eq!(report.issued.len(), 1);
    assert_eq!(report.issued[0].schedule_id, healthy.id);
    assert_eq!(stored(&world, broken.id).status, RecurringStatus::Paused);
}

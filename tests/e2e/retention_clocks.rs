//! The retention sweeper's clocks on the real databases: security events
//! are kept 365 days and finished jobs (technical records) 90, each counted
//! from its own instant, whatever else the sweep does.

use chrono::{TimeZone, Utc};

use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(security_events_go_after_365_days_and_finished_jobs_after_90);

async fn security_events_go_after_365_days_and_finished_jobs_after_90(app: TestApp) {
    app.clock.set(Utc.with_ymd_and_hms(2027, 1, 1, 10, 0, 0).unwrap());
    let owner = app.signup("clocks@retention.example").await;
    app.drain_jobs().await;
    let tenant = owner.organization_id.clone();
    let at_signup = app.tenant_rows(&tenant).await;
    let (events, jobs) = (at_signup["audit_events"], at_signup["jobs"]);
    assert!(events > 0, "signing up is a security event: {at_signup:?}");
    assert!(jobs > 0, "the verification email was a job: {at_signup:?}");

    app.run_due("2027-03-31").await; // 89 days later
    let within = app.tenant_rows(&tenant).await;
    assert_eq!((within["audit_events"], within["jobs"]), (events, jobs));

    app.run_due("2027-04-02").await; // 91 days later
    let technical = app.tenant_rows(&tenant).await;
    assert_eq!(technical["jobs"], 0, "finished jobs are kept 90 days");
    assert_eq!(technical["audit_events"], events, "security events stay");

    app.run_due("2027-12-31").await; // 364 days later
    assert_eq!(app.tenant_rows(&tenant).await["audit_events"], events);
    app.run_due("2028-01-02").await; // 366 days later
    assert_eq!(
        app.tenant_rows(&tenant).await["audit_events"],
        0,
        "security events are kept 365 days"
    );
}

//! Payment reminder settings.

use std::sync::Arc;

use fakturo_domain::invoicing::reminders::{ReminderRule, ReminderSettings};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::Auth;
use super::problem::ApiError;
use super::{ApiTags, AppState};

pub struct ReminderSettingsApi {
    state: Arc<AppState>,
}

impl ReminderSettingsApi {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

/// One reminder rule.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
struct RuleDto {
    /// Days from the due date (negative: before it), -365 to 365.
    days_from_due: i32,
    /// Repeat this often, in days (1 to 90); needs `max_repeats`.
    repeat_every_days: Option<u32>,
    /// Reminders this rule sends in all (1 to 12); needs `repeat_every_days`.
    max_repeats: Option<u32>,
}

/// When unpaid invoices are reminded of.
#[derive(Object, Clone)]
#[oai(deny_unknown_fields)]
struct ReminderSettingsDto {
    /// Whether reminders are sent at all.
    enabled: bool,
    /// The rules; the example `[-3, 0, +7 every 7 days ×3]` sends at most five reminders.
    rules: Vec<RuleDto>,
}

fn dto(settings: ReminderSettings) -> ReminderSettingsDto {
    ReminderSettingsDto {
        enabled: settings.enabled,
        rules: settings
            .rules
            .into_iter()
            .map(|r| RuleDto {
                days_from_due: r.days_from_due,
                repeat_every_days: r.repeat_every_days,
                max_repeats: r.max_repeats,
            })
            .collect(),
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Invoices")]
impl ReminderSettingsApi {
    /// The organization's payment reminder settings (off until set).
    #[oai(path = "/settings/reminders", method = "get", operation_id = "get_reminder_settings")]
    async fn get(&self, auth: Auth) -> Result<Json<ReminderSettingsDto>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let settings = self.state.services.reminders.settings(&who.principal).await?;
        Ok(Json(dto(settings)))
    }

    /// Replace the organization's payment reminder settings.
    #[oai(path = "/settings/reminders", method = "put", operation_id = "put_reminder_settings")]
    async fn put(&self, auth: Auth, body: Json<ReminderSettingsDto>) -> Result<Json<ReminderSettingsDto>, ApiError> {
        let who = self.state.authenticate(auth).await?;
        let request = body.0;
        let rules = request
            .rules
            .into_iter()
            .map(|r| ReminderRule {
                days_from_due: r.days_from_due,
                repeat_every_days: r.repeat_every_days,
                max_repeats: r.max_repeats,
            })
            .collect();
        let saved = self
            .state
            .services
            .reminders
            .save(&who.principal, request.enabled, rules)
            .await?;
        Ok(Json(dto(saved)))
    }
}

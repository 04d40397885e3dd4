//! How an incident is opened and moves: validation of its facts, the
//! 72-hour clock, and the transitions open → notified → closed, each
//! returning the history entry it appends.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    AUTHORITY_DEADLINE, AffectedTenants, AuthorityNotification, Incident, IncidentChanges, IncidentDraft,
    IncidentFacts, IncidentRuleError, IncidentStatus, IncidentUpdate, MAX_REFERENCE, MAX_TEXT, UpdateKind,
};
use crate::IncidentId;
use crate::kernel::validation::{HasCode, ValidationErrors, optional_text, required_text};
use crate::privacy::retention::DataCategory;

/// The data categories named, parsed against the data map's closed set.
fn parse_categories(names: &[String], errors: &mut ValidationErrors) -> Vec<DataCategory> {
    let mut categories = Vec::new();
    let mut unknown = false;
    for name in names.iter().map(|name| name.trim()).filter(|name| !name.is_empty()) {
        match DataCategory::ALL.into_iter().find(|c| c.as_str() == name) {
            Some(category) if !categories.contains(&category) => categories.push(category),
            Some(_) => {}
            None => {
                unknown = true;
                errors.add(
                    "categories",
                    "unknown_data_category",
                    format!(
                        "`{name}` is none of {}",
                        DataCategory::ALL.map(|c| c.as_str()).join(", ")
                    ),
                );
            }
        }
    }
    if categories.is_empty() && !unknown {
        errors.add("categories", "required", "name at least one data category");
    }
    categories
}

fn count(field: &str, value: u64, errors: &mut ValidationErrors) -> u64 {
    if i64::try_from(value).is_err() {
        errors.add(field, "out_of_range", "is too large");
    }
    value
}

impl Incident {
    /// Records a new incident at `now`, with its first history entry.
    ///
    /// # Errors
    /// [`ValidationErrors`] naming each bad field: blank text, unknown or no
    /// data categories, a discovery in the future, repeated organizations.
    pub fn open(
        id: IncidentId,
        update_id: Uuid,
        draft: IncidentDraft,
        now: DateTime<Utc>,
    ) -> Result<(Self, IncidentUpdate), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let discovered_at = match draft.discovered_at {
            None => {
                errors.add("discovered_at", "required", "say when the breach was discovered");
                now
            }
            Some(at) if at > now => {
                errors.add(
                    "discovered_at",
                    "in_future",
                    "a breach is discovered before it is recorded",
                );
                at
            }
            Some(at) => at,
        };
        let nature = errors.check("nature", required_text(&draft.nature, MAX_TEXT));
        let categories = parse_categories(&draft.categories, &mut errors);
        let people_affected = count("people_affected", draft.people_affected, &mut errors);
        let records_affected = count("records_affected", draft.records_affected, &mut errors);
        let consequences = errors.check("consequences", required_text(&draft.consequences, MAX_TEXT));
        let measures = errors.check("measures", required_text(&draft.measures, MAX_TEXT));
        let mut tenants = draft.tenants;
        let listed = tenants.len();
        tenants.sort_unstable();
        tenants.dedup();
        if tenants.len() != listed {
            errors.add("tenants", "duplicate", "an organization is named twice");
        }
        let affected = if tenants.is_empty() {
            AffectedTenants::All
        } else {
            AffectedTenants::Some(tenants)
        };
        let (Some(nature), Some(consequences), Some(measures)) = (nature, consequences, measures) else {
            return Err(errors);
        };
        let incident = Self {
            id,
            discovered_at,
            opened_at: now,
            facts: IncidentFacts {
                nature,
                categories,
                people_affected,
                records_affected,
                consequences,
                measures,
            },
            affected,
            status: IncidentStatus::Open,
            authority: None,
            closed_at: None,
            updated_at: now,
        };
        let update = IncidentUpdate {
            id: update_id,
            incident_id: id,
            at: now,
            kind: UpdateKind::Opened,
            changed: Vec::new(),
            note: None,
        };
        errors.into_result((incident, update))
    }

    /// The latest instant the authority may be notified: 72 hours after discovery.
    #[must_use]
    pub fn authority_due_at(&self) -> DateTime<Utc> {
        self.discovered_at + AUTHORITY_DEADLINE
    }

    /// Whether the authority is not notified yet at or after its deadline.
    #[must_use]
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.authority.is_none() && self.status != IncidentStatus::Closed && now >= self.authority_due_at()
    }

    fn history(&self, update_id: Uuid, now: DateTime<Utc>, kind: UpdateKind) -> IncidentUpdate {
        IncidentUpdate {
            id: update_id,
            incident_id: self.id,
            at: now,
            kind,
            changed: Vec::new(),
            note: None,
        }
    }

    fn still_open(&self) -> Result<(), IncidentRuleError> {
        if self.status == IncidentStatus::Closed {
            return Err(IncidentRuleError::Closed);
        }
        Ok(())
    }

    /// Applies changed facts with the operator's note; the history entry
    /// names the fields that really changed.
    ///
    /// # Errors
    /// [`IncidentRuleError::Closed`], or `Invalid` for a bad field or a blank note.
    pub fn update(
        &mut self,
        update_id: Uuid,
        changes: IncidentChanges,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<IncidentUpdate, IncidentRuleError> {
        self.still_open()?;
        let mut errors = ValidationErrors::new();
        let note = errors.check("note", required_text(note, MAX_TEXT));
        let mut facts = self.facts.clone();
        if let Some(nature) = changes.nature {
            facts.nature = errors
                .check("nature", required_text(&nature, MAX_TEXT))
                .unwrap_or_default();
        }
        if let Some(names) = changes.categories {
            facts.categories = parse_categories(&names, &mut errors);
        }
        if let Some(people) = changes.people_affected {
            facts.people_affected = count("people_affected", people, &mut errors);
        }
        if let Some(records) = changes.records_affected {
            facts.records_affected = count("records_affected", records, &mut errors);
        }
        if let Some(consequences) = changes.consequences {
            facts.consequences = errors
                .check("consequences", required_text(&consequences, MAX_TEXT))
                .unwrap_or_default();
        }
        if let Some(measures) = changes.measures {
            facts.measures = errors
                .check("measures", required_text(&measures, MAX_TEXT))
                .unwrap_or_default();
        }
        if !errors.is_empty() {
            return Err(IncidentRuleError::Invalid(errors));
        }
        let old = &self.facts;
        let changed: Vec<String> = [
            ("nature", old.nature != facts.nature),
            ("categories", old.categories != facts.categories),
            ("people_affected", old.people_affected != facts.people_affected),
            ("records_affected", old.records_affected != facts.records_affected),
            ("consequences", old.consequences != facts.consequences),
            ("measures", old.measures != facts.measures),
        ]
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name.to_owned())
        .collect();
        self.facts = facts;
        self.updated_at = now;
        let mut update = self.history(update_id, now, UpdateKind::Updated);
        update.changed = changed;
        update.note = note;
        Ok(update)
    }

    /// Records that the authority was notified at `at` under `reference`.
    ///
    /// # Errors
    /// [`IncidentRuleError::Closed`], `AlreadyNotified`, or `Invalid` for a
    /// blank reference or a notification before discovery or after `now`.
    pub fn notify_authority(
        &mut self,
        update_id: Uuid,
        at: DateTime<Utc>,
        reference: &str,
        now: DateTime<Utc>,
    ) -> Result<IncidentUpdate, IncidentRuleError> {
        self.still_open()?;
        if self.authority.is_some() {
            return Err(IncidentRuleError::AlreadyNotified);
        }
        let mut errors = ValidationErrors::new();
        let reference = errors.check("authority_reference", required_text(reference, MAX_REFERENCE));
        if at < self.discovered_at {
            errors.add(
                "authority_notified_at",
                "before_discovery",
                "is before the breach was discovered",
            );
        }
        if at > now {
            errors.add("authority_notified_at", "in_future", "is in the future");
        }
        let Some(reference) = reference.filter(|_| errors.is_empty()) else {
            return Err(IncidentRuleError::Invalid(errors));
        };
        let late = at > self.authority_due_at();
        self.authority = Some(AuthorityNotification {
            at,
            reference: reference.clone(),
        });
        self.status = IncidentStatus::Notified;
        self.updated_at = now;
        let mut update = self.history(update_id, now, UpdateKind::AuthorityNotified);
        update.changed = vec!["status".to_owned(), "authority".to_owned()];
        update.note = Some(if late {
            format!(
                "notified at {} under {reference}, after the 72-hour deadline",
                at.to_rfc3339()
            )
        } else {
            format!("notified at {} under {reference}", at.to_rfc3339())
        });
        Ok(update)
    }

    /// Records that notices to `queued` people were queued.
    ///
    /// # Errors
    /// [`IncidentRuleError::Closed`].
    pub fn people_notified(
        &mut self,
        update_id: Uuid,
        queued: u64,
        now: DateTime<Utc>,
    ) -> Result<IncidentUpdate, IncidentRuleError> {
        self.still_open()?;
        self.updated_at = now;
        let mut update = self.history(update_id, now, UpdateKind::PeopleNotified);
        update.note = Some(format!("{queued} notices queued"));
        Ok(update)
    }

    /// Closes the incident, with an optional note.
    ///
    /// # Errors
    /// [`IncidentRuleError::Closed`], `NotNotified` before the authority's
    /// notification without a note saying why none was required, `Invalid`
    /// for a note that is too long.
    pub fn close(
        &mut self,
        update_id: Uuid,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<IncidentUpdate, IncidentRuleError> {
        self.still_open()?;
        let note = optional_text(note, MAX_TEXT).map_err(|error| {
            IncidentRuleError::Invalid(ValidationErrors::single("note", error.code(), error.to_string()))
        })?;
        // Art. 33(1): a breach unlikely to result in a risk needs no
        // notification, but the register says why (Art. 33(5)).
        if self.status != IncidentStatus::Notified && note.is_none() {
            return Err(IncidentRuleError::NotNotified);
        }
        self.status = IncidentStatus::Closed;
        self.closed_at = Some(now);
        self.updated_at = now;
        let mut update = self.history(update_id, now, UpdateKind::Closed);
        update.changed = vec!["status".to_owned()];
        update.note = note;
        Ok(update)
    }
}

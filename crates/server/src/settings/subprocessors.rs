//! The sub-processor register of the configuration (`[[subprocessors]]`):
//! the providers that process personal data on the deployment's behalf,
//! served publicly. A list in the `FAKTURO_CONFIG` file replaces the
//! built-in one (figment replaces arrays rather than merging them).

use fakturo_domain::privacy::processing_record::{RecordParty, RecordRecipient};
use serde::{Deserialize, Serialize};

use super::{Settings, SettingsError};

/// One entry of `[[subprocessors]]`: a provider that processes personal
/// data on the deployment's behalf.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Subprocessor {
    /// The provider's name.
    pub name: String,
    /// What it does for the deployment.
    pub purpose: String,
    /// Which categories of personal data it processes.
    pub data_categories: Vec<String>,
    /// Where it processes them.
    pub location: String,
    /// The safeguard of a transfer outside the EEA (or why none is needed).
    pub transfer_safeguard: String,
    /// The provider's website.
    pub website: String,
}

impl Settings {
    /// What the privacy services take from the configuration: the request
    /// deadline, the operator and the sub-processor register.
    #[must_use]
    pub fn privacy_rules(&self) -> crate::application::services::PrivacyRules {
        let privacy = &self.privacy;
        let name = if privacy.operator_name.trim().is_empty() {
            "The operator of this Fakturo deployment (privacy.operator_name is not set)".to_owned()
        } else {
            privacy.operator_name.clone()
        };
        crate::application::services::PrivacyRules {
            deadline: privacy.request_deadline,
            operator: RecordParty {
                name,
                address: privacy.operator_address.clone(),
                contact: Some(privacy.operator_contact.clone()).filter(|c| !c.trim().is_empty()),
            },
            subprocessors: self
                .subprocessors
                .iter()
                .map(|s| RecordRecipient {
                    name: s.name.clone(),
                    purpose: s.purpose.clone(),
                    data_categories: s.data_categories.clone(),
                    location: s.location.clone(),
                    transfer_safeguard: s.transfer_safeguard.clone(),
                })
                .collect(),
        }
    }

    pub(super) fn validate_subprocessors(&self) -> Result<(), SettingsError> {
        for (index, entry) in self.subprocessors.iter().enumerate() {
            let problem = if [&entry.name, &entry.purpose, &entry.location, &entry.transfer_safeguard]
                .iter()
                .any(|text| text.trim().is_empty())
            {
                Some("needs a name, purpose, location and transfer_safeguard")
            } else if entry.data_categories.iter().all(|c| c.trim().is_empty()) {
                Some("needs at least one data category")
            } else if !(entry.website.starts_with("https://") || entry.website.starts_with("http://")) {
                Some("needs a website that is an http:// or https:// URL")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(SettingsError::Invalid {
                    key: "subprocessors",
                    message: format!("entry {} {problem}", index + 1),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use figment::Jail;

    use super::*;

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail returns its own error type
    fn the_subprocessor_register_comes_from_the_configuration() {
        let defaults = Settings::defaults().unwrap();
        let names: Vec<&str> = defaults.subprocessors.iter().map(|s| s.name.as_str()).collect();
        for expected in ["Paddle", "Stripe", "Backblaze B2"] {
            assert!(names.contains(&expected), "{names:?}");
        }
        assert_eq!(defaults.policies.material_notice_days, 30);
        Jail::expect_with(|jail| {
            jail.create_file(
                "deployment.toml",
                r#"
                [[subprocessors]]
                name = "Hetzner"
                purpose = "Hosting"
                data_categories = ["everything stored"]
                location = "Germany"
                transfer_safeguard = "none needed: within the EU"
                website = "https://www.hetzner.com"
                "#,
            )?;
            jail.set_env("FAKTURO_CONFIG", "deployment.toml");
            let settings = Settings::load().unwrap();
            let names: Vec<&str> = settings.subprocessors.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["Hetzner"], "an operator's list replaces the defaults");

            jail.create_file(
                "broken.toml",
                r#"
                [[subprocessors]]
                name = "Nowhere"
                purpose = "Hosting"
                data_categories = ["logs"]
                location = "Moon"
                transfer_safeguard = "none"
                website = "ftp://nowhere"
                "#,
            )?;
            jail.set_env("FAKTURO_CONFIG", "broken.toml");
            let message = Settings::load().unwrap_err().to_string();
            assert!(
                message.contains("`subprocessors` entry 1") && message.contains("website"),
                "{message}"
            );
            Ok(())
        });
    }
}

//! The courtesy email that tells a client their job moved to a new status.

use super::RenderedEmail;
use super::letter::Letter;

/// The facts for [`work_update`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkUpdateEmail {
    /// The sender: the tenant's organization.
    pub organization_name: String,
    /// The recipient's name.
    pub client_name: String,
    /// The job's title.
    pub title: String,
    /// The new status: `quote`, `scheduled`, `in_progress`, `done` or `cancelled`.
    pub status: String,
    /// When it starts, such as `2026-12-01 08:00 UTC`, when planned.
    pub scheduled_start: Option<String>,
    /// Where it is done.
    pub address: Option<String>,
}

/// A short update: what the job is, where it stands now, when and where.
#[must_use]
pub fn work_update(email: &WorkUpdateEmail) -> RenderedEmail {
    let title = &email.title;
    let (headline, standing) = match email.status.as_str() {
        "quote" => (
            "Quote",
            format!(
                "{} prepared a quote for \u{201c}{title}\u{201d}.",
                email.organization_name
            ),
        ),
        "scheduled" => ("Scheduled", format!("\u{201c}{title}\u{201d} is scheduled.")),
        "in_progress" => ("Started", format!("Work on \u{201c}{title}\u{201d} has started.")),
        "done" => ("Done", format!("\u{201c}{title}\u{201d} is done.")),
        "cancelled" => ("Cancelled", format!("\u{201c}{title}\u{201d} was cancelled.")),
        _ => ("Update", format!("\u{201c}{title}\u{201d} was updated.")),
    };
    let mut details = vec![("Job", title.clone()), ("Status", headline.to_owned())];
    if let Some(start) = &email.scheduled_start {
        details.push(("Starts", start.clone()));
    }
    if let Some(address) = &email.address {
        details.push(("Where", address.clone()));
    }
    Letter {
        subject: format!("{headline}: {title}"),
        greeting: format!("Hello {},", email.client_name),
        paragraphs: vec![standing, "Reply to this email if you have any questions.".to_owned()],
        details,
        action: None,
        signature: email.organization_name.clone(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_say_where_the_job_stands() {
        let rendered = work_update(&WorkUpdateEmail {
            organization_name: "Ada <Design>".to_owned(),
            client_name: "Jane".to_owned(),
            title: "Kitchen tiles".to_owned(),
            status: "scheduled".to_owned(),
            scheduled_start: Some("2026-12-01 08:00 UTC".to_owned()),
            address: Some("Hauptstr. 1, Berlin".to_owned()),
        });
        assert_eq!(rendered.subject, "Scheduled: Kitchen tiles");
        for part in [&rendered.text, &rendered.html] {
            assert!(part.contains("is scheduled"), "{part}");
            assert!(part.contains("2026-12-01 08:00 UTC"), "{part}");
            assert!(part.contains("Hauptstr. 1, Berlin"), "{part}");
        }
        assert!(rendered.html.contains("Ada &lt;Design&gt;"));
    }
}

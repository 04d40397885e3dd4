//! [`UserErasureRepository`] on SQL: one person's account and what only
//! concerns it, in the unit's transaction.

use async_trait::async_trait;
use fakturo_domain::access::user::User;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::privacy::ports::{UserErasureOutcome, UserErasureRepository};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::errors::translate;
use crate::store::SqlUnitOfWork;

/// The rows an account's erasure deletes, what the report calls them, and
/// the condition that finds them (the names of [`Keys::statement`]).
const DELETED: &[(&str, &str, &str)] = &[
    (
        "own data exports",
        "exports",
        "tenant_id = {t} AND requested_by = {u} AND scope = 'me'",
    ),
    (
        "the invitation that brought the user in",
        "invitations",
        "tenant_id = {t} AND lower(email) = {e}",
    ),
    (
        "queued work addressed to the user",
        "jobs",
        "tenant_id = {t} AND ({contains:payload:{S}} OR {contains:payload:{E}})",
    ),
    (
        "stored API responses showing the user's address",
        "idempotency_keys",
        "tenant_id = {t} AND response_body IS NOT NULL AND {contains:response_body:{E}}",
    ),
    ("sessions", "sessions", "tenant_id = {t} AND user_id = {u}"),
    ("API tokens", "api_tokens", "tenant_id = {t} AND user_id = {u}"),
    (
        "single-use links",
        "one_time_tokens",
        "tenant_id = {t} AND user_id = {u}",
    ),
    (
        "linked sign-ins (Google)",
        "user_identities",
        "tenant_id = {t} AND user_id = {u}",
    ),
    ("user account", "users", "tenant_id = {t} AND id = {u}"),
];

#[async_trait]
impl UserErasureRepository for SqlUnitOfWork {
    async fn find_user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, RepositoryError> {
        let found = fakturo_domain::access::ports::UserRepository::find_credentials(self, &email.normalized()).await?;
        Ok(found.map(|(user, _)| user))
    }

    async fn erase_user(&self, user: &User) -> Result<UserErasureOutcome, RepositoryError> {
        let backend = self.txn.get_database_backend();
        let keys = Keys::of(user);
        let mut outcome = UserErasureOutcome::default();
        let archives = self
            .txn
            .query_all_raw(keys.statement(
                backend,
                "SELECT object_key FROM exports WHERE tenant_id = {t} AND requested_by = {u} AND scope = 'me' \
                 AND object_key IS NOT NULL",
            ))
            .await
            .map_err(translate)?;
        for row in archives {
            let key: String = row.try_get("", "object_key").map_err(translate)?;
            if let Ok(key) = key.parse() {
                outcome.archives.push(key);
            }
        }
        let stripped = self
            .txn
            .execute_raw(keys.statement(
                backend,
                "UPDATE audit_events SET ip_prefix = NULL WHERE tenant_id = {t} AND actor_user_id = {u} \
                 AND ip_prefix IS NOT NULL",
            ))
            .await
            .map_err(translate)?;
        outcome.pseudonymized.insert(
            "security log entries (network removed)".into(),
            stripped.rows_affected(),
        );
        for (what, table, condition) in DELETED {
            let deleted = self
                .txn
                .execute_raw(keys.statement(backend, &format!("DELETE FROM {table} WHERE {condition}")))
                .await
                .map_err(translate)?;
            *outcome.deleted.entry((*what).to_owned()).or_default() += deleted.rows_affected();
        }
        Ok(outcome)
    }
}

/// The values an erasure's statements find the user's rows by.
struct Keys {
    tenant: uuid::Uuid,
    user: uuid::Uuid,
    email: String,
}

impl Keys {
    fn of(user: &User) -> Self {
        Self {
            tenant: user.tenant_id.as_uuid(),
            user: user.id.as_uuid(),
            email: user.email.normalized(),
        }
    }

    /// `template` as a statement: `{contains:COLUMN:NAME}` becomes the
    /// backend's substring test on the lower-cased column, and each name
    /// (`{t}` the tenant, `{u}` the user's id, `{e}` the lower-cased
    /// address, `{E}` the same as a JSON string, quotes included, `{S}` the
    /// user's id as a JSON string) a placeholder bound to it. Payloads and
    /// stored responses are JSON, so the quoted forms match whole values
    /// only: erasing `a@example.com` leaves `ba@example.com`'s rows alone.
    fn statement(&self, backend: DbBackend, template: &str) -> Statement {
        let mut text = template.to_owned();
        while let Some(start) = text.find("{contains:") {
            let Some(len) = text[start..].find("}}") else { break };
            let inner = &text[start + "{contains:".len()..start + len + 1];
            let (column, name) = inner.split_once(':').unwrap_or((inner, ""));
            let test = match backend {
                DbBackend::Postgres => format!("strpos(lower({column}), {name}) > 0"),
                _ => format!("instr(lower({column}), {name}) > 0"),
            };
            text.replace_range(start..start + len + 2, &test);
        }
        let mut sql = String::with_capacity(text.len());
        let mut values = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            sql.push_str(&rest[..open]);
            let name = rest.get(open..open + 3).unwrap_or("");
            let value = match name {
                "{t}" => Value::from(self.tenant),
                "{u}" => Value::from(self.user),
                "{e}" => Value::from(self.email.clone()),
                "{E}" => Value::from(format!("\"{}\"", self.email)),
                "{S}" => Value::from(format!("\"{}\"", self.user)),
                _ => {
                    sql.push('{');
                    rest = &rest[open + 1..];
                    continue;
                }
            };
            values.push(value);
            match backend {
                DbBackend::Postgres => sql.push_str(&format!("${}", values.len())),
                _ => sql.push('?'),
            }
            rest = &rest[open + 3..];
        }
        sql.push_str(rest);
        Statement::from_sql_and_values(backend, sql, values)
    }
}

//! [`Application`]: builds every adapter from [`Settings`], binds the
//! listener and returns a server future. `main` and every end-to-end test
//! start Fakturo this same way.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use fakturo_database::{ConnectError, DatabaseSettings, SqlStore, check_schema, connect, migrate};
use fakturo_domain::access::ports::HashError;
use fakturo_domain::access::services::AccountPolicy;
use fakturo_domain::access::throttle::ThrottlePolicy;
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::kernel::files::FileStore;
use fakturo_domain::kernel::secrets::SecretBox;
use fakturo_domain::privacy::policies::{EffectivePolicy, PolicyDefaults};
use fakturo_storage::ObjectFileStore;
use poem::Server;
use poem::listener::{Acceptor, AcceptorExt, Listener, TcpListener};

use fakturo_domain::messaging::ports::Mailer;
use fakturo_email::{FileMailer, SmtpMailer, SmtpSecurity, SmtpSettings};
use tokio::sync::watch;

use crate::adapters::{
    Argon2PasswordHasher, GoogleSignIn, KeyRing, KeyRingError, OsTokenGenerator, SystemClock, UuidV7Generator,
};
use crate::http::{AppState, routes};
use crate::settings::{EmailSettings, EmailTransport, Settings, SmtpSecuritySetting};
use crate::workers::{MailAddresses, Workers};

mod billing;
mod delivery;
mod scheduler;
pub(crate) mod services;

pub use billing::{Billing, BillingSetupError};
pub use services::{Adapters, Services};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened, migrated or checked.
    #[error(transparent)]
    Database(#[from] ConnectError),
    /// The listen address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The configured `http.bind`.
        address: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The password hasher could not be set up.
    #[error(transparent)]
    Hasher(#[from] HashError),
    /// The email transport could not be set up.
    #[error("email: {0}")]
    Email(String),
    /// The key ring could not be built.
    #[error("configuration error: {0}")]
    Secrets(#[from] KeyRingError),
    /// Sign-in with Google is misconfigured.
    #[error("configuration error: {0}")]
    Google(String),
    /// The file store could not be set up.
    #[error("configuration error: {0}")]
    Storage(#[from] fakturo_storage::SetupError),
    /// The billing providers' clients could not be set up.
    #[error(transparent)]
    Billing(#[from] BillingSetupError),
}

/// A bound, ready-to-run server.
pub struct Application {
    address: SocketAddr,
    acceptor: poem::listener::BoxAcceptor,
    state: AppState,
    workers: Workers,
}

/// Everything wired from the settings: the HTTP state, the workers and the store.
pub struct Wiring {
    /// The services and settings the HTTP layer uses.
    pub state: AppState,
    /// The job runner and scheduler.
    pub workers: Workers,
    /// The SQL store (also the job queue).
    pub sql: Arc<SqlStore>,
}

/// Builds every adapter and service from the settings on `clock`.
///
/// # Errors
/// See [`StartError`].
pub(crate) async fn wire(settings: Settings, clock: Arc<dyn Clock>) -> Result<Wiring, StartError> {
    let sql = open_store(&settings).await?;
    wire_on(settings, clock, sql)
}

/// Wires every service and the workers on an open store (benchmarks pass
/// one whose connection counts statements).
///
/// # Errors
/// See [`StartError`].
pub fn wire_on(settings: Settings, clock: Arc<dyn Clock>, sql: Arc<SqlStore>) -> Result<Wiring, StartError> {
    let secrets: Arc<dyn SecretBox> = Arc::new(key_ring(&settings)?);
    let files: Arc<dyn FileStore> = Arc::new(ObjectFileStore::new(&settings.storage)?);
    let adapters = Adapters {
        clock: clock.clone(),
        ids: Arc::new(UuidV7Generator),
        tokens: Arc::new(OsTokenGenerator),
        passwords: Arc::new(Argon2PasswordHasher::new()?),
        secrets: secrets.clone(),
        files: files.clone(),
    };
    let google = if settings.google.enabled {
        let redirect = if settings.google.redirect_url.trim().is_empty() {
            format!("{}/api/v1/auth/google/callback", settings.http.public_base())
        } else {
            settings.google.redirect_url.clone()
        };
        Some(Arc::new(
            GoogleSignIn::new(
                &settings.google.client_id,
                &settings.google.client_secret,
                &settings.google.issuer_url,
                &redirect,
                clock.clone(),
            )
            .map_err(|e| StartError::Google(e.to_string()))?,
        ))
    } else {
        None
    };
    let access: Arc<dyn fakturo_domain::access::ports::AccessStore> = sql.clone();
    let keys = Arc::new(crate::adapters::SealedGatewayKeys::new(access, secrets.clone()));
    let billing = Billing::new(
        &sql,
        &settings,
        keys,
        fakturo_domain::access::services::IntegrationService::new(
            sql.clone(),
            clock.clone(),
            adapters.ids.clone(),
            secrets.clone(),
        ),
        clock.clone(),
        adapters.ids.clone(),
    )?;
    let services = Services::new(
        &sql,
        adapters,
        account_policy(&settings),
        settings.retention.policy(),
        settings.files.rules(),
        settings.privacy_rules(),
        billing,
    );
    let mailer = build_mailer(&settings.email)?;
    let workers = Workers::new(
        sql.clone(),
        services.clone(),
        mailer,
        clock.clone(),
        settings.workers.clone(),
        MailAddresses {
            public_base: settings.http.public_base().to_owned(),
            app_base: settings.http.app_base().to_owned(),
            sender_address: settings.email.from_address.clone(),
        },
    );
    let state = AppState {
        services,
        store: sql.clone(),
        settings: Arc::new(settings),
        clock,
        secrets,
        google,
        files,
    };
    Ok(Wiring { state, workers, sql })
}

/// The key ring from `secrets.keys`, or the generated key in `secrets.key_file`.
///
/// # Errors
/// [`StartError::Secrets`] naming the bad setting.
pub fn key_ring(settings: &Settings) -> Result<KeyRing, StartError> {
    let secrets = &settings.secrets;
    if secrets.keys.trim().is_empty() {
        Ok(KeyRing::from_key_file(std::path::Path::new(&secrets.key_file))?)
    } else {
        Ok(KeyRing::parse(&secrets.keys, &secrets.primary)?)
    }
}

fn build_mailer(email: &EmailSettings) -> Result<Arc<dyn Mailer>, StartError> {
    Ok(match email.transport {
        EmailTransport::File => Arc::new(
            FileMailer::new(email.outbox_dir.clone().into())
                .with_from_address(&email.from_address)
                .map_err(|e| StartError::Email(e.to_string()))?,
        ),
        EmailTransport::Smtp => {
            let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
            Arc::new(
                SmtpMailer::new(SmtpSettings {
                    host: email.smtp_host.clone(),
                    port: email.smtp_port,
                    security: match email.smtp_security {
                        SmtpSecuritySetting::Starttls => SmtpSecurity::StartTls,
                        SmtpSecuritySetting::Tls => SmtpSecurity::Tls,
                        SmtpSecuritySetting::None => SmtpSecurity::None,
                    },
                    username: optional(&email.smtp_username),
                    password: optional(&email.smtp_password),
                    from_address: email.from_address.clone(),
                    timeout: Duration::from_secs(email.smtp_timeout_seconds),
                })
                .map_err(|e| StartError::Email(e.to_string()))?,
            )
        }
    })
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application").field("address", &self.address).finish()
    }
}

impl Application {
    /// Connects (and migrates) the database, wires the services on the
    /// system clock and binds the listener.
    ///
    /// # Errors
    /// See [`StartError`].
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Like [`Application::build`] with another clock (tests move a fake one).
    ///
    /// # Errors
    /// See [`StartError`].
    pub async fn build_with_clock(settings: Settings, clock: Arc<dyn Clock>) -> Result<Self, StartError> {
        let Wiring { state, workers, .. } = wire(settings, clock).await?;
        // Parse the PDF fonts and template now, not on the first download.
        drop(tokio::task::spawn_blocking(|| {
            if let Err(error) = crate::documents::warm_up() {
                tracing::error!(%error, "the PDF renderer could not be set up");
            }
        }));
        let address = state.settings.http.bind;
        let acceptor = TcpListener::bind(address)
            .into_acceptor()
            .await
            .map_err(|source| StartError::Bind { address, source })?;
        let bound = acceptor
            .local_addr()
            .into_iter()
            .find_map(|local| local.as_socket_addr().copied())
            .unwrap_or(address);
        Ok(Self {
            address: bound,
            acceptor: acceptor.boxed(),
            state,
            workers,
        })
    }

    /// The address actually bound (useful with port 0).
    #[must_use]
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The wired services, for tests that arrange data directly.
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// This instance's workers (tests drain the queue through them).
    #[must_use]
    pub fn workers(&self) -> &Workers {
        &self.workers
    }

    /// Serves until the process receives Ctrl-C or SIGTERM, then drains
    /// in-flight requests for up to ten seconds.
    ///
    /// # Errors
    /// An I/O error of the listener.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(address = %self.address, "Fakturo is listening");
        let (stop_workers, stopped) = watch::channel(false);
        let workers = self.state.settings.workers.enabled.then(|| self.workers.spawn(stopped));
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(routes(self.state), shutdown_signal(), Some(Duration::from_secs(10)))
            .await;
        let _ = stop_workers.send(true);
        if let Some(handle) = workers {
            let _ = handle.await;
        }
        served
    }
}

/// Opens the database from the settings, migrating or checking the schema.
///
/// # Errors
/// [`StartError::Database`].
pub(crate) async fn open_store(settings: &Settings) -> Result<Arc<SqlStore>, StartError> {
    let db = connect(&database_settings(settings)).await?;
    if settings.database.migrate_on_start {
        migrate(&db).await?;
    } else {
        check_schema(&db).await?;
    }
    Ok(Arc::new(SqlStore::new(db)))
}

pub(crate) fn database_settings(settings: &Settings) -> DatabaseSettings {
    DatabaseSettings {
        url: settings.database.url.clone(),
        max_connections: settings.database.max_connections,
        acquire_timeout: Duration::from_secs(settings.database.acquire_timeout_seconds),
    }
}

fn account_policy(settings: &Settings) -> AccountPolicy {
    AccountPolicy {
        session_lifetime: TimeDelta::hours(i64::from(settings.auth.session_lifetime_hours)),
        session_idle_timeout: TimeDelta::minutes(i64::from(settings.auth.session_idle_minutes)),
        throttle: ThrottlePolicy::default(),
        policies: PolicyDefaults {
            privacy: EffectivePolicy {
                version: settings.policies.privacy_version.clone(),
                effective_at: settings.policies.privacy_effective_at,
            },
            terms: EffectivePolicy {
                version: settings.policies.terms_version.clone(),
                effective_at: settings.policies.terms_effective_at,
            },
            material_notice: TimeDelta::days(i64::from(settings.policies.material_notice_days)),
        },
        minimum_age: settings.auth.minimum_age,
        default_payment_terms_days: settings.invoicing.default_payment_terms_days,
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

use super::*;
use figment::Jail;

#[test]
fn the_defaults_need_no_service() {
    let settings = Settings::defaults().unwrap();
    assert_eq!(settings.http.bind.to_string(), "127.0.0.1:8080");
    assert!(settings.database.url.starts_with("sqlite://./data/"));
    assert!(settings.database.migrate_on_start);
}

#[test]
#[allow(clippy::result_large_err)] // figment's Jail returns its own error type
fn environment_overrides_and_bad_values_name_their_key() {
    Jail::expect_with(|jail| {
        jail.set_env("FAKTURO_HTTP__BIND", "0.0.0.0:9999");
        jail.set_env("FAKTURO_DATABASE__URL", "postgres://u@h/db");
        jail.set_env("FAKTURO_TEST_POSTGRES_URL", "ignored: not a setting");
        let settings = Settings::load().unwrap();
        assert_eq!(settings.http.bind.port(), 9999);
        assert_eq!(settings.database.url, "postgres://u@h/db");

        jail.set_env("FAKTURO_HTTP__BIND", "not-an-address");
        let message = Settings::load().unwrap_err().to_string().to_lowercase();
        assert!(message.contains("http.bind"), "{message}");

        jail.set_env("FAKTURO_HTTP__BIND", "127.0.0.1:0");
        jail.set_env("FAKTURO_AUTH__MINIMUM_AGE", "15");
        let message = Settings::load().unwrap_err().to_string();
        assert!(message.contains("auth.minimum_age"), "{message}");

        jail.set_env("FAKTURO_AUTH__MINIMUM_AGE", "18");
        jail.set_env("FAKTURO_HTTP__BINDD", "typo");
        let message = Settings::load().unwrap_err().to_string().to_lowercase();
        assert!(message.contains("bindd"), "{message}");
        Ok(())
    });
}

#[test]
#[allow(clippy::result_large_err)] // figment's Jail returns its own error type
fn secrets_can_come_from_files() {
    Jail::expect_with(|jail| {
        jail.create_file("db-url", "postgres://fakturo:Pa55-db-W0rd@db/fakturo\n")?;
        jail.set_env("FAKTURO_DATABASE__URL_FILE", "db-url");
        jail.set_env(
            "FAKTURO_SECRETS__KEYS",
            "k1:KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=",
        );
        jail.set_env("FAKTURO_GOOGLE__CLIENT_SECRET", "google-Cl13nt-secret");
        jail.set_env("FAKTURO_STORAGE__S3_SECRET_ACCESS_KEY", "s3-Acc3ss-secret");
        let settings = Settings::load().unwrap();
        assert_eq!(settings.database.url, "postgres://fakturo:Pa55-db-W0rd@db/fakturo");
        let printed = format!("{settings:?}");
        for secret in ["Pa55-db-W0rd", "KioqKioq", "google-Cl13nt-secret", "s3-Acc3ss-secret"] {
            assert!(!printed.contains(secret), "{secret} is printed");
        }
        Ok(())
    });
}

#[test]
fn the_backup_recipient_is_an_age_public_key_or_empty() {
    let mut settings = Settings::defaults().unwrap();
    assert!(
        settings.retention.backup_recipient.is_empty(),
        "the server starts without one"
    );
    settings.retention.backup_recipient = age::x25519::Identity::generate().to_public().to_string();
    settings.validate().unwrap();

    settings.retention.backup_recipient = "age1notakey".into();
    let message = settings.validate().unwrap_err().to_string();
    assert!(message.contains("retention.backup_recipient"), "{message}");

    let identity = age::x25519::Identity::generate();
    let secret = age::secrecy::ExposeSecret::expose_secret(&identity.to_string()).to_owned();
    settings.retention.backup_recipient = secret.clone();
    let message = settings.validate().unwrap_err().to_string();
    assert!(message.contains("private key"), "{message}");
    assert!(!message.contains(&secret), "the private key is not echoed");
}

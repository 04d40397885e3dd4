//! Sign in with Google: OpenID Connect's authorization code flow with PKCE
//! and a nonce, on the `openidconnect` crate. The provider is discovered
//! from its issuer URL (metadata and signing keys are cached for an hour);
//! the ID token's signature, issuer, audience, expiry and nonce are checked
//! before the domain sees a [`VerifiedIdentity`]. Time for those checks
//! comes from the [`Clock`] port. The HTTP client follows no redirects.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fakturo_domain::access::services::accounts::VerifiedIdentity;
use fakturo_domain::kernel::clock::Clock;
use fakturo_domain::kernel::email::EmailAddress;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// How long discovered metadata and keys are reused.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// Why a sign-in with Google failed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The configuration is unusable (named key).
    #[error("`{key}` {message}")]
    Config {
        /// The setting.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The provider could not be reached or answered nonsense.
    #[error("the identity provider failed: {0}")]
    Provider(String),
    /// The ID token did not verify (signature, issuer, audience, expiry or nonce).
    #[error("the ID token is not valid: {0}")]
    InvalidToken(String),
}

/// Where to send the person, and what to keep until they come back.
#[derive(Debug)]
pub struct Authorization {
    /// The provider's authorization URL.
    pub url: String,
    /// The `state` the provider hands back to the callback.
    pub state: String,
    /// The nonce and PKCE verifier, as JSON, to keep (sealed) until the callback.
    pub adapter_state: String,
}

#[derive(Serialize, Deserialize)]
struct AdapterState {
    nonce: String,
    pkce_verifier: String,
}

/// The Google sign-in adapter.
pub struct GoogleSignIn {
    client_id: ClientId,
    client_secret: ClientSecret,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    clock: Arc<dyn Clock>,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for GoogleSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoogleSignIn")
            .field("issuer", &self.issuer.as_str())
            .finish_non_exhaustive()
    }
}

impl GoogleSignIn {
    /// The adapter for a client registered with the provider at `issuer`.
    ///
    /// # Errors
    /// [`OidcError::Config`] naming the bad setting.
    pub fn new(
        client_id: &str,
        client_secret: &str,
        issuer: &str,
        redirect: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, OidcError> {
        let config = |key, message: String| OidcError::Config { key, message };
        if client_id.trim().is_empty() {
            return Err(config("google.client_id", "must be set".into()));
        }
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| OidcError::Provider(e.to_string()))?;
        Ok(Self {
            client_id: ClientId::new(client_id.trim().to_owned()),
            client_secret: ClientSecret::new(client_secret.trim().to_owned()),
            issuer: IssuerUrl::new(issuer.trim().to_owned()).map_err(|e| config("google.issuer_url", e.to_string()))?,
            redirect: RedirectUrl::new(redirect.trim().to_owned())
                .map_err(|e| config("google.redirect_url", e.to_string()))?,
            http,
            clock,
            metadata: Mutex::new(None),
        })
    }

    async fn provider(&self) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = self.metadata.lock().await;
        if let Some((fetched, metadata)) = cached.as_ref()
            && fetched.elapsed() < METADATA_TTL
        {
            return Ok(metadata.clone());
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| OidcError::Provider(format!("discovery: {e}")))?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    /// Where to send the person: the authorization URL with a fresh state,
    /// nonce and PKCE challenge.
    ///
    /// # Errors
    /// [`OidcError::Provider`] when discovery fails.
    pub async fn authorization(&self) -> Result<Authorization, OidcError> {
        let client = CoreClient::from_provider_metadata(
            self.provider().await?,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let adapter_state = serde_json::to_string(&AdapterState {
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
        .map_err(|e| OidcError::Provider(e.to_string()))?;
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            adapter_state,
        })
    }

    /// Exchanges the callback's code (with the PKCE verifier) and verifies
    /// the ID token against the nonce kept since [`GoogleSignIn::authorization`].
    ///
    /// # Errors
    /// [`OidcError::Provider`] when the exchange fails, [`OidcError::InvalidToken`]
    /// when the ID token does not verify or has no email.
    pub async fn identity(&self, code: &str, adapter_state: &str) -> Result<VerifiedIdentity, OidcError> {
        let kept: AdapterState =
            serde_json::from_str(adapter_state).map_err(|e| OidcError::InvalidToken(format!("state: {e}")))?;
        let client = CoreClient::from_provider_metadata(
            self.provider().await?,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone());
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Provider(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(kept.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Provider(format!("code exchange: {e}")))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::InvalidToken("the provider returned no ID token".into()))?;
        let clock = self.clock.clone();
        let verifier = client.id_token_verifier().set_time_fn(move || clock.now());
        let claims = id_token
            .claims(&verifier, &Nonce::new(kept.nonce))
            .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
        if let Some(expected) = claims.access_token_hash() {
            let algorithm = id_token
                .signing_alg()
                .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
            let actual = AccessTokenHash::from_token(response.access_token(), algorithm, key)
                .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
            if actual != *expected {
                return Err(OidcError::InvalidToken("the access token hash does not match".into()));
            }
        }
        let email = claims
            .email()
            .ok_or_else(|| OidcError::InvalidToken("the ID token has no email".into()))?;
        let email = EmailAddress::parse(email.as_str())
            .map_err(|_| OidcError::InvalidToken("the email is malformed".into()))?;
        Ok(VerifiedIdentity {
            provider: "google".to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email,
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|name| name.get(None))
                .map(|name| name.as_str().to_owned()),
        })
    }
}

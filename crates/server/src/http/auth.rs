//! Authentication of API requests: a bearer token (a session's or an API
//! token) in `Authorization`, or the `fakturo_session` cookie of a browser.
//! Both name a server-side credential resolved on every request, so
//! revocation takes effect at once. Cookie requests that change something
//! (anything but GET, HEAD and OPTIONS) must echo the session's anti-CSRF
//! token in `X-CSRF-Token`; bearer requests cannot be forged by another
//! site and need none.
//!
//! Also the client's address ([`ClientAddress`]), taken from the peer or,
//! behind `http.trusted_proxy_hops` proxies, from `X-Forwarded-For`.

use std::net::IpAddr;

use fakturo_domain::access::audit::RequestOrigin;
use fakturo_domain::access::services::accounts::{Authenticated, NewSession};
use fakturo_domain::kernel::tokens::SecretToken;
use poem::http::{Method, StatusCode};
use poem::web::cookie::{Cookie, CookieJar, SameSite};
use poem::{FromRequest, Request, RequestBody};
use poem_openapi::SecurityScheme;
use poem_openapi::auth::{ApiKey, Bearer};

use super::AppState;
use super::problem::{ApiError, ErrorCode};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fakturo_session";
/// The anti-CSRF cookie's name (readable by the page's script).
pub const CSRF_COOKIE: &str = "fakturo_csrf";
/// The header that must echo the anti-CSRF token on unsafe cookie requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `Authorization: Bearer <token>`: a session token (`fks_…`) from sign-in,
/// or a personal API token (`fkt_…`).
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "opaque")]
pub struct BearerAuth(Bearer);

/// The `fakturo_session` cookie set at sign-in; unsafe methods also need
/// the `X-CSRF-Token` header (the value of the `fakturo_csrf` cookie).
#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "fakturo_session",
    key_in = "cookie",
    checker = "cookie_session"
)]
pub struct CookieAuth(CookieSession);

/// A session cookie and whether the request passed the CSRF check.
pub struct CookieSession {
    token: String,
    csrf_ok: bool,
}

async fn cookie_session(req: &Request, key: ApiKey) -> Option<CookieSession> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let token = SecretToken::new(key.key);
    let csrf_ok = safe
        || req
            .header(CSRF_HEADER)
            .is_some_and(|presented| constant_time_eq(presented.as_bytes(), token.csrf_token().as_bytes()));
    Some(CookieSession {
        token: token.expose().to_owned(),
        csrf_ok,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Any way to authenticate: a bearer token or the session cookie.
#[derive(SecurityScheme)]
pub enum Auth {
    /// A bearer token.
    Bearer(BearerAuth),
    /// A browser session.
    Cookie(CookieAuth),
}

impl AppState {
    /// Resolves the request's credential to the acting user of an open account.
    ///
    /// # Errors
    /// 401 `unauthenticated` for unknown, expired or revoked tokens;
    /// 403 `csrf_failed` for an unsafe cookie request without the anti-CSRF token;
    /// 403 `account_closed` while the organization is closed.
    pub async fn authenticate(&self, auth: Auth) -> Result<Authenticated, ApiError> {
        let who = self.authenticate_even_if_closed(auth).await?;
        if who.account_closed {
            return Err(ApiError::with_status(
                StatusCode::FORBIDDEN,
                ErrorCode::AccountClosed,
                "The account is closed: only exporting its data, reopening it and signing out are possible.",
            ));
        }
        Ok(who)
    }

    /// Like [`AppState::authenticate`], also for a closed account (for the
    /// routes that stay open during the grace period: export, reopen, sign-out, me).
    ///
    /// # Errors
    /// 401 `unauthenticated` or 403 `csrf_failed`.
    pub async fn authenticate_even_if_closed(&self, auth: Auth) -> Result<Authenticated, ApiError> {
        let token = match auth {
            Auth::Bearer(BearerAuth(bearer)) => bearer.token,
            Auth::Cookie(CookieAuth(session)) => {
                if !session.csrf_ok {
                    return Err(ApiError::new(
                        ErrorCode::CsrfFailed,
                        "Requests that change data with the session cookie must send the X-CSRF-Token header.",
                    ));
                }
                session.token
            }
        };
        Ok(self.services.accounts.authenticate(&SecretToken::new(token)).await?)
    }

    /// Sets the session and anti-CSRF cookies of a new session.
    pub fn set_session_cookies(&self, jar: &CookieJar, session: &NewSession) {
        let lifetime = std::time::Duration::from_secs(u64::from(self.settings.auth.session_lifetime_hours) * 3600);
        let mut cookie = Cookie::new_with_str(SESSION_COOKIE, session.token.expose());
        cookie.set_http_only(true);
        cookie.set_secure(true);
        cookie.set_same_site(SameSite::Lax);
        cookie.set_path("/");
        cookie.set_max_age(lifetime);
        jar.add(cookie);
        let mut csrf = Cookie::new_with_str(CSRF_COOKIE, session.token.csrf_token());
        csrf.set_http_only(false);
        csrf.set_secure(true);
        csrf.set_same_site(SameSite::Lax);
        csrf.set_path("/");
        csrf.set_max_age(lifetime);
        jar.add(csrf);
    }

    /// Removes the session cookies (sign-out).
    pub fn clear_session_cookies(&self, jar: &CookieJar) {
        for name in [SESSION_COOKIE, CSRF_COOKIE] {
            let mut cookie = Cookie::named(name);
            cookie.set_path("/");
            cookie.set_secure(true);
            cookie.make_removal();
            jar.add(cookie);
        }
    }
}

/// The client's IP address as the middleware determined it (a request extension).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The address of `req`: the peer's, or, behind `hops` trusted proxies,
    /// the `X-Forwarded-For` entry `hops` places from the right (the one the
    /// outermost trusted proxy saw).
    #[must_use]
    pub fn of(req: &Request, hops: usize) -> Self {
        let peer = req.remote_addr().as_socket_addr().map(std::net::SocketAddr::ip);
        if hops == 0 {
            return Self(peer);
        }
        let forwarded: Vec<IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .collect();
        Self(
            forwarded
                .len()
                .checked_sub(hops)
                .and_then(|i| forwarded.get(i).copied())
                .or(peer),
        )
    }

    /// The audit origin (the address cut to its network).
    #[must_use]
    pub fn origin(&self) -> RequestOrigin {
        RequestOrigin::from_ip(self.0)
    }
}

impl<'a> FromRequest<'a> for ClientAddress {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Ok(req.extensions().get::<Self>().copied().unwrap_or_default())
    }
}

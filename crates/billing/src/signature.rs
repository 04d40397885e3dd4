//! HMAC-SHA256 over the parts of a signed payload, hex-encoded, and its
//! constant-time check (`hmac::Mac::verify_slice`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], parts: &[&[u8]]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    for part in parts {
        mac.update(part);
    }
    Some(mac)
}

/// `hex(HMAC-SHA256(secret, parts…))`.
pub(crate) fn sign_hex(secret: &[u8], parts: &[&[u8]]) -> String {
    mac(secret, parts)
        .map(|mac| hex::encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `signature_hex` is the HMAC of `parts` under `secret`, compared
/// in constant time.
pub(crate) fn matches(secret: &[u8], parts: &[&[u8]], signature_hex: &str) -> bool {
    let Ok(signature) = hex::decode(signature_hex) else {
        return false;
    };
    mac(secret, parts).is_some_and(|mac| mac.verify_slice(&signature).is_ok())
}

/// Whether `timestamp` (seconds) is within `tolerance` seconds of `now`, in either direction.
pub(crate) fn within(timestamp: i64, now: i64, tolerance: u64) -> bool {
    now.abs_diff(timestamp) <= tolerance
}

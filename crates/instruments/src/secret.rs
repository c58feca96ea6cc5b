//! Resolving a named key from the environment or the OS keychain, at play time only.
//!
//! A score names where a key lives ([`KeyRef`]), never the key. Keychain entries are stored under
//! one service name so the studio can list, replace and forget them without touching other
//! programs' entries. Every error here is built from our own words and the platform's reason,
//! never from the secret: some keychain errors carry the stored bytes, and those are dropped.

use ensemble_score::KeyRef;

/// The keychain service every entry of the studio is filed under.
pub const KEYCHAIN_SERVICE: &str = "ensemble-studio";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SecretError {
    #[error("environment variable {0} is not set")]
    EnvMissing(String),
    #[error("no keychain entry named {0} (service \"ensemble-studio\")")]
    KeychainMissing(String),
    #[error("no keychain is available here ({0}); use an environment variable instead: key = {{ env = \"NAME\" }}")]
    KeychainUnavailable(String),
    #[error("keychain entry {name}: {reason}")]
    Keychain { name: String, reason: String },
}

/// The secret named by `key`. Never log, store or display the result.
pub fn resolve_key(key: &KeyRef) -> Result<String, SecretError> {
    match key {
        KeyRef::Env(name) => match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => Ok(value),
            _ => Err(SecretError::EnvMissing(name.clone())),
        },
        KeyRef::Keychain(name) => entry(name)?.get_password().map_err(|e| keychain_error(name, e)),
    }
}

/// Says in words where `key` points, for messages: `environment variable OPENAI_API_KEY`.
pub fn describe_key(key: &KeyRef) -> String {
    match key {
        KeyRef::Env(name) => format!("environment variable {name}"),
        KeyRef::Keychain(name) => format!("keychain entry {name}"),
    }
}

/// Files `secret` in the keychain under `name`, replacing any earlier value.
pub fn store_key(name: &str, secret: &str) -> Result<(), SecretError> {
    if secret.is_empty() {
        return Err(SecretError::Keychain { name: name.to_string(), reason: "the key is empty".into() });
    }
    entry(name)?.set_password(secret).map_err(|e| keychain_error(name, e))
}

/// Removes the keychain entry `name`. Removing an entry that does not exist is not an error.
pub fn delete_key(name: &str) -> Result<(), SecretError> {
    match entry(name)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error(name, e)),
    }
}

/// Whether the keychain holds an entry `name` (false when there is no keychain at all).
pub fn key_is_set(name: &str) -> bool {
    entry(name).and_then(|e| e.get_password().map_err(|e| keychain_error(name, e))).is_ok()
}

/// `Ok` when a keychain service answers here. On a headless Linux without a Secret Service, the
/// error says so plainly, so the studio can offer environment variables instead.
pub fn keychain_status() -> Result<(), String> {
    // Reading an entry that is never written is the cheapest question that needs the service.
    let probe = "ensemble-studio keychain probe";
    match entry(probe).and_then(|e| e.get_password().map_err(|e| keychain_error(probe, e))) {
        Ok(_) | Err(SecretError::KeychainMissing(_)) => Ok(()),
        Err(SecretError::KeychainUnavailable(reason)) => Err(format!(
            "no keychain service is available on this machine ({reason}); keys can come from environment variables instead: key = {{ env = \"NAME\" }}"
        )),
        Err(other) => Err(other.to_string()),
    }
}

fn entry(name: &str) -> Result<keyring::Entry, SecretError> {
    if name.trim().is_empty() {
        return Err(SecretError::Keychain { name: name.to_string(), reason: "the entry needs a name".into() });
    }
    keyring::Entry::new(KEYCHAIN_SERVICE, name).map_err(|e| keychain_error(name, e))
}

/// Maps a keychain error to ours without ever carrying stored bytes or credentials along.
fn keychain_error(name: &str, error: keyring::Error) -> SecretError {
    let reason = match error {
        keyring::Error::NoEntry => return SecretError::KeychainMissing(name.to_string()),
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
            return SecretError::KeychainUnavailable(e.to_string());
        }
        keyring::Error::BadEncoding(_) => "the stored value is not text".to_string(),
        keyring::Error::TooLong(attribute, limit) => format!("{attribute} is longer than the keychain allows ({limit})"),
        keyring::Error::Invalid(attribute, why) => format!("{attribute} is invalid: {why}"),
        keyring::Error::Ambiguous(found) => format!("{} entries match this name; remove the extras", found.len()),
        _ => "the keychain refused the request".to_string(),
    };
    SecretError::Keychain { name: name.to_string(), reason }
}

//! Resolving a named key from the environment or the OS keychain, at play time only.

use ensemble_score::KeyRef;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SecretError {
    #[error("environment variable {0} is not set")]
    EnvMissing(String),
    #[error("no keychain entry named {0}")]
    KeychainMissing(String),
    #[error("no keychain is available here ({0}); use an environment variable instead: key = {{ env = \"NAME\" }}")]
    KeychainUnavailable(String),
}

/// The secret named by `key`. Never log, store or display the result.
pub fn resolve_key(key: &KeyRef) -> Result<String, SecretError> {
    match key {
        KeyRef::Env(name) => std::env::var(name).map_err(|_| SecretError::EnvMissing(name.clone())),
        KeyRef::Keychain(name) => Err(SecretError::KeychainUnavailable(format!("keychain entry {name}: not yet supported"))),
    }
}

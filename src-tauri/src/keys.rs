//! API keys in the OS keychain. The webview may hand a key in to be stored, ask whether one is
//! set, or have it forgotten; no command ever sends a key back.

use serde::Serialize;
use ts_rs::TS;

use crate::error::UiResult;
use crate::studio::blocking;

/// Whether this machine has a keychain the studio can use, and if not, what to do instead.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KeychainStatus {
    pub available: bool,
    pub message: String,
}

/// Whether keys can be kept in a keychain here, and if not, what to do instead.
#[tauri::command]
pub async fn keychain_status() -> UiResult<KeychainStatus> {
    blocking(|| {
        Ok(match ensemble_instruments::keychain_status() {
            Ok(()) => KeychainStatus { available: true, message: "keys are kept in the system keychain".into() },
            Err(message) => KeychainStatus { available: false, message },
        })
    })
    .await
}

/// Stores a key in the OS keychain under `name`; the secret is never sent back.
#[tauri::command]
pub async fn set_key(name: String, secret: String) -> UiResult<()> {
    blocking(move || Ok(ensemble_instruments::store_key(&name, &secret)?)).await
}

#[tauri::command]
pub async fn key_is_set(name: String) -> UiResult<bool> {
    blocking(move || Ok(ensemble_instruments::key_is_set(&name))).await
}

#[tauri::command]
pub async fn delete_key(name: String) -> UiResult<()> {
    blocking(move || Ok(ensemble_instruments::delete_key(&name)?)).await
}

//! API keys in the OS keychain. The webview may hand a key in to be stored, ask whether one is
//! set, or have it forgotten; no command ever sends a key back.

use serde::Serialize;
use ts_rs::TS;

use crate::error::UiResult;

/// Whether this machine has a keychain the studio can use, and if not, what to do instead.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KeychainStatus {
    pub available: bool,
    pub message: String,
}

#[tauri::command]
pub fn keychain_status() -> KeychainStatus {
    match ensemble_instruments::keychain_status() {
        Ok(()) => KeychainStatus { available: true, message: "keys are kept in the system keychain".into() },
        Err(message) => KeychainStatus { available: false, message },
    }
}

#[tauri::command]
pub fn set_key(name: String, secret: String) -> UiResult<()> {
    Ok(ensemble_instruments::store_key(&name, &secret)?)
}

#[tauri::command]
pub fn key_is_set(name: String) -> bool {
    ensemble_instruments::key_is_set(&name)
}

#[tauri::command]
pub fn delete_key(name: String) -> UiResult<()> {
    Ok(ensemble_instruments::delete_key(&name)?)
}

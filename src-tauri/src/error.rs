//! The one error shape the studio's webview receives: a message a person can act on.
//!
//! Engine errors already say what went wrong and where; the shell only carries their text
//! across IPC. Nothing secret ever reaches an engine error message, so none reaches here.

use serde::Serialize;
use ts_rs::TS;

/// A failed command, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UiError {
    pub message: String,
}

impl UiError {
    pub fn new(message: impl Into<String>) -> Self {
        UiError { message: message.into() }
    }
}

impl<E: std::error::Error> From<E> for UiError {
    fn from(error: E) -> Self {
        UiError::new(error.to_string())
    }
}

/// What every command returns.
pub type UiResult<T> = Result<T, UiError>;

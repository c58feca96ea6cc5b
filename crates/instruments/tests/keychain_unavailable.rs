//! Keys on a machine without a keychain service: every call says so plainly and none shows the key.
//!
//! The first test points the whole process at a session bus that does not exist; the other never
//! reaches the keychain, so the two may run side by side.

use ensemble_instruments::{SecretError, delete_key, key_is_set, keychain_status, resolve_key, store_key};
use ensemble_score::KeyRef;

#[test]
fn without_a_secret_service_every_call_says_to_use_an_environment_variable() {
    let dir = tempfile::tempdir().expect("the temp folder is writable");
    let nowhere = format!("unix:path={}", dir.path().join("no-bus").display());
    // SAFETY: the only test in this binary, run before anything else reads the environment.
    unsafe {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &nowhere);
        std::env::remove_var("DISPLAY");
    }
    let secret = "sk-never-shown-4242";

    let status = keychain_status().expect_err("there is no bus, so no keychain");
    assert!(status.contains("no keychain service is available"), "{status}");
    assert!(status.contains("environment variable"), "{status}");

    let stored = store_key("openai", secret).expect_err("nowhere to store it");
    assert!(matches!(stored, SecretError::KeychainUnavailable(_)), "{stored:?}");
    assert!(!stored.to_string().contains(secret) && !format!("{stored:?}").contains(secret));
    assert!(stored.to_string().contains("use an environment variable instead"), "{stored}");

    assert!(!key_is_set("openai"));
    assert!(matches!(resolve_key(&KeyRef::Keychain("openai".into())), Err(SecretError::KeychainUnavailable(_))));
    assert!(matches!(delete_key("openai"), Err(SecretError::KeychainUnavailable(_))));
}

#[test]
fn empty_names_and_keys_are_refused_before_the_keychain_is_asked() {
    assert!(matches!(store_key("", "x"), Err(SecretError::Keychain { .. })));
    let empty = store_key("openai", "").expect_err("an empty key is no key");
    assert!(empty.to_string().contains("empty"), "{empty}");
}

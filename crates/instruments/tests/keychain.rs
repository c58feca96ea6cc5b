//! Keys in a real Secret Service: a private D-Bus session with gnome-keyring, unlocked for the test.
//!
//! When `dbus-daemon` or `gnome-keyring-daemon` is not installed the test says so and stops
//! (on Debian: `apt-get install dbus gnome-keyring`).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use ensemble_instruments::{SecretError, delete_key, key_is_set, keychain_status, resolve_key, store_key};
use ensemble_score::KeyRef;

/// A daemon that is stopped and reaped when the test ends, however it ends.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A session bus that activates nothing by itself, so only our keyring daemon can answer.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=DIR</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

fn installed(program: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {program} >/dev/null")]).status().is_ok_and(|s| s.success())
}

/// Starts the bus and an unlocked keyring on it; returns them with the bus address.
fn secret_service(dir: &Path) -> (Daemon, Daemon, String) {
    let config = dir.join("bus.conf");
    std::fs::write(&config, BUS_CONFIG.replace("DIR", &dir.display().to_string())).expect("the temp folder is writable");
    let mut bus = Command::new("dbus-daemon")
        .args(["--print-address=1", "--nofork", "--nopidfile"])
        .arg(format!("--config-file={}", config.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon is installed");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().expect("stdout was piped")).read_line(&mut address).expect("the bus prints its address");
    let bus = Daemon(bus);
    let address = address.trim().to_string();

    let runtime = dir.join("run");
    std::fs::create_dir_all(&runtime).expect("the temp folder is writable");
    let mut keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon is installed");
    // The password unlocks (and first creates) the login keyring; closing stdin ends it.
    keyring.stdin.take().expect("stdin was piped").write_all(b"test-password").expect("the daemon reads its password");
    (bus, Daemon(keyring), address)
}

#[test]
fn keys_round_trip_through_a_real_secret_service() {
    if !installed("dbus-daemon") || !installed("gnome-keyring-daemon") {
        // The project's test command installs both; only a developer's bare `cargo test` may lack them.
        assert!(std::env::var_os("CI").is_none(), "CI must run this test: apt-get install dbus gnome-keyring");
        eprintln!("skipped: needs dbus-daemon and gnome-keyring-daemon (apt-get install dbus gnome-keyring)");
        return;
    }
    let dir = tempfile::tempdir().expect("the temp folder is writable");
    let (_bus, _keyring, address) = secret_service(dir.path());
    // SAFETY: the only test in this binary; nothing else reads the environment concurrently.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address) };

    // The daemon claims its bus name a moment after it starts; wait for it to answer.
    let mut status = keychain_status();
    for _ in 0..100 {
        if status.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        status = keychain_status();
    }
    status.expect("the keyring answers on the private bus");

    let name = "openai-test";
    assert!(!key_is_set(name));
    assert_eq!(resolve_key(&KeyRef::Keychain(name.into())), Err(SecretError::KeychainMissing(name.into())));

    store_key(name, "sk-first").expect("the keyring is unlocked");
    store_key(name, "sk-second").expect("storing again replaces the value");
    assert!(key_is_set(name));
    assert_eq!(resolve_key(&KeyRef::Keychain(name.into())).as_deref(), Ok("sk-second"));

    delete_key(name).expect("the entry exists");
    delete_key(name).expect("deleting a missing entry is fine");
    assert!(!key_is_set(name));
}

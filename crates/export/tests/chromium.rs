//! The performance report opened in a real browser (the Chromium the UI tests use): it loads as
//! a page whose DOM holds every output as text and no script, and it prints to PDF.

mod recorded;

use std::path::{Path, PathBuf};
use std::process::Command;

use recorded::*;

/// The Chromium on this machine, if there is one.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn headless(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("Chromium starts")
}

#[test]
fn the_report_opens_and_prints_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("no Chromium on PATH: the report was not opened in a browser (scripts/install-deps.sh installs it)");
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("report.html");
    std::fs::write(&page, ensemble_export::report(&score(), ID, &events())).expect("writable");
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");

    let dumped = headless(&browser, &profile, &["--dump-dom", &url]);
    assert!(dumped.status.success(), "Chromium opened the page: {}", String::from_utf8_lossy(&dumped.stderr));
    let dom = String::from_utf8_lossy(&dumped.stdout);
    assert!(
        dom.contains("<pre class=\"output\">&lt;script&gt;alert('draft')&lt;/script&gt; &amp; \"quoted\""),
        "the draft is text in the DOM"
    );
    assert!(!dom.contains("<script"), "the browser found no script to run");
    assert!(dom.contains("<svg"), "the score's picture is part of the page");

    let pdf = dir.path().join("report.pdf");
    let printed = headless(&browser, &profile, &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display()), &url]);
    assert!(printed.status.success(), "Chromium printed the page: {}", String::from_utf8_lossy(&printed.stderr));
    let bytes = std::fs::read(&pdf).expect("the PDF was written");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert!(bytes.len() > 10_000, "with the report in it ({} bytes)", bytes.len());
}

//! Bundles round-trip byte for byte, and every hostile archive is refused with a clear message
//! and nothing written.

mod common;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use ensemble_export::{ExportError, Limits, open_bundle, open_bundle_with, write_bundle};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const SCORE: &str = r#"format = 1
title = "Bundled"

[intent]
goal = "Travel with the files."

[context]
notes = "See the brief."
files = ["docs/brief.md", "data.csv"]

[[players]]
id = "a"
name = "A"
zone = "improver"
part = "Read the brief."

[players.instrument]
kind = "rehearsal"
"#;

/// A folder with a score that attaches two files (one in a subfolder, one with arbitrary bytes).
fn scored_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let score = dir.path().join("trip.score.toml");
    std::fs::write(&score, SCORE).expect("write the score");
    std::fs::create_dir(dir.path().join("docs")).expect("make docs");
    std::fs::write(dir.path().join("docs/brief.md"), "# Brief\n\nDo it well.\n").expect("write the brief");
    std::fs::write(dir.path().join("data.csv"), (0u8..=255).collect::<Vec<u8>>()).expect("write the data");
    (dir, score)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.expect("an entry").path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

#[test]
fn a_bundle_round_trips_byte_for_byte() {
    let (source, score) = scored_folder();
    let bytes = write_bundle(&score).expect("a bundle of a valid score");
    let target = tempfile::tempdir().expect("a temporary folder");
    let into = target.path().join("opened");
    let opened = open_bundle(&bytes, &into).expect("our own bundle opens");
    assert_eq!(opened.score, into.join("trip.score.toml"), "the score is at the top of the folder");
    assert_eq!(opened.files.len(), 3, "the score and its two attached files: {:?}", opened.files);
    for rel in ["trip.score.toml", "docs/brief.md", "data.csv"] {
        let before = std::fs::read(source.path().join(rel)).expect("the original");
        let after = std::fs::read(into.join(rel)).unwrap_or_else(|e| panic!("{rel} was written: {e}"));
        assert_eq!(before, after, "{rel} comes back byte for byte");
    }
    assert_eq!(files_under(&into).len(), 3, "nothing else is written");

    // Opening again into the same folder would overwrite: refused, and the files stay as they were.
    let err = open_bundle(&bytes, &into).expect_err("opening over existing files is refused");
    assert!(err.to_string().contains("already exists"), "says why: {err}");
}

#[test]
fn attachments_outside_the_folder_or_through_links_are_not_bundled() {
    let (dir, score) = scored_folder();
    let outside = SCORE.replace(r#"files = ["docs/brief.md", "data.csv"]"#, r#"files = ["../elsewhere.txt"]"#);
    std::fs::write(&score, outside).expect("rewrite the score");
    assert!(write_bundle(&score).is_err(), "a file outside the score's folder is refused");

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("data.csv"), dir.path().join("link.csv")).expect("a link");
        let linked = SCORE.replace(r#"files = ["docs/brief.md", "data.csv"]"#, r#"files = ["link.csv"]"#);
        std::fs::write(&score, linked).expect("rewrite the score");
        let err = write_bundle(&score).expect_err("a link is not bundled");
        assert!(err.to_string().contains("link"), "says it is a link: {err}");
    }
}

enum Entry<'a> {
    File(&'a str, Vec<u8>),
    Stored(&'a str, Vec<u8>),
    Link(&'a str, &'a str),
}

fn archive(entries: &[Entry]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for entry in entries {
        match entry {
            Entry::File(name, bytes) | Entry::Stored(name, bytes) => {
                let options = if matches!(entry, Entry::Stored(..)) { stored } else { deflated };
                zip.start_file(*name, options).expect("start an entry");
                zip.write_all(bytes).expect("write an entry");
            }
            Entry::Link(name, target) => zip.add_symlink(*name, *target, deflated).expect("add a link"),
        }
    }
    zip.finish().expect("finish the archive").into_inner()
}

fn score_entry() -> Entry<'static> {
    Entry::File("x.score.toml", SCORE.as_bytes().to_vec())
}

/// Opening `bytes` is refused with a message containing `because`, and the target stays empty.
fn assert_refused(bytes: &[u8], limits: &Limits, because: &str) {
    let target = tempfile::tempdir().expect("a temporary folder");
    let err = open_bundle_with(bytes, target.path(), limits).expect_err(because);
    assert!(matches!(err, ExportError::Refused(_)), "refused as a bundle, not another error: {err}");
    let message = err.to_string();
    assert!(message.contains(because), "the message says why ({because:?}): {message}");
    assert!(message.contains("nothing was written"), "the message says nothing was written: {message}");
    assert_eq!(files_under(target.path()), Vec::<PathBuf>::new(), "nothing may be written on refusal ({because})");
    assert_eq!(std::fs::read_dir(target.path()).expect("the target").count(), 0, "not even a folder ({because})");
}

#[test]
fn hostile_paths_are_refused() {
    let limits = Limits::default();
    let file = |name| archive(&[score_entry(), Entry::File(name, b"x".to_vec())]);
    assert_refused(&file("../evil.txt"), &limits, "climbs out");
    assert_refused(&file("docs/../../evil.txt"), &limits, "climbs out");
    assert_refused(&file("/etc/evil"), &limits, "absolute");
    assert_refused(&file("C:/evil.txt"), &limits, "`:`");
    assert_refused(&file("docs\\..\\evil.txt"), &limits, "`\\`");
    assert_refused(&archive(&[score_entry(), Entry::Link("link", "/etc/passwd")]), &limits, "is a link");
}

#[test]
fn duplicates_and_clashes_are_refused() {
    let limits = Limits::default();
    let twice = archive(&[score_entry(), Entry::File("a.txt", b"1".to_vec()), Entry::File("A.TXT", b"2".to_vec())]);
    assert_refused(&twice, &limits, "appears twice");
    let clash = archive(&[score_entry(), Entry::File("a", b"1".to_vec()), Entry::File("a/b", b"2".to_vec())]);
    assert_refused(&clash, &limits, "both a file and a folder");
}

#[test]
fn limits_are_enforced() {
    let small = Limits { max_entries: 3, max_entry_bytes: 100, max_total_bytes: 150, ..Limits::default() };
    let many = archive(&[
        score_entry(),
        Entry::File("1", vec![]),
        Entry::File("2", vec![]),
        Entry::File("3", vec![]),
    ]);
    assert_refused(&many, &small, "more than the 3");
    let roomy = Limits { max_entry_bytes: 10_000, ..small };
    let big = archive(&[Entry::File("x.score.toml", b"format = 1".to_vec()), Entry::Stored("big", vec![7; 200])]);
    assert_refused(&big, &Limits { max_entry_bytes: 100, max_total_bytes: 10_000, ..small }, "more than the 100 bytes one file");
    let total = archive(&[Entry::File("x.score.toml", b"format = 1".to_vec()), Entry::Stored("a", vec![1; 90]), Entry::Stored("b", vec![2; 90])]);
    assert_refused(&total, &roomy, "more than the 150 bytes a bundle");

    // A zip bomb: 4 MiB of zeros packs to a few kilobytes.
    let bomb = archive(&[score_entry(), Entry::File("zeros", vec![0; 4 * 1024 * 1024])]);
    assert_refused(&bomb, &Limits::default(), "zip bomb");
}

#[test]
fn a_bundle_needs_exactly_one_score_at_its_top() {
    let limits = Limits::default();
    assert_refused(&archive(&[Entry::File("notes.md", b"x".to_vec())]), &limits, "holds no score");
    assert_refused(&archive(&[Entry::File("sub/x.score.toml", SCORE.as_bytes().to_vec())]), &limits, "holds no score");
    let two = archive(&[score_entry(), Entry::File("y.score.toml", SCORE.as_bytes().to_vec())]);
    assert_refused(&two, &limits, "2 scores");
    assert_refused(b"this is not a zip archive", &limits, "not a readable zip archive");
}

#[cfg(unix)]
#[test]
fn links_in_the_target_folder_are_not_followed() {
    let target = tempfile::tempdir().expect("a temporary folder");
    let elsewhere = tempfile::tempdir().expect("another folder");
    std::os::unix::fs::symlink(elsewhere.path(), target.path().join("docs")).expect("a link");
    let bytes = archive(&[score_entry(), Entry::File("docs/a.txt", b"x".to_vec())]);
    let err = open_bundle(&bytes, target.path()).expect_err("writing through a link is refused");
    assert!(err.to_string().contains("is a link"), "says why: {err}");
    assert_eq!(files_under(elsewhere.path()), Vec::<PathBuf>::new(), "nothing is written through the link");
    assert!(!target.path().join("x.score.toml").exists(), "nothing is written at all");
}

//! `ensemble export` and `ensemble import` through the real binary and real files.

mod support;

use support::{examples, feature_trio, run, text};

#[test]
fn every_example_exports_in_every_format_and_a_bundle_opens_back_byte_for_byte() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    for example in examples() {
        let file = dir.path().join(example.file_name().expect("an example has a file name"));
        std::fs::copy(&example, &file).expect("the example can be copied");
        let score = ensemble_score::load(&file).expect("the example loads").score;
        let file = file.display().to_string();
        let stem = file.trim_end_matches(".score.toml").to_string();

        for (format, written) in [
            ("svg", format!("{stem}.svg")),
            ("png", format!("{stem}.png")),
            ("png2x", format!("{stem}@2x.png")),
            ("mermaid", format!("{stem}.mmd")),
            ("markdown", format!("{stem}.md")),
            ("zip", format!("{stem}.score.zip")),
        ] {
            let out = run(&["export", &file, "--format", format]);
            assert_eq!(out.status.code(), Some(0), "{file} as {format}: {}", text(&out.stderr));
            let bytes = std::fs::read(&written).unwrap_or_else(|e| panic!("{written} was written: {e}"));
            assert!(!bytes.is_empty(), "{written} has content");
        }
        let svg = std::fs::read_to_string(format!("{stem}.svg")).expect("the picture was written");
        for player in &score.players {
            assert!(svg.contains(&player.name), "the picture names {}", player.name);
        }
        let png = std::fs::read(format!("{stem}.png")).expect("the PNG was written");
        let png2x = std::fs::read(format!("{stem}@2x.png")).expect("the 2x PNG was written");
        let size = |bytes: &[u8]| (u32::from_be_bytes(bytes[16..20].try_into().unwrap()), u32::from_be_bytes(bytes[20..24].try_into().unwrap()));
        assert_eq!(&png[1..4], b"PNG");
        let (w, h) = size(&png);
        assert_eq!(size(&png2x), (2 * w, 2 * h), "2x is twice the size each way");

        let into = dir.path().join(format!("opened-{}", score.title.replace(' ', "-")));
        let opened = run(&["import", &format!("{stem}.score.zip"), "--into", &into.display().to_string()]);
        assert_eq!(opened.status.code(), Some(0), "{}", text(&opened.stderr));
        let inner = into.join(example.file_name().expect("a file name"));
        assert_eq!(text(&opened.stdout).trim(), inner.display().to_string(), "the opened score's path is printed");
        assert_eq!(std::fs::read(&inner).expect("the score was opened"), std::fs::read(&example).expect("the example reads"));
    }
}

#[test]
fn a_key_in_a_part_is_listed_and_nothing_is_exported_without_consent() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let original = std::fs::read_to_string(feature_trio()).expect("the example reads");
    let key = "sk-proj-Zq8XwT4vN2mLr7Ks9PdYbHc3FgJe6Ua1";
    let leaky = original.replacen("part = \"\"\"", &format!("part = \"\"\"\nUse the key {key} when asked.\n"), 1);
    assert_ne!(leaky, original, "the example has a multi-line part to put a key in");
    let file = dir.path().join("leaky.score.toml");
    std::fs::write(&file, &leaky).expect("writable");
    let file = file.display().to_string();

    let refused = run(&["export", &file, "--format", "markdown"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    let said = text(&refused.stderr);
    assert!(said.contains("sk-"), "the finding is shown: {said}");
    assert!(!said.contains(key), "but never the whole key: {said}");
    assert!(!dir.path().join("leaky.md").exists(), "nothing was exported");

    let allowed = run(&["export", &file, "--format", "markdown", "--allow-findings"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));
    assert!(dir.path().join("leaky.md").exists());
}

#[test]
fn a_bundle_that_climbs_out_of_its_folder_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    // A zip whose one entry is named ../escape.score.toml, written by hand (stored, no compression).
    let name = b"../escape.score.toml";
    let body = b"format = 1\n";
    let crc = crc32(body);
    let mut zip = Vec::new();
    let local = zip.len() as u32;
    zip.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&(body.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(body.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(name);
    zip.extend_from_slice(body);
    let central = zip.len() as u32;
    zip.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&(body.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(body.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0; 12]);
    zip.extend_from_slice(&local.to_le_bytes());
    zip.extend_from_slice(name);
    let central_size = zip.len() as u32 - central;
    zip.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    let bundle = dir.path().join("hostile.score.zip");
    std::fs::write(&bundle, zip).expect("writable");

    let into = dir.path().join("inside");
    let out = run(&["import", &bundle.display().to_string(), "--into", &into.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("nothing was written"), "{}", text(&out.stderr));
    assert!(!dir.path().join("escape.score.toml").exists(), "nothing escaped");
    assert!(std::fs::read_dir(&into).map(|d| d.count()).unwrap_or(0) == 0, "nothing was written inside either");
}

/// CRC-32 (IEEE), bit by bit: enough for a test archive.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

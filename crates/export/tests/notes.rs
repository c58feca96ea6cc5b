//! Program notes hold everything a reader needs, and nothing in a score can break their Markdown.

mod common;

use ensemble_export::{mermaid, program_notes};
use ensemble_score::Score;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

/// The document as a reader sees it: its headings, its fenced blocks (info string and text), and
/// whether any raw HTML got through.
struct Read {
    headings: Vec<(HeadingLevel, String)>,
    blocks: Vec<(String, String)>,
    html: bool,
    text: String,
}

fn read(markdown: &str) -> Read {
    let mut read = Read { headings: vec![], blocks: vec![], html: false, text: String::new() };
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut block: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => read.headings.extend(heading.take()),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((info, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => read.blocks.extend(block.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(b) = block.as_mut() {
                    b.1.push_str(&t);
                } else if let Some(h) = heading.as_mut() {
                    h.1.push_str(&t);
                } else {
                    read.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => read.text.push(' '),
            Event::Html(_) | Event::InlineHtml(_) => read.html = true,
            _ => {}
        }
    }
    read
}

fn assert_complete(score: &Score) -> Read {
    let notes = program_notes(score);
    let read = read(&notes);
    assert!(!read.html, "no raw HTML may reach the notes:\n{notes}");
    let h2: Vec<&str> = read.headings.iter().filter(|(l, _)| *l == HeadingLevel::H2).map(|(_, t)| t.as_str()).collect();
    assert_eq!(h2, ["Intent", "Shared context", "The ensemble", "Sections", "Players", "Cues", "Tempo and budgets"], "the notes have their sections, in order");
    let chart = mermaid(score);
    assert!(read.blocks.iter().any(|(info, text)| info == "mermaid" && *text == chart), "the Mermaid chart is embedded as is");
    for player in &score.players {
        let part = if player.part.ends_with('\n') { player.part.clone() } else { format!("{}\n", player.part) };
        assert!(read.blocks.iter().any(|(info, text)| info == "text" && *text == part), "player {}'s whole part is in a fenced block", player.id);
        // Control characters are shown as spaces.
        let name: String = player.name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        assert!(read.headings.iter().any(|(l, t)| *l == HeadingLevel::H3 && t.starts_with(&name)), "player {} has its heading: {:?}", player.id, read.headings);
    }
    let h3 = read.headings.iter().filter(|(l, _)| *l == HeadingLevel::H3).count();
    assert_eq!(h3, score.players.len(), "one heading per player and no other: {:?}", read.headings);
    assert_eq!(read.headings.iter().filter(|(l, _)| *l == HeadingLevel::H1).count(), 1, "one title: {:?}", read.headings);
    for file in &score.context.files {
        assert!(read.text.contains(file.as_str()), "attached file {file} is listed");
    }
    read
}

#[test]
fn examples_have_complete_notes() {
    for (path, score) in common::examples() {
        let read = assert_complete(&score);
        assert!(read.text.contains(score.intent.goal.lines().next().unwrap_or_default().trim())
            || read.blocks.iter().any(|(_, t)| t.contains(score.intent.goal.trim())), "{}: the goal is stated", path.display());
    }
    assert_complete(&common::readme_example());
}

#[test]
fn markdown_in_a_score_cannot_break_the_notes() {
    let score = common::hostile();
    let read = assert_complete(&score);
    let (_, title) = &read.headings[0];
    assert_eq!(title, &score.title, "the title reads as written, not as Markdown");
    assert!(read.blocks.iter().any(|(_, t)| t.contains("# Not a heading of the notes")), "the shared notes are fenced");
}

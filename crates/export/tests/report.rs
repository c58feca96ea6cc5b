//! The performance report: parsed as HTML, it holds every turn's input and output as the text
//! that was recorded (escaped, so no markup from a model reaches the page), the usage, cost and
//! outcome per player and for the performance, the checkpoints and edits, and it loads nothing
//! from anywhere.

mod recorded;

use ensemble_export::report;
use recorded::*;
use scraper::{Html, Selector};

fn page() -> Html {
    Html::parse_document(&report(&score(), ID, &events()))
}

fn texts(page: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("a valid selector");
    page.select(&selector).map(|e| e.text().collect::<String>()).collect()
}

fn cells(page: &Html, row: &str) -> Vec<String> {
    let selector = Selector::parse(row).expect("a valid selector");
    let row = page.select(&selector).next().unwrap_or_else(|| panic!("the report has a row {row}"));
    let cell = Selector::parse("td, th").expect("a valid selector");
    row.select(&cell).map(|c| c.text().collect::<String>().trim().to_string()).collect()
}

#[test]
fn every_output_and_input_is_there_as_recorded_and_escaped() {
    let page = page();
    assert_eq!(texts(&page, "pre.output"), [DRAFT, REVIEW, PARTIAL], "each turn's output, in order, character for character");
    assert_eq!(texts(&page, "pre.input"), [DRAFT, EDITED], "each turn's input is what it was handed (the edited review)");
    assert_eq!(texts(&page, "pre.edited"), [EDITED], "the edit is shown on the turn it changed");
    assert!(texts(&page, "script").is_empty(), "the <script> in a model's output stays text");
    assert!(texts(&page, "img").is_empty(), "the <img> in a model's output stays text");
    assert!(texts(&page, "b").is_empty(), "no markup from an output becomes markup");
    let errors = texts(&page, ".error").join("\n");
    assert!(errors.contains(FAILURE), "the failure is shown with its message: {errors}");
    assert!(errors.contains("connection reset"), "the retried attempt is shown with its reason: {errors}");
}

#[test]
fn nothing_is_loaded_from_the_network() {
    let html = report(&score(), ID, &events());
    let page = Html::parse_document(&html);
    let all = Selector::parse("*").expect("a valid selector");
    let mut references = 0;
    for element in page.select(&all) {
        for (name, value) in element.value().attrs() {
            let value = value.trim().to_ascii_lowercase();
            if matches!(name, "src" | "href" | "xlink:href" | "action" | "poster" | "srcset" | "data") {
                references += 1;
                assert!(value.starts_with('#'), "{name}=\"{value}\" on <{}> must point inside the page", element.value().name());
            }
            if name == "style" {
                assert!(!value.contains("url("), "an inline style loads nothing: {value}");
            }
        }
        let tag = element.value().name();
        assert!(!matches!(tag, "script" | "link" | "iframe" | "object" | "embed" | "img"), "no <{tag}> in the report");
    }
    assert!(references >= 3, "the timeline links to each turn, so references were checked ({references})");
    for style in texts(&page, "style") {
        assert!(!style.contains("@import"), "the stylesheet imports nothing");
        assert!(!style.contains("url("), "the stylesheet loads no font or image");
    }
    // Markers in the score picture are referred to inside the picture, never by address.
    for (at, _) in html.match_indices("url(") {
        assert!(html[at..].starts_with("url(#"), "only in-page references: {}", &html[at..(at + 40).min(html.len())]);
    }
    assert_eq!(texts(&page, ".picture > svg").len(), 1, "the score's picture is inlined once");
    assert!(texts(&page, ".picture > svg title").join("").contains("Kite <review>"), "the picture is this score's");
}

#[test]
fn usage_cost_and_outcome_per_player_and_for_the_performance() {
    let page = page();
    // Writer: 2 turns (100 + 110 + the retried attempt's 7 in; 40 + 5 + 3 out), one retry, one
    // failure; $0.0014 for the draft, $0.0001 for the retried attempt, $0.0011 for the failure.
    assert_eq!(
        cells(&page, "table[data-section=players] tbody tr:nth-child(1)"),
        ["Writer <one> (writer)", "openai llama3.2", "2", "1", "1", "217", "48", "$0.0026", "failed"]
    );
    assert_eq!(
        cells(&page, "table[data-section=players] tbody tr:nth-child(2)"),
        ["Reviewer (reviewer)", "anthropic claude-sonnet-4-5", "1", "0", "0", "300", "60", "$0.0102", "finished"]
    );
    // The performance's own totals, as its finish recorded them.
    assert_eq!(
        cells(&page, "table[data-section=players] tfoot tr"),
        ["The performance", "", "3", "", "", "517", "108", "$0.0128", "failed"]
    );
    let summary = texts(&page, "dl[data-section=summary]").join("");
    assert!(summary.contains("failed: writer failed"), "the outcome and its reason: {summary}");
    assert!(summary.contains("5.0 s"), "5 010 ms from start to finish: {summary}");
    assert!(summary.contains("1970-01-01 00:16:40 UTC"), "started at 1 000 000 ms after the epoch: {summary}");
}

#[test]
fn the_timeline_places_each_chorus_in_time() {
    let page = page();
    let bars = Selector::parse(".timeline .bar").expect("a valid selector");
    let styles: Vec<&str> = page.select(&bars).map(|b| b.value().attr("style").unwrap_or_default()).collect();
    // The performance lasts 5 010 ms. Writer: cued at +10, 1 000 ms; reviewer: +1 520, 2 000 ms;
    // writer again: +3 620, 1 380 ms.
    assert_eq!(styles, ["left:0.20%;width:19.96%", "left:30.34%;width:39.92%", "left:72.26%;width:27.54%"]);
    let classes: Vec<&str> = page.select(&bars).map(|b| b.value().attr("class").unwrap_or_default()).collect();
    assert_eq!(classes, ["bar finished", "bar finished", "bar failed"]);
    assert_eq!(texts(&page, ".timeline a"), ["Writer <one> · chorus 1", "Reviewer · chorus 1", "Writer <one> · chorus 2"]);
}

#[test]
fn checkpoints_and_edits_are_listed() {
    let page = page();
    let moments = texts(&page, "table[data-section=moments] tbody tr");
    assert_eq!(moments.len(), 3, "{moments:?}");
    assert!(moments[0].contains("Writer <one> → Reviewer waited for a person"), "{moments:?}");
    assert!(moments[1].contains("approved: “fine <go>”"), "{moments:?}");
    assert!(moments[2].contains("edited Reviewer’s output"), "{moments:?}");
}

#[test]
fn an_empty_or_cut_short_record_still_makes_a_page() {
    let empty = report(&score(), ID, &[]);
    assert!(empty.ends_with("</html>\n"), "a report of nothing is still a whole page");
    let cut = events()[..3].to_vec();
    let page = Html::parse_document(&report(&score(), ID, &cut));
    assert_eq!(texts(&page, ".turn h4").last().map(String::as_str), Some("Output (the record ends before the turn did)"));
    assert!(texts(&page, "dl[data-section=summary]").join("").contains("not finished"));
}

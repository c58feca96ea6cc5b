//! Tool calls in the performance report: each turn lists its calls with the arguments
//! pretty-printed, the result, a failure, a person's rejection with its note and a person's edit
//! of the arguments, all as text (a tool's result and a model's arguments are untrusted).

mod recorded;

use ensemble_export::report;
use recorded::{ID, LISTING, score, tool_events as events};
use scraper::{ElementRef, Html, Selector};

fn select<'a>(within: ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("a valid selector");
    within.select(&selector).collect()
}

fn text(element: ElementRef) -> String {
    element.text().collect()
}

fn texts(within: ElementRef, selector: &str) -> Vec<String> {
    select(within, selector).into_iter().map(text).collect()
}

#[test]
fn each_turn_lists_its_tool_calls_with_arguments_and_results_as_text() {
    let page = Html::parse_document(&report(&score(), ID, &events()));
    let turns = select(page.root_element(), "section.turn");
    assert_eq!(turns.len(), 2, "the writer's turn and the reviewer's");
    assert!(select(turns[1], ".tool-call").is_empty(), "the reviewer called nothing, and lists nothing");

    let calls = select(turns[0], "details.tool-call");
    let ids: Vec<&str> = calls.iter().map(|c| c.value().attr("data-call").unwrap_or_default()).collect();
    assert_eq!(ids, ["1.1.1", "1.1.2", "1.1.3", "1.1.4"], "every call of the turn, in the order they were asked for");
    assert!(calls.iter().all(|c| c.value().attr("open").is_some()), "open, so the printed report shows them whole");
    assert_eq!(texts(turns[0], "h4").iter().filter(|h| h.as_str() == "Tool calls (4)").count(), 1);

    let summaries: Vec<String> = calls.iter().map(|c| texts(*c, "summary").concat()).collect();
    assert_eq!(
        summaries,
        [
            "files.list_directory · answered · 1.5 s",
            "files.write_file · rejected by a person",
            "files.write_file · answered with an error · arguments edited by a person · 20 ms",
            "web__search · failed",
        ]
    );

    // The listing: pretty-printed arguments, and the result character for character, its markup text.
    assert_eq!(texts(calls[0], "pre.tool-arguments"), ["{\n  \"path\": \".\"\n}"]);
    assert_eq!(texts(calls[0], "pre.tool-result"), [LISTING]);
    assert_eq!(texts(calls[0], "h5"), ["Arguments", "Result (cut at the player’s output cap)"]);
    assert!(
        select(page.root_element(), "script").is_empty() && select(page.root_element(), "b").is_empty(),
        "no markup from a tool's result becomes markup"
    );

    // Rejected: the note the person wrote, and no result.
    assert_eq!(texts(calls[1], ".tool-note"), ["Rejected, with a note for the model: “stay <inside>”"]);
    assert!(select(calls[1], "pre.tool-result").is_empty(), "a rejected call never ran");

    // Edited: the model's arguments and the person's, and the tool's error as its result.
    assert_eq!(texts(calls[2], "pre.tool-arguments"), ["{\n  \"content\": \"x\",\n  \"path\": \"draft.md\"\n}"]);
    assert_eq!(texts(calls[2], "pre.tool-edited"), ["{\n  \"content\": \"x\",\n  \"path\": \"kite.md\"\n}"]);
    assert_eq!(texts(calls[2], "pre.tool-result"), ["disk full"]);

    // Failed before it ran: no arguments were recorded, the reason is shown.
    assert!(select(calls[3], "pre.tool-arguments").is_empty());
    assert_eq!(texts(calls[3], ".tool-error"), ["Failed: there is no tool `web__search`"]);
}

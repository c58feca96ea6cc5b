"""Checks the event log of a performance played on the local model.

Why: a performance that quietly fell back to rehearsal, or finished without a
word from the model, would still exit 0. These checks tell a real, streamed
performance on a real model apart from a stand-in.

Usage: check_events.py [--every-player] [--tool-result TEXT] EVENTS_FILE [REQUESTS]
REQUESTS, when given, is how many chat requests the server logged during the
performance: every cued player must have made at least one.
A player that was never cued passes when the conductor skipped it with a reason
(a verdict cue that a real model's reply did not match); with --every-player,
every player must play.
With --tool-result, a real tool call must have been made (not rehearsed) and
have returned without error a result containing TEXT, and every call that
waited for a person must have been approved.
Prints one `PASS <what>` or `FAIL <what>` line per check; the caller counts them.
The events file holds one JSON event per line (a JSON array is accepted too).
"""

import json
import sys


def load(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    stripped = text.strip()
    if stripped.startswith("["):
        return json.loads(stripped)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    results = []

    def check(ok, what):
        results.append(ok)
        print(("PASS " if ok else "FAIL ") + what)

    args = sys.argv[1:]
    every_player = "--every-player" in args
    args = [arg for arg in args if arg != "--every-player"]
    tool_result = None
    if "--tool-result" in args:
        at = args.index("--tool-result")
        tool_result = args[at + 1]
        del args[at : at + 2]

    try:
        events = load(args[0])
    except (OSError, ValueError) as error:
        check(False, f"events file is readable JSON: {error}")
        return

    check(len(events) > 0, f"events were recorded ({len(events)})")
    seqs = [event.get("seq") for event in events]
    check(seqs == list(range(1, len(events) + 1)), "event seq runs from 1 without gaps")

    def of(kind):
        return [event for event in events if event.get("type") == kind]

    started = of("performance_started")
    check(len(started) == 1, "one performance_started event")
    if not started:
        return
    check(started[0].get("offline") is False, "performance_started is not offline")
    players = started[0].get("players") or []
    check(len(players) > 0, f"the performance has players ({', '.join(players)})")

    for player in players:
        cued = [e for e in of("player_cued") if e.get("player") == player]
        skipped = [e for e in of("player_skipped") if e.get("player") == player]
        if not cued and skipped and not every_player:
            reason = skipped[0].get("reason") or ""
            check(reason.strip() != "", f"{player}: not cued, skipped because {reason!r}")
            continue
        check(len(cued) > 0, f"{player}: player_cued")
        check(
            all(e.get("rehearsal") is False for e in cued),
            f"{player}: cued with rehearsal false (instrument {[e.get('instrument') for e in cued]})",
        )
        tokens = [e for e in of("token") if e.get("player") == player]
        check(len(tokens) > 0, f"{player}: streamed tokens ({len(tokens)} token events)")
        finished = [e for e in of("player_finished") if e.get("player") == player]
        check(len(finished) > 0, f"{player}: player_finished")
        for event in finished:
            output = event.get("output") or ""
            preview = " ".join(output.split())[:60]
            check(output.strip() != "", f"{player}: output is not empty ({preview!r})")
            check("[rehearsal]" not in output.lower(), f"{player}: output is not a rehearsal output")
            usage = event.get("usage") or {}
            check(
                usage.get("output_tokens", 0) > 0 and usage.get("input_tokens", 0) > 0,
                f"{player}: usage has tokens ({usage})",
            )
        failed = [e for e in of("player_failed") if e.get("player") == player]
        check(not failed, f"{player}: no player_failed ({[e.get('error') for e in failed]})")

    finished = of("performance_finished")
    check(len(finished) == 1, "one performance_finished event")
    if finished:
        last = finished[0]
        check(
            last.get("outcome") == "succeeded",
            f"performance outcome is succeeded ({last.get('outcome')}, {last.get('reason')})",
        )
        usage = last.get("usage") or {}
        check(usage.get("output_tokens", 0) > 0, f"performance usage has output tokens ({usage})")
        check(events[-1] is last, "performance_finished is the last event")

    if tool_result is not None:
        check_tools(of, check, tool_result)

    if len(args) > 1:
        requests = int(args[1])
        cued = len(of("player_cued"))
        check(requests >= cued > 0, f"the server answered every cued player ({requests} requests, {cued} cues)")


def check_tools(of, check, expected):
    """A real call and its real answer: the pair shares a player and a call id."""
    called = [e for e in of("tool_called") if e.get("rehearsal") is False]
    check(len(called) > 0, f"a tool was called on its server, not rehearsed ({len(called)} calls)")
    answered = []
    for call in called:
        key = (call.get("player"), call.get("call"))
        answered += [
            e
            for e in of("tool_returned")
            if (e.get("player"), e.get("call")) == key and e.get("is_error") is False
        ]
    results = [e.get("result") or "" for e in answered]
    check(
        any(expected in result for result in results),
        f"a called tool returned a result holding {expected!r} ({[r[:80] for r in results]})",
    )
    waited = {(e.get("player"), e.get("call")) for e in of("tool_waiting")}
    approved = {
        (e.get("player"), e.get("call"))
        for e in of("tool_resolved")
        if (e.get("decision") or {}).get("decision") == "approve"
    }
    check(waited <= approved, f"every call that waited was approved ({len(waited)} waited)")


if __name__ == "__main__":
    main()

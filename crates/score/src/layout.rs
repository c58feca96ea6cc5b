//! Placing what a score does not place itself.
//!
//! A score written by hand (the README's shortest example, say) has sections and players without
//! canvas positions; loaded as is, they would all sit on top of each other at the origin. The studio
//! and the picture export both need a readable picture of such a score, so this module gives every
//! unplaced player and section a place, with the numbers of [`crate::geometry`], and keeps every
//! position the file does have.
//!
//! A position at the origin `(0, 0)` is what a file without `position` loads as, so a player there
//! counts as unplaced; a section counts as unplaced when both its position and its size are what a
//! file without them loads as (the origin, and the default size). What gets placed, and where:
//! - a placed section keeps its frame; its unplaced players take the free slots of a
//!   grid inside it, and the frame grows downwards (never moves) when they do not fit;
//! - an unplaced section some of whose players are placed is fitted around them, its unplaced
//!   players lined up under them;
//! - everything else (unplaced sections with their players, and unplaced players without a section)
//!   is laid out together under what is already placed: ranked left to right by cues (longest path;
//!   loop cues and other cues that close a cycle are left out of the ranking), each section's players
//!   kept together in its frame, sections side by side in lanes so that no two frames overlap, and a
//!   player without a section in a cell of its own outside every frame;
//! - empty unplaced sections are lined up under everything else, keeping their size.
//!
//! The result depends only on the score (no hashing order, no randomness), and no input makes it
//! panic: unknown ids, cycles, duplicate ids and non-finite numbers are all tolerated.

use std::collections::HashMap;

use crate::geometry::{GEOMETRY, Geometry, Rect};
use crate::model::{Position, Score, Size};

/// Gives every player and section without a saved position a place (see the module docs).
/// Returns true when it placed or resized anything.
pub fn place_unplaced(score: &mut Score) -> bool {
    let g = GEOMETRY;
    let home = homes(score);
    let mut changed = false;

    // Which sections have a saved frame, and which have placed members.
    let saved: Vec<bool> = score.sections.iter().map(|s| is_saved(s.position) || s.size != Size::default()).collect();
    let mut placed_members = vec![false; score.sections.len()];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); score.sections.len()];
    for (i, player) in score.players.iter().enumerate() {
        if let Some(s) = home[i] {
            members[s].push(i);
            placed_members[s] |= is_saved(player.position);
        }
    }

    for s in 0..score.sections.len() {
        if saved[s] {
            changed |= fill_saved_frame(score, &g, s, &members[s]);
        } else if placed_members[s] {
            fit_around_placed(score, &g, s, &members[s]);
            changed = true;
        }
    }

    let existing = placed_extent(score, &home, &saved, &placed_members);
    let origin = match existing {
        Some(r) => Position { x: r.x, y: r.bottom() + g.section_gap },
        None => Position { x: g.margin, y: g.margin },
    };
    let fresh = lay_out_fresh(score, &g, &home, &saved, &placed_members, &members, origin);
    changed |= fresh.is_some();

    // Empty unplaced sections: in a row under everything else.
    let bottom = [existing, fresh].into_iter().flatten().map(|r| r.bottom()).fold(f64::NEG_INFINITY, f64::max);
    let mut x = origin.x;
    let y = if bottom.is_finite() { bottom + g.section_gap } else { g.margin };
    for s in 0..score.sections.len() {
        if saved[s] || !members[s].is_empty() {
            continue;
        }
        let section = &mut score.sections[s];
        if !usable(section.size) {
            section.size = Size { width: g.default_section_width, height: g.default_section_height };
        }
        section.position = Position { x, y };
        x += section.size.width + g.section_gap;
        changed = true;
    }
    changed
}

/// True when a player's position was saved in the file (see the module docs).
fn is_saved(p: Position) -> bool {
    p != Position::default()
}

/// A size a frame can be drawn with.
fn usable(size: Size) -> bool {
    size.width.is_finite() && size.height.is_finite() && size.width > 0.0 && size.height > 0.0
}

fn finite(r: &Rect) -> bool {
    r.x.is_finite() && r.y.is_finite() && r.width.is_finite() && r.height.is_finite()
}

/// The section each player sits in: the first section with the id it names, if there is one.
fn homes(score: &Score) -> Vec<Option<usize>> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, s) in score.sections.iter().enumerate() {
        by_id.entry(s.id.as_str()).or_insert(i);
    }
    score.players.iter().map(|p| p.section.as_deref().and_then(|id| by_id.get(id).copied())).collect()
}

/// Puts the unplaced players of a section with a saved frame into the free slots of a grid inside
/// it, clear of every placed player, and grows the frame downwards (and to one node's width) when
/// they need more room. The frame's position never changes.
fn fill_saved_frame(score: &mut Score, g: &Geometry, s: usize, members: &[usize]) -> bool {
    let unplaced: Vec<usize> = members.iter().copied().filter(|&i| !is_saved(score.players[i].position)).collect();
    if unplaced.is_empty() {
        return false;
    }
    let mut frame = g.section_frame(&score.sections[s]);
    if frame.width.is_nan() || frame.width < g.cell_width() {
        frame.width = g.cell_width();
    }
    let mut taken: Vec<Rect> =
        score.players.iter().filter(|p| is_saved(p.position)).map(|p| g.player_box(p)).collect();
    let step_x = g.player_width + g.node_gap;
    let step_y = g.player_height + g.node_gap;
    let columns = ((frame.width - 2.0 * g.section_padding + g.node_gap) / step_x).floor();
    // `as` saturates (and maps NaN to 0); the clamp keeps a huge frame from making a huge grid.
    let columns = (columns as usize).clamp(1, unplaced.len().max(1) * 4);
    // Each taken box can block only a few slots, so this bound is never reached; it is there so
    // that no input can make the search run on.
    let limit = (unplaced.len() + 9 * taken.len() + columns + 16) * 2;
    let mut slot = 0usize;
    for &i in &unplaced {
        let node = loop {
            let at = Position {
                x: frame.x + g.section_padding + (slot % columns) as f64 * step_x,
                y: frame.y + g.section_header + g.section_padding + (slot / columns) as f64 * step_y,
            };
            slot += 1;
            let node = g.node_at(at);
            let clear = !taken.iter().any(|t| grown(&node, g.node_gap).overlaps(t));
            if clear || slot > limit {
                break node;
            }
        };
        score.players[i].position = Position { x: node.x, y: node.y };
        taken.push(node);
        let need_bottom = node.bottom() + g.section_padding;
        if need_bottom > frame.bottom() {
            frame.height = need_bottom - frame.y;
        }
    }
    score.sections[s].size = Size { width: frame.width, height: frame.height };
    true
}

/// A rectangle grown by `by` on every side, to keep a gap around it.
fn grown(r: &Rect, by: f64) -> Rect {
    Rect { x: r.x - by, y: r.y - by, width: r.width + 2.0 * by, height: r.height + 2.0 * by }
}

/// Fits an unplaced section around its placed players and lines its unplaced players up under them.
fn fit_around_placed(score: &mut Score, g: &Geometry, s: usize, members: &[usize]) {
    let mut frame: Option<Rect> = None;
    for &i in members {
        let p = &score.players[i];
        if is_saved(p.position) {
            let cell = g.cell_at(p.position);
            if finite(&cell) {
                frame = Some(frame.map_or(cell, |f| f.union(&cell)));
            }
        }
    }
    let mut frame = frame.unwrap_or(Rect { x: g.margin, y: g.margin, width: g.cell_width(), height: g.cell_height() });
    let columns = ((frame.width + g.node_gap) / (g.cell_width() + g.node_gap)).floor().max(1.0) as usize;
    let top = frame.bottom() + g.node_gap;
    let unplaced: Vec<usize> = members.iter().copied().filter(|&i| !is_saved(score.players[i].position)).collect();
    for (k, i) in unplaced.into_iter().enumerate() {
        let cell = Position {
            x: frame.x + (k % columns) as f64 * (g.cell_width() + g.node_gap),
            y: top + (k / columns) as f64 * (g.cell_height() + g.node_gap),
        };
        score.players[i].position = g.node_in_cell(cell);
        frame = frame.union(&g.cell_at(score.players[i].position));
    }
    let section = &mut score.sections[s];
    section.position = Position { x: frame.x, y: frame.y };
    section.size = Size { width: frame.width, height: frame.height };
}

/// The extent of everything that has a place before the fresh layout: saved and fitted frames
/// and placed players. Non-finite rectangles are left out, so they cannot push the layout away.
fn placed_extent(score: &Score, home: &[Option<usize>], saved: &[bool], placed_members: &[bool]) -> Option<Rect> {
    let frames = score
        .sections
        .iter()
        .enumerate()
        .filter(|(s, _)| saved[*s] || placed_members[*s])
        .map(|(_, section)| GEOMETRY.section_frame(section));
    let players = score
        .players
        .iter()
        .enumerate()
        .filter(|(i, p)| is_saved(p.position) || home[*i].is_some_and(|s| saved[s] || placed_members[s]))
        .map(|(_, p)| GEOMETRY.player_box(p));
    frames.chain(players).filter(finite).reduce(|a, b| a.union(&b))
}

/// One thing the fresh layout places as a whole: an unplaced section with its players, or an
/// unplaced player without a section.
struct Unit {
    /// The section, or none for a player on its own.
    section: Option<usize>,
    /// Its players, in file order.
    players: Vec<usize>,
    /// First and last (compressed) rank its players sit in.
    lo: usize,
    hi: usize,
}

/// Lays out the unplaced sections without placed players, and the unplaced players without a
/// section, as one block whose top-left corner is `origin`. Returns the block's extent, if it
/// placed anything.
fn lay_out_fresh(
    score: &mut Score,
    g: &Geometry,
    home: &[Option<usize>],
    saved: &[bool],
    placed_members: &[bool],
    members: &[Vec<usize>],
    origin: Position,
) -> Option<Rect> {
    let fresh_section = |s: usize| !saved[s] && !placed_members[s] && !members[s].is_empty();
    let loose: Vec<usize> = (0..score.players.len())
        .filter(|&i| home[i].is_none() && !is_saved(score.players[i].position))
        .collect();
    let sections: Vec<usize> = (0..score.sections.len()).filter(|&s| fresh_section(s)).collect();
    if loose.is_empty() && sections.is_empty() {
        return None;
    }

    // Ranks, compressed to the ranks the fresh players use so that no empty column opens up
    // where placed players sit.
    let rank = ranks(score);
    let mut used: Vec<usize> = loose.iter().chain(sections.iter().flat_map(|&s| &members[s])).map(|&i| rank[i]).collect();
    used.sort_unstable();
    used.dedup();
    let column = |i: usize| used.binary_search(&rank[i]).unwrap_or(0);

    let mut units: Vec<Unit> = sections
        .iter()
        .map(|&s| (Some(s), members[s].clone()))
        .chain(loose.iter().map(|&i| (None, vec![i])))
        .map(|(section, players)| {
            let lo = players.iter().map(|&i| column(i)).min().unwrap_or(0);
            let hi = players.iter().map(|&i| column(i)).max().unwrap_or(0);
            Unit { section, players, lo, hi }
        })
        .collect();
    units.sort_by_key(|u| (u.lo, u.players.first().copied().unwrap_or(usize::MAX)));

    // Lanes: rows of units whose rank ranges do not overlap, so frames in one lane sit side by
    // side with a rank gap between them, and lanes are stacked with a section gap.
    let mut lanes: Vec<Vec<usize>> = Vec::new();
    let mut lane_end: Vec<usize> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        match lane_end.iter().position(|&end| end < unit.lo) {
            Some(l) => {
                lanes[l].push(u);
                lane_end[l] = unit.hi;
            }
            None => {
                lanes.push(vec![u]);
                lane_end.push(unit.hi);
            }
        }
    }

    let column_x = |c: usize| origin.x + c as f64 * (g.cell_width() + g.rank_gap);
    let mut extent: Option<Rect> = None;
    let mut y = origin.y;
    for lane in &lanes {
        let mut lane_height: f64 = 0.0;
        for &u in lane {
            let unit = &units[u];
            let mut rows = vec![0usize; unit.hi - unit.lo + 1];
            for &i in &unit.players {
                let c = column(i);
                let row = rows[c - unit.lo];
                rows[c - unit.lo] += 1;
                let cell = Position { x: column_x(c), y: y + row as f64 * (g.cell_height() + g.node_gap) };
                score.players[i].position = g.node_in_cell(cell);
            }
            let depth = rows.iter().copied().max().unwrap_or(1).max(1) as f64;
            let frame = Rect {
                x: column_x(unit.lo),
                y,
                width: column_x(unit.hi) + g.cell_width() - column_x(unit.lo),
                height: depth * g.cell_height() + (depth - 1.0) * g.node_gap,
            };
            if let Some(s) = unit.section {
                score.sections[s].position = Position { x: frame.x, y: frame.y };
                score.sections[s].size = Size { width: frame.width, height: frame.height };
            }
            lane_height = lane_height.max(frame.height);
            extent = Some(extent.map_or(frame, |e| e.union(&frame)));
        }
        y += lane_height + g.section_gap;
    }
    extent
}

/// Each player's rank: the length of the longest chain of cues leading to it. Loop cues (with
/// `max_repeats`), cues naming unknown players, cues from a player to itself, and any other cue
/// that closes a cycle (a back edge of a depth-first search in file order) are left out.
fn ranks(score: &Score) -> Vec<usize> {
    let n = score.players.len();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, p) in score.players.iter().enumerate() {
        by_id.entry(p.id.as_str()).or_insert(i);
    }
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for cue in &score.cues {
        if cue.max_repeats.is_some() {
            continue;
        }
        if let (Some(&a), Some(&b)) = (by_id.get(cue.from.as_str()), by_id.get(cue.to.as_str()))
            && a != b
        {
            next[a].push(b);
        }
    }

    // Depth-first search without recursion (hundreds of players must not overflow the stack),
    // dropping edges to a player still on the stack.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    let mut mark = vec![Mark::New; n];
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        mark[start] = Mark::OnStack;
        while let Some(top) = stack.last_mut() {
            let (v, k) = *top;
            if let Some(&w) = next[v].get(k) {
                top.1 += 1;
                match mark[w] {
                    Mark::OnStack => {}
                    Mark::Done => forward[v].push(w),
                    Mark::New => {
                        forward[v].push(w);
                        mark[w] = Mark::OnStack;
                        stack.push((w, 0));
                    }
                }
            } else {
                mark[v] = Mark::Done;
                stack.pop();
            }
        }
    }

    // Longest path over what is left, which has no cycle: Kahn's order.
    let mut incoming = vec![0usize; n];
    for targets in &forward {
        for &w in targets {
            incoming[w] += 1;
        }
    }
    let mut rank = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&v| incoming[v] == 0).rev().collect();
    while let Some(v) = ready.pop() {
        for &w in &forward[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            incoming[w] -= 1;
            if incoming[w] == 0 {
                ready.push(w);
            }
        }
    }
    rank
}

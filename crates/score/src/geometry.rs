//! Canvas geometry: the sizes the studio draws a score with.
//!
//! There is one definition of these numbers, here. The canvas gets them as generated TypeScript,
//! the layout ([`crate::layout`]) places players and fits section frames with them, and the picture
//! export draws with them, so a score looks the same on the canvas, after a tidy and in an export.
//!
//! Coordinates are canvas units (CSS pixels at zoom 1), `x` to the right and `y` down. A player's
//! `position` is the top-left corner of its node; a section's `position` and `size` are its frame.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{Player, Position, Section};

/// The sizes the canvas draws with, and the spacing the layout uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Geometry {
    /// Width of a player node. Nodes have a fixed size (a live output preview is clipped to fit),
    /// so a layout stays the same shape during a performance.
    pub player_width: f64,
    /// Height of a player node.
    pub player_height: f64,
    /// Space between a section's frame and the players inside it, on every side.
    pub section_padding: f64,
    /// Height of a section's title bar, above its padding.
    pub section_header: f64,
    /// Width of a section added on the canvas (and of one loaded without a size).
    pub default_section_width: f64,
    /// Height of a section added on the canvas (and of one loaded without a size).
    pub default_section_height: f64,
    /// Horizontal space between the cells of two consecutive ranks of a layout.
    pub rank_gap: f64,
    /// Vertical space between the cells of two players stacked in one rank.
    pub node_gap: f64,
    /// Space between sections (and between empty sections lined up under a layout).
    pub section_gap: f64,
    /// Space left around a layout on the canvas.
    pub margin: f64,
}

/// The geometry the studio draws with.
pub const GEOMETRY: Geometry = Geometry {
    player_width: 220.0,
    player_height: 112.0,
    section_padding: 20.0,
    section_header: 28.0,
    default_section_width: 360.0,
    default_section_height: 240.0,
    rank_gap: 100.0,
    node_gap: 16.0,
    section_gap: 40.0,
    margin: 40.0,
};

/// An axis-aligned rectangle on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// True when the two rectangles share some area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// True when `inner` lies wholly inside this rectangle (edges may touch).
    pub fn contains(&self, inner: &Rect) -> bool {
        inner.x >= self.x && inner.y >= self.y && inner.right() <= self.right() && inner.bottom() <= self.bottom()
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect { x, y, width: self.right().max(other.right()) - x, height: self.bottom().max(other.bottom()) - y }
    }
}

impl Geometry {
    /// The frame a section draws: its position and size.
    pub fn section_frame(&self, section: &Section) -> Rect {
        Rect { x: section.position.x, y: section.position.y, width: section.size.width, height: section.size.height }
    }

    /// The box a player's node draws: its position and the fixed node size.
    pub fn player_box(&self, player: &Player) -> Rect {
        self.node_at(player.position)
    }

    /// The box of a player node whose top-left corner is `at`.
    pub fn node_at(&self, at: Position) -> Rect {
        Rect { x: at.x, y: at.y, width: self.player_width, height: self.player_height }
    }

    /// A player's cell: its node plus its share of a section frame (the padding on every side
    /// and the title bar above). A frame fitted around its players is the union of their cells,
    /// so a player whose cell lies inside a frame is drawn wholly inside it.
    pub fn cell_at(&self, at: Position) -> Rect {
        Rect {
            x: at.x - self.section_padding,
            y: at.y - self.section_header - self.section_padding,
            width: self.cell_width(),
            height: self.cell_height(),
        }
    }

    /// Width of a player's cell.
    pub fn cell_width(&self) -> f64 {
        self.player_width + 2.0 * self.section_padding
    }

    /// Height of a player's cell.
    pub fn cell_height(&self) -> f64 {
        self.player_height + 2.0 * self.section_padding + self.section_header
    }

    /// Where a player node goes so that its cell's top-left corner is `cell`.
    pub fn node_in_cell(&self, cell: Position) -> Position {
        Position { x: cell.x + self.section_padding, y: cell.y + self.section_header + self.section_padding }
    }
}

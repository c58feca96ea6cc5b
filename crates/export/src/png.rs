//! The score as a PNG picture: the SVG export, rendered by resvg.
//!
//! A PNG is what chat tools, issue trackers and slide decks show inline. Rendering the SVG export
//! (rather than drawing twice) keeps the two pictures identical. Text needs fonts: the system's
//! fonts are loaded once per process, and the picture's font list falls back to whatever sans-serif
//! face this machine has; with no font at all the picture is still drawn, without its text.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use ensemble_score::Score;

use crate::ExportError;

/// The largest scale a PNG export takes (2 is a retina screen; 4 is print).
pub const MAX_SCALE: u32 = 4;
/// The longest side, in pixels, of a PNG export.
pub const MAX_SIDE: u64 = 16_384;
/// The most pixels a PNG export may have (about 256 MB of pixels in memory while it is drawn).
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// Faces tried in order for the picture's sans-serif text; the first one this machine has wins.
const PREFERRED: [&str; 8] =
    ["Inter", "Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans", "Liberation Sans", "Noto Sans", "Cantarell"];

/// The score as a PNG, `scale` device pixels per canvas unit (1 or 2; at most [`MAX_SCALE`]).
pub fn png(score: &Score, scale: u32) -> Result<Vec<u8>, ExportError> {
    if !(1..=MAX_SCALE).contains(&scale) {
        return Err(ExportError::Scale { scale, max: MAX_SCALE });
    }
    let picture = crate::svg(score);
    let (fonts, family) = system_fonts();
    let mut options = usvg::Options { fontdb: fonts.clone(), ..usvg::Options::default() };
    if let Some(family) = family {
        options.font_family = family.clone();
    }
    let tree = usvg::Tree::from_str(&picture, &options).map_err(|e| ExportError::Render(e.to_string()))?;
    let size = tree.size();
    let width = (f64::from(size.width()) * f64::from(scale)).ceil() as u64;
    let height = (f64::from(size.height()) * f64::from(scale)).ceil() as u64;
    if width > MAX_SIDE || height > MAX_SIDE || width.saturating_mul(height) > MAX_PIXELS {
        return Err(ExportError::TooLarge { width, height, max: MAX_SIDE });
    }
    let mut pixmap = Pixmap::new(width as u32, height as u32)
        .ok_or_else(|| ExportError::Render(format!("no room for a {width} × {height} picture")))?;
    let s = scale as f32;
    resvg::render(&tree, Transform::from_scale(s, s), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| ExportError::Render(e.to_string()))
}

/// This machine's fonts, loaded once, and the sans-serif family the picture falls back to.
fn system_fonts() -> &'static (Arc<fontdb::Database>, Option<String>) {
    static FONTS: OnceLock<(Arc<fontdb::Database>, Option<String>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let has = |name: &str| db.faces().any(|f| f.families.iter().any(|(n, _)| n == name));
        let family = PREFERRED
            .iter()
            .find(|name| has(name))
            .map(|s| s.to_string())
            .or_else(|| db.faces().flat_map(|f| f.families.first()).map(|(n, _)| n.clone()).min());
        if let Some(family) = &family {
            db.set_sans_serif_family(family.clone());
        }
        (Arc::new(db), family)
    })
}

//! The PNG is a real PNG of the picture's size, at 1x and 2x, and refuses sizes it cannot draw.

mod common;

use ensemble_export::{ExportError, png, svg};

/// Width and height of a PNG, read by a PNG decoder.
fn size_of(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("the export is a PNG a decoder reads");
    let info = reader.info();
    (info.width, info.height)
}

/// The size the SVG declares.
fn svg_size(text: &str) -> (f64, f64) {
    let doc = roxmltree::Document::parse(text).expect("well-formed");
    let attr = |k| doc.root_element().attribute(k).and_then(|v: &str| v.parse::<f64>().ok()).expect("numeric size");
    (attr("width"), attr("height"))
}

#[test]
fn png_has_the_pictures_size_at_1x_and_2x() {
    let score = common::readme_example();
    let (w, h) = svg_size(&svg(&score));
    let one = png(&score, 1).expect("a PNG at 1x");
    let two = png(&score, 2).expect("a PNG at 2x");
    assert_eq!(size_of(&one), (w.ceil() as u32, h.ceil() as u32), "1x is one pixel per canvas unit");
    assert_eq!(size_of(&two), ((2.0 * w).ceil() as u32, (2.0 * h).ceil() as u32), "2x doubles both sides");
}

#[test]
fn png_is_not_blank() {
    let score = &common::examples()[0].1;
    let bytes = png(score, 1).expect("a PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let frame = reader.next_frame(&mut pixels).expect("a frame");
    let pixels = &pixels[..frame.buffer_size()];
    let first = &pixels[..4];
    assert!(pixels.chunks(4).any(|p| p != first), "the picture must draw something, not one flat colour");
}

#[test]
fn bad_scales_and_huge_pictures_are_refused() {
    let mut score = common::readme_example();
    assert!(matches!(png(&score, 0), Err(ExportError::Scale { .. })), "scale 0 is refused");
    assert!(matches!(png(&score, 99), Err(ExportError::Scale { .. })), "scale 99 is refused");
    score.sections.clear();
    score.players[0].position.x = 1.0e7;
    score.players[1].position.x = 10.0;
    let err = png(&score, 1).expect_err("a picture ten million units wide is refused");
    assert!(matches!(err, ExportError::TooLarge { .. }), "refused as too large: {err}");
}

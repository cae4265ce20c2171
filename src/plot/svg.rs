//! Figures as SVG, for slides and handouts: the same drawing code as the page and the PNGs
//! (plotters' `SVGBackend`), with axes, lines and text as vectors. A heatmap is an image
//! in any format: it goes into the SVG as one embedded PNG under the vector layers, one
//! pixel per heatmap cell, drawn smoothly scaled as on the page.

use super::frame::Rect;
use super::Theme;
use plotters::coord::Shift;
use plotters::prelude::*;

/// An SVG of `w × h` drawn by `draw` on the theme's paper. `heatmap`, given the plot area
/// that `draw` returns, gives the RGBA cells (`cw × ch`) drawn into that area underneath.
pub fn figure<R>(
    w: u32,
    h: u32,
    theme: Theme,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<R, String>,
    heatmap: impl FnOnce(&R) -> Option<(Rect, Vec<u8>, usize, usize)>,
) -> Result<String, String> {
    let mut out = String::new();
    let r = {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let r = draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
        r
    };
    // Paper and heatmap go first: under everything plotters drew.
    let mut under = String::new();
    let p = theme.paper();
    under.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#{:02x}{:02x}{:02x}\"/>\n",
        p.0, p.1, p.2
    ));
    if let Some(((x0, y0, x1, y1), rgba, cw, ch)) = heatmap(&r) {
        under.push_str(&format!(
            "<image x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" \
             href=\"data:image/png;base64,{}\"/>\n",
            x1 - x0,
            y1 - y0,
            base64(&png_rgba(cw as u32, ch as u32, &rgba))
        ));
    }
    let at = out
        .find("<svg")
        .and_then(|i| out[i..].find('>').map(|j| i + j + 1))
        .ok_or("plotters wrote no <svg> element")?;
    out.insert_str(at, &format!("\n{under}"));
    Ok(out)
}

/// A PNG file of `w × h` RGBA pixels (8 bits each; no filtering, zlib by miniz_oxide).
pub fn png_rgba(w: u32, h: u32, rgba: &[u8]) -> Vec<u8> {
    let row = w as usize * 4;
    let mut raw = Vec::with_capacity((row + 1) * h as usize);
    for line in rgba.chunks(row).take(h as usize) {
        raw.push(0); // filter: none
        raw.extend_from_slice(line);
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO 3309, as PNG requires), bit by bit: the heatmaps are small.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

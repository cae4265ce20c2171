//! Spanish: every English text of the page, the handwriting page, the scripts and the
//! engine's messages, with its Spanish. Numbers take a decimal comma ([`super::Lang::signed`]).

mod code;
mod hand;
mod page;
mod tables;

/// The tables of the pages' own HTML (the main page's, the handwriting page's), each a
/// list of (English, Spanish).
pub const HTML: &[&[(&str, &str)]] = &[page::PAGE, hand::HAND];

/// The tables of the texts the scripts and the engine write: each written where it is
/// shown, and those of the engine's typed tables (keys, tour, lab, families, data sets).
pub const CODE: &[&[(&str, &str)]] = &[code::CODE, tables::TABLES];

/// Every table.
pub const TABLES: &[&[(&str, &str)]] = &[page::PAGE, hand::HAND, code::CODE, tables::TABLES];

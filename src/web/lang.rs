//! The pages' languages: which one a page opens in (its link's `lang=`, else the first
//! of the browser's languages the page has), and a language's texts for the page to put
//! in place ([`crate::lang`] holds them).

use super::to_js;
use crate::lang::Lang;
use crate::share::link::Link;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The language a page opened with `hash` is read in (`en`, `es`): the link's `lang=`,
/// else the first of the browser's languages (`tags`, first first) the page has.
#[wasm_bindgen]
pub fn page_lang(hash: &str, tags: Vec<String>) -> String {
    let (link, _) = Link::parse(hash);
    link.lang
        .unwrap_or_else(|| Lang::from_tags(tags.iter().map(String::as_str)))
        .code()
        .to_string()
}

/// The language a link asks for with `lang=`, if it does.
#[wasm_bindgen]
pub fn link_lang(hash: &str) -> Option<String> {
    Link::parse(hash).0.lang.map(|l| l.code().to_string())
}

/// The English texts of the pages' own HTML that language `code`'s table translates (the
/// tests check them against the pages).
#[wasm_bindgen]
pub fn lang_html_texts(code: &str) -> Vec<String> {
    let lang = Lang::ALL.into_iter().find(|l| l.code() == code);
    lang.map_or(&[][..], Lang::html_tables)
        .iter()
        .flat_map(|t| t.iter().map(|p| p.0.to_string()))
        .collect()
}

/// Language `code` for the page: `{texts, decimal_comma}`, its texts as [English,
/// translation] pairs (none for English or a code the page does not have) and whether it
/// writes a decimal comma.
#[wasm_bindgen]
pub fn lang_texts(code: &str) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Texts {
        texts: Vec<(&'static str, &'static str)>,
        decimal_comma: bool,
    }
    let lang = Lang::ALL.into_iter().find(|l| l.code() == code);
    to_js(&Texts {
        texts: lang.map_or(Vec::new(), |l| l.pairs().collect()),
        decimal_comma: lang.is_some_and(Lang::decimal_comma),
    })
}

/// The language the handwriting page opened with `hash` is read in (`en`, `es`): the
/// link's `lang=`, else the first of the browser's languages (`tags`) the page has.
#[wasm_bindgen]
pub fn hand_page_lang(hash: &str, tags: Vec<String>) -> String {
    let (_, page, _) = crate::share::hand::parse(hash);
    page.lang
        .unwrap_or_else(|| Lang::from_tags(tags.iter().map(String::as_str)))
        .code()
        .to_string()
}

/// The language a handwriting page's link asks for with `lang=`, if it does.
#[wasm_bindgen]
pub fn hand_link_lang(hash: &str) -> Option<String> {
    let (_, page, _) = crate::share::hand::parse(hash);
    page.lang.map(|l| l.code().to_string())
}

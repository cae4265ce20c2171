//! What travels as a link: the whole link with its view and page keys ([`link`]), the
//! guided tour ([`tour`]) and the pathology lab's presets ([`lab`]); the handwriting
//! page's link ([`hand`]).

pub mod hand;
pub mod lab;
pub mod link;
pub mod tour;

//! What travels as a link: the whole link with its view and page keys ([`link`]), a
//! second experiment to compare with ([`compare`]), an exercise's goal ([`goal`]), the
//! guided tour ([`tour`]) and the pathology lab's presets ([`lab`]); the handwriting
//! page's link ([`hand`]).

pub mod compare;
pub mod goal;
pub mod hand;
pub mod lab;
pub mod link;
pub mod tour;

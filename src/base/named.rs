//! Enums written by name (in links, model files and messages): each declares its names
//! once, in order, with `named!`, and gets `name()` and [`Named::from_name`].

/// An enum written by name: its values and their names, in order.
pub trait Named: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    const NAMES: &'static [&'static str];

    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).expect("listed")
    }

    /// The value of a name (exact, lower case), if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }
}

/// Declares an enum's names (and its `name()`), once.
macro_rules! named {
    ($t:ty { $($v:ident => $n:literal),* $(,)? }) => {
        impl Named for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),*];
            const NAMES: &'static [&'static str] = &[$($n),*];
        }
        impl $t {
            pub fn name(self) -> &'static str {
                Self::NAMES[self.index()]
            }
        }
    };
}
pub(crate) use named;

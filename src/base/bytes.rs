//! Little-endian bytes between the engine's workers: a writer and a reader that never
//! reads past the end (so damaged bytes give `None`, never a panic or a huge allocation).
//! Used by the page's snapshots ([`crate::train::snapshot`]) and by the training state the two
//! training workers exchange ([`crate::train::helper`]).

/// Appends values to a byte buffer.
pub struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn text(&mut self, t: &str) {
        self.u64(t.len() as u64);
        self.0.extend_from_slice(t.as_bytes());
    }

    pub fn f32s(&mut self, v: &[f32]) {
        self.u64(v.len() as u64);
        v.iter()
            .for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }

    pub fn f64s(&mut self, v: &[f64]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|x| self.f64(*x));
    }
}

/// Reads values from bytes of a [`Writer`].
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A count of items, at most the bytes left (so a damaged count cannot allocate).
    pub fn count(&mut self) -> Option<usize> {
        let n = self.u64()?;
        (n <= self.0.len() as u64).then_some(n as usize)
    }

    pub fn text(&mut self) -> Option<String> {
        let n = self.count()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    pub fn f32s(&mut self) -> Option<Vec<f32>> {
        let n = self.count()?;
        (0..n)
            .map(|_| Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?)))
            .collect()
    }

    pub fn f64s(&mut self) -> Option<Vec<f64>> {
        let n = self.count()?;
        (0..n).map(|_| self.f64()).collect()
    }

    /// All bytes were read.
    pub fn done(&self) -> bool {
        self.0.is_empty()
    }
}

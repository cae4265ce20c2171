//! The LSTM-MDN over a chunk of words at once: the words are the vector lanes, and they
//! advance together one pen move at a time, so each gate pre-activation is a matrix
//! product over the chunk and every weight is read once per move for all its words.
//! Lanes past a word's end (and past the chunk's words) carry zeros into the loss, so
//! their derivatives are exactly 0 and they add nothing to any gradient: a chunk gives
//! each word's numbers whatever its neighbours' lengths.
//!
//! The mathematics is [`super::lstm`]'s (gates i, f, g, o; skip connections; the cut
//! memory of the feed-forward baseline; Graves' clipping) in any float type with
//! [`Lanes`] kernels: f32 to train, f64 for the gradient checks. Buffers are sized once
//! ([`Work::fit`]) and reused: nothing is allocated inside the time loop.

use super::cells::{cell_step, gate_derivatives, hold, pack};
use super::lanes::Lanes;
use super::lstm::{Clip, Shape};
use super::pen_loss::HeadSpec;
use super::{Move, START};

/// A network's parameters in the float type of the pass, with each layer's weights also
/// transposed (for the products that run backwards through them).
#[derive(Clone, Debug)]
pub struct Weights<T> {
    pub shape: Shape,
    pub params: Vec<T>,
    /// Layer l's W transposed (its inputs × 4H), then the output layer's.
    wt: Vec<Vec<T>>,
}

impl<T: Lanes> Weights<T> {
    pub fn new(shape: Shape, params: &[T]) -> Self {
        let mut w = Weights {
            shape,
            params: params.to_vec(),
            wt: Vec::new(),
        };
        w.transpose();
        w
    }

    /// Changes the parameters in place (an optimizer's step), then their transposes.
    pub fn update(&mut self, change: impl FnOnce(&mut [T])) {
        change(&mut self.params);
        self.transpose();
    }

    fn transpose(&mut self) {
        let s = self.shape;
        let n = s.layers + 1 + usize::from(s.window.is_some());
        self.wt.resize(n, Vec::new());
        for l in 0..n {
            let (rows, cols) = dims(&s, l);
            let start = if l > s.layers {
                s.window_start()
            } else {
                s.layer_start(l)
            };
            let t = &mut self.wt[l];
            t.resize(rows * cols, T::ZERO);
            for r in 0..rows {
                for c in 0..cols {
                    t[c * rows + r] = self.params[start + r * cols + c];
                }
            }
        }
    }
}

/// Rows and columns of layer l's W (the output layer's for l = layers, the window
/// layer's for l = layers + 1).
fn dims(s: &Shape, l: usize) -> (usize, usize) {
    if l < s.layers {
        (4 * s.hidden, s.layer_in(l) + s.hidden)
    } else if l == s.layers {
        (s.output, s.out_in())
    } else {
        (s.window.map_or(0, |w| w.raw_len()), s.hidden)
    }
}

/// Lanes for `n` words: a multiple of 8.
pub fn lanes_for(n: usize) -> usize {
    n.div_ceil(8).max(1) * 8
}

/// One chunk's buffers, feature-major with `s` lanes per feature, time-major over the
/// `nt` moves of its longest word.
#[derive(Clone, Debug, Default)]
pub struct Work<T> {
    s: usize,
    nt: usize,
    /// The lanes computed at each move: enough for every word still writing (a multiple
    /// of 8). A chunk's words ordered longest first leave only finished words past it.
    act: Vec<usize>,
    x: Vec<T>,
    /// Per layer, per move: its input [x; h below; h₋₁].
    v: Vec<Vec<T>>,
    /// Per layer, per move: the gates after σ and tanh.
    gates: Vec<Vec<T>>,
    cell: Vec<Vec<T>>,
    /// tanh of the cell.
    tc: Vec<Vec<T>>,
    h: Vec<Vec<T>>,
    top: Vec<T>,
    y: Vec<T>,
    dy: Vec<T>,
    /// Per layer, per move: what reaches h from above.
    dh: Vec<Vec<T>>,
    da: Vec<T>,
    dv: Vec<T>,
    dtop: Vec<T>,
    dh_next: Vec<T>,
    dc_next: Vec<T>,
    raw: Vec<T>,
    graw: Vec<T>,
    tmp: Vec<T>,
    zeros: Vec<T>,
    /// The two sides of a weight gradient, packed (see [`pack`]).
    pa: Vec<T>,
    pb: Vec<T>,
    /// With a window, per move: its raw outputs (3K rows), centres (K), the window (A).
    wraw: Vec<T>,
    kap: Vec<T>,
    win: Vec<T>,
    /// Per move: what reaches the window, and its raw outputs.
    dwin: Vec<T>,
    dr: Vec<T>,
    /// What reaches κ from the later moves (K rows), and the first layer's h from the
    /// window at one move.
    dkap: Vec<T>,
    dwh: Vec<T>,
    /// One lane's window at one move (see [`Lane`]).
    lane: Lane<T>,
}

/// One lane's window values at one move, gathered from the feature-major buffers.
#[derive(Clone, Debug, Default)]
struct Lane<T> {
    raw: Vec<T>,
    prev: Vec<T>,
    kappa: Vec<T>,
    phi: Vec<T>,
    w: Vec<T>,
    dkappa: Vec<T>,
    draw: Vec<T>,
}

fn fit<T: Copy>(v: &mut Vec<T>, n: usize, zero: T) {
    if v.len() < n {
        v.resize(n, zero);
    }
}

impl<T: Lanes> Work<T> {
    /// Sizes the buffers for `words` and their `texts` (growing only) and sets the
    /// lanes each move computes.
    pub fn fit(&mut self, shape: &Shape, head: &HeadSpec<T>, words: &[&[Move]], texts: &[&[u16]]) {
        let z = T::ZERO;
        let nt = longest(words);
        let (s, h, layers) = (lanes_for(words.len()), shape.hidden, shape.layers);
        self.s = s;
        self.nt = nt;
        self.act.clear();
        self.act.extend((0..nt).map(|t| {
            let last = words.iter().rposition(|w| w.len() > t).unwrap_or(0);
            lanes_for(last + 1)
        }));
        fit(&mut self.x, nt * 3 * s, z);
        for b in [&mut self.v, &mut self.gates, &mut self.cell, &mut self.tc] {
            b.resize(layers, Vec::new());
        }
        self.h.resize(layers, Vec::new());
        self.dh.resize(layers, Vec::new());
        for l in 0..layers {
            fit(&mut self.v[l], nt * (shape.layer_in(l) + h) * s, z);
            fit(&mut self.gates[l], nt * 4 * h * s, z);
            for b in [
                &mut self.cell[l],
                &mut self.tc[l],
                &mut self.h[l],
                &mut self.dh[l],
            ] {
                fit(b, nt * h * s, z);
            }
        }
        let widest = (0..layers)
            .map(|l| shape.layer_in(l) + h)
            .max()
            .unwrap_or(0);
        fit(&mut self.top, nt * shape.out_in() * s, z);
        fit(&mut self.y, nt * shape.output * s, z);
        fit(&mut self.dy, nt * shape.output * s, z);
        fit(&mut self.da, nt * 4 * h * s, z);
        fit(&mut self.dv, widest * s, z);
        fit(&mut self.dtop, shape.out_in() * s, z);
        fit(&mut self.dh_next, h * s, z);
        fit(&mut self.dc_next, h * s, z);
        fit(&mut self.zeros, h.max(shape.window_len()) * s, z);
        if let Some(win) = shape.window {
            let (r, kk, a) = (win.raw_len(), win.k, win.alphabet);
            fit(&mut self.wraw, nt * r * s, z);
            fit(&mut self.kap, nt * kk * s, z);
            fit(&mut self.win, nt * a * s, z);
            fit(&mut self.dwin, nt * a * s, z);
            fit(&mut self.dr, nt * r * s, z);
            fit(&mut self.dkap, kk * s, z);
            fit(&mut self.dwh, h * s, z);
            let u = texts.iter().map(|t| t.len()).max().unwrap_or(0);
            let l = &mut self.lane;
            for (b, n) in [
                (&mut l.raw, r),
                (&mut l.prev, kk),
                (&mut l.kappa, kk),
                (&mut l.phi, u),
                (&mut l.w, a),
                (&mut l.dkappa, kk),
                (&mut l.draw, r),
            ] {
                fit(b, n, z);
            }
        }
        let lanes: usize = self.act.iter().sum();
        let raw = shape.window.map_or(0, |w| w.raw_len());
        fit(&mut self.pa, (4 * h).max(shape.output).max(raw) * lanes, z);
        fit(&mut self.pb, widest.max(shape.out_in()) * lanes, z);
        fit(&mut self.raw, shape.output, z);
        fit(&mut self.graw, shape.output, z);
        fit(&mut self.tmp, head.scratch(), z);
    }
}

/// The moves of a chunk's words, each word's inputs the start move then every move but
/// its last.
fn fill_inputs<T: Lanes>(words: &[&[Move]], x: &mut [T], s: usize, nt: usize) {
    x[..nt * 3 * s].fill(T::ZERO);
    for (i, w) in words.iter().enumerate() {
        for t in 0..w.len() {
            let mv = if t == 0 { START } else { w[t - 1] };
            let at = t * 3 * s + i;
            x[at] = T::of(mv.dx);
            x[at + s] = T::of(mv.dy);
            x[at + 2 * s] = if mv.end { T::ONE } else { T::ZERO };
        }
    }
}

/// The forward pass of a chunk: every layer's gates, cells and h, the window (when the
/// network has one, over each word's text in `texts`) and the raw outputs `y` at every
/// move.
pub fn forward<T: Lanes>(w: &Weights<T>, words: &[&[Move]], texts: &[&[u16]], k: &mut Work<T>) {
    let sh = w.shape;
    let (s, nt, h) = (k.s, k.nt, sh.hidden);
    fill_inputs(words, &mut k.x, s, nt);
    let n_out = sh.out_in();
    let a = sh.window_len();
    for t in 0..nt {
        for l in 0..sh.layers {
            forward_layer(w, l, t, k);
            if l == 0 && sh.window.is_some() {
                window_forward(w, t, words, texts, k);
            }
        }
        let top = &mut k.top[t * n_out * s..(t + 1) * n_out * s];
        let first = if sh.skip { 0 } else { sh.layers - 1 };
        for (j, l) in (first..sh.layers).enumerate() {
            top[j * h * s..(j + 1) * h * s].copy_from_slice(&k.h[l][t * h * s..(t + 1) * h * s]);
        }
        let oh = sh.out_h();
        top[oh * s..(oh + a) * s].copy_from_slice(&k.win[t * a * s..(t + 1) * a * s]);
        let start = sh.layer_start(sh.layers);
        let bias = &w.params[start + sh.output * n_out..start + sh.output * n_out + sh.output];
        T::gemm(
            &mut k.y[t * sh.output * s..(t + 1) * sh.output * s],
            Some(bias),
            &w.params[start..],
            n_out,
            sh.output,
            n_out,
            top,
            s,
            k.act[t],
        );
    }
}

/// The window at move t from the first layer's h: its raw outputs for every computed
/// lane, then, lane by lane for the words still writing, the centres and the window over
/// the word's text (zeros in every other lane).
fn window_forward<T: Lanes>(
    w: &Weights<T>,
    t: usize,
    words: &[&[Move]],
    texts: &[&[u16]],
    k: &mut Work<T>,
) {
    let sh = w.shape;
    let Some(win) = sh.window else { return };
    let (s, h, n) = (k.s, sh.hidden, k.act[t]);
    let (r, kk, a) = (win.raw_len(), win.k, win.alphabet);
    let start = sh.window_start();
    let raw = &mut k.wraw[t * r * s..(t + 1) * r * s];
    T::gemm(
        raw,
        Some(&w.params[start + r * h..start + r * h + r]),
        &w.params[start..],
        h,
        r,
        h,
        &k.h[0][t * h * s..(t + 1) * h * s],
        s,
        n,
    );
    let (before, now) = k.kap.split_at_mut(t * kk * s);
    let kap = &mut now[..kk * s];
    let wt = &mut k.win[t * a * s..(t + 1) * a * s];
    kap.fill(T::ZERO);
    wt.fill(T::ZERO);
    let l = &mut k.lane;
    for (i, word) in words.iter().enumerate() {
        if t >= word.len() {
            continue;
        }
        let text = texts[i];
        gather(raw, s, i, &mut l.raw[..r]);
        match t {
            0 => l.prev[..kk].fill(T::ZERO),
            _ => gather(&before[(t - 1) * kk * s..], s, i, &mut l.prev[..kk]),
        }
        win.forward(
            &l.raw[..r],
            &l.prev[..kk],
            text,
            &mut l.kappa[..kk],
            &mut l.phi[..text.len()],
            &mut l.w[..a],
        );
        for j in 0..kk {
            kap[j * s + i] = l.kappa[j];
        }
        for j in 0..a {
            wt[j * s + i] = l.w[j];
        }
    }
}

/// Lane `i` of the feature-major rows of `src` (`s` lanes per row), one value per row of
/// `dst`.
fn gather<T: Copy>(src: &[T], s: usize, i: usize, dst: &mut [T]) {
    for (j, d) in dst.iter_mut().enumerate() {
        *d = src[j * s + i];
    }
}

/// Layer l at move t: its input [x; w; h below; h₋₁], its gates, cell and h. The first
/// layer reads the window of the move before, the others this move's.
fn forward_layer<T: Lanes>(w: &Weights<T>, l: usize, t: usize, k: &mut Work<T>) {
    let sh = w.shape;
    let (s, h) = (k.s, sh.hidden);
    let n_in = sh.layer_in(l) + h;
    let cols = if sh.memory { n_in } else { n_in - h };
    let hs = h * s;
    let a = sh.window_len();
    let (below, rest) = k.h.split_at_mut(l);
    let v = &mut k.v[l][t * n_in * s..(t + 1) * n_in * s];
    let mut row = 0;
    if sh.x_rows(l) > 0 {
        v[..3 * s].copy_from_slice(&k.x[t * 3 * s..(t + 1) * 3 * s]);
        row = 3;
    }
    if a > 0 {
        let src = match (l, t) {
            (0, 0) => &k.zeros[..a * s],
            (0, _) => &k.win[(t - 1) * a * s..t * a * s],
            _ => &k.win[t * a * s..(t + 1) * a * s],
        };
        v[row * s..(row + a) * s].copy_from_slice(src);
        row += a;
    }
    if l > 0 {
        v[row * s..row * s + hs].copy_from_slice(&below[l - 1][t * hs..(t + 1) * hs]);
        row += h;
    }
    let back = sh.memory && t > 0;
    if sh.memory {
        let prev = if back {
            &rest[0][(t - 1) * hs..t * hs]
        } else {
            &k.zeros[..hs]
        };
        v[row * s..row * s + hs].copy_from_slice(prev);
    }
    let start = sh.layer_start(l);
    let gates = &mut k.gates[l][t * 4 * hs..(t + 1) * 4 * hs];
    let bias = &w.params[start + 4 * h * n_in..start + 4 * h * n_in + 4 * h];
    let n = k.act[t];
    T::gemm(
        gates,
        Some(bias),
        &w.params[start..],
        n_in,
        4 * h,
        cols,
        v,
        s,
        n,
    );
    let (done, now) = k.cell[l].split_at_mut(t * hs);
    let c_prev: &[T] = if back {
        &done[(t - 1) * hs..]
    } else {
        &k.zeros[..hs]
    };
    let tc = &mut k.tc[l][t * hs..(t + 1) * hs];
    let hn = &mut rest[0][t * hs..(t + 1) * hs];
    cell_step(gates, c_prev, &mut now[..hs], tc, hn, (h, s, n));
}

/// The loss of a chunk after [`forward`]: each word's NLL summed over its moves (in f64,
/// word by word, move by move), and with `scale`, the derivatives with respect to the raw
/// outputs (times `scale`, clipped) in the work's `dy`.
pub fn loss<T: Lanes>(
    w: &Weights<T>,
    head: &HeadSpec<T>,
    words: &[&[Move]],
    grad: Option<(T, Clip)>,
    k: &mut Work<T>,
) -> f64 {
    let (s, nt, out) = (k.s, k.nt, w.shape.output);
    if grad.is_some() {
        k.dy[..nt * out * s].fill(T::ZERO);
    }
    let mut total = 0.0;
    for (i, word) in words.iter().enumerate() {
        for (t, mv) in word.iter().enumerate() {
            let y = &k.y[t * out * s..(t + 1) * out * s];
            for r in 0..out {
                k.raw[r] = y[r * s + i];
            }
            let d = [T::of(mv.dx), T::of(mv.dy)];
            let g = grad.map(|_| &mut k.graw[..out]);
            total += head.nll_grad(&k.raw[..out], d, mv.end, g, &mut k.tmp).f64();
            if let Some((scale, clip)) = grad {
                let dy = &mut k.dy[t * out * s..(t + 1) * out * s];
                let bound = T::of(clip.out);
                for r in 0..out {
                    dy[r * s + i] = hold(k.graw[r] * scale, bound);
                }
            }
        }
    }
    total
}

/// Backpropagation through time of a chunk after [`loss`] with a gradient: adds each
/// parameter's derivative to `grad` (laid out as the parameters).
pub fn backward<T: Lanes>(
    w: &Weights<T>,
    clip: Clip,
    (words, texts): (&[&[Move]], &[&[u16]]),
    k: &mut Work<T>,
    grad: &mut [T],
) {
    let sh = w.shape;
    let (s, nt, h) = (k.s, k.nt, sh.hidden);
    let (out, n_out, hs) = (sh.output, sh.out_in(), h * s);
    let (a, oh) = (sh.window_len(), sh.out_h());
    let start = sh.layer_start(sh.layers);
    let act = &k.act[..nt];
    let lanes = pack(&k.dy, out * s, out, s, act, &mut k.pa);
    pack(&k.top, n_out * s, n_out, s, act, &mut k.pb);
    let (pa, pb) = (&k.pa, &k.pb);
    T::outer(&mut grad[start..], n_out, pa, out, pb, n_out, lanes);
    let bias = start + out * n_out;
    T::row_sums(&mut grad[bias..bias + out], pa, out, lanes);
    let first = if sh.skip { 0 } else { sh.layers - 1 };
    for l in 0..sh.layers {
        k.dh[l][..nt * hs].fill(T::ZERO);
    }
    for t in 0..nt {
        let dy = &k.dy[t * out * s..(t + 1) * out * s];
        T::gemm(
            &mut k.dtop,
            None,
            &w.wt[sh.layers],
            out,
            n_out,
            out,
            dy,
            s,
            k.act[t],
        );
        for (j, l) in (first..sh.layers).enumerate() {
            k.dh[l][t * hs..(t + 1) * hs].copy_from_slice(&k.dtop[j * hs..(j + 1) * hs]);
        }
        if a > 0 {
            k.dwin[t * a * s..(t + 1) * a * s].copy_from_slice(&k.dtop[oh * s..(oh + a) * s]);
        }
    }
    for l in (0..sh.layers).rev() {
        backward_layer(w, l, clip, (words, texts), k, grad);
    }
    if let Some(win) = sh.window {
        let r = win.raw_len();
        let ws = sh.window_start();
        let act = &k.act[..nt];
        let lanes = pack(&k.dr, r * s, r, s, act, &mut k.pa);
        pack(&k.h[0], hs, h, s, act, &mut k.pb);
        T::outer(&mut grad[ws..], h, &k.pa, r, &k.pb, h, lanes);
        T::row_sums(&mut grad[ws + r * h..ws + r * h + r], &k.pa, r, lanes);
    }
}

/// Layer l back through time: its gradient, and what reaches the layer below's h (and,
/// with a window, what reaches the window). The first layer's h also feeds the window,
/// whose derivatives are complete at move t once the layers above have run and the first
/// layer has run move t + 1 (which read w_t): so the window goes back a move at a time
/// just before the first layer does.
fn backward_layer<T: Lanes>(
    w: &Weights<T>,
    l: usize,
    clip: Clip,
    (words, texts): (&[&[Move]], &[&[u16]]),
    k: &mut Work<T>,
    grad: &mut [T],
) {
    let sh = w.shape;
    let (s, nt, h) = (k.s, k.nt, sh.hidden);
    let hs = h * s;
    k.dh_next[..hs].fill(T::ZERO);
    k.dc_next[..hs].fill(T::ZERO);
    let window = l == 0 && sh.window.is_some();
    if window {
        k.dkap.fill(T::ZERO);
    }
    for t in (0..nt).rev() {
        if window {
            window_backward(w, t, words, texts, k);
        }
        backward_move(w, l, t, T::of(clip.lstm), k);
    }
    let n_in = sh.layer_in(l) + h;
    let cols = if sh.memory { n_in } else { n_in - h };
    let start = sh.layer_start(l);
    let act = &k.act[..nt];
    let lanes = pack(&k.da, 4 * hs, 4 * h, s, act, &mut k.pa);
    pack(&k.v[l], n_in * s, cols, s, act, &mut k.pb);
    let (pa, pb, g) = (&k.pa, &k.pb, &mut grad[start..]);
    T::outer(g, n_in, pa, 4 * h, pb, cols, lanes);
    let bias = start + 4 * h * n_in;
    T::row_sums(&mut grad[bias..bias + 4 * h], pa, 4 * h, lanes);
}

/// The window at move t backwards, lane by lane for the words still writing: from what
/// reaches the window (`dwin`) and κ_t (`dkap`, replaced by what reaches κ_{t−1}), the
/// derivatives of its raw outputs (`dr`, zeros in every other lane), and through the
/// window layer what they add to the first layer's h.
fn window_backward<T: Lanes>(
    w: &Weights<T>,
    t: usize,
    words: &[&[Move]],
    texts: &[&[u16]],
    k: &mut Work<T>,
) {
    let sh = w.shape;
    let Some(win) = sh.window else { return };
    let (s, h, n) = (k.s, sh.hidden, k.act[t]);
    let (r, kk, a) = (win.raw_len(), win.k, win.alphabet);
    let raw = &k.wraw[t * r * s..(t + 1) * r * s];
    let kap = &k.kap[t * kk * s..(t + 1) * kk * s];
    let dwin = &k.dwin[t * a * s..(t + 1) * a * s];
    let dr = &mut k.dr[t * r * s..(t + 1) * r * s];
    dr.fill(T::ZERO);
    let l = &mut k.lane;
    for (i, word) in words.iter().enumerate() {
        if t >= word.len() {
            continue;
        }
        gather(raw, s, i, &mut l.raw[..r]);
        gather(kap, s, i, &mut l.kappa[..kk]);
        gather(&k.dkap, s, i, &mut l.dkappa[..kk]);
        gather(dwin, s, i, &mut l.w[..a]);
        win.backward(
            &l.raw[..r],
            &l.kappa[..kk],
            texts[i],
            &l.w[..a],
            &mut l.dkappa[..kk],
            &mut l.draw[..r],
        );
        for j in 0..kk {
            k.dkap[j * s + i] = l.dkappa[j];
        }
        for j in 0..r {
            dr[j * s + i] = l.draw[j];
        }
    }
    T::gemm(&mut k.dwh, None, &w.wt[sh.layers + 1], r, h, r, dr, s, n);
    let dh = &mut k.dh[0][t * h * s..(t + 1) * h * s];
    for j in 0..h {
        for (x, y) in dh[j * s..j * s + n]
            .iter_mut()
            .zip(&k.dwh[j * s..j * s + n])
        {
            *x += *y;
        }
    }
}

/// Layer l at move t backwards: the gates' derivatives (kept for the weight gradient),
/// what goes on to the move before (`dh_next`, `dc_next`) and to the layer below.
fn backward_move<T: Lanes>(w: &Weights<T>, l: usize, t: usize, bound: T, k: &mut Work<T>) {
    let sh = w.shape;
    let (s, h, n) = (k.s, sh.hidden, k.act[t]);
    let hs = h * s;
    let n_in = sh.layer_in(l) + h;
    // The rows of Wᵀ da needed: what goes to the window and the layer below, and to the
    // move before.
    let (xr, a) = (sh.x_rows(l), sh.window_len());
    let below = xr + a;
    let from = if l > 0 || a > 0 { xr } else { n_in - h };
    let to = if sh.memory { n_in } else { n_in - h };
    let c_prev: &[T] = if sh.memory && t > 0 {
        &k.cell[l][(t - 1) * hs..t * hs]
    } else {
        &k.zeros[..hs]
    };
    let da = &mut k.da[t * 4 * hs..(t + 1) * 4 * hs];
    gate_derivatives(
        (
            &k.gates[l][t * 4 * hs..(t + 1) * 4 * hs],
            &k.tc[l][t * hs..(t + 1) * hs],
            c_prev,
        ),
        (&k.dh[l][t * hs..(t + 1) * hs], &k.dh_next[..hs]),
        &mut k.dc_next[..hs],
        da,
        bound,
        (h, s, n),
    );
    if !sh.memory {
        k.dc_next[..hs].fill(T::ZERO);
    }
    if from < to {
        let (wt, rows) = (&w.wt[l][from * 4 * h..], to - from);
        T::gemm(
            &mut k.dv[from * s..to * s],
            None,
            wt,
            4 * h,
            rows,
            4 * h,
            da,
            s,
            n,
        );
    }
    if sh.memory {
        k.dh_next[..hs].copy_from_slice(&k.dv[(n_in - h) * s..n_in * s]);
    }
    // Lanes past `n` belong to words that ended before this move: nothing reaches them
    // from it.
    for j in 0..h {
        k.dh_next[j * s + n..(j + 1) * s].fill(T::ZERO);
        k.dc_next[j * s + n..(j + 1) * s].fill(T::ZERO);
    }
    if l > 0 {
        let dh = &mut k.dh[l - 1][t * hs..(t + 1) * hs];
        for r in 0..h {
            let at = r * s..r * s + n;
            for (x, y) in dh[at.clone()].iter_mut().zip(&k.dv[below * s..][at]) {
                *x += *y;
            }
        }
    }
    // The first layer read the window of the move before; the others this move's.
    let read = if l > 0 { Some(t) } else { t.checked_sub(1) };
    if let (true, Some(m)) = (a > 0, read) {
        let dw = &mut k.dwin[m * a * s..(m + 1) * a * s];
        for r in 0..a {
            let at = r * s..r * s + n;
            for (x, y) in dw[at.clone()].iter_mut().zip(&k.dv[xr * s..][at]) {
                *x += *y;
            }
        }
    }
}

/// The longest of `words`, in moves.
pub fn longest(words: &[&[Move]]) -> usize {
    words.iter().map(|w| w.len()).max().unwrap_or(0)
}

/// What a pass with gradients adds them to, and how: each move's derivatives times
/// `scale`, clipped as `clip` says.
pub struct Grad<'a, T> {
    pub scale: T,
    pub clip: Clip,
    pub out: &'a mut [T],
}

/// A chunk's NLL sum and, with `grad`, its gradient added there: [`Work::fit`],
/// [`forward`], [`loss`] and [`backward`] in turn. `texts` holds each word's text for a
/// network with a window (and is empty for one without). Words ordered longest first compute
/// fewest idle lanes; in any order each word is computed as it would be alone (only the
/// grouping of the sums over words differs).
pub fn chunk<T: Lanes>(
    w: &Weights<T>,
    head: &HeadSpec<T>,
    words: &[&[Move]],
    texts: &[&[u16]],
    k: &mut Work<T>,
    grad: Option<Grad<T>>,
) -> f64 {
    k.fit(&w.shape, head, words, texts);
    forward(w, words, texts, k);
    let total = loss(w, head, words, grad.as_ref().map(|g| (g.scale, g.clip)), k);
    if let Some(g) = grad {
        backward(w, g.clip, (words, texts), k, g.out);
    }
    total
}

//! A stack of LSTM layers with a linear output layer: its shape, its parameters (one flat
//! vector) and one step at a time in f64, with the portable kernels of
//! [`crate::base::math`], as the pen writes and draws. Training runs the same mathematics
//! over many words at once in [`super::batch`].
//!
//! Gates in the order i, f, g, o: a = W [x; h₋₁] + b, i = σ(a_i), f = σ(a_f),
//! g = tanh(a_g), o = σ(a_o), c = f c₋₁ + i g, h = o tanh(c). No peepholes (Graves 2013
//! has them; they matter for precise timing, not for pen offsets, and cost three more
//! parameter groups). With `skip` (Graves' skip connections), every layer also sees the
//! input and the output layer sees every layer's h; without, each layer sees the one
//! below and the output layer the top one.
//!
//! Gradient clipping as Graves describes it: the derivatives of the loss with respect to
//! the network's outputs are held in [−`clip_out`, `clip_out`] (100 in the paper) before
//! they enter the network, and those with respect to the LSTM's gate inputs (before σ
//! and tanh) in [−`clip_lstm`, `clip_lstm`] (10 in the paper); 0 turns either off.

use super::window::Window;
use crate::base::math;
use crate::base::rng::Rng;

/// The network's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub input: usize,
    pub hidden: usize,
    pub layers: usize,
    pub skip: bool,
    /// false: the memory is cut (h₋₁ = c₋₁ = 0 at every step), so each step sees only
    /// its own input: a feed-forward network of the same cells, the baseline that
    /// knows only the previous move.
    pub memory: bool,
    pub output: usize,
    /// Graves' soft window over a text (the synthesis network), or none. With one, the
    /// first layer's h also gives the window's raw outputs (a linear layer whose weights
    /// come after the output layer's), and the window w_t is an input of every layer
    /// (the first reads w_{t−1}, the others w_t) and of the output layer.
    pub window: Option<Window>,
}

impl Shape {
    /// The window's width (one value per symbol of the alphabet), 0 without one.
    pub fn window_len(&self) -> usize {
        self.window.map_or(0, |w| w.alphabet)
    }

    /// How many of layer `l`'s inputs come before the window's: the input x (the first
    /// layer's, and every layer's with skip connections) or nothing.
    pub fn x_rows(&self, l: usize) -> usize {
        if l == 0 || self.skip {
            self.input
        } else {
            0
        }
    }

    /// How many inputs layer `l` takes besides its own h₋₁: [x; w; h below], each where
    /// the shape has it.
    pub fn layer_in(&self, l: usize) -> usize {
        let below = if l > 0 { self.hidden } else { 0 };
        self.x_rows(l) + self.window_len() + below
    }

    /// How many values the output layer reads: the h it sees, then the window.
    pub fn out_in(&self) -> usize {
        self.out_h() + self.window_len()
    }

    /// How many h values the output layer reads.
    pub fn out_h(&self) -> usize {
        if self.skip {
            self.hidden * self.layers
        } else {
            self.hidden
        }
    }

    /// Where the window layer's weights start (its 3K × H weights, then 3K biases).
    pub fn window_start(&self) -> usize {
        self.layer_start(self.layers) + self.output * self.out_in() + self.output
    }

    /// Where layer `l`'s weights start; the output layer's is `layer_start(layers)`.
    pub fn layer_start(&self, l: usize) -> usize {
        let h = self.hidden;
        (0..l).map(|j| 4 * h * (self.layer_in(j) + h) + 4 * h).sum()
    }

    /// How many parameters the network has.
    pub fn params(&self) -> usize {
        let window = self.window.map_or(0, |w| w.raw_len() * (self.hidden + 1));
        self.window_start() + window
    }
}

fn sigmoid(a: f64) -> f64 {
    math::softplus_sigmoid(a).1
}

/// y += W v for W of `rows` × v.len() stored row-major from `w`.
fn mat_vec(w: &[f64], v: &[f64], y: &mut [f64]) {
    let n = v.len();
    for (r, out) in y.iter_mut().enumerate() {
        let row = &w[r * n..(r + 1) * n];
        let mut s = 0.0;
        for j in 0..n {
            s += row[j] * v[j];
        }
        *out += s;
    }
}

/// The window's κ̂ biases at the start of training.
pub const WINDOW_KAPPA_BIAS: f64 = -3.0;

/// The network: its shape and parameters, one flat vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Lstm {
    pub shape: Shape,
    pub params: Vec<f64>,
}

/// The recurrent state between steps (per layer: h and c; with a window, its centres,
/// its raw outputs, φ over the text and the window itself), for writing one step at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub h: Vec<Vec<f64>>,
    pub c: Vec<Vec<f64>>,
    /// κ at the last step (K; empty without a window).
    pub kappa: Vec<f64>,
    /// The window's raw outputs (α̂, β̂, κ̂) at the last step.
    pub raw: Vec<f64>,
    /// φ(t, u) at the last step, position u at `phi[u − 1]`.
    pub phi: Vec<f64>,
    /// The window w_t of the last step (zeros before the first).
    pub w: Vec<f64>,
}

impl Lstm {
    /// Weights uniform in ±1/√(fan-in), biases 0 but the forget gates' at 1.
    pub fn new(shape: Shape, rng: &mut Rng) -> Lstm {
        let mut params = vec![0.0; shape.params()];
        let h = shape.hidden;
        for l in 0..=shape.layers {
            let start = shape.layer_start(l);
            let (rows, cols) = if l < shape.layers {
                (4 * h, shape.layer_in(l) + h)
            } else {
                (shape.output, shape.out_in())
            };
            let a = 1.0 / (cols as f64).sqrt();
            for p in &mut params[start..start + rows * cols] {
                *p = rng.range(-a, a);
            }
            if l < shape.layers {
                let b = start + rows * cols;
                params[b + h..b + 2 * h].fill(1.0);
            }
        }
        if let Some(w) = shape.window {
            let start = shape.window_start();
            let (rows, a) = (w.raw_len(), 1.0 / (h as f64).sqrt());
            for p in &mut params[start..start + rows * h] {
                *p = rng.range(-a, a);
            }
            // κ̂ starts about −3: the window moves about a twentieth of a character per
            // pen move (exp or softplus), about as slowly as a pen writes.
            let b = start + rows * h;
            params[b + 2 * w.k..b + 3 * w.k].fill(WINDOW_KAPPA_BIAS);
        }
        Lstm { shape, params }
    }

    /// A state of zeros, where every sequence starts.
    pub fn start(&self) -> State {
        let z = vec![vec![0.0; self.shape.hidden]; self.shape.layers];
        let (k, a) = self.shape.window.map_or((0, 0), |w| (w.k, w.alphabet));
        State {
            h: z.clone(),
            c: z,
            kappa: vec![0.0; k],
            raw: vec![0.0; 3 * k],
            phi: Vec::new(),
            w: vec![0.0; a],
        }
    }

    /// One step of layer `l` from its input `v` = [x; h₋₁]: gates (written to `gates`),
    /// the new c and h.
    fn cell(&self, l: usize, v: &[f64], c_prev: &[f64], gates: &mut [f64]) -> (Vec<f64>, Vec<f64>) {
        let h = self.shape.hidden;
        let start = self.shape.layer_start(l);
        let n = v.len();
        let w = &self.params[start..start + 4 * h * n];
        gates.copy_from_slice(&self.params[start + 4 * h * n..start + 4 * h * n + 4 * h]);
        mat_vec(w, v, gates);
        let mut c = vec![0.0; h];
        let mut hn = vec![0.0; h];
        for j in 0..h {
            let (i, f) = (sigmoid(gates[j]), sigmoid(gates[h + j]));
            let (g, o) = (math::tanh(gates[2 * h + j]), sigmoid(gates[3 * h + j]));
            gates[j] = i;
            gates[h + j] = f;
            gates[2 * h + j] = g;
            gates[3 * h + j] = o;
            c[j] = f * c_prev[j] + i * g;
            hn[j] = o * math::tanh(c[j]);
        }
        (c, hn)
    }

    /// Layer `l`'s input at a step: [x; w; h below; h₋₁], each where the shape has it.
    fn layer_input(
        &self,
        l: usize,
        x: &[f64],
        w: &[f64],
        below: &[f64],
        h_prev: &[f64],
    ) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.shape.layer_in(l) + self.shape.hidden);
        if self.shape.x_rows(l) > 0 {
            v.extend_from_slice(x);
        }
        v.extend_from_slice(w);
        if l > 0 {
            v.extend_from_slice(below);
        }
        v.extend_from_slice(h_prev);
        v
    }

    /// The raw outputs for the layers' h and the window at one step.
    fn output(&self, hs: &[&[f64]], w: &[f64]) -> Vec<f64> {
        let s = &self.shape;
        let start = s.layer_start(s.layers);
        let mut top: Vec<f64> = if s.skip {
            hs.iter().flat_map(|h| h.iter().cloned()).collect()
        } else {
            hs[s.layers - 1].to_vec()
        };
        top.extend_from_slice(w);
        let n = top.len();
        let mut y = self.params[start + s.output * n..start + s.output * n + s.output].to_vec();
        mat_vec(&self.params[start..start + s.output * n], &top, &mut y);
        y
    }

    /// One step from `state` with input `x`: the raw outputs; `state` moves on.
    pub fn step(&self, state: &mut State, x: &[f64]) -> Vec<f64> {
        self.step_on(state, x, &[])
    }

    /// One step of a network with a window over `text` (symbols below the window's
    /// alphabet), as [`Lstm::step`]: the first layer reads the window of the step before,
    /// then gives this step's window, which the other layers and the output read.
    pub fn step_on(&self, state: &mut State, x: &[f64], text: &[u16]) -> Vec<f64> {
        if !self.shape.memory {
            *state = self.start();
        }
        let mut gates = vec![0.0; 4 * self.shape.hidden];
        for l in 0..self.shape.layers {
            let below = if l > 0 {
                state.h[l - 1].clone()
            } else {
                Vec::new()
            };
            let v = self.layer_input(l, x, &state.w, &below, &state.h[l]);
            let (c, h) = self.cell(l, &v, &state.c[l], &mut gates);
            state.c[l] = c;
            state.h[l] = h;
            if l == 0 {
                self.window_step(state, text);
            }
        }
        let hs: Vec<&[f64]> = state.h.iter().map(|h| h.as_slice()).collect();
        self.output(&hs, &state.w)
    }

    /// The window of this step from the first layer's h (nothing without a window).
    fn window_step(&self, state: &mut State, text: &[u16]) {
        let Some(win) = self.shape.window else {
            return;
        };
        let (h, rows) = (self.shape.hidden, win.raw_len());
        let start = self.shape.window_start();
        let mut raw = self.params[start + rows * h..start + rows * h + rows].to_vec();
        mat_vec(&self.params[start..start + rows * h], &state.h[0], &mut raw);
        let prev = state.kappa.clone();
        state.phi.resize(text.len(), 0.0);
        win.forward(
            &raw,
            &prev,
            text,
            &mut state.kappa,
            &mut state.phi,
            &mut state.w,
        );
        state.raw = raw;
    }
}

/// Graves' clipping bounds (0 = off).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clip {
    pub out: f64,
    pub lstm: f64,
}

impl Clip {
    pub const GRAVES: Clip = Clip {
        out: 100.0,
        lstm: 10.0,
    };
    pub const OFF: Clip = Clip {
        out: 0.0,
        lstm: 0.0,
    };

    pub fn out(&self, d: f64) -> f64 {
        hold(d, self.out)
    }

    pub fn lstm(&self, d: f64) -> f64 {
        hold(d, self.lstm)
    }
}

fn hold(d: f64, bound: f64) -> f64 {
    if bound > 0.0 {
        d.clamp(-bound, bound)
    } else {
        d
    }
}

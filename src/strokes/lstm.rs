//! A stack of LSTM layers with a linear output layer, forward over a sequence and
//! backpropagation through time, in f64 with the portable kernels of [`crate::base::math`].
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
}

impl Shape {
    /// How many inputs layer `l` takes besides its own h₋₁.
    fn layer_in(&self, l: usize) -> usize {
        match (l, self.skip) {
            (0, _) => self.input,
            (_, true) => self.input + self.hidden,
            (_, false) => self.hidden,
        }
    }

    /// How many h values the output layer reads.
    fn out_in(&self) -> usize {
        if self.skip {
            self.hidden * self.layers
        } else {
            self.hidden
        }
    }

    /// Where layer `l`'s weights start; the output layer's is `layer_start(layers)`.
    fn layer_start(&self, l: usize) -> usize {
        let h = self.hidden;
        (0..l).map(|j| 4 * h * (self.layer_in(j) + h) + 4 * h).sum()
    }

    /// How many parameters the network has.
    pub fn params(&self) -> usize {
        self.layer_start(self.layers) + self.output * self.out_in() + self.output
    }
}

/// What the forward pass keeps for the backward pass: per layer and step, the gates
/// (after σ/tanh), the cell and h.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// `gates[l][t]`: i, f, g, o (4H values).
    gates: Vec<Vec<Vec<f64>>>,
    cell: Vec<Vec<Vec<f64>>>,
    h: Vec<Vec<Vec<f64>>>,
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

/// The network: its shape and parameters, one flat vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Lstm {
    pub shape: Shape,
    pub params: Vec<f64>,
}

/// The recurrent state between steps (per layer: h and c), for drawing one step at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub h: Vec<Vec<f64>>,
    pub c: Vec<Vec<f64>>,
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
        Lstm { shape, params }
    }

    /// A state of zeros, where every sequence starts.
    pub fn start(&self) -> State {
        let z = vec![vec![0.0; self.shape.hidden]; self.shape.layers];
        State { h: z.clone(), c: z }
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

    /// Layer `l`'s input at a step: the input x, and the layer below's h.
    fn layer_input(&self, l: usize, x: &[f64], below: &[f64], h_prev: &[f64]) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.shape.layer_in(l) + self.shape.hidden);
        if l == 0 || self.shape.skip {
            v.extend_from_slice(x);
        }
        if l > 0 {
            v.extend_from_slice(below);
        }
        v.extend_from_slice(h_prev);
        v
    }

    /// The raw outputs for the layers' h at one step.
    fn output(&self, hs: &[&[f64]]) -> Vec<f64> {
        let s = &self.shape;
        let start = s.layer_start(s.layers);
        let top: Vec<f64> = if s.skip {
            hs.iter().flat_map(|h| h.iter().cloned()).collect()
        } else {
            hs[s.layers - 1].to_vec()
        };
        let n = top.len();
        let mut y = self.params[start + s.output * n..start + s.output * n + s.output].to_vec();
        mat_vec(&self.params[start..start + s.output * n], &top, &mut y);
        y
    }

    /// One step from `state` with input `x`: the raw outputs; `state` moves on.
    pub fn step(&self, state: &mut State, x: &[f64]) -> Vec<f64> {
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
            let v = self.layer_input(l, x, &below, &state.h[l]);
            let (c, h) = self.cell(l, &v, &state.c[l], &mut gates);
            state.c[l] = c;
            state.h[l] = h;
        }
        let hs: Vec<&[f64]> = state.h.iter().map(|h| h.as_slice()).collect();
        self.output(&hs)
    }

    /// The raw outputs at every step of `xs` from a zero state, and the trace for
    /// [`Lstm::backward`].
    pub fn forward(&self, xs: &[Vec<f64>]) -> (Vec<Vec<f64>>, Trace) {
        let (layers, h) = (self.shape.layers, self.shape.hidden);
        let mut trace = Trace {
            gates: vec![Vec::with_capacity(xs.len()); layers],
            cell: vec![Vec::with_capacity(xs.len()); layers],
            h: vec![Vec::with_capacity(xs.len()); layers],
        };
        let mut ys = Vec::with_capacity(xs.len());
        let zero = vec![0.0; h];
        for (t, x) in xs.iter().enumerate() {
            for l in 0..layers {
                let back = t > 0 && self.shape.memory;
                let h_prev = if back { &trace.h[l][t - 1] } else { &zero };
                let c_prev = if back { &trace.cell[l][t - 1] } else { &zero };
                let below = if l > 0 { &trace.h[l - 1][t] } else { &zero };
                let v = self.layer_input(l, x, below, h_prev);
                let mut gates = vec![0.0; 4 * h];
                let (c, hn) = self.cell(l, &v, c_prev, &mut gates);
                trace.gates[l].push(gates);
                trace.cell[l].push(c);
                trace.h[l].push(hn);
            }
            let hs: Vec<&[f64]> = (0..layers).map(|l| trace.h[l][t].as_slice()).collect();
            ys.push(self.output(&hs));
        }
        (ys, trace)
    }

    /// Backpropagation through time: adds to `grad` (one value per parameter) the
    /// gradient of the loss whose derivatives with respect to the raw outputs are `dys`,
    /// clipped as the module says.
    pub fn backward(
        &self,
        xs: &[Vec<f64>],
        trace: &Trace,
        dys: &[Vec<f64>],
        clip: Clip,
        grad: &mut [f64],
    ) {
        let mut dh = self.output_backward(trace, dys, clip, grad);
        for l in (0..self.shape.layers).rev() {
            self.layer_backward(l, xs, trace, &mut dh, clip, grad);
        }
    }

    /// The output layer's part: its gradient, and `dh[l][t]`, what reaches each layer's h
    /// at each step from the outputs.
    fn output_backward(
        &self,
        trace: &Trace,
        dys: &[Vec<f64>],
        clip: Clip,
        grad: &mut [f64],
    ) -> Vec<Vec<Vec<f64>>> {
        let s = self.shape;
        let (layers, h, n_t) = (s.layers, s.hidden, dys.len());
        let mut dh = vec![vec![vec![0.0; h]; n_t]; layers];
        let out = s.layer_start(layers);
        let n_out = s.out_in();
        let first = if s.skip { 0 } else { layers - 1 };
        for t in 0..n_t {
            let top: Vec<f64> = (first..layers)
                .flat_map(|l| trace.h[l][t].iter().cloned())
                .collect();
            for (r, d) in dys[t].iter().map(|d| clip.out(*d)).enumerate() {
                let row = out + r * n_out;
                for j in 0..n_out {
                    grad[row + j] += d * top[j];
                    dh[first + j / h][t][j % h] += d * self.params[row + j];
                }
                grad[out + s.output * n_out + r] += d;
            }
        }
        dh
    }

    /// Layer `l` back through time: its gradient, given what reaches its h from above
    /// (`dh[l]`); adds what reaches the layer below through its input to `dh[l − 1]`.
    fn layer_backward(
        &self,
        l: usize,
        xs: &[Vec<f64>],
        trace: &Trace,
        dh: &mut [Vec<Vec<f64>>],
        clip: Clip,
        grad: &mut [f64],
    ) {
        let s = self.shape;
        let h = s.hidden;
        let zero = vec![0.0; h];
        let start = s.layer_start(l);
        let n_in = s.layer_in(l) + h;
        let bias = start + 4 * h * n_in;
        let mut dh_next = vec![0.0; h];
        let mut dc_next = vec![0.0; h];
        let mut da = vec![0.0; 4 * h];
        for t in (0..xs.len()).rev() {
            let back = t > 0 && s.memory;
            let c_prev = if back { &trace.cell[l][t - 1] } else { &zero };
            let gates = (&trace.gates[l][t][..], &trace.cell[l][t][..], &c_prev[..]);
            gate_derivatives(gates, &dh[l][t], &dh_next, &mut dc_next, &mut da, clip);
            if !s.memory {
                dc_next.fill(0.0);
            }
            let h_prev = if back { &trace.h[l][t - 1] } else { &zero };
            let below = if l > 0 { &trace.h[l - 1][t] } else { &zero };
            let v = self.layer_input(l, &xs[t], below, h_prev);
            // dv = Wᵀ da; dW += da vᵀ.
            let mut dv = vec![0.0; n_in];
            for r in 0..4 * h {
                let row = start + r * n_in;
                let d = da[r];
                for j in 0..n_in {
                    grad[row + j] += d * v[j];
                    dv[j] += d * self.params[row + j];
                }
                grad[bias + r] += d;
            }
            if s.memory {
                dh_next.copy_from_slice(&dv[n_in - h..]);
            }
            if l > 0 {
                let from = if s.skip { s.input } else { 0 };
                for j in 0..h {
                    dh[l - 1][t][j] += dv[from + j];
                }
            }
        }
    }
}

/// One step of one layer backwards: from what reaches h (from above, `dh_up`, and from the
/// next step, `dh_next`) and the cell (`dc_next`, replaced by what goes on to the step
/// before), the derivatives with respect to the gates' inputs `da` (clipped).
fn gate_derivatives(
    (g, c, c_prev): (&[f64], &[f64], &[f64]),
    dh_up: &[f64],
    dh_next: &[f64],
    dc_next: &mut [f64],
    da: &mut [f64],
    clip: Clip,
) {
    let h = c.len();
    for j in 0..h {
        let dhj = dh_up[j] + dh_next[j];
        let (i, f, gg, o) = (g[j], g[h + j], g[2 * h + j], g[3 * h + j]);
        let tc = math::tanh(c[j]);
        let dc = dhj * o * (1.0 - tc * tc) + dc_next[j];
        da[j] = clip.lstm(dc * gg * i * (1.0 - i));
        da[h + j] = clip.lstm(dc * c_prev[j] * f * (1.0 - f));
        da[2 * h + j] = clip.lstm(dc * i * (1.0 - gg * gg));
        da[3 * h + j] = clip.lstm(dhj * tc * o * (1.0 - o));
        dc_next[j] = dc * f;
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

    fn out(&self, d: f64) -> f64 {
        hold(d, self.out)
    }

    fn lstm(&self, d: f64) -> f64 {
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

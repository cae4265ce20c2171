//! An experiment exported as a small project in another framework: the data
//! exactly as drawn (CSV, with SHA-256 sums), the model file (the trained weights), the
//! recipe, probe points with the playground's ln p(y|x), readable code and a README.
//! Written to memory as (path, bytes); the CLI writes them to a folder.

use crate::config::spec::Spec;
use crate::data::dataset::Dataset;
use crate::mdn::head::Init;
use crate::train::experiment::Experiment;
use serde_json::json;
use sha2::{Digest, Sha256};

/// A framework an export can target: its name (`--to`), its code, its pinned packages,
/// and what its README says about running it.
pub struct Framework {
    pub name: &'static str,
    pub title: &'static str,
    code: &'static str,
    requirements: &'static str,
    /// The README's commands.
    run: &'static str,
    /// Whose random streams a retrain draws from.
    streams: &'static str,
    /// The README's paragraph on GPUs and data parallelism.
    devices: &'static str,
}

/// The frameworks an export can target.
pub const FRAMEWORKS: &[Framework] = &[
    Framework {
        name: "jax",
        title: "JAX",
        code: include_str!("jax.py"),
        requirements: "jax==0.10.2\nnumpy==2.4.6\n",
        run: "pip install -r requirements.txt   # CPU; for a GPU: pip install \"jax[cuda12]==0.10.2\"\n\
python experiment.py check        # the playground's trained weights, checked here\n\
python experiment.py train        # retrain from scratch with the same recipe\n\
python experiment.py train --devices 8   # data parallel over 8 devices (sharded jit)\n",
        streams: "JAX's and NumPy's",
        devices: "`--devices N` runs data parallel by sharding: the indices of each batch are \
split over a mesh of N devices and everything else is replicated, and the same jitted step \
then runs on every device, XLA summing the gradient across them (a few lines in `train`). \
On a GPU machine install the CUDA wheel above; on several hosts, \
`jax.distributed.initialize()` before `train` joins them.",
    },
    Framework {
        name: "pytorch",
        title: "PyTorch",
        code: include_str!("torch.py"),
        requirements: "torch==2.15.0\nnumpy==2.4.6\n",
        run: "pip install -r requirements.txt   # PyPI's wheel, with CUDA (about 5 GB installed)\n\
# CPU only (about 1 GB): pip install torch==2.15.0 --index-url https://download.pytorch.org/whl/cpu\n\
python experiment.py check        # the playground's trained weights, checked here\n\
python experiment.py train        # retrain from scratch with the same recipe\n\
python experiment.py train --device cuda                       # on a GPU\n\
torchrun --nproc_per_node 4 experiment.py train --device cuda  # 4 GPUs, data parallel (DDP)\n",
        streams: "PyTorch's and NumPy's",
        devices: "`--device cuda` (or `mps`) trains on that device. Under `torchrun`, each process \
joins the process group (NCCL on GPUs, Gloo on CPUs), takes its slice of every batch, and \
`DistributedDataParallel` averages the gradients during `backward()` (a few lines in \
`distributed` and `train`). On several hosts, `torchrun --nnodes N --rdzv-endpoint HOST:PORT` \
joins them.",
    },
];

/// The framework called `name`, or why not.
pub fn framework(name: &str) -> Result<&'static Framework, String> {
    FRAMEWORKS.iter().find(|f| f.name == name).ok_or_else(|| {
        let names: Vec<&str> = FRAMEWORKS.iter().map(|f| f.name).collect();
        format!("--to: {name:?} is not one of {}", names.join(", "))
    })
}

/// Seeds of the playground's own spread (the band a retrain must land in).
pub const BAND_SEEDS: u64 = 5;
/// The band's margin beyond the playground's spread, in nats, each side.
pub const BAND_MARGIN: f64 = 0.1;

/// Why a spec cannot be exported exactly: its features the export does not reproduce.
pub fn refuse(spec: &Spec) -> Option<String> {
    let mut why = Vec::new();
    if spec.reinit_dead > 0 {
        why.push("reinit_dead (moving dead components onto badly explained data) is not in the exported recipe: export with reinit_dead=0");
    }
    if spec.init == Init::Diverse {
        why.push("init=diverse (means spread over the targets at the start) is not in the exported recipe: export with init=plain");
    }
    if spec.family != crate::mdn::family::Family::Gaussian {
        why.push("the exported code has the Gaussian head only (family=laplace, student, hurdle and vonmises are not in it yet): export with family=gaussian");
    }
    if spec.ensemble > 1 {
        why.push("the exported recipe trains one network, not an ensemble: export with ensemble=1 (member 1 of the ensemble, bit for bit)");
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// A data set as CSV: a header (x1…, y1…) and one row per point, every number written
/// so that it reads back to the same double.
pub fn csv(d: &Dataset) -> String {
    let (din, dout) = (d.x.nrows(), d.y.nrows());
    let mut head: Vec<String> = (1..=din).map(|i| format!("x{i}")).collect();
    head.extend((1..=dout).map(|i| format!("y{i}")));
    let mut out = head.join(",") + "\n";
    for i in 0..d.len() {
        let row: Vec<String> = (0..din)
            .map(|j| format!("{:?}", d.x[[j, i]]))
            .chain((0..dout).map(|j| format!("{:?}", d.y[[j, i]])))
            .collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Points to check an implementation against: validation points, and the same inputs with
/// outputs far out in the tails (where a product of densities would underflow). Their
/// ln p(y|x) is the playground's, from the trained (f32) weights evaluated in f64: the
/// page's own f32 arithmetic would add its rounding (up to about 1e-5 relative in the far
/// tails of the default spec) to the comparison.
fn probes(exp: &Experiment) -> Vec<serde_json::Value> {
    let (din, dout) = (exp.info.din, exp.info.dout);
    let model = exp.model.widened();
    let mut q = model.queries();
    let mut out = Vec::new();
    let n = exp.val.len().min(40);
    for i in 0..n {
        let x: Vec<f64> = (0..din).map(|j| exp.val.x[[j, i]]).collect();
        let y0: Vec<f64> = (0..dout).map(|j| exp.val.y[[j, i]]).collect();
        let m = q.mixture(&x);
        let spread: Vec<f64> = exp.info.y_ranges.iter().map(|r| r.1 - r.0).collect();
        let far = [0.0, 0.5, -0.5, 2.0, -3.0][i % 5];
        let y: Vec<f64> = y0.iter().zip(&spread).map(|(v, s)| v + far * s).collect();
        let lp = m.log_prob(&y);
        if lp.is_finite() {
            out.push(json!({"x": x, "y": y, "log_p": lp}));
        }
    }
    out
}

/// The playground's own spread of the validation NLLs over [`BAND_SEEDS`] seeds of `spec`
/// (its seed and the next ones): [min, max], widened by [`BAND_MARGIN`].
pub fn band(spec: &Spec) -> (f64, f64, Vec<f64>) {
    band_on(spec, 1)
}

/// The specs whose runs make the band: `spec` with its seed and the next ones.
pub fn band_specs(spec: &Spec) -> Vec<Spec> {
    (0..BAND_SEEDS)
        .map(|s| {
            let mut sp = spec.clone();
            sp.seed = (spec.seed + s) % (crate::base::rng::SEED_MAX + 1);
            sp
        })
        .collect()
}

/// [`band`], natively with its seeds trained on up to `threads` threads at once (each
/// run's bits do not depend on where it runs, so neither does the band). Each run is a
/// sweep's [`crate::train::sweep::Job`], as the page's pool of workers trains it.
pub fn band_on(spec: &Spec, threads: usize) -> (f64, f64, Vec<f64>) {
    let specs = band_specs(spec);
    let run = |sp: &Spec| crate::train::sweep::Job::of(sp).run().val_nll;
    #[cfg(not(target_arch = "wasm32"))]
    let vals: Vec<f64> = match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.clamp(1, BAND_SEEDS as usize))
        .build()
    {
        Ok(pool) if threads > 1 => pool.install(|| {
            use rayon::prelude::*;
            specs.par_iter().with_max_len(1).map(run).collect()
        }),
        _ => specs.iter().map(run).collect(),
    };
    #[cfg(target_arch = "wasm32")]
    let vals: Vec<f64> = {
        let _ = threads;
        specs.iter().map(run).collect()
    };
    band_of(vals)
}

/// The band of the runs' validation NLLs: [min, max] widened by [`BAND_MARGIN`].
pub fn band_of(vals: Vec<f64>) -> (f64, f64, Vec<f64>) {
    let lo = vals.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    (lo - BAND_MARGIN, hi + BAND_MARGIN, vals)
}

/// The files of an export of `exp` (trained, or loaded from a model file) to `framework`.
pub fn files(
    exp: &mut Experiment,
    framework: &str,
    band: (f64, f64, Vec<f64>),
    speed: f64,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let fw = self::framework(framework)?;
    if let Some(why) = refuse(&exp.spec) {
        return Err(format!("this experiment cannot be exported exactly: {why}"));
    }
    let spec = exp.spec.clone();
    let (train, val) = (csv(&exp.train), csv(&exp.val));
    let sums = format!(
        "{}  train.csv\n{}  val.csv\n",
        sha256(train.as_bytes()),
        sha256(val.as_bytes())
    );
    let recipe = recipe(exp, &band, speed);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("json") + "\n";
    let readme = readme(&spec, fw, &recipe);
    Ok(vec![
        ("data/train.csv".into(), train.into_bytes()),
        ("data/val.csv".into(), val.into_bytes()),
        ("data/SHA256SUMS".into(), sums.into_bytes()),
        (
            "model.json".into(),
            exp.model.to_json(&spec.format()).into_bytes(),
        ),
        ("recipe.json".into(), pretty(&recipe).into_bytes()),
        (
            "probes.json".into(),
            pretty(&json!(probes(exp))).into_bytes(),
        ),
        ("experiment.py".into(), fw.code.as_bytes().to_vec()),
        (
            "requirements.txt".into(),
            fw.requirements.as_bytes().to_vec(),
        ),
        ("README.md".into(), readme.into_bytes()),
    ])
}

/// What `recipe.json` says: the spec, the head and training settings spelt out, the
/// playground's own figures and the band the exported run should land in.
fn recipe(exp: &mut Experiment, band: &(f64, f64, Vec<f64>), speed: f64) -> serde_json::Value {
    let spec = exp.spec.clone();
    let m = exp.metrics();
    let head = &exp.model.head;
    json!({
        "spec": spec.format(),
        "head": {
            "components": head.k,
            "output_dim": head.d,
            "covariance": spec.cov.name(),
            "sigma_map": spec.sigma.name(),
            "sigma_min": spec.sigma_min,
            "pi_floor": spec.pi_floor,
        },
        "train": {
            "hidden": spec.hidden,
            "activation": spec.act.name(),
            "optimizer": spec.opt.name(),
            "lr": spec.lr,
            "schedule": spec.schedule.name(),
            "momentum": spec.momentum,
            "batch": match spec.batch {
                crate::optim::batches::Batch::All => json!("all"),
                crate::optim::batches::Batch::Size(b) => json!(b),
            },
            "steps": spec.steps,
            "clip": spec.clip,
            "weight_decay": spec.weight_decay,
            "noise_x": spec.noise_x,
            "noise_y": spec.noise_y,
        },
        "playground": {
            "step": exp.step,
            "val_nll": m.val_nll,
            "baseline_val_nll": m.baseline_val_nll,
            "steps_per_s": speed,
        },
        "band": {
            "val_nll": [band.0, band.1],
            "how": format!(
                "the playground's validation NLL after {} steps over seeds {}..{} ({:?}), widened by {} nat each side",
                spec.steps, spec.seed, spec.seed + BAND_SEEDS - 1, band.2, BAND_MARGIN
            ),
        },
    })
}

fn readme(spec: &Spec, fw: &Framework, recipe: &serde_json::Value) -> String {
    format!(
        "# A mixture density network from MDN Playground, in {title}\n\n\
The experiment `{spec}`.\n\n```sh\n{run}```\n\n\
## What is here\n\n\
- `data/train.csv`, `data/val.csv`: the data exactly as the playground drew them (its \
random streams are not NumPy's or {title}'s, so they could not be redrawn); `data/SHA256SUMS` \
holds their SHA-256, checked before every run.\n\
- `model.json`: the playground's model file, with the trained weights (see its README for \
the layout): the network, the mixture head, the input standardisation, and the MSE \
regressor beside it.\n\
- `recipe.json`: the training recipe (optimizer and its constants, initialisation, \
schedule, batches, clipping, weight decay, noise regularisation), the playground's own \
results, and the band a retrain should land in.\n\
- `probes.json`: inputs and outputs, some far in the tails, with the playground's ln p(y|x).\n\
- `experiment.py`: the model, its negative log-likelihood by log-sum-exp, the σ map and \
floor, and the training loop, written plainly to be kept and extended.\n\n\
## What is exact, and what is not\n\n\
- **Exact**: the data (byte for byte) and the trained weights. `check` evaluates them in \
float64 and compares ln p(y|x) with the playground's at every probe: the largest relative \
error is printed. The probes' values are the playground's own, from the same float32 \
weights evaluated in float64, so a faithful implementation agrees to about 1e-14; `check` \
fails above 1e-5. \
It also prints the validation NLL of the MDN and of the MSE regressor beside the \
playground's.\n\
- **Not the same bits**: `train`. It follows the same recipe (Glorot-uniform \
initialisation, the same optimizer constants, schedule, batch size, clipping, weight decay \
and noise), but its random streams (initial weights, batch order, noise) are {streams}, \
not the playground's ChaCha streams, and its arithmetic may fuse multiply-adds. \
A retrain therefore lands in a band, not on the same number: {band}.\n\n\
## More devices\n\n{devices}\n",
        title = fw.title,
        spec = spec.format(),
        run = fw.run,
        streams = fw.streams,
        devices = fw.devices,
        band = recipe["band"]["how"].as_str().unwrap_or("")
    )
}

/// The files as a zip archive (stored, not compressed: the page's download; the CLI
/// writes a folder). CRC-32 as PNG's, little-endian fields as the format asks.
pub fn zip(files: &[(String, Vec<u8>)], folder: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, bytes) in files {
        let name = format!("{folder}/{name}");
        let crc = crate::plot::svg::crc32(bytes);
        let offset = out.len() as u32;
        // Local file header.
        le32(&mut out, 0x0403_4b50);
        for x in [20u16, 0, 0, 0, 0x21] {
            le16(&mut out, x); // version, flags, stored, time, date (1980-01-01)
        }
        le32(&mut out, crc);
        le32(&mut out, bytes.len() as u32);
        le32(&mut out, bytes.len() as u32);
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(bytes);
        // Its central directory entry.
        le32(&mut central, 0x0201_4b50);
        for x in [20u16, 20, 0, 0, 0, 0x21] {
            le16(&mut central, x);
        }
        le32(&mut central, crc);
        le32(&mut central, bytes.len() as u32);
        le32(&mut central, bytes.len() as u32);
        le16(&mut central, name.len() as u16);
        for x in [0u16, 0, 0, 0] {
            le16(&mut central, x); // extra, comment, disk, internal attributes
        }
        le32(&mut central, 0); // external attributes
        le32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (start, size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    for x in [0u16, 0, files.len() as u16, files.len() as u16] {
        le16(&mut out, x);
    }
    le32(&mut out, size);
    le32(&mut out, start);
    le16(&mut out, 0);
    out
}

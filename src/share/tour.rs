//! The guided tour: the seed's story in nine steps, each an experiment to open, what to
//! look at, one thing to try, and (where the metrics can tell) whether the learner did it.
//! A step is a link key (`tour=3`), so a teacher can embed or assign one step.

use crate::config::spec::Spec;
use crate::lang::Lang;
use crate::train::experiment::Metrics;

/// One step of the tour.
pub struct Step {
    pub title: &'static str,
    /// The experiment the step opens (spec keys of a link).
    pub spec: &'static str,
    /// A second experiment opened beside it, where the step contrasts two settings: the
    /// keys it changes (`compare=`; empty: none).
    pub compare: &'static str,
    /// What to look at.
    pub look: &'static str,
    /// One thing to try.
    pub try_this: &'static str,
    /// How the page tells that the learner did it (from the spec and the metrics).
    pub goal: Goal,
}

/// What a step's "try this" asks for, as the page can read it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goal {
    /// Nothing the metrics can tell (the step asks to look, not to change).
    Look,
    /// Training has gone on for this many steps.
    Trained(u64),
    /// The MDN's validation NLL is this many nats below the MSE regressor's.
    BeatBaseline(f64),
    /// At least `k` components, and a validation NLL below `nll`.
    Components { k: usize, nll: f64 },
    /// Dead components re-initialised (`reinit_dead` on), and at most `dead` left.
    Revived { dead: usize },
    /// A σ floor or noise regularisation on, `steps` trained, validation NLL below `nll`.
    Regularised { steps: u64, nll: f64 },
    /// The MDN's pose misses the target by less than `ratio` times the MSE regressor's.
    Reach { ratio: f64 },
}

pub const STEPS: &[Step] = &[
    Step {
        title: "The average is no answer",
        spec: "data=bishop-inverse",
        compare: "",
        look: "The white line is a regressor trained with squared error. Where x has three \
               valid values of y, it runs between the branches, through the empty space: it \
               learns the conditional mean, and the mean of three answers is none of them.",
        try_this: "Press play and let it train for 1000 steps. The white line settles where it \
                   is: more training does not move it onto a branch.",
        goal: Goal::Trained(1000),
    },
    Step {
        title: "The mixture finds the branches",
        spec: "data=bishop-inverse",
        compare: "",
        look: "The coloured lines are the mixture's component means μₖ(x), each as opaque as \
               its weight πₖ(x). As training goes on they move onto the branches, and the \
               heatmap of p(y|x) lights up along all three.",
        try_this: "Train until the MDN's validation NLL (in the status line) is 0.8 nats below \
                   the MSE regressor's.",
        goal: Goal::BeatBaseline(0.8),
    },
    Step {
        title: "One slice, and the truth",
        spec: "data=bishop-inverse&steps=3000",
        compare: "",
        look: "The slice panel shows the model's p(y | x₀) at one input and, dashed, the true \
               density the data came from: every t whose curve passes within the noise (±0.1) \
               of x₀ is equally likely. At x₀ = 0.5, where the slice starts, the three \
               branches overlap into one flat band, t from 0.15 to 0.85; the mixture makes it \
               of a few bumps.",
        try_this: "Train, then point at the main plot (or focus it and press ← →) to move x₀ to \
                   0.35: the truth splits into two pieces (t from 0.09 to 0.18 and from 0.56 \
                   to 0.75) and the MSE prediction (black) sits in the empty gap between \
                   them (about 0.45 once trained). At 0.3 one branch is left.",
        goal: Goal::Look,
    },
    Step {
        title: "Too few components",
        spec: "k=1&n=2000&steps=2000",
        compare: "k=3",
        look: "Two experiments side by side, on the same data from the same start. In A, with \
               K = 1, the mixture is a single Gaussian: it can only widen to cover all \
               branches, and its validation NLL stays near −0.6, far from the best possible \
               −1.28 (the green line in the loss panel). B, the same network with K = 3, \
               finds the branches and gets below −1.0. The difference panel is red where A \
               puts more probability (between the branches) and blue where B does (on them).",
        try_this: "Press Play to train both. Then give A more components than B: set k to 5 in \
                   the Experiment panel and train again, until A's validation NLL is below \
                   −1.0. Does the difference panel still show much?",
        goal: Goal::Components { k: 3, nll: -1.0 },
    },
    Step {
        title: "Unused (dead) components",
        spec: "k=30&n=2000&steps=2000",
        compare: "",
        look: "With 30 components most end with an average π near zero, unused (the \
               diagnostics above the plot count them): a component that explains no data gets \
               no gradient to come back. Spare components are no fault in themselves, but \
               here the fit stays 0.18 nats short of the truth.",
        try_this: "Set reinit_dead to 200 (move unused components onto badly explained points \
                   every 200 steps) and train again, until at most 10 are unused.",
        goal: Goal::Revived { dead: 10 },
    },
    Step {
        title: "Variance collapse, and the σ floor",
        spec: "n=30&k=12&hidden=32,32&sigma_min=0&batch=all&steps=3000",
        compare: "sigma_min=0.1",
        look: "With 30 points, 12 components and no floor on σ (A), components shrink onto \
               single training points: the training NLL keeps falling while the validation \
               NLL climbs above +4, and the smallest σ heads for zero. B is the same with \
               σ ≥ 0.1: its σ stops at the floor and its validation NLL ends near +2; 30 \
               points still overfit.",
        try_this: "Press Play for the 3000 steps of both. Then add noise_y = 0.05 and \
                   noise_x = 0.2 (noise on the targets and inputs at every step; B gets it \
                   too) and train again, until A's validation NLL is below 0.",
        goal: Goal::Regularised {
            steps: 3000,
            nll: 0.0,
        },
    },
    Step {
        title: "The robot arm's two elbows",
        spec: "data=arm",
        compare: "",
        look: "A target for the hand can be reached elbow up or elbow down. The black arm uses \
               the angles the MSE regressor predicts, the average of both poses: its hand \
               misses. Each coloured arm is one mixture component: a valid pose.",
        try_this: "Train, then drag the target around the workspace, until the MDN's best pose \
                   misses by less than a third of the MSE regressor's miss (status line).",
        goal: Goal::Reach { ratio: 1.0 / 3.0 },
    },
    Step {
        title: "What the model does not know",
        spec: "gap=0.35,0.55&ensemble=5&n=2000&steps=1500",
        compare: "",
        look: "No training point has x from 0.35 to 0.55 (the shaded band), yet one MDN \
               still draws a confident density there: its spread is the noise it saw \
               (aleatoric), not what it could not see. Five networks from different starts \
               agree where the data decided and part where nothing did; their disagreement \
               is the epistemic uncertainty.",
        try_this: "Press play for the 1500 steps, then \"Train the other 4 members\" in the \
                   panel \"Two kinds of uncertainty\": the orange epistemic curve rises about a \
                   hundredfold inside the gap while the blue aleatoric one does not. Then \
                   clear the gap field and do it again: the bump is gone.",
        goal: Goal::Look,
    },
    Step {
        title: "Real data, where no one knows the truth",
        spec: "data=faithful&k=3&hidden=8,8&steps=2000&noise_x=0.1&noise_y=0.15",
        compare: "k=1",
        look: "Old Faithful's eruptions: after a short wait the eruption is short, after a \
               long one mostly long, and in between both happen. No one knows the true \
               density here, so there is no Bayes line: the green line in the loss panel is a \
               kernel density estimate, the first thing a statistician would fit, and the \
               validation set is a fifth of 272 points. B is the same network with K = 1: \
               one Gaussian whose σ moves with x (a heteroscedastic regressor).",
        try_this: "Train until A's validation NLL is 0.05 nats below the MSE regressor's, and \
                   see whether it beats the kernel estimate and B too. Which of the four wins, \
                   and is the difference larger than the noise of 54 held-out points?",
        goal: Goal::BeatBaseline(0.05),
    },
];

/// What the page says when the learner has done what the step asks, in `lang`; `None`
/// while not.
pub fn achieved(goal: Goal, spec: &Spec, m: &Metrics, lang: Lang) -> Option<String> {
    let f = |v: f64| lang.signed(v, 2);
    let n = |v: &dyn std::fmt::Display| v.to_string();
    let say = |template: &'static str, parts: &[String]| {
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        lang.fill(template, &parts)
    };
    match goal {
        Goal::Look => None,
        Goal::Trained(steps) => (m.step >= steps).then(|| {
            say(
                "Done: {0} steps, and the regressor's validation NLL is {1} nats; its line \
                 stays between the branches.",
                &[n(&m.step), f(m.baseline_val_nll)],
            )
        }),
        Goal::BeatBaseline(by) => (m.val_nll <= m.baseline_val_nll - by).then(|| {
            say(
                "Done: the MDN's validation NLL is {0} nats, the regressor's {1}: {2} nats \
                 better per point.",
                &[
                    f(m.val_nll),
                    f(m.baseline_val_nll),
                    f(m.baseline_val_nll - m.val_nll),
                ],
            )
        }),
        Goal::Components { k, nll } => (spec.k >= k && m.val_nll < nll).then(|| {
            say(
                "Done: with K = {0} the validation NLL is {1} nats.",
                &[n(&spec.k), f(m.val_nll)],
            )
        }),
        Goal::Revived { dead } => {
            (spec.reinit_dead > 0 && m.step >= spec.steps.min(1000) && m.dead_components <= dead)
                .then(|| {
                    say(
                        "Done: {0} components unused, {1} re-initialised so far.",
                        &[n(&m.dead_components), n(&m.reinitialised)],
                    )
                })
        }
        Goal::Regularised { steps, nll } => {
            let on = spec.sigma_min > 0.0 || spec.noise_x > 0.0 || spec.noise_y > 0.0;
            (on && m.step >= steps && m.val_nll < nll).then(|| {
                let plain = |v: f64| lang.number(v);
                say(
                    "Done: σ floor {0}, noise {1} on x and {2} on y: the validation NLL is {3} \
                     nats after {4} steps.",
                    &[
                        plain(spec.sigma_min),
                        plain(spec.noise_x),
                        plain(spec.noise_y),
                        f(m.val_nll),
                        n(&m.step),
                    ],
                )
            })
        }
        Goal::Reach { ratio } => match (m.mdn_fk_error, m.baseline_fk_error) {
            (Some(a), Some(b)) if a < ratio * b => Some(say(
                "Done: the MDN's pose misses by {0} on average, the MSE regressor's by {1}.",
                &[lang.signed(a, 3), lang.signed(b, 3)],
            )),
            _ => None,
        },
    }
}

//! Exercises with a goal the engine can check (`goal=`): one to four conditions on the
//! metrics of a step and the spec ("val_nll<-1.0", "k=1,beat>0"), or the name of a
//! built-in exercise ([`EXERCISES`]). The page shows the task beside the plot, says
//! "Done" with the numbers once every condition holds, and tells a host page
//! (`mdn:goal`). Read and checked here, like every link value.

use crate::config::spec::Spec;
use crate::lang::{en, Lang};
use crate::train::experiment::Metrics;

/// How a goal's problems are written, to be told again in the page's language
/// ([`crate::lang::Lang::retell`]).
pub const SAID: &[&str] = &[AT_MOST, NO_COMPARISON, NOT_A_MEASURE, NOT_A_NUMBER];

const AT_MOST: &str = "at most {0} conditions";
const NO_COMPARISON: &str = "{0} has no comparison (<, <=, >, >=, =)";
const NOT_A_MEASURE: &str = "{0} is not a measure a goal can name";
const NOT_A_NUMBER: &str = "{0} is not a number";

/// The longest `goal=` text.
pub const GOAL_MAX: usize = 120;

/// What a goal can ask about: its name in a goal, what it is, and how it is read.
pub struct Measure {
    pub name: &'static str,
    pub meaning: &'static str,
    read: fn(&Spec, usize, &Metrics) -> Option<f64>,
}

/// Every measure a goal can name. `outputs` is the network's output count for the data's
/// output dimension (the second argument of `read`).
pub const MEASURES: &[Measure] = &[
    Measure {
        name: "val_nll",
        meaning: "the MDN's validation NLL (nats per point)",
        read: |_, _, m| Some(m.val_nll),
    },
    Measure {
        name: "train_nll",
        meaning: "the MDN's NLL on the training set",
        read: |_, _, m| Some(m.train_nll),
    },
    Measure {
        name: "beat",
        meaning: "how many nats the MDN's validation NLL is below the MSE regressor's",
        read: |_, _, m| Some(m.baseline_val_nll - m.val_nll),
    },
    Measure {
        name: "bayes_gap",
        meaning: "how many nats the MDN's validation NLL is above the best possible (where known)",
        read: |_, _, m| m.bayes_nll.map(|b| m.val_nll - b),
    },
    Measure {
        name: "dead",
        meaning: "the components left unused",
        read: |_, _, m| Some(m.dead_components as f64),
    },
    Measure {
        name: "min_sigma",
        meaning: "the smallest σ of a component in use",
        read: |_, _, m| Some(m.min_sigma),
    },
    Measure {
        name: "fk_miss",
        meaning: "the robot arm only: how far the MDN's pose misses the target, on average",
        read: |_, _, m| m.mdn_fk_error,
    },
    Measure {
        name: "step",
        meaning: "the steps trained",
        read: |_, _, m| Some(m.step as f64),
    },
    Measure {
        name: "k",
        meaning: "the mixture's components K (the spec's k)",
        read: |s, _, _| Some(s.k as f64),
    },
    Measure {
        name: "outputs",
        meaning: "the numbers the network outputs for the data's outputs",
        read: |s, d, _| Some(s.head(d).outputs() as f64),
    },
];

/// How a measure is compared with the goal's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Below,
    AtMost,
    Above,
    AtLeast,
    Equal,
}

/// The operators as written in a goal, longest first (so that "<=" is not read as "<").
const OPS: &[(&str, Op)] = &[
    ("<=", Op::AtMost),
    (">=", Op::AtLeast),
    ("<", Op::Below),
    (">", Op::Above),
    ("=", Op::Equal),
];

/// One condition: a measure ([`MEASURES`]), an operator and a number.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub measure: usize,
    pub op: Op,
    pub value: f64,
}

/// A goal: every condition must hold at one step; with the task in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub conditions: Vec<Condition>,
    /// The built-in exercise's name, if the goal is one.
    pub exercise: Option<&'static str>,
}

/// A built-in exercise: its name in a link, its goal and its task.
pub struct Exercise {
    pub name: &'static str,
    pub goal: &'static str,
    pub task: &'static str,
}

/// The built-in exercises: the seed page's two.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "outputs",
        goal: "outputs=30",
        task: "An MDN with K Gaussian components for one output has a mixing logit, a mean \
               and a scale per component. Set K so that the network outputs 30 numbers.",
    },
    Exercise {
        name: "k1",
        goal: "k=1,step>=300,beat>0.1",
        task: "Train the MDN with K = 1, at least 300 steps, until its validation NLL is 0.1 \
               nats below the MSE regressor's. With one component it is a Gaussian whose mean and σ both move \
               with x: which loss does it minimise, and why is that not squared error?",
    },
];

/// At most this many conditions.
const MAX_CONDITIONS: usize = 4;

impl Goal {
    /// Reads a goal: a built-in exercise's name, or conditions separated by commas.
    pub fn parse(text: &str) -> Result<Goal, String> {
        let text = text.trim();
        if let Some(e) = EXERCISES.iter().find(|e| e.name == text) {
            let mut g = Goal::parse(e.goal)?;
            g.exercise = Some(e.name);
            return Ok(g);
        }
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts.len() > MAX_CONDITIONS {
            return Err(en(AT_MOST, &[&MAX_CONDITIONS]));
        }
        let conditions = parts
            .iter()
            .map(|p| condition(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Goal {
            conditions,
            exercise: None,
        })
    }

    /// The goal as a link writes it.
    pub fn format(&self) -> String {
        if let Some(name) = self.exercise {
            return name.to_string();
        }
        let part = |c: &Condition| {
            let op = OPS.iter().find(|(_, o)| *o == c.op).map_or("=", |(s, _)| s);
            format!("{}{op}{}", MEASURES[c.measure].name, c.value)
        };
        self.conditions
            .iter()
            .map(part)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The task in words.
    pub fn task(&self) -> String {
        self.task_in(Lang::En)
    }

    /// The task in words, in `lang`.
    pub fn task_in(&self, lang: Lang) -> String {
        if let Some(e) = EXERCISES.iter().find(|e| Some(e.name) == self.exercise) {
            return lang.t(e.task).to_string();
        }
        let part = |c: &Condition| {
            let m = &MEASURES[c.measure];
            let n = number(c.value, lang);
            lang.fill(op_words(c.op), &[lang.t(m.meaning), &n])
        };
        let all: Vec<String> = self.conditions.iter().map(part).collect();
        lang.fill("Train until {0}.", &[&all.join(lang.t(", and "))])
    }

    /// Whether the goal is met at these metrics, with the numbers: `Some` sentence once
    /// every condition holds.
    pub fn met(&self, spec: &Spec, dout: usize, m: &Metrics) -> Option<String> {
        self.met_in(spec, dout, m, Lang::En)
    }

    /// As [`Goal::met`], the sentence in `lang`.
    pub fn met_in(&self, spec: &Spec, dout: usize, m: &Metrics, lang: Lang) -> Option<String> {
        let mut said = Vec::new();
        for c in &self.conditions {
            let measure = &MEASURES[c.measure];
            let v = (measure.read)(spec, dout, m).filter(|v| v.is_finite())?;
            if !holds(c.op, v, c.value) {
                return None;
            }
            said.push(format!("{} = {}", measure.name, number(v, lang)));
        }
        let step = m.step.to_string();
        Some(lang.fill("Done at step {0}: {1}.", &[&step, &said.join(", ")]))
    }
}

fn holds(op: Op, v: f64, goal: f64) -> bool {
    match op {
        Op::Below => v < goal,
        Op::AtMost => v <= goal,
        Op::Above => v > goal,
        Op::AtLeast => v >= goal,
        Op::Equal => (v - goal).abs() <= 1e-9 * goal.abs().max(1.0),
    }
}

/// A condition in words: `{0}` the measure, `{1}` the number.
fn op_words(op: Op) -> &'static str {
    match op {
        Op::Below => "{0} is below {1}",
        Op::AtMost => "{0} is at most {1}",
        Op::Above => "{0} is above {1}",
        Op::AtLeast => "{0} is at least {1}",
        Op::Equal => "{0} is equal to {1}",
    }
}

/// A number as the page writes it: three decimals at most, a true minus sign, the
/// language's decimal mark.
fn number(v: f64, lang: Lang) -> String {
    let text = crate::base::text::signed(v, 3);
    lang.decimal(match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    })
}

/// One condition: `measure op number`, the number finite and at most 10⁶ in size.
fn condition(text: &str) -> Result<Condition, String> {
    let (at, op, len) = OPS
        .iter()
        .filter_map(|(s, op)| text.find(s).map(|i| (i, *op, s.len())))
        .min_by_key(|(i, _, len)| (*i, usize::MAX - len))
        .ok_or_else(|| en(NO_COMPARISON, &[&format!("{text:?}")]))?;
    let name = text[..at].trim();
    let measure = MEASURES
        .iter()
        .position(|m| m.name == name)
        .ok_or_else(|| en(NOT_A_MEASURE, &[&format!("{name:?}")]))?;
    let raw = text[at + len..].trim().replace('−', "-");
    let value: f64 = raw
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| en(NOT_A_NUMBER, &[&format!("{raw:?}")]))?;
    Ok(Condition {
        measure,
        op,
        value: value.clamp(-1e6, 1e6),
    })
}

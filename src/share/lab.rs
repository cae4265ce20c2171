//! The pathology lab: experiments that reliably go wrong in a known way, each with the
//! remedies that fix it. The page lists them as share links, the README names them, and
//! tests/native/pathologies.rs checks each failure and each fix by the diagnostics' numbers.

/// One failure and its fixes. Every spec is a complete share-link hash (without `#`).
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub spec: &'static str,
    /// What to look at, in a sentence.
    pub shows: &'static str,
    /// (what the remedy is, the spec with it).
    pub fixes: &'static [(&'static str, &'static str)],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "collapse",
        title: "Variance collapse: 30 points, no σ floor",
        spec: "n=30&k=12&hidden=32,32&sigma_min=0&batch=all&steps=3000",
        shows: "components shrink onto single training points: the training NLL keeps \
                falling while the validation NLL climbs above +4, and the smallest σ \
                heads for zero",
        fixes: &[(
            "noise regularization (noise on inputs and targets)",
            "n=30&k=12&hidden=32,32&sigma_min=0&batch=all&steps=3000&noise_x=0.2&noise_y=0.05",
        )],
    },
    Preset {
        id: "dead",
        title: "Dead components: K = 30",
        spec: "k=30&n=2000&steps=2000",
        shows: "most components end with an average π near zero: they explain no data and \
                get no gradient to come back",
        fixes: &[
            (
                "re-initialise dead components every 200 steps",
                "k=30&n=2000&steps=2000&reinit_dead=200",
            ),
            (
                "diverse initial means, and re-initialisation",
                "k=30&n=2000&steps=2000&reinit_dead=200&init=diverse",
            ),
        ],
    },
    Preset {
        id: "one",
        title: "Too few components: K = 1 on the inverse problem",
        spec: "k=1&n=2000&steps=2000",
        shows: "a single Gaussian can only widen to cover all branches: the validation NLL \
                stays near −0.6, far from the best possible −1.28",
        fixes: &[("five components", "k=5&n=2000&steps=2000")],
    },
    Preset {
        id: "stretched",
        title: "One component across both elbows (robot arm, full covariance)",
        spec: "data=arm&cov=full&seed=2",
        shows: "a full covariance lets one thin component stretch across the elbow-up and \
                elbow-down solutions; its mean, between them, misses the target like the MSE \
                regressor does",
        fixes: &[(
            "diverse initial means",
            "data=arm&cov=full&seed=2&init=diverse",
        )],
    },
    Preset {
        id: "blowup",
        title: "A step that blows up: SGD at lr 1 with momentum 0.99, no σ floor",
        spec: "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
        shows: "within a few steps a loss or gradient stops being a finite number: training \
                stops, the models go back to the last finite step, and the page says why",
        fixes: &[(
            "Adam at lr 0.01",
            "opt=adam&lr=0.01&momentum=0.99&sigma_min=0&n=200&steps=500",
        )],
    },
];

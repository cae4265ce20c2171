use mdn_playground::{Experiment, Spec};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let spec = Spec::parse(&a[1]).unwrap();
    let mut e = Experiment::new(&spec);
    let t = std::time::Instant::now();
    let mut out = String::new();
    for chunk in 0..6 {
        e.train(spec.steps / 6);
        let m = e.metrics();
        out += &format!(" {}:{:.3}/{:.3}@{:.1}s", (chunk + 1) * spec.steps / 6, m.train_nll, m.val_nll, t.elapsed().as_secs_f64());
    }
    println!("{}{}", a[1], out);
}

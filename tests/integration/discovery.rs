//! Directory discovery finds logs by their content, whatever their names, and never takes
//! prose, code, configs or binary data for logs.

use crate::util::Env;

const LOG: &str = "epoch 1 step 10 loss=0.9 acc=0.5\n\
                   epoch 1 step 20 loss=0.8 acc=0.6\n\
                   epoch 2 step 30 loss=0.7 acc=0.7\n\
                   epoch 2 step 40 loss=0.6 acc=0.8\n";

#[test]
fn logs_with_odd_names_are_found_by_content() {
    let env = Env::new();
    let root = env.dir.path().join("exp");
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::create_dir_all(root.join("b")).unwrap();
    // Logs named without an extension, or with one that says nothing about logs.
    std::fs::write(root.join("a/lasttry"), LOG).unwrap();
    std::fs::write(root.join("b/results.rb"), LOG).unwrap();
    // Prose without an extension, a script that prints metrics, a config, binary data.
    std::fs::write(
        root.join("a/NOTES"),
        "We trained for 2 epochs.\nThe loss went down.\nNext: more data.\n",
    )
    .unwrap();
    let script = "for epoch in range(3):\n    print(f'epoch {epoch} step 10 loss=0.5')\n".repeat(5);
    std::fs::write(root.join("a/train.py"), script).unwrap();
    std::fs::write(root.join("a/hparams.yaml"), "epoch: 3\nlr: 0.1\n").unwrap();
    let mut binary = LOG.as_bytes().to_vec();
    binary.extend_from_slice(&[0, 1, 2, 3]);
    std::fs::write(root.join("b/weights"), binary).unwrap();
    let out = env
        .cmd()
        .args(["import", root.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // Named as any log: a stem that says something is kept, `results` is generic.
    assert_eq!(env.run_names(), ["a/lasttry", "b"], "{err}");
    for run in ["a/lasttry", "b"] {
        assert_eq!(env.series(run, "loss").steps, [10, 20, 30, 40], "{err}");
    }
    for not in ["NOTES", "train.py", "hparams.yaml", "weights"] {
        assert!(!err.contains(not), "{not} was read: {err}");
    }
}

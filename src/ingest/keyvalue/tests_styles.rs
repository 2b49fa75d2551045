//! Console styles of particular libraries, read by the general rules.

use super::tests::points;

#[test]
fn meters_keep_the_value_and_the_running_average() {
    assert_eq!(
        points("step 3 | loss 0.42 (0.51) | lr 0.1\n"),
        vec![
            ("loss".into(), 3, 0.42),
            ("loss_avg".into(), 3, 0.51),
            ("lr".into(), 3, 0.1)
        ]
    );
}

#[test]
fn pytorch_progress_meter_lines() {
    let text = "Epoch: [0][  10/5005]\tTime  0.512 ( 0.823)\tLoss 6.9063e+00 (6.9201e+00)\tAcc@1   0.00 (  0.09)\n\
                Epoch: [1][   0/5005]\tTime  0.498 ( 0.498)\tLoss 5.1000e+00 (5.1000e+00)\tAcc@1  10.00 ( 10.00)\n";
    let v = points(text);
    assert!(v.contains(&("loss".into(), 10, 6.9063)), "{v:?}");
    assert!(v.contains(&("loss_avg".into(), 10, 6.9201)), "{v:?}");
    assert!(v.contains(&("acc@1_avg".into(), 10, 0.09)), "{v:?}");
    // The batch counter restarts each epoch: epochs are laid end to end.
    assert!(v.contains(&("loss".into(), 5005, 5.1)), "{v:?}");
}

#[test]
fn a_parenthesized_word_is_not_an_average() {
    assert_eq!(
        points("step 3 loss=0.5 (best)\n"),
        vec![("loss".into(), 3, 0.5)]
    );
}

#[test]
fn deepspeed_lines_code_locations_and_one_number_lists() {
    let text = "[2023-05-01 10:00:00,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=0, lr=[0.0001], mom=[(0.9, 0.999)]\n\
                [2023-05-01 10:00:05,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=20, skipped=0, lr=[0.0002], mom=[(0.9, 0.999)]\n";
    let v = points(text);
    assert!(v.contains(&("lr".into(), 10, 0.0001)), "{v:?}");
    assert!(v.contains(&("lr".into(), 20, 0.0002)), "{v:?}");
    // `logging.py:96` is where the line was logged, not a metric.
    assert!(v.iter().all(|(k, ..)| !k.contains(".py")), "{v:?}");
    // A list of several numbers is one value per parameter group; a list of tuples is none.
    assert_eq!(
        points("step 1 lr=[0.1, 0.01] mom=[(0.9, 0.95)] loss=0.5\n"),
        vec![
            ("lr_0".into(), 1, 0.1),
            ("lr_1".into(), 1, 0.01),
            ("loss".into(), 1, 0.5)
        ]
    );
}

#[test]
fn glog_headers_and_steps_numbered_with_a_hash() {
    let text = "I0429 20:19:57.186732 139761460909888 train.py:276] Step 0: Validation accuracy = 8.20% (N=4352)\n\
                I0429 20:20:04.287605 139761460909888 train.py:224] Step #1: rate 0.000000, accuracy 3.91%, cross entropy 2.522507\n\
                I0429 20:20:04.751359 139761460909888 train.py:224] Step #2: rate 0.000001, accuracy 6.25%, cross entropy 2.524929\n";
    let v = points(text);
    assert!(v.iter().all(|(k, ..)| !k.contains(".py")), "{v:?}");
    assert!(v.contains(&("accuracy".into(), 2, 6.25)), "{v:?}");
    // TensorFlow's C++ logging: a date, a time, a colon, a severity letter and a location.
    let tf = "2022-04-29 20:19:39.101929: I tensorflow/platform/dso_loader.cc:49] Successfully opened dynamic library libcuda.so.1\n\
              Step 3: loss 0.5\n";
    assert_eq!(points(tf), vec![("loss".into(), 3, 0.5)]);
    assert!(v.contains(&("cross_entropy".into(), 1, 2.522507)), "{v:?}");
}

#[test]
fn a_key_that_counts_is_the_step_of_a_log_without_step_words() {
    let text = "s:0 tel:10.96\ns:0 trl:10.97\ns:1 trl:10.81\ns:2 trl:10.54\ns:3 trl:10.26\n";
    assert_eq!(
        points(text),
        vec![
            ("tel".into(), 0, 10.96),
            ("trl".into(), 0, 10.97),
            ("trl".into(), 1, 10.81),
            ("trl".into(), 2, 10.54),
            ("trl".into(), 3, 10.26)
        ]
    );
    // A first key that is not whole, or goes back, counts nothing: the step is the line.
    let loss = "loss:0.9 acc:1\nloss:0.8 acc:2\nloss:0.7 acc:3\n";
    assert_eq!(points(loss)[2], ("loss".into(), 1, 0.8));
    let back = "n:5 a:1\nn:3 a:2\nn:7 a:3\n";
    assert_eq!(points(back)[0], ("n".into(), 0, 5.0));
}

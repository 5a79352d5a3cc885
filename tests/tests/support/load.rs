//! Many concurrent calls through one client, and the file descriptors they leave behind.

use std::time::{Duration, Instant};

use chia_rpc::{Client, ServiceClients};

/// How `calls` concurrent `get_blockchain_state` calls through one client went.
pub struct Burst {
    pub ok: usize,
    pub errors: Vec<String>,
    pub took: Duration,
}

/// Sends `calls` `get_blockchain_state` calls at once, each on a task of its own.
pub async fn burst(client: &Client, calls: usize) -> Burst {
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let call = client.full_node().get_blockchain_state();
            tokio::spawn(std::future::IntoFuture::into_future(call))
        })
        .collect();
    let mut ok = 0;
    let mut errors = Vec::new();
    for task in tasks {
        match task.await {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(err)) => errors.push(err.to_string()),
            Err(join) => errors.push(format!("task failed: {join}")),
        }
    }
    Burst { ok, errors, took: started.elapsed() }
}

/// The process's open file descriptors.
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|dir| dir.count()).unwrap_or(0)
}

/// Waits up to `patience` for the open file descriptors to fall to `baseline` or below;
/// returns the last count.
pub async fn settle_fds(baseline: usize, patience: Duration) -> usize {
    let until = Instant::now() + patience;
    loop {
        let now = open_fds();
        if now <= baseline || Instant::now() >= until {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Prints what a burst of `calls` to `what` did, with the descriptors open `before` and
/// `during` it, and fails unless every call succeeded.
pub fn report(what: &str, result: &Burst, calls: usize, before: usize, during: usize) {
    println!(
        "load ({what}): {}/{calls} calls succeeded in {:.1} s, \
         file descriptors {before} before, {during} after",
        result.ok,
        result.took.as_secs_f64()
    );
    assert!(
        result.errors.is_empty(),
        "{} errors, the first: {:?}",
        result.errors.len(),
        &result.errors[..result.errors.len().min(3)]
    );
    assert_eq!(result.ok, calls);
}

//! Prints each step of `up` and `down` with the time since the start, and a summary at the end.

use std::time::{Duration, Instant};

/// Prints each step with the time since the start, and a summary at the end.
pub struct Clock {
    start: Instant,
    current: Option<(String, Instant)>,
    done: Vec<(String, Duration)>,
}

impl Clock {
    pub fn start() -> Self {
        Self { start: Instant::now(), current: None, done: Vec::new() }
    }

    pub fn step(&mut self, name: &str) {
        self.close();
        println!("\n[{:6.1}s] == {name}", self.start.elapsed().as_secs_f64());
        self.current = Some((name.to_owned(), Instant::now()));
    }

    fn close(&mut self) {
        if let Some((name, began)) = self.current.take() {
            self.done.push((name, began.elapsed()));
        }
    }

    pub fn summary(&mut self, title: &str) {
        self.close();
        println!("\n{title} in {:.1}s:", self.start.elapsed().as_secs_f64());
        for (name, took) in &self.done {
            println!("  {:7.1}s  {name}", took.as_secs_f64());
        }
    }
}

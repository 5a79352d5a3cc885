//! `chia-rpc events`: the daemon's pushes, typed, as JSON lines until interrupted.

use std::io::Write;
use std::process::ExitCode;

use chia_rpc::decode::Strictness;
use chia_rpc::ws::{Listener, Notice, Pushed};
use chia_rpc::{Event, Service};
use tokio_stream::StreamExt;

use crate::node::{self, Reach};

/// What to watch.
pub struct Watch {
    /// Only pushes of these services (all when empty).
    pub services: Vec<Service>,
    /// Only pushes with these commands (all when empty).
    pub events: Vec<String>,
    /// The listeners to register as (`wallet_ui` and `metrics` when empty).
    pub listeners: Vec<String>,
    /// Refuse pushes and fields the model does not know.
    pub strict: bool,
    /// Stop after this many pushes.
    pub count: Option<u64>,
}

/// Prints each push as one JSON object per line; connection notices go to standard error.
pub fn run(reach: &Reach, watch: Watch) -> Result<ExitCode, String> {
    let runtime = node::runtime()?;
    let config = reach.config(Service::Daemon)?;
    let listeners: Vec<Listener> = if watch.listeners.is_empty() {
        vec![Listener::WalletUi, Listener::Metrics]
    } else {
        watch.listeners.iter().map(|name| listener(name)).collect()
    };
    let daemon = reach.daemon(&runtime, &config, true, |mut builder| {
        for listener in listeners {
            builder = builder.listen(listener);
        }
        builder
    })?;
    let mut stream = daemon.events().strictness(if watch.strict {
        Strictness::Strict
    } else {
        Strictness::Lenient
    });
    for &service in &watch.services {
        stream = stream.service(service);
    }
    for event in &watch.events {
        stream = stream.command(event.clone());
    }
    let mut printed = 0;
    runtime.block_on(async {
        while watch.count.is_none_or(|count| printed < count) {
            match stream.next().await {
                None => return Err("the daemon connection ended".to_owned()),
                Some(Ok(Notice::Event(pushed))) => {
                    let line = json_line(&pushed);
                    let mut stdout = std::io::stdout().lock();
                    if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
                        // The reader went away (`| head`): done.
                        return Ok(());
                    }
                    printed += 1;
                }
                Some(Ok(Notice::Disconnected { reason })) => eprintln!("disconnected: {reason}"),
                Some(Ok(Notice::Reconnected)) => eprintln!("reconnected"),
                Some(Ok(Notice::Lagged { missed })) => eprintln!("fell behind: {missed} missed"),
                Some(Ok(other)) => eprintln!("{other:?}"),
                Some(Err(err)) => eprintln!("error: a push that does not decode: {err}"),
            }
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn listener(name: &str) -> Listener {
    match name {
        "wallet_ui" => Listener::WalletUi,
        "metrics" => Listener::Metrics,
        "unfinished_block_info" => Listener::UnfinishedBlockInfo,
        "chia_plotter" => Listener::Plotter,
        other => Listener::Named(other.to_owned()),
    }
}

/// `{"service", "origin", "command", "destination", "data"}`, where `data` is the push's own
/// JSON, which decoded into its typed event.
fn json_line(pushed: &Pushed) -> String {
    let event = &pushed.event;
    let service = match event {
        Event::Unknown(_) => None,
        _ => event.service().map(Service::name),
    };
    let head = serde_json::json!({
        "service": service,
        "origin": event.origin(),
        "command": event.command(),
        "destination": pushed.destination,
    })
    .to_string();
    // The data as it came, on one line: a JSON text has line breaks only between tokens.
    let data: String = String::from_utf8_lossy(&pushed.data)
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("{},\"data\":{}}}", head.trim_end_matches('}'), data.trim())
}

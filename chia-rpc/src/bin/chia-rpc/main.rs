//! `chia-rpc`: call the endpoints in chia-rpc's schema, or check captured replies against it.
//!
//! Every endpoint is a subcommand (`chia-rpc full_node get_blocks --start 0 --end 10`) whose
//! flags come from the table `cargo xtask codegen` writes (`schema_table.rs`); `call`, `decode`,
//! `list`, `events` and `completions` are written out here.

mod call;
mod daemon_message;
mod endpoints;
mod events;
mod flags;
mod node;
#[rustfmt::skip]
mod schema_table;
mod table;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use bytes::Bytes;
use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::{Endpoint, EndpointVisitor, Service, endpoint_names, visit_endpoint};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::call::{CallVisitor, Format, report};
use crate::node::Reach;

/// Typed Chia RPC from the command line, for every endpoint in chia-rpc's schema: `chia-rpc
/// SERVICE ENDPOINT --help` shows an endpoint's fields.
#[derive(Parser)]
#[command(name = "chia-rpc", version)]
struct Cli {
    #[command(subcommand)]
    command: Builtin,
}

#[derive(Subcommand)]
enum Builtin {
    /// Check a captured reply body against the typed model of an endpoint, or captured daemon
    /// messages as whole envelopes.
    ///
    /// `chia-rpc decode [--strict] SERVICE ENDPOINT [FILE|-]` checks one reply body.
    /// `chia-rpc decode [--strict] daemon-message [FILE|-]` checks daemon WebSocket messages
    /// (a request, a reply, a relayed reply or a push; one JSON object, or one per line).
    ///
    /// Exit 0: everything decodes (a reply is a success). Exit 3: a well-formed failure reply
    /// (`success: false`) and nothing worse. Exit 1: anything else, with the JSON path and the
    /// reason.
    Decode {
        /// Also refuse fields, enum values and pushes the model does not know.
        #[arg(long)]
        strict: bool,
        /// Service name as chia names it (full_node, simulator, wallet, farmer, …), or
        /// `daemon-message`.
        service: String,
        /// Route name, e.g. get_blockchain_state; for `daemon-message`, the file.
        endpoint: Option<String>,
        /// File with the reply body; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    /// Send a request given as JSON, checked against the typed model first, and print the reply.
    ///
    /// Exit 0: success. Exit 3: the node answered `success: false`. Exit 1: anything else.
    Call {
        /// Service name as chia names it.
        service: String,
        /// Route name.
        endpoint: String,
        /// The request as JSON (default `{}`).
        json: Option<String>,
        /// Print the reply exactly as the node sent it instead of the decoded model.
        #[arg(long)]
        raw: bool,
        /// Send a transaction without asking on the terminal first.
        #[arg(long, short)]
        yes: bool,
        #[command(flatten)]
        reach: ReachArgs,
    },
    /// List the services and how many endpoints each serves, or the endpoints of one service.
    List {
        /// Service name as chia names it; without one, every service.
        service: Option<String>,
    },
    /// Print the daemon's pushes as typed events, one JSON object per line, until interrupted.
    ///
    /// Each line is `{"service", "origin", "command", "destination", "data"}`; `data` is the
    /// push's own JSON, checked against the typed event. Connection changes go to standard
    /// error; the connection comes back by itself.
    Events {
        /// Only pushes of this service (repeat for more).
        #[arg(long = "service", value_name = "SERVICE")]
        services: Vec<String>,
        /// Only pushes with this command, e.g. `new_signage_point` (repeat for more).
        #[arg(long = "event", value_name = "EVENT")]
        events: Vec<String>,
        /// Register as this listener instead of `wallet_ui` and `metrics` (repeat for more).
        #[arg(long = "listener", value_name = "NAME")]
        listeners: Vec<String>,
        /// Refuse pushes and fields the model does not know (reported, then skipped).
        #[arg(long)]
        strict: bool,
        /// Stop after this many pushes.
        #[arg(long)]
        count: Option<u64>,
        /// Chia root (default: $CHIA_ROOT or ~/.chia/mainnet).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Host of the daemon instead of the configured `self_hostname`.
        #[arg(long)]
        host: Option<String>,
        /// The daemon's port instead of the configured one.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Print a completion script: every subcommand, service, endpoint and flag.
    ///
    /// bash: `source <(chia-rpc completions bash)`; zsh: `chia-rpc completions zsh >
    /// ~/.zfunc/_chia-rpc`; fish: `chia-rpc completions fish >
    /// ~/.config/fish/completions/chia-rpc.fish`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// How `call` reaches the node.
#[derive(clap::Args)]
struct ReachArgs {
    /// Send the call through the daemon's WebSocket, which relays it to the service (the
    /// daemon's own commands always go this way).
    #[arg(long)]
    via_daemon: bool,
    /// Chia root (default: $CHIA_ROOT or ~/.chia/mainnet).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Host to connect to instead of the configured `self_hostname`.
    #[arg(long)]
    host: Option<String>,
    /// Port to connect to instead of the configured one.
    #[arg(long)]
    port: Option<u16>,
}

/// The whole command line. Only the service named by `detailed` gets its endpoints' flags.
fn cli_command(detailed: impl Fn(Service) -> bool) -> clap::Command {
    let services =
        Service::ALL.iter().map(|&service| endpoints::service_command(service, detailed(service)));
    Cli::command().subcommands(services)
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let word = |index: usize| args.get(index).and_then(|arg| arg.to_str());
    let completing = word(1) == Some("completions");
    // `chia-rpc SERVICE …` or `chia-rpc help SERVICE …`.
    let named = if word(1) == Some("help") { word(2) } else { word(1) };
    let matches = cli_command(|service| completing || named == Some(service.name()))
        .try_get_matches_from(&args);
    let matches = match matches {
        Ok(matches) => matches,
        Err(err) => {
            let _ = err.print();
            // Help and version are answers; usage errors fail like any other error.
            return if err.use_stderr() { ExitCode::from(1) } else { ExitCode::SUCCESS };
        }
    };
    let service =
        matches.subcommand().and_then(|(name, sub)| Some((Service::from_name(name)?, sub)));
    let outcome = match service {
        Some((service, endpoint)) => endpoints::run(service, endpoint),
        None => Cli::from_arg_matches(&matches)
            .map_err(|err| err.to_string())
            .and_then(|cli| run(cli.command)),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Builtin) -> Result<ExitCode, String> {
    match command {
        Builtin::Decode { strict, service, endpoint, file } if service == "daemon-message" => {
            if file.is_some() {
                return Err("usage: chia-rpc decode [--strict] daemon-message [FILE|-]".to_owned());
            }
            let strictness = if strict { Strictness::Strict } else { Strictness::Lenient };
            decode_daemon_messages(read_body(endpoint.map(PathBuf::from))?, strictness)
        }
        Builtin::Decode { strict, service, endpoint, file } => {
            let service = parse_service(&service)?;
            let endpoint = endpoint.ok_or("name the endpoint whose reply to check")?;
            let body = Bytes::from(read_body(file)?);
            let strictness = if strict { Strictness::Strict } else { Strictness::Lenient };
            let outcome = visit_endpoint(service, &endpoint, DecodeVisitor { body, strictness })
                .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            Ok(report(outcome.map(|()| format!("{service} {endpoint}: reply decodes\n"))))
        }
        Builtin::Call { service, endpoint, json, raw, yes, reach } => {
            let service = parse_service(&service)?;
            let reach = Reach {
                root: reach.root,
                host: reach.host,
                port: reach.port,
                via_daemon: reach.via_daemon,
            };
            let info = table::endpoint(service, &endpoint)
                .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            let runtime = node::runtime()?;
            let client = reach.client(&runtime, service)?;
            if info.access == table::Access::Transaction
                && !yes
                && !endpoints::confirm(service, &endpoint)?
            {
                return Err("not sent: the transaction was not confirmed".to_owned());
            }
            let request = json.unwrap_or_else(|| "{}".to_owned());
            let format = if raw { Format::Raw } else { Format::Pretty };
            let call = visit_endpoint(
                service,
                &endpoint,
                CallVisitor { client: &client, service, request: &request, format },
            )
            .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            // The raw reply is printed byte for byte; the decoded one ends with a newline.
            let newline = if raw { "" } else { "\n" };
            Ok(report(runtime.block_on(call).map(|text| text + newline)))
        }
        Builtin::List { service: Some(service) } => {
            for name in endpoint_names(parse_service(&service)?) {
                println!("{name}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Builtin::List { service: None } => {
            for &service in Service::ALL {
                let count = endpoint_names(service).len();
                println!("{:<12} {count:>4} endpoints  {}", service.name(), service.title());
            }
            Ok(ExitCode::SUCCESS)
        }
        Builtin::Events { services, events, listeners, strict, count, root, host, port } => {
            let services =
                services.iter().map(|name| parse_service(name)).collect::<Result<_, _>>()?;
            let reach = Reach { root, host, port, via_daemon: true };
            events::run(&reach, events::Watch { services, events, listeners, strict, count })
        }
        Builtin::Completions { shell } => {
            let mut command = cli_command(|_| true);
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "chia-rpc", &mut script);
            let mut script = String::from_utf8_lossy(&script).into_owned();
            if shell == clap_complete::Shell::Bash {
                // clap_complete spells the states of a hyphenated binary's subcommands two
                // ways, so none of them ever matches (clap-rs/clap#6421): use the loop's way.
                script = script.replace("chia__subcmd__rpc__subcmd__", "chia__rpc__subcmd__");
            }
            Ok(report(Ok(script)))
        }
    }
}

/// Checks each daemon message of `input`, printing one line per message.
fn decode_daemon_messages(input: Vec<u8>, strictness: Strictness) -> Result<ExitCode, String> {
    use daemon_message::Outcome;
    let input = String::from_utf8(input).map_err(|err| format!("the input is not UTF-8: {err}"))?;
    let messages = daemon_message::messages(&input);
    if messages.is_empty() {
        return Err("no message in the input".to_owned());
    }
    let (mut failures, mut invalid) = (0, 0);
    for (line, text) in messages {
        match daemon_message::check(text, strictness) {
            Outcome::Decodes(what) => println!("line {line}: {what}"),
            Outcome::Failure(what) => {
                failures += 1;
                println!("line {line}: {what}");
            }
            Outcome::Invalid(why) => {
                invalid += 1;
                eprintln!("line {line}: error: {why}");
            }
        }
    }
    Ok(match (invalid, failures) {
        (0, 0) => ExitCode::SUCCESS,
        (0, _) => ExitCode::from(3),
        _ => ExitCode::from(1),
    })
}

fn parse_service(name: &str) -> Result<Service, String> {
    Service::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Service::ALL.iter().map(|service| service.name()).collect();
        format!("unknown service {name:?}; known: {}", known.join(", "))
    })
}

fn unknown_endpoint(service: Service, endpoint: &str) -> String {
    format!("the {service} service has no endpoint {endpoint:?} (see `chia-rpc list {service}`)")
}

fn read_body(file: Option<PathBuf>) -> Result<Vec<u8>, String> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::read(&path).map_err(|err| format!("reading {}: {err}", path.display()))
        }
        _ => {
            let mut body = Vec::new();
            std::io::stdin()
                .read_to_end(&mut body)
                .map_err(|err| format!("reading standard input: {err}"))?;
            Ok(body)
        }
    }
}

struct DecodeVisitor {
    body: Bytes,
    strictness: Strictness,
}

impl EndpointVisitor for DecodeVisitor {
    type Output = chia_rpc::Result<()>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        decode_response::<E>(self.body, self.strictness).map(drop)
    }
}

//! `chia-rpc`: call the endpoints in chia-rpc's schema, or check captured replies against it.

mod daemon_message;

use std::future::Future;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;

use bytes::Bytes;
use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::transport::CallOptions;
use chia_rpc::{
    ChiaConfig, Client, DaemonTransport, Endpoint, EndpointVisitor, Error, ErrorKind, Service,
    endpoint_names, visit_endpoint,
};
use clap::{Parser, Subcommand};

/// Typed Chia RPC from the command line, for every endpoint in chia-rpc's schema (`chia-rpc
/// list` shows which).
#[derive(Parser)]
#[command(name = "chia-rpc", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// Send a request, checked against the typed model first, and print the reply.
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
    },
    /// List the services and how many endpoints each serves, or the endpoints of one service.
    List {
        /// Service name as chia names it; without one, every service.
        service: Option<String>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Decode { strict, service, endpoint, file } if service == "daemon-message" => {
            if file.is_some() {
                return Err("usage: chia-rpc decode [--strict] daemon-message [FILE|-]".to_owned());
            }
            let strictness = if strict { Strictness::Strict } else { Strictness::Lenient };
            decode_daemon_messages(read_body(endpoint.map(PathBuf::from))?, strictness)
        }
        Command::Decode { strict, service, endpoint, file } => {
            let service = parse_service(&service)?;
            let endpoint = endpoint.ok_or("name the endpoint whose reply to check")?;
            let body = Bytes::from(read_body(file)?);
            let strictness = if strict { Strictness::Strict } else { Strictness::Lenient };
            let outcome = visit_endpoint(service, &endpoint, DecodeVisitor { body, strictness })
                .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            Ok(report(outcome.map(|()| format!("{service} {endpoint}: reply decodes\n"))))
        }
        Command::Call { service, endpoint, json, raw, via_daemon, root, host, port } => {
            let service = parse_service(&service)?;
            let mut config = match root {
                Some(root) => ChiaConfig::load(root),
                None => ChiaConfig::discover(),
            }
            .map_err(|err| err.to_string())?;
            if let Some(host) = host {
                config = config.with_hostname(host);
            }
            if let Some(port) = port {
                config = config.with_port(service, port);
            }
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| format!("starting the runtime: {err}"))?;
            let client = if via_daemon || service.is_websocket_only() {
                let daemon = runtime.block_on(async {
                    let mut builder = DaemonTransport::builder_from_config(&config);
                    if let (Some(port), true) = (port, service.is_websocket_only()) {
                        builder = builder.port(port);
                    }
                    builder.connect().await
                });
                Client::new(daemon.map_err(|err| err.to_string())?)
            } else {
                Client::from_config(&config).map_err(|err| err.to_string())?
            };
            let request = json.unwrap_or_else(|| "{}".to_owned());
            let call = visit_endpoint(
                service,
                &endpoint,
                CallVisitor { client: &client, service, request: &request, raw },
            )
            .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            // The raw reply is printed byte for byte; the decoded one ends with a newline.
            let newline = if raw { "" } else { "\n" };
            Ok(report(runtime.block_on(call).map(|text| text + newline)))
        }
        Command::List { service: Some(service) } => {
            for name in endpoint_names(parse_service(&service)?) {
                println!("{name}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List { service: None } => {
            for &service in Service::ALL {
                let count = endpoint_names(service).len();
                println!("{:<12} {count:>4} endpoints  {}", service.name(), service.title());
            }
            Ok(ExitCode::SUCCESS)
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

/// Prints the outcome; exit 3 marks a well-formed `success: false` reply.
fn report(outcome: chia_rpc::Result<String>) -> ExitCode {
    match outcome {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(err) => match err.kind() {
            ErrorKind::Rpc(failure) => {
                let code = failure.code.as_ref().map_or("(no code)", |code| code.as_str());
                println!("failure reply: {code}: {}", failure.message);
                ExitCode::from(3)
            }
            ErrorKind::Decode(failure) => {
                eprintln!("error: at `{}`: {}", failure.path, failure.message);
                ExitCode::from(1)
            }
            _ => {
                eprintln!("error: {err}");
                ExitCode::from(1)
            }
        },
    }
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

struct CallVisitor<'a> {
    client: &'a Client,
    service: Service,
    request: &'a str,
    raw: bool,
}

type CallFuture<'a> = Pin<Box<dyn Future<Output = chia_rpc::Result<String>> + 'a>>;

impl<'a> EndpointVisitor for CallVisitor<'a> {
    type Output = CallFuture<'a>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        Box::pin(async move {
            let request: E = parse_request(self.request)?;
            if self.raw {
                let body = serde_json::to_vec(&request).map_err(|err| invalid(E::NAME, err))?;
                let reply =
                    self.client.send_raw(self.service, E::NAME, body, CallOptions::new()).await?;
                return Ok(String::from_utf8_lossy(&reply).into_owned());
            }
            let response = self.client.call_on(self.service, request).await?;
            serde_json::to_string_pretty(&response).map_err(|err| invalid(E::NAME, err))
        })
    }
}

/// Parses the request JSON against the endpoint's model, naming the path of a value that does
/// not fit and telling input that is not JSON at all apart.
fn parse_request<E: Endpoint>(json: &str) -> chia_rpc::Result<E> {
    if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(json) {
        return Err(invalid(E::NAME, format!("not valid JSON: {err}")));
    }
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(json)).map_err(|err| {
        let path = err.path().to_string();
        let reason = err.into_inner();
        if path.is_empty() || path == "." {
            invalid(E::NAME, reason)
        } else {
            invalid(E::NAME, format!("at `{path}`: {reason}"))
        }
    })
}

fn invalid(endpoint: &str, reason: impl std::fmt::Display) -> Error {
    Error::invalid_request(endpoint, reason.to_string())
}

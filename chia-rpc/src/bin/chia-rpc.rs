//! `chia-rpc`: check captured replies against the typed model, or call a service.

use std::future::Future;
use std::io::Read;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;

use chia_rpc::decode::{Strictness, decode_response};
use chia_rpc::{
    ChiaConfig, Endpoint, EndpointVisitor, Error, ErrorKind, HttpsClient, Service, Transport,
    endpoint_names, visit_endpoint,
};
use clap::{Parser, Subcommand};

/// Typed Chia RPC from the command line.
#[derive(Parser)]
#[command(name = "chia-rpc", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a captured reply body against the typed model of an endpoint.
    ///
    /// Exit 0: a success reply that decodes. Exit 3: a well-formed failure reply
    /// (`success: false`). Exit 1: anything else, with the JSON path and the reason.
    Decode {
        /// Also refuse fields the model does not know.
        #[arg(long)]
        strict: bool,
        /// Service name as chia names it: full_node, simulator, wallet, farmer, …
        service: String,
        /// Route name, e.g. get_blockchain_state.
        endpoint: String,
        /// File with the reply body; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    /// Send a request, checked against the typed model first, and print the typed reply.
    Call {
        /// Service name as chia names it.
        service: String,
        /// Route name.
        endpoint: String,
        /// The request as JSON (default `{}`).
        json: Option<String>,
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
    /// List the endpoints a service serves.
    List {
        /// Service name as chia names it.
        service: String,
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
        Command::Decode { strict, service, endpoint, file } => {
            let service = parse_service(&service)?;
            let body = read_body(file)?;
            let strictness = if strict { Strictness::Strict } else { Strictness::Lenient };
            let outcome =
                visit_endpoint(service, &endpoint, DecodeVisitor { body: &body, strictness })
                    .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            Ok(report(outcome.map(|_| format!("{service} {endpoint}: reply decodes"))))
        }
        Command::Call { service, endpoint, json, root, host, port } => {
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
            let client = HttpsClient::from_config(&config).map_err(|err| err.to_string())?;
            let request = json.unwrap_or_else(|| "{}".to_owned());
            let call = visit_endpoint(
                service,
                &endpoint,
                CallVisitor { client: &client, service, request: &request },
            )
            .ok_or_else(|| unknown_endpoint(service, &endpoint))?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| format!("starting the runtime: {err}"))?;
            Ok(report(runtime.block_on(call)))
        }
        Command::List { service } => {
            for name in endpoint_names(parse_service(&service)?) {
                println!("{name}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the outcome; exit 3 marks a well-formed `success: false` reply.
fn report(outcome: chia_rpc::Result<String>) -> ExitCode {
    match outcome {
        Ok(text) => {
            println!("{text}");
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

struct DecodeVisitor<'a> {
    body: &'a [u8],
    strictness: Strictness,
}

impl EndpointVisitor for DecodeVisitor<'_> {
    type Output = chia_rpc::Result<()>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        decode_response::<E>(self.body, self.strictness).map(drop)
    }
}

struct CallVisitor<'a> {
    client: &'a HttpsClient,
    service: Service,
    request: &'a str,
}

type CallFuture<'a> = Pin<Box<dyn Future<Output = chia_rpc::Result<String>> + 'a>>;

impl<'a> EndpointVisitor for CallVisitor<'a> {
    type Output = CallFuture<'a>;

    fn visit<E: Endpoint>(self) -> Self::Output {
        Box::pin(async move {
            let request: E = parse_request(self.request)?;
            let response = self.client.call_on(self.service, &request).await?;
            serde_json::to_string_pretty(&response).map_err(|err| invalid_request(E::NAME, err))
        })
    }
}

fn parse_request<E: Endpoint>(json: &str) -> chia_rpc::Result<E> {
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(json)).map_err(|err| {
        let path = err.path().to_string();
        invalid_request(E::NAME, format!("at `{path}`: {}", err.into_inner()))
    })
}

fn invalid_request(endpoint: &str, reason: impl std::fmt::Display) -> Error {
    Error::invalid_request(endpoint, reason.to_string())
}

//! `chia-rpc SERVICE ENDPOINT [--field value …]`: a subcommand per endpoint, its flags built at
//! run time from the generated table.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chia_rpc::decode::Strictness;
use chia_rpc::{Service, visit_endpoint};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::call::{self, CallVisitor, CheckVisitor, Format};
use crate::flags::{self, JSON_ID};
use crate::node::{self, Reach};
use crate::table::{self, Access, EndpointInfo};

// Ids of the options every endpoint has; a request field's id is its wire name, which never
// contains a dot.
const RAW: &str = "chia-rpc.raw";
const FIELD: &str = "chia-rpc.field";
const YES: &str = "chia-rpc.yes";
const DRY_RUN: &str = "chia-rpc.dry-run";
const STRICT: &str = "chia-rpc.strict";
const VIA_DAEMON: &str = "chia-rpc.via-daemon";
const ROOT: &str = "chia-rpc.root";
const HOST: &str = "chia-rpc.host";
const PORT: &str = "chia-rpc.port";

/// The subcommand of `service`; with `flags`, its endpoints have their flags (building them
/// all costs time, so only the service on the command line gets them).
pub fn service_command(service: Service, flags: bool) -> Command {
    let count = chia_rpc::endpoint_names(service).len();
    Command::new(service.name())
        .about(format!("{}: call one of its {count} endpoints", service.title()))
        .long_about(format!(
            "{}: call one of its {count} endpoints with typed flags.\n\n\
             `chia-rpc {} ENDPOINT --help` shows an endpoint's fields.",
            service.title(),
            service.name()
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommands(table::endpoints(service).map(|info| endpoint_command(service, info, flags)))
}

fn endpoint_command(service: Service, info: &'static EndpointInfo, flags: bool) -> Command {
    let mut command = Command::new(info.name).about(about(info));
    if !flags {
        return command;
    }
    command = command.long_about(long_about(service, info));
    command = command.args(info.fields.iter().map(flags::field_arg));
    let taken = |name: &str| info.fields.iter().any(|f| flags::flag_name(f.wire) == name);
    // A request field named like a connection option keeps its name; the option is then
    // spelled `--node-…` (accepted everywhere).
    let connection = |id: &'static str, name: &'static str, alias: &'static str| {
        let arg = Arg::new(id).help_heading("Reaching the node");
        if taken(name) { arg.long(alias) } else { arg.long(name).alias(alias) }
    };
    command
        .arg(
            Arg::new(JSON_ID)
                .long("json")
                .value_name("JSON")
                .help("The request as a JSON object; flags given beside it replace its keys"),
        )
        .arg(
            Arg::new(DRY_RUN)
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help("Print the checked request instead of sending it"),
        )
        .arg(
            Arg::new(YES)
                .long("yes")
                .short('y')
                .action(ArgAction::SetTrue)
                .help("Send a transaction without asking on the terminal first"),
        )
        .arg(
            Arg::new(RAW)
                .long("raw")
                .action(ArgAction::SetTrue)
                .help_heading("Output")
                .help("Print the reply exactly as the node sent it"),
        )
        .arg(
            Arg::new(FIELD)
                .long("field")
                .value_name("PATH")
                .help_heading("Output")
                .help("Print only the value at PATH (`a.b.0.c`); a string without quotes"),
        )
        .arg(
            Arg::new(STRICT)
                .long("strict")
                .action(ArgAction::SetTrue)
                .help_heading("Output")
                .help("Refuse fields and enum values the model does not know in the reply"),
        )
        .arg(
            connection(ROOT, "root", "node-root")
                .value_name("DIR")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Chia root (default: $CHIA_ROOT or ~/.chia/mainnet)"),
        )
        .arg(
            connection(HOST, "host", "node-host")
                .value_name("HOST")
                .help("Host to connect to instead of the configured `self_hostname`"),
        )
        .arg(
            connection(PORT, "port", "node-port")
                .value_name("PORT")
                .value_parser(clap::value_parser!(u16))
                .help("Port to connect to instead of the configured one"),
        )
        .arg(
            Arg::new(VIA_DAEMON)
                .long("via-daemon")
                .action(ArgAction::SetTrue)
                .help_heading("Reaching the node")
                .help("Send the call through the daemon's WebSocket, which relays it"),
        )
}

fn about(info: &EndpointInfo) -> String {
    match info.deprecated {
        Some(_) => format!("{} (deprecated)", info.summary),
        None => info.summary.to_owned(),
    }
}

fn long_about(service: Service, info: &EndpointInfo) -> String {
    let mut text = info.summary.to_owned();
    if !info.description.is_empty() {
        text.push_str("\n\n");
        text.push_str(info.description);
    }
    let access = match info.access {
        Access::Read => "read (only reads)",
        Access::Write => "write (changes the service's state)",
        Access::Transaction => "transaction (creates or pushes a transaction; asks first)",
    };
    text.push_str(&format!("\n\nService: {}. Access: {access}.", service.name()));
    if let Some(since) = info.since {
        text.push_str(&format!(" Since chia-blockchain {since}."));
    }
    if let Some(note) = info.deprecated {
        text.push_str(&format!("\nDeprecated: {note}"));
    }
    if info.fields.is_empty() {
        text.push_str("\nThe request has no fields.");
    }
    text
}

/// Runs `chia-rpc SERVICE ENDPOINT …`.
pub fn run(service: Service, matches: &ArgMatches) -> Result<ExitCode, String> {
    let Some((name, matches)) = matches.subcommand() else {
        return Err(format!("name an endpoint (see `chia-rpc {service} --help`)"));
    };
    let info = table::endpoint(service, name)
        .ok_or_else(|| format!("the {service} service has no endpoint {name:?}"))?;
    let fields = flags::values(info.fields, matches)?;
    let request = call::compose(matches.get_one::<String>(JSON_ID).map(String::as_str), fields)?;
    if matches.get_flag(DRY_RUN) {
        let checked = visit_endpoint(service, name, CheckVisitor { request: &request })
            .ok_or_else(|| format!("the {service} service has no endpoint {name:?}"))?;
        return Ok(call::report(checked.map(|text| text + "\n")));
    }
    if info.access == Access::Transaction && !matches.get_flag(YES) && !confirm(service, name)? {
        return Err("not sent: the transaction was not confirmed".to_owned());
    }
    let reach = Reach {
        root: matches.get_one::<PathBuf>(ROOT).cloned(),
        host: matches.get_one::<String>(HOST).cloned(),
        port: matches.get_one::<u16>(PORT).copied(),
        via_daemon: matches.get_flag(VIA_DAEMON),
    };
    let raw = matches.get_flag(RAW);
    let path = matches.get_one::<String>(FIELD);
    let format = match (raw, path) {
        (true, _) => Format::Raw,
        (false, Some(_)) => Format::Compact,
        (false, None) => Format::Pretty,
    };
    let runtime = node::runtime()?;
    let mut client = reach.client(&runtime, service)?;
    if matches.get_flag(STRICT) {
        client = client.with_strictness(Strictness::Strict);
    }
    let visitor = CallVisitor { client: &client, service, request: &request, format };
    let call = visit_endpoint(service, name, visitor)
        .ok_or_else(|| format!("the {service} service has no endpoint {name:?}"))?;
    let reply = runtime.block_on(call);
    let printed = match (reply, path) {
        (Ok(text), Some(path)) => Ok(call::pick(&text, path)? + "\n"),
        // The raw reply is printed byte for byte; the decoded one ends with a newline.
        (Ok(text), None) if raw => Ok(text),
        (Ok(text), None) => Ok(text + "\n"),
        (Err(err), _) => Err(err),
    };
    Ok(call::report(printed))
}

/// Asks on the terminal whether to send a transaction; without a terminal, sends.
pub fn confirm(service: Service, endpoint: &str) -> Result<bool, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(true);
    }
    eprint!("{service} {endpoint} creates or pushes a transaction. Send it? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|err| format!("reading the answer: {err}"))?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

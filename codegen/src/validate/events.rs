//! Checking the `events` of a file (the pushes a service sends through the daemon) and giving
//! them to their service.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use serde_saphyr::Location;

use super::checker::{Checker, is_snake_ident, is_type_name};
use super::fields::lower_fields;
use super::parse::SourceFile;
use super::service::Scope;
use crate::diag::Diagnostic;
use crate::ir::{Event, Service, TypeName};

/// The events of one file, before they are attached to their service.
pub(super) struct EventPiece {
    /// The file that declares them.
    pub(super) file: usize,
    /// The service they belong to: the file's `service`, or its `part_of`.
    pub(super) service: String,
    /// Each event with where it is declared.
    pub(super) events: Vec<(Location, Event)>,
}

/// Checks and lowers the `events` of the checker's file, number `index`; `None` when it has
/// none. Events need a service: the file's own or the one it is `part_of`.
pub(super) fn lower_events(
    c: &mut Checker<'_>,
    index: usize,
    scope: &mut Scope<'_>,
) -> Option<EventPiece> {
    let file = c.file;
    let (first, _) = file.parsed.events.first()?;
    let service = match (&file.parsed.service, &file.parsed.part_of) {
        (Some(service), _) => service.value.name.clone(),
        (None, Some(part_of)) => part_of.value.clone(),
        (None, None) => {
            let loc = file.parsed.events[first].referenced;
            c.at(
                loc,
                format!("event {first}"),
                "events need a `service` section or a `part_of` in the same file",
            );
            return None;
        }
    };
    let mut events = Vec::new();
    for (command, def) in &file.parsed.events {
        let ctx = format!("event {command}");
        let loc = def.referenced;
        let e = &def.value;
        let base = match &e.rust_name {
            Some(name) if is_type_name(name) => name.clone(),
            Some(name) => {
                c.at(loc, &ctx, format!("rust_name `{name}` is not an UpperCamelCase Rust name"));
                continue;
            }
            None if is_snake_ident(command) => command.to_upper_camel_case(),
            None => {
                c.at(
                    loc,
                    &ctx,
                    "the command is not a snake_case identifier: give the event a `rust_name`",
                );
                continue;
            }
        };
        if e.listeners.is_empty() {
            c.at(loc, &ctx, "name the `listeners` the event is sent to");
        }
        for listener in &e.listeners {
            if !is_snake_ident(listener) {
                c.at(loc, &ctx, format!("listener `{listener}` is not a snake_case name"));
            }
        }
        if let Some(origin) = &e.origin
            && !is_daemon_name(origin)
        {
            c.at(loc, &ctx, format!("origin `{origin}` is not a daemon service name"));
        }
        if let Some((_, f)) = e.data.iter().find(|(k, _)| k.as_str() == "success") {
            c.at(
                f.referenced,
                format!("{ctx}, data field success"),
                "`success` is set on every push by the sender; remove it",
            );
        }
        let used = &mut *scope.used;
        let fields =
            lower_fields(c, scope.types, &e.data, &format!("{ctx}, data field"), &mut |n| {
                used.insert(n.to_owned());
            });
        events.push((
            loc,
            Event {
                command: command.clone(),
                origin: e.origin.clone(),
                struct_name: TypeName::new(format!("{base}Event")),
                variant: TypeName::new(base),
                summary: e.summary.trim().to_owned(),
                description: e.description.as_ref().map(|d| d.trim().to_owned()),
                listeners: e.listeners.clone(),
                fields,
                source: file.rel.clone(),
            },
        ));
    }
    Some(EventPiece { file: index, service, events })
}

/// A name services register under with the daemon: lowercase letters, digits and `_`.
pub(super) fn is_daemon_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Gives each piece's events to its service. The service must exist and push under a daemon
/// name of its own (the shared routes' events go to every such service); within the events of
/// a service, an (origin, command) pair and a generated name appear once.
pub(super) fn attach_events(
    files: &[SourceFile],
    services: &mut [Service],
    pieces: Vec<EventPiece>,
    errors: &mut Vec<Diagnostic>,
) {
    for piece in pieces {
        let mut c = Checker::new(&files[piece.file]);
        let Some(service) = services.iter_mut().find(|s| s.name == piece.service) else {
            if let Some((loc, _)) = piece.events.first() {
                c.at(*loc, "events", format!("no service `{}` is declared", piece.service));
            }
            errors.append(&mut c.errors);
            continue;
        };
        for (loc, event) in piece.events {
            let ctx = format!("event {}", event.command);
            if !service.shared && service.daemon_name.is_none() {
                c.at(
                    loc,
                    &ctx,
                    format!("service `{}` has no `daemon_name` to push as", service.name),
                );
                continue;
            }
            if service.extends.is_some() {
                c.at(
                    loc,
                    &ctx,
                    format!(
                        "`{}` extends another service and pushes as it: declare the event there",
                        service.name
                    ),
                );
                continue;
            }
            let clash = service.events.iter().find(|other| {
                (other.command == event.command && other.origin == event.origin)
                    || other.variant == event.variant
            });
            if let Some(other) = clash {
                c.at(
                    loc,
                    &ctx,
                    format!(
                        "the command or generated name `{}` is already an event of {} ({})",
                        event.variant, service.name, other.source
                    ),
                );
                continue;
            }
            service.events.push(event);
        }
        errors.append(&mut c.errors);
    }
}

/// The events of every server must not collide with the shared ones they also hold, and
/// their generated names must not collide with the service's endpoint types.
pub(super) fn check_event_names(
    files: &[SourceFile],
    services: &[Service],
    errors: &mut Vec<Diagnostic>,
) {
    let shared: Vec<&Event> =
        services.iter().filter(|s| s.shared).flat_map(|s| &s.events).collect();
    for s in services {
        let endpoint_types: BTreeSet<&str> = s
            .endpoints
            .iter()
            .flat_map(|e| [&e.request_type, &e.response_type, &e.call_type])
            .map(TypeName::as_str)
            .collect();
        for event in &s.events {
            let with_shared = !s.shared && !s.websocket;
            let clash = if endpoint_types.contains(event.struct_name.as_str()) {
                Some(format!("`{}` is also an endpoint type of {}", event.struct_name, s.name))
            } else if with_shared
                && shared.iter().any(|o| o.variant == event.variant || o.command == event.command)
            {
                Some(format!("`{}` is also a shared event, which every service has", event.command))
            } else {
                None
            };
            let Some(message) = clash else { continue };
            let file = files.iter().find(|f| f.rel == event.source);
            let (line, column) = file
                .and_then(|f| f.parsed.events.get(&event.command))
                .map_or((1, 1), |d| (d.referenced.line(), d.referenced.column()));
            errors.push(Diagnostic {
                file: event.source.clone(),
                line: line.max(1),
                column: column.max(1),
                context: format!("event {}", event.command),
                message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{HEAD, lower_one, messages};

    /// `HEAD` with a `daemon_name`, one request field and then `events`.
    fn with_events(events: &str) -> String {
        let head = HEAD.replace(
            "  config_key: full_node\n",
            "  config_key: full_node\n  daemon_name: chia_full_node\n",
        );
        format!("{head}      f: {{ type: u8, doc: F. }}\nevents:\n{events}")
    }

    #[test]
    fn events_are_lowered_with_their_data() {
        let ir = lower_one(&with_events(
            "  signage_point:\n    summary: A signage point.\n    listeners: [metrics]\n    data:\n      height: { type: u32, doc: H. }\n  state_changed:\n    summary: Plots.\n    listeners: [wallet_ui]\n    origin: chia_plotter\n    rust_name: PlotQueue\n",
        ))
        .expect("valid");
        let events = &ir.services[0].events;
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].struct_name.as_str(), "SignagePointEvent");
        assert_eq!(events[0].fields[0].wire, "height");
        assert_eq!(events[1].variant.as_str(), "PlotQueue");
        assert_eq!(events[1].origin.as_deref(), Some("chia_plotter"));
    }

    #[test]
    fn events_are_checked() {
        let errors = messages(&with_events(
            "  bad command:\n    summary: S.\n    listeners: [metrics]\n  x:\n    summary: S.\n    listeners: []\n    data:\n      success: { type: bool, doc: S. }\n",
        ));
        assert_eq!(
            errors,
            [
                "schema/x.yaml:16:5: event bad command: the command is not a snake_case identifier: give the event a `rust_name`",
                "schema/x.yaml:19:5: event x: name the `listeners` the event is sent to",
                "schema/x.yaml:22:16: event x, data field success: `success` is set on every push by the sender; remove it",
            ]
        );
        let errors = messages(
            &with_events("  x:\n    summary: S.\n    listeners: [metrics]\n")
                .replace("  daemon_name: chia_full_node\n", ""),
        );
        assert_eq!(
            errors,
            ["schema/x.yaml:15:5: event x: service `full_node` has no `daemon_name` to push as"]
        );
    }
}

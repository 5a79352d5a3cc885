//! `services.md`: the table of services, handles and endpoint counts that the crate's
//! documentation includes.

use crate::ir::Ir;

/// The Markdown text.
pub fn emit(ir: &Ir) -> String {
    let mut out = String::from(
        "| service | handle | endpoints | pushes | cargo feature |\n| --- | --- | --- | --- | --- |\n",
    );
    let shared = ir.shared().map_or(0, |s| s.endpoints.len());
    for s in ir.servers() {
        let mut count = format!("{}", s.endpoints.len());
        if let Some(parent) = s.extends.as_ref().and_then(|name| ir.service(name)) {
            count.push_str(&format!(
                " + {} of the {}",
                parent.endpoints.len(),
                parent.title.to_lowercase()
            ));
        }
        if shared > 0 && !s.websocket {
            count.push_str(&format!(" + {shared} shared"));
        }
        if s.websocket {
            count.push_str(" (WebSocket only)");
        }
        let pushes = if ir.event_sources().any(|source| source.name == s.name) {
            format!("[{}]({}::{}Event)", ir.events_of(s).len(), s.module, s.variant)
        } else {
            "–".to_owned()
        };
        out.push_str(&format!(
            "| [{}]({}) | [`client.{}()`](ServiceClients::{}) → [`{}`]({}::{}) | {} | {} | `{}` |\n",
            s.title, s.module, s.module, s.module, s.handle, s.module, s.handle, count, pushes, s.name
        ));
    }
    if let Some(s) = ir.shared() {
        out.push_str(&format!(
            "\nEvery service also serves the [{}]({}) ({} routes): every handle derefs to [`{}`]({}::{}), \
             and `client.shared(service)` gives one for any service.\n",
            s.title.to_lowercase(),
            s.module,
            s.endpoints.len(),
            s.handle,
            s.module,
            s.handle
        ));
    }
    out
}

//! Emitters: one module per generated artifact. Rust is built with `quote!` and formatted by
//! `prettyplease`.

mod calls;
mod cli;
mod client;
mod dispatch;
pub mod docs;
mod endpoints;
mod error_codes;
mod events;
mod fields;
mod imports;
mod json_schema;
// The documents for other languages: OpenAPI, AsyncAPI, the HTML reference.
mod asyncapi;
pub mod examples;
mod html;
mod openapi;
mod service;
mod services_md;
mod types;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Ir;

/// Where generated files go, relative to the workspace root.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Directory of the generated Rust module (`chia-rpc/src/generated`).
    pub rust_dir: PathBuf,
    /// Where to write the JSON Schema of the schema format, if anywhere.
    pub format_schema: Option<PathBuf>,
    /// Directory of the per-service JSON Schema documents, if they are generated.
    pub json_schema_dir: Option<PathBuf>,
    /// Directory of the OpenAPI documents of the HTTPS services, if they are generated.
    pub openapi_dir: Option<PathBuf>,
    /// Directory of the AsyncAPI document of the daemon's WebSocket, if it is generated.
    pub asyncapi_dir: Option<PathBuf>,
    /// Where to write the HTML reference, if anywhere.
    pub reference_html: Option<PathBuf>,
    /// Captured replies the documents show as examples (see [`Layout::with_examples`]).
    pub examples: examples::Examples,
    /// Where to write the command line's table of endpoints and request fields, if anywhere.
    pub cli_table: Option<PathBuf>,
}

impl Layout {
    /// The directories whose every file is generated (files there that are not generated any
    /// more are stale).
    pub fn generated_dirs(&self) -> Vec<&Path> {
        let mut dirs = vec![self.rust_dir.as_path()];
        dirs.extend(self.json_schema_dir.as_deref());
        dirs.extend(self.openapi_dir.as_deref());
        dirs.extend(self.asyncapi_dir.as_deref());
        dirs
    }

    /// The layout with the replies captured under `root`'s `tests/fixtures/` as examples.
    pub fn with_examples(mut self, root: &Path) -> std::io::Result<Self> {
        self.examples = examples::Examples::load(&root.join("tests/fixtures"))?;
        Ok(self)
    }
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            rust_dir: PathBuf::from("chia-rpc/src/generated"),
            format_schema: Some(PathBuf::from("schema/format.schema.json")),
            json_schema_dir: Some(PathBuf::from("docs/json-schema")),
            openapi_dir: Some(PathBuf::from("docs/openapi")),
            asyncapi_dir: Some(PathBuf::from("docs/asyncapi")),
            reference_html: Some(PathBuf::from("docs/reference/index.html")),
            examples: examples::Examples::default(),
            cli_table: Some(PathBuf::from("chia-rpc/src/bin/chia-rpc/schema_table.rs")),
        }
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// Full contents.
    pub contents: String,
}

/// Generates every file for `ir`, in a fixed order.
///
/// Fails when an emitter produced tokens that are not a Rust file: a bug of the generator,
/// reported with the file it concerns instead of writing a file that cannot compile.
pub fn generate(ir: &Ir, layout: &Layout) -> Result<Vec<GeneratedFile>, EmitError> {
    let dir = &layout.rust_dir;
    let mut files = Vec::new();
    let mut rust = |path: PathBuf, source: &str, tokens: TokenStream| -> Result<(), EmitError> {
        let path = dir.join(path);
        let contents = rust_file(source, tokens)
            .map_err(|message| EmitError { path: path.clone(), message })?;
        files.push(GeneratedFile { path, contents });
        Ok(())
    };
    rust("mod.rs".into(), "schema/", root_module(ir))?;
    rust("service.rs".into(), "schema/", service::emit(ir))?;
    rust("dispatch.rs".into(), "schema/", dispatch::emit(ir))?;
    if let Some(codes) = &ir.error_codes {
        rust("error_codes.rs".into(), &codes.source, error_codes::emit(codes))?;
    }
    rust("types/mod.rs".into(), "schema/", types::emit_mod(ir))?;
    for file in &ir.type_files {
        rust(format!("types/{}.rs", file.module).into(), &file.source, types::emit_file(ir, file))?;
    }
    for s in &ir.services {
        let m = s.module.as_str();
        rust(format!("{m}/mod.rs").into(), &s.source, service_module(ir, s))?;
        for group in groups(s) {
            let (types, calls) = group_modules(group.name);
            let source = &group.endpoints[0].source;
            let (title, endpoints) = (group.title(s), &group.endpoints);
            rust(
                format!("{m}/{types}.rs").into(),
                source,
                endpoints::emit(ir, s, &title, endpoints),
            )?;
            rust(format!("{m}/{calls}.rs").into(), source, calls::emit(&title, source, endpoints))?;
        }
        rust(format!("{m}/client.rs").into(), &s.source, client::emit(ir, s))?;
        if has_events_module(ir, s) {
            let source = s.events.first().map_or(s.source.as_str(), |e| e.source.as_str());
            rust(format!("{m}/events.rs").into(), source, events::emit(ir, s))?;
        }
    }
    rust("events.rs".into(), "schema/", events::emit_root(ir))?;
    files.push(GeneratedFile { path: dir.join("services.md"), contents: services_md::emit(ir) });
    if let Some(dir) = &layout.json_schema_dir {
        for s in &ir.services {
            files.push(GeneratedFile {
                path: dir.join(format!("{}.json", s.name)),
                contents: json_schema::emit(ir, s),
            });
        }
        files.push(GeneratedFile {
            path: dir.join("types.json"),
            contents: json_schema::emit_types(ir),
        });
    }
    documents_for_other_languages(ir, layout, &mut files);
    if let Some(path) = &layout.cli_table {
        let contents = rust_file("schema/", cli::emit(ir))
            .map_err(|message| EmitError { path: path.clone(), message })?;
        files.push(GeneratedFile { path: path.clone(), contents });
    }
    if let Some(path) = &layout.format_schema {
        let schema = crate::schema::format_json_schema();
        let mut text = serde_json::to_string_pretty(&schema)
            .map_err(|err| EmitError { path: path.clone(), message: err.to_string() })?;
        text.push('\n');
        files.push(GeneratedFile { path: path.clone(), contents: text });
    }
    Ok(files)
}

/// The OpenAPI documents (one per HTTPS service), the daemon's AsyncAPI document and the HTML
/// reference.
fn documents_for_other_languages(ir: &Ir, layout: &Layout, files: &mut Vec<GeneratedFile>) {
    let examples = &layout.examples;
    for s in ir.servers() {
        let dir = if s.websocket { &layout.asyncapi_dir } else { &layout.openapi_dir };
        let Some(dir) = dir else { continue };
        let contents = if s.websocket {
            asyncapi::emit(ir, s, examples)
        } else {
            openapi::emit(ir, s, examples)
        };
        files.push(GeneratedFile { path: dir.join(format!("{}.json", s.name)), contents });
    }
    if let Some(path) = &layout.reference_html {
        files.push(GeneratedFile { path: path.clone(), contents: html::emit(ir, examples) });
    }
}

/// A generated file that could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("generating {}: {message}", path.display())]
pub struct EmitError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// Formats a file: provenance header, then prettyplease's rendering of `tokens`.
fn rust_file(source: &str, tokens: TokenStream) -> Result<String, String> {
    let header = format!("// Generated by `cargo xtask codegen` from {source} — do not edit.\n");
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|err| format!("the emitted tokens are not a Rust file: {err}"))?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{header}{}", space_items(&body)))
}

/// How lines that begin an item (or statement worth separating) start.
const ITEM_STARTS: &[&str] = &[
    "///", "#[", "pub ", "impl", "fn ", "const ", "type ", "struct ", "enum ", "trait ", "mod ",
    "use ", "if ", "async ",
];

/// Puts a blank line after every block (`}` or `{}` ending a line) that is followed by another
/// item or statement at the same indentation, so items and methods are visually separated.
fn space_items(body: &str) -> String {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = String::with_capacity(body.len() + body.len() / 16);
    let mut prev: Option<&str> = None;
    for line in body.lines() {
        if let Some(p) = prev {
            let closes = p.trim() == "}" || p.trim_end().ends_with("{}");
            let next = line.trim_start();
            let item = ITEM_STARTS.iter().any(|s| next.starts_with(s));
            let after_inner_doc =
                p.starts_with("//!") && !line.starts_with("//!") && !line.is_empty();
            // A one-line item (`pub struct A(B);`, `type X = Y;`) followed by another item at
            // the same depth; associated consts and types stay together, and so do `use`s.
            let prev_trimmed = p.trim_start();
            let grouped = |l: &str| {
                ["const ", "type ", "use ", "pub use ", "mod ", "pub mod "]
                    .iter()
                    .any(|s| l.starts_with(s))
            };
            // A doc or comment line ending in `;` is prose, not a statement.
            let after_statement = indent(p) == indent(line)
                && p.ends_with(';')
                && !prev_trimmed.starts_with("//")
                && ["///", "#[", "impl", "pub ", "fn ", "type ", "const "]
                    .iter()
                    .any(|s| next.starts_with(s))
                && !(grouped(prev_trimmed) && grouped(next))
                && (indent(p) == 0 || !prev_trimmed.starts_with("let "));
            if (closes && item && indent(p) == indent(line)) || after_inner_doc || after_statement {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

fn root_module(ir: &Ir) -> TokenStream {
    let doc = docs::inner(
        "Code generated from the schema: the services, their endpoints and the named types.",
    );
    // Each service module documents itself (its inner doc), so the text is written once. A
    // service's module compiles only with the cargo feature named after it.
    let mods = ir.services.iter().map(|s| {
        let module = &s.module;
        let cfg = s.cfg();
        quote!(#cfg pub mod #module;)
    });
    let error_codes = match &ir.error_codes {
        Some(_) => quote!(
            mod error_codes;
            pub use error_codes::RpcErrorCode;
        ),
        None => quote!(),
    };
    quote! {
        #doc
        mod service;
        mod dispatch;
        mod events;
        #error_codes
        pub mod types;
        #(#mods)*
        pub use service::{Service, ServiceClients, UnknownService};
        pub use dispatch::{visit_endpoint, endpoint_names};
        pub use events::Event;
    }
}

/// The endpoints of a service that come from one schema file.
struct Group<'a> {
    /// `None` for the service's own file; the file's stem for a `part_of` file.
    name: Option<&'a crate::ir::RustIdent>,
    endpoints: Vec<crate::ir::Endpoint>,
}

impl Group<'_> {
    /// How the group's files describe it: the service, and the topic of a part file.
    fn title(&self, s: &crate::ir::Service) -> String {
        let service = s.title.to_lowercase();
        match self.name {
            None => service,
            Some(part) => format!("{service} ({})", part.as_str().replace('_', " ")),
        }
    }
}

/// A service's endpoints grouped by the file that declares them, in schema order.
fn groups(s: &crate::ir::Service) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for e in &s.endpoints {
        match groups.iter_mut().find(|g| g.name == e.group.as_ref()) {
            Some(group) => group.endpoints.push(e.clone()),
            None => groups.push(Group { name: e.group.as_ref(), endpoints: vec![e.clone()] }),
        }
    }
    groups
}

/// The modules of a group: its requests and responses, and its call builders.
fn group_modules(group: Option<&crate::ir::RustIdent>) -> (String, String) {
    match group {
        None => ("endpoints".to_owned(), "calls".to_owned()),
        Some(name) => (name.as_str().to_owned(), format!("{name}_calls")),
    }
}

/// Whether a service's module has an `events` module: it declares events, or its pushes are
/// decoded (then its enum lives there).
fn has_events_module(ir: &Ir, s: &crate::ir::Service) -> bool {
    !s.events.is_empty() || ir.event_sources().any(|source| source.name == s.name)
}

fn service_module(ir: &Ir, s: &crate::ir::Service) -> TokenStream {
    let doc = docs::inner(&docs::md(&s.doc));
    let modules: Vec<proc_macro2::Ident> = groups(s)
        .iter()
        .flat_map(|g| {
            let (types, calls) = group_modules(g.name);
            [types, calls]
        })
        .map(|name| proc_macro2::Ident::new(&name, proc_macro2::Span::call_site()))
        .collect();
    let events = if has_events_module(ir, s) {
        quote!(
            mod events;
            pub use events::*;
        )
    } else {
        quote!()
    };
    let endpoints = quote!(
        #(mod #modules;)*
        #(pub use #modules::*;)*
        #events
    );
    let names = s.endpoints.iter().map(|e| lit(&e.name));
    let list_doc = docs::outer(&format!(
        "The routes declared in `{}`, in schema order{}.",
        s.source,
        if s.shared { "" } else { " (neither the shared routes nor those of an extended service)" }
    ));
    quote! {
        #doc
        mod client;
        pub use client::*;
        #endpoints
        #list_doc
        pub const ENDPOINTS: &[&str] = &[#(#names),*];
    }
}

/// The first sentence of `text`: its first paragraph joined into one line, up to the first
/// full stop that ends a sentence.
pub(crate) fn first_line(text: &str) -> String {
    let paragraph: Vec<&str> =
        text.trim().lines().map(str::trim).take_while(|l| !l.is_empty()).collect();
    let joined = paragraph.join(" ");
    match joined.find(". ") {
        Some(end) => joined[..=end].to_owned(),
        None => joined,
    }
}

/// A Rust string literal for code.
pub(crate) fn lit(s: &str) -> proc_macro2::Literal {
    proc_macro2::Literal::string(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_header() {
        let out =
            rust_file("schema/x.yaml", quote!(#![doc = " Docs."] pub struct A; pub struct B;))
                .expect("a file");
        assert!(out.starts_with(
            "// Generated by `cargo xtask codegen` from schema/x.yaml — do not edit.\n//! Docs.\n"
        ));
    }

    #[test]
    fn tokens_that_are_not_a_file_are_an_error() {
        let err = rust_file("schema/x.yaml", quote!(pub struct)).unwrap_err();
        assert!(err.contains("not a Rust file"), "{err}");
    }
}

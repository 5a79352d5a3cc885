//! The validated, Rust-facing model the emitters work from.
//!
//! Everything here is in a fixed order (files sorted by path, endpoints, fields and types in
//! schema order), so generating twice gives the same bytes.

use std::fmt;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};

pub use crate::schema::Access;
use crate::typeexpr::Prim;

/// Words that cannot be plain identifiers in Rust 2024 but can be raw ones (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Words that cannot be identifiers at all, not even raw ones.
const FORBIDDEN: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `s` is an identifier (possibly a keyword usable as a raw identifier).
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return false };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !FORBIDDEN.contains(&s)
}

/// A snake_case Rust identifier (field, method, module); printed raw (`r#type`) when it is a
/// keyword.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustIdent(String);

impl RustIdent {
    /// Wraps `s`, which must satisfy [`is_ident`].
    pub fn new(s: impl Into<String>) -> Self {
        RustIdent(s.into())
    }

    /// The identifier without any `r#`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier as Rust source spells it (`r#type`).
    pub fn source(&self) -> String {
        if RAW_KEYWORDS.contains(&self.0.as_str()) {
            format!("r#{}", self.0)
        } else {
            self.0.clone()
        }
    }
}

impl fmt::Display for RustIdent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ToTokens for RustIdent {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ident = if RAW_KEYWORDS.contains(&self.0.as_str()) {
            Ident::new_raw(&self.0, Span::call_site())
        } else {
            Ident::new(&self.0, Span::call_site())
        };
        ident.to_tokens(tokens);
    }
}

/// An UpperCamelCase Rust type or variant name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName(String);

impl TypeName {
    /// Wraps `s`, which must be an UpperCamelCase identifier.
    pub fn new(s: impl Into<String>) -> Self {
        TypeName(s.into())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ToTokens for TypeName {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        Ident::new(&self.0, Span::call_site()).to_tokens(tokens);
    }
}

/// The whole validated schema.
#[derive(Debug, Clone)]
pub struct Ir {
    /// Services, sorted by Chia name; the shared routes (if any) included with `shared: true`.
    pub services: Vec<Service>,
    /// Files that declare types, sorted by path.
    pub type_files: Vec<TypeFile>,
    /// The codes of `structuredError`, when a file declares them.
    pub error_codes: Option<ErrorCodes>,
}

/// The codes a failure reply may carry.
#[derive(Debug, Clone)]
pub struct ErrorCodes {
    /// The schema file that declares them.
    pub source: String,
    /// The codes, in schema order.
    pub variants: Vec<Variant>,
}

impl Ir {
    /// The service with Chia name `name`.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The shared routes, when a schema file declares them.
    pub fn shared(&self) -> Option<&Service> {
        self.services.iter().find(|s| s.shared)
    }

    /// Services with their own server (everything but the shared routes).
    pub fn servers(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| !s.shared)
    }

    /// Number of named types.
    pub fn type_count(&self) -> usize {
        self.type_files.iter().map(|f| f.types.len()).sum()
    }

    /// Number of endpoints.
    pub fn endpoint_count(&self) -> usize {
        self.services.iter().map(|s| s.endpoints.len()).sum()
    }

    /// Number of events.
    pub fn event_count(&self) -> usize {
        self.services.iter().map(|s| s.events.len()).sum()
    }

    /// The services whose pushes have an event enum of their own: every server that registers
    /// with the daemon, except one that extends another (the simulator pushes as the full node).
    pub fn event_sources(&self) -> impl Iterator<Item = &Service> {
        self.servers().filter(|s| s.daemon_name.is_some() && s.extends.is_none())
    }

    /// The events a service's enum holds: its own, then (for a server other than the daemon)
    /// the shared ones.
    pub fn events_of<'a>(&'a self, s: &'a Service) -> Vec<(&'a Service, &'a Event)> {
        let mut events: Vec<_> = s.events.iter().map(|e| (s, e)).collect();
        if !s.websocket
            && let Some(shared) = self.shared()
        {
            events.extend(shared.events.iter().map(|e| (shared, e)));
        }
        events
    }

    /// The named type called `name`.
    pub fn named_type(&self, name: &str) -> Option<&NamedType> {
        self.type_files.iter().flat_map(|f| &f.types).find(|t| t.name.as_str() == name)
    }

    /// The traits every type in `fields` has.
    pub fn field_traits(&self, fields: &[Field]) -> Traits {
        fields.iter().fold(Traits::ALL, |acc, f| acc.and(self.ty_traits(&f.ty)))
    }

    /// The traits a value of type `ty` has.
    pub fn ty_traits(&self, ty: &Ty) -> Traits {
        match ty {
            Ty::Prim(p) => prim_traits(*p),
            Ty::Optional(t) | Ty::Nullable(t) => self.ty_traits(t),
            Ty::List(t) => Traits { copy: false, ..self.ty_traits(t) },
            Ty::Map(k, v) => Traits { copy: false, ..self.ty_traits(k).and(self.ty_traits(v)) },
            Ty::Tuple(items) => items.iter().fold(Traits::ALL, |acc, t| acc.and(self.ty_traits(t))),
            // serde_json::Value is Eq (its numbers are never NaN) but not Hash.
            Ty::Any => Traits { copy: false, eq: true, hash: false },
            Ty::Named(name) => self.named_type(name.as_str()).map_or(Traits::NONE, |t| t.traits),
        }
    }
}

/// The derivable traits a type has beyond `Debug`, `Clone` and `PartialEq`, which all have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits {
    /// `Copy`.
    pub copy: bool,
    /// `Eq`.
    pub eq: bool,
    /// `Hash`.
    pub hash: bool,
}

impl Traits {
    /// Every trait.
    pub const ALL: Traits = Traits { copy: true, eq: true, hash: true };
    /// None of them.
    pub const NONE: Traits = Traits { copy: false, eq: false, hash: false };

    /// The traits both have.
    pub fn and(self, other: Traits) -> Traits {
        Traits {
            copy: self.copy && other.copy,
            eq: self.eq && other.eq,
            hash: self.hash && other.hash,
        }
    }
}

fn prim_traits(p: Prim) -> Traits {
    match p {
        Prim::F64 => Traits { copy: true, eq: false, hash: false },
        Prim::Str | Prim::Bytes | Prim::Address => Traits { copy: false, eq: true, hash: true },
        _ => Traits::ALL,
    }
}

/// One service file.
#[derive(Debug, Clone)]
pub struct Service {
    /// Chia's name (`full_node`).
    pub name: String,
    /// The module name (same as `name`).
    pub module: RustIdent,
    /// The variant of the generated `Service` enum (`FullNode`).
    pub variant: TypeName,
    /// The client handle (`FullNodeRpc`).
    pub handle: TypeName,
    /// Title for documentation.
    pub title: String,
    /// Markdown documentation.
    pub doc: String,
    /// Whether these are the routes every service serves.
    pub shared: bool,
    /// Default RPC port (0 for the shared routes).
    pub default_port: u16,
    /// Section of `config.yaml`.
    pub config_key: String,
    /// Directory under `config/ssl/`.
    pub cert_dir: String,
    /// Chia name of the service this one extends.
    pub extends: Option<String>,
    /// Reached only over the daemon's WebSocket (the daemon itself).
    pub websocket: bool,
    /// The name it registers under with the daemon (`chia_wallet`).
    pub daemon_name: Option<String>,
    /// The dotted `config.yaml` key of its port (`full_node.rpc_port`, `daemon_port`).
    pub port_key: String,
    /// The `config.yaml` section with its certificate paths (`full_node.ssl`).
    pub ssl_key: String,
    /// The schema file, relative to the root (`schema/full_node.yaml`).
    pub source: String,
    /// Endpoints in schema order.
    pub endpoints: Vec<Endpoint>,
    /// The pushes it sends, in schema order (files sorted by path).
    pub events: Vec<Event>,
}

impl Service {
    /// The cargo feature that compiles the service's module (`full_node`); `None` for the shared
    /// routes, which are always compiled.
    pub fn feature(&self) -> Option<&str> {
        (!self.shared).then_some(self.name.as_str())
    }

    /// `#[cfg(feature = "…")]` for items of this service; nothing for the shared routes.
    pub fn cfg(&self) -> TokenStream {
        match self.feature() {
            Some(feature) => quote!(#[cfg(feature = #feature)]),
            None => quote!(),
        }
    }
}

/// A message a service pushes through the daemon.
#[derive(Debug, Clone)]
pub struct Event {
    /// The envelope's `command`.
    pub command: String,
    /// The envelope's `origin` when it is not the service's daemon name.
    pub origin: Option<String>,
    /// The variant of the service's event enum (`SignagePoint`).
    pub variant: TypeName,
    /// The struct of its data (`SignagePointEvent`).
    pub struct_name: TypeName,
    /// One-line summary.
    pub summary: String,
    /// Longer Markdown.
    pub description: Option<String>,
    /// The `destination`s it is sent to.
    pub listeners: Vec<String>,
    /// The fields of `data` besides `success`, in wire order.
    pub fields: Vec<Field>,
    /// The schema file that declares it.
    pub source: String,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Route name, also the client method name (`get_block`).
    pub name: String,
    /// The method identifier.
    pub method: RustIdent,
    /// Request struct (`GetBlock`).
    pub request_type: TypeName,
    /// Response struct (`GetBlockResponse`).
    pub response_type: TypeName,
    /// Call builder (`GetBlockCall`).
    pub call_type: TypeName,
    /// One-line summary.
    pub summary: String,
    /// Longer Markdown.
    pub description: Option<String>,
    /// What a call does.
    pub access: Access,
    /// First chia-blockchain version that serves it.
    pub since: Option<String>,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// Whether replies carry secrets.
    pub sensitive: bool,
    /// The generated module the endpoint's types go to: `None` for the service's own file,
    /// the file's stem for a file that is `part_of` the service.
    pub group: Option<RustIdent>,
    /// The schema file that declares it.
    pub source: String,
    /// Parts included in the request, with their documentation.
    pub request_parts: Vec<(String, String)>,
    /// Parts included in the response, with their documentation.
    pub response_parts: Vec<(String, String)>,
    /// Request fields in wire order (its own, then those of its parts).
    pub request: Vec<Field>,
    /// Response fields (besides `success`) in wire order.
    pub response: Vec<Field>,
    /// Acknowledged differences from upstream's declared classes, in schema order: a field name
    /// and why upstream's class does not describe the wire. Only `cargo xtask drift` reads them.
    pub quirks: Vec<(String, String)>,
}

/// A field of a request, response or record.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON key.
    pub wire: String,
    /// The Rust field name.
    pub ident: RustIdent,
    /// Documentation.
    pub doc: String,
    /// The type.
    pub ty: Ty,
    /// Why the type contains `any`.
    pub reason: Option<String>,
    /// Whether the value is a secret, redacted in `Debug`.
    pub sensitive: bool,
    /// The part the field comes from, when it is not the endpoint's own.
    pub part: Option<String>,
    /// The map's entries are spread over the reply's top level (see the schema's `flatten`).
    pub flatten: bool,
}

impl Field {
    /// Whether the key may be absent (`optional<T>`).
    pub fn is_optional(&self) -> bool {
        matches!(self.ty, Ty::Optional(_))
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A primitive.
    Prim(Prim),
    /// `optional<T>`
    Optional(Box<Ty>),
    /// `nullable<T>`
    Nullable(Box<Ty>),
    /// `list<T>`
    List(Box<Ty>),
    /// `map<K, V>`
    Map(Box<Ty>, Box<Ty>),
    /// `tuple<…>`
    Tuple(Vec<Ty>),
    /// `any`
    Any,
    /// A named type of `crate::generated::types`.
    Named(TypeName),
}

impl Ty {
    /// Every primitive and named type the type mentions, for `use` lines.
    pub fn uses(&self, out: &mut Vec<Ty>) {
        match self {
            Ty::Prim(_) | Ty::Named(_) => out.push(self.clone()),
            Ty::Optional(t) | Ty::Nullable(t) | Ty::List(t) => t.uses(out),
            Ty::Map(k, v) => {
                out.push(self.clone());
                k.uses(out);
                v.uses(out);
            }
            Ty::Tuple(items) => items.iter().for_each(|t| t.uses(out)),
            Ty::Any => {}
        }
    }

    /// The Rust type, naming named types, chia-rpc's primitives and `BTreeMap` by their short
    /// names (the files that use them import them).
    pub fn rust(&self) -> TokenStream {
        match self {
            Ty::Prim(p) => prim_rust(*p),
            Ty::Optional(t) | Ty::Nullable(t) => {
                let t = t.rust();
                quote!(Option<#t>)
            }
            Ty::List(t) => {
                let t = t.rust();
                quote!(Vec<#t>)
            }
            Ty::Map(k, v) => {
                let (k, v) = (k.rust(), v.rust());
                quote!(BTreeMap<#k, #v>)
            }
            Ty::Tuple(items) => {
                let items = items.iter().map(Ty::rust);
                quote!((#(#items),*))
            }
            Ty::Any => quote!(serde_json::Value),
            Ty::Named(name) => quote!(#name),
        }
    }
}

fn prim_rust(p: Prim) -> TokenStream {
    match p {
        Prim::U8 => quote!(u8),
        Prim::U16 => quote!(u16),
        Prim::U32 => quote!(u32),
        Prim::U64 => quote!(u64),
        Prim::U128 => quote!(u128),
        Prim::I8 => quote!(i8),
        Prim::I16 => quote!(i16),
        Prim::I32 => quote!(i32),
        Prim::I64 => quote!(i64),
        Prim::F64 => quote!(f64),
        Prim::Bool => quote!(bool),
        Prim::Str => quote!(String),
        Prim::Bytes => quote!(Bytes),
        Prim::Bytes4 => quote!(Bytes4),
        Prim::Bytes8 => quote!(Bytes8),
        Prim::Bytes32 => quote!(Bytes32),
        Prim::Bytes48 => quote!(Bytes48),
        Prim::Bytes96 => quote!(Bytes96),
        Prim::Bytes100 => quote!(Bytes100),
        Prim::G1 => quote!(G1Element),
        Prim::G2 => quote!(G2Element),
        Prim::Address => quote!(Address),
    }
}

/// A schema file with a `types` section.
#[derive(Debug, Clone)]
pub struct TypeFile {
    /// Module name under `types/` (the file stem).
    pub module: RustIdent,
    /// The schema file, relative to the root.
    pub source: String,
    /// Title of the service declared in the same file, if any.
    pub service_title: Option<String>,
    /// Types in schema order.
    pub types: Vec<NamedType>,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// The Rust name.
    pub name: TypeName,
    /// Documentation.
    pub doc: String,
    /// Record or enum.
    pub kind: TypeKind,
    /// A record fixed by consensus: exhaustive, buildable with a struct literal.
    pub frozen: bool,
    /// The derivable traits it has.
    pub traits: Traits,
    /// Whether users build values of it to send (it appears in a request): it then gets a
    /// constructor and setters.
    pub buildable: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A JSON object.
    Record(Vec<Field>),
    /// A closed set of strings.
    Enum(Vec<Variant>),
    /// A closed set of integers.
    IntEnum {
        /// The integer type on the wire.
        repr: Prim,
        /// The numbers.
        values: Vec<IntVariant>,
    },
}

/// One number of an integer enum.
#[derive(Debug, Clone)]
pub struct IntVariant {
    /// The Rust variant.
    pub ident: TypeName,
    /// The wire number.
    pub value: i64,
    /// Documentation.
    pub doc: String,
}

/// One string of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The wire string.
    pub wire: String,
    /// The Rust variant.
    pub ident: TypeName,
    /// Documentation.
    pub doc: String,
}

//! The serde model of the files under `schema/`.
//!
//! Every struct rejects unknown keys so that a typo in a schema file is an error, not a silently
//! dropped setting. Values that later checks point at are wrapped in [`Spanned`] so errors can
//! name the line and column they came from. The JSON Schema of this model (see
//! [`format_json_schema`]) lets editors validate schema files while they are being written.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// One schema file. A file declares at most one service (with its endpoints) and any number of
/// named types; a file with only `types` is a shared type library.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    /// The service whose endpoints this file declares.
    #[serde(default)]
    #[schemars(with = "Option<ServiceDef>")]
    pub service: Option<Spanned<ServiceDef>>,
    /// Instead of `service`: the name of a service declared in another file that this file's
    /// endpoints belong to, so a large service can be split by topic. Each such file becomes a
    /// module of its own in the generated code.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub part_of: Option<Spanned<String>>,
    /// Endpoints of the service, keyed by their route name (`get_blockchain_state`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, EndpointDef>")]
    pub endpoints: IndexMap<String, Spanned<EndpointDef>>,
    /// Named types, keyed by their Rust name in `UpperCamelCase` (`BlockRecord`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, TypeDef>")]
    pub types: IndexMap<String, Spanned<TypeDef>>,
    /// Named sets of fields that endpoints include with `request_parts` / `response_parts`
    /// (the options every transaction endpoint reads, the keys every one of them returns).
    /// Names are global, like type names.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, PartDef>")]
    pub parts: IndexMap<String, Spanned<PartDef>>,
    /// The codes a failure reply may carry in `structuredError.code` (chia-blockchain's
    /// `RpcErrorCodes`), each with its documentation. At most one file declares them.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub error_codes: Option<Spanned<IndexMap<String, String>>>,
    /// The messages the service pushes through the daemon's WebSocket, keyed by the envelope's
    /// `command`. In the file of the shared routes: the pushes every RPC server sends.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, EventDef>")]
    pub events: IndexMap<String, Spanned<EventDef>>,
}

/// How a service is reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// `POST https://host:port/<route>` (and relayed by the daemon's WebSocket).
    #[default]
    Https,
    /// Only over the daemon's WebSocket: the daemon itself.
    Websocket,
}

/// A message a service pushes to the daemon's listeners (`wallet_ui`, `metrics`, …).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// One line: what happened.
    pub summary: String,
    /// Longer documentation, in Markdown: what triggers it, how often.
    #[serde(default)]
    pub description: Option<String>,
    /// The `destination`s the service sends it to (`wallet_ui`, `metrics`,
    /// `unfinished_block_info`).
    pub listeners: Vec<String>,
    /// The envelope's `origin` when it is not the service's `daemon_name` (the daemon sends
    /// the plotter's events as `chia_plotter`).
    #[serde(default)]
    pub origin: Option<String>,
    /// The base of the generated names (`<rust_name>Event`), when the command makes a poor one.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The fields of the message's `data`, in wire order, besides the `success` every push
    /// carries.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FieldDef>")]
    pub data: IndexMap<String, Spanned<FieldDef>>,
}

/// A service: one RPC server of a Chia installation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// Chia's name of the service (`full_node`, `wallet`, `simulator`, …); for the routes every
    /// RPC server shares, `shared`.
    pub name: String,
    /// Human title used in documentation (`Full node`).
    pub title: String,
    /// What the service is; becomes the rustdoc of its module and client.
    pub doc: String,
    /// `true` for the routes that every RPC server serves: their methods appear on every
    /// service's client and the file declares no port.
    #[serde(default)]
    pub shared: bool,
    /// Default RPC port, used when the configuration does not name one.
    #[serde(default)]
    pub default_port: Option<u16>,
    /// The section of `config.yaml` that holds this service's `rpc_port` and certificates
    /// (`full_node`; the simulator uses `full_node` too; the crawler `seeder.crawler`). May be
    /// left out when `port_key` and `ssl_key` say where those are (the daemon's are at the top
    /// level).
    #[serde(default)]
    pub config_key: Option<String>,
    /// The certificate directory under `config/ssl/` (defaults to `config_key`).
    #[serde(default)]
    pub cert_dir: Option<String>,
    /// A service whose endpoints this one also serves (the simulator serves the full node's).
    #[serde(default)]
    pub extends: Option<String>,
    /// How the service is reached: `https` (the default) or `websocket` (the daemon).
    #[serde(default)]
    pub transport: TransportKind,
    /// The name the service registers under with the daemon (`chia_wallet`): relayed calls
    /// are sent to it and its pushes come from it. The daemon itself: `daemon`.
    #[serde(default)]
    pub daemon_name: Option<String>,
    /// The dotted `config.yaml` key of the port (default `<config_key>.rpc_port`).
    #[serde(default)]
    pub port_key: Option<String>,
    /// The `config.yaml` section with the certificate paths `private_crt` / `private_key`
    /// (default `<config_key>.ssl`).
    #[serde(default)]
    pub ssl_key: Option<String>,
}

/// What calling an endpoint does to the node or wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Reads state only.
    Read,
    /// Changes the service's state (settings, connections, keys, the simulated chain).
    Write,
    /// Creates or pushes a transaction to the network.
    Transaction,
}

/// One RPC endpoint.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointDef {
    /// One line: what the endpoint does.
    pub summary: String,
    /// Longer documentation, in Markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the endpoint reads, writes, or makes a transaction.
    pub access: Access,
    /// The first chia-blockchain version that serves the endpoint, when known.
    #[serde(default)]
    pub since: Option<String>,
    /// Set when upstream deprecates the endpoint: the note says what to use instead.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// `true` when replies carry secrets (private keys, mnemonics, seeds, passphrases): their
    /// bodies are then never shown in errors.
    #[serde(default)]
    pub sensitive: bool,
    /// Request fields, in wire order. Empty when the endpoint takes `{}`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FieldDef>")]
    pub request: IndexMap<String, Spanned<FieldDef>>,
    /// Response fields besides `success`, in wire order.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FieldDef>")]
    pub response: IndexMap<String, Spanned<FieldDef>>,
    /// Parts whose fields the request also has, after its own.
    #[serde(default)]
    pub request_parts: Vec<String>,
    /// Parts whose fields the response also has, after its own.
    #[serde(default)]
    pub response_parts: Vec<String>,
    /// Deliberate differences from upstream's declared request / response classes, which
    /// `cargo xtask drift` then does not count as drift: a field name (a schema field, or a field
    /// of upstream's class the schema deliberately lacks) mapped to one sentence on the upstream
    /// quirk (a custom JSON form, a key renamed on the wire, a loosely typed value). A quirk whose
    /// field no longer differs upstream is reported as stale. Generated code ignores it.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub quirks: IndexMap<String, Spanned<String>>,
}

/// A named set of fields shared by several endpoints.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    /// What the fields are for; shown on every endpoint that includes them.
    pub doc: String,
    /// The fields, in wire order.
    #[schemars(with = "IndexMap<String, FieldDef>")]
    pub fields: IndexMap<String, Spanned<FieldDef>>,
}

/// A named type: a record (struct), a closed set of strings, or a closed set of integers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What the type is.
    pub doc: String,
    /// Record fields, in wire order. Exactly one of `fields`, `variants` and `values` is given.
    #[serde(default)]
    #[schemars(with = "Option<IndexMap<String, FieldDef>>")]
    pub fields: Option<IndexMap<String, Spanned<FieldDef>>>,
    /// The wire strings of a string enum, each with its documentation.
    #[serde(default)]
    pub variants: Option<IndexMap<String, String>>,
    /// The wire numbers of an integer enum, keyed by their Rust name (`FullNode`); needs `repr`.
    #[serde(default)]
    pub values: Option<IndexMap<String, ValueDef>>,
    /// The integer type of an integer enum's wire numbers (`u8`, `u16`, `u32`, …).
    #[serde(default)]
    pub repr: Option<String>,
    /// For a record fixed by consensus (a coin, a spend): it will never gain fields, so it is
    /// generated exhaustive and can be built with a struct literal. Other records are
    /// `#[non_exhaustive]`, so a field added upstream breaks nobody.
    #[serde(default)]
    pub frozen: bool,
}

/// One number of an integer enum.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueDef {
    /// The number on the wire.
    pub value: i64,
    /// What it means.
    pub doc: String,
}

/// One field of a request, a response or a record.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The wire type, in the type language of `schema/README.md`, e.g. `u64`, `bytes32`,
    /// `list<CoinRecord>`, `optional<u32>`, `map<str, u64>`, `tuple<u32, bytes32>`, `any`.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub ty: Spanned<String>,
    /// What the field means.
    pub doc: String,
    /// Required with `any`: why the value has no fixed shape upstream.
    #[serde(default)]
    pub reason: Option<String>,
    /// The Rust name, when the wire name is not a usable identifier.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// `true` for a secret (a private key, a mnemonic, a seed, a passphrase): `Debug` of the
    /// struct that holds it shows `<redacted>` instead of the value.
    #[serde(default)]
    pub sensitive: bool,
    /// `true` on a `map<str, V>` response field whose entries are not under a key of their own
    /// but spread over the reply's top level, next to `success` (some endpoints answer with a
    /// map keyed by ids). The field's name is then not on the wire. At most one per response;
    /// `V` must hold no `u128`.
    #[serde(default)]
    pub flatten: bool,
}

/// The JSON Schema (draft 2020-12) of a schema file, for editors.
pub fn format_json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(SchemaFile);
    serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
}

//! The shapes of the generated table (`schema_table.rs`) and lookups in it.

use chia_rpc::Service;

use crate::schema_table::{SERVICES, TYPES};

/// One service of the schema and the endpoints its own file declares.
pub struct ServiceInfo {
    /// Chia's name (`full_node`; `shared` for the routes every service serves).
    pub name: &'static str,
    /// The service whose endpoints it also serves.
    pub extends: Option<&'static str>,
    /// Its endpoints, in schema order.
    pub endpoints: &'static [EndpointInfo],
}

/// One endpoint.
pub struct EndpointInfo {
    /// Route name.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// More, or empty.
    pub description: &'static str,
    /// What a call does.
    pub access: Access,
    /// First chia-blockchain version that serves it.
    pub since: Option<&'static str>,
    /// Why not to use it any more.
    pub deprecated: Option<&'static str>,
    /// Request fields, in wire order.
    pub fields: &'static [FieldInfo],
}

/// What a call does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only.
    Read,
    /// Changes the service's state.
    Write,
    /// Creates or pushes a transaction.
    Transaction,
}

/// One request field.
pub struct FieldInfo {
    /// The JSON key.
    pub wire: &'static str,
    /// The type as the schema spells it (`optional<list<bytes32>>`).
    pub ty: &'static str,
    /// Documentation.
    pub doc: &'static str,
}

/// A named type a request field mentions.
pub struct TypeInfo {
    /// Its name in the schema.
    pub name: &'static str,
    /// Its first sentence.
    pub doc: &'static str,
    /// What it is on the wire.
    pub shape: TypeShape,
}

/// The wire shape of a named type.
pub enum TypeShape {
    /// A JSON object.
    Record,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// One of these numbers (Rust name, value), of integer type `repr`.
    IntEnum {
        /// The integer type on the wire.
        repr: &'static str,
        /// Name and number of each value.
        values: &'static [(&'static str, i64)],
    },
}

/// The named type called `name`.
pub fn named_type(name: &str) -> Option<&'static TypeInfo> {
    TYPES.iter().find(|t| t.name == name)
}

fn service_info(name: &str) -> Option<&'static ServiceInfo> {
    SERVICES.iter().find(|s| s.name == name)
}

/// The endpoint `name` as `service` serves it: its own, then the extended service's, then the
/// shared routes.
pub fn endpoint(service: Service, name: &str) -> Option<&'static EndpointInfo> {
    let mut owner = service_info(service.name());
    while let Some(info) = owner {
        if let Some(found) = info.endpoints.iter().find(|e| e.name == name) {
            return Some(found);
        }
        owner = info.extends.and_then(service_info);
    }
    service_info("shared")?.endpoints.iter().find(|e| e.name == name)
}

/// Every endpoint `service` serves in this build, sorted by name.
pub fn endpoints(service: Service) -> impl Iterator<Item = &'static EndpointInfo> {
    chia_rpc::endpoint_names(service).iter().filter_map(move |name| endpoint(service, name))
}

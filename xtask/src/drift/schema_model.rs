//! The part of the schema the comparison needs, taken from the codegen IR.

use chia_rpc_codegen::ir;

use super::shape::{EnumKind, Enums, FieldSpec, Shape};

/// The part of the schema the comparison needs.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Services, the shared routes included (`shared: true`).
    pub services: Vec<SchemaService>,
    /// The codes of structured errors, when a schema file declares them.
    pub error_codes: Option<SchemaErrorCodes>,
}

/// The codes of structured errors the schema declares.
#[derive(Debug, Clone, Default)]
pub struct SchemaErrorCodes {
    /// The schema file that declares them.
    pub source: String,
    /// The codes as they travel, in schema order.
    pub codes: Vec<String>,
}

/// The part of a schema service the comparison needs.
#[derive(Debug, Clone, Default)]
pub struct SchemaService {
    /// Chia's name of the service.
    pub name: String,
    /// Whether these are the shared routes.
    pub shared: bool,
    /// The service whose routes this one serves too.
    pub extends: Option<String>,
    /// Endpoints in schema order.
    pub endpoints: Vec<SchemaEndpoint>,
}

/// One schema endpoint.
#[derive(Debug, Clone, Default)]
pub struct SchemaEndpoint {
    /// Route name.
    pub name: String,
    /// First chia-blockchain version that serves it, when the schema says.
    pub since: Option<String>,
    /// Request fields.
    pub request: Vec<FieldSpec>,
    /// Response fields besides `success`.
    pub response: Vec<FieldSpec>,
    /// Acknowledged upstream quirks: field name and explanation, in schema order.
    pub quirks: Vec<(String, String)>,
}

impl SchemaService {
    /// Converts an IR service; `enums` says which named types are enums.
    fn from_ir_with(service: &ir::Service, enums: &Enums) -> SchemaService {
        let fields = |fields: &[ir::Field]| {
            fields
                .iter()
                .map(|f| FieldSpec {
                    name: f.wire.clone(),
                    shape: Shape::from_ty(&f.ty, enums),
                    may_omit: f.is_optional(),
                })
                .collect()
        };
        SchemaService {
            name: service.name.clone(),
            shared: service.shared,
            extends: service.extends.clone(),
            endpoints: service
                .endpoints
                .iter()
                .map(|e| SchemaEndpoint {
                    name: e.name.clone(),
                    since: e.since.clone(),
                    request: fields(&e.request),
                    response: fields(&e.response),
                    quirks: e.quirks.clone(),
                })
                .collect(),
        }
    }
}

/// What a named type's values look like on the wire, when it is an enum.
fn enum_kind(kind: &ir::TypeKind) -> Option<EnumKind> {
    match kind {
        ir::TypeKind::Record(_) => None,
        ir::TypeKind::Enum(_) => Some(EnumKind::Str),
        ir::TypeKind::IntEnum { repr, .. } => Some(EnumKind::Int(*repr)),
    }
}

/// The schema's enums by name.
fn enums_of(ir: &chia_rpc_codegen::Ir) -> Enums {
    ir.type_files
        .iter()
        .flat_map(|f| &f.types)
        .filter_map(|t| Some((t.name.to_string(), enum_kind(&t.kind)?)))
        .collect()
}

/// Converts every service of `ir`, telling enums from records, and its error codes.
pub fn schema_of(ir: &chia_rpc_codegen::Ir) -> Schema {
    let enums = enums_of(ir);
    Schema {
        services: ir.services.iter().map(|s| SchemaService::from_ir_with(s, &enums)).collect(),
        error_codes: ir.error_codes.as_ref().map(|e| SchemaErrorCodes {
            source: e.source.clone(),
            codes: e.variants.iter().map(|v| v.wire.clone()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use chia_rpc_codegen::ir::{
        Access, Endpoint, ErrorCodes, Field, IntVariant, Ir, NamedType, RustIdent, Service, Traits,
        Ty, TypeFile, TypeKind, TypeName, Variant,
    };
    use chia_rpc_codegen::typeexpr::Prim;

    use super::*;
    use crate::drift::testing::{field, prim};

    fn named(name: &str, kind: TypeKind) -> NamedType {
        NamedType {
            name: TypeName::new(name),
            doc: String::new(),
            kind,
            frozen: false,
            traits: Traits::ALL,
            buildable: false,
        }
    }

    fn variant(wire: &str) -> Variant {
        Variant { wire: wire.to_owned(), ident: TypeName::new("V"), doc: String::new() }
    }

    fn ir_field(wire: &str, ty: Ty) -> Field {
        Field {
            wire: wire.to_owned(),
            ident: RustIdent::new(wire),
            doc: String::new(),
            ty,
            reason: None,
            sensitive: false,
            part: None,
            flatten: false,
        }
    }

    /// The wallet service with one endpoint, `get_wallets`, whose request has `request`.
    fn wallet(request: Vec<Field>) -> Service {
        let endpoint = Endpoint {
            name: "get_wallets".to_owned(),
            method: RustIdent::new("get_wallets"),
            request_type: TypeName::new("GetWallets"),
            response_type: TypeName::new("GetWalletsResponse"),
            call_type: TypeName::new("GetWalletsCall"),
            summary: String::new(),
            description: None,
            access: Access::Read,
            since: None,
            deprecated: None,
            sensitive: false,
            group: None,
            source: "schema/wallet.yaml".to_owned(),
            request_parts: Vec::new(),
            response_parts: Vec::new(),
            request,
            response: Vec::new(),
            quirks: vec![("type".to_owned(), "Upstream declares a uint16.".to_owned())],
        };
        Service {
            name: "wallet".to_owned(),
            module: RustIdent::new("wallet"),
            variant: TypeName::new("Wallet"),
            handle: TypeName::new("WalletRpc"),
            title: String::new(),
            doc: String::new(),
            shared: false,
            default_port: 9256,
            config_key: "wallet".to_owned(),
            cert_dir: "wallet".to_owned(),
            extends: None,
            websocket: false,
            daemon_name: Some("chia_wallet".to_owned()),
            port_key: "wallet.rpc_port".to_owned(),
            ssl_key: "wallet.ssl".to_owned(),
            source: "schema/wallet.yaml".to_owned(),
            endpoints: vec![endpoint],
            events: Vec::new(),
        }
    }

    #[test]
    fn enums_and_error_codes_from_the_ir() {
        let types = vec![
            named(
                "WalletType",
                TypeKind::IntEnum {
                    repr: Prim::U8,
                    values: vec![IntVariant {
                        ident: TypeName::new("StandardWallet"),
                        value: 0,
                        doc: String::new(),
                    }],
                },
            ),
            named("Kind", TypeKind::Enum(vec![variant("a")])),
            named("Coin", TypeKind::Record(Vec::new())),
        ];
        let ty = |name: &str| Ty::Named(TypeName::new(name));
        let ir = Ir {
            services: vec![wallet(vec![
                ir_field("type", ty("WalletType")),
                ir_field("kind", ty("Kind")),
                ir_field("coin", ty("Coin")),
            ])],
            type_files: vec![TypeFile {
                module: RustIdent::new("wallet"),
                source: "schema/wallet.yaml".to_owned(),
                service_title: None,
                types,
            }],
            error_codes: Some(ErrorCodes {
                source: "schema/shared.yaml".to_owned(),
                variants: vec![variant("BLOCK_NOT_FOUND"), variant("API_ERROR")],
            }),
        };
        let schema = schema_of(&ir);
        assert_eq!(
            schema.services[0].endpoints[0].request,
            [
                field("type", prim("u8"), false),
                field("kind", Shape::Enum("Kind".to_owned()), false),
                field("coin", Shape::Named("Coin".to_owned()), false),
            ]
        );
        assert_eq!(
            schema.services[0].endpoints[0].quirks,
            [("type".to_owned(), "Upstream declares a uint16.".to_owned())]
        );
        let codes = schema.error_codes.unwrap_or_else(|| panic!("no error codes"));
        assert_eq!(codes.codes, ["BLOCK_NOT_FOUND", "API_ERROR"]);
        assert_eq!(codes.source, "schema/shared.yaml");
    }
}

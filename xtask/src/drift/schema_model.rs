//! The part of the schema the comparison needs, taken from the codegen IR.

use std::collections::BTreeSet;

use chia_rpc_codegen::ir;

use super::shape::{FieldSpec, Shape};

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
}

impl SchemaService {
    /// Converts an IR service; `enums` names the schema's string enums.
    fn from_ir_with(service: &ir::Service, enums: &BTreeSet<String>) -> SchemaService {
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
                })
                .collect(),
        }
    }
}

/// Converts every service of `ir`, telling string enums from records.
pub fn schema_of(ir: &chia_rpc_codegen::Ir) -> Vec<SchemaService> {
    let enums: BTreeSet<String> = ir
        .type_files
        .iter()
        .flat_map(|f| &f.types)
        .filter(|t| matches!(t.kind, ir::TypeKind::Enum(_)))
        .map(|t| t.name.to_string())
        .collect();
    ir.services.iter().map(|s| SchemaService::from_ir_with(s, &enums)).collect()
}

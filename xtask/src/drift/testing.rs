//! Builders shared by the tests of the drift modules.

use super::report::{Report, ServiceReport};
use super::schema_model::{Schema, SchemaEndpoint, SchemaService};
use super::shape::{FieldSpec, Shape};
use super::upstream::{ErrorCodeList, Routes, Upstream, WalletFields};

/// A primitive type by its schema name.
pub fn prim(name: &str) -> Shape {
    Shape::Prim(name.to_owned())
}

/// `optional<shape>`.
pub fn opt(shape: Shape) -> Shape {
    Shape::Optional(Box::new(shape))
}

/// A field of either side.
pub fn field(name: &str, shape: Shape, may_omit: bool) -> FieldSpec {
    FieldSpec { name: name.to_owned(), shape, may_omit }
}

fn endpoint(name: &str) -> SchemaEndpoint {
    SchemaEndpoint { name: name.to_owned(), ..SchemaEndpoint::default() }
}

/// A schema service with field-less endpoints named `routes`.
pub fn service(name: &str, routes: &[&str]) -> SchemaService {
    SchemaService {
        name: name.to_owned(),
        endpoints: routes.iter().map(|r| endpoint(r)).collect(),
        ..SchemaService::default()
    }
}

/// A schema of `services`, without error codes.
pub fn schema_with(services: Vec<SchemaService>) -> Schema {
    Schema { services, error_codes: None }
}

/// Upstream routes of a service that exists.
pub fn present(routes: &[&str]) -> Routes {
    Routes::Present {
        routes: routes.iter().map(|r| (*r).to_owned()).collect(),
        source: "test".to_owned(),
    }
}

/// An upstream release 9.9.9 serving `services`, without wallet field metadata or error codes.
pub fn upstream(services: &[(&str, Routes)]) -> Upstream {
    Upstream {
        version: "9.9.9".to_owned(),
        python: "3.11.0".to_owned(),
        services: services.iter().map(|(n, r)| ((*n).to_owned(), r.clone())).collect(),
        wallet: WalletFields {
            note: Some("not present in this version".to_owned()),
            ..WalletFields::default()
        },
        error_codes: ErrorCodeList::Absent { note: "not present in this version".to_owned() },
    }
}

/// The report of service `name`; panics when there is none.
pub fn find<'a>(report: &'a Report, name: &str) -> &'a ServiceReport {
    report.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no {name}"))
}

//! Facts about the named types that the emitters need and the schema does not state: which
//! traits each type can derive, and which types users build to send.

use std::collections::BTreeSet;

use crate::ir::{Ir, Traits, Ty, TypeKind};

/// Fills in [`crate::ir::NamedType::traits`] and [`crate::ir::NamedType::buildable`].
pub(super) fn analyse(ir: &mut Ir) {
    derive_traits(ir);
    mark_buildable(ir);
}

/// Starts from every trait and takes away what a field rules out until nothing changes, so
/// types that refer to each other settle too.
fn derive_traits(ir: &mut Ir) {
    for t in ir.type_files.iter_mut().flat_map(|f| f.types.iter_mut()) {
        t.traits = match t.kind {
            TypeKind::Record(_) => Traits::ALL,
            // `Other(String)` keeps an unknown value.
            TypeKind::Enum(_) => Traits { copy: false, eq: true, hash: true },
            TypeKind::IntEnum { .. } => Traits::ALL,
        };
    }
    loop {
        let mut changed = false;
        for file in 0..ir.type_files.len() {
            for index in 0..ir.type_files[file].types.len() {
                let t = &ir.type_files[file].types[index];
                let TypeKind::Record(fields) = &t.kind else { continue };
                let traits = t.traits.and(ir.field_traits(fields));
                if traits != t.traits {
                    ir.type_files[file].types[index].traits = traits;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// A type is buildable when a request refers to it, directly or through other records.
fn mark_buildable(ir: &mut Ir) {
    let mut names = Vec::new();
    for e in ir.services.iter().flat_map(|s| &s.endpoints) {
        for f in &e.request {
            named(&f.ty, &mut names);
        }
    }
    let mut buildable = BTreeSet::new();
    while let Some(name) = names.pop() {
        if !buildable.insert(name.clone()) {
            continue;
        }
        if let Some(t) = ir.named_type(&name)
            && let TypeKind::Record(fields) = &t.kind
        {
            for f in fields {
                named(&f.ty, &mut names);
            }
        }
    }
    for t in ir.type_files.iter_mut().flat_map(|f| f.types.iter_mut()) {
        t.buildable = buildable.contains(t.name.as_str());
    }
}

fn named(ty: &Ty, out: &mut Vec<String>) {
    let mut uses = Vec::new();
    ty.uses(&mut uses);
    out.extend(uses.into_iter().filter_map(|t| match t {
        Ty::Named(name) => Some(name.to_string()),
        _ => None,
    }));
}

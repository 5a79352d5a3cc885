//! The type language both sides of the comparison are reduced to, and when an upstream type fits
//! a schema type.

use std::collections::BTreeMap;
use std::fmt;

use chia_rpc_codegen::ir::Ty;
use chia_rpc_codegen::typeexpr::Prim;

/// A type in the schema's type language, as far as both sides can say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A primitive by its schema name (`u64`, `str`, `bytes32`, …); upstream also says `int`
    /// (a Python int of no fixed width) and `none`.
    Prim(String),
    /// `optional<T>`; upstream: `T | None`.
    Optional(Box<Shape>),
    /// `nullable<T>` (schema only).
    Nullable(Box<Shape>),
    /// `list<T>`
    List(Box<Shape>),
    /// `map<K, V>`
    Map(Box<Shape>, Box<Shape>),
    /// `tuple<…>`
    Tuple(Vec<Shape>),
    /// A record type (schema) or class (upstream).
    Named(String),
    /// A schema string enum.
    Enum(String),
    /// `any`
    Any,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Prim(name) | Shape::Named(name) | Shape::Enum(name) => f.write_str(name),
            Shape::Optional(t) => write!(f, "optional<{t}>"),
            Shape::Nullable(t) => write!(f, "nullable<{t}>"),
            Shape::List(t) => write!(f, "list<{t}>"),
            Shape::Map(k, v) => write!(f, "map<{k}, {v}>"),
            Shape::Tuple(items) => {
                f.write_str("tuple<")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(">")
            }
            Shape::Any => f.write_str("any"),
        }
    }
}

/// What a schema enum is, as far as its shape goes; named types without one are records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    /// A closed set of strings: [`Shape::Enum`].
    Str,
    /// A closed set of integers, travelling as `repr`: the shape of that integer.
    Int(Prim),
}

/// The schema's enums by type name.
pub type Enums = BTreeMap<String, EnumKind>;

impl Shape {
    /// The shape of an IR type; `enums` says which named types are enums.
    pub(super) fn from_ty(ty: &Ty, enums: &Enums) -> Shape {
        let boxed = |t: &Ty| Box::new(Shape::from_ty(t, enums));
        match ty {
            Ty::Prim(p) => Shape::Prim(p.name().to_owned()),
            Ty::Optional(t) => Shape::Optional(boxed(t)),
            Ty::Nullable(t) => Shape::Nullable(boxed(t)),
            Ty::List(t) => Shape::List(boxed(t)),
            Ty::Map(k, v) => Shape::Map(boxed(k), boxed(v)),
            Ty::Tuple(items) => {
                Shape::Tuple(items.iter().map(|t| Shape::from_ty(t, enums)).collect())
            }
            Ty::Any => Shape::Any,
            Ty::Named(name) => match enums.get(name.as_str()) {
                Some(EnumKind::Str) => Shape::Enum(name.to_string()),
                Some(EnumKind::Int(repr)) => Shape::Prim(repr.name().to_owned()),
                None => Shape::Named(name.to_string()),
            },
        }
    }

    /// The type without an outer `optional` / `nullable`, and whether there was one.
    pub(super) fn strip(&self) -> (&Shape, bool) {
        match self {
            Shape::Optional(t) | Shape::Nullable(t) => (t, true),
            other => (other, false),
        }
    }
}

fn is_integer(name: &str) -> bool {
    matches!(name, "u8" | "u16" | "u32" | "u64" | "u128" | "i8" | "i16" | "i32" | "i64" | "int")
}

/// Whether a value upstream sends or accepts as `upstream` fits the schema's `schema`.
/// Record and class names are not compared: the schema names its own types.
pub fn compatible(schema: &Shape, upstream: &Shape) -> bool {
    use Shape::*;
    match (schema, upstream) {
        (Any, _) | (_, Any) => true,
        (Optional(s) | Nullable(s), Optional(u)) => compatible(s, u),
        (Optional(s) | Nullable(s), u) => compatible(s, u),
        (_, Optional(_)) => false,
        (Prim(s), Prim(u)) => {
            s == u
                || (u == "int" && is_integer(s))
                || (s == "address" && u == "str")
                || (s == "bytes" && u.starts_with("bytes"))
        }
        (Enum(_), Prim(u)) => u == "str",
        (Enum(_) | Named(_), Named(_)) => true,
        (List(s), List(u)) => compatible(s, u),
        (Map(sk, sv), Map(uk, uv)) => compatible(sk, uk) && compatible(sv, uv),
        (Tuple(s), Tuple(u)) => {
            s.len() == u.len() && s.iter().zip(u).all(|(s, u)| compatible(s, u))
        }
        _ => false,
    }
}

/// A request or response field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The JSON key.
    pub name: String,
    /// Its type.
    pub shape: Shape,
    /// Whether a request may leave the key out (schema: `optional<T>`; upstream: a default).
    pub may_omit: bool,
}

#[cfg(test)]
mod tests {
    use chia_rpc_codegen::ir::TypeName;

    use super::*;
    use crate::drift::testing::{opt, prim};

    #[test]
    fn type_compatibility() {
        assert!(compatible(&prim("u32"), &prim("u32")));
        assert!(!compatible(&prim("u32"), &prim("u64")));
        assert!(compatible(&prim("u64"), &prim("int")));
        assert!(compatible(&prim("address"), &prim("str")));
        assert!(compatible(&prim("bytes"), &prim("bytes32")));
        assert!(!compatible(&prim("bytes32"), &prim("bytes")));
        assert!(compatible(&Shape::Any, &Shape::Named("Solver".to_owned())));
        assert!(compatible(&Shape::Named("Coin".to_owned()), &Shape::Named("Coin".to_owned())));
        assert!(!compatible(&Shape::Named("Coin".to_owned()), &prim("str")));
        assert!(compatible(&Shape::Enum("Kind".to_owned()), &prim("str")));
        let list = |s| Shape::List(Box::new(s));
        assert!(compatible(&list(prim("bytes32")), &list(prim("bytes32"))));
        assert!(!compatible(&list(prim("u8")), &list(prim("str"))));
        assert!(compatible(&opt(prim("u8")), &prim("u8")));
        assert!(!compatible(&prim("u8"), &opt(prim("u8"))));
        assert!(compatible(&Shape::Nullable(Box::new(prim("u8"))), &opt(prim("u8"))));
        let tuple = |items| Shape::Tuple(items);
        assert!(compatible(
            &tuple(vec![prim("u8"), prim("str")]),
            &tuple(vec![prim("u8"), prim("str")])
        ));
        assert!(!compatible(&tuple(vec![prim("u8")]), &tuple(vec![prim("u8"), prim("str")])));
        assert_eq!(opt(list(prim("u64"))).to_string(), "optional<list<u64>>");
    }

    #[test]
    fn enums_reduce_to_their_wire_shape() {
        let enums: Enums =
            [("Kind".to_owned(), EnumKind::Str), ("Level".to_owned(), EnumKind::Int(Prim::U8))]
                .into();
        let named = |name: &str| Ty::Named(TypeName::new(name));
        assert_eq!(Shape::from_ty(&named("Kind"), &enums), Shape::Enum("Kind".to_owned()));
        assert_eq!(Shape::from_ty(&named("Level"), &enums), prim("u8"));
        assert_eq!(
            Shape::from_ty(&Ty::Optional(Box::new(named("Level"))), &enums),
            opt(prim("u8"))
        );
        assert_eq!(Shape::from_ty(&named("Coin"), &enums), Shape::Named("Coin".to_owned()));
        // An integer enum fits upstream's integers, not its classes or strings.
        let level = Shape::from_ty(&named("Level"), &enums);
        assert!(compatible(&level, &prim("int")));
        assert!(!compatible(&level, &Shape::Named("Level".to_owned())));
        assert!(!compatible(&level, &prim("str")));
    }
}

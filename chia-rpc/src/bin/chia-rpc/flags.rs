//! Request fields as typed flags: the flag's name, how its value is checked, and the JSON it
//! becomes. The typed model checks the whole request again before anything is sent; the flags
//! catch a wrong value early and name the flag.

use std::str::FromStr;

use chia_rpc::Address;
use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, ArgMatches};

use crate::table::{FieldInfo, TypeShape, named_type};

/// The id of the `--json` argument, which can supply required fields instead of their flags.
pub const JSON_ID: &str = "chia-rpc.json";

/// How a field's type reads on the command line.
#[derive(Clone, Copy)]
pub struct FlagType {
    /// `optional<…>`: the flag may be left out.
    pub optional: bool,
    /// `nullable<…>`: `null` is a value (the key is still required).
    pub nullable: bool,
    /// `list<…>`: the flag repeats, one item each time, or takes one JSON array.
    pub list: bool,
    /// The type of one value (of one item, for a list).
    pub item: Item,
    /// The item's type as the schema spells it.
    pub item_spelling: &'static str,
}

/// The family of one value.
#[derive(Clone, Copy)]
pub enum Item {
    /// `true` or `false`; the bare flag means `true`.
    Bool,
    /// An unsigned integer of at most this many bits.
    Unsigned(u32),
    /// A signed integer of at most this many bits.
    Signed(u32),
    /// A finite floating-point number.
    Float,
    /// Any text.
    Str,
    /// Hex, `0x` optional: exactly this many bytes, or any whole number of bytes.
    Hex(Option<usize>),
    /// A bech32m address.
    Address,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// One of these numbers, or its name.
    IntEnum {
        /// Bits of the integer type on the wire.
        bits: u32,
        /// Whether the wire type is signed.
        signed: bool,
        /// Names and numbers.
        values: &'static [(&'static str, i64)],
    },
    /// JSON of this kind: a record or map (`object`), a tuple (`array`), or `any`.
    Json(&'static str),
}

impl FlagType {
    /// Reads a schema type spelling.
    pub fn of(spelling: &'static str) -> FlagType {
        let mut ty = spelling;
        let optional = strip(&mut ty, "optional");
        let nullable = strip(&mut ty, "nullable");
        let list = strip(&mut ty, "list");
        // A list item that may be null reads like the item.
        strip(&mut ty, "nullable");
        FlagType { optional, nullable, list, item: Item::of(ty), item_spelling: ty }
    }

    /// Whether the request cannot go without it.
    pub fn required(self) -> bool {
        !self.optional
    }
}

/// Removes `wrapper<` … `>` around `ty`, saying whether it was there.
fn strip(ty: &mut &'static str, wrapper: &str) -> bool {
    let inner = ty
        .strip_prefix(wrapper)
        .and_then(|rest| rest.strip_prefix('<'))
        .and_then(|rest| rest.strip_suffix('>'));
    match inner {
        Some(inner) => {
            *ty = inner.trim();
            true
        }
        None => false,
    }
}

impl Item {
    fn of(ty: &'static str) -> Item {
        match ty {
            "bool" => Item::Bool,
            "u8" => Item::Unsigned(8),
            "u16" => Item::Unsigned(16),
            "u32" => Item::Unsigned(32),
            "u64" => Item::Unsigned(64),
            "u128" => Item::Unsigned(128),
            "i8" => Item::Signed(8),
            "i16" => Item::Signed(16),
            "i32" => Item::Signed(32),
            "i64" => Item::Signed(64),
            "f64" => Item::Float,
            "str" => Item::Str,
            "bytes" => Item::Hex(None),
            "bytes4" => Item::Hex(Some(4)),
            "bytes8" => Item::Hex(Some(8)),
            "bytes32" => Item::Hex(Some(32)),
            "bytes48" | "g1" => Item::Hex(Some(48)),
            "bytes96" | "g2" => Item::Hex(Some(96)),
            "bytes100" => Item::Hex(Some(100)),
            "address" => Item::Address,
            "any" => Item::Json("any"),
            _ if ty.starts_with("map<") => Item::Json("object"),
            _ if ty.starts_with("tuple<") || ty.starts_with("list<") => Item::Json("array"),
            _ => match named_type(ty).map(|t| &t.shape) {
                Some(TypeShape::Enum(variants)) => Item::Enum(variants),
                Some(TypeShape::IntEnum { repr, values }) => Item::IntEnum {
                    bits: repr.trim_start_matches(['u', 'i']).parse().unwrap_or(64),
                    signed: repr.starts_with('i'),
                    values,
                },
                Some(TypeShape::Record) | None => Item::Json("object"),
            },
        }
    }

    /// The JSON for `input`, or why it is not a value of this family.
    pub fn parse(self, input: &str) -> Result<String, String> {
        match self {
            Item::Bool => match input {
                "true" | "false" => Ok(input.to_owned()),
                _ => Err("expected true or false".to_owned()),
            },
            Item::Unsigned(bits) => unsigned(input, bits),
            Item::Signed(bits) => signed(input, bits),
            Item::Float => match input.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(input.to_owned()),
                _ => Err("expected a finite number".to_owned()),
            },
            Item::Str => Ok(quote(input)),
            Item::Hex(length) => hex(input, length),
            Item::Address => match Address::from_str(input) {
                Ok(address) => Ok(quote(address.as_str())),
                Err(err) => Err(format!("not a bech32m address: {err}")),
            },
            Item::Enum(variants) => {
                if variants.contains(&input) {
                    Ok(quote(input))
                } else {
                    Err(format!("expected one of {}", variants.join(", ")))
                }
            }
            Item::IntEnum { bits, signed: is_signed, values } => {
                let by_name =
                    values.iter().find(|(name, _)| name.eq_ignore_ascii_case(input.trim()));
                match by_name {
                    Some((_, value)) => Ok(value.to_string()),
                    None if is_signed => signed(input, bits),
                    None => unsigned(input, bits),
                }
                .map_err(|_| {
                    let known: Vec<String> =
                        values.iter().map(|(name, value)| format!("{name} ({value})")).collect();
                    format!("expected a number or one of {}", known.join(", "))
                })
            }
            Item::Json(kind) => json(input, kind),
        }
    }
}

fn unsigned(input: &str, bits: u32) -> Result<String, String> {
    let max = if bits >= 128 { u128::MAX } else { (1u128 << bits) - 1 };
    match input.parse::<u128>() {
        Ok(value) if value <= max => Ok(value.to_string()),
        Ok(_) => Err(format!("above the largest u{bits}, {max}")),
        Err(_) => Err(format!("expected an integer from 0 to {max}")),
    }
}

fn signed(input: &str, bits: u32) -> Result<String, String> {
    let max = (1i128 << (bits - 1)) - 1;
    match input.parse::<i128>() {
        Ok(value) if value <= max && value >= -max - 1 => Ok(value.to_string()),
        _ => Err(format!("expected an integer from {} to {max}", -max - 1)),
    }
}

fn hex(input: &str, length: Option<usize>) -> Result<String, String> {
    let digits = input.strip_prefix("0x").or_else(|| input.strip_prefix("0X")).unwrap_or(input);
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("expected hex digits, found {bad:?}"));
    }
    match length {
        Some(bytes) if digits.len() != bytes * 2 => Err(format!(
            "expected {bytes} bytes ({} hex digits, `0x` optional), found {} digits",
            bytes * 2,
            digits.len()
        )),
        None if digits.len() % 2 == 1 => Err("an odd number of hex digits".to_owned()),
        _ => Ok(quote(&format!("0x{}", digits.to_ascii_lowercase()))),
    }
}

fn json(input: &str, kind: &str) -> Result<String, String> {
    serde_json::from_str::<serde::de::IgnoredAny>(input)
        .map_err(|err| format!("not valid JSON: {err}"))?;
    let first = input.trim_start().chars().next();
    match (kind, first) {
        ("object", Some('{')) | ("array", Some('[')) | ("any", _) => Ok(input.trim().to_owned()),
        _ => Err(format!("expected a JSON {kind}")),
    }
}

/// `text` as a JSON string.
fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// One value given to a flag.
#[derive(Clone)]
pub enum FlagValue {
    /// One value (one item of a list), as JSON.
    One(String),
    /// A whole list given at once as a JSON array.
    Array(String),
}

/// The flag of a request field: its wire name with `-` for `_` (capitals kept: `--K`).
pub fn flag_name(wire: &str) -> String {
    wire.replace('_', "-")
}

/// The argument of `field`, under the id of its wire name.
pub fn field_arg(field: &'static FieldInfo) -> Arg {
    let ty = FlagType::of(field.ty);
    let mut arg = Arg::new(field.wire)
        .long(flag_name(field.wire))
        .value_name(value_name(ty))
        .help(help(field, ty, false))
        .long_help(help(field, ty, true));
    arg = match ty.item {
        // Offered by completions; checked like any other item.
        Item::Enum(variants) => {
            arg.value_parser(EnumValues(variants, ty)).hide_possible_values(true)
        }
        _ => arg.value_parser(move |input: &str| parse_flag(ty, input)),
    };
    if matches!(ty.item, Item::Unsigned(_) | Item::Signed(_) | Item::Float) {
        // `-1` is a value for the parser to judge, not a flag.
        arg = arg.allow_negative_numbers(true);
    }
    arg = if ty.list {
        arg.action(ArgAction::Append)
    } else if matches!(ty.item, Item::Bool) {
        arg.num_args(0..=1).default_missing_value("true")
    } else {
        arg.action(ArgAction::Set)
    };
    if ty.required() {
        arg = arg.required_unless_present(JSON_ID);
    }
    arg
}

/// One value given to the flag of a field of type `ty`.
fn parse_flag(ty: FlagType, input: &str) -> Result<FlagValue, String> {
    // An item that is itself an array (a tuple) is never the whole list.
    let item_is_array = matches!(ty.item, Item::Json("array"));
    if ty.list && input.trim_start().starts_with('[') && !item_is_array {
        return json(input, "array").map(FlagValue::Array);
    }
    if ty.nullable && input == "null" {
        return Ok(FlagValue::One("null".to_owned()));
    }
    ty.item.parse(input).map(FlagValue::One)
}

/// The `<…>` after a flag in help.
fn value_name(ty: FlagType) -> &'static str {
    match ty.item {
        Item::Json(_) if !ty.item_spelling.contains('<') => ty.item_spelling,
        Item::Json(_) => "JSON",
        _ => ty.item_spelling,
    }
}

fn help(field: &FieldInfo, ty: FlagType, long: bool) -> String {
    let mut notes = vec![field.ty.to_owned()];
    if ty.required() {
        notes.push("required".to_owned());
    }
    if !long {
        // One line: the first sentence.
        let doc = field.doc.split_whitespace().collect::<Vec<_>>().join(" ");
        let first = doc.find(". ").map_or(doc.as_str(), |end| &doc[..=end]);
        return format!("{first} [{}]", notes.join(", "));
    }
    // As the schema wraps it.
    let doc = field.doc;
    match ty.item {
        Item::Hex(_) => notes.push("hex, `0x` optional".to_owned()),
        Item::Json(_) => notes.push("JSON".to_owned()),
        Item::Enum(variants) => notes.push(format!("one of {}", variants.join(", "))),
        Item::IntEnum { values, .. } => {
            let known: Vec<String> =
                values.iter().map(|(name, value)| format!("{name}={value}")).collect();
            notes.push(format!("a number or a name: {}", known.join(", ")));
        }
        Item::Bool => notes.push("the bare flag means true".to_owned()),
        _ => {}
    }
    if ty.list {
        notes.push("repeat the flag for more items, or give one JSON array".to_owned());
    }
    if ty.nullable {
        notes.push("`null` allowed".to_owned());
    }
    if let Some(t) = named_type(ty.item_spelling) {
        notes.push(format!("{}: {}", t.name, t.doc));
    }
    format!("{doc}\n[{}]", notes.join("; "))
}

/// A string enum: its values for completion, checked like any other item.
#[derive(Clone)]
struct EnumValues(&'static [&'static str], FlagType);

impl clap::builder::TypedValueParser for EnumValues {
    type Value = FlagValue;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FlagValue, clap::Error> {
        let text = value.to_string_lossy();
        parse_flag(self.1, &text).map_err(|reason| {
            let flag = arg.and_then(Arg::get_long).unwrap_or("?");
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value '{text}' for '--{flag}': {reason}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(PossibleValue::new)))
    }
}

/// The JSON of the fields given as flags, by wire name.
pub fn values(
    fields: &'static [FieldInfo],
    matches: &ArgMatches,
) -> Result<Vec<(&'static str, String)>, String> {
    let mut out = Vec::new();
    for field in fields {
        let Some(given) = matches.get_many::<FlagValue>(field.wire) else { continue };
        let given: Vec<&FlagValue> = given.collect();
        let flag = flag_name(field.wire);
        let json = if FlagType::of(field.ty).list {
            match given.as_slice() {
                [FlagValue::Array(array)] => array.clone(),
                items => {
                    let items = items
                        .iter()
                        .map(|value| match value {
                            FlagValue::One(item) => Ok(item.as_str()),
                            FlagValue::Array(_) => Err(format!(
                                "--{flag}: give either one JSON array or one item per flag"
                            )),
                        })
                        .collect::<Result<Vec<&str>, String>>()?;
                    format!("[{}]", items.join(","))
                }
            }
        } else {
            match given.last() {
                Some(FlagValue::One(value) | FlagValue::Array(value)) => value.clone(),
                None => continue,
            }
        };
        out.push((field.wire, json));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrappers_in_any_order_the_schema_allows() {
        let ty = FlagType::of("optional<list<bytes32>>");
        assert!(ty.optional && ty.list && !ty.nullable && !ty.required());
        assert_eq!(ty.item_spelling, "bytes32");
        let ty = FlagType::of("nullable<u64>");
        assert!(ty.nullable && ty.required());
        assert!(FlagType::of("u32").required());
    }

    #[test]
    fn integers_are_checked_against_their_width() {
        assert_eq!(Item::Unsigned(8).parse("255").as_deref(), Ok("255"));
        assert!(Item::Unsigned(8).parse("256").is_err());
        assert!(Item::Unsigned(32).parse("-1").is_err());
        let big = u128::MAX.to_string();
        assert_eq!(Item::Unsigned(128).parse(&big), Ok(big));
        assert_eq!(Item::Signed(8).parse("-128").as_deref(), Ok("-128"));
        assert!(Item::Signed(8).parse("128").is_err());
    }

    #[test]
    fn hex_takes_0x_or_not_and_is_sent_with_it() {
        let digits = "AB".repeat(32);
        let want = format!("\"0x{}\"", "ab".repeat(32));
        assert_eq!(Item::Hex(Some(32)).parse(&digits), Ok(want.clone()));
        assert_eq!(Item::Hex(Some(32)).parse(&format!("0x{digits}")), Ok(want));
        assert!(Item::Hex(Some(32)).parse("0x12").is_err());
        assert!(Item::Hex(None).parse("abc").is_err());
        assert!(Item::Hex(None).parse("zz").is_err());
    }
}

//! The type language of schema fields: parsing `list<map<str, u64>>` into a [`TypeExpr`].
//!
//! Grammar (whitespace is allowed around every token):
//!
//! ```text
//! type  := prim | "any" | Name
//!        | ("optional" | "nullable" | "list") "<" type ">"
//!        | "map" "<" type "," type ">"
//!        | "tuple" "<" type ("," type)+ ">"
//! ```

use std::fmt;

/// A primitive wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prim {
    /// `u8`
    U8,
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`
    U64,
    /// `u128`
    U128,
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// `str`
    Str,
    /// `bytes`: hex of any length.
    Bytes,
    /// `bytes4`
    Bytes4,
    /// `bytes8`
    Bytes8,
    /// `bytes32`
    Bytes32,
    /// `bytes48`
    Bytes48,
    /// `bytes96`
    Bytes96,
    /// `bytes100`
    Bytes100,
    /// `g1`: a BLS G1 element.
    G1,
    /// `g2`: a BLS G2 element.
    G2,
    /// `address`: a bech32m address.
    Address,
}

impl Prim {
    /// Every primitive with its schema spelling.
    pub const ALL: &'static [(&'static str, Prim)] = &[
        ("u8", Prim::U8),
        ("u16", Prim::U16),
        ("u32", Prim::U32),
        ("u64", Prim::U64),
        ("u128", Prim::U128),
        ("i8", Prim::I8),
        ("i16", Prim::I16),
        ("i32", Prim::I32),
        ("i64", Prim::I64),
        ("f64", Prim::F64),
        ("bool", Prim::Bool),
        ("str", Prim::Str),
        ("bytes", Prim::Bytes),
        ("bytes4", Prim::Bytes4),
        ("bytes8", Prim::Bytes8),
        ("bytes32", Prim::Bytes32),
        ("bytes48", Prim::Bytes48),
        ("bytes96", Prim::Bytes96),
        ("bytes100", Prim::Bytes100),
        ("g1", Prim::G1),
        ("g2", Prim::G2),
        ("address", Prim::Address),
    ];

    /// The primitive spelled `name` in the schema.
    pub fn from_name(name: &str) -> Option<Prim> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// The schema spelling.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, p)| *p == self).map(|(n, _)| *n).unwrap_or("?")
    }

    /// Whether the primitive may key a `map`: strings, integers and byte strings.
    pub fn is_map_key(self) -> bool {
        !matches!(self, Prim::F64 | Prim::Bool | Prim::G1 | Prim::G2 | Prim::Address)
    }
}

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// A primitive.
    Prim(Prim),
    /// `optional<T>`: the key may be absent.
    Optional(Box<TypeExpr>),
    /// `nullable<T>`: the key is present, the value may be `null`.
    Nullable(Box<TypeExpr>),
    /// `list<T>`
    List(Box<TypeExpr>),
    /// `map<K, V>`
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// `tuple<A, B, …>`
    Tuple(Vec<TypeExpr>),
    /// `any`
    Any,
    /// A named type, with the character offset of the name in the expression.
    Named(String, usize),
}

impl TypeExpr {
    /// Whether `any` occurs anywhere in the expression.
    pub fn contains_any(&self) -> bool {
        match self {
            TypeExpr::Any => true,
            TypeExpr::Prim(_) | TypeExpr::Named(..) => false,
            TypeExpr::Optional(t) | TypeExpr::Nullable(t) | TypeExpr::List(t) => t.contains_any(),
            TypeExpr::Map(k, v) => k.contains_any() || v.contains_any(),
            TypeExpr::Tuple(items) => items.iter().any(TypeExpr::contains_any),
        }
    }

    /// Every named type the expression refers to, with its offset.
    pub fn named(&self, out: &mut Vec<(String, usize)>) {
        match self {
            TypeExpr::Any | TypeExpr::Prim(_) => {}
            TypeExpr::Named(name, offset) => out.push((name.clone(), *offset)),
            TypeExpr::Optional(t) | TypeExpr::Nullable(t) | TypeExpr::List(t) => t.named(out),
            TypeExpr::Map(k, v) => {
                k.named(out);
                v.named(out);
            }
            TypeExpr::Tuple(items) => items.iter().for_each(|t| t.named(out)),
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Prim(p) => f.write_str(p.name()),
            TypeExpr::Optional(t) => write!(f, "optional<{t}>"),
            TypeExpr::Nullable(t) => write!(f, "nullable<{t}>"),
            TypeExpr::List(t) => write!(f, "list<{t}>"),
            TypeExpr::Map(k, v) => write!(f, "map<{k}, {v}>"),
            TypeExpr::Tuple(items) => {
                f.write_str("tuple<")?;
                for (i, t) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(">")
            }
            TypeExpr::Any => f.write_str("any"),
            TypeExpr::Named(name, _) => f.write_str(name),
        }
    }
}

/// A malformed type expression: what is wrong and at which character offset (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset of the problem within the expression.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Open,
    Close,
    Comma,
    End,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "`{w}`"),
            Tok::Open => f.write_str("`<`"),
            Tok::Close => f.write_str("`>`"),
            Tok::Comma => f.write_str("`,`"),
            Tok::End => f.write_str("the end"),
        }
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

/// Parses a type expression; `optional` and `nullable` may only wrap the whole expression
/// (`nullable` may also appear inside `list`, `map` values and `tuple`s).
pub fn parse(input: &str) -> Result<TypeExpr, ParseError> {
    let toks = tokenize(input)?;
    let mut parser = Parser { toks, pos: 0 };
    let ty = parser.ty(true)?;
    let (tok, offset) = parser.peek();
    if tok != Tok::End {
        return Err(ParseError { offset, message: format!("unexpected {tok} after the type") });
    }
    Ok(ty)
}

fn tokenize(input: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '<' => toks.push((Tok::Open, i)),
            '>' => toks.push((Tok::Close, i)),
            ',' => toks.push((Tok::Comma, i)),
            c if c.is_whitespace() => {}
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let start = i;
                while i + 1 < chars.len()
                    && (chars[i + 1].is_ascii_alphanumeric() || chars[i + 1] == '_')
                {
                    i += 1;
                }
                toks.push((Tok::Word(chars[start..=i].iter().collect()), start));
            }
            other => {
                return Err(ParseError {
                    offset: i,
                    message: format!("unexpected character `{other}` in type expression"),
                });
            }
        }
        i += 1;
    }
    toks.push((Tok::End, chars.len()));
    Ok(toks)
}

impl Parser {
    fn peek(&self) -> (Tok, usize) {
        self.toks.get(self.pos).cloned().unwrap_or((Tok::End, 0))
    }

    fn next(&mut self) -> (Tok, usize) {
        let tok = self.peek();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        tok
    }

    fn expect(&mut self, want: Tok) -> Result<(), ParseError> {
        let (tok, offset) = self.next();
        if tok == want {
            Ok(())
        } else {
            Err(ParseError { offset, message: format!("expected {want}, found {tok}") })
        }
    }

    fn args(&mut self) -> Result<Vec<(TypeExpr, usize)>, ParseError> {
        self.expect(Tok::Open)?;
        let mut args = Vec::new();
        loop {
            let (_, offset) = self.peek();
            args.push((self.ty(false)?, offset));
            let (tok, offset) = self.next();
            match tok {
                Tok::Comma => {}
                Tok::Close => return Ok(args),
                other => {
                    return Err(ParseError {
                        offset,
                        message: format!("expected `,` or `>`, found {other}"),
                    });
                }
            }
        }
    }

    fn ty(&mut self, top: bool) -> Result<TypeExpr, ParseError> {
        let (tok, offset) = self.next();
        let word = match tok {
            Tok::Word(word) => word,
            other => {
                return Err(ParseError {
                    offset,
                    message: format!("expected a type, found {other}"),
                });
            }
        };
        let arity = |args: &[(TypeExpr, usize)], n: usize| -> Result<(), ParseError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(ParseError {
                    offset,
                    message: format!(
                        "`{word}` takes {n} type argument{}, found {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                })
            }
        };
        let no_option = |args: &[(TypeExpr, usize)]| -> Result<(), ParseError> {
            for (arg, at) in args {
                if matches!(arg, TypeExpr::Optional(_)) {
                    return Err(ParseError {
                        offset: *at,
                        message: "`optional` only wraps a whole field type; use `nullable` inside"
                            .to_owned(),
                    });
                }
            }
            Ok(())
        };
        let ty = match word.as_str() {
            "optional" | "nullable" => {
                if word == "optional" && !top {
                    return Err(ParseError {
                        offset,
                        message: "`optional` only wraps a whole field type; use `nullable` inside"
                            .to_owned(),
                    });
                }
                let mut args = self.args()?;
                arity(&args, 1)?;
                let (inner, at) = args.remove(0);
                if matches!(inner, TypeExpr::Optional(_) | TypeExpr::Nullable(_)) {
                    return Err(ParseError {
                        offset: at,
                        message: format!("`{word}` of an optional or nullable type"),
                    });
                }
                if word == "optional" {
                    TypeExpr::Optional(Box::new(inner))
                } else {
                    TypeExpr::Nullable(Box::new(inner))
                }
            }
            "list" => {
                let mut args = self.args()?;
                arity(&args, 1)?;
                no_option(&args)?;
                TypeExpr::List(Box::new(args.remove(0).0))
            }
            "map" => {
                let mut args = self.args()?;
                arity(&args, 2)?;
                no_option(&args)?;
                let (value, _) = args.remove(1);
                let (key, at) = args.remove(0);
                match key {
                    TypeExpr::Prim(p) if p.is_map_key() => {}
                    other => {
                        return Err(ParseError {
                            offset: at,
                            message: format!(
                                "map key `{other}` is not `str`, an integer or a `bytes` type"
                            ),
                        });
                    }
                }
                TypeExpr::Map(Box::new(key), Box::new(value))
            }
            "tuple" => {
                let args = self.args()?;
                if args.len() < 2 {
                    return Err(ParseError {
                        offset,
                        message: format!(
                            "`tuple` takes at least 2 type arguments, found {}",
                            args.len()
                        ),
                    });
                }
                no_option(&args)?;
                TypeExpr::Tuple(args.into_iter().map(|(t, _)| t).collect())
            }
            "any" => TypeExpr::Any,
            other => match Prim::from_name(other) {
                Some(prim) => TypeExpr::Prim(prim),
                None => {
                    let first = other.chars().next().unwrap_or('_');
                    if !first.is_ascii_uppercase() {
                        return Err(ParseError {
                            offset,
                            message: format!(
                                "unknown type `{other}` (named types are UpperCamelCase)"
                            ),
                        });
                    }
                    TypeExpr::Named(other.to_owned(), offset)
                }
            },
        };
        if let (Tok::Open, at) = self.peek()
            && !matches!(word.as_str(), "optional" | "nullable" | "list" | "map" | "tuple")
        {
            return Err(ParseError {
                offset: at,
                message: format!("`{word}` takes no type arguments"),
            });
        }
        Ok(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        parse(s).map(|t| t.to_string()).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn err(s: &str) -> (usize, String) {
        let e = parse(s).expect_err(s);
        (e.offset, e.message)
    }

    #[test]
    fn parses_every_constructor() {
        assert_eq!(ok("u64"), "u64");
        assert_eq!(ok(" bytes32 "), "bytes32");
        assert_eq!(ok("optional<u32>"), "optional<u32>");
        assert_eq!(ok("nullable< list<Coin> >"), "nullable<list<Coin>>");
        assert_eq!(ok("map<str,u64>"), "map<str, u64>");
        assert_eq!(
            ok("map<bytes32, list<nullable<CoinRecord>>>"),
            "map<bytes32, list<nullable<CoinRecord>>>"
        );
        assert_eq!(ok("tuple<u32, bytes32, str>"), "tuple<u32, bytes32, str>");
        assert_eq!(ok("any"), "any");
        assert_eq!(
            parse("list<Coin>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Named("Coin".into(), 5))))
        );
    }

    #[test]
    fn reports_offsets() {
        assert_eq!(err("list<u32"), (8, "expected `,` or `>`, found the end".to_owned()));
        assert_eq!(err("list<>").0, 5);
        assert_eq!(err("map<f64, u8>").0, 4);
        assert_eq!(err("map<u8>").0, 0);
        assert_eq!(err("u32<u8>").0, 3);
        assert_eq!(err("list<optional<u8>>").0, 5);
        assert_eq!(err("optional<optional<u8>>").0, 9);
        assert_eq!(err("tuple<u8>").0, 0);
        assert_eq!(err("uint64").0, 0);
        assert_eq!(err("list<u8> x").0, 9);
        assert_eq!(err("list[u8]").0, 4);
    }

    #[test]
    fn finds_any_and_names() {
        let t = parse("map<str, tuple<Coin, any>>").expect("parses");
        assert!(t.contains_any());
        let mut names = Vec::new();
        t.named(&mut names);
        assert_eq!(names, vec![("Coin".to_owned(), 15)]);
    }
}

//! Records: typed values read leniently from the room's JSON, each declared once with
//! [`records!`](crate::records) so that its Rust struct, its Python class and its documentation
//! come from the same lines.
//!
//! A record keeps the object it was read from in `raw`, so fields this version does not know
//! are still there. A field lists the wire keys it is read from, first match wins (the vendor
//! renames fields between versions: `isLoggedIn` / `isLoggedin`).

use crate::json::{as_flag, as_int, as_text, bool_of, i64_of, str_of};
use serde_json::Value;

/// A field's type, as the faces name it.
#[derive(Debug, Clone, Copy)]
pub struct TypeNames {
    /// As written in Rust (`Option<String>`).
    pub rust: fn() -> String,
    /// As written in a Python annotation (`Optional[str]`).
    pub python: fn() -> String,
    /// A Python expression that converts the expression `x` (the value the native module hands
    /// over) into the annotated type.
    pub python_from: fn(&str) -> String,
}

/// A type that can be read from one JSON value, leniently.
pub trait FieldType: Sized {
    /// Reads the value; `None` when it is missing or cannot be understood.
    fn read(v: Option<&Value>) -> Option<Self>;
    /// Reads a field, first of `keys` present wins. The default serves plain values.
    fn read_field(obj: &Value, keys: &[&str]) -> Option<Self> {
        keys.iter().find_map(|k| obj.get(*k).and_then(|v| Self::read(Some(v))))
    }
    /// The type as written in Rust (`Option<String>`).
    fn rust_name() -> String;
    /// The type as written in a Python annotation (`Optional[str]`).
    fn python_name() -> String;
    /// A Python callable that converts one value into the annotated type; `None` when the
    /// value is used as it is.
    fn python_callable() -> Option<String> {
        None
    }
    /// A Python expression converting `x`.
    fn python_from(x: &str) -> String {
        match Self::python_callable() {
            Some(f) => format!("{f}({x})"),
            None => x.to_owned(),
        }
    }
    /// The names of this type, for specs.
    const NAMES: TypeNames =
        TypeNames { rust: Self::rust_name, python: Self::python_name, python_from: Self::python_from };
}

impl FieldType for String {
    fn read(v: Option<&Value>) -> Option<Self> {
        as_text(v?)
    }
    fn read_field(obj: &Value, keys: &[&str]) -> Option<Self> {
        str_of(obj, keys)
    }
    fn rust_name() -> String {
        "String".into()
    }
    fn python_name() -> String {
        "str".into()
    }
}

impl FieldType for bool {
    fn read(v: Option<&Value>) -> Option<Self> {
        as_flag(v?)
    }
    fn read_field(obj: &Value, keys: &[&str]) -> Option<Self> {
        bool_of(obj, keys)
    }
    fn rust_name() -> String {
        "bool".into()
    }
    fn python_name() -> String {
        "bool".into()
    }
}

impl FieldType for i64 {
    fn read(v: Option<&Value>) -> Option<Self> {
        as_int(v?)
    }
    fn read_field(obj: &Value, keys: &[&str]) -> Option<Self> {
        i64_of(obj, keys)
    }
    fn rust_name() -> String {
        "i64".into()
    }
    fn python_name() -> String {
        "int".into()
    }
}

impl FieldType for f64 {
    fn read(v: Option<&Value>) -> Option<Self> {
        match v? {
            Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }
    fn rust_name() -> String {
        "f64".into()
    }
    fn python_name() -> String {
        "float".into()
    }
    fn python_callable() -> Option<String> {
        Some("float".into())
    }
}

impl FieldType for Value {
    fn read(v: Option<&Value>) -> Option<Self> {
        v.filter(|v| !v.is_null()).cloned()
    }
    fn rust_name() -> String {
        "serde_json::Value".into()
    }
    fn python_name() -> String {
        "Any".into()
    }
}

impl<T: FieldType> FieldType for Option<T> {
    /// Never fails: a missing or unreadable value is `None`.
    fn read(v: Option<&Value>) -> Option<Self> {
        Some(T::read(v))
    }
    fn read_field(obj: &Value, keys: &[&str]) -> Option<Self> {
        Some(T::read_field(obj, keys))
    }
    fn rust_name() -> String {
        format!("Option<{}>", T::rust_name())
    }
    fn python_name() -> String {
        format!("Optional[{}]", T::python_name())
    }
    fn python_from(x: &str) -> String {
        match T::python_callable() {
            Some(f) => format!("_opt({f}, {x})"),
            None => x.to_owned(),
        }
    }
}

impl<T: FieldType> FieldType for Vec<T> {
    /// Never fails: a missing list is empty, and items that cannot be read are left out
    /// (they stay in the record's `raw`).
    fn read(v: Option<&Value>) -> Option<Self> {
        Some(match v {
            Some(Value::Array(items)) => items.iter().filter_map(|i| T::read(Some(i))).collect(),
            _ => Vec::new(),
        })
    }
    fn read_field(obj: &Value, keys: &[&str]) -> Option<Self> {
        let found = keys.iter().find_map(|k| obj.get(*k).filter(|v| v.is_array()));
        Self::read(found)
    }
    fn rust_name() -> String {
        format!("Vec<{}>", T::rust_name())
    }
    fn python_name() -> String {
        format!("list[{}]", T::python_name())
    }
    fn python_from(x: &str) -> String {
        match T::python_callable() {
            Some(f) => format!("_list({f}, {x})"),
            None => format!("list({x})"),
        }
    }
}

/// One field of a record, for the generated faces and docs.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The Rust and Python name.
    pub name: &'static str,
    /// Wire keys, first present wins.
    pub keys: &'static [&'static str],
    /// Its type, as each face names it.
    pub ty: TypeNames,
    /// What it means (the field's doc comment), for every face.
    pub doc: &'static str,
}

/// A record, for the generated faces and docs.
#[derive(Debug, Clone, Copy)]
pub struct RecordSpec {
    /// The Rust and Python name (`"IncomingCall"`).
    pub name: &'static str,
    /// What it is (the struct's doc comment), for every face.
    pub doc: &'static str,
    /// Its fields, in declaration order (`raw` not included).
    pub fields: &'static [FieldSpec],
}

/// A value read from one JSON object of the room.
pub trait Record: Sized {
    /// The record's name, doc and fields.
    const SPEC: RecordSpec;
    /// Reads the record; `None` when a required field is missing.
    fn from_json(v: &Value) -> Option<Self>;
    /// The JSON object it was read from.
    fn raw(&self) -> &Value;
}

/// Declares records: a struct with lenient reading, `raw`, serde serialization and a spec.
///
/// ```text
/// records! {
///     /// A device the room can use.
///     pub struct Device {
///         /// As the room names it.
///         pub name: String = "name",
///         pub description: Option<String> = "description" | "id",
///     }
/// }
/// ```
/// Fields of type `Option<_>` and `Vec<_>` never fail; any other missing field makes the whole
/// record unreadable (`from_json` gives `None`).
#[macro_export]
#[doc(hidden)]
macro_rules! records {
    ($(
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                pub $field:ident : $fty:ty = $key:literal $(| $alt:literal)*
            ),* $(,)?
        }
    )*) => {$(
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name {
            $(
                $(#[doc = $fdoc])*
                #[doc = concat!("\n\nWire: `", $key, "`", $(" or `", $alt, "`",)* ".")]
                pub $field: $fty,
            )*
            /// The JSON object this was read from, unknown fields included.
            pub raw: serde_json::Value,
        }

        impl $crate::record::Record for $name {
            const SPEC: $crate::record::RecordSpec = $crate::record::RecordSpec {
                name: stringify!($name),
                doc: $crate::__doc_text!($($doc)*),
                fields: &[$(
                    $crate::record::FieldSpec {
                        name: stringify!($field),
                        keys: &[$key $(, $alt)*],
                        ty: <$fty as $crate::record::FieldType>::NAMES,
                        doc: $crate::__doc_text!($($fdoc)*),
                    }
                ),*],
            };

            fn from_json(v: &serde_json::Value) -> Option<Self> {
                if !v.is_object() {
                    return None;
                }
                Some($name {
                    $(
                        $field: <$fty as $crate::record::FieldType>::read_field(v, &[$key $(, $alt)*])?,
                    )*
                    raw: v.clone(),
                })
            }

            fn raw(&self) -> &serde_json::Value {
                &self.raw
            }
        }

        impl $crate::record::FieldType for $name {
            fn read(v: Option<&serde_json::Value>) -> Option<Self> {
                <$name as $crate::record::Record>::from_json(v?)
            }
            fn rust_name() -> String {
                stringify!($name).into()
            }
            fn python_name() -> String {
                stringify!($name).into()
            }
            fn python_callable() -> Option<String> {
                Some(format!("{}._from", stringify!($name)))
            }
        }
    )*};
}

/// Joins doc-comment lines into one text (trimmed of the space rustdoc leaves after `///`).
#[macro_export]
#[doc(hidden)]
macro_rules! __doc_text {
    () => {
        ""
    };
    ($($doc:literal)+) => {
        concat!($($doc, "\n"),+)
    };
}

/// The text of a spec's doc, one line per doc-comment line, leading spaces trimmed.
pub fn doc_lines(doc: &str) -> impl Iterator<Item = &str> {
    doc.lines().map(str::trim)
}

/// A spec's doc as one paragraph.
pub fn doc_paragraph(doc: &str) -> String {
    doc_lines(doc).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    crate::records! {
        /// A test record.
        pub struct Thing {
            /// Required.
            pub name: String = "name" | "title",
            pub count: Option<i64> = "count",
            pub tags: Vec<String> = "tags",
            pub inner: Option<Inner> = "inner",
            pub level: Option<f64> = "level",
        }

        pub struct Inner {
            pub on: bool = "on",
        }
    }

    #[test]
    fn reads_leniently_and_keeps_raw() {
        let v = json!({"title": "x", "count": "3", "tags": ["a", 1, {}], "inner": {"on": 1}, "extra": true});
        let t = Thing::from_json(&v).unwrap();
        assert_eq!(t.name, "x");
        assert_eq!(t.count, Some(3));
        assert_eq!(t.tags, ["a", "1"]);
        assert_eq!(t.inner.as_ref().map(|i| i.on), Some(true));
        assert_eq!(t.raw["extra"], true);
        assert!(Thing::from_json(&json!({"count": 1})).is_none(), "name is required");
        let t = Thing::from_json(&json!({"name": "n", "inner": {"x": 1}, "level": "nan"})).unwrap();
        assert_eq!(t.inner, None, "an unreadable optional record is None");
        assert_eq!(t.level, None);
    }

    #[test]
    fn specs_name_the_types_for_every_face() {
        let spec = Thing::SPEC;
        assert_eq!(spec.name, "Thing");
        assert_eq!(doc_paragraph(spec.doc), "A test record.");
        let f = &spec.fields[0];
        assert_eq!((f.name, f.keys), ("name", &["name", "title"][..]));
        assert_eq!(((f.ty.rust)(), (f.ty.python)()), ("String".into(), "str".into()));
        let inner = spec.fields.iter().find(|f| f.name == "inner").unwrap();
        assert_eq!((inner.ty.python)(), "Optional[Inner]");
        assert_eq!((inner.ty.python_from)("d['inner']"), "_opt(Inner._from, d['inner'])");
        let tags = spec.fields.iter().find(|f| f.name == "tags").unwrap();
        assert_eq!((tags.ty.python_from)("x"), "list(x)");
    }
}

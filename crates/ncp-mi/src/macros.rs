//! `open_enum!`: a provider enum that keeps values it does not know.

/// Defines a `#[non_exhaustive]` enum of wire strings with an `Unknown(String)` fallback,
/// `as_str`, `Display`, `From<&str>`/`From<String>` and string (de)serialization.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as the server spelled it.
            Unknown(String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                match text.trim() {
                    $( t if t.eq_ignore_ascii_case($wire) => $name::$variant, )+
                    _ => $name::Unknown(text.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name::from(text.as_str())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<$name, D::Error> {
                <String as ::serde::Deserialize>::deserialize(d).map($name::from)
            }
        }
    };
}

pub(crate) use open_enum;

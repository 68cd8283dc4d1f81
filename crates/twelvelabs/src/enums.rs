//! Open enums: the provider's documented values plus an `Unknown` arm, so a
//! value the server adds later never breaks decoding.

/// Declares a `#[non_exhaustive]` string enum with an `Unknown(String)`
/// fallback, `as_str`, `Display`, `FromStr`, `From<String>`/`From<&str>`, and
/// serde that reads and writes the wire string.
///
/// Matching is exact first, then ASCII-case-insensitive; anything else is kept
/// verbatim in `Unknown`. A non-string JSON value is kept as its JSON text.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as it is spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> $name {
                $( if value == $wire { return $name::$variant; } )+
                $( if value.eq_ignore_ascii_case($wire) { return $name::$variant; } )+
                $name::Unknown(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> $name {
                $name::from(value.to_owned())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<$name, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                Ok(match <serde_json::Value as serde::Deserialize>::deserialize(deserializer)? {
                    serde_json::Value::String(text) => $name::from(text),
                    other => $name::Unknown(other.to_string()),
                })
            }
        }
    };
}

pub(crate) use open_enum;

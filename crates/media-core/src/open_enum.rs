//! [`open_enum!`](crate::open_enum): the provider enums that keep values they do not know.

/// Declares a provider's string enum that never fails on a value added later.
///
/// The enum is `#[non_exhaustive]` with an `Unknown(String)` arm, and gets
/// `as_str`, `Display`, `FromStr`, `From<String>`/`From<&str>`, and serde that
/// reads and writes the wire string. A value matches a variant exactly, or
/// else ignoring ASCII case and surrounding blanks; anything else is kept
/// verbatim in `Unknown`, as is a non-string JSON value (as its JSON text).
///
/// ```
/// media_core::open_enum! {
///     /// Where an upload is.
///     pub enum UploadState {
///         /// `READY`.
///         Ready = "READY",
///         /// `FAILED`.
///         Failed = "FAILED",
///     }
/// }
///
/// assert_eq!(UploadState::from(" ready "), UploadState::Ready);
/// assert_eq!(UploadState::from("ARCHIVED").as_str(), "ARCHIVED");
/// let state: UploadState = serde_json::from_str("\"FAILED\"").unwrap();
/// assert_eq!(serde_json::to_string(&state).unwrap(), "\"FAILED\"");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as the server spelled it.
            Unknown(::std::string::String),
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

        impl $name {
            /// The known variant `value` spells, exactly or loosely.
            fn known(value: &str) -> ::std::option::Option<$name> {
                $( if value == $wire { return ::std::option::Option::Some($name::$variant); } )+
                let trimmed = value.trim();
                $( if trimmed.eq_ignore_ascii_case($wire) { return ::std::option::Option::Some($name::$variant); } )+
                ::std::option::Option::None
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> $name {
                $name::known(&value).unwrap_or($name::Unknown(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> $name {
                $name::known(value).unwrap_or_else(|| $name::Unknown(value.to_owned()))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<$name, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<$name, D::Error> {
                use $crate::de::Scalar;
                use ::std::borrow::Cow;
                // A `Scalar` borrows the string from the input: a known
                // value allocates nothing.
                Ok(match <Scalar<'de> as $crate::__private::serde::Deserialize>::deserialize(deserializer)? {
                    Scalar::Str(Cow::Borrowed(text)) => $name::from(text),
                    Scalar::Str(Cow::Owned(text)) => $name::from(text),
                    other => $name::Unknown(other.json_text()),
                })
            }
        }
    };
}

#[cfg(test)]
#[allow(unreachable_pub)]
mod tests {
    crate::open_enum! {
        /// A test enum.
        pub enum Phase {
            /// `ready`.
            Ready = "ready",
            /// `Ready` (a second spelling that differs only in case).
            ReadyUpper = "Ready",
        }
    }

    fn read(json: &str) -> Phase {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn exact_spellings_win_then_loose_ones_then_unknown() {
        assert_eq!(read(r#""ready""#), Phase::Ready);
        assert_eq!(read(r#""Ready""#), Phase::ReadyUpper);
        assert_eq!(read(r#"" READY ""#), Phase::Ready);
        assert_eq!(read(r#""rea\u0064y""#), Phase::Ready, "an escaped string");
        assert_eq!(read(r#""archived""#), Phase::Unknown("archived".into()));
    }

    #[test]
    fn non_strings_are_kept_as_their_json_text() {
        assert_eq!(read("3"), Phase::Unknown("3".into()));
        assert_eq!(read("2.0"), Phase::Unknown("2.0".into()));
        assert_eq!(read("null"), Phase::Unknown("null".into()));
        assert_eq!(read("false"), Phase::Unknown("false".into()));
        assert_eq!(
            read(r#"{"s":"ready"}"#),
            Phase::Unknown(r#"{"s":"ready"}"#.into())
        );
        let phase: Vec<Phase> = serde_json::from_str(r#"["ready",7]"#).unwrap();
        assert_eq!(phase, [Phase::Ready, Phase::Unknown("7".into())]);
    }
}

//! Typed identifiers (memories-v2.md §1.5): `re_` resources, `im_` frame
//! groups, `imc_<group digits>_<n>` frames, async task ids and screenplay
//! task ids.
//!
//! Every client method takes ids as `&str`, so these types are optional:
//! they parse and build the documented shapes, and deref to `str`.
//!
//! ```
//! use memories_v2::ids::{FrameGroupId, FrameId, TaskId};
//!
//! let group: FrameGroupId = "im_666914042514116608".parse()?;
//! let frame = group.frame(2);
//! assert_eq!(frame.as_str(), "imc_666914042514116608_2");
//! assert_eq!(FrameId::parse("imc_666914042514116608_2")?.group(), group);
//! assert!(TaskId::new("1e8ae1075e054e8abb58e7598c53cbf1")?.is_hex32());
//! # Ok::<(), memories_v2::Error>(())
//! ```

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn invalid(what: &str, value: &str, shape: &str) -> Error {
    Error::InvalidInput(format!("{value:?} is not {what} ({shape})"))
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The id as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(value: &str) -> Result<Self> {
                Self::parse(value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

string_id!(
    /// `re_<digits>`: an uploaded resource (video, audio or image; also the
    /// outputs of split and edit).
    ResourceId
);

impl ResourceId {
    /// Parses `re_<digits>`.
    pub fn parse(value: &str) -> Result<ResourceId> {
        match value.strip_prefix("re_") {
            Some(digits) if is_digits(digits) => Ok(ResourceId(value.to_owned())),
            _ => Err(invalid("a resource id", value, "re_<digits>")),
        }
    }
}

string_id!(
    /// `im_<digits>`: the group of all frames of one frame-extraction job.
    /// Its metadata lists every frame; its download is a zip.
    FrameGroupId
);

impl FrameGroupId {
    /// Parses `im_<digits>`.
    pub fn parse(value: &str) -> Result<FrameGroupId> {
        match value.strip_prefix("im_") {
            Some(digits) if is_digits(digits) => Ok(FrameGroupId(value.to_owned())),
            _ => Err(invalid("a frame group id", value, "im_<digits>")),
        }
    }

    /// The digits after `im_`.
    pub fn digits(&self) -> &str {
        &self.0[3..]
    }

    /// Frame `index` (0-based) of this group: `imc_<digits>_<index>`.
    pub fn frame(&self, index: u32) -> FrameId {
        FrameId(format!("imc_{}_{index}", self.digits()))
    }
}

string_id!(
    /// `imc_<group digits>_<n>`: frame `n` (0-based) of the group
    /// `im_<group digits>`.
    FrameId
);

impl FrameId {
    /// Parses `imc_<digits>_<n>`.
    pub fn parse(value: &str) -> Result<FrameId> {
        let parts = value
            .strip_prefix("imc_")
            .and_then(|rest| rest.rsplit_once('_'));
        match parts {
            Some((digits, index)) if is_digits(digits) && index.parse::<u32>().is_ok() => {
                Ok(FrameId(value.to_owned()))
            }
            _ => Err(invalid("a frame id", value, "imc_<digits>_<n>")),
        }
    }

    fn parts(&self) -> (&str, u32) {
        let rest = &self.0[4..];
        let (digits, index) = rest.rsplit_once('_').unwrap_or((rest, "0"));
        (digits, index.parse().unwrap_or_default())
    }

    /// The group this frame belongs to.
    pub fn group(&self) -> FrameGroupId {
        FrameGroupId(format!("im_{}", self.parts().0))
    }

    /// The 0-based frame index.
    pub fn index(&self) -> u32 {
        self.parts().1
    }
}

string_id!(
    /// The id of an async job (frames, clip, split, edit, transcriptions,
    /// MAI transcripts): 32 lowercase hex digits in every documented
    /// example. Stream task ids are UUIDs; both parse, since the id is
    /// otherwise opaque.
    TaskId
);

impl TaskId {
    /// Accepts any non-empty id without blanks or slashes.
    pub fn parse(value: &str) -> Result<TaskId> {
        if value.is_empty() || value.contains(['/', ' ']) {
            return Err(invalid("a task id", value, "32 hex digits"));
        }
        Ok(TaskId(value.to_owned()))
    }

    /// Same as [`TaskId::parse`].
    pub fn new(value: &str) -> Result<TaskId> {
        TaskId::parse(value)
    }

    /// True for the documented shape: 32 lowercase hex digits.
    pub fn is_hex32(&self) -> bool {
        self.0.len() == 32
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

string_id!(
    /// A screenplay task id, `ros-sd-YYYYMMDD-<8 hex>` in the docs.
    ScreenplayTaskId
);

impl ScreenplayTaskId {
    /// Accepts any non-empty id without blanks or slashes (the id is issued
    /// by an upstream service; [`ScreenplayTaskId::is_documented_shape`]
    /// checks the documented form).
    pub fn parse(value: &str) -> Result<ScreenplayTaskId> {
        if value.is_empty() || value.contains(['/', ' ']) {
            return Err(invalid(
                "a screenplay task id",
                value,
                "ros-sd-YYYYMMDD-<8 hex>",
            ));
        }
        Ok(ScreenplayTaskId(value.to_owned()))
    }

    /// True for `ros-sd-YYYYMMDD-<8 hex>`.
    pub fn is_documented_shape(&self) -> bool {
        let Some(rest) = self.0.strip_prefix("ros-sd-") else {
            return false;
        };
        let Some((date, hex)) = rest.split_once('-') else {
            return false;
        };
        date.len() == 8
            && is_digits(date)
            && hex.len() == 8
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_build() {
        assert!(ResourceId::parse("re_660729180626595840").is_ok());
        for bad in ["re_", "re_x1", "im_1", ""] {
            assert!(ResourceId::parse(bad).is_err(), "{bad}");
        }
        let group = FrameGroupId::parse("im_7").unwrap();
        assert_eq!(group.digits(), "7");
        let frame = group.frame(12);
        assert_eq!(frame.as_str(), "imc_7_12");
        assert_eq!(frame.index(), 12);
        assert_eq!(frame.group(), group);
        for bad in ["imc_7", "imc__1", "imc_7_x", "imc_7_-1", "im_7_0"] {
            assert!(FrameId::parse(bad).is_err(), "{bad}");
        }
        assert!(TaskId::parse("a/b").is_err());
        assert!(!TaskId::parse("3d2c1b0a-9f8e").unwrap().is_hex32());
        let screenplay = ScreenplayTaskId::parse("ros-sd-20260105-1a2b3c4d").unwrap();
        assert!(screenplay.is_documented_shape());
        assert!(!ScreenplayTaskId::parse("x").unwrap().is_documented_shape());
    }

    #[test]
    fn serde_round_trip() {
        let id: FrameId = serde_json::from_str(r#""imc_1_0""#).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""imc_1_0""#);
        assert!(serde_json::from_str::<FrameId>(r#""im_1""#).is_err());
    }
}

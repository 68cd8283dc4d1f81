use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One of the media APIs this SDK speaks.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    /// memories.ai v1 (`api.memories.ai/serve/api/v1`).
    MemoriesV1,
    /// memories.ai v2 / MAVI (`mavi-backend.memories.ai/serve/api/v2`).
    MemoriesV2,
    /// TwelveLabs API v1.3.
    TwelveLabs,
    /// NAVER Cloud Platform Media Intelligence.
    NcpMi,
}

impl Provider {
    /// Every provider, in a stable order.
    pub const ALL: [Provider; 4] = [
        Provider::MemoriesV1,
        Provider::MemoriesV2,
        Provider::TwelveLabs,
        Provider::NcpMi,
    ];

    /// The provider's stable name: `memories-v1`, `memories-v2`, `twelvelabs` or `ncp-mi`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::MemoriesV1 => "memories-v1",
            Provider::MemoriesV2 => "memories-v2",
            Provider::TwelveLabs => "twelvelabs",
            Provider::NcpMi => "ncp-mi",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown provider name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider `{0}`; expected one of memories-v1, memories-v2, twelvelabs, ncp-mi")]
pub struct ParseProviderError(pub String);

impl FromStr for Provider {
    type Err = ParseProviderError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseProviderError(s.to_owned()))
    }
}

impl Serialize for Provider {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Provider {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for provider in Provider::ALL {
            assert_eq!(provider.as_str().parse::<Provider>(), Ok(provider));
            assert_eq!(provider.to_string(), provider.as_str());
        }
        assert_eq!("TwelveLabs".parse::<Provider>(), Ok(Provider::TwelveLabs));
        assert!("openai".parse::<Provider>().is_err());
    }
}

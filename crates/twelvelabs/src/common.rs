//! Types shared by every TwelveLabs API group: list pages, page info and
//! user-defined metadata (catalog §1.4, §1.5, §3.15 "Common").

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::paginate::{self, next_page_number};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use media_core::open_enum;

/// One page of a `GET` list endpoint: `{ "data": [...], "page_info": {...} }`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items of this page (`null` reads as empty).
    #[serde(default, deserialize_with = "crate::de::null_as_default")]
    pub data: Vec<T>,
    /// Where this page sits in the listing.
    #[serde(default, deserialize_with = "crate::de::null_as_default")]
    pub page_info: PageInfo,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            data: Vec::new(),
            page_info: PageInfo::default(),
        }
    }
}

/// Page-number pagination details (`PageInfo`). Every field is optional in
/// the provider's models.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageInfo {
    /// Items per page, as the server applied it.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_per_page: Option<u32>,
    /// This page's number, starting at 1.
    #[serde(
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub page: Option<u32>,
    /// How many pages the listing has.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_page: Option<u64>,
    /// How many items the listing has across all pages.
    #[serde(
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_results: Option<u64>,
}

/// User-defined metadata (`UserMetadata`): keys to scalar values or string lists.
pub type UserMetadata = BTreeMap<String, MetadataValue>;

/// One value of [`UserMetadata`]: a string, an integer, a number, a boolean
/// or a list of strings, as documented; anything else the server sends
/// (`null`, nested objects, mixed lists) is kept verbatim in
/// [`MetadataValue::Other`] instead of failing the response.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum MetadataValue {
    /// A string.
    String(String),
    /// A whole number. Integers beyond ±2^53 should be sent as strings
    /// (catalog §1.4): the service stores numbers as doubles.
    Integer(i64),
    /// A number with a fraction (or an integer too large for `i64`).
    Number(f64),
    /// A boolean.
    Boolean(bool),
    /// A list of strings.
    StringList(Vec<String>),
    /// A value outside the documented shapes, kept as sent.
    Other(Value),
}

impl MetadataValue {
    /// The string, when this is [`MetadataValue::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            MetadataValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, when this is [`MetadataValue::Integer`].
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            MetadataValue::Integer(n) => Some(*n),
            _ => None,
        }
    }

    /// The number, when this is [`MetadataValue::Number`] or [`MetadataValue::Integer`].
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            MetadataValue::Number(n) => Some(*n),
            MetadataValue::Integer(n) => Some(*n as f64),
            _ => None,
        }
    }

    /// The boolean, when this is [`MetadataValue::Boolean`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            MetadataValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// The list, when this is [`MetadataValue::StringList`].
    pub fn as_string_list(&self) -> Option<&[String]> {
        match self {
            MetadataValue::StringList(list) => Some(list),
            _ => None,
        }
    }

    /// The value as JSON.
    pub fn to_json(&self) -> Value {
        match self {
            MetadataValue::String(s) => Value::String(s.clone()),
            MetadataValue::Integer(n) => Value::from(*n),
            MetadataValue::Number(n) => Value::from(*n),
            MetadataValue::Boolean(b) => Value::Bool(*b),
            MetadataValue::StringList(list) => {
                Value::Array(list.iter().cloned().map(Value::String).collect())
            }
            MetadataValue::Other(value) => value.clone(),
        }
    }
}

impl From<Value> for MetadataValue {
    fn from(value: Value) -> MetadataValue {
        match value {
            Value::String(s) => MetadataValue::String(s),
            Value::Bool(b) => MetadataValue::Boolean(b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(int), _) => MetadataValue::Integer(int),
                (None, Some(float)) => MetadataValue::Number(float),
                (None, None) => MetadataValue::Other(Value::Number(n)),
            },
            Value::Array(items) if items.iter().all(Value::is_string) => MetadataValue::StringList(
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
            ),
            other => MetadataValue::Other(other),
        }
    }
}

impl From<String> for MetadataValue {
    fn from(value: String) -> MetadataValue {
        MetadataValue::String(value)
    }
}

impl From<&str> for MetadataValue {
    fn from(value: &str) -> MetadataValue {
        MetadataValue::String(value.to_owned())
    }
}

impl From<i64> for MetadataValue {
    fn from(value: i64) -> MetadataValue {
        MetadataValue::Integer(value)
    }
}

impl From<f64> for MetadataValue {
    fn from(value: f64) -> MetadataValue {
        MetadataValue::Number(value)
    }
}

impl From<bool> for MetadataValue {
    fn from(value: bool) -> MetadataValue {
        MetadataValue::Boolean(value)
    }
}

impl From<Vec<String>> for MetadataValue {
    fn from(value: Vec<String>) -> MetadataValue {
        MetadataValue::StringList(value)
    }
}

impl Serialize for MetadataValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for MetadataValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(MetadataValue::from)
    }
}

/// `Option<UserMetadata>` from a JSON object, from a string holding a JSON
/// object (the form multipart uploads send it in), or from `[]` (an empty
/// map written by a serializer that cannot tell lists from maps). `null` and
/// any other shape read as `None` rather than failing the response.
pub(crate) fn opt_user_metadata<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<UserMetadata>, D::Error> {
    fn from_object(map: serde_json::Map<String, Value>) -> UserMetadata {
        map.into_iter()
            .map(|(key, value)| (key, MetadataValue::from(value)))
            .collect()
    }
    Ok(match Value::deserialize(d)? {
        Value::Object(map) => Some(from_object(map)),
        Value::Array(items) if items.is_empty() => Some(UserMetadata::new()),
        Value::String(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Some(from_object(map)),
            _ => None,
        },
        _ => None,
    })
}

/// The largest `page_limit` the page-number list endpoints accept.
pub const MAX_PAGE_LIMIT: u32 = 50;

/// Adds `page` and `page_limit` to a list request, rejecting `page` 0 and a
/// `page_limit` outside 1–[`MAX_PAGE_LIMIT`] before anything is sent.
pub(crate) fn paging(
    mut request: ApiRequest,
    page: Option<u32>,
    page_limit: Option<u32>,
) -> ApiRequest {
    if page == Some(0) {
        request.reject("`page` starts at 1, got 0");
    }
    if let Some(limit) = page_limit
        && !(1..=MAX_PAGE_LIMIT).contains(&limit)
    {
        request.reject(format!(
            "`page_limit` must be between 1 and {MAX_PAGE_LIMIT}, got {limit}"
        ));
    }
    request
        .query_opt("page", page)
        .query_opt("page_limit", page_limit)
}

/// Every item of a page-number listing, from page `first` to the last one,
/// fetched lazily one page at a time. The stream stops after the page whose
/// number reaches `page_info.total_page` (no extra empty-page request, unlike
/// the official SDK), or at an empty page when the server does not say; the
/// first error ends it.
pub(crate) fn all_pages<T, F, Fut>(first: u32, fetch: F) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    F: Fn(u32) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    let fetch = Arc::new(fetch);
    paginate::paginate(first, move |page: u32| {
        let fetch = Arc::clone(&fetch);
        async move {
            let result = fetch(page).await?;
            let next = next_page_number(page, result.page_info.total_page, result.data.len());
            Ok(paginate::Page {
                items: result.data,
                next,
            })
        }
    })
}

/// A numeric range filter, sent as `name[gte]=…&name[lte]=…` (catalog §1.2).
/// An exact match is the same value on both ends.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// The smallest value accepted (`gte`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    /// The largest value accepted (`lte`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
}

impl Range {
    /// Values from `gte` to `lte`, both included.
    pub fn between(gte: f64, lte: f64) -> Range {
        Range {
            gte: Some(gte),
            lte: Some(lte),
        }
    }

    /// Values of at least `gte`.
    pub fn at_least(gte: f64) -> Range {
        Range {
            gte: Some(gte),
            lte: None,
        }
    }

    /// Values of at most `lte`.
    pub fn at_most(lte: f64) -> Range {
        Range {
            gte: None,
            lte: Some(lte),
        }
    }

    /// Exactly `value`.
    pub fn exactly(value: f64) -> Range {
        Range::between(value, value)
    }

    /// Appends `name[gte]` and `name[lte]` to `request`; a range whose ends
    /// are reversed or not finite is rejected before sending.
    pub(crate) fn apply(self, mut request: ApiRequest, name: &str) -> ApiRequest {
        if self.gte.is_some_and(|v| !v.is_finite()) || self.lte.is_some_and(|v| !v.is_finite()) {
            request.reject(format!("`{name}` bounds must be finite numbers"));
        }
        if let (Some(gte), Some(lte)) = (self.gte, self.lte)
            && gte > lte
        {
            request.reject(format!("`{name}`: gte {gte} is above lte {lte}"));
        }
        request
            .query_opt(&format!("{name}[gte]"), self.gte)
            .query_opt(&format!("{name}[lte]"), self.lte)
    }
}

/// Appends a range filter when one is given.
pub(crate) fn range_opt(request: ApiRequest, name: &str, range: Option<Range>) -> ApiRequest {
    match range {
        Some(range) => range.apply(request, name),
        None => request,
    }
}

open_enum! {
    /// Which timestamp a list is sorted by (`sort_by`).
    pub enum SortBy {
        /// Creation time (the default).
        CreatedAt = "created_at",
        /// Last update time.
        UpdatedAt = "updated_at",
        /// Name (entity collections and entities only).
        Name = "name",
    }
}

open_enum! {
    /// Sort direction (`sort_option`).
    pub enum SortOption {
        /// Ascending: oldest or smallest first.
        Asc = "asc",
        /// Descending: newest or largest first (the default).
        Desc = "desc",
    }
}

/// The [`Error::TaskFailed`] of a job that ended in failure, with the
/// provider's reason, or `fallback` when it gave none.
pub(crate) fn task_failed(task_id: &str, reason: Option<String>, fallback: &str) -> Error {
    Error::TaskFailed {
        provider: Provider::TwelveLabs,
        task_id: task_id.to_owned(),
        reason: reason
            .filter(|reason| !reason.trim().is_empty())
            .unwrap_or_else(|| fallback.to_owned()),
    }
}

/// Rejects `request` when `value` is blank; for required text fields.
pub(crate) fn require_text(request: &mut ApiRequest, name: &str, value: &str) {
    if value.trim().is_empty() {
        request.reject(format!("`{name}` must not be empty"));
    }
}

/// The `{ "_id": … }` answer of several create endpoints.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatedId {
    /// The new resource's id (`_id`).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

open_enum! {
    /// The status of an HLS stream kept for an indexed video (`HlsObject.status`;
    /// upper case on the wire).
    pub enum HlsStatus {
        /// Being generated.
        Processing = "PROCESSING",
        /// Ready; `video_url` is set.
        Complete = "COMPLETE",
        /// Canceled.
        Canceled = "CANCELED",
        /// Generation failed.
        Error = "ERROR",
    }
}

/// The HLS stream of an indexed video (`HlsObject`), present only when
/// `enable_video_stream` was set.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HlsObject {
    /// The `.m3u8` manifest URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// Thumbnail URLs.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub thumbnail_urls: Vec<String>,
    /// Where stream generation is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<HlsStatus>,
    /// When the stream last changed.
    #[serde(
        deserialize_with = "crate::de::opt_datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One embedding of a video segment (`VideoSegment`); the vector's JSON key
/// is literally `float`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoSegment {
    /// The vector (`float`).
    #[serde(rename = "float", deserialize_with = "crate::de::null_as_default")]
    pub float: Vec<f64>,
    /// Segment start, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_offset_sec: Option<f64>,
    /// Segment end, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_offset_sec: Option<f64>,
    /// What was embedded (`visual`, `audio`, `transcription`, `visual-text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_option: Option<String>,
    /// `clip` or `video`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_scope: Option<String>,
}

/// A timed piece of a video's spoken words (`TranscriptionItem`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranscriptionItem {
    /// Start, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<f64>,
    /// End, in seconds.
    #[serde(
        deserialize_with = "crate::de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<f64>,
    /// The words.
    #[serde(deserialize_with = "crate::de::null_as_default")]
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_values_of_every_documented_shape() {
        let map: UserMetadata = serde_json::from_value(json!({
            "s": "x", "i": 42, "big": 18_446_744_073_709_551_615_u64, "f": 1.5, "b": true,
            "l": ["a", "b"], "empty": [], "mixed": ["a", 1], "null": null, "obj": {"k": 1}
        }))
        .unwrap();
        assert_eq!(map["s"], MetadataValue::String("x".into()));
        assert_eq!(map["i"].as_i64(), Some(42));
        assert_eq!(map["i"].as_f64(), Some(42.0));
        assert!(matches!(map["big"], MetadataValue::Number(_)));
        assert_eq!(map["f"], MetadataValue::Number(1.5));
        assert_eq!(map["b"].as_bool(), Some(true));
        assert_eq!(
            map["l"].as_string_list(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(map["empty"], MetadataValue::StringList(vec![]));
        assert_eq!(map["mixed"], MetadataValue::Other(json!(["a", 1])));
        assert_eq!(map["null"], MetadataValue::Other(Value::Null));
        assert_eq!(map["obj"], MetadataValue::Other(json!({"k": 1})));
        let back = serde_json::to_value(&map).unwrap();
        assert_eq!(back["l"], json!(["a", "b"]));
        assert_eq!(back["i"], json!(42));
        assert_eq!(back["obj"], json!({"k": 1}));
    }

    #[derive(Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "opt_user_metadata")]
        user_metadata: Option<UserMetadata>,
    }

    #[test]
    fn user_metadata_in_every_container_shape() {
        let read = |v: Value| serde_json::from_value::<Holder>(v).unwrap().user_metadata;
        assert_eq!(
            read(json!({"user_metadata": {}})),
            Some(UserMetadata::new())
        );
        assert_eq!(
            read(json!({"user_metadata": []})),
            Some(UserMetadata::new())
        );
        let parsed = read(json!({"user_metadata": "{\"a\": 1}"})).unwrap();
        assert_eq!(parsed["a"], MetadataValue::Integer(1));
        assert_eq!(read(json!({"user_metadata": null})), None);
        assert_eq!(read(json!({"user_metadata": 7})), None);
        assert_eq!(read(json!({})), None);
    }

    #[test]
    fn page_tolerates_null_and_missing_parts() {
        let page: Page<u32> = serde_json::from_value(json!({"data": null})).unwrap();
        assert!(page.data.is_empty());
        assert_eq!(page.page_info, PageInfo::default());
        let page: Page<u32> = serde_json::from_value(json!({
            "data": [1, 2],
            "page_info": {"limit_per_page": 2, "page": "1", "total_page": 3, "total_results": 5, "next": "x"}
        }))
        .unwrap();
        assert_eq!(page.data, [1, 2]);
        assert_eq!(page.page_info.page, Some(1));
        assert_eq!(page.page_info.total_page, Some(3));
        assert_eq!(page.page_info.total_results, Some(5));
    }
}

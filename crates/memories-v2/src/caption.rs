//! Caption and Human Re-identification on the adjacent host
//! `security.memories.ai` (memories-v2.md §3.I): captions, summaries or
//! answers about a video or images, optionally naming up to five reference
//! people. It needs its **own key** (obtained from memories.ai support), so
//! it has its own client, [`CaptionClient`], configured by [`CaptionConfig`].
//!
//! ```no_run
//! # async fn run() -> memories_v2::Result<()> {
//! use std::path::Path;
//! use memories_v2::caption::{CaptionClient, CaptionParams, Person};
//!
//! // MEMORIES_CAPTION_API_KEY, optional MEMORIES_CAPTION_BASE_URL.
//! let captions = CaptionClient::from_env()?;
//! let params = CaptionParams::new("Summarize the video and identify known persons.")
//!     .system_prompt("You are a video understanding system.")
//!     .person(Person::new("Alice", "https://example.com/alice.jpg"));
//!
//! // Synchronous: the caption comes back in the answer.
//! let caption = captions.upload_file_sync(Path::new("lobby.mp4"), &params).await?;
//! println!("{}", caption.text.unwrap_or_default());
//!
//! // Asynchronous: the caption is POSTed to the callback URL.
//! let task = captions
//!     .upload("https://example.com/lobby.mp4", "https://your.app/callback", &params)
//!     .await?;
//! println!("task {:?}", task.task_id);
//! # Ok(()) }
//! ```
//!
//! # Calls
//!
//! | call | path | input | result |
//! |---|---|---|---|
//! | [`CaptionClient::upload`] | `/understand/upload` | video URL + callback | [`CaptionTask`], result by callback |
//! | [`CaptionClient::upload_file`] | `/understand/uploadFile` | local video (multipart) + callback | [`CaptionTask`] |
//! | [`CaptionClient::upload_sync`] | `/understand/uploadSync` | video URL | [`Caption`] |
//! | [`CaptionClient::upload_file_sync`] | `/understand/uploadFileSync` | local video (multipart) | [`Caption`] |
//! | [`CaptionClient::upload_img`] | `/understand/uploadImg` | image URL(s) | [`Caption`] |
//! | [`CaptionClient::upload_img_file`] | `/understand/uploadImgFile` | local image(s) (multipart) | [`Caption`] |
//! | [`CaptionClient::upload_img_file_base64`] | `/understand/uploadImgFileBase64` | one local image, base64 in JSON | [`Caption`] |
//!
//! Multipart calls stream the files from disk: a part `req` holds the JSON
//! parameters (file name `req.json`, `application/json`), then the video as
//! `files` or each image as `file`, as in the host's own examples.
//! `uploadImgFileBase64` reads the image whole into memory to encode it
//! (images are small; files over [`MAX_BASE64_IMAGE_BYTES`] are refused
//! before reading). Images must be PNG or JPEG.
//!
//! Older pages limit videos to 20 MB and 20–300 s; a newer one to 8 GB and
//! 2 hours. Neither is enforced here: the host decides.
//!
//! # Tolerant readings (the catalog shows no response body)
//!
//! - Success is `code` `0`/`"0000"`/`200`, or `status` `0`; the documented
//!   failure is `-1` ([`Error::Api`] with code `"-1"`). 401 is
//!   [`Error::Unauthorized`], `429`/`"0429"` [`Error::RateLimited`].
//! - The result is `data` (or the top-level object when there is no `data`),
//!   read into [`Caption`]/[`CaptionTask`] with every member optional and
//!   unknown members kept in `extra`. A batch answered as an array fills
//!   [`Caption::results`]. All of this is **unverified**.
//! - The thinking level and the Q&A switch, unnamed in the catalog, are sent
//!   as `reasoning_effort` (a string, `"1"`–`"10"`) and `qa`, the names in
//!   the host's request examples (**unverified**).
//! - Several image URLs go in `url` as an array (the newest page; an older
//!   example uses `urls`). A batch of base64 images is not offered: its
//!   field name is not documented.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use media_core::http::{ApiRequest, Engine, FilePart, HeaderKey, HttpSettings, Multipart};
use media_core::{Error, Provider, Result, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::envelope::caption_payload;
use crate::wire::non_empty;

/// The API root of the caption host (paths `/understand/…` below it).
pub const DEFAULT_CAPTION_BASE_URL: &str = "https://security.memories.ai/v1";
/// Environment variable holding the caption key (a separate key: the v2
/// key is not accepted there, so there is no fallback to `MEMORIES_API_KEY`).
pub const CAPTION_API_KEY_VAR: &str = "MEMORIES_CAPTION_API_KEY";
/// Environment variable overriding [`DEFAULT_CAPTION_BASE_URL`].
pub const CAPTION_BASE_URL_VAR: &str = "MEMORIES_CAPTION_BASE_URL";
/// How long a synchronous video caption may take by default (see
/// [`CaptionConfig::sync_timeout`]).
pub const DEFAULT_SYNC_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The documented maximum of reference people.
pub const MAX_PERSONS: usize = 5;
/// The largest image [`CaptionClient::upload_img_file_base64`] reads into
/// memory (20 MiB): this SDK's guard, not a documented limit.
pub const MAX_BASE64_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// How to reach `security.memories.ai`: the caption key and the transport
/// settings. The key never appears in `Debug` output.
#[derive(Clone)]
pub struct CaptionConfig {
    api_key: SecretString,
    http: HttpSettings,
    sync_timeout: Duration,
}

impl CaptionConfig {
    /// A configuration for `api_key` against [`DEFAULT_CAPTION_BASE_URL`].
    pub fn new(api_key: impl Into<SecretString>) -> CaptionConfig {
        CaptionConfig {
            api_key: api_key.into(),
            http: HttpSettings::new(
                DEFAULT_CAPTION_BASE_URL,
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            ),
            sync_timeout: DEFAULT_SYNC_TIMEOUT,
        }
    }

    /// Reads `MEMORIES_CAPTION_API_KEY` (required) and
    /// `MEMORIES_CAPTION_BASE_URL` (optional).
    pub fn from_env() -> Result<CaptionConfig> {
        let mut config = CaptionConfig::new(media_core::env::require_var(&[CAPTION_API_KEY_VAR])?);
        config.http.base_url_from_env(&[CAPTION_BASE_URL_VAR]);
        Ok(config)
    }

    /// Replaces the key.
    pub fn api_key(mut self, api_key: impl Into<SecretString>) -> CaptionConfig {
        self.api_key = api_key.into();
        self
    }

    /// Deadline of the synchronous video calls (`uploadSync`,
    /// `uploadFileSync`), which answer only once the video is analysed
    /// (default [`DEFAULT_SYNC_TIMEOUT`]). For `uploadFileSync` it is also
    /// how long the connection may stay silent after the upload.
    pub fn sync_timeout(mut self, timeout: Duration) -> CaptionConfig {
        self.sync_timeout = timeout;
        self
    }

    media_core::http_settings_setters!();
}

impl fmt::Debug for CaptionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaptionConfig")
            .field("api_key", &"[REDACTED]")
            .field("http", &self.http)
            .field("sync_timeout", &self.sync_timeout)
            .finish()
    }
}

/// A client of `security.memories.ai`: cheap to clone, one connection pool
/// for all clones. Errors name the provider `memories-v2`.
#[derive(Clone, Debug)]
pub struct CaptionClient {
    engine: Engine,
    sync_timeout: Duration,
}

impl CaptionClient {
    /// Builds a client; fails on an empty or unsendable key or an unusable base URL.
    pub fn new(config: CaptionConfig) -> Result<CaptionClient> {
        let auth = HeaderKey::new("authorization", config.api_key)?;
        let engine = Engine::new(Provider::MemoriesV2, &config.http, Arc::new(auth))?;
        Ok(CaptionClient {
            engine,
            sync_timeout: config.sync_timeout,
        })
    }

    /// A client configured from the environment (see [`CaptionConfig::from_env`]).
    pub fn from_env() -> Result<CaptionClient> {
        CaptionClient::new(CaptionConfig::from_env()?)
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url().as_str()
    }

    /// `POST /understand/upload`: captions the video at `video_url`
    /// asynchronously; the result is POSTed to `callback` (read it with
    /// [`parse_callback`]).
    pub async fn upload(
        &self,
        video_url: &str,
        callback: &str,
        params: &CaptionParams,
    ) -> Result<CaptionTask> {
        check_http_url("video_url", video_url)?;
        check_http_url("callback", callback)?;
        params.validate()?;
        let body = Body {
            video_url: Some(video_url),
            callback: Some(callback),
            params: Some(params),
            ..Body::default()
        };
        self.send(ApiRequest::post("/understand/upload").json(&body))
            .await
    }

    /// `POST /understand/uploadFile`: uploads the video at `path` (streamed
    /// from disk) and captions it asynchronously; the result is POSTed to
    /// `callback`.
    pub async fn upload_file(
        &self,
        path: &Path,
        callback: &str,
        params: &CaptionParams,
    ) -> Result<CaptionTask> {
        check_file(path)?;
        check_http_url("callback", callback)?;
        params.validate()?;
        let body = Body {
            callback: Some(callback),
            params: Some(params),
            ..Body::default()
        };
        let form = req_part(&body)?.file("files", FilePart::new(path));
        self.send(ApiRequest::post("/understand/uploadFile").multipart(form))
            .await
    }

    /// `POST /understand/uploadSync`: captions the video at `video_url` and
    /// answers the caption (waits up to [`CaptionConfig::sync_timeout`]).
    pub async fn upload_sync(&self, video_url: &str, params: &CaptionParams) -> Result<Caption> {
        check_http_url("video_url", video_url)?;
        params.validate()?;
        let body = Body {
            video_url: Some(video_url),
            params: Some(params),
            ..Body::default()
        };
        let request = ApiRequest::post("/understand/uploadSync")
            .json(&body)
            .timeout(self.sync_timeout);
        self.send(request).await
    }

    /// `POST /understand/uploadFileSync`: uploads the video at `path`
    /// (streamed from disk) and answers the caption.
    pub async fn upload_file_sync(&self, path: &Path, params: &CaptionParams) -> Result<Caption> {
        check_file(path)?;
        params.validate()?;
        let body = Body {
            params: Some(params),
            ..Body::default()
        };
        let form = req_part(&body)?.file("files", FilePart::new(path));
        let request = ApiRequest::post("/understand/uploadFileSync")
            .multipart(form)
            .timeout(self.sync_timeout);
        self.send(request).await
    }

    /// `POST /understand/uploadImg`: captions the image(s) at `urls`; one
    /// URL is sent as a string, several as an array.
    pub async fn upload_img<S: AsRef<str>>(
        &self,
        urls: &[S],
        params: &CaptionParams,
    ) -> Result<Caption> {
        if urls.is_empty() {
            return Err(Error::InvalidInput(
                "uploadImg needs at least one image URL".into(),
            ));
        }
        for url in urls {
            check_http_url("url", url.as_ref())?;
        }
        params.validate()?;
        let url = match urls {
            [one] => Value::from(one.as_ref()),
            many => Value::from(many.iter().map(AsRef::as_ref).collect::<Vec<_>>()),
        };
        let body = Body {
            url: Some(url),
            params: Some(params),
            ..Body::default()
        };
        self.send(ApiRequest::post("/understand/uploadImg").json(&body))
            .await
    }

    /// `POST /understand/uploadImgFile`: uploads the image(s) at `paths`
    /// (PNG or JPEG, streamed from disk, one `file` part each) and answers
    /// the caption.
    pub async fn upload_img_file<P: AsRef<Path>>(
        &self,
        paths: &[P],
        params: &CaptionParams,
    ) -> Result<Caption> {
        if paths.is_empty() {
            return Err(Error::InvalidInput(
                "uploadImgFile needs at least one image".into(),
            ));
        }
        let mut parts = Vec::new();
        for path in paths {
            let path = path.as_ref();
            check_file(path)?;
            let img_type = image_type(path)?;
            parts.push(FilePart::new(path).content_type(img_type));
        }
        params.validate()?;
        let body = Body {
            params: Some(params),
            ..Body::default()
        };
        let mut form = req_part(&body)?;
        for part in parts {
            form = form.file("file", part);
        }
        self.send(ApiRequest::post("/understand/uploadImgFile").multipart(form))
            .await
    }

    /// `POST /understand/uploadImgFileBase64`: reads the image at `path`
    /// (PNG or JPEG, at most [`MAX_BASE64_IMAGE_BYTES`]) whole, sends it
    /// base64-encoded as `image_base64` with its `img_type`, and answers the
    /// caption.
    pub async fn upload_img_file_base64(
        &self,
        path: &Path,
        params: &CaptionParams,
    ) -> Result<Caption> {
        check_file(path)?;
        let img_type = image_type(path)?;
        params.validate()?;
        let size = tokio::fs::metadata(path).await?.len();
        if size > MAX_BASE64_IMAGE_BYTES {
            return Err(Error::InvalidInput(format!(
                "{} is {size} bytes; uploadImgFileBase64 reads images whole and takes at most \
                 {MAX_BASE64_IMAGE_BYTES} (use upload_img_file, which streams)",
                path.display()
            )));
        }
        let bytes = tokio::fs::read(path).await.map_err(|err| {
            Error::Io(std::io::Error::new(
                err.kind(),
                format!("{}: {err}", path.display()),
            ))
        })?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let body = Body {
            image_base64: Some(&encoded),
            img_type: Some(img_type),
            params: Some(params),
            ..Body::default()
        };
        self.send(ApiRequest::post("/understand/uploadImgFileBase64").json(&body))
            .await
    }

    async fn send<T: DeserializeOwned + Send>(&self, request: ApiRequest) -> Result<T> {
        self.engine
            .execute(&request, |raw| {
                let payload = caption_payload(&raw)?;
                T::deserialize(payload).map_err(|err| raw.decode_error(format!("data: {err}")))
            })
            .await
    }
}

/// One reference person for Human Re-identification.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The name the caption uses for this person.
    pub name: String,
    /// A public URL of a clear reference image.
    pub url: String,
}

impl Person {
    /// `name`, pictured at `url`.
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Person {
        Person {
            name: name.into(),
            url: url.into(),
        }
    }
}

/// The parameters every caption call takes.
///
/// `reasoning_effort` and `qa` carry the thinking level and the Q&A switch
/// that the catalog could not name; the names are the ones in the host's
/// request examples (**unverified**).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptionParams {
    /// The instruction, e.g. `"Summarize the video"` (required).
    pub user_prompt: String,
    /// Role or context for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
    /// Up to [`MAX_PERSONS`] reference people to name in the output.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<Person>,
    /// Reasoning mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<bool>,
    /// The thinking level, `"1"`–`"10"` (or `"-1"`: the model decides, the
    /// default); only applies when `thinking` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
    /// `true`: conversational Q&A style; `false`: caption / retrieval style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qa: Option<bool>,
}

impl CaptionParams {
    /// A request with `user_prompt`.
    pub fn new(user_prompt: impl Into<String>) -> CaptionParams {
        CaptionParams {
            user_prompt: user_prompt.into(),
            system_prompt: None,
            persons: Vec::new(),
            thinking: None,
            reasoning_effort: None,
            qa: None,
        }
    }

    /// Sets `system_prompt`.
    pub fn system_prompt(mut self, prompt: impl Into<String>) -> CaptionParams {
        self.system_prompt = Some(prompt.into());
        self
    }

    /// Adds a reference person (at most [`MAX_PERSONS`]).
    pub fn person(mut self, person: Person) -> CaptionParams {
        self.persons.push(person);
        self
    }

    /// Sets `thinking` (reasoning mode).
    pub fn thinking(mut self, on: bool) -> CaptionParams {
        self.thinking = Some(on);
        self
    }

    /// Sets the thinking level: 1–10 (higher uses more tokens), or −1 to let
    /// the model decide. Needs [`CaptionParams::thinking`]`(true)`.
    pub fn thinking_level(mut self, level: i32) -> CaptionParams {
        self.reasoning_effort = Some(level.to_string());
        self
    }

    /// Sets `qa`: `true` for Q&A style answers, `false` for captions.
    pub fn qa(mut self, on: bool) -> CaptionParams {
        self.qa = Some(on);
        self
    }

    /// Checks the documented constraints before anything is sent.
    pub fn validate(&self) -> Result<()> {
        non_empty("user_prompt", &self.user_prompt)?;
        if self.persons.len() > MAX_PERSONS {
            return Err(Error::InvalidInput(format!(
                "at most {MAX_PERSONS} persons can be re-identified, got {}",
                self.persons.len()
            )));
        }
        for person in &self.persons {
            non_empty("persons[].name", &person.name)?;
            check_http_url("persons[].url", &person.url)?;
        }
        if let Some(level) = &self.reasoning_effort {
            let valid = level
                .trim()
                .parse::<i32>()
                .is_ok_and(|n| n == -1 || (1..=10).contains(&n));
            if !valid {
                return Err(Error::InvalidInput(format!(
                    "the thinking level must be between 1 and 10 (or -1), got {level:?}"
                )));
            }
            if self.thinking != Some(true) {
                return Err(Error::InvalidInput(
                    "the thinking level only applies with thinking(true)".into(),
                ));
            }
        }
        Ok(())
    }
}

/// The JSON body (or `req` part) of every call: the method's own members
/// around the shared parameters.
#[derive(Serialize, Default)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    video_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_base64: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    img_type: Option<&'static str>,
    #[serde(flatten)]
    params: Option<&'a CaptionParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback: Option<&'a str>,
}

/// A form whose first part `req` is `body` as `req.json`.
fn req_part(body: &Body<'_>) -> Result<Multipart> {
    let json = serde_json::to_vec(body)
        .map_err(|err| Error::InvalidInput(format!("the request cannot be serialized: {err}")))?;
    Ok(Multipart::new().bytes(
        "req",
        json,
        Some("req.json".to_owned()),
        Some("application/json".to_owned()),
    ))
}

/// Rejects anything but an absolute `http(s)://` URL with a host.
pub(crate) fn check_http_url(field: &str, value: &str) -> Result<()> {
    let ok = reqwest::Url::parse(value.trim()).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
    });
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "{field} must be an http(s):// URL, got {value:?}"
        )))
    }
}

fn check_file(path: &Path) -> Result<()> {
    if path.is_file() {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "{} is not a readable file",
            path.display()
        )))
    }
}

/// `image/png` or `image/jpeg` from the extension, the only documented formats.
fn image_type(path: &Path) -> Result<&'static str> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("png") => Ok("image/png"),
        Some("jpg" | "jpeg") => Ok("image/jpeg"),
        _ => Err(Error::InvalidInput(format!(
            "{}: only PNG and JPEG images are supported (by extension)",
            path.display()
        ))),
    }
}

/// The answer of an asynchronous call (`upload`, `uploadFile`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptionTask {
    /// The task id the callback will carry (`data.task_id` in the docs; an
    /// auto-generated example answers an empty `data`, hence optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// Members the docs do not show, kept as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Token usage of one caption (`data.token`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenUsage {
    /// Input tokens.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub input: Option<u64>,
    /// Output tokens.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub output: Option<u64>,
    /// Total tokens.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub total: Option<u64>,
    /// Members the docs do not show, kept as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A caption: the answer of a synchronous call, or the `data` of a callback.
///
/// Every member is optional (**unverified**: the catalog shows no answer);
/// the newest page also lists a processing and an upload time in
/// milliseconds under names it does not show, which land in `extra`.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "CaptionWire")]
pub struct Caption {
    /// The task id, when the answer carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The caption, summary or answer (names of re-identified people included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Token usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenUsage>,
    /// One caption per input when a batch is answered as an array.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<Caption>,
    /// Members the docs do not show, kept as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// How a [`Caption`] arrives: one object, or an array for a batch.
#[derive(Deserialize)]
#[serde(untagged)]
enum CaptionWire {
    Batch(Vec<Caption>),
    One(CaptionFields),
}

#[derive(Deserialize)]
struct CaptionFields {
    #[serde(default)]
    task_id: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    token: Option<TokenUsage>,
    #[serde(default)]
    results: Vec<Caption>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

impl From<CaptionWire> for Caption {
    fn from(wire: CaptionWire) -> Caption {
        match wire {
            CaptionWire::Batch(results) => Caption {
                results,
                ..Caption::default()
            },
            CaptionWire::One(fields) => Caption {
                task_id: fields.task_id,
                text: fields.text,
                token: fields.token,
                results: fields.results,
                extra: fields.extra,
            },
        }
    }
}

/// The body POSTed to the `callback` of an asynchronous caption:
/// `{status, task_id, data: {text, token}}` (`status` `0` success, `-1`
/// failure). Third-party code reads the `stream.memories.ai` callbacks in
/// the same shape (unverified).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptionCallback {
    /// `0` success, `-1` failure.
    #[serde(default, deserialize_with = "media_core::de::opt_i64")]
    pub status: Option<i64>,
    /// The task this result belongs to.
    #[serde(default)]
    pub task_id: Option<String>,
    /// The caption.
    #[serde(default)]
    pub data: Option<Caption>,
    /// Members the docs do not show, kept as sent.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl CaptionCallback {
    /// True when `status` is `0` (or absent).
    pub fn is_success(&self) -> bool {
        self.status.is_none_or(|s| s == 0)
    }

    /// The caption, or [`Error::TaskFailed`] when `status` says failure.
    pub fn into_result(self) -> Result<Caption> {
        if self.is_success() {
            return Ok(self.data.unwrap_or_default());
        }
        let reason = ["msg", "message"]
            .iter()
            .find_map(|key| self.extra.get(*key).and_then(Value::as_str))
            .map_or_else(
                || format!("status {}", self.status.unwrap_or_default()),
                str::to_owned,
            );
        Err(Error::TaskFailed {
            provider: Provider::MemoriesV2,
            task_id: self.task_id.unwrap_or_default(),
            reason,
        })
    }
}

/// Parses the body of a caption callback.
pub fn parse_callback(body: &[u8]) -> Result<CaptionCallback> {
    parse_json(body, "not a caption callback")
}

fn parse_json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(body).map_err(|err| Error::Decode {
        provider: Provider::MemoriesV2,
        http_status: 200,
        message: format!("{what}: {err}"),
        body_snippet: String::from_utf8_lossy(&body[..body.len().min(256)]).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_image_caption_decodes_with_every_field() {
        let caption: Caption = serde_json::from_value(serde_json::json!({
            "text": "It shows a person lying on the ground.",
            "token": {"input": 273, "output": 79, "total": 352}
        }))
        .unwrap();
        assert_eq!(
            caption.text.as_deref(),
            Some("It shows a person lying on the ground.")
        );
        let token = caption.token.unwrap();
        assert_eq!(
            (token.input, token.output, token.total),
            (Some(273), Some(79), Some(352))
        );
        assert!(caption.results.is_empty() && caption.extra.is_empty());
    }

    #[test]
    fn batches_and_unknown_members() {
        let caption: Caption = serde_json::from_value(serde_json::json!([
            {"text": "a", "process_time": 12},
            {"text": "b", "token": {"input": "3"}}
        ]))
        .unwrap();
        assert_eq!(caption.results.len(), 2);
        assert_eq!(caption.results[0].extra["process_time"], 12);
        assert_eq!(caption.results[1].token.as_ref().unwrap().input, Some(3));
        let round: Caption =
            serde_json::from_value(serde_json::to_value(&caption).unwrap()).unwrap();
        assert_eq!(round, caption);
    }

    #[test]
    fn callbacks() {
        let body = br#"{"status":0,"task_id":"8e03075a-2230-4e67-98d4-ba53f37c807a","data":{"text":"A man enters the room and greets two colleagues. Alice is identified by the reference image.","token":{"input":123,"output":456,"total":579}}}"#;
        let callback = parse_callback(body).unwrap();
        assert!(callback.is_success());
        assert_eq!(
            callback.task_id.as_deref(),
            Some("8e03075a-2230-4e67-98d4-ba53f37c807a")
        );
        let caption = callback.into_result().unwrap();
        assert_eq!(caption.token.unwrap().total, Some(579));
        let failed = parse_callback(br#"{"status":-1,"task_id":"t","msg":"video too long"}"#)
            .unwrap()
            .into_result()
            .unwrap_err();
        assert!(
            matches!(&failed, Error::TaskFailed { task_id, reason, .. } if task_id == "t" && reason == "video too long")
        );
        assert!(parse_callback(b"<html>").is_err());
    }

    #[test]
    fn validation() {
        let ok = CaptionParams::new("p")
            .thinking(true)
            .thinking_level(10)
            .person(Person::new("Alice", "https://e.com/a.jpg"));
        assert!(ok.validate().is_ok());
        assert!(
            CaptionParams::new("p")
                .thinking(true)
                .thinking_level(-1)
                .validate()
                .is_ok()
        );
        let six = (0..6).fold(CaptionParams::new("p"), |p, n| {
            p.person(Person::new(format!("p{n}"), "https://e.com/a.jpg"))
        });
        for bad in [
            CaptionParams::new(""),
            six,
            CaptionParams::new("p").thinking(true).thinking_level(0),
            CaptionParams::new("p").thinking(true).thinking_level(11),
            CaptionParams::new("p").thinking_level(3),
            CaptionParams::new("p").person(Person::new("", "https://e.com/a.jpg")),
            CaptionParams::new("p").person(Person::new("A", "alice.jpg")),
        ] {
            assert!(
                matches!(bad.validate(), Err(Error::InvalidInput(_))),
                "{bad:?}"
            );
        }
        assert_eq!(image_type(Path::new("a.JPG")).unwrap(), "image/jpeg");
        assert_eq!(image_type(Path::new("a.png")).unwrap(), "image/png");
        assert!(image_type(Path::new("a.gif")).is_err());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let config = CaptionConfig::new("sk-caption-topsecret");
        assert!(!format!("{config:?}").contains("topsecret"));
        let client = CaptionClient::new(config).unwrap();
        assert!(!format!("{client:?}").contains("topsecret"));
        assert_eq!(client.base_url(), DEFAULT_CAPTION_BASE_URL);
    }
}

//! Visual agents (memories-v2.md §3.B, B.8): the agentic public-video
//! search `POST /queries/stream`, answered as Server-Sent Events.
//!
//! [`Agents::search`] returns a stream of typed [`SearchEvent`]s that ends
//! after `complete` (or `clarification`); an event whose `data` is not JSON
//! is an error item, never dropped. The agent can run for about five
//! minutes: the client timeout applies between events, not to the whole run.

use std::time::Duration;

use futures::stream::{self, BoxStream, StreamExt as _};
use media_core::http::{ApiRequest, SseEvent};
use media_core::{Error, Provider, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::envelope;
use crate::social::Platform;
use crate::wire::non_empty;

/// The largest `max_results` (plugin reference).
pub const MAX_RESULTS: u32 = 50;
/// The largest `max_steps` (plugin reference).
pub const MAX_STEPS: u32 = 20;

media_core::open_enum! {
    /// `time_frame` of a search.
    pub enum TimeFrame {
        /// `past_24h`.
        Past24h = "past_24h",
        /// `past_week`.
        PastWeek = "past_week",
        /// `past_month`.
        PastMonth = "past_month",
        /// `past_year`.
        PastYear = "past_year",
    }
}

/// The body of `POST /queries/stream`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    /// The natural-language request.
    pub query: String,
    /// A subset of `youtube`, `tiktok`, `instagram`, `twitter` (all when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// At most 50 (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Recency filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_frame: Option<TimeFrame>,
    /// Agent loop iterations, at most 20 (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_steps: Option<u32>,
    /// End with a `clarification` event when the query is ambiguous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_clarification: Option<bool>,
}

impl SearchParams {
    /// Search for `query` with the server defaults.
    pub fn new(query: impl Into<String>) -> SearchParams {
        SearchParams {
            query: query.into(),
            platforms: None,
            max_results: None,
            time_frame: None,
            max_steps: None,
            enable_clarification: None,
        }
    }

    /// Sets `platforms`.
    pub fn platforms(mut self, platforms: &[Platform]) -> SearchParams {
        self.platforms = Some(platforms.iter().map(|p| p.as_str().to_owned()).collect());
        self
    }

    /// Sets `max_results` (1–50).
    pub fn max_results(mut self, n: u32) -> SearchParams {
        self.max_results = Some(n);
        self
    }

    /// Sets `time_frame`.
    pub fn time_frame(mut self, time_frame: TimeFrame) -> SearchParams {
        self.time_frame = Some(time_frame);
        self
    }

    /// Sets `max_steps` (1–20).
    pub fn max_steps(mut self, n: u32) -> SearchParams {
        self.max_steps = Some(n);
        self
    }

    /// Sets `enable_clarification`.
    pub fn enable_clarification(mut self, on: bool) -> SearchParams {
        self.enable_clarification = Some(on);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("query", &self.query)?;
        media_core::check::in_range("max_results", self.max_results, 1..=MAX_RESULTS)?;
        media_core::check::in_range("max_steps", self.max_steps, 1..=MAX_STEPS)
    }
}

/// One video of the final result.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoReference {
    /// The platform's id.
    #[serde(default)]
    pub video_id: Option<String>,
    /// The post URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// `youtube`, `tiktok`, `instagram`, `twitter`.
    #[serde(default)]
    pub platform: Option<String>,
    /// Creator name.
    #[serde(default)]
    pub creator: Option<String>,
    /// Creator page.
    #[serde(default)]
    pub creator_url: Option<String>,
    /// Thumbnail.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// Why it was picked.
    #[serde(default)]
    pub relevance_note: Option<String>,
    /// View count.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub views: Option<u64>,
    /// Like count.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub likes: Option<u64>,
    /// Comment count.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub comments: Option<u64>,
    /// Engagement rate.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub engagement_rate: Option<f64>,
    /// Duration text like `"0:45"`.
    #[serde(default)]
    pub duration: Option<String>,
    /// ISO-8601 publication time.
    #[serde(default)]
    pub published_at: Option<String>,
}

/// The `complete` event's payload: the agent's final answer.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    /// The session.
    #[serde(default)]
    pub session_id: Option<String>,
    /// The query, echoed.
    #[serde(default)]
    pub query: Option<String>,
    /// The written answer.
    #[serde(default)]
    pub answer: Option<String>,
    /// The videos found.
    #[serde(default)]
    pub video_references: Vec<VideoReference>,
    /// Per-creator analyses.
    #[serde(default)]
    pub creator_analyses: Option<Vec<Value>>,
    /// Comparisons.
    #[serde(default)]
    pub comparisons: Option<Vec<Value>>,
    /// Platforms searched.
    #[serde(default)]
    pub platforms_searched: Option<Vec<String>>,
    /// Videos analysed.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub total_videos_analyzed: Option<u64>,
    /// Creators analysed.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub total_creators_analyzed: Option<u64>,
    /// 0–1.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub confidence_score: Option<f64>,
    /// e.g. `past_week`.
    #[serde(default)]
    pub data_freshness: Option<String>,
    /// Agent steps.
    #[serde(default, deserialize_with = "media_core::de::opt_u64")]
    pub steps_taken: Option<u64>,
    /// Tools used.
    #[serde(default)]
    pub tools_used: Option<Vec<String>>,
    /// `{tool, input, result, success}` per call.
    #[serde(default)]
    pub tool_execution_details: Option<Vec<Value>>,
    /// Wall time.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub execution_time_seconds: Option<f64>,
    /// Token usage, Gemini calls, tool invocations.
    #[serde(default)]
    pub usage_metrics: Option<Value>,
    /// Structured slots extracted from the query.
    #[serde(default)]
    pub parsed_query: Option<Value>,
}

/// One event of the search stream.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum SearchEvent {
    /// `started`: `{session_id}`.
    Started {
        /// The session.
        session_id: Option<String>,
    },
    /// `progress`: `{step, max_steps, message}`.
    Progress {
        /// Current step.
        step: Option<u64>,
        /// Step budget.
        max_steps: Option<u64>,
        /// What the agent does.
        message: Option<String>,
    },
    /// `tool_call`: `{tool, arguments}`.
    ToolCall {
        /// e.g. `tiktok_search`.
        tool: Option<String>,
        /// The arguments.
        arguments: Value,
    },
    /// `tool_result`: `{success, summary}`.
    ToolResult {
        /// Whether the tool succeeded.
        success: Option<bool>,
        /// Summary.
        summary: Option<String>,
    },
    /// `error`: `{message}`; may be recoverable, the stream goes on.
    Error {
        /// The message.
        message: Option<String>,
    },
    /// `clarification`: a clarifying question; the stream ends.
    Clarification(Value),
    /// `complete`: the final result; the stream ends.
    Complete(Box<SearchResult>),
    /// An event this version does not know.
    Other {
        /// The event name.
        name: String,
        /// Its data.
        data: Value,
    },
}

impl SearchEvent {
    /// True for `complete` and `clarification`, after which the stream ends.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            SearchEvent::Complete(_) | SearchEvent::Clarification(_)
        )
    }

    fn from_sse(event: &SseEvent) -> Result<SearchEvent> {
        let data: Value = serde_json::from_str(&event.data).map_err(|err| Error::Decode {
            provider: Provider::MemoriesV2,
            http_status: 200,
            message: format!("search event {:?}: data is not JSON: {err}", event.event),
            body_snippet: event.data.chars().take(256).collect(),
        })?;
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| data.get(key).and_then(Value::as_u64);
        Ok(match event.event.as_str() {
            "started" => SearchEvent::Started {
                session_id: text("session_id"),
            },
            "progress" => SearchEvent::Progress {
                step: number("step"),
                max_steps: number("max_steps"),
                message: text("message"),
            },
            "tool_call" => SearchEvent::ToolCall {
                tool: text("tool"),
                arguments: data.get("arguments").cloned().unwrap_or(Value::Null),
            },
            "tool_result" => SearchEvent::ToolResult {
                success: data.get("success").and_then(Value::as_bool),
                summary: text("summary"),
            },
            "error" => SearchEvent::Error {
                message: text("message"),
            },
            "clarification" => SearchEvent::Clarification(data),
            "complete" => {
                let result = SearchResult::deserialize(&data).map_err(|err| Error::Decode {
                    provider: Provider::MemoriesV2,
                    http_status: 200,
                    message: format!("search complete event: {err}"),
                    body_snippet: event.data.chars().take(256).collect(),
                })?;
                SearchEvent::Complete(Box::new(result))
            }
            other => SearchEvent::Other {
                name: other.to_owned(),
                data,
            },
        })
    }
}

/// The agent endpoints, from [`Client::agents`].
#[derive(Debug, Clone, Copy)]
pub struct Agents<'a> {
    client: &'a Client,
}

/// How long the search may stay silent between two events.
const SEARCH_IDLE: Duration = Duration::from_secs(300);

impl<'a> Agents<'a> {
    pub(crate) fn new(client: &'a Client) -> Agents<'a> {
        Agents { client }
    }

    /// `POST /queries/stream`: runs the search agent and streams its events.
    ///
    /// Errors before the stream opens (bad key, bad input, an E1 error body
    /// under HTTP 200) are returned at once; afterwards a transport failure
    /// or a malformed event is an `Err` item.
    pub async fn search(
        &self,
        params: &SearchParams,
    ) -> Result<BoxStream<'static, Result<SearchEvent>>> {
        params.validate()?;
        let request = ApiRequest::post("/queries/stream")
            .header("accept", "text/event-stream")
            .timeout(SEARCH_IDLE)
            .json(params);
        let body = self
            .client
            .engine()
            .stream(&request, envelope::decode::<Value>)
            .await?;
        if body.is_json() {
            let raw = body.into_raw().await?;
            let value = envelope::decode::<Value>(raw)?;
            return Err(Error::Decode {
                provider: Provider::MemoriesV2,
                http_status: 200,
                message: "expected an event stream, got a JSON answer".into(),
                body_snippet: value.to_string().chars().take(256).collect(),
            });
        }
        let events = body.sse();
        let typed = stream::unfold((events, false), |(mut events, done)| async move {
            if done {
                return None;
            }
            loop {
                let item = events.next().await?;
                let event = match item {
                    Ok(event) if event.data.trim().is_empty() => continue,
                    Ok(event) => SearchEvent::from_sse(&event),
                    Err(err) => Err(err),
                };
                let done = event.as_ref().map_or(true, SearchEvent::is_terminal);
                return Some((event, (events, done)));
            }
        });
        Ok(typed.boxed())
    }
}

/// Collects a whole search into its final result (the `complete` event).
pub async fn collect_result(
    mut events: BoxStream<'static, Result<SearchEvent>>,
) -> Result<SearchResult> {
    let mut last_error = None;
    while let Some(event) = events.next().await {
        match event? {
            SearchEvent::Complete(result) => return Ok(*result),
            SearchEvent::Clarification(question) => {
                return Err(Error::Api {
                    provider: Provider::MemoriesV2,
                    http_status: 200,
                    code: Some("clarification".into()),
                    message: question.to_string(),
                    request_id: None,
                });
            }
            SearchEvent::Error { message } => last_error = message,
            _ => {}
        }
    }
    Err(Error::Decode {
        provider: Provider::MemoriesV2,
        http_status: 200,
        message: format!(
            "the search stream ended without a complete event{}",
            last_error
                .map(|m| format!(" (last error: {m})"))
                .unwrap_or_default()
        ),
        body_snippet: String::new(),
    })
}

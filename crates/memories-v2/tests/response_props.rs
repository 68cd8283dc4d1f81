//! Property tests of every public type a memories.ai v2 (MAVI) server body decodes
//! into (responses, webhook/callback payloads, stream events, nested items,
//! enums, and the request types that also derive `Deserialize`): arbitrary
//! bytes, arbitrary JSON and a real or synthesized example with one field
//! replaced never make decoding panic, and whatever decodes serializes back
//! into JSON that decodes again. A completeness test reads `src/` so that a
//! type added later cannot escape. The machinery is
//! `media_testkit` (shared by the four provider crates);
//! `PROPTEST_CASES` sets the cases per property and type (default 64).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use media_testkit as harness;
use media_testkit::response_props;

response_props! {
    fixtures: ["tests/fixtures/seed_000_asset_metadata.json", "tests/fixtures/seed_003_frames_callback.json"],
    types: [
        memories_v2::agents::TimeFrame,
        memories_v2::agents::SearchParams,
        memories_v2::agents::VideoReference,
        memories_v2::agents::SearchResult,
        memories_v2::assets::UploadedAsset,
        memories_v2::assets::SignedUpload,
        memories_v2::assets::UploadStatus,
        memories_v2::assets::Resource,
        memories_v2::assets::AssetMetadata,
        memories_v2::caption::Person,
        memories_v2::caption::CaptionParams,
        memories_v2::caption::CaptionTask,
        memories_v2::caption::TokenUsage,
        memories_v2::caption::Caption,
        memories_v2::caption::CaptionCallback,
        memories_v2::chat::ContentPart,
        memories_v2::chat::Content,
        memories_v2::chat::Message,
        memories_v2::chat::ChatRequest,
        memories_v2::chat::ChoiceMessage,
        memories_v2::chat::Choice,
        memories_v2::chat::Usage,
        memories_v2::chat::Meta,
        memories_v2::chat::ChatCompletion,
        memories_v2::Downloaded,
        memories_v2::embeddings::Embedding,
        memories_v2::embeddings::TextEmbeddingParams,
        memories_v2::screenplay::ScreenplayMode,
        memories_v2::screenplay::ScreenplayState,
        memories_v2::screenplay::ScreenplayConfig,
        memories_v2::screenplay::ScreenplayParams,
        memories_v2::screenplay::ScreenplayTask,
        memories_v2::screenplay::ScreenplayProgress,
        memories_v2::screenplay::ScreenplayStatus,
        memories_v2::social::Channel,
        memories_v2::social::SocialVideoParams,
        memories_v2::social::MaiTranscriptParams,
        memories_v2::stream_understanding::StreamStatus,
        memories_v2::stream_understanding::StreamTask,
        memories_v2::stream_understanding::StreamConnectParams,
        memories_v2::streams::StreamAck,
        memories_v2::streams::AudioStreamParams,
        memories_v2::streams::VideoStreamParams,
        memories_v2::tasks::TaskAccepted,
        memories_v2::tasks::TaskState,
        memories_v2::tasks::TaskStatus,
        memories_v2::transcriptions::AudioTranscriptionParams,
        memories_v2::transcriptions::AudioItem,
        memories_v2::transcriptions::AudioTranscription,
        memories_v2::transcriptions::SpeakerItem,
        memories_v2::transcriptions::SpeakerDiarization,
        memories_v2::transcriptions::VideoDescriptionParams,
        memories_v2::transcriptions::SttProvider,
        memories_v2::transcriptions::SpeechToTextParams,
        memories_v2::transcriptions::AssetTranscriptionParams,
        memories_v2::video::Orientation,
        memories_v2::video::SplitParams,
        memories_v2::video::EditParams,
        memories_v2::webhooks::WebhookEvent,
        memories_v2::webhooks::FramesResult,
        memories_v2::webhooks::Scene,
        memories_v2::webhooks::ClipScenes,
        memories_v2::webhooks::ClipResult,
        memories_v2::webhooks::SplitResult,
        memories_v2::webhooks::CallbackSegment,
        memories_v2::webhooks::UsageMetadata,
        memories_v2::webhooks::TranscriptionSegments,
        memories_v2::webhooks::TranscriptionResult,
        memories_v2::webhooks::SummaryResult,
        memories_v2::webhooks::MaiSegment,
        memories_v2::webhooks::MaiTrackData,
        memories_v2::webhooks::MaiTrack,
        memories_v2::webhooks::MaiTranscriptResult,
        memories_v2::webhooks::AudioStreamEvent,
        memories_v2::webhooks::VideoStreamEvent,
        memories_v2::webhooks::VideoStreamSegment,
        memories_v2::ids::ResourceId,
        memories_v2::ids::FrameGroupId,
        memories_v2::ids::FrameId,
        memories_v2::ids::TaskId,
        memories_v2::ids::ScreenplayTaskId,
        memories_v2::tasks::PendingTask<memories_v2::webhooks::FramesResult>,
    ],
    excluded: [],
}

#[test]
fn caption_parse_callback_never_panics() {
    harness::decoder_never_panics(pool(), "caption::parse_callback", |body| {
        memories_v2::caption::parse_callback(body).is_ok()
    });
}

#[test]
fn parse_webhook_never_panics() {
    harness::decoder_never_panics(pool(), "parse_webhook", |body| {
        memories_v2::webhooks::parse_webhook(body).is_ok()
    });
}

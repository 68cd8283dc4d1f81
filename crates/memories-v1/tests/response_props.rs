//! Property tests of every public type a memories.ai v1 server body decodes
//! into (responses, callbacks, chat stream events, nested items, enums):
//! arbitrary bytes, arbitrary JSON and the real example with one field
//! replaced never make decoding panic, and whatever decodes serializes back
//! into JSON that decodes again. A completeness test reads `src/` so that a
//! type added later cannot escape. The machinery is
//! `media_testkit` (shared by the four provider crates);
//! `PROPTEST_CASES` sets the cases per property and type (default 64).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use media_testkit as harness;
use media_testkit::response_props;

response_props! {
    fixtures: ["tests/fixtures/seed_001_get_metadata.json"],
    types: [
        memories_v1::callback::TaskStatus,
        memories_v1::callback::UploadCallback,
        memories_v1::callback::ImportTaskCallback,
        memories_v1::callback::ImportedVideoCallback,
        memories_v1::chat::Thinking,
        memories_v1::chat::RefVideo,
        memories_v1::chat::RefItemType,
        memories_v1::chat::RefItem,
        memories_v1::chat::ChatRef,
        memories_v1::chat::ChatReply,
        memories_v1::chat::ChatEvent,
        memories_v1::chat::SessionSummary,
        memories_v1::chat::SessionPage,
        memories_v1::chat::SessionMessage,
        memories_v1::chat::SessionDetail,
        memories_v1::VideoStatus,
        memories_v1::Platform,
        memories_v1::library::VideoMetadata,
        memories_v1::library::ListedVideo,
        memories_v1::library::VideoPage,
        memories_v1::library::TaskVideo,
        memories_v1::library::ImportTaskStatus,
        memories_v1::library::PrivateVideoDetails,
        memories_v1::library::UniqueIds,
        memories_v1::library::ListedImage,
        memories_v1::library::ImagePage,
        memories_v1::library::PublicVideoDetail,
        memories_v1::memory::MemoryItem,
        memories_v1::search::SearchType,
        memories_v1::search::FilteringLevel,
        memories_v1::search::SearchClip,
        memories_v1::search::ImageHit,
        memories_v1::search::ImageSearchPage,
        memories_v1::search::SearchResults,
        memories_v1::search::TranscriptHit,
        memories_v1::search::TranscriptSearchPage,
        memories_v1::search::ImageMatch,
        memories_v1::search::ClipMatch,
        memories_v1::transcription::TranscriptSegment,
        memories_v1::transcription::Transcript,
        memories_v1::transcription::SummaryType,
        memories_v1::transcription::SummaryItem,
        memories_v1::transcription::Summary,
        memories_v1::transcription::UpdatedTranscription,
        memories_v1::upload::UploadedImage,
        memories_v1::upload::UploadedVideo,
        memories_v1::upload::ImportTask,
    ],
    excluded: [],
}

#[test]
fn parse_callback_never_panics() {
    harness::decoder_never_panics(pool(), "parse_callback", |body| {
        memories_v1::callback::parse_callback(body).is_ok()
    });
}

//! Property tests of every public type a NAVER Cloud Media Intelligence server body decodes
//! into (responses, webhook/callback payloads, stream events, nested items,
//! enums, and the request types that also derive `Deserialize`): arbitrary
//! bytes, arbitrary JSON and a real or synthesized example with one field
//! replaced never make decoding panic, and whatever decodes serializes back
//! into JSON that decodes again. A completeness test reads `src/` so that a
//! type added later cannot escape. The machinery is
//! `media_testkit` (shared by the four provider crates);
//! `PROPTEST_CASES` sets the cases per property and type (default 64).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use media_testkit::response_props;

response_props! {
    fixtures: ["tests/fixtures/seed_004_asset_list.json"],
    types: [
        ncp_mi::AssetFormat,
        ncp_mi::AssetMetaData,
        ncp_mi::Asset,
        ncp_mi::RegisterAssetParams,
        ncp_mi::IndexStatus,
        ncp_mi::SceneRange,
        ncp_mi::SourceLanguage,
        ncp_mi::ConfidenceLevel,
        ncp_mi::IndexType,
        ncp_mi::AnalysisParams,
        ncp_mi::AnalysisStatus,
        ncp_mi::Index,
        ncp_mi::AnalysisSetting,
        ncp_mi::IndexSummary,
        ncp_mi::IndexList,
        ncp_mi::PersonTag,
        ncp_mi::Thumbnail,
        ncp_mi::Person,
        ncp_mi::ThumbnailRef,
        ncp_mi::CreatePersonParams,
        ncp_mi::UpdatePersonParams,
        ncp_mi::NameType,
        ncp_mi::PersonSortColumn,
        ncp_mi::SortType,
        ncp_mi::SearchPersonsParams,
        ncp_mi::SimilarPerson,
        ncp_mi::SimilarPersons,
        ncp_mi::SimilarityParams,
        ncp_mi::ThumbnailList,
        ncp_mi::TagList,
        ncp_mi::ThumbnailUpload,
        ncp_mi::Project,
        ncp_mi::ProjectList,
        ncp_mi::ProjectParams,
        ncp_mi::SummaryStatus,
        ncp_mi::SceneSummaryParams,
        ncp_mi::SceneSummaryStatus,
        ncp_mi::SceneSummaryInfo,
        ncp_mi::SceneSummary,
        ncp_mi::SearchStatus,
        ncp_mi::UploadState,
        ncp_mi::UploadStatus,
        ncp_mi::QueryImageUpload,
        ncp_mi::SearchQuery,
        ncp_mi::QueryOption,
        ncp_mi::SearchParams,
        ncp_mi::SearchStarted,
        ncp_mi::SearchHit,
        ncp_mi::SearchResult,
        ncp_mi::time::Timestamp,
        ncp_mi::Workspace,
        ncp_mi::DeletedWorkspace,
        ncp_mi::CreateWorkspaceParams,
        ncp_mi::Page<ncp_mi::Asset>,
        ncp_mi::Page<ncp_mi::Person>,
        ncp_mi::Page<ncp_mi::Workspace>,
        ncp_mi::Page<ncp_mi::SearchHit>,
        ncp_mi::Clause<String>,
    ],
    excluded: [],
}

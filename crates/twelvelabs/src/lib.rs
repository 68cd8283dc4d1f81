//! A typed async client for the TwelveLabs API v1.3.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use twelvelabs::{
//!     AssetInput, Client, CreateIndexRequest, CreateIndexedAssetRequest, PollOptions,
//!     SearchOption, SearchRequest, UploadOptions,
//! };
//!
//! # async fn run() -> twelvelabs::Result<()> {
//! // TWELVE_LABS_API_KEY (or TWELVELABS_API_KEY), optionally TWELVELABS_BASE_URL.
//! let client = Client::from_env()?;
//! let poll = PollOptions::default();
//!
//! // An index to search in (Marengo 3.0, visual + audio).
//! let index_id = client
//!     .indexes()
//!     .create(&CreateIndexRequest::marengo("match-footage"))
//!     .await?
//!     .id
//!     .unwrap_or_default();
//!
//! // Upload: small files in one request, large ones in resumable parallel
//! // chunks; constant memory either way. Assets are processed asynchronously.
//! let options = UploadOptions::new().state_file("final.mp4.upload.json");
//! let asset = client
//!     .upload_asset(AssetInput::File("final.mp4".into()), &options)
//!     .await?;
//! let asset_id = asset.id.unwrap_or_default();
//! client.assets().wait_until_ready(&asset_id, &poll, |_| {}).await?;
//!
//! // Index the ready asset and wait for indexing to finish.
//! let indexed = client
//!     .indexed_assets()
//!     .create(&index_id, &CreateIndexedAssetRequest::new(&asset_id))
//!     .await?;
//! let indexed_id = indexed.id.unwrap_or_default();
//! client
//!     .indexed_assets()
//!     .wait_until_ready(&index_id, &indexed_id, &poll, |a| println!("{:?}", a.status))
//!     .await?;
//!
//! // Search: every result across pages (`GET /search/{page_token}`).
//! let hits: Vec<_> = client
//!     .search()
//!     .query(SearchRequest::text(&index_id, "a header goal", [SearchOption::Visual]))
//!     .try_collect()
//!     .await?;
//! for hit in &hits {
//!     println!("{:?} {:?}-{:?}", hit.clip.video_id, hit.clip.start, hit.clip.end);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Endpoints are grouped as TwelveLabs groups them, each behind a handle on
//! [`Client`]: [`Client::indexes`], [`Client::assets`],
//! [`Client::multipart_uploads`], [`Client::indexed_assets`],
//! [`Client::entity_collections`], [`Client::entities`], [`Client::search`],
//! the legacy [`Client::tasks`] and [`Client::videos`], and the groups in
//! the modules below. Models keep the provider's field names, read every
//! field leniently (unknown fields are ignored, enums keep values they do
//! not know in an `Unknown` arm), and assets convert into the
//! provider-neutral [`media_core::Asset`]; [`Client`] implements
//! [`media_core::AssetReader`], [`media_core::AssetLister`],
//! [`media_core::AssetUploader`] and [`media_core::AssetDeleter`].
//!
//! Wire conventions are handled for you: `POST /assets`, `/tasks` and
//! `/search` are always `multipart/form-data` (arrays as repeated fields,
//! booleans `true`/`false`, `user_metadata` as JSON text) and the form is
//! rebuilt for every retry; query arrays are repeated keys and ranges
//! `key[gte]=…`; page-number lists stream every item and stop at
//! `total_page`; every asynchronous job has a `wait_*` helper with a
//! deadline.
//!
//! Errors are [`Error`]: the provider's error bodies (flat
//! `{code, message, docs_url}`, nested `{error: {code, message, details}}`,
//! empty, or a gateway's HTML) become [`Error::NotFound`] (code
//! `resource_not_exist`), [`Error::Unauthorized`], [`Error::RateLimited`]
//! (with `Retry-After`) or [`Error::Api`], always with the code and message.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod analyze;
pub mod assets;
mod client;
pub mod common;
pub mod connectors;
mod de;
pub mod embed;
pub mod embed_v1;
pub mod entities;
mod error;
mod form;
pub mod indexed_assets;
pub mod indexes;
pub mod knowledge_stores;
pub mod legacy;
pub mod multipart_uploads;
mod neutral;
pub mod responses;
pub mod search;
pub mod tasks;
mod upload;
pub mod videos;
mod wire;

pub use analyze::{
    AnalysisMode, Analyze, AnalyzeBatch, AnalyzeImageInput, AnalyzeModel, AnalyzeRequest,
    AnalyzeResponse, AnalyzeStreamEvent, AnalyzeTask, AnalyzeTaskError, AnalyzeTaskMediaSource,
    AnalyzeTaskRef, AnalyzeTaskRequest, AnalyzeTaskRequestParams, AnalyzeTaskResult,
    AnalyzeTaskStatus, AnalyzeTimeRange, BatchItemRef, BatchItemRequest, BatchOverrides,
    BatchResultItem, BatchStatus, CreateAnalyzeBatchRequest, CreateAnalyzeBatchResponse,
    FinishReason, ListAnalyzeBatchesParams, ListAnalyzeTasksParams, MaxTokens, PromptMediaSource,
    PromptV2, PromptV2Echo, ResponseFormat, ResponseFormatEcho, SegmentDefinition, SegmentField,
    StreamMetadata, TokenUsage, VideoContext, VideoSource, VideoSystemMetadata, WebhookDelivery,
};
pub use assets::{
    Asset, AssetError, AssetHls, AssetInput, AssetMethod, AssetSource, AssetSourceDetails,
    AssetSourceType, AssetStatus, AssetThumbnail, AssetTranscription, AssetType, Assets,
    AudioStream, ConnectorProvider, CreateAssetRequest, GenerationStatus, ListAssetsParams,
    TechnicalMetadata, TranscriptEntry, TranscriptionPart, TranscriptionStatus, UserMetadataPatch,
    VideoStream,
};
pub use client::{Client, Config, DEFAULT_BASE_URL};
pub use common::{
    CreatedId, HlsObject, HlsStatus, MAX_PAGE_LIMIT, MetadataValue, Page, PageInfo, Range, SortBy,
    SortOption, TranscriptionItem, UserMetadata, VideoSegment,
};
pub use connectors::{
    AuthorizeConnectionRequest, AuthorizeConnectionResponse, Connection, ConnectionAccount,
    ConnectionStatus, DataConnectors, Import, ImportAction, ImportItem, ImportItemError,
    ImportResult, PickerToken, RedirectUri,
};
pub use embed::{
    AsyncImageInput, CreateEmbeddingTaskRequest, CreateEmbeddingsRequest, DocumentInput,
    DocumentSegmentation, EmbedInputType, EmbedMediaType, EmbedV2, EmbeddingData,
    EmbeddingMediaMetadata, EmbeddingModel, EmbeddingOption, EmbeddingScope,
    EmbeddingSuccessResponse, EmbeddingTaskCreated, EmbeddingTaskMedium, EmbeddingTaskMetadata,
    EmbeddingTaskResponse, EmbeddingTaskStatus, EmbeddingType, EmbeddingUsage,
    ListEmbeddingTasksParams, MediaEmbeddingTask, MediaInput, MediaSource, MultiInput,
    MultiInputMediaSource, Quadrant, Segmentation, TaskErrorMessage, TimeBasedMetadataEntry,
};
pub use embed_v1::{
    CreateEmbeddingTaskV1Request, CreateEmbeddingV1Request, Embed, EmbeddingResponseV1,
    InputMetadataV1, MediaInputV1, ModalityEmbeddingV1, SegmentV1, VideoEmbeddingMetadata,
    VideoEmbeddingTask, VideoEmbeddingV1,
};
pub use entities::{
    BulkCreateEntityResponse, BulkCreatedEntity, BulkEntityError, CreateEntityRequest, Entities,
    Entity, EntityCollection, EntityCollectionRequest, EntityCollections, EntityMetadata,
    EntityStatus, ListEntitiesParams, UpdateEntityRequest,
};
pub use indexed_assets::{
    CreateIndexedAssetRequest, CreatedIndexedAsset, IndexRef, IndexedAsset, IndexedAssetMetadata,
    IndexedAssetStatus, IndexedAssetSummary, IndexedAssets, ListIndexedAssetsParams,
    RetrieveVideoParams, VideoEmbedding, VideoEmbeddingOption, VideoEmbeddingSegments,
};
pub use indexes::{
    CreateIndexRequest, Index, IndexAddon, IndexModel, Indexes, ListIndexesParams, ModelFamily,
    ModelName, ModelOption,
};
pub use knowledge_stores::{
    CreateItemCollectionRequest, CreateKnowledgeItemRequest, CreateKnowledgeStoreRequest,
    EnrichmentConfig, FieldFilter, IngestionConfig, KnowledgeAssetType, KnowledgeGroupBy,
    KnowledgeHitMetadata, KnowledgeItemStatus, KnowledgeItemSystemMetadata, KnowledgeMatch,
    KnowledgeSearchFilter, KnowledgeSearchHit, KnowledgeStore, KnowledgeStoreItem,
    KnowledgeStoreItemCollection, KnowledgeStores, ListKnowledgeParams,
    SearchKnowledgeStoreRequest, SearchKnowledgeStoreResponse, UpdateKnowledgeRequest,
};
pub use legacy::{
    Chapter, GistResponse, Highlight, Legacy, SummarizeRequest, SummarizeResponse,
    TransferImportRequest,
};
pub use media_core::http::RetryPolicy;
pub use media_core::poll::PollOptions;
pub use media_core::{Error, ProgressFn, Result, UploadProgress};
pub use multipart_uploads::{
    ChunkInfo, ChunkStatus, CompletedChunk, CreateAssetUploadResponse,
    CreateMultipartUploadRequest, IncompleteUploadSummary, MultipartUploadOptions,
    MultipartUploadOutcome, MultipartUploadStatus, MultipartUploads, PresignedUrlChunk,
    PresignedUrlsResponse, ReportChunkBatchResponse, UploadState, UploadStatus, UploadType,
};
pub use responses::{
    CreateResponseRequest, IncompleteDetails, ResponseAnnotation, ResponseContentPart,
    ResponseEventType, ResponseInputItem, ResponseObject, ResponseOutputItem, ResponseSelection,
    ResponseStatus, ResponseStreamEvent, ResponseUsage, Responses,
};
pub use search::{
    GroupBy, QueryMediaType, Search, SearchClip, SearchItem, SearchOperator, SearchOption,
    SearchPageInfo, SearchPool, SearchRequest, SearchResults, TranscriptionOption, entity_ref,
};
pub use tasks::{
    CreateTaskRequest, CreatedTask, ListTasksParams, TaskStatus, TaskSystemMetadata, TaskVideo,
    Tasks, VideoIndexingTask,
};
pub use upload::{DEFAULT_MULTIPART_THRESHOLD, UploadOptions};
pub use videos::{ListVideosParams, Video, Videos};

//! Person: `/workspaces/{workspace_name}/persons…` and the face-image (thumbnail) uploads.

use std::path::Path;

use futures::stream::BoxStream;
use media_core::http::{ApiRequest, FilePart};
use media_core::{ProgressFn, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::page::{MAX_PAGE_SIZE, Page, PageParams};
use crate::search::UploadStatus;
use crate::time::{Timestamp, opt_timestamp};
use media_core::open_enum;

const PERSONS_PATH: &str = "/workspaces/{workspace_name}/persons";
const PERSON_PATH: &str = "/workspaces/{workspace_name}/persons/{person_id}";
const SEARCH_PATH: &str = "/workspaces/{workspace_name}/persons/search";
const MERGE_PATH: &str = "/workspaces/{workspace_name}/persons/{person_id}/merge";
const SIMILAR_PATH: &str = "/workspaces/{workspace_name}/persons/{person_id}/similar";
const RECOMMEND_PATH: &str = "/workspaces/{workspace_name}/persons/recommend-by-thumbnail";
const THUMBNAILS_PATH: &str = "/workspaces/{workspace_name}/persons/{person_id}/person-thumbnail";
const THUMBNAILS_REMOVE_PATH: &str =
    "/workspaces/{workspace_name}/persons/{person_id}/person-thumbnail/remove";
const TAGS_PATH: &str = "/workspaces/{workspace_name}/persons/{person_id}/person-tags";
const TAGS_REMOVE_PATH: &str =
    "/workspaces/{workspace_name}/persons/{person_id}/person-tags/remove";
const THUMB_PRESIGNED_PATH: &str =
    "/workspaces/{workspace_name}/person-thumbnail/uploads/presigned-url";
const THUMB_COMPLETE_PATH: &str = "/workspaces/{workspace_name}/person-thumbnail/uploads/complete";

/// The largest `pageSize` of `POST …/persons/search` (default 10).
pub const MAX_PERSON_SEARCH_PAGE_SIZE: u32 = 50;

/// A person tag (`tags[]`, `tagList[]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTag {
    /// The tag id (`id`; `tagId` read too).
    #[serde(alias = "tagId", deserialize_with = "media_core::de::u64_loose")]
    pub id: u64,
    /// The tag name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A face image of a person (`thumbnails[]`, `thumbnailList[]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thumbnail {
    /// The thumbnail id (`id`; `thumbnailId` read too).
    #[serde(alias = "thumbnailId", deserialize_with = "media_core::de::u64_loose")]
    pub id: u64,
    /// A presigned, expiring URL of the image (`url`).
    #[serde(default)]
    pub url: Option<String>,
    /// Whether this is the primary face image (`isPrimaryThumbnail`).
    #[serde(rename = "isPrimaryThumbnail", default)]
    pub is_primary_thumbnail: Option<bool>,
}

/// A person of a workspace.
///
/// Older answers carry `id`, newer ones `personId` (or both): [`Person::person_id`] reads
/// either. `name` is `None` for anonymous persons found by face recognition.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// `id`, as older answers send it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub id: Option<u64>,
    /// `personId`, as newer answers send it.
    #[serde(
        rename = "personId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub person_id: Option<u64>,
    /// The unique name; `None` for an anonymous person.
    #[serde(default)]
    pub name: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// Tags.
    #[serde(default, deserialize_with = "crate::page::null_as_empty")]
    pub tags: Vec<PersonTag>,
    /// Face images.
    #[serde(default, deserialize_with = "crate::page::null_as_empty")]
    pub thumbnails: Vec<Thumbnail>,
    /// Assets the person appears in (`assetCount`; name inferred).
    #[serde(
        rename = "assetCount",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub asset_count: Option<u64>,
    /// Scenes the person appears in (`sceneCount`; name inferred).
    #[serde(
        rename = "sceneCount",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub scene_count: Option<u64>,
    /// When it was created (`createdTime`), when sent.
    #[serde(
        rename = "createdTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_timestamp"
    )]
    pub created_time: Option<Timestamp>,
    /// When it last changed (`updatedTime`), when sent.
    #[serde(
        rename = "updatedTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_timestamp"
    )]
    pub updated_time: Option<Timestamp>,
    /// Fields the docs do not show.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Person {
    /// The person id, from `personId` or `id`.
    pub fn person_id(&self) -> Option<u64> {
        self.person_id.or(self.id)
    }
}

/// One page of persons (`GET …/persons`, `POST …/persons/search`).
pub type PersonList = Page<Person>;

/// A face image to attach (`thumbnails[]` of create/add).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThumbnailRef {
    /// The key from the thumbnail upload (`thumbnailKey`).
    #[serde(rename = "thumbnailKey")]
    pub thumbnail_key: String,
    /// Whether it is the primary face image (`isPrimaryThumbnail`).
    #[serde(rename = "isPrimaryThumbnail")]
    pub is_primary_thumbnail: bool,
}

impl ThumbnailRef {
    /// The primary face image.
    pub fn primary(thumbnail_key: impl Into<String>) -> ThumbnailRef {
        ThumbnailRef {
            thumbnail_key: thumbnail_key.into(),
            is_primary_thumbnail: true,
        }
    }

    /// A further face image.
    pub fn secondary(thumbnail_key: impl Into<String>) -> ThumbnailRef {
        ThumbnailRef {
            thumbnail_key: thumbnail_key.into(),
            is_primary_thumbnail: false,
        }
    }
}

/// Body of `POST …/persons`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePersonParams {
    /// 1–50 characters, unique, not blank; omitted for an anonymous person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1–700 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// 1–100 face images, exactly one primary.
    pub thumbnails: Vec<ThumbnailRef>,
}

impl CreatePersonParams {
    /// A person with these face images (exactly one primary).
    pub fn new(thumbnails: impl IntoIterator<Item = ThumbnailRef>) -> CreatePersonParams {
        CreatePersonParams {
            name: None,
            description: None,
            thumbnails: thumbnails.into_iter().collect(),
        }
    }

    /// Sets `name`.
    pub fn name(mut self, name: impl Into<String>) -> CreatePersonParams {
        self.name = Some(name.into());
        self
    }

    /// Sets `description`.
    pub fn description(mut self, description: impl Into<String>) -> CreatePersonParams {
        self.description = Some(description.into());
        self
    }

    fn check(&self) -> Option<String> {
        if let Some(name) = &self.name
            && let Some(reason) = crate::text_rule("name", name, 1, 50)
        {
            return Some(reason);
        }
        if let Some(description) = &self.description
            && let Some(reason) = crate::length_rule("description", description, 1, 700)
        {
            return Some(reason);
        }
        check_thumbnails(&self.thumbnails, true)
    }
}

fn check_thumbnails(thumbnails: &[ThumbnailRef], one_primary: bool) -> Option<String> {
    if !(1..=100).contains(&thumbnails.len()) {
        return Some(format!(
            "thumbnails takes 1–100 entries, got {}",
            thumbnails.len()
        ));
    }
    let primaries = thumbnails.iter().filter(|t| t.is_primary_thumbnail).count();
    if (one_primary && primaries != 1) || primaries > 1 {
        return Some(format!(
            "exactly one thumbnail must be primary, got {primaries}"
        ));
    }
    thumbnails
        .iter()
        .any(|t| t.thumbnail_key.trim().is_empty())
        .then(|| "thumbnailKey must not be empty".to_owned())
}

/// Body of `PATCH …/persons/{person_id}`: every field optional.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePersonParams {
    /// A new name (1–50, unique, not blank); also how an anonymous person gets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description (1–700).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The new primary face image (`primaryThumbnailId`).
    #[serde(rename = "primaryThumbnailId", skip_serializing_if = "Option::is_none")]
    pub primary_thumbnail_id: Option<u64>,
}

impl UpdatePersonParams {
    /// No change yet.
    pub fn new() -> UpdatePersonParams {
        UpdatePersonParams::default()
    }

    /// Sets `name`.
    pub fn name(mut self, name: impl Into<String>) -> UpdatePersonParams {
        self.name = Some(name.into());
        self
    }

    /// Sets `description`.
    pub fn description(mut self, description: impl Into<String>) -> UpdatePersonParams {
        self.description = Some(description.into());
        self
    }

    /// Sets `primaryThumbnailId`.
    pub fn primary_thumbnail_id(mut self, id: u64) -> UpdatePersonParams {
        self.primary_thumbnail_id = Some(id);
        self
    }

    fn check(&self) -> Option<String> {
        if let Some(name) = &self.name
            && let Some(reason) = crate::text_rule("name", name, 1, 50)
        {
            return Some(reason);
        }
        if let Some(description) = &self.description {
            return crate::length_rule("description", description, 1, 700);
        }
        None
    }
}

/// Query of `GET …/persons`: paging (`pageSize` 1–1000) plus `name` (2–50) and
/// `tagIdList` (≤ 30 ids, comma-separated in one parameter).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPersonsParams {
    /// `pageNum`/`pageSize`.
    pub page: PageParams,
    /// Name filter (`name`).
    pub name: Option<String>,
    /// Tag filter (`tagIdList`).
    pub tag_id_list: Vec<u64>,
}

impl ListPersonsParams {
    /// Page `page_num` (1-based).
    pub fn new(page_num: u32) -> ListPersonsParams {
        ListPersonsParams {
            page: PageParams::new(page_num),
            name: None,
            tag_id_list: Vec::new(),
        }
    }

    /// Sets `pageSize` (1–1000).
    pub fn page_size(mut self, page_size: u32) -> ListPersonsParams {
        self.page = self.page.page_size(page_size);
        self
    }

    /// Filters by `name` (2–50 characters).
    pub fn name(mut self, name: impl Into<String>) -> ListPersonsParams {
        self.name = Some(name.into());
        self
    }

    /// Filters by tags (`tagIdList`, at most 30).
    pub fn tag_ids(mut self, tag_ids: impl IntoIterator<Item = u64>) -> ListPersonsParams {
        self.tag_id_list = tag_ids.into_iter().collect();
        self
    }

    fn apply(&self, request: ApiRequest) -> ApiRequest {
        let mut request = self.page.apply(request, MAX_PAGE_SIZE);
        if let Some(name) = &self.name
            && let Some(reason) = crate::text_rule("name", name, 2, 50)
        {
            request.reject(reason);
        }
        if self.tag_id_list.len() > 30 {
            request.reject(format!(
                "tagIdList takes at most 30 ids, got {}",
                self.tag_id_list.len()
            ));
        }
        let tags = (!self.tag_id_list.is_empty()).then(|| {
            self.tag_id_list
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        });
        request
            .query_opt("name", self.name.as_deref())
            .query_opt("tagIdList", tags)
    }
}

open_enum! {
    /// Named or anonymous persons (`nameType`).
    pub enum NameType {
        /// Persons with a name.
        Named = "NAMED",
        /// Anonymous persons.
        Anonymous = "ANONYMOUS",
    }
}

open_enum! {
    /// Sort column of a person search (`sortColumn`).
    pub enum PersonSortColumn {
        /// By number of assets (the default).
        AssetCount = "ASSET_COUNT",
        /// By creation time.
        CreatedAt = "CREATED_AT",
        /// By id.
        PersonId = "PERSON_ID",
        /// By name.
        Name = "NAME",
    }
}

open_enum! {
    /// Sort direction (`sortType`).
    pub enum SortType {
        /// Ascending.
        Asc = "ASC",
        /// Descending (the default).
        Desc = "DESC",
    }
}

/// Body of `POST …/persons/search`: paging in the body (`pageSize` 1–50, default 10).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPersonsParams {
    /// `pageNum`, ≥ 1.
    #[serde(rename = "pageNum")]
    pub page_num: u32,
    /// `pageSize`, 1–50.
    #[serde(rename = "pageSize", skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Name filter, 2–50 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Person ids (`personIds`).
    #[serde(rename = "personIds", skip_serializing_if = "Option::is_none")]
    pub person_ids: Option<Vec<u64>>,
    /// Tag ids (`tagIds`).
    #[serde(rename = "tagIds", skip_serializing_if = "Option::is_none")]
    pub tag_ids: Option<Vec<u64>>,
    /// Named or anonymous; both when `None` (`nameType`).
    #[serde(rename = "nameType", skip_serializing_if = "Option::is_none")]
    pub name_type: Option<NameType>,
    /// Sort column (`sortColumn`).
    #[serde(rename = "sortColumn", skip_serializing_if = "Option::is_none")]
    pub sort_column: Option<PersonSortColumn>,
    /// Sort direction (`sortType`).
    #[serde(rename = "sortType", skip_serializing_if = "Option::is_none")]
    pub sort_type: Option<SortType>,
}

impl SearchPersonsParams {
    /// Page `page_num` of every person.
    pub fn new(page_num: u32) -> SearchPersonsParams {
        SearchPersonsParams {
            page_num,
            page_size: None,
            name: None,
            person_ids: None,
            tag_ids: None,
            name_type: None,
            sort_column: None,
            sort_type: None,
        }
    }

    /// Sets `pageSize` (1–50).
    pub fn page_size(mut self, page_size: u32) -> SearchPersonsParams {
        self.page_size = Some(page_size);
        self
    }

    /// Sets `name`.
    pub fn name(mut self, name: impl Into<String>) -> SearchPersonsParams {
        self.name = Some(name.into());
        self
    }

    /// Sets `personIds`.
    pub fn person_ids(mut self, ids: impl IntoIterator<Item = u64>) -> SearchPersonsParams {
        self.person_ids = Some(ids.into_iter().collect());
        self
    }

    /// Sets `tagIds`.
    pub fn tag_ids(mut self, ids: impl IntoIterator<Item = u64>) -> SearchPersonsParams {
        self.tag_ids = Some(ids.into_iter().collect());
        self
    }

    /// Sets `nameType`.
    pub fn name_type(mut self, name_type: NameType) -> SearchPersonsParams {
        self.name_type = Some(name_type);
        self
    }

    /// Sets `sortColumn` and `sortType`.
    pub fn sort(mut self, column: PersonSortColumn, direction: SortType) -> SearchPersonsParams {
        self.sort_column = Some(column);
        self.sort_type = Some(direction);
        self
    }

    fn check(&self) -> Option<String> {
        let page = PageParams {
            page_num: self.page_num,
            page_size: self.page_size,
        };
        if let Some(reason) = page.check(MAX_PERSON_SEARCH_PAGE_SIZE) {
            return Some(reason);
        }
        self.name
            .as_deref()
            .and_then(|name| crate::text_rule("name", name, 2, 50))
    }
}

/// One look-alike (`similarPersons[]`).
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimilarPerson {
    /// The person (`personId`).
    #[serde(
        rename = "personId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub person_id: Option<u64>,
    /// The similarity score (`score`; name inferred), when sent.
    #[serde(default, deserialize_with = "media_core::de::opt_f64")]
    pub score: Option<f64>,
    /// Further fields the docs cut off.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET …/persons/{person_id}/similar` and `POST …/persons/recommend-by-thumbnail`:
/// persons sorted by similarity, `[]` when none match.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimilarPersons {
    /// The person compared (`personId`; absent for a thumbnail match).
    #[serde(
        rename = "personId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub person_id: Option<u64>,
    /// The matches (`similarPersons`; `recommendedPersons` and `persons` read too).
    #[serde(
        rename = "similarPersons",
        alias = "recommendedPersons",
        alias = "persons",
        default,
        deserialize_with = "crate::page::null_as_empty"
    )]
    pub similar_persons: Vec<SimilarPerson>,
}

/// `personCount` (1–10, default 3) and `scoreThreshold` (80–100, default 80).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarityParams {
    /// How many persons at most (`personCount`).
    #[serde(rename = "personCount", skip_serializing_if = "Option::is_none")]
    pub person_count: Option<u32>,
    /// The lowest score (`scoreThreshold`).
    #[serde(rename = "scoreThreshold", skip_serializing_if = "Option::is_none")]
    pub score_threshold: Option<u32>,
}

impl SimilarityParams {
    /// The server defaults.
    pub fn new() -> SimilarityParams {
        SimilarityParams::default()
    }

    /// Sets `personCount` (1–10).
    pub fn person_count(mut self, count: u32) -> SimilarityParams {
        self.person_count = Some(count);
        self
    }

    /// Sets `scoreThreshold` (80–100).
    pub fn score_threshold(mut self, threshold: u32) -> SimilarityParams {
        self.score_threshold = Some(threshold);
        self
    }

    fn check(self) -> Option<String> {
        if let Some(count) = self.person_count
            && !(1..=10).contains(&count)
        {
            return Some(format!("personCount must be 1–10, got {count}"));
        }
        if let Some(score) = self.score_threshold
            && !(80..=100).contains(&score)
        {
            return Some(format!("scoreThreshold must be 80–100, got {score}"));
        }
        None
    }
}

/// `…/person-thumbnail` answers: the person and its face images.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThumbnailList {
    /// The person (`personId`).
    #[serde(
        rename = "personId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub person_id: Option<u64>,
    /// The face images (`thumbnailList`; `thumbnails` read too).
    #[serde(
        rename = "thumbnailList",
        alias = "thumbnails",
        default,
        deserialize_with = "crate::page::null_as_empty"
    )]
    pub thumbnail_list: Vec<Thumbnail>,
}

/// `…/person-tags` answers: the person and its tags.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TagList {
    /// The person (`personId`).
    #[serde(
        rename = "personId",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub person_id: Option<u64>,
    /// The tags (`tagList`; `tags` read too).
    #[serde(
        rename = "tagList",
        alias = "tags",
        default,
        deserialize_with = "crate::page::null_as_empty"
    )]
    pub tag_list: Vec<PersonTag>,
}

/// `POST …/person-thumbnail/uploads/presigned-url`'s answer.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThumbnailUpload {
    /// The key to confirm and attach (`thumbnailKey`).
    #[serde(rename = "thumbnailKey")]
    pub thumbnail_key: String,
    /// Where to PUT the image, once, within 15 minutes (`url`).
    pub url: String,
    /// The expiry (its name was cut off in the docs; `expirationSeconds` read here).
    #[serde(
        rename = "expirationSeconds",
        alias = "expiresIn",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub expiration_seconds: Option<u64>,
    /// Further fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A body with one id list: `{"thumbnailIds":[…]}`, `{"tagIds":[…]}` or `{"personIds":[…]}`.
#[derive(Serialize)]
enum Ids<'b> {
    #[serde(rename = "thumbnailIds")]
    Thumbnails(&'b [u64]),
    #[serde(rename = "tagIds")]
    Tags(&'b [u64]),
    #[serde(rename = "personIds")]
    Persons(&'b [u64]),
}

impl<'b> Ids<'b> {
    fn thumbnails(ids: &'b [u64]) -> Ids<'b> {
        Ids::Thumbnails(ids)
    }
    fn tags(ids: &'b [u64]) -> Ids<'b> {
        Ids::Tags(ids)
    }
    fn persons(ids: &'b [u64]) -> Ids<'b> {
        Ids::Persons(ids)
    }
}

fn person(request: ApiRequest, workspace_name: &str, person_id: u64) -> ApiRequest {
    request
        .path_param("workspace_name", workspace_name)
        .path_param("person_id", &person_id.to_string())
}

fn ids_request(request: ApiRequest, ids: &Ids<'_>, field: &str, len: usize) -> ApiRequest {
    let mut request = request.json(ids);
    if len == 0 {
        request.reject(format!("{field} must name at least one id"));
    }
    request
}

/// The Person API group: `client.persons()`.
#[derive(Debug, Clone, Copy)]
pub struct Persons<'a> {
    client: &'a Client,
}

impl<'a> Persons<'a> {
    pub(crate) fn new(client: &'a Client) -> Persons<'a> {
        Persons { client }
    }

    /// `POST /workspaces/{workspace_name}/persons`: registers a person (check for
    /// duplicates with [`Persons::recommend_by_thumbnail`] first).
    pub async fn create(self, workspace_name: &str, params: &CreatePersonParams) -> Result<Person> {
        let mut request = ApiRequest::post(PERSONS_PATH)
            .path_param("workspace_name", workspace_name)
            .json(params);
        if let Some(reason) = params.check() {
            request.reject(reason);
        }
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/persons?pageNum=&pageSize=&name=&tagIdList=`.
    pub async fn list(
        self,
        workspace_name: &str,
        params: &ListPersonsParams,
    ) -> Result<PersonList> {
        let request = params
            .apply(ApiRequest::get(PERSONS_PATH).path_param("workspace_name", workspace_name));
        self.client.execute(&request).await
    }

    /// Every person matching `params`' filters, page by page (`page_size` 1–1000), lazily.
    pub fn list_all(
        self,
        workspace_name: &str,
        params: &ListPersonsParams,
        page_size: u32,
    ) -> BoxStream<'static, Result<Person>> {
        let client = self.client.clone();
        let workspace_name = workspace_name.to_owned();
        let filters = params.clone();
        crate::page::stream_pages(page_size, move |page| {
            let client = client.clone();
            let workspace_name = workspace_name.clone();
            let mut params = filters.clone();
            params.page = page;
            async move { client.persons().list(&workspace_name, &params).await }
        })
    }

    /// `GET /workspaces/{workspace_name}/persons/{person_id}`.
    pub async fn retrieve(self, workspace_name: &str, person_id: u64) -> Result<Person> {
        let request = person(ApiRequest::get(PERSON_PATH), workspace_name, person_id);
        self.client.execute(&request).await
    }

    /// `PATCH /workspaces/{workspace_name}/persons/{person_id}`: renames, describes, or
    /// picks the primary face image.
    pub async fn update(
        self,
        workspace_name: &str,
        person_id: u64,
        params: &UpdatePersonParams,
    ) -> Result<Person> {
        let mut request =
            person(ApiRequest::patch(PERSON_PATH), workspace_name, person_id).json(params);
        if let Some(reason) = params.check() {
            request.reject(reason);
        }
        self.client.execute(&request).await
    }

    /// `DELETE /workspaces/{workspace_name}/persons/{person_id}`: irreversible; its labels
    /// become anonymous. Newer answers send the person as it was (`None` otherwise).
    pub async fn delete(self, workspace_name: &str, person_id: u64) -> Result<Option<Person>> {
        let request = person(ApiRequest::delete(PERSON_PATH), workspace_name, person_id);
        self.client.execute(&request).await
    }

    /// `POST /workspaces/{workspace_name}/persons/search`: filtered, sorted, paged in the body.
    pub async fn search(
        self,
        workspace_name: &str,
        params: &SearchPersonsParams,
    ) -> Result<PersonList> {
        let mut request = ApiRequest::post(SEARCH_PATH)
            .path_param("workspace_name", workspace_name)
            .json(params)
            // A search changes nothing: safe to retry.
            .idempotent(true);
        if let Some(reason) = params.check() {
            request.reject(reason);
        }
        self.client.execute(&request).await
    }

    /// Every person a search finds, page by page (`page_size` 1–50), lazily.
    pub fn search_all(
        self,
        workspace_name: &str,
        params: &SearchPersonsParams,
        page_size: u32,
    ) -> BoxStream<'static, Result<Person>> {
        let client = self.client.clone();
        let workspace_name = workspace_name.to_owned();
        let filters = params.clone();
        crate::page::stream_pages(page_size, move |page| {
            let client = client.clone();
            let workspace_name = workspace_name.clone();
            let mut params = filters.clone();
            params.page_num = page.page_num;
            params.page_size = page.page_size;
            async move { client.persons().search(&workspace_name, &params).await }
        })
    }

    /// `POST /workspaces/{workspace_name}/persons/{person_id}/merge`: folds `merged_person_ids`
    /// into `person_id` (irreversible). The body's field name was not visible in the docs:
    /// sent as `{"personIds":[…]}`.
    pub async fn merge(
        self,
        workspace_name: &str,
        person_id: u64,
        merged_person_ids: &[u64],
    ) -> Result<Option<Person>> {
        let mut request = ids_request(
            person(ApiRequest::post(MERGE_PATH), workspace_name, person_id),
            &Ids::persons(merged_person_ids),
            "personIds",
            merged_person_ids.len(),
        );
        if merged_person_ids.contains(&person_id) {
            request.reject("a person cannot be merged into itself");
        }
        self.client.execute(&request).await
    }

    /// `GET /workspaces/{workspace_name}/persons/{person_id}/similar?personCount=&scoreThreshold=`.
    pub async fn similar(
        self,
        workspace_name: &str,
        person_id: u64,
        params: &SimilarityParams,
    ) -> Result<SimilarPersons> {
        let mut request = person(ApiRequest::get(SIMILAR_PATH), workspace_name, person_id)
            .query_opt("personCount", params.person_count)
            .query_opt("scoreThreshold", params.score_threshold);
        if let Some(reason) = params.check() {
            request.reject(reason);
        }
        self.client.execute(&request).await
    }

    /// `POST /workspaces/{workspace_name}/persons/recommend-by-thumbnail`: persons that look
    /// like an uploaded face (`thumbnailKey`, valid 24 h); empty means no match.
    pub async fn recommend_by_thumbnail(
        self,
        workspace_name: &str,
        thumbnail_key: &str,
        params: &SimilarityParams,
    ) -> Result<SimilarPersons> {
        #[derive(Serialize)]
        struct Body<'b> {
            #[serde(rename = "thumbnailKey")]
            thumbnail_key: &'b str,
            #[serde(flatten)]
            params: &'b SimilarityParams,
        }
        let mut request = ApiRequest::post(RECOMMEND_PATH)
            .path_param("workspace_name", workspace_name)
            .json(&Body {
                thumbnail_key,
                params,
            })
            .idempotent(true);
        if let Some(reason) = params.check() {
            request.reject(reason);
        }
        if thumbnail_key.trim().is_empty() {
            request.reject("thumbnailKey must not be empty");
        }
        self.client.execute(&request).await
    }

    /// `POST …/persons/{person_id}/person-thumbnail`: adds face images (at most one primary).
    pub async fn add_thumbnails(
        self,
        workspace_name: &str,
        person_id: u64,
        thumbnails: &[ThumbnailRef],
    ) -> Result<ThumbnailList> {
        #[derive(Serialize)]
        struct Body<'b> {
            thumbnails: &'b [ThumbnailRef],
        }
        let mut request = person(ApiRequest::post(THUMBNAILS_PATH), workspace_name, person_id)
            .json(&Body { thumbnails });
        if let Some(reason) = check_thumbnails(thumbnails, false) {
            request.reject(reason);
        }
        self.client.execute(&request).await
    }

    /// `POST …/persons/{person_id}/person-thumbnail/remove`: removes face images (unknown
    /// ids are ignored; a person keeps at least one). Returns what remains.
    pub async fn remove_thumbnails(
        self,
        workspace_name: &str,
        person_id: u64,
        thumbnail_ids: &[u64],
    ) -> Result<ThumbnailList> {
        let request = ids_request(
            person(
                ApiRequest::post(THUMBNAILS_REMOVE_PATH),
                workspace_name,
                person_id,
            ),
            &Ids::thumbnails(thumbnail_ids),
            "thumbnailIds",
            thumbnail_ids.len(),
        )
        .idempotent(true);
        self.client.execute(&request).await
    }

    /// `DELETE …/persons/{person_id}/person-thumbnail` with a JSON body: the same as
    /// [`Persons::remove_thumbnails`], for completeness (some proxies drop DELETE bodies).
    pub async fn delete_thumbnails(
        self,
        workspace_name: &str,
        person_id: u64,
        thumbnail_ids: &[u64],
    ) -> Result<ThumbnailList> {
        let request = ids_request(
            person(
                ApiRequest::delete(THUMBNAILS_PATH),
                workspace_name,
                person_id,
            ),
            &Ids::thumbnails(thumbnail_ids),
            "thumbnailIds",
            thumbnail_ids.len(),
        );
        self.client.execute(&request).await
    }

    /// `POST …/persons/{person_id}/person-tags`: adds tags (duplicates ignored).
    pub async fn add_tags(
        self,
        workspace_name: &str,
        person_id: u64,
        tag_ids: &[u64],
    ) -> Result<TagList> {
        let request = ids_request(
            person(ApiRequest::post(TAGS_PATH), workspace_name, person_id),
            &Ids::tags(tag_ids),
            "tagIds",
            tag_ids.len(),
        )
        .idempotent(true);
        self.client.execute(&request).await
    }

    /// `POST …/persons/{person_id}/person-tags/remove`: removes tags (unknown ids ignored).
    /// Returns what remains.
    pub async fn remove_tags(
        self,
        workspace_name: &str,
        person_id: u64,
        tag_ids: &[u64],
    ) -> Result<TagList> {
        let request = ids_request(
            person(
                ApiRequest::post(TAGS_REMOVE_PATH),
                workspace_name,
                person_id,
            ),
            &Ids::tags(tag_ids),
            "tagIds",
            tag_ids.len(),
        )
        .idempotent(true);
        self.client.execute(&request).await
    }

    /// `DELETE …/persons/{person_id}/person-tags` with a JSON body. Unverified: the path is
    /// inferred from its POST twin, which [`Persons::remove_tags`] uses.
    pub async fn delete_tags(
        self,
        workspace_name: &str,
        person_id: u64,
        tag_ids: &[u64],
    ) -> Result<TagList> {
        let request = ids_request(
            person(ApiRequest::delete(TAGS_PATH), workspace_name, person_id),
            &Ids::tags(tag_ids),
            "tagIds",
            tag_ids.len(),
        );
        self.client.execute(&request).await
    }

    /// `POST …/person-thumbnail/uploads/presigned-url`: a single-use URL for a face image
    /// (jpg/png/webp, ≤ 5 MB, ≥ 256 px), valid 15 minutes.
    pub async fn thumbnail_presigned_url(
        self,
        workspace_name: &str,
        thumbnail_file_name: &str,
    ) -> Result<ThumbnailUpload> {
        #[derive(Serialize)]
        struct Body<'b> {
            #[serde(rename = "thumbnailFileName")]
            thumbnail_file_name: &'b str,
        }
        let mut request = ApiRequest::post(THUMB_PRESIGNED_PATH)
            .path_param("workspace_name", workspace_name)
            .json(&Body {
                thumbnail_file_name,
            });
        if thumbnail_file_name.trim().is_empty() {
            request.reject("thumbnailFileName must not be empty");
        }
        self.client.execute(&request).await
    }

    /// `POST …/person-thumbnail/uploads/complete`: confirms a face-image upload.
    pub async fn complete_thumbnail_upload(
        self,
        workspace_name: &str,
        thumbnail_key: &str,
    ) -> Result<UploadStatus> {
        #[derive(Serialize)]
        struct Body<'b> {
            #[serde(rename = "thumbnailKey")]
            thumbnail_key: &'b str,
        }
        let mut request = ApiRequest::post(THUMB_COMPLETE_PATH)
            .path_param("workspace_name", workspace_name)
            .json(&Body { thumbnail_key });
        if thumbnail_key.trim().is_empty() {
            request.reject("thumbnailKey must not be empty");
        }
        self.client.execute(&request).await
    }

    /// The whole face-image flow: presigned URL, PUT of the file (streamed, unsigned),
    /// confirmation. Returns the `thumbnailKey` for [`ThumbnailRef`]; a `FAILED`
    /// confirmation is [`media_core::Error::TaskFailed`].
    pub async fn upload_thumbnail(
        self,
        workspace_name: &str,
        path: impl AsRef<Path>,
        progress: Option<ProgressFn>,
    ) -> Result<String> {
        let path = path.as_ref();
        let name = crate::search::file_name(path)?;
        let upload = self.thumbnail_presigned_url(workspace_name, &name).await?;
        self.client
            .put_presigned(&upload.url, FilePart::new(path), progress)
            .await?;
        self.complete_thumbnail_upload(workspace_name, &upload.thumbnail_key)
            .await?
            .into_result(&upload.thumbnail_key)?;
        Ok(upload.thumbnail_key)
    }
}

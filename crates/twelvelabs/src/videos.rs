//! Manage videos (legacy): `/indexes/{index_id}/videos` (catalog §3.6),
//! superseded by [`crate::IndexedAssets`].

use futures::stream::BoxStream;
use media_core::Result;
use media_core::http::ApiRequest;

use crate::assets::UserMetadataPatch;
use crate::client::Client;
use crate::common::Page;
use crate::indexed_assets::{IndexedAsset, ListIndexedAssetsParams, RetrieveVideoParams};

/// A video of an index (`VideoVector` in lists, `VideoDetail` from a
/// retrieve): the same fields as an indexed asset, without `status`.
pub type Video = IndexedAsset;

/// Query of `GET /indexes/{index_id}/videos`: the indexed-asset filters
/// without `status`, which this endpoint does not take.
pub type ListVideosParams = ListIndexedAssetsParams;

/// The legacy video endpoints; get it from [`Client::videos`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    client: &'a Client,
}

impl Client {
    /// Manage videos (legacy): `/indexes/{index_id}/videos`. Prefer
    /// [`Client::indexed_assets`].
    pub fn videos(&self) -> Videos<'_> {
        Videos { client: self }
    }
}

impl Videos<'_> {
    /// `GET /indexes/{index_id}/videos`: one page of videos. A `status`
    /// filter is rejected before sending (this endpoint has none).
    #[deprecated(note = "use client.indexed_assets().list(..) instead")]
    pub async fn list(&self, index_id: &str, params: &ListVideosParams) -> Result<Page<Video>> {
        let mut request = params.to_request("/indexes/{index_id}/videos", index_id);
        if !params.status.is_empty() {
            request.reject("the legacy videos list has no `status` filter");
        }
        self.client.execute(request).await
    }

    /// Every video of the index, page after page.
    #[deprecated(note = "use client.indexed_assets().list_all(..) instead")]
    pub fn list_all(
        &self,
        index_id: &str,
        params: ListVideosParams,
    ) -> BoxStream<'static, Result<Video>> {
        let client = self.client.clone();
        let index_id = index_id.to_owned();
        crate::common::all_pages(params.page.unwrap_or(1), move |page| {
            let client = client.clone();
            let index_id = index_id.clone();
            let params = params.clone().page(page);
            #[allow(deprecated)]
            async move {
                client.videos().list(&index_id, &params).await
            }
        })
    }

    /// `GET /indexes/{index_id}/videos/{video_id}`, with embeddings and
    /// transcription as `params` asks.
    #[deprecated(note = "use client.indexed_assets().retrieve(..) instead")]
    pub async fn retrieve(
        &self,
        index_id: &str,
        video_id: &str,
        params: &RetrieveVideoParams,
    ) -> Result<Video> {
        let request = ApiRequest::get("/indexes/{index_id}/videos/{video_id}")
            .path_param("index_id", index_id)
            .path_param("video_id", video_id);
        self.client.execute(params.apply(request)).await
    }

    /// `PATCH /indexes/{index_id}/videos/{video_id}` (older docs: `PUT`):
    /// sets the given user-metadata keys; `None` deletes a key.
    #[deprecated(note = "use client.indexed_assets().update(..) instead")]
    pub async fn update(
        &self,
        index_id: &str,
        video_id: &str,
        user_metadata: &UserMetadataPatch,
    ) -> Result<()> {
        let request = ApiRequest::patch("/indexes/{index_id}/videos/{video_id}")
            .path_param("index_id", index_id)
            .path_param("video_id", video_id)
            .json(&serde_json::json!({ "user_metadata": user_metadata }))
            .idempotent(true);
        self.client.execute_empty(request).await
    }

    /// `DELETE /indexes/{index_id}/videos/{video_id}`.
    #[deprecated(note = "use client.indexed_assets().delete(..) instead")]
    pub async fn delete(&self, index_id: &str, video_id: &str) -> Result<()> {
        let request = ApiRequest::delete("/indexes/{index_id}/videos/{video_id}")
            .path_param("index_id", index_id)
            .path_param("video_id", video_id);
        self.client.execute_empty(request).await
    }
}

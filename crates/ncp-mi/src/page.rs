//! The paged `result` shared by the list endpoints (assets, workspaces, persons).

use futures::stream::BoxStream;
use media_core::http::ApiRequest;
use media_core::{Result, paginate};
use serde::{Deserialize, Deserializer, Serialize};
use std::future::Future;

/// The page-size range of the workspace, asset and person lists (`pageSize` 1–1000,
/// server default 1000).
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Paging of a list endpoint: `pageNum` (1-based, required) and `pageSize`
/// (each endpoint has its own range, checked before sending).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageParams {
    /// The page to read, 1-based (`pageNum`).
    pub page_num: u32,
    /// Items per page (`pageSize`); the server's default when `None`.
    pub page_size: Option<u32>,
}

impl PageParams {
    /// Page `page_num` (1-based) at the server's default page size.
    pub fn new(page_num: u32) -> PageParams {
        PageParams {
            page_num,
            page_size: None,
        }
    }

    /// Asks for `page_size` items per page (the endpoint's range applies).
    pub fn page_size(mut self, page_size: u32) -> PageParams {
        self.page_size = Some(page_size);
        self
    }

    /// Adds `pageNum`/`pageSize` to `request`, rejecting values outside 1.. and 1..=`max`.
    pub(crate) fn apply(&self, mut request: ApiRequest, max: u32) -> ApiRequest {
        if let Some(reason) = self.check(max) {
            request.reject(reason);
        }
        request
            .query("pageNum", self.page_num)
            .query_opt("pageSize", self.page_size)
    }

    /// Why these values are out of range for an endpoint whose page size tops at `max`.
    pub(crate) fn check(&self, max: u32) -> Option<String> {
        if self.page_num < 1 {
            return Some(format!("pageNum must be 1 or more, got {}", self.page_num));
        }
        match self.page_size {
            Some(size) if !(1..=max).contains(&size) => {
                Some(format!("pageSize must be between 1 and {max}, got {size}"))
            }
            _ => None,
        }
    }
}

/// Streams every item of a `pageNum`-paged listing, one request per page, lazily.
pub(crate) fn stream_pages<T, F, Fut>(page_size: u32, fetch: F) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    F: Fn(PageParams) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    paginate::paginate(1u32, move |page_num| {
        let list = fetch(PageParams::new(page_num).page_size(page_size));
        async move {
            let list = list.await?;
            let next = list.next_page(page_num, page_size);
            Ok(paginate::Page {
                items: list.content,
                next,
            })
        }
    })
}

/// One page of a listing: `result.content[]` plus the paging echo.
///
/// The counts arrive as numbers or numeric strings; a `null` or missing
/// `content` is an empty page.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    pub content: Vec<T>,
    /// Items in the whole listing (`totalCount`).
    #[serde(
        rename = "totalCount",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub total_count: Option<u64>,
    /// Pages in the whole listing at this page size (`totalPage`).
    #[serde(
        rename = "totalPage",
        default,
        deserialize_with = "media_core::de::opt_u64"
    )]
    pub total_page: Option<u64>,
    /// This page's number, 1-based (`pageNo`).
    #[serde(
        rename = "pageNo",
        default,
        deserialize_with = "media_core::de::opt_u32"
    )]
    pub page_no: Option<u32>,
    /// Items per page (`pageSize`).
    #[serde(
        rename = "pageSize",
        default,
        deserialize_with = "media_core::de::opt_u32"
    )]
    pub page_size: Option<u32>,
}

impl<T> Page<T> {
    /// The number of the page after `requested` (the `pageNum` that was sent, with
    /// `page_size` items asked for), or `None` when this is the last page.
    ///
    /// `totalPage` decides when the server sends it; otherwise a short or empty page
    /// is the last one.
    pub fn next_page(&self, requested: u32, page_size: u32) -> Option<u32> {
        if self.content.is_empty() {
            return None;
        }
        // The page asked for, not the echo: a wrong echo must not derail the listing.
        let more = match self.total_page {
            Some(total) => u64::from(requested) < total,
            None => u32::try_from(self.content.len()).is_ok_and(|n| n >= page_size),
        };
        if more { requested.checked_add(1) } else { None }
    }
}

pub(crate) fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(json: &str) -> Page<u32> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counts_as_numbers_or_strings() {
        let a = page(
            r#"{"content":[1,2],"totalCount":"12","totalPage":"6","pageNo":"1","pageSize":"2"}"#,
        );
        let b = page(r#"{"content":[1,2],"totalCount":12,"totalPage":6,"pageNo":1,"pageSize":2}"#);
        assert_eq!(a, b);
        assert_eq!(a.total_count, Some(12));
        let empty = page(r#"{"content":null}"#);
        assert!(empty.content.is_empty());
        assert_eq!(empty.total_page, None);
        assert!(page("{}").content.is_empty());
    }

    #[test]
    fn next_page_follows_total_page_then_fullness() {
        let first = page(r#"{"content":[1,2],"totalPage":3,"pageNo":1}"#);
        assert_eq!(first.next_page(1, 2), Some(2));
        let last = page(r#"{"content":[5],"totalPage":3,"pageNo":3}"#);
        assert_eq!(last.next_page(3, 2), None);
        let unknown_full = page(r#"{"content":[1,2]}"#);
        assert_eq!(unknown_full.next_page(4, 2), Some(5));
        let unknown_short = page(r#"{"content":[1]}"#);
        assert_eq!(unknown_short.next_page(4, 2), None);
        let empty = page(r#"{"content":[],"totalPage":9}"#);
        assert_eq!(empty.next_page(1, 2), None);
    }
}

//! Turns "fetch page N" into a stream of items.

use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::Result;

/// One page of a listing and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, C> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page (a page number, a token), or `None` on the last page.
    pub next: Option<C>,
}

/// Streams every item of a paginated listing, fetching pages lazily as the
/// stream is polled, one request at a time.
///
/// The listing ends when `fetch` reports no next page, when a page is empty,
/// or when the server hands back a cursor it already gave (a loop the server
/// should not make, and that must not make the client spin forever). The
/// first error ends the stream after being yielded.
pub fn paginate<T, C, F, Fut>(first: C, fetch: F) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    C: Clone + PartialEq + Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T, C>>> + Send + 'static,
{
    struct State<C, F> {
        next: Option<C>,
        seen: Vec<C>,
        fetch: F,
    }
    let state = State {
        next: Some(first),
        seen: Vec::new(),
        fetch,
    };
    stream::try_unfold(state, |mut state| async move {
        let Some(cursor) = state.next.take() else {
            return Ok::<_, crate::Error>(None);
        };
        state.seen.push(cursor.clone());
        let page = (state.fetch)(cursor).await?;
        state.next = match page.next {
            Some(next) if !page.items.is_empty() && !state.seen.contains(&next) => Some(next),
            _ => None,
        };
        Ok(Some((page.items, state)))
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// The next page number when `page` of `page_size` items has been read out
/// of `total_pages`, or `None` on the last page; for providers that report
/// page counts.
pub fn next_page_number(page: u32, total_pages: Option<u64>, items_on_page: usize) -> Option<u32> {
    match total_pages {
        Some(total) if u64::from(page) >= total => None,
        _ if items_on_page == 0 => None,
        _ => page.checked_add(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn streams_every_page_lazily() {
        let calls = Arc::new(AtomicU32::new(0));
        let counter = calls.clone();
        let stream = paginate(1u32, move |page| {
            counter.fetch_add(1, Ordering::SeqCst);
            async move {
                let items: Vec<u32> = (0..3).map(|i| page * 10 + i).collect();
                Ok(Page {
                    items,
                    next: next_page_number(page, Some(3), 3),
                })
            }
        });
        let first_two: Vec<u32> = stream.take(2).try_collect().await.unwrap();
        assert_eq!(first_two, [10, 11]);
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let counter = calls.clone();
        let all: Vec<u32> = paginate(1u32, move |page| {
            counter.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(Page {
                    items: vec![page],
                    next: next_page_number(page, Some(3), 1),
                })
            }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(all, [1, 2, 3]);
    }

    #[tokio::test]
    async fn stops_when_the_server_repeats_a_cursor() {
        let items: Vec<u32> = paginate("a".to_owned(), |cursor| async move {
            let next = if cursor == "a" { "b" } else { "a" };
            Ok(Page {
                items: vec![u32::from(cursor == "b")],
                next: Some(next.to_owned()),
            })
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, [0, 1]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_then_ends_the_stream() {
        let results: Vec<Result<u32>> = paginate(1u32, |page| async move {
            if page == 2 {
                Err(Error::InvalidInput("boom".into()))
            } else {
                Ok(Page {
                    items: vec![page],
                    next: Some(page + 1),
                })
            }
        })
        .collect()
        .await;
        assert_eq!(results.len(), 2);
        assert!(results[1].is_err());
    }

    #[test]
    fn next_page_numbers() {
        assert_eq!(next_page_number(1, Some(2), 5), Some(2));
        assert_eq!(next_page_number(2, Some(2), 5), None);
        assert_eq!(next_page_number(1, None, 0), None);
        assert_eq!(next_page_number(1, None, 4), Some(2));
    }
}

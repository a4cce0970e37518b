//! Edge pages and the lazy stream over all their items.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use crate::{Client, Error, Request};

/// One page of an edge: `{"data": [...], "paging": {...}, "summary": {...}}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::Deserialize<'de>, S: serde::Deserialize<'de>"))]
pub struct Page<T, S = NoSummary> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Cursors and links to the neighbouring pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    /// The edge's summary, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<S>,
}

impl<T, S> Page<T, S> {
    /// The cursor of the next page, when Graph says there is one (`paging.next` present).
    pub fn next_cursor(&self) -> Option<&str> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.as_deref()
    }
}

/// For edges without a summary: accepts and ignores whatever Graph sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoSummary {}

/// `paging` of an edge page.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Paging {
    /// Opaque cursors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// URL of the next page; absent on the last page. It may embed an access token, so its
    /// `Debug` output is redacted and the stream never follows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// URL of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}

impl fmt::Debug for Paging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = |u: &Option<String>| u.as_ref().map(|_| "<url redacted>");
        f.debug_struct("Paging")
            .field("cursors", &self.cursors)
            .field("next", &url(&self.next))
            .field("previous", &url(&self.previous))
            .finish()
    }
}

/// `paging.cursors`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cursors {
    /// Cursor of the first item of the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Cursor of the last item of the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// How many recent cursors the stream remembers to detect a loop. Bounded, so memory stays
/// flat however many pages an edge has.
const CURSOR_MEMORY: usize = 64;

/// Every item of every page of an edge, fetched lazily: one request per page, only when the
/// previous page's items have been consumed. Returned by the `stream()` of list builders.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

struct State<T> {
    client: Client,
    request: Request,
    items: std::vec::IntoIter<T>,
    recent: VecDeque<String>,
    /// An error to report once the items already fetched have been yielded.
    pending: Option<Error>,
    done: bool,
}

impl<T: DeserializeOwned + Send + 'static> PageStream<T> {
    /// A stream starting with `request` (a list operation).
    pub fn new(client: Client, request: Request) -> Self {
        let state = State {
            client,
            request,
            items: Vec::new().into_iter(),
            recent: VecDeque::new(),
            pending: None,
            done: false,
        };
        let inner = futures::stream::unfold(state, |mut st| async move {
            loop {
                if let Some(item) = st.items.next() {
                    return Some((Ok(item), st));
                }
                if let Some(e) = st.pending.take() {
                    st.done = true;
                    return Some((Err(e), st));
                }
                if st.done {
                    return None;
                }
                let page = match st.client.send::<Page<T>>(st.request.clone()).await {
                    Ok(r) => r.into_inner(),
                    Err(e) => {
                        st.done = true;
                        return Some((Err(e), st));
                    }
                };
                st.advance(&page);
                st.items = page.data.into_iter();
            }
        });
        PageStream {
            inner: Box::pin(inner),
        }
    }
}

impl<T> State<T> {
    /// Prepares the request for the next page, or ends the stream.
    fn advance<U>(&mut self, page: &Page<U>) {
        let operation = self.request.spec().name;
        let has_next = page.paging.as_ref().is_some_and(|p| p.next.is_some());
        if !has_next {
            self.done = true;
            return;
        }
        let Some(after) = page
            .paging
            .as_ref()
            .and_then(|p| p.cursors.as_ref())
            .and_then(|c| c.after.clone())
        else {
            self.pending = Some(Error::Pagination {
                operation,
                reason: "Graph sent a `next` link without an `after` cursor".into(),
            });
            return;
        };
        if self.recent.contains(&after) {
            self.pending = Some(Error::Pagination {
                operation,
                reason: "Graph repeated a cursor it had already sent; stopping instead of looping"
                    .into(),
            });
            return;
        }
        if self.recent.len() == CURSOR_MEMORY {
            self.recent.pop_front();
        }
        self.recent.push_back(after.clone());
        self.request.remove("before");
        self.request.set("after".into(), after);
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageStream")
    }
}

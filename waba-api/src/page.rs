//! Edge pages and the lazy stream over all their items.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::BoxStream;
use futures::{Stream, StreamExt, TryStreamExt};
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
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Paging {
    /// Opaque cursors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// URL of the next page; absent on the last page. Graph copies the request's query into
    /// it, so `access_token`, `appsecret_proof` and `appsecret_time` are removed when it is
    /// decoded. The stream never follows it: it continues from the `after` cursor.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scrubbed_link"
    )]
    pub next: Option<String>,
    /// URL of the previous page, scrubbed the same way.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scrubbed_link"
    )]
    pub previous: Option<String>,
}

/// Query parameters that carry credentials.
const SECRET_PARAMS: [&str; 3] = ["access_token", "appsecret_proof", "appsecret_time"];

fn scrubbed_link<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let link: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(link.map(|l| scrub_link(&l)))
}

/// `url` without the query parameters that carry credentials.
fn scrub_link(url: &str) -> String {
    let Some((base, rest)) = url.split_once('?') else {
        return url.to_string();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !SECRET_PARAMS.iter().any(|s| key.eq_ignore_ascii_case(s))
        })
        .collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
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

/// The paging settings of a list request: `limit`, the cursors and `summary`. Held by every
/// list builder; set through [`Paginated`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageParams {
    limit: Option<u32>,
    after: Option<String>,
    before: Option<String>,
    summary: bool,
}

impl PageParams {
    /// Puts the settings into `request`.
    pub fn apply(&self, request: &mut Request) {
        if let Some(v) = self.limit {
            request.text("limit", v.to_string());
        }
        if let Some(v) = &self.after {
            request.text("after", v.as_str());
        }
        if let Some(v) = &self.before {
            request.text("before", v.as_str());
        }
        if self.summary {
            request.text("summary", "total_count");
        }
    }
}

/// A summary an edge can return (`summary=total_count`); [`NoSummary`] is not one, so only the
/// lists of edges with a summary have [`Paginated::summary`].
pub trait EdgeSummary {}

/// What [`Paginated::stream_with_summary`] returns: the first page's summary, and every item.
pub type StreamWithSummary<T, S> = (Option<S>, PageStream<T>);

/// What every list operation (an edge read) has: paging settings, and its items or pages
/// fetched lazily. Implemented by the generated list builders; bring it into scope
/// (`use waba_api::Paginated;`) to call these methods.
pub trait Paginated: Sized {
    /// One item of the list.
    type Item: DeserializeOwned + Send + 'static;
    /// The edge's summary ([`NoSummary`] when it has none).
    type Summary: DeserializeOwned + Send + 'static;

    /// The client the request goes through.
    #[doc(hidden)]
    fn client(&self) -> &Client;

    /// The paging settings, for the provided methods.
    #[doc(hidden)]
    fn paging_mut(&mut self) -> &mut PageParams;

    /// The HTTP request of the first page (the builder's `to_request`).
    #[doc(hidden)]
    fn first_request(&self) -> Request;

    /// The most items one page may hold (`limit=`); Graph may return fewer.
    fn limit(mut self, limit: u32) -> Self {
        self.paging_mut().limit = Some(limit);
        self
    }

    /// Start after this cursor (`after=`, from [`Paging`]).
    fn after(mut self, cursor: impl Into<String>) -> Self {
        self.paging_mut().after = Some(cursor.into());
        self
    }

    /// End before this cursor (`before=`).
    fn before(mut self, cursor: impl Into<String>) -> Self {
        self.paging_mut().before = Some(cursor.into());
        self
    }

    /// Ask for the edge's `summary` (`summary=total_count`), which each page of
    /// [`pages`](Self::pages) then carries.
    fn summary(mut self, on: bool) -> Self
    where
        Self::Summary: EdgeSummary,
    {
        self.paging_mut().summary = on;
        self
    }

    /// Every item of every page, fetched lazily one page at a time (memory bounded by one
    /// page). Stops when Graph sends no `next` link; each further page is requested with this
    /// client's own credentials from the `after` cursor, never by following a URL from the
    /// response.
    fn stream(self) -> PageStream<Self::Item> {
        PageStream::new(self.client().clone(), self.first_request())
    }

    /// Every page, fetched lazily like [`stream`](Self::stream), each with its `paging` and
    /// (when asked for) its `summary`.
    fn pages(self) -> Pages<Self::Item, Self::Summary> {
        Pages::new(self.client().clone(), self.first_request())
    }

    /// The edge's summary (e.g. `total_count`) and a stream of every item: fetches the first
    /// page (asking for the summary), then streams its items and the further pages' lazily,
    /// like [`stream`](Self::stream). The summary is `None` if Graph sent none.
    ///
    /// ```no_run
    /// # use futures::TryStreamExt;
    /// # use waba_api::Paginated;
    /// # async fn run(client: waba_api::Client, waba_id: waba_api::ids::WabaId, business_id: waba_api::ids::BusinessId) -> Result<(), waba_api::Error> {
    /// let (summary, mut users) = client
    ///     .waba(&waba_id)
    ///     .assigned_users()
    ///     .list(&business_id)
    ///     .stream_with_summary()
    ///     .await?;
    /// println!("{:?} users", summary.and_then(|s| s.total_count));
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{}", user.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    fn stream_with_summary(
        self,
    ) -> impl Future<Output = Result<StreamWithSummary<Self::Item, Self::Summary>, Error>> + Send
    where
        Self::Summary: EdgeSummary,
    {
        let mut pages = self.summary(true).pages();
        async move {
            match pages.try_next().await? {
                Some(first) => Ok((first.summary, PageStream::continuing(first.data, pages))),
                None => Ok((None, PageStream::continuing(Vec::new(), pages))),
            }
        }
    }
}

/// How many recent cursors a stream remembers to detect a loop. Bounded, so memory stays
/// flat however many pages an edge has.
const CURSOR_MEMORY: usize = 64;

/// Every page of an edge, fetched lazily: one request per page, made only when the previous
/// page has been consumed. Returned by the `pages()` of list builders; each page keeps its
/// `summary` and `paging`.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T, S = NoSummary> {
    inner: BoxStream<'static, Result<Page<T, S>, Error>>,
}

/// Every item of every page of an edge (the pages of [`Pages`], flattened). Returned by the
/// `stream()` of list builders; memory is bounded by one page.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

struct State {
    client: Client,
    request: Request,
    recent: VecDeque<String>,
    /// An error to report after the page already fetched.
    pending: Option<Error>,
    done: bool,
}

impl<T, S> Pages<T, S>
where
    T: DeserializeOwned + Send + 'static,
    S: DeserializeOwned + Send + 'static,
{
    /// The pages of a list operation, starting with `request`.
    pub fn new(client: Client, request: Request) -> Self {
        let state = State {
            client,
            request,
            recent: VecDeque::new(),
            pending: None,
            done: false,
        };
        let inner = futures::stream::unfold(state, |mut st| async move {
            if let Some(e) = st.pending.take() {
                st.done = true;
                return Some((Err(e), st));
            }
            if st.done {
                return None;
            }
            match st.client.send::<Page<T, S>>(st.request.clone()).await {
                Ok(r) => {
                    let page = r.into_inner();
                    st.advance(&page);
                    Some((Ok(page), st))
                }
                Err(e) => {
                    st.done = true;
                    Some((Err(e), st))
                }
            }
        });
        Pages {
            inner: Box::pin(inner),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> PageStream<T> {
    /// The items of a list operation, starting with `request`.
    pub fn new(client: Client, request: Request) -> Self {
        let pages = Pages::<T, NoSummary>::new(client, request);
        let items = pages
            .map_ok(|page| futures::stream::iter(page.data.into_iter().map(Ok)))
            .try_flatten();
        PageStream {
            inner: Box::pin(items),
        }
    }
}

impl<T: Send + 'static> PageStream<T> {
    /// `items` (a page already fetched), then the items of the remaining `pages`.
    fn continuing<S: Send + 'static>(items: Vec<T>, pages: Pages<T, S>) -> Self {
        let rest = pages
            .map_ok(|page| futures::stream::iter(page.data.into_iter().map(Ok)))
            .try_flatten();
        PageStream {
            inner: Box::pin(futures::stream::iter(items.into_iter().map(Ok)).chain(rest)),
        }
    }
}

impl State {
    /// Prepares the request for the next page, or ends the stream.
    fn advance<U, S>(&mut self, page: &Page<U, S>) {
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

impl<T, S> Stream for Pages<T, S> {
    type Item = Result<Page<T, S>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, S> fmt::Debug for Pages<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pages")
    }
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageStream")
    }
}

#[cfg(test)]
mod tests {
    use super::scrub_link;

    #[test]
    fn links_lose_credentials() {
        assert_eq!(
            scrub_link(
                "https://g/v20.0/1/assigned_users?business=2&access_token=T&appsecret_proof=P&appsecret_time=9&after=A#x"
            ),
            "https://g/v20.0/1/assigned_users?business=2&after=A#x"
        );
        assert_eq!(scrub_link("https://g/x?ACCESS_TOKEN=T"), "https://g/x");
        assert_eq!(scrub_link("https://g/x"), "https://g/x");
    }
}

//! The fleet helper: one async job per WABA over thousands of them, with bounded concurrency and
//! a [`Pacer`], each WABA's result yielded as it completes.
//!
//! ```no_run
//! use futures::StreamExt;
//! use waba_api::Client;
//! use waba_api::fleet::Fleet;
//! use waba_api::ids::WabaId;
//!
//! # async fn run(client: Client, wabas: Vec<WabaId>) {
//! let fleet = Fleet::new(&client).concurrency(64);
//! let mut results = fleet.run(wabas, |client, waba| async move {
//!     client.waba(&waba).get().send().await.map(|w| w.into_inner().name)
//! });
//! while let Some((waba, name)) = results.next().await {
//!     println!("{waba}: {name:?}");
//! }
//! # }
//! ```
//!
//! Every call a job makes on the client it is given goes through the fleet's pacer: calls to a
//! WABA wait for its allowance (a throttled WABA finishes later instead of failing) while other
//! WABAs' jobs go on. With [`Fleet::batching`] the jobs' concurrent calls also share batch
//! requests (up to 50 calls per HTTP request); the pacer still counts every call.

use std::future::Future;

use futures::{Stream, StreamExt};

use crate::batch::Batching;
use crate::{Client, Pacer, PacerStats};

/// Runs one job per WABA (see the [module docs](self)).
#[derive(Debug, Clone)]
#[must_use]
pub struct Fleet {
    client: Client,
    pacer: Pacer,
    concurrency: usize,
}

/// Jobs in flight unless set.
pub const DEFAULT_CONCURRENCY: usize = 64;

impl Fleet {
    /// A fleet of `client`'s calls with a pacer of default settings (Graph's hourly window) and
    /// [`DEFAULT_CONCURRENCY`] jobs at a time.
    pub fn new(client: &Client) -> Fleet {
        let pacer = Pacer::default();
        Fleet {
            client: client.with_pacer(pacer.clone()),
            pacer,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    /// Uses this pacer (e.g. one shared with other work of the same app).
    pub fn pacer(mut self, pacer: Pacer) -> Fleet {
        self.client = self.client.with_pacer(pacer.clone());
        self.pacer = pacer;
        self
    }

    /// At most `n` jobs at a time (at least 1).
    pub fn concurrency(mut self, n: usize) -> Fleet {
        self.concurrency = n.max(1);
        self
    }

    /// Lets the jobs' concurrent calls share batch requests.
    pub fn batching(mut self, batching: Batching) -> Fleet {
        self.client = self.client.with_batching(batching);
        self
    }

    /// The paced (and, if asked, batching) client the jobs get.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// What the fleet's pacer has done so far (calls, waits, throttles).
    pub fn stats(&self) -> PacerStats {
        self.pacer.stats()
    }

    /// Runs `job(client, waba)` for every WABA, at most [`concurrency`](Fleet::concurrency) at a
    /// time, and yields `(waba, result)` as each finishes (not in input order). WABAs are taken
    /// from `wabas` only as jobs finish, so memory is bounded by the concurrency, not the
    /// fleet's size. Dropping the stream cancels the jobs in flight. `Id` is whatever names a
    /// WABA to the job, usually [`WabaId`](crate::ids::WabaId).
    pub fn run<I, Id, F, Fut, T>(
        &self,
        wabas: I,
        mut job: F,
    ) -> impl Stream<Item = (Id, T)> + use<I, Id, F, Fut, T>
    where
        I: IntoIterator<Item = Id>,
        Id: Clone,
        F: FnMut(Client, Id) -> Fut,
        Fut: Future<Output = T>,
    {
        let client = self.client.clone();
        futures::stream::iter(wabas)
            .map(move |waba| {
                let fut = job(client.clone(), waba.clone());
                async move { (waba, fut.await) }
            })
            .buffer_unordered(self.concurrency)
    }
}

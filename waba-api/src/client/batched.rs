//! An attempt as an item of a batch request: queued on the client's [`Batcher`], sent with
//! the calls queued with it in one `POST /{version}/` (`batch=`, credentials once, at the top
//! level), its own answer then interpreted as if it had come alone. A failure of the batch
//! request as a whole becomes each of its calls' failure.

use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::Client;
use super::exchange::{
    BodyError, RedactedError, body_failure, read_body, send_failure, too_large_error,
    transport_error,
};
use crate::batch::{self, Answer, Batcher, Pending};
use crate::error::ErrorChain;
use crate::{Error, Method, OperationSpec, Request, Response, ResponseMeta, TransportKind};

/// A transport failure shared by every call of a batch: its kind and redacted text.
struct Failure {
    kind: TransportKind,
    text: String,
}

impl Client {
    /// One attempt of `request` as a batch item.
    #[allow(clippy::result_large_err)] // the crate's `Error`, as `send` returns it
    pub(super) async fn attempt_batched<T: DeserializeOwned>(
        &self,
        batcher: &Arc<Batcher>,
        request: &Request,
        attempt: u32,
    ) -> Result<Response<T>, Error> {
        let spec = request.spec();
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(request.params())
            .finish();
        let mut relative_url = format!("{}{}", self.inner.version, request.path());
        let body = match spec.method {
            Method::Get => {
                if !encoded.is_empty() {
                    relative_url.push('?');
                    relative_url.push_str(&encoded);
                }
                None
            }
            Method::Post | Method::Delete => Some(encoded),
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        let pending = Pending {
            item: batch::Item {
                method: spec.method.as_str(),
                relative_url,
                body,
            },
            spec,
            attempt,
            reply,
        };
        if batcher.push(pending) {
            let (client, batcher) = (self.clone(), batcher.clone());
            tokio::spawn(async move {
                for items in batcher.next_batches().await {
                    tokio::spawn(client.clone().send_batch(items));
                }
            });
        }
        let answer = match answer.await {
            Ok(a) => a?,
            Err(_) => {
                let f = Failure {
                    kind: TransportKind::Request,
                    text: "the batch this call was in was abandoned".into(),
                };
                return Err(transport(&f, spec, attempt, None));
            }
        };
        let meta = ResponseMeta::new(
            answer.status,
            attempt,
            answer.headers,
            self.inner.redactor.clone(),
            answer.proof.clone(),
        );
        self.interpret(
            request,
            answer.status,
            meta,
            &answer.body,
            answer.proof.as_deref(),
        )
    }

    /// Sends one batch request for `items` and hands each its answer (or the batch's failure).
    async fn send_batch(self, items: Vec<Pending>) {
        let i = &self.inner;
        let batch = batch::encode(&items);
        let proof = self.proof();
        let timed = proof.timed();
        let params: Vec<(&str, &str)> = [("batch", batch.as_str())]
            .into_iter()
            .chain(proof.pairs())
            .collect();
        let url = format!("{}/{}/", i.base_url, i.version);
        let redact = |s: &str| i.redactor.redact(s, timed.as_deref());
        let failure = |kind: TransportKind, e: reqwest::Error| Failure {
            kind,
            text: redact(&ErrorChain(&e.without_url()).to_string()),
        };
        let fail_all = |items: Vec<Pending>, error: &dyn Fn(&Pending) -> Error| {
            for p in items {
                let e = error(&p);
                let _ = p.reply.send(Err(e));
            }
        };
        let sent = i
            .http
            .post(&url)
            .form(&params)
            .header(reqwest::header::AUTHORIZATION, i.auth.clone())
            .send()
            .await;
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => {
                let f = failure(send_failure(&e), e);
                return fail_all(items, &|p| transport(&f, p.spec, p.attempt, None));
            }
        };
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let meta = |p: &Pending| {
            ResponseMeta::new(
                status,
                p.attempt,
                headers.clone(),
                i.redactor.clone(),
                timed.clone(),
            )
        };
        if (300..400).contains(&status) {
            let f = Failure {
                kind: TransportKind::Redirect,
                text: format!("HTTP {status}"),
            };
            return fail_all(items, &|p| transport(&f, p.spec, p.attempt, Some(meta(p))));
        }
        let body = match read_body(response, i.max_body).await {
            Ok(b) => b,
            Err(BodyError::TooLarge) => {
                return fail_all(items, &|p| {
                    too_large_error(p.spec, i.max_body, status, meta(p))
                });
            }
            Err(BodyError::Transport(e)) => {
                let f = failure(body_failure(&e), e);
                return fail_all(items, &|p| transport(&f, p.spec, p.attempt, Some(meta(p))));
            }
        };
        // Refused as a whole (bad credentials, a proxy's 502): each call reads that answer as
        // its own, which decides whether it may have been applied.
        if !(200..300).contains(&status) {
            for p in items {
                let answer = Answer {
                    status,
                    headers: headers.clone(),
                    body: body.to_vec(),
                    proof: timed.clone(),
                };
                let _ = p.reply.send(Ok(answer));
            }
            return;
        }
        match batch::decode(&body, items.len()) {
            Ok(answers) => {
                for (p, answer) in items.into_iter().zip(answers) {
                    let outcome = match answer {
                        Some(mut a) => {
                            a.proof = timed.clone();
                            Ok(a)
                        }
                        // Graph's `null`: the call did not finish in time.
                        None => {
                            let f = Failure {
                                kind: TransportKind::Timeout,
                                text: "Graph answered this batch item with null (it did not finish in time)".into(),
                            };
                            Err(transport(&f, p.spec, p.attempt, None))
                        }
                    };
                    let _ = p.reply.send(outcome);
                }
            }
            Err(why) => fail_all(items, &|p| Error::Decode {
                operation: p.spec.name,
                path: ".".into(),
                message: format!("batch answer: {why}"),
                snippet: redact(&String::from_utf8_lossy(&body[..body.len().min(200)])),
                truncated: false,
                may_have_been_applied: p.spec.is_unrepeatable_write(),
                meta: meta(p),
            }),
        }
    }
}

/// A call's share of a transport failure of its batch: the shared failure's redacted text as
/// its source (reqwest's error cannot be cloned for each call).
fn transport(
    f: &Failure,
    spec: &'static OperationSpec,
    attempt: u32,
    meta: Option<ResponseMeta>,
) -> Error {
    let source = Box::new(RedactedError(f.text.clone()));
    transport_error(spec, f.kind, attempt, meta, Some(source))
}

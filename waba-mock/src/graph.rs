//! The Graph side of the mock: routing from the spec, auth, faults and validation. What each
//! operation then does is in [`crate::handle`].

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use waba_codegen::spec::Spec;
use waba_codegen::spec::model::{Field, Operation, Param, Returns};
use waba_codegen::spec::raw::OpKind;

use crate::behaviour::{self, Behaviour};
use crate::errors::GraphError;
use crate::faults::{Chosen, Controller, FaultKind, FaultSource};
use crate::fields::{self, Selection};
use crate::limit::{Limiter, RateLimit};
use crate::params::{self, Params};
use crate::seed::{Seed, SeedInfo, is_numeric_id};
use crate::stats::{Counters, FaultRecord};
use crate::store::{Created, Object, Store};

/// Largest request body read (form bodies of these endpoints are tiny).
const MAX_BODY: usize = 1 << 20;
/// How long a timed `appsecret_proof` stays valid, as on Graph.
const PROOF_WINDOW_SECS: u64 = 300;
/// What usage percentages refer to when no limit is configured: Graph's allowance of an active
/// WABA per rolling hour, in real time (reported, never enforced).
static REPORTED_LIMIT: LazyLock<RateLimit> = LazyLock::new(|| RateLimit {
    calls: crate::limit::ACTIVE_WABA_CALLS,
    ..RateLimit::default()
});
/// Most calls in one batch, as on Graph.
const MAX_BATCH: usize = 50;
/// `estimated_time_to_regain_access` (minutes) of an injected throttle fault, unless its rule says.
const THROTTLE_FAULT_MINUTES: u64 = 5;
/// First of the IDs the caller (the app behind the access token) gets.
const CALLER_ID_BASE: u64 = 600_000_000_000_000;

/// Marks a response whose connection must be closed instead of answered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// An operation with everything precomputed that requests need.
pub(crate) struct Route {
    pub(crate) op: Operation,
    pub(crate) behaviour: Behaviour,
    /// Fields a read may select: the node's own fields plus those this operation adds.
    pub(crate) fields: Vec<Field>,
    /// Node type named in field errors.
    pub(crate) item_node: String,
    pub(crate) defaults: Vec<Selection>,
    /// Whether the operation declares `filtering` (elsewhere Graph ignores it).
    pub(crate) declares_filtering: bool,
    /// Names of `fields`: what `filtering` may name.
    pub(crate) filterable: Vec<String>,
    /// The summary fields of a listing (empty for other operations).
    pub(crate) summary_fields: Vec<String>,
    /// The edge's membership parameters (what listed members show beyond their own fields).
    pub(crate) membership: Vec<Param>,
    /// Calls count against the object's Business Use Case limit (its node has a rate-limit
    /// class).
    pub(crate) rate_limited: bool,
}

impl Route {
    fn new(spec: &Spec, op: &Operation) -> Route {
        let behaviour = Behaviour::of(spec, op);
        let item_node = match &op.returns {
            Returns::Node(n) => n.clone(),
            Returns::Page { item, .. } => item.clone(),
            Returns::Struct { name, .. } | Returns::Object(name) => name.clone(),
            // An untyped answer names no type.
            Returns::Json => String::new(),
        };
        let fields: Vec<Field> = spec
            .node(&item_node)
            .map(|n| {
                n.fields
                    .iter()
                    .filter(|f| f.added_by.as_deref().is_none_or(|p| p == op.path))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let defaults = default_fields(op, &fields);
        let declares_filtering = op.params.iter().any(|p| p.name == "filtering");
        let filterable = fields.iter().map(|f| f.name.clone()).collect();
        let summary_fields = match &op.returns {
            Returns::Page { summary_fields, .. } => {
                summary_fields.iter().map(|f| f.name.clone()).collect()
            }
            _ => Vec::new(),
        };
        let membership = op
            .edge
            .as_deref()
            .map(|e| {
                behaviour::membership_params(spec, &op.node, e)
                    .into_iter()
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let rate_limited = spec
            .node(&op.node)
            .is_some_and(|n| n.rate_limit_class.is_some());
        Route {
            op: op.clone(),
            behaviour,
            fields,
            item_node,
            defaults,
            declares_filtering,
            filterable,
            summary_fields,
            membership,
            rate_limited,
        }
    }
}

/// Graph's default fields: the spec's (curated from Graph's examples), else `id`, `name` and the
/// fields the operation adds (a membership's own fields, e.g. an assigned user's tasks).
fn default_fields(op: &Operation, fields: &[Field]) -> Vec<Selection> {
    let names: Vec<&str> = if op.default_fields.is_empty() {
        fields
            .iter()
            .filter(|f| f.name == "id" || f.name == "name" || f.added_by.is_some())
            .map(|f| f.name.as_str())
            .collect()
    } else {
        op.default_fields.iter().map(String::as_str).collect()
    };
    fields::plain(&names)
}

/// The shared state of a running mock.
pub(crate) struct App {
    pub(crate) spec: Spec,
    pub(crate) seed: Seed,
    pub(crate) store: Store,
    pub(crate) faults: Controller,
    pub(crate) limiter: Limiter,
    pub(crate) counters: Counters,
    pub(crate) require_proof: AtomicBool,
    pub(crate) base_url: String,
    pub(crate) routes: Vec<Route>,
    /// The ID of the caller (the app behind the access token): the member of an edge whose
    /// writes name no member.
    pub(crate) caller_id: String,
    /// The 80008 answer to a throttled call (the spec's wording).
    throttle_error: GraphError,
}

/// Where a request's path led.
struct Resolved {
    /// The operation the request counts (and can be faulted) under, even when it fails.
    route: Option<usize>,
    object_id: String,
    /// The operation to run, or the error to answer with once the caller is authenticated.
    target: Result<usize, GraphError>,
}

/// The JSON-typed parameters of a request as parsed while checking them.
pub(crate) struct Checked<'r>(Vec<(&'r str, Value)>);

impl Checked<'_> {
    /// Parameter `name` as JSON: the value checking parsed, or (for a parameter the spec gives
    /// a scalar type) parsed here. `None` when absent or not JSON.
    pub(crate) fn json(&self, params: &Params, name: &str) -> Option<Cow<'_, Value>> {
        match self.0.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => Some(Cow::Borrowed(v)),
            None => params
                .get(name)
                .and_then(params::parse_json)
                .map(Cow::Owned),
        }
    }
}

/// Per-request values every response carries.
#[derive(Clone)]
pub(crate) struct Ctx {
    trace: String,
    version: String,
    /// `http://host:port` as the client addressed the mock.
    pub(crate) base: String,
    /// The request path with its version prefix (what paging links repeat).
    pub(crate) path: String,
    usage: Option<String>,
    app_usage: String,
}

/// One Graph call as received: alone, or an item of a batch (`outer`: the batch's parameters,
/// whose token and proof apply to items without their own).
struct Call<'r> {
    method: &'r Method,
    path: &'r str,
    query: Option<&'r str>,
    headers: &'r HeaderMap,
    body: Result<axum::body::Bytes, String>,
    outer: Option<&'r Params>,
}

/// Where a call's credentials may be.
struct Auth<'r> {
    headers: &'r HeaderMap,
    params: &'r Params,
    outer: Option<&'r Params>,
}

/// One item of a batch.
struct BatchItem {
    method: Method,
    relative_url: String,
    body: String,
}

/// Parses `batch=`: a JSON array of at most [`MAX_BATCH`] `{method, relative_url, body?}`. The
/// error is the text after `(#100) `, naming the item.
fn batch_items(batch: Option<&str>) -> Result<Vec<BatchItem>, String> {
    let batch = batch.ok_or("The parameter batch is required")?;
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(batch) else {
        return Err("Param batch must be a JSON array of requests".into());
    };
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(format!(
            "Batch requests hold 1 to {MAX_BATCH} requests, not {}",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = |key: &str, required: bool| match item.get(key) {
                Some(Value::String(s)) => Ok(s.clone()),
                None if !required => Ok(String::new()),
                _ => Err(format!("batch[{i}].{key} must be a string")),
            };
            let method = text("method", true)?;
            Ok(BatchItem {
                method: Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                    .map_err(|_| format!("batch[{i}].method `{method}` is not an HTTP method"))?,
                relative_url: text("relative_url", true)?,
                body: text("body", false)?,
            })
        })
        .collect()
}

/// A batch item's answer: `{code, headers: [{name, value}], body}`, or `null` when the
/// connection would have been dropped or the body cut (Graph's `null` for an unfinished item).
async fn batch_answer(resp: Response<Body>) -> Value {
    if resp.extensions().get::<DropConnection>().is_some() {
        return Value::Null;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Value::Null;
    };
    let headers: Vec<Value> = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some(json!({ "name": n.as_str(), "value": v.to_str().ok()? })))
        .collect();
    json!({
        "code": parts.status.as_u16(),
        "headers": headers,
        "body": String::from_utf8_lossy(&bytes),
    })
}

/// Where a fault hit: the request's sequence number, operation and object (none for a batch
/// as a whole).
struct FaultSite {
    request: u64,
    operation: Option<String>,
    object_id: Option<String>,
}

impl FaultSite {
    fn record(
        &self,
        fault: FaultKind,
        source: FaultSource,
        executed: bool,
        changed: bool,
    ) -> FaultRecord {
        FaultRecord {
            request: self.request,
            operation: self.operation.clone(),
            object_id: self.object_id.clone(),
            fault,
            source,
            executed,
            state_changed: changed,
        }
    }
}

impl App {
    pub(crate) fn new(spec: Spec, seed: Seed, require_proof: bool, base_url: String) -> App {
        let store = Store::new(seed.population());
        {
            let mut state = store.write();
            let mut ordinal: std::collections::HashMap<String, u64> = Default::default();
            for o in seed.objects(&spec) {
                let n = ordinal.entry(o.node.clone()).or_default();
                let mut fields = o.fields;
                if let Some(node) = spec.node(&o.node) {
                    // Keep only what the spec documents (and the ID, documented or not), so
                    // projection and validation agree.
                    fields.retain(|k, _| k == "id" || node.fields.iter().any(|f| &f.name == k));
                    fields::fill(&spec, &mut fields, &node.fields, *n);
                }
                *n += 1;
                state.insert(
                    o.id,
                    Object {
                        node: o.node,
                        fields,
                        created: None,
                    },
                );
            }
            for ((owner, edge), c) in seed.collections() {
                state.set_collection(&owner, &edge, c);
            }
        }
        let routes: Vec<Route> = spec
            .operations
            .iter()
            .map(|op| Route::new(&spec, op))
            .collect();
        let throttle_message = spec
            .errors
            .iter()
            .find(|e| e.code == 80008)
            .and_then(|e| e.description.clone())
            .unwrap_or_else(|| "There have been too many calls to this WhatsApp Business account. Wait a bit and try again.".into());
        let throttle_error = GraphError::throttled(&throttle_message);
        let counters = Counters::new(routes.iter().map(|r| r.op.rust_name.clone()).collect());
        let digest = Sha256::digest(seed.access_token.as_bytes());
        let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        let caller_id = (CALLER_ID_BASE + n % CALLER_ID_BASE).to_string();
        App {
            spec,
            seed,
            store,
            faults: Controller::default(),
            limiter: Limiter::default(),
            counters,
            require_proof: AtomicBool::new(require_proof),
            base_url,
            routes,
            caller_id,
            throttle_error,
        }
    }

    /// Fails for an operation name the spec does not have.
    pub(crate) fn check_operation(&self, name: &str) -> Result<(), String> {
        if self.routes.iter().any(|r| r.op.rust_name == name) {
            Ok(())
        } else {
            let names: Vec<&str> = self
                .routes
                .iter()
                .map(|r| r.op.rust_name.as_str())
                .collect();
            Err(format!(
                "unknown operation `{name}`; the spec has {}",
                names.join(", ")
            ))
        }
    }

    /// Checks a scripted rule before arming it.
    pub(crate) fn check_rule(&self, rule: &crate::FaultRule) -> Result<(), String> {
        if let Some(op) = &rule.operation {
            self.check_operation(op)?;
        }
        if rule.fault == FaultKind::Latency && rule.latency_ms == 0 {
            return Err("a latency rule needs latency_ms".into());
        }
        Ok(())
    }

    /// Checks the operations random faults name before turning them on.
    pub(crate) fn check_random(&self, random: &crate::RandomFaults) -> Result<(), String> {
        for rate in &random.rates {
            if let Some(op) = &rate.operation {
                self.check_operation(op)?;
            }
        }
        Ok(())
    }

    /// The start-up line's data.
    pub(crate) fn seed_info(&self) -> SeedInfo {
        SeedInfo {
            base_url: self.base_url.clone(),
            access_token: self.seed.access_token.clone(),
            app_secret: self.seed.app_secret.clone(),
            business_id: self.seed.business_id.clone(),
            waba_ids: self.seed.waba_ids.clone(),
            user_ids: self.seed.user_ids.clone(),
            objects: self.seed.objects.clone(),
        }
    }

    pub(crate) fn reset_usage(&self) {
        self.limiter.reset();
    }

    /// The objects created in the edge `edge` of object `id`; `None` for an unknown object.
    pub(crate) fn created(&self, id: &str, edge: &str) -> Option<Vec<Created>> {
        let state = self.store.read();
        state.object(id)?;
        Some(state.created_in(id, edge))
    }

    pub(crate) fn set_require_proof(&self, required: bool) {
        self.require_proof.store(required, Ordering::Relaxed);
    }

    /// Splits off the `/vNN.N` prefix. `Err` carries the 2500 for a malformed version.
    fn split_version<'a>(&self, path: &'a str) -> Result<(String, Vec<&'a str>), GraphError> {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segs.first() {
            Some(v) if v.starts_with('v') && v[1..].starts_with(|c: char| c.is_ascii_digit()) => {
                let ok = v[1..]
                    .split_once('.')
                    .is_some_and(|(a, b)| is_numeric_id(a) && is_numeric_id(b));
                if !ok {
                    return Err(GraphError::unknown_path(&segs.join("/")));
                }
                Ok((v.to_string(), segs[1..].to_vec()))
            }
            _ => Ok((self.spec.version.clone(), segs)),
        }
    }

    fn resolve(&self, method: &Method, segs: &[&str]) -> Result<Resolved, GraphError> {
        let Some(first) = segs.first() else {
            return Err(GraphError::unknown_path(""));
        };
        if !is_numeric_id(first) {
            return Err(GraphError::unknown_path(&segs.join("/")));
        }
        if segs.len() > 2 {
            return Err(GraphError::unknown_path(&segs[2..].join("/")));
        }
        let edge = segs.get(1).copied();
        if let Some(e) = edge
            && !self.routes.iter().any(|r| r.op.edge.as_deref() == Some(e))
        {
            return Err(GraphError::unknown_path(e));
        }
        let node = self.store.node_of(first);
        let same_shape =
            |r: &&Route| r.op.method.as_str() == method.as_str() && r.op.edge.as_deref() == edge;
        let route = match &node {
            Some(node) => self
                .routes
                .iter()
                .position(|r| same_shape(&r) && r.op.node == *node),
            // Unknown objects still count under (and can be faulted as) the operation their
            // path shape names, when only one does.
            None => {
                let mut it = self
                    .routes
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| same_shape(r));
                match (it.next(), it.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            }
        };
        let target = match (node, route) {
            (None, _) => Err(GraphError::unsupported(method.as_str(), first)),
            (Some(node), None) => Err(match edge {
                Some(e)
                    if !self
                        .routes
                        .iter()
                        .any(|r| r.op.node == node && r.op.edge.as_deref() == Some(e)) =>
                {
                    GraphError::param(format!(
                        "Tried accessing nonexisting field ({e}) on node type ({node})"
                    ))
                }
                _ => GraphError::unsupported(method.as_str(), first),
            }),
            (Some(_), Some(i)) => Ok(i),
        };
        Ok(Resolved {
            route,
            object_id: first.to_string(),
            target,
        })
    }

    /// Handles one HTTP request: a batch (`POST /` with `batch=`) or one Graph call. A response
    /// carrying [`DropConnection`] must not be sent.
    pub(crate) async fn handle(self: Arc<Self>, req: Request<Body>) -> Response<Body> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
            format!("The request body could not be read (the limit is {MAX_BODY} bytes)")
        });
        let base = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map_or_else(|| self.base_url.clone(), |h| format!("http://{h}"));
        let http_seq = self.counters.http_request();
        let is_root = self
            .split_version(parts.uri.path())
            .is_ok_and(|(_, segs)| segs.is_empty());
        let call = Call {
            method: &parts.method,
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body,
            outer: None,
        };
        if is_root && parts.method == Method::POST {
            self.batch(call, base, http_seq).await
        } else {
            self.serve(call, base).await.0
        }
    }

    /// One Graph call (alone or a batch item); also says whether it changed state.
    async fn serve(&self, call: Call<'_>, base: String) -> (Response<Body>, bool) {
        let mut ctx = Ctx {
            trace: String::new(),
            version: self.spec.version.clone(),
            base,
            path: String::new(),
            usage: None,
            app_usage: String::new(),
        };
        let resolved = self.split_version(call.path).and_then(|(v, segs)| {
            ctx.path = format!("/{v}/{}", segs.join("/"));
            ctx.version = v;
            self.resolve(call.method, &segs)
        });
        let seq = self
            .counters
            .request(resolved.as_ref().ok().and_then(|r| r.route));
        ctx.trace = trace_id(seq);
        ctx.app_usage = self.app_usage(false);
        let resolved = match resolved {
            Ok(r) => r,
            Err(e) => return (error_response(&e, &ctx), false),
        };
        let op_name = resolved.route.map(|i| self.routes[i].op.rust_name.as_str());
        let site = FaultSite {
            request: seq,
            operation: op_name.map(str::to_string),
            object_id: Some(resolved.object_id.clone()),
        };
        let chosen = self.faults.choose(op_name, Some(&resolved.object_id));
        if let Some(resp) = self.fault_before(chosen, &site, &ctx).await {
            return (resp, false);
        }

        let json_body = call
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let parsed = call
            .body
            .and_then(|bytes| Params::parse(call.query, &bytes, json_body));
        let (result, changed) = match parsed {
            Err(e) => (Err(GraphError::param(e)), false),
            Ok(params) => {
                let auth = Auth {
                    headers: call.headers,
                    params: &params,
                    outer: call.outer,
                };
                self.authorized(&auth, &resolved, &mut ctx, &site)
            }
        };
        let resp = match result {
            Ok(v) => json_response(StatusCode::OK, &v, &ctx),
            Err(e) => error_response(&e, &ctx),
        };
        (
            self.fault_after(resp, chosen, &site, changed).await,
            changed,
        )
    }

    /// `POST /` with `batch=`: up to [`MAX_BATCH`] calls in one HTTP request, each run like a
    /// request of its own (counted, faulted and rate-limited per item) and answered as
    /// `{code, headers, body}`, or `null` when its answer was lost (a dropped or truncated item).
    async fn batch(&self, call: Call<'_>, base: String, http_seq: u64) -> Response<Body> {
        self.counters.batch();
        let ctx = Ctx {
            // Apart from the calls' trace IDs (those count up from 1).
            trace: trace_id(u64::MAX - http_seq),
            version: self
                .split_version(call.path)
                .map_or_else(|_| self.spec.version.clone(), |(v, _)| v),
            base: base.clone(),
            path: String::new(),
            usage: None,
            app_usage: self.app_usage(false),
        };
        let site = FaultSite {
            request: 0,
            operation: None,
            object_id: None,
        };
        let chosen = self.faults.choose(None, None);
        if let Some(resp) = self.fault_before(chosen, &site, &ctx).await {
            return resp;
        }
        let params = match call.body.and_then(|b| Params::parse(call.query, &b, false)) {
            Ok(p) => p,
            Err(e) => return error_response(&GraphError::param(e), &ctx),
        };
        let auth = Auth {
            headers: call.headers,
            params: &params,
            outer: None,
        };
        if let Err(e) = self.check_auth(&auth) {
            return error_response(&e, &ctx);
        }
        let items = match batch_items(params.get("batch")) {
            Ok(items) => items,
            Err(e) => return error_response(&GraphError::param(e), &ctx),
        };
        let mut headers = HeaderMap::new();
        if let Some(a) = call.headers.get(header::AUTHORIZATION) {
            headers.insert(header::AUTHORIZATION, a.clone());
        }
        let mut answers = Vec::with_capacity(items.len());
        let mut changed = false;
        for item in &items {
            let (path, query) = match item.relative_url.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (item.relative_url.as_str(), None),
            };
            let path = format!("/{}", path.trim_start_matches('/'));
            let item_call = Call {
                method: &item.method,
                path: &path,
                query,
                headers: &headers,
                body: Ok(item.body.clone().into()),
                outer: Some(&params),
            };
            let (resp, item_changed) = self.serve(item_call, base.clone()).await;
            changed |= item_changed;
            answers.push(batch_answer(resp).await);
        }
        let ctx = Ctx {
            app_usage: self.app_usage(false),
            ..ctx
        };
        let resp = json_response(StatusCode::OK, &Value::Array(answers), &ctx);
        self.fault_after(resp, chosen, &site, changed).await
    }

    /// A fault that stops a request before it is handled answers (recorded); a delay is slept.
    async fn fault_before(
        &self,
        chosen: Option<Chosen>,
        site: &FaultSite,
        ctx: &Ctx,
    ) -> Option<Response<Body>> {
        let c = chosen?;
        if !c.kind.applies_request() {
            self.counters
                .fault(site.record(c.kind, c.source, false, false));
            return Some(self.fault_response(c, site.object_id.as_deref(), ctx));
        }
        if c.delay > Duration::ZERO {
            tokio::time::sleep(c.delay).await;
        }
        None
    }

    /// A fault that lets the request be handled takes effect on its answer (recorded).
    async fn fault_after(
        &self,
        resp: Response<Body>,
        chosen: Option<Chosen>,
        site: &FaultSite,
        changed: bool,
    ) -> Response<Body> {
        let Some(c) = chosen else {
            return resp;
        };
        self.counters
            .fault(site.record(c.kind, c.source, true, changed));
        match c.kind {
            FaultKind::TruncatedBody => truncate(resp).await,
            FaultKind::DropAfterApply => {
                let mut resp = resp;
                resp.extensions_mut().insert(DropConnection);
                resp
            }
            _ => resp,
        }
    }

    /// Everything after routing and faults: auth, existence, throttle, params, the handler.
    /// Returns the result and whether state changed.
    fn authorized(
        &self,
        auth: &Auth<'_>,
        resolved: &Resolved,
        ctx: &mut Ctx,
        site: &FaultSite,
    ) -> (Result<Value, GraphError>, bool) {
        if let Err(e) = self.check_auth(auth) {
            return (Err(e), false);
        }
        let params = auth.params;
        let route_i = match &resolved.target {
            Ok(i) => *i,
            Err(e) => return (Err(e.clone()), false),
        };
        let route = &self.routes[route_i];
        ctx.app_usage = self.app_usage(true);
        if route.rate_limited {
            let (throttled, header) = self.count_call(&resolved.object_id);
            ctx.usage = Some(header);
            if throttled {
                self.counters.fault(site.record(
                    FaultKind::Throttle,
                    FaultSource::Throttle,
                    false,
                    false,
                ));
                return (Err(self.throttle_error.clone()), false);
            }
        }
        let checked = match self.check_params(route, params) {
            Ok(c) => c,
            Err(e) => return (Err(e), false),
        };
        match self.run(route, &resolved.object_id, params, &checked, ctx) {
            Ok((v, changed)) => {
                if route.op.kind != OpKind::Read {
                    let created = match &route.behaviour {
                        Behaviour::CreateObject { node } if changed => Some(node.as_str()),
                        _ => None,
                    };
                    self.counters.write(route_i, changed, created);
                }
                (Ok(v), changed)
            }
            Err(e) => (Err(e), false),
        }
    }

    fn check_auth(&self, auth: &Auth<'_>) -> Result<(), GraphError> {
        let header_token = auth
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("OAuth "))
            })
            .map(str::trim);
        // A batch item may carry its own token and proof; else the batch's apply.
        let item = |name: &str| {
            auth.params
                .get(name)
                .or_else(|| auth.outer.and_then(|o| o.get(name)))
        };
        let Some(token) = header_token
            .or_else(|| item("access_token"))
            .filter(|t| !t.is_empty())
        else {
            return Err(GraphError::no_token());
        };
        if token != self.seed.access_token {
            return Err(GraphError::bad_token());
        }
        let (proof, time) = match auth.params.get("appsecret_proof") {
            Some(p) => (Some(p), auth.params.get("appsecret_time")),
            None => {
                let outer = |name| auth.outer.and_then(|o| o.get(name));
                (outer("appsecret_proof"), outer("appsecret_time"))
            }
        };
        match proof {
            None if self.require_proof.load(Ordering::Relaxed) => Err(GraphError::proof(
                "API calls from the server require an appsecret_proof argument",
            )),
            None => Ok(()),
            // A proof sent is checked even when not required, as Graph does.
            Some(proof) => self.check_proof(token, proof, time),
        }
    }

    fn check_proof(&self, token: &str, proof: &str, time: Option<&str>) -> Result<(), GraphError> {
        let message = match time {
            None => token.to_string(),
            Some(t) => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let in_window = t
                    .parse::<u64>()
                    .ok()
                    .filter(|s| now.abs_diff(*s) <= PROOF_WINDOW_SECS);
                if in_window.is_none() {
                    return Err(GraphError::proof(
                        "Invalid appsecret_time provided in the API argument",
                    ));
                }
                format!("{token}|{t}")
            }
        };
        if proof.eq_ignore_ascii_case(&appsecret_proof(&self.seed.app_secret, &message)) {
            Ok(())
        } else {
            Err(GraphError::proof(
                "Invalid appsecret_proof provided in the API argument",
            ))
        }
    }

    /// Counts a Business Use Case call on object `id`; returns whether it is throttled and the
    /// `X-Business-Use-Case-Usage` value. Without a configured limit, calls are reported
    /// against Graph's allowance of an active WABA and never throttled.
    fn count_call(&self, id: &str) -> (bool, String) {
        let c = match self.faults.rate_limit() {
            Some(limit) => self.limiter.count(id, &limit, true),
            None => self.limiter.count(id, &REPORTED_LIMIT, false),
        };
        (c.throttled, buc_header(id, c.percent, c.regain_minutes))
    }

    /// `X-App-Usage`; `count` counts the call being answered.
    fn app_usage(&self, count: bool) -> String {
        let limit = self.faults.rate_limit();
        let limit = limit.as_deref().unwrap_or(&REPORTED_LIMIT);
        let pct = if count {
            self.limiter.count_app(limit)
        } else {
            self.limiter.app_percent(limit)
        };
        json!({ "call_count": pct, "total_cputime": pct / 4, "total_time": pct / 2 }).to_string()
    }

    /// Sets (or with `None` lifts) the rate limit; its clock runs at the limit's time scale.
    pub(crate) fn set_rate_limit(&self, limit: Option<RateLimit>) -> Result<(), String> {
        let scale = limit.as_ref().map_or(1.0, |l| l.time_scale);
        self.faults.set_rate_limit(limit)?;
        self.limiter.set_scale(scale);
        Ok(())
    }

    fn check_params<'r>(
        &self,
        route: &'r Route,
        params: &Params,
    ) -> Result<Checked<'r>, GraphError> {
        let mut checked = Checked(Vec::new());
        for p in &route.op.params {
            match params.get(&p.name) {
                // Graph treats an empty value of a required parameter as missing.
                None | Some("") if p.required => {
                    return Err(GraphError::param(format!(
                        "The parameter {} is required",
                        p.name
                    )));
                }
                None => {}
                Some(raw) => {
                    // A JSON body's members are checked with their JSON types.
                    let v = match params.json_member(&p.name) {
                        Some(member) => params::check_member(&self.spec, &p.name, &p.ty, member),
                        None => params::check_raw(&self.spec, &p.name, &p.ty, raw),
                    };
                    if let Some(v) = v.map_err(GraphError::param)? {
                        checked.0.push((&p.name, v));
                    }
                }
            }
        }
        Ok(checked)
    }

    /// The answer of a fault that stops a request before it is handled; a throttle reports
    /// its usage for `object_id` (none for a batch as a whole).
    fn fault_response(&self, c: Chosen, object_id: Option<&str>, ctx: &Ctx) -> Response<Body> {
        match c.kind {
            FaultKind::Throttle => {
                let ctx = Ctx {
                    usage: object_id.map(|id| {
                        buc_header(id, 100, c.regain_minutes.unwrap_or(THROTTLE_FAULT_MINUTES))
                    }),
                    ..ctx.clone()
                };
                error_response(&self.throttle_error, &ctx)
            }
            FaultKind::ServerError => error_response(&GraphError::server_error(), ctx),
            FaultKind::Transient => error_response(&GraphError::transient(), ctx),
            FaultKind::BadGateway => Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .header(header::CONTENT_TYPE, "text/html")
                .body(Body::from(BAD_GATEWAY_HTML))
                .expect("static response"),
            FaultKind::Drop => {
                let mut r = Response::new(Body::empty());
                r.extensions_mut().insert(DropConnection);
                r
            }
            FaultKind::DropAfterApply | FaultKind::TruncatedBody | FaultKind::Latency => {
                unreachable!("faults that apply the request are handled after it")
            }
        }
    }
}

/// Hex HMAC-SHA256 of `message` keyed by `secret`: Graph's `appsecret_proof`.
pub fn appsecret_proof(secret: &str, message: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `X-Business-Use-Case-Usage` for one WABA.
fn buc_header(waba: &str, pct: u64, regain_minutes: u64) -> String {
    json!({ waba: [{
        "type": "whatsapp_business_management",
        "call_count": pct,
        "total_cputime": pct / 4,
        "total_time": pct / 2,
        "estimated_time_to_regain_access": regain_minutes,
    }]})
    .to_string()
}

/// A Graph-looking trace ID, unique per request and reproducible.
fn trace_id(seq: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // splitmix64 scatters consecutive sequence numbers.
    let mut z = seq.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (0..11)
        .map(|_| {
            let c = ALPHABET[(z % ALPHABET.len() as u64) as usize] as char;
            z /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

fn json_response(status: StatusCode, body: &Value, ctx: &Ctx) -> Response<Body> {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).expect("header values are ASCII JSON");
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    h.insert("x-fb-trace-id", value(&ctx.trace));
    h.insert("x-fb-request-id", value(&format!("A{}", ctx.trace)));
    h.insert("facebook-api-version", value(&ctx.version));
    h.insert("x-app-usage", value(&ctx.app_usage));
    if let Some(u) = &ctx.usage {
        h.insert("x-business-use-case-usage", value(u));
    }
    r
}

fn error_response(e: &GraphError, ctx: &Ctx) -> Response<Body> {
    json_response(e.status, &e.body(&ctx.trace), ctx)
}

/// The same response, but the connection closes after half its body.
async fn truncate(resp: Response<Body>) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    let first = futures::stream::once(async move { Ok::<_, std::io::Error>(half) });
    // Yielding once lets hyper flush the headers and the half body before the error aborts
    // the connection (an immediate error would discard the buffered response).
    let abort = futures::stream::once(async {
        tokio::task::yield_now().await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "truncated by fault injection",
        ))
    });
    Response::from_parts(
        parts,
        Body::from_stream(futures::StreamExt::chain(first, abort)),
    )
}

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_and_trace_ids() {
        // RFC 4231-style check of the HMAC wiring against a known value.
        assert_eq!(
            appsecret_proof("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
        assert_ne!(trace_id(1), trace_id(2));
        assert_eq!(trace_id(7).len(), 11);
    }
}

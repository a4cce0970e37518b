//! The control API: JSON over HTTP under `/__mock/`, for driving the binary from outside.
//! [`HELP`] lists its endpoints (the binary's `--help` prints it); the bodies are
//! [`FaultRule`], [`RandomFaults`], [`ThrottleConfig`], [`RateLimit`], and the answers
//! [`SeedInfo`](crate::SeedInfo), [`Stats`](crate::Stats), [`FaultsView`](crate::FaultsView).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde::Deserialize;
use serde_json::json;

use crate::graph::App;
use crate::{FaultRule, Faults, RandomFaults, RateLimit, ThrottleConfig};

type AppState = State<Arc<App>>;

/// The control API's endpoints, one a line (what `waba-mock --help` prints).
pub const HELP: &str = "\
control API (JSON; no token needed; not counted; 400 {\"error\"} for invalid settings, 204 for
success without a body):
  GET    /__mock/seed                 the start-up line's data
  GET    /__mock/stats                counters: Graph calls, HTTP requests, batches, faults, writes,
                                      created objects
  DELETE /__mock/stats                zeroes the counters
  GET    /__mock/faults               rules, random faults and rate limit configured
  POST   /__mock/faults               arms a rule {fault, operation?, object_id?, times?, skip?,
                                      latency_ms?, regain_minutes?}; answers {\"id\": N}
  DELETE /__mock/faults               removes every rule, random fault and the rate limit, and lifts
                                      throttles in effect (forgets every call count)
  DELETE /__mock/faults/{id}          removes one rule (404 if gone)
  PUT    /__mock/faults/random        {seed, rates: [{fault, rate, operation?}], latency?} or null
  PUT    /__mock/faults/throttle      {after_calls, regain_after_secs?} or null (a rate limit of
                                      after_calls per window of regain_after_secs)
  PUT    /__mock/rate_limit           {calls?, objects?: {ID: calls}, window_secs?, time_scale?,
                                      app_calls?} or null (defaults: Graph's 200 per WABA per
                                      3600 s, time_scale 1)
  POST   /__mock/clock                {\"advance_secs\": S}: moves the rate limit's clock forward
  DELETE /__mock/usage                forgets every call count (lifts throttles in effect)
  PUT    /__mock/appsecret_proof      {\"required\": bool}
  GET    /__mock/objects/{id}/{edge}  objects created in an edge: [{id, params}]
";

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/seed", get(seed))
        .route("/stats", get(stats).delete(reset_stats))
        .route("/faults", get(faults).post(add_rule).delete(clear_faults))
        .route("/faults/{id}", delete(remove_rule))
        .route("/faults/random", put(set_random))
        .route("/faults/throttle", put(set_throttle))
        .route("/rate_limit", put(set_rate_limit))
        .route("/clock", post(advance_clock))
        .route("/usage", delete(reset_usage))
        .route("/appsecret_proof", put(set_proof))
        .route("/objects/{id}/{edge}", get(created))
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn seed(State(app): AppState) -> Response {
    Json(app.seed_info()).into_response()
}

async fn stats(State(app): AppState) -> Response {
    Json(app.counters.snapshot()).into_response()
}

async fn reset_stats(State(app): AppState) -> StatusCode {
    app.counters.reset();
    StatusCode::NO_CONTENT
}

async fn faults(State(app): AppState) -> Response {
    Json(app.faults.view()).into_response()
}

async fn add_rule(State(app): AppState, Json(rule): Json<FaultRule>) -> Response {
    match Faults(&app).add(rule) {
        Ok(id) => Json(json!({ "id": id })).into_response(),
        Err(e) => bad_request(e),
    }
}

async fn clear_faults(State(app): AppState) -> StatusCode {
    Faults(&app).clear();
    StatusCode::NO_CONTENT
}

async fn remove_rule(State(app): AppState, Path(id): Path<u64>) -> StatusCode {
    if app.faults.remove_rule(id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn set_random(State(app): AppState, Json(random): Json<Option<RandomFaults>>) -> Response {
    match Faults(&app).set_random(random) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => bad_request(e),
    }
}

async fn set_throttle(
    State(app): AppState,
    Json(throttle): Json<Option<ThrottleConfig>>,
) -> StatusCode {
    Faults(&app).set_throttle(throttle);
    StatusCode::NO_CONTENT
}

async fn set_rate_limit(State(app): AppState, Json(limit): Json<Option<RateLimit>>) -> Response {
    match app.set_rate_limit(limit) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => bad_request(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    advance_secs: f64,
}

async fn advance_clock(State(app): AppState, Json(a): Json<Advance>) -> Response {
    if !a.advance_secs.is_finite() || a.advance_secs < 0.0 {
        return bad_request("advance_secs must be a finite number ≥ 0".into());
    }
    app.limiter
        .advance(std::time::Duration::from_secs_f64(a.advance_secs));
    StatusCode::NO_CONTENT.into_response()
}

async fn reset_usage(State(app): AppState) -> StatusCode {
    app.reset_usage();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProofSetting {
    required: bool,
}

async fn set_proof(State(app): AppState, Json(p): Json<ProofSetting>) -> StatusCode {
    app.set_require_proof(p.required);
    StatusCode::NO_CONTENT
}

async fn created(State(app): AppState, Path((id, edge)): Path<(String, String)>) -> Response {
    match app.created(&id, &edge) {
        Some(objects) => Json(objects).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no object {id}") })),
        )
            .into_response(),
    }
}

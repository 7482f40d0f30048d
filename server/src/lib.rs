//! A request-handler example: an HTTP service holding an orgperm [`Engine`], the way a host
//! application links orgperm into its server.
//!
//! Every read route takes the caller from the `X-User-Id` header and the object from the
//! path, checks with the current snapshot (one atomic load, no lock) and answers 200 with
//! the decision's reason, or 403 with the reason for the deny. A caller that just changed
//! something sends back the `X-Consistency-Token` it got, and the route answers from a
//! snapshot at least that new (read-your-writes). The admin route applies change sets; the
//! reverse routes page through their answers.
//!
//! | route | answer |
//! |---|---|
//! | `GET /health` | `{"version"}` |
//! | `GET /calls/{call}` | may the caller open the call |
//! | `GET /users/{owner}/{domain}` | may the caller access the owner's data in the domain (`calls`, `deals`, …) |
//! | `GET /items/{item}/{verb}` | may the caller do the verb on the item |
//! | `GET /permissions/{permission}?division=D` | does the caller hold the permission (in the division) |
//! | `GET /networks/{network}/{permission}` | does the caller hold the network permission |
//! | `GET /calls/{call}/viewers?limit=&offset=` | who may open the call, paged |
//! | `GET /visible/calls?limit=&offset=` | the calls the caller may open, paged |
//! | `POST /admin/changes` | apply a change set: `{"version", "token"}`, or the error with its path |
//! | `POST /admin/preview` | what-if: who would gain and lose access from a change set, not applied ([`Impact`](orgperm::Impact) as JSON and its `summary`, largest changes first) |
//!
//! Statuses: 200 allow, 403 deny, 401 without `X-User-Id`, 400 for bad input (a malformed
//! change set, an unknown domain or verb: the body names the path), 404 and 409 for change
//! sets naming something missing or conflicting, 503 when a consistency token is not
//! reached in time.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use orgperm::{ChangeSet, Domain, Engine, ErrorClass, LiveSnapshot, Token, Verb};
use serde::Deserialize;
use serde_json::{Value, json};

/// How long a read waits for the version of a consistency token.
const CONSISTENCY_WAIT: Duration = Duration::from_secs(2);

/// The service's state: the engine, shared by every handler.
#[derive(Clone)]
pub struct App {
    engine: Arc<Engine>,
}

impl App {
    /// A service over `engine`.
    pub fn new(engine: Engine) -> App {
        App {
            engine: Arc::new(engine),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

/// The routes, over `app`.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/calls/{call}", get(open_call))
        .route("/calls/{call}/viewers", get(call_viewers))
        .route("/users/{owner}/{domain}", get(user_data))
        .route("/items/{item}/{verb}", get(item_verb))
        .route("/permissions/{permission}", get(permission))
        .route("/networks/{network}/{permission}", get(network_permission))
        .route("/visible/calls", get(visible_calls))
        .route("/admin/changes", post(apply_changes))
        .route("/admin/preview", post(preview_changes))
        .with_state(app)
}

/// An error response: a status and a JSON body.
struct Failure(StatusCode, Value);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

fn bad_request(path: &str, message: String) -> Failure {
    Failure(
        StatusCode::BAD_REQUEST,
        json!({"error": {"path": path, "message": message}}),
    )
}

/// The caller's id, from `X-User-Id`.
fn caller(headers: &HeaderMap) -> Result<String, Failure> {
    headers
        .get("x-user-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            Failure(
                StatusCode::UNAUTHORIZED,
                json!({"error": {"message": "missing X-User-Id header"}}),
            )
        })
}

/// The snapshot to answer from: the current one, or one at least as new as the caller's
/// `X-Consistency-Token`.
async fn snapshot(app: &App, headers: &HeaderMap) -> Result<Arc<LiveSnapshot>, Failure> {
    let Some(raw) = headers.get("x-consistency-token") else {
        return Ok(app.engine.snapshot());
    };
    let version: u64 = raw
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            bad_request(
                "X-Consistency-Token",
                "expected a version number".to_owned(),
            )
        })?;
    let engine = Arc::clone(&app.engine);
    // The wait may block: keep it off the async workers.
    let found = tokio::task::spawn_blocking(move || {
        engine.snapshot_at_least(Token::from_version(version), CONSISTENCY_WAIT)
    })
    .await
    .ok()
    .flatten();
    found.ok_or_else(|| {
        Failure(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": {"message": format!("version {version} not reached in time")}}),
        )
    })
}

/// A decision as a response: 200 or 403, with the reason and the version answered from.
fn decided(allowed: bool, reason: String, version: u64) -> Response {
    let status = if allowed {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    };
    (
        status,
        Json(json!({"allowed": allowed, "reason": reason, "version": version})),
    )
        .into_response()
}

async fn health(State(app): State<App>) -> Json<Value> {
    Json(json!({"version": app.engine.version()}))
}

async fn open_call(
    State(app): State<App>,
    Path(call): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let user = caller(&headers)?;
    let snap = snapshot(&app, &headers).await?;
    let d = snap.calls().explain(user.as_str(), call.as_str());
    Ok(decided(d.allowed, d.reason.to_string(), snap.version()))
}

fn domain(name: &str) -> Result<Domain, Failure> {
    Domain::ALL
        .into_iter()
        .find(|d| d.field() == name || d.field().strip_suffix("Access") == Some(name))
        .ok_or_else(|| bad_request("domain", format!("unknown domain {name:?}")))
}

async fn user_data(
    State(app): State<App>,
    Path((owner, domain_name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let user = caller(&headers)?;
    let d = domain(&domain_name)?;
    let snap = snapshot(&app, &headers).await?;
    let decision = snap.explain(user.as_str(), d, owner.as_str());
    Ok(decided(
        decision.allowed,
        decision.reason.to_string(),
        snap.version(),
    ))
}

async fn item_verb(
    State(app): State<App>,
    Path((item, verb)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let user = caller(&headers)?;
    let verb =
        Verb::parse(&verb).ok_or_else(|| bad_request("verb", format!("unknown verb {verb:?}")))?;
    let snap = snapshot(&app, &headers).await?;
    let d = snap.items().explain(user.as_str(), item.as_str(), verb);
    Ok(decided(d.allowed, d.reason.to_string(), snap.version()))
}

/// `?division=` of the permission route.
#[derive(Deserialize)]
struct DivisionQuery {
    division: Option<String>,
}

async fn permission(
    State(app): State<App>,
    Path(permission): Path<String>,
    Query(q): Query<DivisionQuery>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let user = caller(&headers)?;
    let snap = snapshot(&app, &headers).await?;
    let rbac = snap.rbac();
    let d = match &q.division {
        Some(div) => {
            rbac.explain_permission_on(user.as_str(), permission.as_str(), div.as_str(), &[])
        }
        None => rbac.explain_permission(user.as_str(), permission.as_str()),
    };
    Ok(decided(d.allowed, d.reason.to_string(), snap.version()))
}

async fn network_permission(
    State(app): State<App>,
    Path((network, permission)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let user = caller(&headers)?;
    let snap = snapshot(&app, &headers).await?;
    let d =
        snap.networks()
            .explain_permission(user.as_str(), network.as_str(), permission.as_str());
    Ok(decided(d.allowed, d.reason.to_string(), snap.version()))
}

/// `?limit=&offset=` of the listing routes.
#[derive(Deserialize)]
struct PageQuery {
    limit: Option<usize>,
    #[serde(default)]
    offset: usize,
}

/// Default and largest page.
const PAGE: usize = 100;

fn page<'a>(
    ids: impl Iterator<Item = &'a str>,
    count: u64,
    q: &PageQuery,
    version: u64,
) -> Json<Value> {
    let limit = q.limit.unwrap_or(PAGE).min(PAGE);
    let ids: Vec<&str> = ids.skip(q.offset).take(limit).collect();
    let next = (q.offset + ids.len() < count as usize).then_some(q.offset + ids.len());
    Json(
        json!({"count": count, "offset": q.offset, "ids": ids, "nextOffset": next, "version": version}),
    )
}

async fn call_viewers(
    State(app): State<App>,
    Path(call): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    let snap = snapshot(&app, &headers).await?;
    let who = snap.calls().who_can_open(call.as_str());
    Ok(page(who.external_ids(), who.len(), &q, snap.version()))
}

async fn visible_calls(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    let user = caller(&headers)?;
    let snap = snapshot(&app, &headers).await?;
    let calls = snap.calls().visible(user.as_str());
    Ok(page(calls.external_ids(), calls.len(), &q, snap.version()))
}

async fn apply_changes(State(app): State<App>, body: String) -> Result<Json<Value>, Failure> {
    let changes = parse_changes(&body)?;
    let engine = Arc::clone(&app.engine);
    // Applying compiles and may sync a log: keep it off the async workers.
    let token = blocking(move || engine.apply(&changes)).await?;
    Ok(Json(
        json!({"version": token.version(), "token": token.to_string()}),
    ))
}

/// What-if: the change set compiled on a draft and compared with the current snapshot;
/// nothing is applied.
async fn preview_changes(State(app): State<App>, body: String) -> Result<Json<Value>, Failure> {
    let changes = parse_changes(&body)?;
    let engine = Arc::clone(&app.engine);
    let impact = blocking(move || engine.preview(&changes)).await?;
    let summary: Vec<Value> = impact
        .summary()
        .iter()
        .map(|l| json!({"kind": l.kind, "subject": l.subject, "gained": l.gained, "lost": l.lost}))
        .collect();
    let mut answer = impact.to_value();
    if let Value::Object(map) = &mut answer {
        map.insert("summary".into(), Value::from(summary));
    }
    Ok(Json(answer))
}

/// A change set read strictly: 400 with the path of the first error.
fn parse_changes(body: &str) -> Result<ChangeSet, Failure> {
    ChangeSet::from_json(body).map_err(|e| {
        Failure(
            StatusCode::BAD_REQUEST,
            json!({"error": {"path": e.path(), "code": e.kind().code(), "message": e.to_string()}}),
        )
    })
}

/// Runs an engine call off the async workers; its error mapped to a status by class.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, orgperm::EngineError> + Send + 'static,
) -> Result<T, Failure> {
    let done = tokio::task::spawn_blocking(work).await.map_err(|e| {
        Failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": {"message": e.to_string()}}),
        )
    })?;
    done.map_err(|e| {
        let status = match e.kind().class() {
            ErrorClass::NotFound => StatusCode::NOT_FOUND,
            ErrorClass::Conflict => StatusCode::CONFLICT,
            ErrorClass::Invalid => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Failure(
            status,
            json!({"error": {"path": e.path(), "code": e.kind().code(), "message": e.to_string()}}),
        )
    })
}

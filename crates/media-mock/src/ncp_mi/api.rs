//! The Media Intelligence API itself: in-memory state and one dispatcher for every route of
//! ncp-mi.md §2 (current, deprecated and MAIU-era).
//!
//! Jobs advance on polls: an analysis or summary reports `WAIT_*` on the first status poll,
//! the running state on the second and its end on the third; a search reports `RUNNING`
//! once, then `COMPLETED`. An asset whose `fileName` contains `corrupt` fails its analysis,
//! and a text query containing `fail` fails its search.

use std::collections::{BTreeMap, HashMap};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

use super::{PREFIX, SEED_ASSETS, SEED_PROJECT};
use crate::credentials;
use crate::json::{self, StoredJson};
use crate::record::{decode_form, first};
use crate::server::{RawTarget, Shared, lock};

const INVALID_REQUEST: &str = "Invalid Request.";
const MAX_BODY_BYTES: usize = 1 << 20;
const BASE_PROJECT: u64 = 1200;
const SEED_TIME: &str = "2025-04-23T16:00:00";
const NOW: &str = "2026-03-02T10:11:12";
const USER: &str = "mock-user";

/// Signing keys, workspaces → projects → assets (ordered by id), persons, jobs, searches
/// and uploaded objects.
#[derive(Debug)]
pub(crate) struct Store {
    pub(super) secret_keys: HashMap<String, String>,
    workspaces: BTreeMap<String, Workspace>,
    searches: HashMap<String, SearchJob>,
    /// Presigned upload keys → uploaded size (`None` until PUT).
    pub(super) uploads: HashMap<String, Option<u64>>,
    /// Upload keys confirmed with `…/uploads/complete`.
    confirmed: Vec<String>,
    /// Object Storage: (bucket, key) → size.
    pub(super) objects: BTreeMap<(String, String), u64>,
    next_id: u64,
}

#[derive(Debug, Default)]
struct Workspace {
    meta: Map<String, Value>,
    projects: BTreeMap<u64, Project>,
    persons: BTreeMap<u64, Map<String, Value>>,
    analyses: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Project {
    meta: Map<String, Value>,
    pub(super) assets: BTreeMap<u64, StoredJson>,
    jobs: HashMap<u64, AssetJobs>,
}

#[derive(Debug, Default)]
struct AssetJobs {
    index: Job,
    index_doc: Option<Value>,
    summary: Job,
    summary_doc: Option<Value>,
    summary_id: u64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum JobState {
    #[default]
    Before,
    Waiting,
    Running,
    Completed,
    Failed,
    Cancelled,
}

#[derive(Debug, Default)]
struct Job {
    state: JobState,
    fail: Option<String>,
}

impl Job {
    fn is_active(&self) -> bool {
        matches!(self.state, JobState::Waiting | JobState::Running)
    }

    /// Reports the current state, then moves one step on.
    fn poll(&mut self) -> JobState {
        let seen = self.state;
        self.state = match seen {
            JobState::Waiting => JobState::Running,
            JobState::Running if self.fail.is_some() => JobState::Failed,
            JobState::Running => JobState::Completed,
            other => other,
        };
        seen
    }
}

fn index_status(state: JobState) -> &'static str {
    match state {
        JobState::Before => "BEFORE_ANALYZE",
        JobState::Waiting => "WAIT_ANALYZE",
        JobState::Running => "ANALYZING",
        JobState::Completed => "ANALYZE_COMPLETED",
        JobState::Failed => "ANALYZE_FAIL",
        JobState::Cancelled => "ANALYZE_CANCEL",
    }
}

fn summary_status(state: JobState) -> &'static str {
    match state {
        JobState::Before => "BEFORE_SUMMARIZE",
        JobState::Waiting => "WAIT_SUMMARIZE",
        JobState::Running => "SUMMARIZING",
        JobState::Completed => "SUMMARIZE_COMPLETED",
        JobState::Failed => "SUMMARIZE_FAIL",
        JobState::Cancelled => "SUMMARIZE_CANCELED",
    }
}

#[derive(Debug)]
struct SearchJob {
    workspace: Option<String>,
    polls: u32,
    fail: bool,
    hits: Vec<Value>,
}

/// A finished answer: status and body.
type Answer = Result<(StatusCode, String), (StatusCode, String)>;

// Every route arm returns an `Answer`; the success helpers share that shape.
#[allow(clippy::unnecessary_wraps, clippy::needless_pass_by_value)]
fn ok(result: Value) -> Answer {
    Ok((
        StatusCode::OK,
        json!({"code": "0", "message": "success", "result": result}).to_string(),
    ))
}

// Every route arm returns an `Answer`; the success helpers share that shape.
#[allow(clippy::unnecessary_wraps, clippy::needless_pass_by_value)]
fn ok_text(result: &str) -> Answer {
    Ok((
        StatusCode::OK,
        format!(r#"{{"code":"0","message":"success","result":{result}}}"#),
    ))
}

// Every route arm returns an `Answer`; the success helpers share that shape.
#[allow(clippy::unnecessary_wraps, clippy::needless_pass_by_value)]
fn ok_empty() -> Answer {
    Ok((
        StatusCode::OK,
        r#"{"code":"0","message":"success"}"#.to_owned(),
    ))
}

fn fail(status: StatusCode, code: &str, message: &str) -> (StatusCode, String) {
    (
        status,
        json!({"code": code, "message": message}).to_string(),
    )
}

fn invalid() -> (StatusCode, String) {
    fail(StatusCode::BAD_REQUEST, "10001", INVALID_REQUEST)
}

/// The 409 of a job that is running, or not cancellable; wrapped in `responseError`, the
/// other error shape the docs define.
fn conflict(message: &str) -> (StatusCode, String) {
    (
        StatusCode::CONFLICT,
        json!({"responseError": {"code": "409", "message": message}}).to_string(),
    )
}

fn not_found(message: &str) -> (StatusCode, String) {
    fail(StatusCode::NOT_FOUND, "404", message)
}

fn base_project() -> (StatusCode, String) {
    fail(
        StatusCode::BAD_REQUEST,
        "10027",
        "The base project cannot be modified or deleted.",
    )
}

fn forbidden_text(text: &str) -> bool {
    text.trim().is_empty() || text.contains([';', '|', '`'])
}

fn id_of(segment: &str) -> Result<u64, (StatusCode, String)> {
    segment.parse().map_err(|_| invalid())
}

fn format_of(name: &str) -> String {
    name.rsplit_once('.')
        .map_or("mp4", |(_, ext)| ext)
        .to_ascii_lowercase()
}

fn workspace_json(name: &str, bucket: Option<&str>) -> Map<String, Value> {
    let mut meta = Map::new();
    meta.insert("workspaceName".into(), json!(name));
    meta.insert(
        "workspaceUrl".into(),
        json!(format!(
            "https://mi.apigw.ntruss.com/api/v1/workspaces/{name}"
        )),
    );
    meta.insert("bucketName".into(), json!(bucket));
    meta.insert("createdUserName".into(), json!(USER));
    meta.insert("createdTime".into(), json!(NOW));
    meta.insert("updatedUserName".into(), json!(USER));
    meta.insert("updatedTime".into(), json!(NOW));
    meta
}

fn project_json(id: u64, name: &str, base: bool) -> Map<String, Value> {
    let value = json!({
        "projectId": id,
        "name": name,
        "isBaseProject": base,
        "createdUserName": USER,
        "createdTime": SEED_TIME,
        "updatedUserName": USER,
        "updatedTime": SEED_TIME,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn thumbnail(id: u64, primary: bool) -> Value {
    json!({
        "id": id,
        "url": format!("https://kr.object.ncloudstorage.com/mi-thumbnails/{id}.jpg?X-Amz-Expires=3600"),
        "isPrimaryThumbnail": primary,
    })
}

fn tag(id: u64) -> Value {
    let name = match id {
        101 => "host".to_owned(),
        203 => "guest".to_owned(),
        other => format!("tag-{other}"),
    };
    json!({"id": id, "name": name})
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Store {
    pub(crate) fn seeded() -> Self {
        let mut store = Store {
            secret_keys: HashMap::new(),
            workspaces: BTreeMap::new(),
            searches: HashMap::new(),
            uploads: HashMap::new(),
            confirmed: Vec::new(),
            objects: BTreeMap::new(),
            next_id: 5000,
        };
        store.secret_keys.insert(
            credentials::NCP_ACCESS_KEY.to_owned(),
            credentials::NCP_SECRET_KEY.to_owned(),
        );
        for asset in SEED_ASSETS {
            store.insert_asset(
                credentials::NCP_WORKSPACE,
                SEED_PROJECT,
                StoredJson::from_fixture(asset),
            );
        }
        let workspace = store.workspace_entry(credentials::NCP_WORKSPACE);
        workspace.meta = workspace_json(credentials::NCP_WORKSPACE, Some("media-in"));
        workspace.projects.entry(BASE_PROJECT).or_default().meta =
            project_json(BASE_PROJECT, "Base project", true);
        if let Some(project) = workspace.projects.get_mut(&SEED_PROJECT) {
            project.meta = project_json(SEED_PROJECT, "sample-project", false);
        }
        let persons = [
            json!({"personId": 1001, "name": "Jane Roe", "description": "host of episode 3",
                "tags": [tag(101)], "thumbnails": [thumbnail(3001, true)], "assetCount": 2, "sceneCount": 14,
                "createdTime": SEED_TIME, "updatedTime": SEED_TIME}),
            json!({"personId": 1002, "name": null, "description": null,
                "tags": [], "thumbnails": [thumbnail(3002, true)], "assetCount": 1, "sceneCount": 3,
                "createdTime": SEED_TIME, "updatedTime": SEED_TIME}),
            json!({"personId": 1003, "name": "홍길동", "description": null,
                "tags": [tag(203)], "thumbnails": [thumbnail(3003, true), thumbnail(3004, false)],
                "assetCount": 0, "sceneCount": 0, "createdTime": SEED_TIME, "updatedTime": SEED_TIME}),
        ];
        for person in persons {
            let id = person["personId"].as_u64().unwrap_or_default();
            workspace.persons.insert(id, object(person));
        }
        // The catalog's example thumbnail key, as if uploaded and confirmed.
        store
            .uploads
            .insert("persons/thumbnails/jane.jpg".into(), Some(48_000));
        store.confirmed.push("persons/thumbnails/jane.jpg".into());
        store
    }

    fn workspace_entry(&mut self, name: &str) -> &mut Workspace {
        self.workspaces.entry(name.to_owned()).or_insert_with(|| {
            let mut workspace = Workspace {
                meta: workspace_json(name, None),
                ..Workspace::default()
            };
            workspace.projects.insert(
                BASE_PROJECT,
                Project {
                    meta: project_json(BASE_PROJECT, "Base project", true),
                    ..Project::default()
                },
            );
            workspace
        })
    }

    pub(crate) fn seed_asset(&mut self, workspace: &str, project_id: u64, asset: Value) {
        self.insert_asset(workspace, project_id, StoredJson::from_value(asset));
    }

    fn insert_asset(&mut self, workspace: &str, project_id: u64, asset: StoredJson) {
        let Some(asset_id) = asset.key("assetId").and_then(|id| id.parse().ok()) else {
            panic!("media-mock: an NCP asset needs an integer \"assetId\"");
        };
        let project = self
            .workspace_entry(workspace)
            .projects
            .entry(project_id)
            .or_insert_with(|| Project {
                meta: project_json(project_id, &format!("project-{project_id}"), false),
                ..Project::default()
            });
        project.assets.insert(asset_id, asset);
    }

    #[cfg(test)]
    pub(crate) fn project(&self, workspace: &str, project_id: &str) -> Option<&Project> {
        let project_id: u64 = project_id.parse().ok()?;
        self.workspaces.get(workspace)?.projects.get(&project_id)
    }

    fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn ws(&mut self, name: &str) -> Result<&mut Workspace, (StatusCode, String)> {
        self.workspaces.get_mut(name).ok_or_else(invalid)
    }

    fn proj(&mut self, ws: &str, project: &str) -> Result<&mut Project, (StatusCode, String)> {
        let id = id_of(project)?;
        self.ws(ws)?.projects.get_mut(&id).ok_or_else(invalid)
    }

    /// The asset's JSON and its jobs.
    fn asset(
        &mut self,
        ws: &str,
        project: &str,
        asset: &str,
    ) -> Result<(StoredJson, &mut AssetJobs), (StatusCode, String)> {
        let id = id_of(asset)?;
        let project = self.proj(ws, project)?;
        let json = project.assets.get(&id).cloned().ok_or_else(invalid)?;
        Ok((json, project.jobs.entry(id).or_default()))
    }
}

/// Everything a route needs from the request.
struct Call<'a> {
    method: &'a Method,
    query: Vec<(String, String)>,
    body: Value,
    origin: String,
}

impl Call<'_> {
    fn query(&self, name: &str) -> Option<&str> {
        first(&self.query, name)
    }

    /// A `pageNum`/`pageSize` pair from the query: `(page, size)`.
    fn paging(
        &self,
        required: bool,
        default: usize,
        max: usize,
    ) -> Result<(usize, usize), (StatusCode, String)> {
        let page = match self.query("pageNum") {
            None if !required => 1,
            None => return Err(invalid()),
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(invalid)?,
        };
        let size = match self.query("pageSize") {
            None => default,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(invalid)?,
        };
        Ok((page, size))
    }

    fn str(&self, name: &str) -> Option<&str> {
        self.body.get(name)?.as_str()
    }

    fn ids(&self, name: &str) -> Result<Vec<u64>, (StatusCode, String)> {
        let Some(Value::Array(items)) = self.body.get(name) else {
            return Err(invalid());
        };
        items
            .iter()
            .map(|item| item.as_u64().ok_or_else(invalid))
            .collect()
    }
}

fn page_of(items: Vec<Value>, page: usize, size: usize) -> Value {
    let total = items.len();
    let content: Vec<Value> = items
        .into_iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .collect();
    json!({
        "content": content,
        "totalCount": total,
        "totalPage": total.div_ceil(size),
        "pageNo": page,
        "pageSize": size,
    })
}

/// Serves every Media Intelligence route below [`PREFIX`].
pub(super) async fn dispatch(State(store): State<Shared<Store>>, request: Request) -> Response {
    let target = RawTarget::from_request(&request);
    let origin = request
        .headers()
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .map_or_else(
            || "http://127.0.0.1".to_owned(),
            |host| format!("http://{host}"),
        );
    let method = request.method().clone();
    let query = decode_form(request.uri().query().unwrap_or_default());
    let Ok(bytes) = to_bytes(request.into_body(), MAX_BODY_BYTES).await else {
        return json::response(StatusCode::PAYLOAD_TOO_LARGE, invalid().1);
    };
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(value) => value,
            Err(_) => return json::response(StatusCode::BAD_REQUEST, invalid().1),
        }
    };
    let path = target.path.strip_prefix(PREFIX).unwrap_or(&target.path);
    let segments: Vec<String> = path
        .split('/')
        .skip(1)
        .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let call = Call {
        method: &method,
        query,
        body,
        origin,
    };
    let answer = route(&mut lock(&store), &call, &segments);
    let (status, body) = match answer {
        Ok(done) | Err(done) => done,
    };
    json::response(status, body)
}

fn route(store: &mut Store, call: &Call<'_>, segments: &[&str]) -> Answer {
    let m = call.method.as_str();
    match segments {
        ["workspaces"] => match m {
            "GET" => list_workspaces(store, call),
            "POST" => create_workspace(store, call),
            _ => Err(invalid()),
        },
        ["workspaces", ws] => match m {
            "GET" => {
                let workspace = store.ws(ws)?;
                let mut meta = workspace.meta.clone();
                meta.insert("monthlyAnalysisCount".into(), json!(workspace.analyses));
                ok(Value::Object(meta))
            }
            "DELETE" => delete_workspace(store, ws),
            _ => Err(invalid()),
        },
        ["workspaces", ws, "projects"] => projects(store, call, ws),
        ["workspaces", ws, "projects", project] => project_route(store, call, ws, project),
        [
            "workspaces",
            ws,
            "projects",
            project,
            "assets" | "video-assets",
        ] if m == "GET" => list_assets(store, call, ws, project, segments[4] == "video-assets"),
        [
            "workspaces",
            ws,
            "projects",
            project,
            kind @ ("assets" | "video-assets"),
            "import",
            "object-storage",
        ] if m == "POST" => register_asset(store, call, ws, project, *kind == "video-assets"),
        [
            "workspaces",
            ws,
            "projects",
            project,
            "assets" | "video-assets",
            asset,
        ] if m == "DELETE" => {
            let id = id_of(asset)?;
            let project = store.proj(ws, project)?;
            project.assets.remove(&id).ok_or_else(invalid)?;
            project.jobs.remove(&id);
            ok_empty()
        }
        [
            "workspaces",
            ws,
            "projects",
            project,
            "assets",
            asset,
            rest @ ..,
        ] => asset_routes(store, call, ws, project, asset, rest),
        [
            "workspaces",
            ws,
            "projects",
            project,
            "video-assets",
            asset,
            "analyze",
        ] if m == "POST" => request_index(store, call, ws, project, asset),
        ["query-assets", "uploads", step] if m == "POST" => {
            let (key_field, file_field) = ("assetKey", "assetFileName");
            upload_step(store, call, step, key_field, file_field, "images")
        }
        ["workspaces", ws, "person-thumbnail", "uploads", step] if m == "POST" => {
            store.ws(ws)?;
            upload_step(
                store,
                call,
                step,
                "thumbnailKey",
                "thumbnailFileName",
                "persons/thumbnails",
            )
        }
        ["workspaces", ws, "assets", "search"] if m == "POST" => {
            store.ws(ws)?;
            start_search(store, call, Some(ws))
        }
        ["scene-search"] if m == "POST" => start_search(store, call, None),
        ["workspaces", ws, "assets", "search", search_id]
        | ["workspaces", ws, "scene-search", search_id]
            if m == "GET" =>
        {
            search_result(store, call, ws, search_id)
        }
        ["workspaces", ws, "persons", rest @ ..] => persons_routes(store, call, ws, rest),
        _ => Err(invalid()),
    }
}

fn list_workspaces(store: &Store, call: &Call<'_>) -> Answer {
    let (page, size) = call.paging(true, 1000, 1000)?;
    let items = store
        .workspaces
        .values()
        .map(|w| Value::Object(w.meta.clone()))
        .collect();
    ok(page_of(items, page, size))
}

fn create_workspace(store: &mut Store, call: &Call<'_>) -> Answer {
    let name = call.str("workspaceName").ok_or_else(invalid)?.to_owned();
    let valid = (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid || store.workspaces.contains_key(&name) {
        return Err(invalid());
    }
    let bucket = call.str("bucketName").map(str::to_owned);
    let workspace = store.workspace_entry(&name);
    workspace.meta = workspace_json(&name, bucket.as_deref());
    let mut created = workspace.meta.clone();
    created.remove("workspaceUrl");
    created.remove("bucketName");
    ok(Value::Object(created))
}

fn delete_workspace(store: &mut Store, ws: &str) -> Answer {
    let workspace = store.ws(ws)?;
    let running = workspace
        .projects
        .values()
        .flat_map(|p| p.jobs.values())
        .any(|jobs| jobs.index.is_active() || jobs.summary.is_active());
    if running {
        return Err(conflict("An analysis is running in this workspace."));
    }
    store.workspaces.remove(ws);
    ok(json!({"workspaceName": ws}))
}

fn projects(store: &mut Store, call: &Call<'_>, ws: &str) -> Answer {
    match call.method.as_str() {
        "GET" => {
            let workspace = store.ws(ws)?;
            let projects: Vec<Value> = workspace
                .projects
                .values()
                .map(|p| Value::Object(p.meta.clone()))
                .collect();
            ok(json!({"projects": projects, "totalCount": projects.len()}))
        }
        "POST" => {
            let name = call.str("name").ok_or_else(invalid)?.to_owned();
            let id = store.next();
            let workspace = store.ws(ws)?;
            let taken = workspace
                .projects
                .values()
                .any(|p| p.meta.get("name").and_then(Value::as_str) == Some(&name));
            if forbidden_text(&name) || taken || workspace.projects.len() >= 1000 {
                return Err(invalid());
            }
            let meta = project_json(id, &name, false);
            workspace.projects.insert(
                id,
                Project {
                    meta: meta.clone(),
                    ..Project::default()
                },
            );
            ok(Value::Object(meta))
        }
        _ => Err(invalid()),
    }
}

fn project_route(store: &mut Store, call: &Call<'_>, ws: &str, project_id: &str) -> Answer {
    let id = id_of(project_id)?;
    let project = store.proj(ws, project_id)?;
    let is_base = project.meta.get("isBaseProject") == Some(&Value::Bool(true));
    match call.method.as_str() {
        "GET" => ok(Value::Object(project.meta.clone())),
        "PATCH" => {
            let name = call.str("name").ok_or_else(invalid)?;
            if forbidden_text(name) {
                return Err(invalid());
            }
            if is_base {
                return Err(base_project());
            }
            project.meta.insert("name".into(), json!(name));
            project.meta.insert("updatedTime".into(), json!(NOW));
            ok(Value::Object(project.meta.clone()))
        }
        "DELETE" => {
            if is_base {
                return Err(base_project());
            }
            store.ws(ws)?.projects.remove(&id);
            ok_empty()
        }
        _ => Err(invalid()),
    }
}

fn list_assets(store: &mut Store, call: &Call<'_>, ws: &str, project: &str, video: bool) -> Answer {
    let (page, size) = call.paging(true, 1000, 1000)?;
    let project = store.proj(ws, project)?;
    let total = project.assets.len();
    let items = project
        .assets
        .values()
        .skip((page - 1).saturating_mul(size))
        .take(size);
    let content = if video {
        // The MAIU-era list named the id `videoId`.
        let renamed: Vec<String> = items
            .map(|asset| {
                let mut value = asset.value.clone();
                if let Some(map) = value.as_object_mut()
                    && let Some(id) = map.remove("assetId")
                {
                    map.insert("videoId".into(), id);
                }
                value.to_string()
            })
            .collect();
        json::array(renamed.iter().map(String::as_str))
    } else {
        json::array(items.map(|asset| asset.text.as_str()))
    };
    let total_page = total.div_ceil(size);
    ok_text(&format!(
        r#"{{"content":{content},"totalCount":{total},"totalPage":{total_page},"pageNo":{page},"pageSize":{size}}}"#
    ))
}

fn register_asset(
    store: &mut Store,
    call: &Call<'_>,
    ws: &str,
    project_id: &str,
    video: bool,
) -> Answer {
    let key = call.str("key").ok_or_else(invalid)?.to_owned();
    let bucket = call.str("bucketName").ok_or_else(invalid)?.to_owned();
    if key.ends_with('/') {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            "10016",
            "Select the bucket to integrate (folder selection not available).",
        ));
    }
    if key.trim().is_empty() || bucket.trim().is_empty() {
        return Err(invalid());
    }
    let size = store
        .objects
        .get(&(bucket.clone(), key.clone()))
        .copied()
        .unwrap_or(48_211_022);
    let id = store.next();
    let project_num = id_of(project_id)?;
    let project = store.proj(ws, project_id)?;
    let file_name = key.rsplit('/').next().unwrap_or(&key).to_owned();
    let format = format_of(&file_name);
    let is_video = matches!(format.as_str(), "mp4" | "mkv" | "mov" | "webm");
    let mut asset = json!({
        "assetId": id,
        "fileName": file_name,
        "projectId": project_num,
        "metaData": {
            "resolution": "1280x720",
            "durationMs": if is_video { json!(60_000) } else { Value::Null },
            "size": size,
            "format": format,
        },
        "key": key,
        "createUserName": USER,
        "createdTime": NOW,
        "updateUserName": USER,
        "updatedTime": NOW,
    });
    project
        .assets
        .insert(id, StoredJson::from_value(asset.clone()));
    if video && let Some(map) = asset.as_object_mut() {
        map.remove("assetId");
        map.insert("videoId".into(), json!(id));
    }
    ok(asset)
}

fn request_index(
    store: &mut Store,
    call: &Call<'_>,
    ws: &str,
    project: &str,
    asset: &str,
) -> Answer {
    let body = &call.body;
    let has_custom =
        body.get("minSceneDurationSec").is_some() || body.get("maxSceneDurationSec").is_some();
    let both_custom =
        body.get("minSceneDurationSec").is_some() && body.get("maxSceneDurationSec").is_some();
    let persons_ok = body
        .get("analysisPersonCount")
        .is_none_or(|n| n.as_u64().is_some_and(|n| n <= 10));
    let tags_ok = body
        .get("tagIdList")
        .is_none_or(|t| t.as_array().is_some_and(|t| (1..=30).contains(&t.len())));
    if (has_custom && (!both_custom || body.get("sceneRange").is_some())) || !persons_ok || !tags_ok
    {
        return Err(invalid());
    }
    let (json, jobs) = store.asset(ws, project, asset)?;
    if jobs.index.is_active() {
        return Err(conflict(
            "An analysis is already in progress for this asset.",
        ));
    }
    let corrupt = json
        .str("fileName")
        .is_some_and(|name| name.contains("corrupt"));
    jobs.index = Job {
        state: JobState::Waiting,
        fail: corrupt.then(|| "The media file could not be decoded.".to_owned()),
    };
    if let Ok(workspace) = store.ws(ws) {
        workspace.analyses += 1;
    }
    ok(json!({"status": "WAIT_ANALYZE"}))
}

fn index_doc(asset: &StoredJson, index_id: u64, confidence: &str) -> Value {
    let video = asset
        .value
        .pointer("/metaData/durationMs")
        .is_some_and(Value::is_number);
    json!({
        "indexId": index_id,
        "assetId": asset.value.get("assetId"),
        "type": if video { "VIDEO" } else { "IMAGE" },
        "confidenceLevel": confidence,
        "scenes": [
            {"sceneId": 1, "startTime": 0.0, "endTime": 12.5, "keywords": ["stage", "people"]},
            {"sceneId": 2, "startTime": 12.5, "endTime": 30.0, "keywords": ["handshake"]},
        ],
        "persons": [{"personId": 1001, "name": "Jane Roe"}],
        "script": [{"speaker": "A", "startTime": 1.0, "endTime": 3.5, "text": "Welcome."}],
    })
}

fn index_status_body(jobs: &mut AssetJobs, asset: &StoredJson, old_field: bool) -> Value {
    let state = jobs.index.poll();
    if state == JobState::Completed && jobs.index_doc.is_none() {
        let index_id = 9000
            + asset
                .key("assetId")
                .and_then(|id| id.parse::<u64>().ok())
                .unwrap_or(0);
        jobs.index_doc = Some(index_doc(asset, index_id, "MEDIUM"));
    }
    let message = (state == JobState::Failed)
        .then(|| jobs.index.fail.clone())
        .flatten();
    let index_id = jobs
        .index_doc
        .as_ref()
        .and_then(|doc| doc.get("indexId").cloned());
    let field = if old_field {
        "analysisStatusMessage"
    } else {
        "analyzeStatusMessage"
    };
    let mut body = json!({"status": index_status(state)});
    if let Some(map) = body.as_object_mut() {
        map.insert(field.into(), json!(message));
        map.insert("indexId".into(), index_id.unwrap_or(Value::Null));
    }
    body
}

fn summary_request(jobs: &mut AssetJobs, call: &Call<'_>) -> Result<(), (StatusCode, String)> {
    if jobs.index_doc.is_none() {
        return Err(invalid());
    }
    if jobs.summary.is_active() {
        return Err(conflict(
            "A scene summary is already in progress for this asset.",
        ));
    }
    let partial = call.body.get("sceneIds").is_some();
    if partial && jobs.summary_doc.is_none() {
        // A partial run only after a full run finished.
        return Err(invalid());
    }
    jobs.summary = Job {
        state: JobState::Waiting,
        fail: None,
    };
    jobs.summary_id += 1;
    Ok(())
}

fn summary_status_body(jobs: &mut AssetJobs) -> Value {
    let state = jobs.summary.poll();
    if state == JobState::Completed && jobs.summary_doc.is_none() {
        let index_id = jobs
            .index_doc
            .as_ref()
            .and_then(|doc| doc.get("indexId").cloned());
        jobs.summary_doc = Some(json!({
            "indexId": index_id,
            "sceneSummaryInfo": {
                "lastAnalyzedAt": NOW,
                "sceneSummaries": [
                    {"sceneId": 1, "summary": "Two people walk onto a stage."},
                    {"sceneId": 2, "summary": "They shake hands as the audience applauds."},
                ],
            },
        }));
    }
    json!({"status": summary_status(state), "sceneSummaryId": jobs.summary_id})
}

fn cancel(job: &mut Job, what: &str) -> Answer {
    if !job.is_active() {
        return Err(conflict(&format!("The {what} is not waiting or running.")));
    }
    job.state = JobState::Cancelled;
    ok_empty()
}

fn asset_routes(
    store: &mut Store,
    call: &Call<'_>,
    ws: &str,
    project: &str,
    asset: &str,
    rest: &[&str],
) -> Answer {
    let m = call.method.as_str();
    if matches!((m, rest), ("POST", ["index" | "analyze"])) {
        return request_index(store, call, ws, project, asset);
    }
    let (json, jobs) = store.asset(ws, project, asset)?;
    match (m, rest) {
        ("GET", ["index", "status"]) => ok(index_status_body(jobs, &json, false)),
        ("GET", ["analyze-status"]) => ok(index_status_body(jobs, &json, true)),
        ("POST", ["index", "cancel"]) | ("DELETE", ["analyze"]) => {
            cancel(&mut jobs.index, "analysis")
        }
        ("GET", ["index"]) => {
            let confidence = call.query("confidence_level").unwrap_or("MEDIUM");
            if !matches!(confidence, "LOW" | "MEDIUM" | "HIGH") {
                return Err(invalid());
            }
            let doc = jobs
                .index_doc
                .as_ref()
                .ok_or_else(|| not_found("No completed index for this asset."))?;
            let mut doc = doc.clone();
            doc["confidenceLevel"] = json!(confidence);
            ok(doc)
        }
        ("DELETE", ["index"]) => {
            if jobs.index_doc.take().is_none() {
                return Err(not_found("No completed index for this asset."));
            }
            jobs.summary_doc = None;
            ok_empty()
        }
        ("GET", ["indexes"]) => {
            let indexes: Vec<Value> = jobs
                .index_doc
                .iter()
                .map(|doc| {
                    json!({
                        "indexId": doc["indexId"],
                        "type": doc["type"],
                        "createdTime": NOW,
                        "createdUserName": USER,
                        "updatedTime": NOW,
                        "updatedUserName": USER,
                        "analysisSetting": {"analysisEngine": "Sinossi v1.0", "sceneRange": "MEDIUM"},
                    })
                })
                .collect();
            ok(json!({"indexes": indexes, "totalCount": indexes.len()}))
        }
        ("GET", ["indexes", index_id]) => {
            let confidence = call.query("confidence_level").unwrap_or("MEDIUM");
            let doc = matching_index(jobs, index_id)?;
            let mut doc = doc.clone();
            doc["confidenceLevel"] = json!(confidence);
            ok(doc)
        }
        ("POST", ["scene-summary"]) => {
            summary_request(jobs, call)?;
            ok(json!({"status": "WAIT_SUMMARIZE"}))
        }
        ("POST", ["indexes", index_id, "scene-summaries"]) => {
            matching_index(jobs, index_id)?;
            summary_request(jobs, call)?;
            ok(json!({"sceneSummaryId": jobs.summary_id, "status": "WAIT_SUMMARIZE"}))
        }
        ("GET", ["scene-summary", "status"]) => ok(summary_status_body(jobs)),
        ("GET", ["indexes", index_id, "scene-summaries", summary_id, "status"]) => {
            matching_summary(jobs, index_id, summary_id)?;
            ok(summary_status_body(jobs))
        }
        ("POST", ["scene-summary", "cancel"]) => cancel(&mut jobs.summary, "scene summary"),
        ("DELETE", ["indexes", index_id, "scene-summaries", summary_id]) => {
            matching_summary(jobs, index_id, summary_id)?;
            cancel(&mut jobs.summary, "scene summary")
        }
        ("GET", ["scene-summary"]) => summary_result(jobs),
        ("GET", ["indexes", index_id, "scene-summaries"]) => {
            matching_index(jobs, index_id)?;
            summary_result(jobs)
        }
        _ => Err(invalid()),
    }
}

fn summary_result(jobs: &AssetJobs) -> Answer {
    if jobs.summary.is_active() {
        return Err(invalid());
    }
    jobs.summary_doc
        .clone()
        .map_or_else(|| Err(not_found("No scene summary for this asset.")), ok)
}

fn matching_index<'j>(
    jobs: &'j AssetJobs,
    index_id: &str,
) -> Result<&'j Value, (StatusCode, String)> {
    let id = id_of(index_id)?;
    jobs.index_doc
        .as_ref()
        .filter(|doc| doc["indexId"].as_u64() == Some(id))
        .ok_or_else(|| not_found("No such index."))
}

fn matching_summary(
    jobs: &AssetJobs,
    index_id: &str,
    summary_id: &str,
) -> Result<(), (StatusCode, String)> {
    matching_index(jobs, index_id)?;
    if id_of(summary_id)? == jobs.summary_id {
        Ok(())
    } else {
        Err(not_found("No such scene summary."))
    }
}

/// `…/uploads/presigned-url` and `…/uploads/complete` of query images and face images.
fn upload_step(
    store: &mut Store,
    call: &Call<'_>,
    step: &str,
    key_field: &str,
    file_field: &str,
    folder: &str,
) -> Answer {
    match step {
        "presigned-url" => {
            if key_field == "assetKey" && call.str("assetType") != Some("IMAGE") {
                return Err(invalid());
            }
            let file = call.str(file_field).ok_or_else(invalid)?;
            let ext = format_of(file);
            if file.trim().is_empty()
                || !matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp" | "heic")
            {
                return Err(invalid());
            }
            let id = store.next();
            let key = format!("{folder}/{id:x}/{file}");
            store.uploads.insert(key.clone(), None);
            let url = format!(
                "{}{PREFIX}{}/{key}",
                call.origin,
                super::storage::PRESIGNED_SEGMENT
            );
            if key_field == "assetKey" {
                ok(
                    json!({"assetFileKey": key, "presignedUploadUrl": url, "expirationSeconds": 900}),
                )
            } else {
                ok(json!({"thumbnailKey": key, "url": url, "expirationSeconds": 900}))
            }
        }
        "complete" => {
            let key = call.str(key_field).ok_or_else(invalid)?.to_owned();
            let (status, message) = match store.uploads.get(&key) {
                None | Some(None) => ("FAILED", Some("FILE_NOT_EXIST")),
                Some(Some(size)) if *size > 5 * 1024 * 1024 => ("FAILED", Some("OVER_SIZE_LIMIT")),
                Some(Some(_)) => ("COMPLETED", None),
            };
            if status == "COMPLETED" {
                store.confirmed.push(key);
            }
            ok(json!({"uploadStatus": status, "uploadMessage": message}))
        }
        _ => Err(invalid()),
    }
}

fn start_search(store: &mut Store, call: &Call<'_>, ws: Option<&str>) -> Answer {
    let query = call.body.get("query").ok_or_else(invalid)?;
    let text = query.get("textQuery").and_then(Value::as_str);
    let image = query.get("imageQuery").and_then(Value::as_str);
    if text.is_some() == image.is_some() || text.is_some_and(forbidden_text) {
        return Err(invalid());
    }
    if let Some(key) = image
        && !store.confirmed.iter().any(|k| k == key)
    {
        return Err(invalid());
    }
    let words: Vec<String> = text
        .unwrap_or_default()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
        .collect();
    let mut hits = Vec::new();
    for (name, workspace) in &store.workspaces {
        if ws.is_some_and(|ws| ws != name) {
            continue;
        }
        for (project_id, project) in &workspace.projects {
            for (asset_id, asset) in &project.assets {
                let file = asset.str("fileName").unwrap_or_default().to_lowercase();
                let matched = image.is_some() || words.iter().any(|w| file.contains(w.as_str()));
                if matched {
                    let index_id = project
                        .jobs
                        .get(asset_id)
                        .and_then(|jobs| jobs.index_doc.as_ref())
                        .and_then(|doc| doc.get("indexId").cloned());
                    hits.push(json!({
                        "assetId": asset_id,
                        "projectId": project_id,
                        "indexId": index_id,
                        "sceneId": 1,
                        "startTime": 0.0,
                        "endTime": 12.5,
                    }));
                }
            }
        }
    }
    let count = hits.len();
    for (rank, hit) in hits.iter_mut().enumerate() {
        #[allow(clippy::cast_precision_loss)] // a handful of hits
        let score = 0.99 - 0.01 * rank as f64 / count.max(1) as f64;
        hit["score"] = json!(score);
    }
    let id = store.next();
    let search_id = format!("Qx81LmZpT0aa{id}");
    store.searches.insert(
        search_id.clone(),
        SearchJob {
            workspace: ws.map(str::to_owned),
            polls: 0,
            fail: text.is_some_and(|t| t.to_lowercase().contains("fail")),
            hits,
        },
    );
    ok(json!({"searchId": search_id}))
}

fn search_result(store: &mut Store, call: &Call<'_>, ws: &str, search_id: &str) -> Answer {
    let (page, size) = call.paging(false, 50, 100)?;
    store.ws(ws)?;
    let job = store
        .searches
        .get_mut(search_id)
        .ok_or_else(|| not_found("No such search."))?;
    if job.workspace.as_deref().is_some_and(|owner| owner != ws) {
        return Err(not_found("No such search."));
    }
    job.polls += 1;
    if job.polls == 1 {
        return ok(json!({"searchId": search_id, "status": "RUNNING"}));
    }
    if job.fail {
        return ok(json!({"searchId": search_id, "status": "FAILED"}));
    }
    let mut result = page_of(job.hits.clone(), page, size);
    if let Some(map) = result.as_object_mut() {
        let hits = map.remove("content").unwrap_or(Value::Null);
        map.remove("pageSize");
        map.insert("searchId".into(), json!(search_id));
        map.insert("status".into(), json!("COMPLETED"));
        map.insert("results".into(), hits);
    }
    ok(result)
}

fn person_name_ok(name: &Value, min: usize) -> bool {
    match name {
        Value::Null => true,
        Value::String(text) => (min..=50).contains(&text.chars().count()) && !forbidden_text(text),
        _ => false,
    }
}

fn thumbnails_from(
    store: &mut Store,
    call: &Call<'_>,
    need_one_primary: bool,
) -> Result<Vec<(u64, bool)>, (StatusCode, String)> {
    let Some(Value::Array(items)) = call.body.get("thumbnails") else {
        return Err(invalid());
    };
    let primaries = items
        .iter()
        .filter(|t| t.get("isPrimaryThumbnail") == Some(&Value::Bool(true)))
        .count();
    if items.is_empty()
        || items.len() > 100
        || primaries > 1
        || (need_one_primary && primaries != 1)
    {
        return Err(invalid());
    }
    let mut out = Vec::new();
    for item in items {
        let key = item
            .get("thumbnailKey")
            .and_then(Value::as_str)
            .ok_or_else(invalid)?;
        if !store.confirmed.iter().any(|k| k == key) {
            return Err(invalid());
        }
        let primary = item.get("isPrimaryThumbnail") == Some(&Value::Bool(true));
        out.push((store.next(), primary));
    }
    Ok(out)
}

fn name_taken(workspace: &Workspace, name: &Value, except: u64) -> bool {
    name.is_string()
        && workspace
            .persons
            .iter()
            .any(|(id, p)| *id != except && p.get("name") == Some(name))
}

fn person_mut<'w>(
    workspace: &'w mut Workspace,
    id: &str,
) -> Result<&'w mut Map<String, Value>, (StatusCode, String)> {
    let id = id_of(id)?;
    workspace
        .persons
        .get_mut(&id)
        .ok_or_else(|| not_found("No such person."))
}

fn list_of<'p>(person: &'p mut Map<String, Value>, field: &str) -> &'p mut Vec<Value> {
    let entry = person.entry(field.to_owned()).or_insert_with(|| json!([]));
    if !entry.is_array() {
        *entry = json!([]);
    }
    match entry {
        Value::Array(items) => items,
        _ => unreachable!("replaced by an array above"),
    }
}

fn persons_routes(store: &mut Store, call: &Call<'_>, ws: &str, rest: &[&str]) -> Answer {
    let m = call.method.as_str();
    match (m, rest) {
        ("POST", []) => {
            let name = call.body.get("name").cloned().unwrap_or(Value::Null);
            let description = call.body.get("description").cloned().unwrap_or(Value::Null);
            let description_ok = description
                .as_str()
                .is_none_or(|d| (1..=700).contains(&d.chars().count()));
            if !person_name_ok(&name, 1) || !description_ok {
                return Err(invalid());
            }
            store.ws(ws)?;
            let thumbnails = thumbnails_from(store, call, true)?;
            let id = store.next();
            let workspace = store.ws(ws)?;
            if name_taken(workspace, &name, id) {
                return Err(invalid());
            }
            let person = json!({
                "personId": id,
                "name": name,
                "description": description,
                "tags": [],
                "thumbnails": thumbnails.iter().map(|(t, p)| thumbnail(*t, *p)).collect::<Vec<_>>(),
                "assetCount": 0,
                "sceneCount": 0,
                "createdTime": NOW,
                "updatedTime": NOW,
            });
            workspace.persons.insert(id, object(person.clone()));
            ok(person)
        }
        ("GET", []) => {
            let (page, size) = call.paging(true, 1000, 1000)?;
            let name = call.query("name");
            if name.is_some_and(|n| !(2..=50).contains(&n.chars().count()) || forbidden_text(n)) {
                return Err(invalid());
            }
            let tags: Vec<u64> = match call.query("tagIdList") {
                None => Vec::new(),
                Some(list) => list
                    .split(',')
                    .map(|t| t.trim().parse().map_err(|_| invalid()))
                    .collect::<Result<_, _>>()?,
            };
            if tags.len() > 30 {
                return Err(invalid());
            }
            let workspace = store.ws(ws)?;
            let items = workspace
                .persons
                .values()
                .filter(|p| {
                    name.is_none_or(|n| {
                        p.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|pn| pn.contains(n))
                    })
                })
                .filter(|p| tags.is_empty() || has_any_tag(p, &tags))
                .map(|p| Value::Object(p.clone()))
                .collect();
            ok(page_of(items, page, size))
        }
        ("POST", ["search"]) => search_persons(store, call, ws),
        ("POST", ["recommend-by-thumbnail"]) => {
            let key = call.str("thumbnailKey").ok_or_else(invalid)?;
            if !store.confirmed.iter().any(|k| k == key) {
                return Err(invalid());
            }
            let count = similarity_args(
                call.body.get("personCount").and_then(Value::as_u64),
                call.body.get("scoreThreshold").and_then(Value::as_u64),
            )?;
            let workspace = store.ws(ws)?;
            let matches: Vec<Value> = workspace
                .persons
                .keys()
                .take(count)
                .enumerate()
                .map(|(rank, id)| json!({"personId": id, "score": 95 - rank}))
                .collect();
            ok(json!({"similarPersons": matches}))
        }
        ("GET", [id]) => ok(Value::Object(person_mut(store.ws(ws)?, id)?.clone())),
        ("PATCH", [id]) => {
            let workspace = store.ws(ws)?;
            let person_id = id_of(id)?;
            let name = call.body.get("name").cloned();
            if let Some(name) = &name
                && (!name.is_string()
                    || !person_name_ok(name, 1)
                    || name_taken(workspace, name, person_id))
            {
                return Err(invalid());
            }
            let person = person_mut(workspace, id)?;
            if let Some(name) = name {
                person.insert("name".into(), name);
            }
            if let Some(description) = call.body.get("description") {
                person.insert("description".into(), description.clone());
            }
            if let Some(primary) = call.body.get("primaryThumbnailId") {
                let thumbnails = list_of(person, "thumbnails");
                if !thumbnails.iter().any(|t| &t["id"] == primary) {
                    return Err(invalid());
                }
                for t in thumbnails.iter_mut() {
                    t["isPrimaryThumbnail"] = json!(&t["id"] == primary);
                }
            }
            person.insert("updatedTime".into(), json!(NOW));
            ok(Value::Object(person.clone()))
        }
        ("DELETE", [id]) => {
            let workspace = store.ws(ws)?;
            let person_id = id_of(id)?;
            let person = workspace
                .persons
                .remove(&person_id)
                .ok_or_else(|| not_found("No such person."))?;
            ok(Value::Object(person))
        }
        ("POST", [id, "merge"]) => {
            let merged = call.ids("personIds")?;
            let workspace = store.ws(ws)?;
            let target = id_of(id)?;
            if merged.is_empty()
                || merged.contains(&target)
                || !workspace.persons.contains_key(&target)
            {
                return Err(invalid());
            }
            if merged.iter().any(|m| !workspace.persons.contains_key(m)) {
                return Err(not_found("No such person."));
            }
            let mut thumbnails = Vec::new();
            let mut counts = (0, 0);
            for m in &merged {
                if let Some(mut person) = workspace.persons.remove(m) {
                    for t in list_of(&mut person, "thumbnails").iter_mut() {
                        t["isPrimaryThumbnail"] = json!(false);
                        thumbnails.push(t.clone());
                    }
                    counts.0 += person
                        .get("assetCount")
                        .and_then(Value::as_u64)
                        .unwrap_or(0);
                    counts.1 += person
                        .get("sceneCount")
                        .and_then(Value::as_u64)
                        .unwrap_or(0);
                }
            }
            let person = person_mut(workspace, id)?;
            list_of(person, "thumbnails").extend(thumbnails);
            for (field, add) in [("assetCount", counts.0), ("sceneCount", counts.1)] {
                let now = person.get(field).and_then(Value::as_u64).unwrap_or(0);
                person.insert(field.into(), json!(now + add));
            }
            ok(Value::Object(person.clone()))
        }
        ("GET", [id, "similar"]) => {
            let count = call
                .query("personCount")
                .map(|c| c.parse::<u64>().map_err(|_| invalid()))
                .transpose()?;
            let threshold = call
                .query("scoreThreshold")
                .map(|c| c.parse::<u64>().map_err(|_| invalid()))
                .transpose()?;
            let count = similarity_args(count, threshold)?;
            let workspace = store.ws(ws)?;
            let person_id = id_of(id)?;
            let person = person_mut(workspace, id)?;
            if list_of(person, "thumbnails").is_empty() {
                return Err(invalid());
            }
            let similar: Vec<Value> = workspace
                .persons
                .keys()
                .filter(|other| **other != person_id)
                .take(count)
                .enumerate()
                .map(|(rank, other)| json!({"personId": other, "score": 92 - rank}))
                .collect();
            ok(json!({"personId": person_id, "similarPersons": similar}))
        }
        ("POST", [id, "person-thumbnail"]) => {
            store.ws(ws)?;
            let added = thumbnails_from(store, call, false)?;
            let person = person_mut(store.ws(ws)?, id)?;
            let thumbnails = list_of(person, "thumbnails");
            if added.iter().any(|(_, primary)| *primary) {
                for t in thumbnails.iter_mut() {
                    t["isPrimaryThumbnail"] = json!(false);
                }
            }
            thumbnails.extend(added.iter().map(|(t, p)| thumbnail(*t, *p)));
            let list = thumbnails.clone();
            ok(json!({"personId": id_of(id)?, "thumbnailList": list}))
        }
        ("DELETE", [id, "person-thumbnail"]) | ("POST", [id, "person-thumbnail", "remove"]) => {
            let remove = call.ids("thumbnailIds")?;
            let person = person_mut(store.ws(ws)?, id)?;
            let thumbnails = list_of(person, "thumbnails");
            let remaining: Vec<Value> = thumbnails
                .iter()
                .filter(|t| !t["id"].as_u64().is_some_and(|i| remove.contains(&i)))
                .cloned()
                .collect();
            if remove.is_empty() || remaining.is_empty() {
                return Err(invalid());
            }
            thumbnails.clone_from(&remaining);
            ok(json!({"personId": id_of(id)?, "thumbnailList": remaining}))
        }
        ("POST", [id, "person-tags"]) => {
            let add = call.ids("tagIds")?;
            let person = person_mut(store.ws(ws)?, id)?;
            let tags = list_of(person, "tags");
            for t in add {
                if !tags
                    .iter()
                    .any(|existing| existing["id"].as_u64() == Some(t))
                {
                    tags.push(tag(t));
                }
            }
            let list = tags.clone();
            ok(json!({"personId": id_of(id)?, "tagList": list}))
        }
        ("DELETE", [id, "person-tags"]) | ("POST", [id, "person-tags", "remove"]) => {
            let remove = call.ids("tagIds")?;
            let person = person_mut(store.ws(ws)?, id)?;
            let tags = list_of(person, "tags");
            tags.retain(|t| !t["id"].as_u64().is_some_and(|i| remove.contains(&i)));
            let list = tags.clone();
            ok(json!({"personId": id_of(id)?, "tagList": list}))
        }
        _ => Err(invalid()),
    }
}

fn has_any_tag(person: &Map<String, Value>, tags: &[u64]) -> bool {
    person
        .get("tags")
        .and_then(Value::as_array)
        .is_some_and(|list| {
            list.iter()
                .any(|t| t["id"].as_u64().is_some_and(|i| tags.contains(&i)))
        })
}

/// Checks `personCount` (1–10, default 3) and `scoreThreshold` (80–100); the count.
fn similarity_args(
    count: Option<u64>,
    threshold: Option<u64>,
) -> Result<usize, (StatusCode, String)> {
    let count = count.unwrap_or(3);
    if !(1..=10).contains(&count) || threshold.is_some_and(|t| !(80..=100).contains(&t)) {
        return Err(invalid());
    }
    usize::try_from(count).map_err(|_| invalid())
}

fn search_persons(store: &mut Store, call: &Call<'_>, ws: &str) -> Answer {
    let body = &call.body;
    let page = body
        .get("pageNum")
        .and_then(Value::as_u64)
        .filter(|&n| n >= 1)
        .ok_or_else(invalid)?;
    let size = match body.get("pageSize") {
        None => 10,
        Some(size) => size
            .as_u64()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(invalid)?,
    };
    let name = body.get("name").and_then(Value::as_str);
    if name.is_some_and(|n| !(2..=50).contains(&n.chars().count())) {
        return Err(invalid());
    }
    let ids: Option<Vec<u64>> = body
        .get("personIds")
        .map(|_| call.ids("personIds"))
        .transpose()?;
    let tags: Option<Vec<u64>> = body.get("tagIds").map(|_| call.ids("tagIds")).transpose()?;
    let name_type = body.get("nameType").and_then(Value::as_str);
    let column = body
        .get("sortColumn")
        .and_then(Value::as_str)
        .unwrap_or("ASSET_COUNT");
    let descending = body
        .get("sortType")
        .and_then(Value::as_str)
        .unwrap_or("DESC")
        == "DESC";
    let workspace = store.ws(ws)?;
    let mut found: Vec<&Map<String, Value>> = workspace
        .persons
        .iter()
        .filter(|(id, _)| ids.as_ref().is_none_or(|ids| ids.contains(id)))
        .map(|(_, p)| p)
        .filter(|p| tags.as_ref().is_none_or(|tags| has_any_tag(p, tags)))
        .filter(|p| {
            name.is_none_or(|n| {
                p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|pn| pn.contains(n))
            })
        })
        .filter(|p| match name_type {
            Some("NAMED") => p.get("name").is_some_and(Value::is_string),
            Some("ANONYMOUS") => !p.get("name").is_some_and(Value::is_string),
            _ => true,
        })
        .collect();
    let key = |p: &Map<String, Value>| -> (u64, String) {
        match column {
            "PERSON_ID" => (
                p.get("personId").and_then(Value::as_u64).unwrap_or(0),
                String::new(),
            ),
            "NAME" => (
                0,
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            ),
            "CREATED_AT" => (
                0,
                p.get("createdTime")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            ),
            _ => (
                p.get("assetCount").and_then(Value::as_u64).unwrap_or(0),
                String::new(),
            ),
        }
    };
    found.sort_by_key(|p| key(p));
    if descending {
        found.reverse();
    }
    let items = found
        .into_iter()
        .map(|p| Value::Object(p.clone()))
        .collect();
    let page = usize::try_from(page).map_err(|_| invalid())?;
    let size = usize::try_from(size).map_err(|_| invalid())?;
    ok(page_of(items, page, size))
}

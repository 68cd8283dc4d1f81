//! TwelveLabs groups beyond the seed over raw HTTP: indexes, always-multipart endpoints,
//! multipart uploads with presigned chunk URLs, search paging, entities.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;

use media_mock::{MockServer, credentials};
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

async fn call(
    server: &MockServer,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http()
        .request(method, format!("{}{path}", server.twelvelabs_url()))
        .header("x-api-key", credentials::TWELVELABS_API_KEY);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn form(fields: &[(&str, &str)]) -> (String, String) {
    let boundary = "XbOuNdArY";
    let mut body = String::new();
    for (name, value) in fields {
        let _ = write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        );
    }
    body += "--";
    body += boundary;
    body += "--\r\n";
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_form(server: &MockServer, path: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let (content_type, body) = form(fields);
    let response = http()
        .post(format!("{}{path}", server.twelvelabs_url()))
        .header("x-api-key", credentials::TWELVELABS_API_KEY)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn index_lifecycle_and_errors() {
    let server = MockServer::start().await;
    let body = json!({"index_name": "a", "models": [{"model_name": "marengo3.0", "model_options": ["visual"]}]});
    let (status, created) = call(
        &server,
        reqwest::Method::POST,
        "/indexes",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 201);
    let id = created["_id"].as_str().unwrap().to_owned();
    let (status, dup) = call(&server, reqwest::Method::POST, "/indexes", Some(body)).await;
    assert_eq!(
        (status, dup["code"].as_str()),
        (409, Some("index_name_already_exists"))
    );
    let (status, missing) = call(
        &server,
        reqwest::Method::POST,
        "/indexes",
        Some(json!({"models": []})),
    )
    .await;
    assert_eq!(
        (status, missing["code"].as_str()),
        (400, Some("parameter_not_provided"))
    );

    let (status, index) = call(
        &server,
        reqwest::Method::GET,
        &format!("/indexes/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(index["video_count"], 0);
    let (status, page) = call(
        &server,
        reqwest::Method::GET,
        "/indexes?page_limit=51",
        None,
    )
    .await;
    assert_eq!(
        (status, page["code"].as_str()),
        (400, Some("parameter_invalid"))
    );
    let (status, _) = call(
        &server,
        reqwest::Method::DELETE,
        &format!("/indexes/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, gone) = call(
        &server,
        reqwest::Method::GET,
        &format!("/indexes/{id}"),
        None,
    )
    .await;
    assert_eq!(
        (status, gone["code"].as_str()),
        (404, Some("resource_not_exist"))
    );
}

#[tokio::test]
async fn multipart_only_endpoints_refuse_json() {
    let server = MockServer::start().await;
    for path in ["/assets", "/tasks", "/search"] {
        let (status, body) =
            call(&server, reqwest::Method::POST, path, Some(json!({"x": 1}))).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("content_type_invalid")),
            "{path}"
        );
    }
    let (status, asset) = post_form(
        &server,
        "/assets",
        &[
            ("method", "url"),
            ("url", "https://e.com/a.mp4"),
            ("enable_hls", "maybe"),
        ],
    )
    .await;
    assert_eq!(
        (status, asset["code"].as_str()),
        (400, Some("parameter_invalid"))
    );
    let (status, asset) = post_form(
        &server,
        "/assets",
        &[
            ("method", "url"),
            ("url", "https://e.com/a.mp4"),
            ("user_metadata", r#"{"a":1,"b":""}"#),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(asset["status"], "processing");
    assert_eq!(asset["user_metadata"], json!({"a": 1}));
    let id = asset["_id"].as_str().unwrap();
    let path = format!("/assets/{id}");
    assert_eq!(
        call(&server, reqwest::Method::GET, &path, None).await.1["status"],
        "processing"
    );
    let (_, ready) = call(&server, reqwest::Method::GET, &path, None).await;
    assert_eq!(ready["status"], "ready");
    assert!(ready.get("_size").is_none(), "private keys never leak");
}

#[tokio::test]
async fn multipart_sessions_presigned_puts_and_completion() {
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(4);
    let (status, session) = call(
        &server,
        reqwest::Method::POST,
        "/assets/multipart-uploads",
        Some(json!({"filename": "a.mp4", "type": "video", "total_size": 6})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            session["chunk_size"].as_u64(),
            session["total_chunks"].as_u64()
        ),
        (Some(4), Some(2))
    );
    let upload_id = session["upload_id"].as_str().unwrap().to_owned();
    let urls: Vec<String> = session["upload_urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["url"].as_str().unwrap().to_owned())
        .collect();

    // Presigned URLs need no key; a wrong-size chunk is refused S3-style.
    let wrong = http().put(&urls[0]).body("abc").send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 400);
    let mut chunks = Vec::new();
    for (index, (url, data)) in urls.iter().zip(["abcd", "ef"]).enumerate() {
        let response = http().put(url).body(data).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"'));
        chunks.push(json!({"chunk_index": index + 1, "proof": etag, "proof_type": "etag", "chunk_size": data.len()}));
    }
    let report_path = format!("/assets/multipart-uploads/{upload_id}");
    let (status, bad) = call(
        &server,
        reqwest::Method::POST,
        &report_path,
        Some(json!({"completed_chunks": [{"chunk_index": 1, "proof": "nope", "proof_type": "etag", "chunk_size": 4}]})),
    )
    .await;
    assert_eq!(
        (status, bad["code"].as_str()),
        (400, Some("parameter_invalid"))
    );
    let (_, report) = call(
        &server,
        reqwest::Method::POST,
        &report_path,
        Some(json!({"completed_chunks": chunks})),
    )
    .await;
    assert_eq!(report["total_completed"], 2);
    assert!(report["url"].is_string());
    let (_, status_body) = call(&server, reqwest::Method::GET, &report_path, None).await;
    assert_eq!(status_body["status"], "completed");
    assert_eq!(status_body["uploaded_size"], 6);
    let (status, asset) = call(
        &server,
        reqwest::Method::GET,
        &format!("/assets/{}", session["asset_id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!((status, asset["method"].as_str()), (200, Some("multipart")));
}

#[tokio::test]
async fn search_tokens_and_unknown_tokens() {
    let server = MockServer::start().await;
    let (_, index) = call(
        &server,
        reqwest::Method::POST,
        "/indexes",
        Some(json!({"index_name": "s", "models": [{"model_name": "marengo3.0", "model_options": ["visual"]}]})),
    )
    .await;
    let index_id = index["_id"].as_str().unwrap().to_owned();
    let (status, empty) = post_form(
        &server,
        "/search",
        &[
            ("index_id", &index_id),
            ("search_options", "visual"),
            ("query_text", "x"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(empty["data"], json!([]));
    assert!(empty["page_info"].get("next_page_token").is_none());
    let (status, missing) = post_form(
        &server,
        "/search",
        &[("index_id", &index_id), ("query_text", "x")],
    )
    .await;
    assert_eq!(
        (status, missing["code"].as_str()),
        (400, Some("parameter_not_provided"))
    );
    let (status, expired) = call(&server, reqwest::Method::GET, "/search/bogus", None).await;
    assert_eq!(
        (status, expired["code"].as_str()),
        (400, Some("search_page_token_expired"))
    );
}

#[tokio::test]
async fn entities_need_existing_assets_and_keep_one() {
    let server = MockServer::start().await;
    let (_, collection) = call(
        &server,
        reqwest::Method::POST,
        "/entity-collections",
        Some(json!({"name": "c"})),
    )
    .await;
    let base = format!(
        "/entity-collections/{}/entities",
        collection["_id"].as_str().unwrap()
    );
    let (status, bad) = call(
        &server,
        reqwest::Method::POST,
        &base,
        Some(json!({"name": "e", "asset_ids": ["nope"]})),
    )
    .await;
    assert_eq!(
        (status, bad["code"].as_str()),
        (400, Some("parameter_invalid"))
    );
    let (status, entity) = call(
        &server,
        reqwest::Method::POST,
        &base,
        Some(json!({"name": "e", "asset_ids": ["6298d673f1090f1100476d4c"], "metadata": {"k": 1}})),
    )
    .await;
    assert_eq!(
        (status, entity["status"].as_str()),
        (200, Some("processing"))
    );
    let path = format!("{base}/{}/assets", entity["_id"].as_str().unwrap());
    let (status, last) = call(
        &server,
        reqwest::Method::DELETE,
        &path,
        Some(json!({"asset_ids": ["6298d673f1090f1100476d4c"]})),
    )
    .await;
    assert_eq!(
        (status, last["code"].as_str()),
        (400, Some("parameter_invalid"))
    );
    let (_, by_asset) = call(
        &server,
        reqwest::Method::GET,
        "/assets/6298d673f1090f1100476d4c/entities",
        None,
    )
    .await;
    assert_eq!(by_asset["page_info"]["total_results"], 1);
}

#[tokio::test]
async fn a_multipart_asset_is_hashed_in_chunk_order_whatever_the_arrival_order() {
    use sha2::{Digest, Sha256};
    let server = MockServer::start().await;
    server.set_twelvelabs_chunk_size(4);
    let upload = |total: usize| {
        let server = &server;
        async move {
            let (_, session) = call(
                server,
                reqwest::Method::POST,
                "/assets/multipart-uploads",
                Some(json!({"filename": "a.mp4", "type": "video", "total_size": total})),
            )
            .await;
            session
        }
    };
    let put = |session: &Value, index: usize, data: &'static str| {
        let url = session["upload_urls"][index - 1]["url"]
            .as_str()
            .unwrap()
            .to_owned();
        async move {
            let response = http().put(url).body(data).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200);
            let etag = response.headers()["etag"].to_str().unwrap().to_owned();
            json!({"chunk_index": index, "proof": etag, "proof_type": "etag", "chunk_size": data.len()})
        }
    };
    let report = |session: &Value, chunks: Vec<Value>| {
        let path = format!(
            "/assets/multipart-uploads/{}",
            session["upload_id"].as_str().unwrap()
        );
        let server = &server;
        async move {
            let (status, _) = call(
                server,
                reqwest::Method::POST,
                &path,
                Some(json!({"completed_chunks": chunks})),
            )
            .await;
            assert_eq!(status, 200);
        }
    };

    // Out of order, with a chunk sent twice (same bytes): the digest is the file's.
    let session = upload(10).await;
    let asset_id = session["asset_id"].as_str().unwrap().to_owned();
    let third = put(&session, 3, "ij").await;
    let second = put(&session, 2, "efgh").await;
    let first = put(&session, 1, "abcd").await;
    let again = put(&session, 2, "efgh").await;
    assert_eq!(again, second);
    assert_eq!(
        server.twelvelabs_upload_sha256(&asset_id),
        None,
        "not before the session completes"
    );
    report(&session, vec![first, again, third]).await;
    let expected = Sha256::digest(b"abcdefghij")
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        });
    assert_eq!(server.twelvelabs_upload_sha256(&asset_id), Some(expected));
    assert_eq!(server.twelvelabs_upload_sha256("nope"), None);

    // A chunk replaced by other bytes after it was hashed: the digest is unknowable.
    let session = upload(6).await;
    let asset_id = session["asset_id"].as_str().unwrap().to_owned();
    put(&session, 1, "abcd").await;
    let first = put(&session, 1, "ABCD").await;
    let second = put(&session, 2, "ef").await;
    report(&session, vec![first, second]).await;
    assert_eq!(server.twelvelabs_upload_sha256(&asset_id), None);
}

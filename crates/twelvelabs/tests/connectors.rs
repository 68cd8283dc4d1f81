//! Data connectors and imports (`/connections…`) against media-mock over real HTTP.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use serde_json::json;
use twelvelabs::{
    AssetMethod, AssetStatus, AuthorizeConnectionRequest, Client, Config, ConnectionStatus,
    ConnectorProvider, Error, ImportAction, PollOptions, RetryPolicy,
};

const ROOT: &str = "/twelvelabs/v1.3";

fn client(server: &MockServer) -> Client {
    Client::new(
        Config::new(credentials::TWELVELABS_API_KEY)
            .base_url(server.twelvelabs_url())
            .retry(RetryPolicy::none()),
    )
    .unwrap()
}

/// Authorizes and returns the new connection's id (the mock consents at once).
async fn connect(client: &Client) -> String {
    client
        .data_connectors()
        .authorize_connection(&AuthorizeConnectionRequest::google_drive(
            "https://app.example.com/cb",
        ))
        .await
        .unwrap();
    let page = client
        .data_connectors()
        .list_connections(None, None)
        .await
        .unwrap();
    page.data[0].id.clone()
}

#[tokio::test]
async fn authorize_keeps_the_literal_colon() {
    let server = MockServer::start().await;
    let client = client(&server);
    let answer = client
        .data_connectors()
        .authorize_connection(
            &AuthorizeConnectionRequest::google_drive("https://app.example.com/cb")
                .custom_id("user-7"),
        )
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, format!("{ROOT}/connections:authorize"));
    assert_eq!(
        sent.json().unwrap(),
        json!({"provider": "google_drive", "redirect_uri": "https://app.example.com/cb", "custom_id": "user-7"})
    );
    assert!(
        answer
            .authorize_url
            .starts_with("https://accounts.google.com/")
    );
    assert!(
        answer
            .authorize_url
            .contains(answer.state.as_deref().unwrap())
    );

    let connections = client
        .data_connectors()
        .list_connections(Some(1), Some(10))
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().query.as_deref(),
        Some("page=1&page_limit=10")
    );
    let connection = &connections.data[0];
    assert_eq!(connection.provider, Some(ConnectorProvider::GoogleDrive));
    assert_eq!(connection.status, Some(ConnectionStatus::Active));
    assert_eq!(connection.custom_id.as_deref(), Some("user-7"));
    assert_eq!(
        connection.account.as_ref().unwrap().display_name.as_deref(),
        Some("Mock Drive User")
    );
    assert_eq!(connection.scopes.len(), 1);
    assert!(connection.connected_at.is_some());
    assert_eq!(connection.last_used_at, None);
    let same = client
        .data_connectors()
        .retrieve_connection(&connection.id)
        .await
        .unwrap();
    assert_eq!(&same, connection);
    let all: Vec<_> = client
        .data_connectors()
        .list_all_connections(Some(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn picker_tokens_and_disconnect() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = connect(&client).await;
    let token = client
        .data_connectors()
        .create_picker_token(&id)
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/connections/{id}/picker-token")
    );
    assert!(token.access_token.starts_with("ya29."));
    assert_eq!(token.expires_in, Some(3599));
    assert_eq!(token.app_id.as_deref(), Some("123456789012"));
    assert!(token.scope.unwrap().contains(' '));
    assert!(token.developer_key.is_some());

    client
        .data_connectors()
        .delete_connection(&id)
        .await
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("DELETE", format!("{ROOT}/connections/{id}").as_str())
    );
    assert!(
        client
            .data_connectors()
            .retrieve_connection(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn redirect_uris_are_registered_and_enforced() {
    let server = MockServer::start().await;
    let client = client(&server);
    let registered = client
        .data_connectors()
        .create_redirect_uri("https://app.example.com/oauth")
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap(),
        json!({"redirect_uri": "https://app.example.com/oauth"})
    );
    assert_eq!(registered.redirect_uri, "https://app.example.com/oauth");
    assert!(registered.created_at.is_some());
    let err = client
        .data_connectors()
        .create_redirect_uri("https://app.example.com/oauth")
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(409));
    let err = client
        .data_connectors()
        .create_redirect_uri("https://localhost/cb")
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(422));
    let err = client
        .data_connectors()
        .create_redirect_uri("http://app.example.com/x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));

    let err = client
        .data_connectors()
        .authorize_connection(&AuthorizeConnectionRequest::google_drive(
            "https://other.example.com/cb",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(400));

    let listed = client
        .data_connectors()
        .list_redirect_uris(None, Some(5))
        .await
        .unwrap();
    assert_eq!(listed.data, std::slice::from_ref(&registered));
    client
        .data_connectors()
        .delete_redirect_uri(&registered.id)
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().path,
        format!("{ROOT}/connections/redirect-uris/{}", registered.id)
    );
    assert!(
        client
            .data_connectors()
            .list_redirect_uris(None, None)
            .await
            .unwrap()
            .data
            .is_empty()
    );
}

#[tokio::test]
async fn imports_create_skip_and_reject_files() {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = connect(&client).await;
    let files = vec!["1AbcDriveFile".to_owned(), "missing-file".to_owned()];
    let result = client
        .data_connectors()
        .import_files(&id, &files)
        .await
        .unwrap();
    assert_eq!(
        server.requests().pop().unwrap().json().unwrap(),
        json!({"items": [{"source_id": "1AbcDriveFile"}, {"source_id": "missing-file"}]})
    );
    assert!(result.has_failures);
    assert_eq!(result.items[0].action, Some(ImportAction::Created));
    assert_eq!(result.items[0].status, Some(AssetStatus::Processing));
    assert_eq!(result.items[1].action, Some(ImportAction::Rejected));
    assert_eq!(result.items[1].asset_id, None);
    assert_eq!(
        result.items[1].error.as_ref().unwrap().code.as_deref(),
        Some("file_not_found")
    );

    let asset_id = result.items[0].asset_id.clone().unwrap();
    let fast = PollOptions::default()
        .interval(Duration::from_millis(5))
        .backoff(1.0);
    let asset = client
        .assets()
        .wait_until_ready(&asset_id, &fast, |_| {})
        .await
        .unwrap();
    assert_eq!(asset.method, Some(AssetMethod::Connector));
    assert_eq!(
        asset.source.unwrap().details.unwrap().source_id.as_deref(),
        Some("1AbcDriveFile")
    );

    let again = client
        .data_connectors()
        .import_files(&id, &files[..1])
        .await
        .unwrap();
    assert!(!again.has_failures);
    assert_eq!(again.items[0].action, Some(ImportAction::Skipped));
    assert_eq!(again.items[0].asset_id.as_deref(), Some(asset_id.as_str()));

    let imports = client
        .data_connectors()
        .list_imports(&id, None, None)
        .await
        .unwrap();
    assert_eq!(imports.data.len(), 2);
    assert!(imports.data.iter().all(|i| i.items.is_empty()));
    let detail = client
        .data_connectors()
        .retrieve_import(&id, &result.id)
        .await
        .unwrap();
    assert_eq!(detail.item_count, Some(2));
    assert_eq!(detail.connection_id.as_deref(), Some(id.as_str()));
    // The item status is the asset's live status.
    assert_eq!(detail.items[0].status, Some(AssetStatus::Ready));

    let err = client
        .data_connectors()
        .import_files(&id, &[])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let dup = vec!["a".to_owned(), "a".to_owned()];
    assert!(matches!(
        client
            .data_connectors()
            .import_files(&id, &dup)
            .await
            .unwrap_err(),
        Error::InvalidInput(_)
    ));
}

#[test]
fn futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Config::new("k")).unwrap();
    let request = AuthorizeConnectionRequest::google_drive("https://x/cb");
    assert_send(&client.data_connectors().authorize_connection(&request));
    assert_send(&client.data_connectors().import_files("c", &[]));
}

//! `AnyClient` hands out the neutral traits each provider supports, and they
//! work over real HTTP against media-mock.

#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use media_mock::{MockServer, credentials};
use media_sdk::{AnyClient, AssetQuery, MediaKind, Provider};

fn clients(server: &MockServer) -> Vec<AnyClient> {
    vec![
        AnyClient::MemoriesV1(
            media_sdk::memories_v1::Client::new(
                media_sdk::memories_v1::Config::new(credentials::MEMORIES_API_KEY)
                    .base_url(server.memories_v1_url()),
            )
            .unwrap(),
        ),
        AnyClient::MemoriesV2(
            media_sdk::memories_v2::Client::new(
                media_sdk::memories_v2::Config::new(credentials::MEMORIES_API_KEY)
                    .base_url(server.memories_v2_url()),
            )
            .unwrap(),
        ),
        AnyClient::TwelveLabs(
            media_sdk::twelvelabs::Client::new(
                media_sdk::twelvelabs::Config::new(credentials::TWELVELABS_API_KEY)
                    .base_url(server.twelvelabs_url()),
            )
            .unwrap(),
        ),
        AnyClient::NcpMi(
            media_sdk::ncp_mi::Client::new(
                media_sdk::ncp_mi::Config::new(
                    credentials::NCP_ACCESS_KEY,
                    credentials::NCP_SECRET_KEY,
                )
                .base_url(server.ncp_mi_url())
                .workspace(credentials::NCP_WORKSPACE)
                .project(credentials::NCP_PROJECT),
            )
            .unwrap(),
        ),
    ]
}

#[tokio::test]
async fn every_provider_reads_its_seed_asset_through_the_trait_object() {
    let server = MockServer::start().await;
    let expected = [
        (
            Provider::MemoriesV1,
            "VI606404158946574336",
            MediaKind::Video,
        ),
        (
            Provider::MemoriesV2,
            "re_660729180626595840",
            MediaKind::Video,
        ),
        (
            Provider::TwelveLabs,
            "6298d673f1090f1100476d4c",
            MediaKind::Image,
        ),
        (Provider::NcpMi, "1002", MediaKind::Video),
    ];
    for (client, (provider, id, kind)) in clients(&server).into_iter().zip(expected) {
        assert_eq!(client.provider(), provider);
        let reader = client.reader().unwrap();
        assert_eq!(reader.provider(), provider);
        let asset = reader.asset(id).await.unwrap();
        assert_eq!(
            (asset.provider, asset.id.as_str(), asset.kind),
            (provider, id, kind)
        );
    }
}

#[tokio::test]
async fn listing_is_offered_only_where_the_api_can_list() {
    // memories.ai v2 has no list endpoint; the others page through theirs.
    let server = MockServer::start().await;
    let listers: Vec<(Provider, bool)> = clients(&server)
        .iter()
        .map(|c| (c.provider(), c.lister().is_some()))
        .collect();
    assert_eq!(
        listers,
        [
            (Provider::MemoriesV1, true),
            (Provider::MemoriesV2, false),
            (Provider::TwelveLabs, true),
            (Provider::NcpMi, true),
        ]
    );
    let ncp = &clients(&server)[3];
    let ids: Vec<String> = ncp
        .lister()
        .unwrap()
        .assets(AssetQuery::new().page_size(2))
        .map_ok(|a| a.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1001", "1002", "1003"]);
}

#[test]
fn provider_names_parse_into_errors_callers_can_show() {
    let err: media_sdk::Error = "openai".parse::<Provider>().unwrap_err().into();
    assert!(matches!(err, media_sdk::Error::InvalidInput(m) if m.contains("unknown provider")));
}

#[tokio::test]
async fn every_provider_uploads_and_deletes_and_memories_v2_extracts_frames() {
    let server = MockServer::start().await;
    for client in clients(&server) {
        let provider = client.provider();
        assert_eq!(client.uploader().map(|u| u.provider()), Some(provider));
        assert_eq!(client.deleter().map(|d| d.provider()), Some(provider));
        assert_eq!(
            client.frame_extractor().map(|f| f.provider()),
            (provider == Provider::MemoriesV2).then_some(provider)
        );
    }
}

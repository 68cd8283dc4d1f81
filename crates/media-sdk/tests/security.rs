//! Credentials stay secret and stay home, for every provider: never in
//! traces, errors or `Debug`; never sent across a redirect to another host;
//! never sent over plain HTTP off loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use media_mock::{Fault, FaultRule, MockServer, credentials};
use media_sdk::{Error, Provider};

mod common;
use common::{Tuning, WRONG_KEY, probes, reader};

const SECRETS: [&str; 4] = [
    credentials::MEMORIES_API_KEY,
    credentials::TWELVELABS_API_KEY,
    credentials::NCP_SECRET_KEY,
    WRONG_KEY,
];

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything traced at TRACE level (this crate, the engine, reqwest, hyper
/// and the mock) while each provider fails twice: once with a refused key,
/// once with server errors until the retries run out.
#[tokio::test(flavor = "current_thread")]
async fn failing_calls_never_trace_or_show_a_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let mut shown = String::new();
    for probe in probes() {
        let refused = reader(
            &server.url(),
            probe,
            Tuning {
                wrong_key: true,
                ..Tuning::default()
            },
        );
        let error = refused.asset(probe.asset_id).await.unwrap_err();
        assert!(
            matches!(error, Error::Unauthorized { .. }),
            "{}: {error:?}",
            probe.provider
        );
        let _ = writeln!(shown, "{error}\n{error:?}");

        server.inject(FaultRule::new(Fault::status(500)).path_prefix(probe.path_prefix));
        let client = reader(&server.url(), probe, Tuning::default());
        let error = client.asset(probe.asset_id).await.unwrap_err();
        assert_eq!(error.http_status(), Some(500), "{}", probe.provider);
        let _ = writeln!(shown, "{error}\n{error:?}");
        server.clear_faults();
    }

    let traces = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(traces.contains("media.request"), "nothing was traced");
    assert!(traces.contains("retrying"), "retries were not traced");
    for secret in SECRETS {
        assert!(!traces.contains(secret), "a key is in the traces");
        assert!(
            !shown.contains(secret),
            "a key is in an error or Debug output"
        );
    }
}

/// A redirect to another host is not followed: the second server sees no
/// request at all, so no `Authorization`, `x-api-key` or NCP signature.
#[tokio::test]
async fn redirects_to_another_host_carry_no_credentials() {
    for probe in probes() {
        let server = MockServer::start().await;
        let elsewhere = MockServer::start_on("127.0.0.2:0".parse().unwrap())
            .await
            .unwrap();
        let target = format!("{}{}", elsewhere.url(), probe.path_prefix);
        server.inject(
            FaultRule::new(Fault::status(307).with_header("Location", &target))
                .path_prefix(probe.path_prefix),
        );
        let error = reader(&server.url(), probe, Tuning::default())
            .asset(probe.asset_id)
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Api { http_status: 307, message, .. } if message.contains("not followed")),
            "{}: {error}",
            probe.provider
        );
        assert!(
            elsewhere.requests().is_empty(),
            "{}: the other host was contacted",
            probe.provider
        );
    }
}

/// A redirect on the same host is followed and keeps the credentials.
#[tokio::test]
async fn redirects_on_the_same_host_keep_the_credentials() {
    for probe in probes() {
        let server = MockServer::start().await;
        let client = reader(&server.url(), probe, Tuning::default());
        client.asset(probe.asset_id).await.unwrap();
        let first = server.requests().pop().unwrap();
        let target = match &first.query {
            Some(query) => format!("{}?{query}", first.path),
            None => first.path.clone(),
        };
        server.clear_requests();
        server.inject(
            FaultRule::new(Fault::status(302).with_header("Location", &target))
                .path_prefix(probe.path_prefix)
                .times(1),
        );
        client.asset(probe.asset_id).await.unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{}", probe.provider);
        let auth_header = match probe.provider {
            Provider::TwelveLabs => "x-api-key",
            Provider::NcpMi => "x-ncp-apigw-signature-v2",
            _ => "authorization",
        };
        assert!(
            requests[1].header(auth_header).is_some(),
            "{}: credentials dropped on a same-host redirect",
            probe.provider
        );
    }
}

/// Plain `http://` is refused for any host but loopback, before anything is sent.
#[test]
fn plain_http_off_loopback_is_refused() {
    for probe in probes() {
        let result = std::panic::catch_unwind(|| {
            reader("http://api.example.com", probe, Tuning::default());
        });
        assert!(
            result.is_err(),
            "{}: a client was built for plain http off loopback",
            probe.provider
        );
    }
    let error = media_sdk::twelvelabs::Client::new(
        media_sdk::twelvelabs::Config::new("k").base_url("http://10.0.0.1/v1.3"),
    )
    .unwrap_err();
    assert!(matches!(error, Error::InvalidInput(_)), "{error}");
}

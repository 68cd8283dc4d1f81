//! The fault matrix: every fault media-mock can inject, against one call of
//! every provider, over real HTTP. Each cell asserts which typed error comes
//! out (or that the retry succeeded), how many requests the server saw, and
//! that the call ended within its deadline.
//!
//! The table in docs/reliability.md is this test's output: the test fails
//! when the document and the observed results differ, and rewrites the
//! document when run with `MEDIA_UPDATE_DOCS=1`.
//!
//! Adding a provider call to the matrix is one entry in [`probes`].
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    clippy::unnecessary_wraps
)]

use std::fmt::Write as _;
use std::time::{Duration, Instant, SystemTime};

use futures::future::join_all;
use media_mock::{BodyRewrite, Fault, FaultRule, HeaderRewrite, MockServer, credentials};
use media_sdk::{Error, Provider};

mod common;
use common::{Probe, Tuning, probes, reader};

/// What a fault should lead to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// The call succeeds after exactly this many requests.
    Ok(usize),
    /// The call fails with this kind of error after exactly this many requests.
    Fails(Kind, usize),
    /// The fault does not apply to this provider.
    NotApplicable,
}

/// The typed error variants the matrix distinguishes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Api(u16),
    Decode,
    DecodeOrApi,
    Timeout,
    Connect,
    Unauthorized,
}

impl Kind {
    fn matches(self, error: &Error) -> bool {
        match (self, error) {
            (Kind::Api(status), Error::Api { http_status, .. }) => *http_status == status,
            (Kind::Decode | Kind::DecodeOrApi, Error::Decode { .. })
            | (Kind::DecodeOrApi, Error::Api { .. })
            | (Kind::Timeout, Error::Timeout { .. }) => true,
            // The skew row: the error must say why, or nobody finds the wrong clock.
            (Kind::Unauthorized, Error::Unauthorized { .. }) => {
                let message = error.message().unwrap_or_default().to_lowercase();
                message.contains("clock") || message.contains("skew")
            }
            (Kind::Connect, Error::Transport { connect, .. }) => *connect,
            _ => false,
        }
    }
}

/// One row of the matrix.
struct Row {
    name: &'static str,
    /// The fault for a probe, and how to tune the client; `None` = not applicable.
    setup: fn(Probe) -> Option<(Vec<FaultRule>, Tuning)>,
    expect: fn(Probe) -> Expect,
    /// The longest the call may take.
    deadline: Duration,
    /// Talk to a port nobody listens on.
    refused: bool,
}

fn rule(probe: Probe, fault: Fault) -> FaultRule {
    FaultRule::new(fault).path_prefix(probe.path_prefix)
}

fn once(probe: Probe, fault: Fault) -> Option<(Vec<FaultRule>, Tuning)> {
    Some((vec![rule(probe, fault).times(1)], Tuning::default()))
}

fn always(probe: Probe, fault: Fault) -> Option<(Vec<FaultRule>, Tuning)> {
    Some((vec![rule(probe, fault)], Tuning::default()))
}

fn short_deadline(rules: Vec<FaultRule>) -> Option<(Vec<FaultRule>, Tuning)> {
    Some((
        rules,
        Tuning {
            timeout: Duration::from_millis(1500),
            ..Tuning::default()
        },
    ))
}

fn rewrite(body: BodyRewrite, content_type: HeaderRewrite) -> Fault {
    Fault::Rewrite { body, content_type }
}

fn is_memories(probe: Probe) -> bool {
    matches!(probe.provider, Provider::MemoriesV1 | Provider::MemoriesV2)
}

fn rows() -> Vec<Row> {
    let secs = Duration::from_secs;
    vec![
        Row {
            name: "500 once, then success",
            setup: |p| once(p, Fault::status(500)),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "502 once, then success",
            setup: |p| once(p, Fault::status(502)),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "503 once, then success",
            setup: |p| once(p, Fault::status(503)),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "504 once, then success",
            setup: |p| once(p, Fault::status(504)),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "503 until retries run out",
            setup: |p| always(p, Fault::status(503)),
            expect: |_| Expect::Fails(Kind::Api(503), 3),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "429 with Retry-After: 1 (seconds)",
            setup: |p| once(p, Fault::status(429).with_header("Retry-After", "1")),
            expect: |_| Expect::Ok(2),
            deadline: secs(6),
            refused: false,
        },
        Row {
            name: "429 with Retry-After as an HTTP date",
            setup: |p| {
                let at = SystemTime::now() + Duration::from_secs(1);
                once(
                    p,
                    Fault::status(429).with_header("Retry-After", &httpdate::fmt_http_date(at)),
                )
            },
            expect: |_| Expect::Ok(2),
            deadline: secs(6),
            refused: false,
        },
        Row {
            name: "429 with retry-after-ms: 50",
            setup: |p| once(p, Fault::status(429).with_header("retry-after-ms", "50")),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "429 with no header",
            setup: |p| once(p, Fault::status(429)),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "rate-limit code \"0429\" under HTTP 200",
            setup: |p| {
                is_memories(p).then(|| {
                    (
                        vec![rule(p, Fault::status(200).with_body(
                            r#"{"code":"0429","msg":"Too many requests","data":null,"success":false,"failed":true}"#,
                        )).times(1)],
                        Tuning::default(),
                    )
                })
            },
            expect: |p| {
                if is_memories(p) {
                    Expect::Ok(2)
                } else {
                    Expect::NotApplicable
                }
            },
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "connection refused",
            setup: |_| Some((Vec::new(), Tuning::default())),
            expect: |_| Expect::Fails(Kind::Connect, 0),
            deadline: secs(10),
            refused: true,
        },
        Row {
            name: "reset before the status line, once",
            setup: |p| once(p, Fault::DropConnection),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "reset in the middle of the body, once",
            setup: |p| once(p, Fault::TruncatedBody),
            expect: |_| Expect::Ok(2),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "accepts and never answers (1.5 s deadline)",
            setup: |p| short_deadline(vec![rule(p, Fault::Delay(Duration::from_secs(30)))]),
            expect: |_| Expect::Fails(Kind::Timeout, 3),
            deadline: secs(8),
            refused: false,
        },
        Row {
            name: "headers, then a stalled body (1.5 s deadline)",
            setup: |p| short_deadline(vec![rule(p, Fault::StallBody)]),
            expect: |_| Expect::Fails(Kind::Timeout, 3),
            deadline: secs(8),
            refused: false,
        },
        Row {
            name: "truncated JSON under 200",
            setup: |p| always(p, rewrite(BodyRewrite::Truncate, HeaderRewrite::Keep)),
            expect: |_| Expect::Fails(Kind::Decode, 1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "gateway HTML page with 502",
            setup: |p| always(p, html(502)),
            expect: |_| Expect::Fails(Kind::Api(502), 3),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "gateway HTML page with 200",
            setup: |p| always(p, html(200)),
            expect: |_| Expect::Fails(Kind::Decode, 1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "Content-Type missing (body intact)",
            setup: |p| always(p, rewrite(BodyRewrite::Keep, HeaderRewrite::Remove)),
            expect: |_| Expect::Ok(1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "Content-Type text/html (body intact)",
            setup: |p| {
                always(
                    p,
                    rewrite(BodyRewrite::Keep, HeaderRewrite::Set("text/html".into())),
                )
            },
            expect: |_| Expect::Ok(1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "empty 200 body",
            setup: |p| {
                always(
                    p,
                    Fault::Raw {
                        status: 200,
                        content_type: Some("application/json".into()),
                        body: Vec::new(),
                    },
                )
            },
            expect: |_| Expect::Fails(Kind::Decode, 1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "body over the size limit (limit 4 KiB)",
            setup: |p| {
                Some((
                    vec![rule(
                        p,
                        rewrite(BodyRewrite::PadWithSpaces(8192), HeaderRewrite::Keep),
                    )],
                    Tuning {
                        max_response_bytes: 4096,
                        ..Tuning::default()
                    },
                ))
            },
            expect: |_| Expect::Fails(Kind::Decode, 1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "invalid UTF-8",
            setup: |p| {
                always(
                    p,
                    Fault::Raw {
                        status: 200,
                        content_type: Some("application/json".into()),
                        body: b"{\"code\":\"\xff\xfe\",\"data\":{\"x\":\"\xc3\x28\"}}".to_vec(),
                    },
                )
            },
            // TwelveLabs models every field as optional (as its official SDKs do) and
            // serde_json skips unknown fields without validating them: the damaged
            // fields are not ones the asset model reads.
            expect: |p| {
                if p.provider == Provider::TwelveLabs {
                    Expect::Ok(1)
                } else {
                    Expect::Fails(Kind::Decode, 1)
                }
            },
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "every string field a number",
            setup: |p| {
                always(
                    p,
                    rewrite(BodyRewrite::StringsToNumbers, HeaderRewrite::Keep),
                )
            },
            expect: |_| Expect::Fails(Kind::DecodeOrApi, 1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "every number beyond 64 bits",
            setup: |p| {
                always(
                    p,
                    rewrite(BodyRewrite::NumbersTooLarge, HeaderRewrite::Keep),
                )
            },
            // TwelveLabs reads size and duration leniently: out of range means absent.
            expect: |p| {
                if p.provider == Provider::TwelveLabs {
                    Expect::Ok(1)
                } else {
                    Expect::Fails(Kind::Decode, 1)
                }
            },
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "JSON nested 100,000 deep",
            setup: |p| {
                let depth = 100_000;
                let mut body = "[".repeat(depth).into_bytes();
                body.extend(std::iter::repeat_n(b']', depth));
                always(
                    p,
                    Fault::Raw {
                        status: 200,
                        content_type: Some("application/json".into()),
                        body,
                    },
                )
            },
            expect: |_| Expect::Fails(Kind::Decode, 1),
            deadline: secs(5),
            refused: false,
        },
        Row {
            name: "NCP signature 10 minutes old (clock skew)",
            setup: |p| {
                (p.provider == Provider::NcpMi).then(|| {
                    (
                        Vec::new(),
                        Tuning {
                            skewed_clock: true,
                            ..Tuning::default()
                        },
                    )
                })
            },
            expect: |p| {
                if p.provider == Provider::NcpMi {
                    Expect::Fails(Kind::Unauthorized, 1)
                } else {
                    Expect::NotApplicable
                }
            },
            deadline: secs(5),
            refused: false,
        },
    ]
}

fn html(status: u16) -> Fault {
    Fault::Raw {
        status,
        content_type: Some("text/html".into()),
        body: b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>".to_vec(),
    }
}

/// What one cell observed.
struct Observed {
    result: media_sdk::Result<()>,
    requests: usize,
    elapsed: Duration,
}

async fn run_cell(row: &Row, probe: Probe) -> Option<Observed> {
    let (rules, tuning) = (row.setup)(probe)?;
    let server = MockServer::start().await;
    for rule in rules {
        server.inject(rule);
    }
    let base = if row.refused {
        // Bind, learn the port, close: nothing listens there any more.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}")
    } else {
        server.url()
    };
    let reader = reader(&base, probe, tuning);
    let started = Instant::now();
    let result = tokio::time::timeout(row.deadline * 3, reader.asset(probe.asset_id))
        .await
        .unwrap_or_else(|_| panic!("{} / {}: the call hung", row.name, probe.provider));
    let elapsed = started.elapsed();
    if let Err(error) = &result {
        let shown = format!("{error} {error:?}");
        for secret in [
            credentials::MEMORIES_API_KEY,
            credentials::TWELVELABS_API_KEY,
            credentials::NCP_SECRET_KEY,
        ] {
            assert!(
                !shown.contains(secret),
                "{}: the error shows a key",
                row.name
            );
        }
    }
    Some(Observed {
        result: result.map(|_| ()),
        requests: server.requests().len(),
        elapsed,
    })
}

fn describe(observed: &Observed) -> String {
    let outcome = match &observed.result {
        Ok(()) => "ok".to_owned(),
        Err(error) => match error {
            Error::Api { http_status, .. } => format!("Api {http_status}"),
            Error::RateLimited { .. } => "RateLimited".into(),
            Error::NotFound { .. } => "NotFound".into(),
            Error::Unauthorized { .. } => "Unauthorized".into(),
            Error::InvalidInput(_) => "InvalidInput".into(),
            Error::Timeout { .. } => "Timeout".into(),
            Error::Transport { connect: true, .. } => "Transport (connect)".into(),
            Error::Transport { .. } => "Transport".into(),
            Error::Decode { .. } => "Decode".into(),
            Error::TaskFailed { .. } => "TaskFailed".into(),
            Error::Io(_) => "Io".into(),
            _ => "other".into(),
        },
    };
    format!("{outcome} · {} req", observed.requests)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fault_against_every_provider() {
    let probes = probes();
    let rows = rows();
    let cells = rows.iter().flat_map(|row| {
        probes
            .iter()
            .map(move |&probe| async move { (row.name, probe, run_cell(row, probe).await) })
    });
    let observed = join_all(cells).await;

    let mut failures = Vec::new();
    let mut table = String::new();
    let _ = write!(table, "| fault |");
    for probe in &probes {
        let _ = write!(table, " {} `{}` |", probe.provider, probe.call);
    }
    let _ = write!(table, "\n|---|");
    for _ in &probes {
        table.push_str("---|");
    }
    table.push('\n');
    let (mut tried, mut passed) = (0, 0);
    for (row_index, row) in rows.iter().enumerate() {
        let _ = write!(table, "| {} |", row.name);
        for (probe_index, probe) in probes.iter().enumerate() {
            let (_, _, cell) = &observed[row_index * probes.len() + probe_index];
            let expect = (row.expect)(*probe);
            let cell_text = match (cell, expect) {
                (None, Expect::NotApplicable) => "n/a".to_owned(),
                (Some(observed), expect) => {
                    tried += 1;
                    let ok = match (expect, &observed.result) {
                        (Expect::Ok(n), Ok(())) => observed.requests == n,
                        (Expect::Fails(kind, n), Err(error)) => {
                            kind.matches(error) && observed.requests == n
                        }
                        _ => false,
                    } && observed.elapsed <= row.deadline;
                    if ok {
                        passed += 1;
                    } else {
                        failures.push(format!(
                            "{} / {}: expected {expect:?} within {:?}, got {} in {:?} ({:?})",
                            row.name,
                            probe.provider,
                            row.deadline,
                            describe(observed),
                            observed.elapsed,
                            observed.result.as_ref().err().map(ToString::to_string),
                        ));
                    }
                    describe(observed)
                }
                (None, expect) => {
                    failures.push(format!(
                        "{} / {}: expected {expect:?}, not run",
                        row.name, probe.provider
                    ));
                    "not run".to_owned()
                }
            };
            let _ = write!(table, " {cell_text} |");
        }
        table.push('\n');
    }
    let _ = write!(
        table,
        "\n{passed} of {tried} fault × provider cells behave as specified.\n"
    );
    assert!(
        failures.is_empty(),
        "fault matrix failures:\n{}",
        failures.join("\n")
    );
    common::check_reliability_doc("fault-matrix", &table);
}

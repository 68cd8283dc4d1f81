//! Test support shared by the four provider crates (not published).
//!
//! Each provider crate's `tests/response_props.rs` names every public type a
//! server body decodes into, and [`response_props!`] turns that list into
//! property tests and a completeness test:
//!
//! ```ignore
//! media_testkit::response_props! {
//!     fixtures: ["tests/fixtures/seed_004_asset_list.json"],
//!     types: [ncp_mi::Asset, ncp_mi::IndexStatus],
//!     excluded: [],
//! }
//! ```
//!
//! - [`response_props!`] takes every public type of the crate that can be
//!   decoded from a server body and runs, for each, three proptest properties
//!   (arbitrary bytes, arbitrary JSON, a real or synthesized example with one
//!   node replaced); a panic anywhere fails the property, and every value that
//!   decodes must serialize (when the type is `Serialize`) into JSON that
//!   decodes again and serializes to the same JSON.
//! - [`explore`] walks a type's `Deserialize` impl with a deserializer that
//!   answers every question, recording the field and variant names it asks
//!   for and the JSON it was fed: the keys of the arbitrary objects, and an
//!   example for types without a fixture.
//! - [`completeness`] reads the crate's `src/` and fails when a type that
//!   derives or implements `Deserialize` (or comes from `open_enum!` or a
//!   local macro that implements it) is neither listed nor excluded.

use std::any::type_name;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{
    Config, RngAlgorithm, TestCaseError, TestRunner, contextualize_config,
};
use serde::de::value::{BorrowedStrDeserializer, Error as ProbeError};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Cases per property and type: the crates list 40 to 180 types, each run
/// by three properties, so this keeps a debug run of the whole file within a
/// few seconds. `PROPTEST_CASES` raises (or lowers) it.
pub const DEFAULT_CASES: u32 = 64;

/// Declares the property tests and the completeness test of one crate.
///
/// `fixtures` are JSON files (relative to the crate) whose sub-values seed the
/// example property; `types` are the covered types (generic ones with a
/// concrete parameter); `excluded` maps a type path, as the source scan names
/// it (`crate_name::module::Type`), to the reason it is not covered.
#[macro_export]
macro_rules! response_props {
    (
        fixtures: [$($fixture:literal),* $(,)?],
        types: [$($ty:ty),+ $(,)?],
        excluded: [$($path:literal => $why:literal),* $(,)?] $(,)?
    ) => {
        fn pool() -> &'static $crate::Pool {
            static POOL: ::std::sync::OnceLock<$crate::Pool> = ::std::sync::OnceLock::new();
            POOL.get_or_init(|| {
                let mut pool = $crate::Pool::new(env!("CARGO_MANIFEST_DIR"), &[$($fixture),*]);
                $( pool.learn::<$ty>(); )+
                pool
            })
        }

        fn run_all(property: $crate::Property) {
            #[allow(unused_imports)]
            use $crate::{NotSerialize as _, ViaSerialize as _};
            let mut report = $crate::Report::new(property, file!());
            $(
                #[allow(clippy::needless_borrow, reason = "autoref picks the Serialize round trip when there is one")]
                report.run::<$ty>(pool(), |value: &$ty| (&$crate::RoundTrip::<$ty>::new()).round_trip(value));
            )+
            report.finish();
        }

        #[test]
        fn arbitrary_bytes_never_panic() {
            run_all($crate::Property::Bytes);
        }

        #[test]
        fn arbitrary_json_never_panics() {
            run_all($crate::Property::Json);
        }

        #[test]
        fn examples_with_one_field_replaced_never_panic() {
            run_all($crate::Property::Example);
        }

        #[test]
        fn every_deserialize_type_is_covered() {
            $crate::completeness(
                env!("CARGO_MANIFEST_DIR"),
                env!("CARGO_PKG_NAME"),
                &[$(::std::any::type_name::<$ty>()),+],
                &[$(($path, $why)),*],
            );
        }

        #[test]
        fn every_fixture_seeds_a_covered_type() {
            pool().assert_fixtures_used();
        }
    };
}

// ---------------------------------------------------------------------------
// Round trip, picked by autoref: `(&RoundTrip::<T>::new()).round_trip(v)`
// resolves to `ViaSerialize` when `T: Serialize` and to `NotSerialize`
// otherwise. Only works where `T` is a concrete type, i.e. in the macro.

/// Selects the round trip a type supports.
pub struct RoundTrip<T>(PhantomData<T>);

impl<T> Default for RoundTrip<T> {
    fn default() -> Self {
        RoundTrip::new()
    }
}

impl<T> RoundTrip<T> {
    /// The selector for `T`.
    pub fn new() -> Self {
        RoundTrip(PhantomData)
    }
}

/// The round trip of a `Serialize` type.
pub trait ViaSerialize<T> {
    /// `Ok(true)` when checked, `Err` naming what broke.
    fn round_trip(&self, value: &T) -> Result<bool, String>;
}

impl<T: Serialize + DeserializeOwned> ViaSerialize<T> for RoundTrip<T> {
    fn round_trip(&self, value: &T) -> Result<bool, String> {
        let first = serde_json::to_value(value)
            .map_err(|e| format!("decoded, but serializing it failed: {e}"))?;
        let again: T = serde_json::from_value(first.clone()).map_err(|e| {
            format!("decoded and serialized to {first}, which does not decode: {e}")
        })?;
        let second = serde_json::to_value(&again)
            .map_err(|e| format!("the re-decoded value does not serialize: {e}"))?;
        if first == second {
            Ok(true)
        } else {
            Err(format!(
                "serializing is not stable: {first} decodes and serializes to {second}"
            ))
        }
    }
}

/// No round trip: the type is decode-only.
#[allow(dead_code, reason = "unused in a crate whose every type is Serialize")]
pub trait NotSerialize<T> {
    /// Reports that no round trip was made.
    fn round_trip(&self, _value: &T) -> Result<bool, String> {
        Ok(false)
    }
}

impl<T> NotSerialize<T> for &RoundTrip<T> {}

// ---------------------------------------------------------------------------
// Inputs.

/// Number-ish and odd JSON tokens, spliced into JSON text.
const RAW_TOKENS: &[&str] = &[
    "1.5e400",
    "-1.5e400",
    "1e-400",
    "18446744073709551616",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "-0",
    "0.0",
    "1E2",
    "12",
    "-1",
    "4294967296",
    "\"12\"",
    "\"0000\"",
    "\"1.5e400\"",
    "\"-1\"",
    "\"\"",
    "\" \"",
    "\"null\"",
    "\"NaN\"",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "[]",
    "{}",
    "null",
    "true",
];

/// Strings that look like numbers, dates, or nothing.
const ODD_STRINGS: &[&str] = &[
    "12",
    "0000",
    "0",
    "-1",
    "1.5e400",
    "1e-400",
    "18446744073709551616",
    "-9223372036854775809",
    "0x1F",
    "NaN",
    "inf",
    "",
    " ",
    "null",
    "true",
    "1766989317192",
    "1754037217992000",
    "2024-01-02T03:04:05Z",
    "2024-13-45T99:99:99",
    "2025-04-23T16:49:24",
    "9999-12-31T23:59:59+14:00",
    "re_660729180626595840",
    "imc_666914042514116608_0",
    "unlimited",
    "é🎬\u{0}\u{202e}",
];

/// Which property a test runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Property {
    /// Arbitrary bytes, and JSON text that may be cut or have a byte flipped.
    Bytes,
    /// Arbitrary JSON values whose object keys are mostly the type's own.
    Json,
    /// A real (fixture) or synthesized example with one node replaced or removed.
    Example,
}

/// A string strategy from a regex parsed once (a `&str` strategy parses its
/// regex again for every value it generates).
fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

fn leaf(strings: &[String]) -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![Just(u64::MAX), Just(u64::from(u32::MAX) + 1), Just(0)].prop_map(Value::from),
        prop_oneof![Just(i64::MIN), Just(-1)].prop_map(Value::from),
        prop_oneof![
            Just(1.5e300),
            Just(-1.5e300),
            Just(f64::MIN_POSITIVE),
            Just(-0.0)
        ]
        .prop_map(Value::from),
        select(ODD_STRINGS).prop_map(Value::from),
        regex("[-+]?[0-9]{0,22}(\\.[0-9]{0,4})?([eE][-+]?[0-9]{1,4})?").prop_map(Value::from),
        regex(".{0,16}").prop_map(Value::from),
        select(strings.to_vec()).prop_map(Value::from),
    ]
    .boxed()
}

fn key(own: &[String], pool: &[String]) -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(own.to_vec()),
        2 => select(pool.to_vec()),
        1 => regex(".{0,10}"),
    ]
    .boxed()
}

/// Any JSON value, a few levels deep, with objects keyed mostly by `own`.
fn json_value(own: &[String], pool: &Pool) -> BoxedStrategy<Value> {
    let key = key(own, &pool.keys);
    leaf(&pool.strings)
        .prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                proptest::collection::vec((key.clone(), inner), 0..8)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
        .boxed()
}

/// JSON text built directly, so it can hold what a `Value` cannot (numbers
/// past f64, lone surrogates, duplicate keys).
fn json_text(own: &[String], pool: &Pool) -> BoxedStrategy<String> {
    let key = key(own, &pool.keys);
    let leaf = prop_oneof![
        select(RAW_TOKENS).prop_map(str::to_owned),
        leaf(&pool.strings).prop_map(|v| v.to_string()),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec((key.clone(), inner), 0..8).prop_map(|pairs| {
                let body: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str())))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
    .boxed()
}

fn bytes_input(own: &[String], pool: &Pool) -> BoxedStrategy<Vec<u8>> {
    let text = json_text(own, pool);
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..384),
        text.clone().prop_map(String::into_bytes),
        (text.clone(), any::<Index>()).prop_map(|(text, cut)| {
            let mut bytes = text.into_bytes();
            let at = cut.index(bytes.len() + 1);
            bytes.truncate(at);
            bytes
        }),
        (text, any::<Index>(), any::<u8>()).prop_map(|(text, at, byte)| {
            let mut bytes = text.into_bytes();
            if !bytes.is_empty() {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            bytes
        }),
    ]
    .boxed()
}

/// One example with one node changed, as a `Value` (when it can be one) and
/// as text.
#[derive(Debug, Clone)]
pub struct Mutated {
    /// Where the change is, as a JSON pointer.
    #[allow(dead_code, reason = "read by Debug, in the failure message")]
    pointer: String,
    /// The changed document as a value; `None` when a raw token was spliced in.
    value: Option<Value>,
    /// The changed document as text.
    text: String,
}

const HOLE: &str = "\u{0}response-props-hole\u{0}";

fn mutate(example: &Value, at: Index, how: u8, replacement: Value, token: &str) -> Mutated {
    let mut pointers = Vec::new();
    pointers_of(example, "", &mut pointers);
    let mut doc = example.clone();
    // Skip the root when there is anything below it: replacing the whole
    // document is what the arbitrary-JSON property already does.
    let pointer = if pointers.len() > 1 {
        pointers[1 + at.index(pointers.len() - 1)].clone()
    } else {
        String::new()
    };
    match how % 3 {
        0 => {
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = replacement;
            }
            let text = doc.to_string();
            Mutated {
                pointer,
                value: Some(doc),
                text,
            }
        }
        1 => {
            let removed = remove(&mut doc, &pointer);
            if !removed && let Some(node) = doc.pointer_mut(&pointer) {
                *node = Value::Null;
            }
            let text = doc.to_string();
            Mutated {
                pointer,
                value: Some(doc),
                text,
            }
        }
        _ => {
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = Value::from(HOLE);
            }
            let text = doc
                .to_string()
                .replacen(&Value::from(HOLE).to_string(), token, 1);
            Mutated {
                pointer,
                value: None,
                text,
            }
        }
    }
}

fn pointers_of(value: &Value, here: &str, out: &mut Vec<String>) {
    out.push(here.to_owned());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers_of(v, &format!("{here}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers_of(v, &format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn remove(doc: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

fn example_input(examples: &[Value], own: &[String], pool: &Pool) -> BoxedStrategy<Mutated> {
    (
        select(examples.to_vec()),
        any::<Index>(),
        any::<u8>(),
        json_value(own, pool),
        select(RAW_TOKENS),
    )
        .prop_map(|(example, at, how, replacement, token)| {
            mutate(&example, at, how, replacement, token)
        })
        .boxed()
}

// ---------------------------------------------------------------------------
// The pool: keys, strings and fixture documents shared by every type.

/// What one type's `Deserialize` asked for, and the examples it gets.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Field and variant names, in every mode explored.
    keys: Vec<String>,
    /// The top-level struct's field names (empty for a map, enum or scalar).
    top_keys: Vec<String>,
    /// Whether it asked for a struct's fields at the top (objects only).
    is_object: bool,
    /// Fixture sub-values that decode into it.
    real: Vec<Value>,
    /// Examples synthesized by [`explore`] that decode into it.
    synthesized: Vec<Value>,
    /// Synthesized examples that do not decode (used when there is nothing else).
    rejected: Vec<Value>,
    /// Why exploring failed, if it panicked.
    panic: Option<String>,
}

/// Everything the properties draw from, built once per test binary.
#[derive(Debug)]
pub struct Pool {
    /// Object keys: every field name any listed type asked for, plus
    /// identifier-like string literals of `src/`.
    keys: Vec<String>,
    /// String leaves: variant names and the short string literals of `src/`.
    strings: Vec<String>,
    /// Every fixture document, by file name.
    fixtures: Vec<(String, Value)>,
    /// Per type, by `type_name`.
    shapes: BTreeMap<&'static str, Shape>,
}

impl Pool {
    /// A pool seeded with the JSON `fixtures`, paths relative to `manifest_dir`.
    pub fn new(manifest_dir: &str, fixtures: &[&str]) -> Pool {
        let root = Path::new(manifest_dir);
        let mut keys = BTreeSet::new();
        let mut strings = BTreeSet::new();
        for file in rust_files(&root.join("src")) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for literal in lex(&text).literals {
                if literal.is_empty()
                    || literal.chars().count() > 40
                    || literal.contains(['{', '\n'])
                {
                    continue;
                }
                if is_key_like(&literal) {
                    keys.insert(literal.clone());
                }
                strings.insert(literal);
            }
        }
        let fixtures = fixtures
            .iter()
            .map(|name| {
                let path = root.join(name);
                let text = std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
                let value: Value = serde_json::from_slice(&text)
                    .unwrap_or_else(|e| panic!("fixture {} is not JSON: {e}", path.display()));
                ((*name).to_owned(), value)
            })
            .collect();
        strings.extend(ODD_STRINGS.iter().map(|s| (*s).to_owned()));
        Pool {
            keys: keys.into_iter().collect(),
            strings: strings.into_iter().collect(),
            fixtures,
            shapes: BTreeMap::new(),
        }
    }

    /// Explores `T` and finds its fixture examples.
    pub fn learn<T: DeserializeOwned>(&mut self) {
        let mut shape = match catch_unwind(explore::<T>) {
            Ok(shape) => shape,
            Err(panic) => Shape {
                panic: Some(panic_text(&*panic)),
                ..Shape::default()
            },
        };
        // A fixture node is an example of this type when most of its keys
        // are the type's own top-level fields.
        let own: BTreeSet<&str> = if shape.top_keys.is_empty() {
            &shape.keys
        } else {
            &shape.top_keys
        }
        .iter()
        .map(String::as_str)
        .collect();
        // A type that reads a bare string or number (an enum, an id) takes
        // scalar examples; anything else takes objects.
        let scalar_like = [Value::from("x"), Value::from(1)].into_iter().any(|v| {
            matches!(
                catch_unwind(AssertUnwindSafe(|| serde_json::from_value::<T>(v).is_ok())),
                Ok(true)
            )
        });
        for (_, doc) in &self.fixtures {
            let mut nodes = Vec::new();
            nodes_of(doc, &mut nodes);
            for node in nodes {
                if shape.real.len() >= 4 {
                    break;
                }
                let fits = match node {
                    Value::Object(map) if shape.is_object => {
                        let known = map.keys().filter(|k| own.contains(k.as_str())).count();
                        known > 0 && known * 2 >= map.len()
                    }
                    Value::Object(_) => !scalar_like,
                    Value::Array(_) => false,
                    _ => scalar_like,
                };
                if fits
                    && !shape.real.contains(node)
                    && matches!(
                        catch_unwind(AssertUnwindSafe(|| serde_json::from_value::<T>(
                            node.clone()
                        )
                        .is_ok())),
                        Ok(true)
                    )
                {
                    shape.real.push(node.clone());
                }
            }
        }
        self.keys.extend(shape.keys.iter().cloned());
        self.strings.extend(shape.keys.iter().cloned());
        self.keys.sort();
        self.keys.dedup();
        self.strings.sort();
        self.strings.dedup();
        self.shapes.insert(type_name::<T>(), shape);
    }

    fn shape<T>(&self) -> &Shape {
        &self.shapes[type_name::<T>()]
    }

    /// Every fixture file must be the example of at least one covered type,
    /// or it is not doing its job (or the types no longer read it).
    pub fn assert_fixtures_used(&self) {
        assert!(
            !self.fixtures.is_empty(),
            "no fixture: list at least one real example"
        );
        let mut unused = Vec::new();
        for (name, doc) in &self.fixtures {
            let mut nodes = Vec::new();
            nodes_of(doc, &mut nodes);
            let used = self
                .shapes
                .values()
                .any(|shape| shape.is_object && shape.real.iter().any(|r| nodes.contains(&r)));
            if !used {
                unused.push(name.clone());
            }
        }
        assert!(
            unused.is_empty(),
            "fixtures no covered type decodes any part of: {unused:?}"
        );
        let seeded: Vec<&str> = self
            .shapes
            .iter()
            .filter(|(_, s)| s.is_object && !s.real.is_empty())
            .map(|(name, _)| *name)
            .collect();
        eprintln!("types seeded by a fixture: {seeded:?}");
    }
}

fn nodes_of<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    out.push(value);
    match value {
        Value::Object(map) => map.values().for_each(|v| nodes_of(v, out)),
        Value::Array(items) => items.iter().for_each(|v| nodes_of(v, out)),
        _ => {}
    }
}

fn is_key_like(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic".to_owned())
}

// ---------------------------------------------------------------------------
// Running.

/// The outcome of one property over every type.
pub struct Report {
    property: Property,
    source_file: &'static str,
    min_cases: u32,
    /// Shrinking steps, when not proptest's default.
    max_shrink_iters: Option<u32>,
    failures: Vec<String>,
    types: usize,
    cases: u64,
    decoded: u64,
    round_trips: u64,
    with_real_example: usize,
    with_synthesized_example: usize,
}

impl Report {
    /// An empty report of `property`, for the test file `source_file`.
    pub fn new(property: Property, source_file: &'static str) -> Report {
        Report {
            property,
            source_file,
            min_cases: 0,
            max_shrink_iters: None,
            failures: Vec::new(),
            types: 0,
            cases: 0,
            decoded: 0,
            round_trips: 0,
            with_real_example: 0,
            with_synthesized_example: 0,
        }
    }

    fn config(&self) -> Config {
        let mut config = contextualize_config(Config {
            cases: DEFAULT_CASES,
            source_file: Some(self.source_file),
            // The shrunk input is in the failure message; regressions files
            // would be shared by every type and every property.
            failure_persistence: None,
            // ChaCha, the default, is most of the run time in a debug build.
            rng_algorithm: RngAlgorithm::XorShift,
            ..Config::default()
        });
        config.cases = config.cases.max(self.min_cases);
        if let Some(iters) = self.max_shrink_iters {
            config.max_shrink_iters = iters;
        }
        config
    }

    /// Runs this report's property over `T`.
    pub fn run<T: DeserializeOwned>(
        &mut self,
        pool: &Pool,
        round_trip: impl Fn(&T) -> Result<bool, String>,
    ) {
        self.types += 1;
        let shape = pool.shape::<T>();
        if let Some(panic) = &shape.panic {
            self.failures.push(format!(
                "{}: exploring its Deserialize panicked: {panic}",
                type_name::<T>()
            ));
        }
        let own = if shape.keys.is_empty() {
            pool.keys.clone()
        } else {
            shape.keys.clone()
        };
        let cases = Cell::new(0u64);
        let decoded = Cell::new(0u64);
        let round_trips = Cell::new(0u64);
        let check = |t: Result<T, serde_json::Error>| -> Result<(), TestCaseError> {
            if let Ok(t) = t {
                decoded.set(decoded.get() + 1);
                if round_trip(&t).map_err(TestCaseError::fail)? {
                    round_trips.set(round_trips.get() + 1);
                }
            }
            Ok(())
        };
        let mut runner = TestRunner::new(self.config());
        let outcome = match self.property {
            Property::Bytes => runner
                .run(&bytes_input(&own, pool), |bytes| {
                    cases.set(cases.get() + 1);
                    check(serde_json::from_slice::<T>(&bytes))
                })
                .map_err(|e| e.to_string()),
            Property::Json => runner
                .run(&json_value(&own, pool), |value| {
                    cases.set(cases.get() + 1);
                    let text = value.to_string();
                    let from_value = serde_json::from_value::<T>(value);
                    let from_text = serde_json::from_slice::<T>(text.as_bytes());
                    // A body decodes the same whether it is read from text or
                    // from a `Value` first (the envelope decoders do both).
                    if from_value.is_ok() != from_text.is_ok() {
                        return Err(TestCaseError::fail(format!(
                            "from a Value: {:?}; from text: {:?}",
                            from_value.as_ref().err().map(ToString::to_string),
                            from_text.as_ref().err().map(ToString::to_string),
                        )));
                    }
                    check(from_value)?;
                    check(from_text)
                })
                .map_err(|e| e.to_string()),
            Property::Example => {
                let examples: Vec<Value> =
                    if !shape.real.is_empty() || !shape.synthesized.is_empty() {
                        shape
                            .real
                            .iter()
                            .chain(&shape.synthesized)
                            .cloned()
                            .collect()
                    } else if !shape.rejected.is_empty() {
                        shape.rejected.clone()
                    } else {
                        vec![Value::Null]
                    };
                self.with_real_example += usize::from(!shape.real.is_empty());
                self.with_synthesized_example += usize::from(!shape.synthesized.is_empty());
                // The unchanged examples decode (that is how they were chosen);
                // they must round-trip too.
                for example in &examples {
                    if let Ok(t) = serde_json::from_value::<T>(example.clone())
                        && let Err(e) = round_trip(&t)
                    {
                        self.failures
                            .push(format!("{}: example {example}: {e}", type_name::<T>()));
                    }
                }
                runner
                    .run(&example_input(&examples, &own, pool), |mutated| {
                        cases.set(cases.get() + 1);
                        if let Some(value) = mutated.value {
                            check(serde_json::from_value::<T>(value))?;
                        }
                        check(serde_json::from_slice::<T>(mutated.text.as_bytes()))
                    })
                    .map_err(|e| e.to_string())
            }
        };
        if let Err(e) = outcome {
            self.failures.push(format!("{}: {e}", type_name::<T>()));
        }
        self.cases += cases.get();
        self.decoded += decoded.get();
        self.round_trips += round_trips.get();
    }

    /// Fails with every type's failure, or prints what ran.
    pub fn finish(self) {
        eprintln!(
            "{:?}: {} types, {} cases, {} decoded, {} round trips checked{}",
            self.property,
            self.types,
            self.cases,
            self.decoded,
            self.round_trips,
            if self.property == Property::Example {
                format!(
                    "; {} types with a fixture example, {} with a synthesized one",
                    self.with_real_example, self.with_synthesized_example
                )
            } else {
                String::new()
            }
        );
        assert!(self.cases > 0, "no case ran");
        assert!(
            self.failures.is_empty(),
            "{} of {} types failed {:?}:\n{}",
            self.failures.len(),
            self.types,
            self.property,
            self.failures.join("\n\n")
        );
    }
}

// ---------------------------------------------------------------------------
// Exploring a `Deserialize` impl.

/// What a probe answers when it is asked for "anything" (`deserialize_any`:
/// untagged enums, `Value`, the lenient readers).
#[derive(Debug, Clone, Copy)]
enum AnyAs {
    Null,
    Text,
    Number,
    Object,
}

#[derive(Debug)]
struct Explorer {
    keys: BTreeSet<String>,
    top_keys: BTreeSet<String>,
    any_as: AnyAs,
    /// Which variant every enum picks (modulo its count).
    variant: usize,
    /// The most variants any enum had.
    most_variants: usize,
}

type Shared = Rc<RefCell<Explorer>>;
type Slot = Rc<RefCell<Value>>;

const MAX_DEPTH: usize = 12;

/// Explores `T` in every mode and returns its keys and synthesized examples.
pub fn explore<T: DeserializeOwned>() -> Shape {
    let mut shape = Shape::default();
    let mut keys = BTreeSet::new();
    let mut top_keys = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for any_as in [AnyAs::Null, AnyAs::Text, AnyAs::Number, AnyAs::Object] {
        let mut variant = 0;
        loop {
            let explorer = Rc::new(RefCell::new(Explorer {
                keys: BTreeSet::new(),
                top_keys: BTreeSet::new(),
                any_as,
                variant,
                most_variants: 0,
            }));
            let slot: Slot = Rc::new(RefCell::new(Value::Null));
            let top = Rc::new(Cell::new(false));
            let _ = T::deserialize(Probe {
                explorer: explorer.clone(),
                slot: slot.clone(),
                depth: 0,
                top: Some(top.clone()),
            });
            shape.is_object |= top.get();
            let explorer = explorer.borrow();
            keys.extend(explorer.keys.iter().cloned());
            top_keys.extend(explorer.top_keys.iter().cloned());
            let example = slot.borrow().clone();
            if seen.insert(example.to_string()) {
                if serde_json::from_value::<T>(example.clone()).is_ok() {
                    shape.synthesized.push(example);
                } else {
                    shape.rejected.push(example);
                }
            }
            variant += 1;
            if variant >= explorer.most_variants.min(6) {
                break;
            }
        }
    }
    shape.synthesized.truncate(6);
    shape.rejected.truncate(3);
    shape.keys = keys.into_iter().collect();
    shape.top_keys = top_keys.into_iter().collect();
    shape
}

/// A deserializer that answers whatever it is asked, and writes what it
/// answered into `slot`.
struct Probe {
    explorer: Shared,
    slot: Slot,
    depth: usize,
    /// Set when the top-level value asks for a struct (so is an object).
    top: Option<Rc<Cell<bool>>>,
}

impl Probe {
    fn put(&self, value: Value) {
        *self.slot.borrow_mut() = value;
    }

    fn child(&self) -> (Probe, Slot) {
        let slot: Slot = Rc::new(RefCell::new(Value::Null));
        (
            Probe {
                explorer: self.explorer.clone(),
                slot: slot.clone(),
                depth: self.depth + 1,
                top: None,
            },
            slot,
        )
    }

    fn too_deep(&self) -> bool {
        self.depth >= MAX_DEPTH
    }

    fn map_of(&self, keys: Vec<&'static str>) -> MapProbe {
        MapProbe {
            parent: Probe {
                explorer: self.explorer.clone(),
                slot: self.slot.clone(),
                depth: self.depth,
                top: None,
            },
            keys: keys.into(),
            current: None,
            filled: Vec::new(),
        }
    }
}

/// `visitor.expecting()` as text.
struct Expecting<'a, V>(&'a V);

impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
}

fn text_for<'de, V: Visitor<'de>>(visitor: &V) -> &'static str {
    let expecting = Expecting(visitor).to_string().to_ascii_lowercase();
    if expecting.contains("date") || expecting.contains("time") || expecting.contains("rfc") {
        "2024-01-02T03:04:05Z"
    } else if expecting.contains("number") || expecting.contains("integer") {
        "12"
    } else {
        "x"
    }
}

macro_rules! answer_int {
    ($($method:ident => $visit:ident($n:expr)),+ $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
            self.put(Value::from($n));
            visitor.$visit($n)
        }
    )+};
}

impl<'de> Deserializer<'de> for Probe {
    type Error = ProbeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        let any_as = self.explorer.borrow().any_as;
        match any_as {
            AnyAs::Null => {
                self.put(Value::Null);
                visitor.visit_unit()
            }
            AnyAs::Text => {
                let text = text_for(&visitor);
                self.put(Value::from(text));
                visitor.visit_str(text)
            }
            AnyAs::Number => {
                self.put(Value::from(12));
                visitor.visit_u64(12)
            }
            AnyAs::Object => {
                let mut map = self.map_of(Vec::new());
                let result = visitor.visit_map(&mut map);
                map.finish();
                result
            }
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.put(Value::Bool(true));
        visitor.visit_bool(true)
    }

    answer_int! {
        deserialize_i8 => visit_i64(1i64),
        deserialize_i16 => visit_i64(1i64),
        deserialize_i32 => visit_i64(1i64),
        deserialize_i64 => visit_i64(1i64),
        deserialize_u8 => visit_u64(1u64),
        deserialize_u16 => visit_u64(1u64),
        deserialize_u32 => visit_u64(1u64),
        deserialize_u64 => visit_u64(1u64),
        deserialize_f32 => visit_f64(1.5f64),
        deserialize_f64 => visit_f64(1.5f64),
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.put(Value::from("x"));
        visitor.visit_char('x')
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        let text = text_for(&visitor);
        self.put(Value::from(text));
        visitor.visit_str(text)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.put(Value::from("x"));
        visitor.visit_bytes(b"x")
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        if self.too_deep() {
            self.put(Value::Null);
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.put(Value::Null);
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_tuple(1, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let len = if self.too_deep() { 0 } else { len };
        let mut seq = SeqProbe {
            items: (0..len).map(|_| self.child()).collect(),
            filled: Vec::new(),
        };
        let result = visitor.visit_seq(&mut seq);
        self.put(Value::Array(
            seq.filled.iter().map(|s| s.borrow().clone()).collect(),
        ));
        result
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        if let Some(top) = &self.top {
            top.set(true);
        }
        let keys = if self.too_deep() {
            Vec::new()
        } else {
            vec!["k"]
        };
        let mut map = self.map_of(keys);
        let result = visitor.visit_map(&mut map);
        map.finish();
        result
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let mut explorer = self.explorer.borrow_mut();
        if let Some(top) = &self.top {
            top.set(true);
            explorer
                .top_keys
                .extend(fields.iter().map(|f| (*f).to_owned()));
        }
        explorer.keys.extend(fields.iter().map(|f| (*f).to_owned()));
        drop(explorer);
        let keys = if self.too_deep() {
            Vec::new()
        } else {
            fields.to_vec()
        };
        let mut map = self.map_of(keys);
        let result = visitor.visit_map(&mut map);
        map.finish();
        result
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let pick = {
            let mut explorer = self.explorer.borrow_mut();
            explorer
                .keys
                .extend(variants.iter().map(|v| (*v).to_owned()));
            explorer.most_variants = explorer.most_variants.max(variants.len());
            variants
                .get(explorer.variant % variants.len().max(1))
                .copied()
        };
        match pick {
            Some(name) if !self.too_deep() => visitor.visit_enum(EnumProbe { name, probe: self }),
            _ => Err(de::Error::custom("no variant to pick")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.put(Value::from("x"));
        visitor.visit_str("x")
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_unit()
    }
}

struct SeqProbe {
    items: VecDeque<(Probe, Slot)>,
    filled: Vec<Slot>,
}

impl<'de> SeqAccess<'de> for SeqProbe {
    type Error = ProbeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ProbeError> {
        match self.items.pop_front() {
            Some((probe, slot)) => {
                self.filled.push(slot);
                seed.deserialize(probe).map(Some)
            }
            None => Ok(None),
        }
    }
}

struct MapProbe {
    parent: Probe,
    keys: VecDeque<&'static str>,
    current: Option<&'static str>,
    filled: Vec<(&'static str, Slot)>,
}

impl MapProbe {
    fn finish(self) {
        let object = self
            .filled
            .iter()
            .map(|(k, slot)| ((*k).to_owned(), slot.borrow().clone()))
            .collect();
        self.parent.put(Value::Object(object));
    }
}

impl<'de> MapAccess<'de> for MapProbe {
    type Error = ProbeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ProbeError> {
        match self.keys.pop_front() {
            Some(key) => {
                self.current = Some(key);
                seed.deserialize(BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, ProbeError> {
        let key = self.current.take().unwrap_or("k");
        let (probe, slot) = self.parent.child();
        self.filled.push((key, slot));
        seed.deserialize(probe)
    }
}

struct EnumProbe {
    name: &'static str,
    probe: Probe,
}

impl<'de> EnumAccess<'de> for EnumProbe {
    type Error = ProbeError;
    type Variant = EnumProbe;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, EnumProbe), ProbeError> {
        let value = seed.deserialize(BorrowedStrDeserializer::<ProbeError>::new(self.name))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for EnumProbe {
    type Error = ProbeError;

    fn unit_variant(self) -> Result<(), ProbeError> {
        self.probe.put(Value::from(self.name));
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, ProbeError> {
        let (child, slot) = self.probe.child();
        let result = seed.deserialize(child);
        let inner = slot.borrow().clone();
        self.probe.put(serde_json::json!({ self.name: inner }));
        result
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let (child, slot) = self.probe.child();
        let result = child.deserialize_tuple(len, visitor);
        let inner = slot.borrow().clone();
        self.probe.put(serde_json::json!({ self.name: inner }));
        result
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let (child, slot) = self.probe.child();
        let result = child.deserialize_struct(self.name, fields, visitor);
        let inner = slot.borrow().clone();
        self.probe.put(serde_json::json!({ self.name: inner }));
        result
    }
}

// ---------------------------------------------------------------------------
// The source scan.

/// The crate's `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Source text with comments blanked and string and char literals emptied
/// (line breaks kept), and the literals' contents.
pub struct Lexed {
    /// The source with comments and literal contents blanked.
    pub code: String,
    /// The contents of the string and char literals, in order.
    pub literals: Vec<String>,
}

/// Blanks comments and literals so that braces and keywords in them do not count.
pub fn lex(text: &str) -> Lexed {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut literals = Vec::new();
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                code.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    code.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    code.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    code.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && !prev_ident && {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let mut j = start;
            while chars.get(j) == Some(&'#') {
                j += 1;
            }
            chars.get(j) == Some(&'"')
        } {
            // Raw string: r"..", r#".."#, br#".."#.
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let mut j = start;
            while chars[j] == '#' {
                j += 1;
            }
            let hashes = j - start;
            for _ in i..=j {
                code.push(' ');
            }
            i = j + 1;
            let mut literal = String::new();
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#')) {
                    for _ in 0..=hashes {
                        code.push(' ');
                    }
                    i += 1 + hashes;
                    break;
                }
                literal.push(chars[i]);
                code.push(blank(chars[i]));
                i += 1;
            }
            code.push_str("\"\"");
            literals.push(literal);
        } else if c == '"' {
            code.push('"');
            i += 1;
            let mut literal = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    code.push(' ');
                    i += 1;
                    if let Some(&escaped) = chars.get(i) {
                        literal.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                        code.push(blank(escaped));
                        i += 1;
                    }
                } else {
                    literal.push(chars[i]);
                    code.push(blank(chars[i]));
                    i += 1;
                }
            }
            code.push('"');
            i += 1;
            literals.push(literal);
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('de).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                for _ in i..=j.min(chars.len() - 1) {
                    code.push(' ');
                }
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                code.push_str("   ");
                i += 3;
            } else {
                code.push('\'');
                i += 1;
            }
        } else {
            code.push(c);
            i += 1;
        }
    }
    Lexed { code, literals }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Punct(char),
}

fn tokens(code: &str) -> Vec<(Tok, usize)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        } else if c.is_alphabetic() || c == '_' {
            let mut ident = String::from(c);
            while let Some(&n) = chars.peek() {
                if n.is_alphanumeric() || n == '_' {
                    ident.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push((Tok::Ident(ident), line));
        } else if c.is_ascii_digit() {
            while chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '_')
            {
                chars.next();
            }
        } else if !c.is_whitespace() {
            out.push((Tok::Punct(c), line));
        }
    }
    out
}

fn is_ident(tok: Option<&(Tok, usize)>, name: &str) -> bool {
    matches!(tok, Some((Tok::Ident(i), _)) if i == name)
}

fn is_punct(tok: Option<&(Tok, usize)>, c: char) -> bool {
    matches!(tok, Some((Tok::Punct(p), _)) if *p == c)
}

/// The index just past the group that opens at `open` (`(`, `[` or `{`).
fn group_end(toks: &[(Tok, usize)], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, (tok, _)) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// The index just past the `<..>` that opens at `open`.
fn angle_end(toks: &[(Tok, usize)], open: usize) -> usize {
    let mut depth = 0usize;
    for i in open..toks.len() {
        if is_punct(toks.get(i), '<') {
            depth += 1;
        } else if is_punct(toks.get(i), '>') && !(i > 0 && is_punct(toks.get(i - 1), '-')) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + 1;
            }
        }
    }
    toks.len()
}

/// The type named by `impl<'de> [path::]Deserialize<'de> for [path::]Name`
/// starting at `at` (an `impl`), if this impl is one. A `$name` (in a macro
/// body) comes back with its `$`.
fn deserialize_impl_target(toks: &[(Tok, usize)], at: usize) -> Option<String> {
    let mut i = at + 1;
    if is_punct(toks.get(i), '<') {
        i = angle_end(toks, i);
    }
    // The trait's path: `serde::de::Deserialize`.
    while matches!(toks.get(i), Some((Tok::Ident(_), _)))
        && is_punct(toks.get(i + 1), ':')
        && is_punct(toks.get(i + 2), ':')
    {
        i += 3;
    }
    if !is_ident(toks.get(i), "Deserialize") || !is_punct(toks.get(i + 1), '<') {
        return None;
    }
    i = angle_end(toks, i + 1);
    if !is_ident(toks.get(i), "for") {
        return None;
    }
    // The last segment of the type's path, before generics, braces or `where`.
    let mut name = None;
    let mut dollar = false;
    for (tok, _) in &toks[i + 1..] {
        match tok {
            Tok::Ident(id) if id == "where" => break,
            Tok::Ident(id) => name = Some(id.clone()),
            Tok::Punct('$') => dollar = true,
            Tok::Punct(':') => {}
            Tok::Punct(_) => break,
        }
    }
    name.map(|n| if dollar { format!("${n}") } else { n })
}

/// `pub struct Name` / `pub enum Name` at `at` (a `pub`), not `pub(crate)`.
fn pub_item_name(toks: &[(Tok, usize)], at: usize) -> Option<String> {
    if !is_ident(toks.get(at), "pub") {
        return None;
    }
    if !(is_ident(toks.get(at + 1), "struct") || is_ident(toks.get(at + 1), "enum")) {
        return None;
    }
    match toks.get(at + 2) {
        Some((Tok::Ident(name), _)) => Some(name.clone()),
        _ => None,
    }
}

fn attr_derives_deserialize(attr: &[(Tok, usize)]) -> bool {
    attr.iter().any(|(t, _)| *t == Tok::Ident("derive".into()))
        && attr
            .iter()
            .any(|(t, _)| *t == Tok::Ident("Deserialize".into()))
}

fn attr_is_cfg_test(attr: &[(Tok, usize)]) -> bool {
    let idents: Vec<&str> = attr
        .iter()
        .filter_map(|(t, _)| match t {
            Tok::Ident(i) => Some(i.as_str()),
            Tok::Punct(_) => None,
        })
        .collect();
    idents.first() == Some(&"cfg") && idents.contains(&"test") && !idents.contains(&"not")
}

/// Names of local `macro_rules!` whose body derives or implements
/// `Deserialize` for a `$`-named type.
fn deserialize_macros(toks: &[(Tok, usize)]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < toks.len() {
        if is_ident(toks.get(i), "macro_rules")
            && is_punct(toks.get(i + 1), '!')
            && let Some((Tok::Ident(name), _)) = toks.get(i + 2)
        {
            let end = group_end(toks, i + 3);
            let body = &toks[i + 3..end];
            let implements = (0..body.len()).any(|j| {
                is_ident(body.get(j), "impl")
                    && deserialize_impl_target(body, j).is_some_and(|t| t.starts_with('$'))
            });
            let derives = (0..body.len()).any(|j| {
                is_punct(body.get(j), '#') && is_punct(body.get(j + 1), '[') && {
                    let attr_end = group_end(body, j + 1);
                    attr_derives_deserialize(&body[j..attr_end])
                        && is_ident(body.get(attr_end), "pub")
                        && (is_ident(body.get(attr_end + 1), "struct")
                            || is_ident(body.get(attr_end + 1), "enum"))
                        && is_punct(body.get(attr_end + 2), '$')
                }
            });
            if implements || derives {
                out.insert(name.clone());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// How the scan came upon a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `pub struct`/`pub enum` with `Deserialize` in a derive.
    Derived,
    /// Declared by `open_enum!` or a local macro that implements `Deserialize`.
    Macro,
    /// `impl<'de> Deserialize<'de> for X`, whatever the visibility of `X`.
    Impl,
    /// `pub struct`/`pub enum` without a derive of `Deserialize`.
    Declared,
}

/// One type the scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `crate_name::module::Type`.
    pub path: String,
    /// `src/file.rs:line` and how it was found.
    pub at: String,
    how: How,
}

/// The public `Deserialize` types among what [`scan_file`] found: derived
/// or macro-made ones, and manually implemented ones whose type is declared
/// `pub` (in the impl's module, else anywhere in the crate by name).
fn resolve(found: &[Found]) -> Vec<Found> {
    let declared: Vec<&Found> = found.iter().filter(|f| f.how != How::Impl).collect();
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        let path = match f.how {
            How::Derived | How::Macro => Some(f.path.clone()),
            How::Declared => None,
            How::Impl => {
                let name = f.path.rsplit("::").next().unwrap_or_default();
                declared
                    .iter()
                    .find(|d| d.path == f.path)
                    .or_else(|| {
                        declared
                            .iter()
                            .find(|d| d.path.rsplit("::").next() == Some(name))
                    })
                    .map(|d| d.path.clone())
            }
        };
        if let Some(path) = path
            && !out.iter().any(|o| o.path == path)
        {
            out.push(Found {
                path,
                at: f.at.clone(),
                how: f.how,
            });
        }
    }
    out
}

/// Scans one file's code (already lexed) for `Deserialize` types.
/// `macros` are the local macros that implement `Deserialize`; `open_enum`
/// is always one.
pub fn scan_file(
    code: &str,
    module: &str,
    file: &str,
    macros: &BTreeSet<String>,
    out: &mut Vec<Found>,
) {
    let toks = tokens(code);
    let mut modules: Vec<(String, usize)> = Vec::new(); // (name, brace depth it opened at)
    let mut depth = 0usize;
    let mut attrs: Vec<Vec<(Tok, usize)>> = Vec::new();
    let mut i = 0;
    let mut record = |name: &str, line: usize, how: How, modules: &[(String, usize)]| {
        let mut path = module.to_owned();
        for (m, _) in modules {
            path.push_str("::");
            path.push_str(m);
        }
        out.push(Found {
            path: format!("{path}::{name}"),
            at: format!("{file}:{line} ({how:?})"),
            how,
        });
    };
    while i < toks.len() {
        let line = toks[i].1;
        // Attributes.
        if is_punct(toks.get(i), '#') && is_punct(toks.get(i + 1), '[') {
            let end = group_end(&toks, i + 1);
            attrs.push(toks[i + 2..end.saturating_sub(1)].to_vec());
            i = end;
            continue;
        }
        // `#[cfg(test)] mod x { .. }`: skipped whole.
        if is_ident(toks.get(i), "mod")
            || (is_ident(toks.get(i), "pub") && is_ident(toks.get(i + 1), "mod"))
        {
            let m = if is_ident(toks.get(i), "mod") {
                i
            } else {
                i + 1
            };
            if let Some((Tok::Ident(name), _)) = toks.get(m + 1)
                && is_punct(toks.get(m + 2), '{')
            {
                if attrs.iter().any(|a| attr_is_cfg_test(a)) {
                    i = group_end(&toks, m + 2);
                } else {
                    modules.push((name.clone(), depth));
                    depth += 1;
                    i = m + 3;
                }
                attrs.clear();
                continue;
            }
        }
        // `macro_rules! name { .. }`: its body is not code of this module.
        if is_ident(toks.get(i), "macro_rules") && is_punct(toks.get(i + 1), '!') {
            i = group_end(&toks, i + 3);
            attrs.clear();
            continue;
        }
        // `open_enum! { .. }` and local Deserialize macros.
        if let Some((Tok::Ident(name), _)) = toks.get(i)
            && (name == "open_enum" || macros.contains(name))
            && is_punct(toks.get(i + 1), '!')
            && matches!(toks.get(i + 2), Some((Tok::Punct('(' | '{' | '['), _)))
        {
            let end = group_end(&toks, i + 2);
            let body = &toks[i + 3..end.saturating_sub(1)];
            let mut j = 0;
            let mut found = None;
            while j < body.len() {
                if is_punct(body.get(j), '#') && is_punct(body.get(j + 1), '[') {
                    j = group_end(body, j + 1);
                    continue;
                }
                if let Some(item) = pub_item_name(body, j) {
                    found = Some(item);
                    break;
                }
                if let Some((Tok::Ident(ident), _)) = body.get(j)
                    && ident != "pub"
                {
                    found = Some(ident.clone());
                    break;
                }
                j += 1;
            }
            if let Some(found) = found {
                record(&found, line, How::Macro, &modules);
            }
            i = end;
            attrs.clear();
            continue;
        }
        if let Some(name) = pub_item_name(&toks, i) {
            let how = if attrs.iter().any(|a| attr_derives_deserialize(a)) {
                How::Derived
            } else {
                How::Declared
            };
            record(&name, line, how, &modules);
            attrs.clear();
            i += 3;
            continue;
        }
        if is_ident(toks.get(i), "impl") {
            if let Some(name) = deserialize_impl_target(&toks, i)
                && !name.starts_with('$')
            {
                record(&name, line, How::Impl, &modules);
            }
            attrs.clear();
            i += 1;
            continue;
        }
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if modules.last().is_some_and(|(_, d)| *d == depth) {
                    modules.pop();
                }
            }
            _ => {}
        }
        if !is_ident(toks.get(i), "pub")
            && !is_punct(toks.get(i), '(')
            && !is_punct(toks.get(i), ')')
        {
            attrs.clear();
        }
        i += 1;
    }
}

/// Every `Deserialize` type of the crate's `src/` whose own visibility is
/// `pub` (whether it is reachable is for the compiler to say: an unreachable
/// one cannot be listed, so it must be excluded with a reason).
pub fn scan_crate(manifest_dir: &str, package: &str) -> Vec<Found> {
    let src = Path::new(manifest_dir).join("src");
    let krate = package.replace('-', "_");
    let files: Vec<(PathBuf, String)> = rust_files(&src)
        .into_iter()
        .map(|path| {
            let code = lex(&std::fs::read_to_string(&path).unwrap_or_default()).code;
            (path, code)
        })
        .collect();
    let mut macros = BTreeSet::new();
    for (_, code) in &files {
        macros.extend(deserialize_macros(&tokens(code)));
    }
    let mut found = Vec::new();
    for (path, code) in &files {
        let relative = path.strip_prefix(&src).unwrap_or(path);
        let mut module = vec![krate.clone()];
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
            .collect();
        for (n, part) in parts.iter().enumerate() {
            let last = n + 1 == parts.len();
            if last && (part == "lib" || part == "mod" || part == "main") {
                continue;
            }
            module.push(part.clone());
        }
        let file = format!("src/{}", relative.display());
        scan_file(code, &module.join("::"), &file, &macros, &mut found);
    }
    resolve(&found)
}

/// Fails unless every type the scan finds is in `covered` (by its
/// `type_name`, generics stripped) or in `excluded`, and every listed or
/// excluded type is one the scan finds.
pub fn completeness(
    manifest_dir: &str,
    package: &str,
    covered: &[&str],
    excluded: &[(&str, &str)],
) {
    let found = scan_crate(manifest_dir, package);
    assert!(
        found.len() >= 5,
        "the source scan found only {found:?}: is it still reading src/?"
    );
    let covered: BTreeSet<String> = covered
        .iter()
        .map(|name| name.split('<').next().unwrap_or(name).to_owned())
        .collect();
    let excluded_paths: BTreeSet<&str> = excluded.iter().map(|(path, _)| *path).collect();
    let found_paths: BTreeSet<&str> = found.iter().map(|f| f.path.as_str()).collect();
    let mut problems = Vec::new();
    for f in &found {
        if !covered.contains(&f.path) && !excluded_paths.contains(f.path.as_str()) {
            problems.push(format!(
                "{} ({}) is not in response_props.rs: add it to `types` (or to `excluded` with a reason)",
                f.path, f.at
            ));
        }
    }
    for name in &covered {
        if !found_paths.contains(name.as_str()) {
            problems.push(format!(
                "{name} is listed but the source scan does not find it (moved? renamed?)"
            ));
        }
    }
    for (path, why) in excluded {
        if !found_paths.contains(path) {
            problems.push(format!("{path} is excluded ({why}) but no longer exists"));
        }
        if covered.contains(*path) {
            problems.push(format!("{path} is both listed and excluded"));
        }
        assert!(
            !why.trim().is_empty(),
            "{path}: an exclusion needs a reason"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "{} Deserialize types in src/: {} covered, {} excluded",
        found.len(),
        covered.len(),
        excluded.len()
    );
}

#[allow(dead_code, reason = "only the crates with such a decoder use it")]
/// A public body decoder that is not a `Deserialize` impl (a webhook or
/// callback parser): arbitrary bytes, arbitrary JSON keyed by the crate's
/// field names, and mutated fixtures never make it panic.
pub fn decoder_never_panics(pool: &Pool, name: &str, decode: impl Fn(&[u8]) -> bool) {
    let mut examples: Vec<Value> = pool.fixtures.iter().map(|(_, doc)| doc.clone()).collect();
    for shape in pool.shapes.values().filter(|s| s.is_object) {
        examples.extend(shape.real.iter().chain(&shape.synthesized).cloned());
    }
    let input = prop_oneof![
        bytes_input(&pool.keys, pool),
        json_value(&pool.keys, pool).prop_map(|v| v.to_string().into_bytes()),
        example_input(&examples, &pool.keys, pool).prop_map(|m| m.text.into_bytes()),
    ];
    let mut report = Report::new(Property::Bytes, file!());
    // Three kinds of input on one function: three times the cases of a type.
    report.min_cases = report.config().cases * 3;
    let ok = Cell::new(0u32);
    let result = TestRunner::new(report.config()).run(&input, |bytes| {
        if decode(&bytes) {
            ok.set(ok.get() + 1);
        }
        Ok(())
    });
    eprintln!("{name}: {} inputs accepted", ok.get());
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

// ---------------------------------------------------------------------------
// Checks of the checks.

/// Decodes like a real model but panics on one input, so the harness must
/// report it.
#[derive(Debug, Serialize)]
pub struct Fragile {
    /// The one field.
    pub id: u64,
}

impl<'de> Deserialize<'de> for Fragile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fragile, D::Error> {
        let value = Value::deserialize(d)?;
        let id = value
            .get("id")
            .and_then(Value::as_u64)
            .ok_or_else(|| de::Error::custom("no id"))?;
        assert!(id < 1000, "Fragile panics on an id of 1000 or more");
        Ok(Fragile { id })
    }
}

/// The scan on a made-up source, with every form it must and must not find.
pub fn scan_sample() -> Vec<String> {
    let source = r#"
        //! pub struct InDocs;
        use serde::Deserialize;

        macro_rules! id_type {
            ($name:ident) => {
                pub struct $name(String);
                impl<'de> serde::Deserialize<'de> for $name {
                    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> { todo!() }
                }
            };
        }

        id_type!(
            /// An id.
            ThingId
        );

        /// A model: "pub struct NotThis {".
        #[non_exhaustive]
        #[derive(
            Debug, Clone,
            serde::Deserialize,
        )]
        #[serde(rename_all = "camelCase", deserialize_with = "x")]
        pub struct Model<T> {
            pub field: T,
            pub brace: char, // '{'
        }

        #[derive(Debug, Serialize)]
        pub struct RequestOnly { pub a: u8 }

        #[derive(Deserialize)]
        pub(crate) struct Private;

        #[derive(Deserialize)]
        struct AlsoPrivate;

        media_core::open_enum! {
            /// A state.
            #[allow(missing_docs)]
            pub enum State { Ready = "READY" }
        }

        pub struct Manual;

        enum Hidden { A }

        impl<'de> Deserialize<'de> for Hidden {
            fn deserialize<D>(d: D) -> Result<Self, D::Error> where D: serde::Deserializer<'de> { todo!() }
        }

        pub struct Bound;

        impl<T: for<'de> Deserialize<'de>> Wrapper<T> for Bound {}

        impl<T> Wrapper<T> for Bound where T: for<'de> Deserialize<'de> {}

        impl<'de> Deserialize<'de> for Manual {
            fn deserialize<D>(d: D) -> Result<Self, D::Error> where D: serde::Deserializer<'de> { todo!() }
        }

        impl<'de> de::Visitor<'de> for NotDeserialize {}

        pub mod inner {
            #[derive(Deserialize)]
            pub enum Nested { A }
        }

        #[derive(Deserialize)]
        pub enum AfterInner { B }

        #[cfg(test)]
        mod tests {
            #[derive(Deserialize)]
            pub struct OnlyInTests;
        }
    "#;
    let code = lex(source).code;
    let macros = deserialize_macros(&tokens(&code));
    let mut found = Vec::new();
    scan_file(&code, "k::m", "src/m.rs", &macros, &mut found);
    resolve(&found).into_iter().map(|f| f.path).collect()
}

/// The report of one property over `Fragile` alone.
pub fn fragile_failures(property: Property) -> Vec<String> {
    let mut pool = Pool {
        keys: vec!["id".to_owned()],
        strings: vec!["x".to_owned()],
        fixtures: vec![("inline".to_owned(), serde_json::json!({"data": {"id": 7}}))],
        shapes: BTreeMap::new(),
    };
    pool.learn::<Fragile>();
    let mut report = Report::new(property, file!());
    // Enough cases that missing the panic would take bad luck.
    report.min_cases = 2000;
    // Finding it is the point; a short shrink keeps the panic noise down.
    report.max_shrink_iters = Some(4);
    report.run::<Fragile>(&pool, |_| Ok(false));
    report.failures
}

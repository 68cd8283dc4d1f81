//! The harness can fail: its source scan finds every form a decodable type can take,
//! and a decoder that panics fails every property.

use media_testkit::{Property, fragile_failures, scan_sample};

#[test]
fn the_scan_finds_every_form_and_nothing_else() {
    assert_eq!(
        scan_sample(),
        [
            "k::m::ThingId",
            "k::m::Model",
            "k::m::State",
            "k::m::Manual",
            "k::m::inner::Nested",
            "k::m::AfterInner"
        ]
    );
}

#[test]
fn a_panicking_decoder_fails_every_property() {
    for property in [Property::Bytes, Property::Json, Property::Example] {
        let failures = fragile_failures(property);
        assert!(
            failures.iter().any(|f| f.contains("Fragile panics")),
            "{property:?} did not catch the panic: {failures:?}"
        );
    }
}

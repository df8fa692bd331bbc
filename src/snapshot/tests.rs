//! Tests of the snapshot format: round trips, every kind of damage, optional sections.
use super::*;
use crate::catalog::{CatalogBuilder, ProductRecord};

pub(crate) fn tiny() -> Snapshot {
    let mut b = CatalogBuilder::new();
    for id in ["a", "b", "c"] {
        b.push(ProductRecord { id: id.into(), categories: vec!["X > Y".into()], ..Default::default() });
    }
    let catalog = b.finish().unwrap();
    let mut popularity = Popularity::default();
    for kind in crate::popularity::PopularityKind::ALL {
        let l = popularity.list_mut(kind);
        l.global = vec![(2, 5.0), (0, 1.0)];
        for _ in 0..catalog.category_names().len() {
            l.by_category.push_row([(2, 5.0)]);
        }
    }
    let mut neighbours = Neighbours::default();
    for kind in crate::neighbours::NeighbourKind::ALL {
        *neighbours.table_mut(kind) =
            crate::neighbours::NeighbourTable::from_rows(&[vec![(1, 0.5)], vec![(0, 0.5)], vec![]]);
    }
    let mut recent = PopularityList { global: vec![(1, 20_000.0)], ..Default::default() };
    for _ in 0..catalog.category_names().len() {
        recent.by_category.push_row([(1, 20_000.0)]);
    }
    Snapshot {
        meta: Meta { edgerec_version: "test".into(), built_at: 1, ..Default::default() },
        config: Config::default(),
        catalog,
        popularity,
        neighbours,
        recent,
        bundles: Bundles::from_counted(3, vec![(vec![0, 2], 4)]),
        recurring: Default::default(),
        segments: Default::default(),
        tuned: None,
        groups: Default::default(),
        similar_by: Vec::new(),
        absent: Vec::new(),
    }
}

/// The sections of `tiny()` as the writer takes them, to leave some out or add others.
fn tiny_sections() -> Vec<(&'static str, u32, Vec<u8>)> {
    let bytes = tiny().encode();
    let toc = Toc::read(&bytes).unwrap();
    SECTIONS.iter().map(|s| (s.name, s.version, toc.section(&bytes, s.name).unwrap().unwrap().to_vec())).collect()
}

#[test]
fn round_trip() {
    let s = tiny();
    let bytes = s.encode();
    let back = Snapshot::decode(&bytes).unwrap();
    assert_eq!(back.meta, s.meta);
    assert_eq!(back.config, s.config);
    assert_eq!(back.popularity, s.popularity);
    assert_eq!(back.neighbours, s.neighbours);
    assert_eq!(back.catalog.index_of("c"), Some(2));
    assert_eq!(Snapshot::decode_meta(&bytes).unwrap(), s.meta);
    let sizes = Snapshot::section_sizes(&bytes).unwrap();
    let names: Vec<&str> = SECTIONS.iter().map(|s| s.name).collect();
    assert_eq!(sizes.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), names);
    assert!(back.absent.is_empty());
}

#[test]
fn the_committed_fixture_still_decodes() {
    // tests/fixtures/small.snap was written by an earlier build of this format version. If
    // this fails, the format changed: bump FORMAT_VERSION, note it in the CHANGELOG and
    // regenerate the fixture with scripts/make-fixtures.sh.
    let bytes = include_bytes!("../../tests/fixtures/small.snap");
    let s = Snapshot::decode(bytes).unwrap();
    assert_eq!(s.catalog.len(), 300);
    assert!(s.neighbours.bought.entries() > 0 && s.popularity.popular.global.len() > 100);
    assert_eq!(s.config.widgets.len(), crate::config::default_widgets().len());
}

#[test]
fn every_kind_of_damage_is_named() {
    let bytes = tiny().encode();
    assert_eq!(Snapshot::decode(&bytes[..10]).unwrap_err(), SnapshotError::TooShort { len: 10 });
    assert_eq!(Snapshot::decode(b"<!doctype html><html>hello</html>").unwrap_err(), SnapshotError::NotASnapshot);
    let mut v = bytes.clone();
    v[8] = 9;
    let e = Snapshot::decode(&v).unwrap_err();
    assert_eq!(e, SnapshotError::Version { found: 9 });
    assert!(e.to_string().contains("rebuild the snapshot with `edgerec build`"));
    assert!(matches!(Snapshot::decode(&bytes[..bytes.len() - 1]).unwrap_err(), SnapshotError::Truncated { .. }));
    let mut v = bytes.clone();
    let mid = v.len() / 2;
    v[mid] ^= 0x40;
    assert!(matches!(Snapshot::decode(&v).unwrap_err(), SnapshotError::Checksum { .. }));
}

#[test]
fn valid_checksums_over_a_bad_section_are_still_refused() {
    // Garbage in a section, written with matching checksums: the section decoder must refuse it.
    for i in 0..SECTIONS.len() {
        let mut parts = tiny_sections();
        for b in parts[i].2.iter_mut().step_by(3) {
            *b = b.wrapping_mul(31).wrapping_add(7);
        }
        let e = Snapshot::decode(&write_sections(&parts)).unwrap_err();
        assert!(matches!(e, SnapshotError::Corrupt { .. }), "{}: {e}", SECTIONS[i].name);
    }
}

#[test]
fn a_missing_model_section_leaves_the_others_working() {
    let parts: Vec<_> = tiny_sections().into_iter().filter(|p| p.0 != "neighbours.bought_together").collect();
    let s = Snapshot::decode(&write_sections(&parts)).unwrap();
    assert_eq!(s.absent, ["neighbours.bought_together"]);
    assert_eq!(s.neighbours.bought.entries(), 0);
    assert_eq!(s.neighbours.viewed.entries(), 2);
    assert_eq!(s.popularity, tiny().popularity);
}

#[test]
fn unknown_sections_are_skipped_and_other_versions_of_optional_ones_are_absent() {
    let mut parts = tiny_sections();
    parts.push(("trending", 1, vec![1, 2, 3]));
    parts[3].1 = 7; // popularity.views in a version this library does not read
    let s = Snapshot::decode(&write_sections(&parts)).unwrap();
    assert_eq!(s.absent, ["popularity.views"]);
    assert!(s.popularity.views.global.is_empty() && !s.popularity.carts.global.is_empty());
}

#[test]
fn required_sections_missing_or_in_another_version_are_refused() {
    for (i, spec) in SECTIONS.iter().enumerate().filter(|(_, s)| s.required) {
        let mut parts = tiny_sections();
        parts.remove(i);
        assert_eq!(Snapshot::decode(&write_sections(&parts)).unwrap_err(), SnapshotError::MissingSection(spec.name));
        let mut parts = tiny_sections();
        parts[i].1 = spec.version + 1;
        let e = Snapshot::decode(&write_sections(&parts)).unwrap_err();
        assert_eq!(e, SnapshotError::SectionVersion { section: spec.name, found: spec.version + 1 });
        assert!(e.to_string().contains("rebuild"), "{e}");
    }
}

#[test]
fn the_head_is_read_alone_and_each_section_checks_alone() {
    let bytes = tiny().encode();
    let toc = Toc::read(&bytes).unwrap();
    // The head alone is enough to read the table of contents.
    assert_eq!(Toc::read(&bytes[..toc.head_len as usize]).unwrap(), toc);
    assert_eq!(toc.file_len(), bytes.len() as u64);
    let e = toc.entry("catalog").unwrap().clone();
    let mut v = bytes.clone();
    v[e.offset as usize] ^= 1;
    let err = toc.section(&v, "catalog").unwrap_err();
    assert!(matches!(&err, SnapshotError::Checksum { section, .. } if section == "catalog"), "{err}");
    assert!(toc.section(&v, "meta").is_ok(), "other sections still check");
    assert_eq!(toc.section(&bytes, "nope").unwrap(), None);
}

#[test]
fn model_sections_line_up_with_the_kinds() {
    for (i, k) in PopularityKind::ALL.iter().enumerate() {
        assert_eq!(SECTIONS[3 + i].name, format!("popularity.{}", k.name()));
    }
    for (i, k) in NeighbourKind::ALL.iter().enumerate() {
        assert_eq!(SECTIONS[3 + PopularityKind::ALL.len() + i].name, format!("neighbours.{}", k.name()));
    }
    let models = [
        "catalog.recent",
        "bundles",
        "recurring",
        "segments",
        "for_you.tuned",
        "personalization",
        "neighbours.similar_widgets",
    ];
    assert_eq!(SECTIONS.len(), 3 + PopularityKind::ALL.len() + NeighbourKind::ALL.len() + models.len());
    let tail: Vec<&str> = SECTIONS[SECTIONS.len() - models.len()..].iter().map(|s| s.name).collect();
    assert_eq!(tail, models);
}

#[test]
fn a_format_1_snapshot_says_rebuild() {
    let mut v = tiny().encode();
    v[8..12].copy_from_slice(&1u32.to_le_bytes());
    let e = Snapshot::decode(&v).unwrap_err();
    assert_eq!(e, SnapshotError::Version { found: 1 });
    assert!(e.to_string().contains("rebuild the snapshot with `edgerec build`"), "{e}");
}

#[test]
fn a_damaged_table_of_contents_with_a_valid_checksum_is_refused() {
    let bytes = tiny().encode();
    let toc_len = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    for at in HEADER..HEADER + toc_len {
        for flip in [1u8, 0x80] {
            let mut v = bytes.clone();
            v[at] ^= flip;
            let crc = crc32fast::hash(&v[..HEADER + toc_len]);
            v[HEADER + toc_len..HEADER + toc_len + 4].copy_from_slice(&crc.to_le_bytes());
            // Either refused, or (a flip inside a name or version) decoded with that section absent.
            if let Ok(s) = Snapshot::decode(&v) {
                assert!(!s.absent.is_empty(), "flip at {at} went unnoticed");
            }
        }
    }
}

#[test]
fn fitted_for_you_weights_round_trip_and_replace_the_configured_ones() {
    let mut s = tiny();
    assert_eq!(s.for_you_params(), &s.config.for_you, "untuned: the configuration's weights");
    let params = crate::config::ForYouParams { repeat_weight: 4.0, recency_decay: 0.3, ..Default::default() };
    s.tuned = Some(TunedForYou {
        params: params.clone(),
        shape: crate::config::SessionShape { latest_boost: 1.5, ..Default::default() },
        cases: 5_000,
        fitted: (0.8, 0.45),
        defaults: (0.79, 0.43),
        in_session: (0.7, 0.44),
        evaluations: 40,
    });
    let back = Snapshot::decode(&s.encode()).unwrap();
    assert_eq!(back.tuned, s.tuned);
    assert_eq!(back.for_you_params(), &params);
    // A negative weight in the section is refused like any invalid section.
    s.tuned.as_mut().unwrap().params.hop_weight = -1.0;
    let e = Snapshot::decode(&s.encode()).unwrap_err();
    assert!(matches!(&e, SnapshotError::Corrupt { section: "for_you.tuned", .. }), "{e}");
}

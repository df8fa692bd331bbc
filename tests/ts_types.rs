//! The TypeScript declarations (src/wasm/types.rs) name exactly the algorithms and sources of the
//! tables in src/config/algorithm.rs: a new row that the declarations miss fails here.

use edgerec::config::{ALGORITHMS, SOURCES};

fn union(text: &str, name: &str) -> Vec<String> {
    let start = text.find(&format!("export type {name} = ")).unwrap_or_else(|| panic!("{name} is declared"));
    let body = &text[start..];
    let body = &body[..body.find(';').expect("the union ends")];
    body.split('"').skip(1).step_by(2).map(String::from).collect()
}

#[test]
fn typescript_unions_are_the_tables() {
    let ts = include_str!("../src/wasm/types.rs");
    let algorithms: Vec<String> = ALGORITHMS.iter().map(|a| a.name.to_string()).collect();
    assert_eq!(union(ts, "AlgorithmName"), algorithms);
    let sources: Vec<String> = SOURCES.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(union(ts, "SourceName"), sources);
}

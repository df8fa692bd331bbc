//! The TypeScript declarations generated from the Rust types and tables (test-only, nothing of
//! it reaches the wasm). wasm-bindgen appends `src/wasm/generated.d.ts` to the package's .d.ts
//! (src/wasm/types.rs includes it); the test below regenerates the text and fails when the
//! committed file differs: after changing a table or a type, run
//! `UPDATE_TS=1 cargo test --lib typescript` and commit the file.
//!
//! - The name unions come from the tables: `AlgorithmName` from [`ALGORITHMS`], `SourceName`
//!   from [`SOURCES`], `Rotation` from [`Rotation::ALL`], `ErrorCode` from [`ErrorCode::ALL`]
//!   (the impls of [`TS`] below).
//! - The option shapes are derived with ts-rs (`#[cfg_attr(test, derive(ts_rs::TS))]` on the
//!   Rust type, its `///` docs as JSDoc): only where the Rust type is the JavaScript shape.
//!   The rest (answers, the session context, ...) is written as JSON by hand and declared by
//!   hand in src/wasm/types.rs.

use ts_rs::{Config, TS};

use crate::config::{Algorithm, Rotation, Source, Step, ALGORITHMS, SOURCES};
use crate::error_code::ErrorCode;

/// The committed file, relative to the crate.
const PATH: &str = "src/wasm/generated.d.ts";

/// Lines longer than this are wrapped (unions) where they can be.
const WIDTH: usize = 110;

/// `"a" | "b" | ...`.
fn union(names: impl IntoIterator<Item = &'static str>) -> String {
    names.into_iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" | ")
}

/// A [`TS`] impl that declares `$ts` as `$inline` (a union of the table's names), documented
/// by `$doc`.
macro_rules! declared_as {
    ($ty:ty, $ts:literal, $doc:literal, $inline:expr) => {
        impl TS for $ty {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &Config) -> String {
                $ts.to_string()
            }
            fn inline(_: &Config) -> String {
                $inline
            }
            fn decl(cfg: &Config) -> String {
                format!("type {} = {};", $ts, Self::inline(cfg))
            }
            fn docs() -> Option<String> {
                Some(format!("/**\n * {}\n */\n", $doc))
            }
        }
    };
}

declared_as!(
    Source,
    "SourceName",
    "The name of a source list: why an item is in a widget.",
    union(SOURCES.iter().map(|s| s.name))
);
declared_as!(Algorithm, "AlgorithmName", "The algorithms a widget can run.", union(ALGORITHMS.iter().map(|a| a.name)));
declared_as!(
    Step,
    "StepName",
    "A fallback step: a source, or an editorial list by name (`\"list:summer_sale\"`).",
    "SourceName | `list:${string}`".to_string()
);
declared_as!(
    Rotation,
    "Rotation",
    "How a widget varies the order of near-tied items: never, per day, or per shopper session.",
    union(Rotation::ALL.iter().map(|r| r.name()))
);
declared_as!(
    ErrorCode,
    "ErrorCode",
    "The `code` of an error thrown by edgerec (stable; the message may change).",
    union(ErrorCode::ALL.iter().map(|c| c.name()))
);

/// The text of src/wasm/generated.d.ts.
fn declarations() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types and tables by src/typescript.rs: do not edit. After changing\n\
         // them, run `UPDATE_TS=1 cargo test --lib typescript`. Hand-written declarations: src/wasm/types.rs.\n",
    );
    let mut add = |docs: Option<String>, decl: String| {
        out.push('\n');
        out.push_str(&render(docs.as_deref(), &decl));
    };
    macro_rules! declare {
        ($($t:ty),* $(,)?) => { $( add(<$t as TS>::docs(), <$t as TS>::decl(&cfg)); )* };
    }
    declare!(Source, Step, Algorithm, Rotation, ErrorCode);
    out
}

/// The lines of a ts-rs doc comment (`/**\n * line\n */\n`), without the comment marks.
fn doc_lines(docs: &str) -> Vec<String> {
    let body = docs.trim().trim_start_matches("/**").trim_end_matches("*/");
    let lines: Vec<String> = body
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix('*').unwrap_or(l);
            // Rust's intra-doc links read as plain code in TypeScript.
            l.strip_prefix(' ').unwrap_or(l).trim_end().replace("[`", "`").replace("`]", "`")
        })
        .collect();
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(start, |i| i + 1);
    lines[start..end].to_vec()
}

/// A JSDoc comment at `indent`: one line when it fits.
fn comment(lines: &[String], indent: &str) -> String {
    match lines {
        [] => String::new(),
        [one] if indent.len() + one.len() + 7 <= WIDTH => format!("{indent}/** {one} */\n"),
        _ => {
            let mut s = format!("{indent}/**\n");
            for l in lines {
                s.push_str(&format!("{indent} *{}{l}\n", if l.is_empty() { "" } else { " " }));
            }
            s + &format!("{indent} */\n")
        }
    }
}

/// One exported declaration: a struct's `type X = { ... };` becomes an interface with one member
/// a line, a union is wrapped at [`WIDTH`].
fn render(docs: Option<&str>, decl: &str) -> String {
    let mut out = comment(&docs.map(doc_lines).unwrap_or_default(), "");
    let decl = decl.strip_prefix("type ").expect("ts-rs declares a type");
    let (name, body) = decl.split_once(" = ").expect("a type declaration");
    let body = body.strip_suffix(';').unwrap_or(body);
    if body.starts_with("{ ") && body.ends_with(" }") {
        out.push_str(&format!("export interface {name} {{\n"));
        for (docs, member) in members(&body[2..body.len() - 2]) {
            out.push_str(&comment(&docs, "  "));
            out.push_str(&format!("  {member};\n"));
        }
        out.push_str("}\n");
    } else {
        let mut line = format!("export type {name} =");
        for (i, part) in body.split(" | ").enumerate() {
            let piece = if i == 0 { format!(" {part}") } else { format!(" | {part}") };
            if i > 0 && line.len() + piece.len() > WIDTH {
                out.push_str(&line);
                out.push('\n');
                line = format!("  | {part}");
            } else {
                line.push_str(&piece);
            }
        }
        out.push_str(&line);
        out.push_str(";\n");
    }
    out
}

/// The members of a ts-rs object body (`/** doc */ name?: type, ...`), each with its doc lines.
fn members(body: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        let mut docs = Vec::new();
        if let Some(r) = rest.strip_prefix("/**") {
            let end = r.find("*/").expect("a doc comment ends");
            docs = doc_lines(&rest[..end + 5]);
            rest = r[end + 2..].trim_start();
        }
        let mut depth = 0i32;
        let mut quote = None;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '`' | '\'') => quote = Some(c),
                (None, '{' | '[' | '(' | '<') => depth += 1,
                (None, '}' | ']' | ')' | '>') => depth -= 1,
                (None, ',') if depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.push((docs, rest[..end].trim().to_string()));
        rest = rest[(end + 1).min(rest.len())..].trim_start();
    }
    out
}

#[test]
fn the_generated_typescript_declarations_are_committed() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PATH);
    let want = declarations();
    if std::env::var_os("UPDATE_TS").is_some() {
        std::fs::write(&path, &want).expect("write src/wasm/generated.d.ts");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(have.lines().count().min(want.lines().count()));
        panic!(
            "{PATH} is stale: run `UPDATE_TS=1 cargo test --lib typescript` and commit it \
             (first difference on line {}: the Rust types and tables give {:?}, the file has {:?})",
            line + 1,
            want.lines().nth(line).unwrap_or("<end of file>"),
            have.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

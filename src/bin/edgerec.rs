//! The `edgerec` command: builds snapshots and queries them. See `edgerec --help`.

fn main() {
    std::process::exit(edgerec::cli::main());
}

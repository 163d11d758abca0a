//! The `pestle` command.

fn main() -> std::process::ExitCode {
    pestle::cli::main()
}

//! The README's flagship program stays short and free of noise. (It is compiled as a doctest
//! through `idv-api/src/lib.rs`; this checks how it reads.)

const README: &str = include_str!("../../README.md");

/// The lines of `main` in the first Rust block of the README's "Use it" section.
fn flagship_main() -> Vec<&'static str> {
    let usage = README
        .split("\n## Use it\n")
        .nth(1)
        .expect("the README has a `## Use it` section");
    let program = usage
        .split("```rust")
        .nth(1)
        .and_then(|block| block.split("\n```").next())
        .expect("the section has a Rust block");
    program
        .lines()
        .skip_while(|l| !l.starts_with("async fn main"))
        .skip(1)
        .take_while(|l| *l != "}")
        .collect()
}

#[test]
fn the_flagship_program_is_short_and_has_no_noise() {
    let main = flagship_main();
    assert!(
        (5..=15).contains(&main.len()),
        "main has {} lines",
        main.len()
    );
    for noise in ["unwrap_or_default", ".try_into()?", "json!", "extra:"] {
        assert!(
            main.iter().all(|l| !l.contains(noise)),
            "`{noise}` in the README's main"
        );
    }
    // It does what it says: two checks, then each check's recommendation.
    let text = main.join("\n");
    for needed in [
        "RequestedCheck::new",
        "create_session()",
        "recommendation()",
    ] {
        assert!(text.contains(needed), "`{needed}` missing from main");
    }
}

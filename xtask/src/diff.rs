//! `cargo xtask diff`: see issue 5.

//! A local emulator of the Yoti IDV API and its sandbox, and the workspace's end-to-end tests.

pub mod conformance;

//! The `idv-emulator` binary, run as a user runs it, in one test binary: its banner
//! (`banner.rs`) and its command line (`cli.rs`).

mod banner;
mod cli;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use idv_api::idv_signing::{Signer, SigningKey};

/// A running `idv-emulator` and the banner it printed.
struct Running {
    child: Child,
    banner: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_idv-emulator"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the emulator binary runs");
        let stdout = child.stdout.take().unwrap();
        let mut banner = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            banner.push_str(&line);
            banner.push('\n');
            if line.starts_with("Without its setting") {
                break;
            }
        }
        Running { child, banner }
    }

    fn field(&self, name: &str) -> String {
        let prefix = format!("{name}:");
        let line = self.banner.lines().find_map(|l| l.strip_prefix(&prefix));
        line.unwrap_or_else(|| panic!("no `{name}` in:\n{}", self.banner))
            .trim()
            .to_owned()
    }

    fn client(&self, sdk_id: &str, key: &str) -> idv_api::Client {
        let key = SigningKey::from_pem(key).unwrap();
        let signer = Signer::new(sdk_id, key, &self.field("sandbox URL")).unwrap();
        idv_api::Client::builder(signer).build().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

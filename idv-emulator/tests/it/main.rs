//! The `idv-emulator` binary, run as a user runs it, in one test binary: its banner
//! (`banner.rs`) and its command line (`cli.rs`).

mod banner;
mod cli;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};

use idv_api::idv_signing::{Signer, SigningKey};

/// A running `idv-emulator` and the banner it printed, up to the line that ends it whatever
/// the arguments.
struct Running {
    child: Child,
    banner: String,
    /// The rest of its standard output, unread.
    stdout: BufReader<ChildStdout>,
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
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        while !banner.lines().any(|l| l.starts_with("Without its setting")) {
            let read = stdout.read_line(&mut banner).unwrap();
            assert!(read > 0, "the banner ended early:\n{banner}");
        }
        Running {
            child,
            banner,
            stdout,
        }
    }

    /// Everything it printed on its standard output: it is stopped, and the rest read.
    fn whole_output(&mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        format!("{}{rest}", self.banner)
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

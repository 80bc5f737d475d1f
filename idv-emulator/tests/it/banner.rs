//! The standalone emulator's banner tells each official SDK's user the exact setting that
//! points that SDK at the emulator: a Python user who followed a Node-only line would sign
//! requests with the emulator's test key and send them to the real Yoti API.

use crate::Running;

/// The banner of `idv-emulator --port 0`, and the sandbox URL it printed.
fn banner() -> (String, String) {
    let emulator = Running::start(&[]);
    let sandbox = emulator.field("sandbox URL");
    (emulator.banner.clone(), sandbox)
}

#[test]
fn the_demo_key_comes_with_a_warning() {
    let output = Running::start(&[]).whole_output();
    let last = output.lines().last().unwrap_or_default();
    assert_eq!(
        last, "Never use the key file for anything real: it is the workspace's published test key.",
        "{output}"
    );
}

#[test]
fn each_official_sdk_gets_its_own_setting() {
    let (banner, sandbox) = banner();
    assert!(sandbox.starts_with("http://127.0.0.1:"), "{banner}");
    assert!(sandbox.ends_with("/sandbox/idverify/v1"), "{banner}");
    for setting in [
        // Node, yoti: config/yoti.js reads YOTI_IDV_API_URL when the module loads.
        format!("YOTI_IDV_API_URL={sandbox}"),
        format!("new IDVClient(sdkId, pem, {{ apiUrl: '{sandbox}' }})"),
        // Node, @getyoti/sdk-sandbox: the URL is given in code.
        format!(".withSandboxUrl('{sandbox}')"),
        // Python, yoti: yoti_python_sdk/__init__.py reads YOTI_DOC_SCAN_API_URL on import.
        format!("YOTI_DOC_SCAN_API_URL={sandbox}"),
        format!("api_url='{sandbox}'"),
        // Java: the yoti.docs.url system property, for both clients.
        format!("-Dyoti.docs.url={sandbox}"),
        // Go: OverrideAPIURL, and the sandbox client's BaseURL.
        format!("OverrideAPIURL(\"{sandbox}\")"),
        // PHP: the api.url option.
        format!("'api.url' => '{sandbox}'"),
    ] {
        assert!(banner.contains(&setting), "no `{setting}` in:\n{banner}");
    }
    for sdk in ["Node", "Python", "Java", "Go", "PHP", ".NET"] {
        assert!(banner.contains(sdk), "no {sdk} in:\n{banner}");
    }
}

#[test]
fn the_banner_names_the_token_endpoint_and_how_each_sdk_is_pointed_at_it() {
    let (banner, sandbox) = banner();
    let auth = banner
        .lines()
        .find_map(|l| l.strip_prefix("auth URL:"))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the banner names the auth URL");
    // On the emulator's address, ending as Yoti's does.
    let origin = sandbox.strip_suffix("/sandbox/idverify/v1").unwrap();
    assert_eq!(auth, format!("{origin}/auth/v1/oauth/token"), "{banner}");
    for setting in [
        format!("YOTI_AUTH_URL={auth}"),
        format!("-Dyoti.auth.url={auth}"),
        format!(".with_auth_url(\"{auth}\")"),
    ] {
        assert!(banner.contains(&setting), "no `{setting}` in:\n{banner}");
    }
}

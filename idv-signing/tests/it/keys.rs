//! Loading keys: every good form, and each bad one with its own error, never echoing key
//! material.

use crate::common;

use common::{read, vector};
use idv_signing::{Backend, KeyError, PublicKey, SigningKey};

/// Signs the `getSession` vector with `key` and checks the digest.
fn signs_get_session(key: &SigningKey) {
    let v = &vector("getSession");
    assert_eq!(key.sign(v.signed_message.as_bytes()).unwrap(), v.digest);
}

#[test]
fn pem_and_der_in_pkcs1_and_pkcs8_all_load_with_every_backend() {
    for &backend in Backend::ALL {
        for pem in ["test-rsa2048-pkcs1.pem", "test-rsa2048-pkcs8.pem"] {
            let key = SigningKey::from_pem_with_backend(read(pem), backend).unwrap();
            assert_eq!((key.bits(), key.backend()), (2048, backend));
            signs_get_session(&key);
        }
        for der in ["test-rsa2048-pkcs1.der", "test-rsa2048-pkcs8.der"] {
            signs_get_session(&SigningKey::from_der_with_backend(&read(der), backend).unwrap());
        }
    }
}

#[test]
fn keys_load_from_a_str_bytes_and_files() {
    let pem = String::from_utf8(read("test-rsa2048-pkcs8.pem")).unwrap();
    signs_get_session(&SigningKey::from_pem(pem.as_str()).unwrap());
    signs_get_session(&SigningKey::from_pem(&pem).unwrap());
    signs_get_session(&SigningKey::from_pem(pem.as_bytes()).unwrap());
    signs_get_session(&SigningKey::from_der(&read("test-rsa2048-pkcs8.der")).unwrap());
    // A key file may be PEM or DER.
    for file in [
        "test-rsa2048-pkcs1.pem",
        "test-rsa2048-pkcs8.pem",
        "test-rsa2048-pkcs1.der",
    ] {
        signs_get_session(&SigningKey::from_pem_file(common::data(file)).unwrap());
    }
}

#[test]
fn pem_with_crlf_line_endings_and_surrounding_text_loads() {
    let pem = String::from_utf8(read("test-rsa2048-pkcs1.pem")).unwrap();
    let crlf = pem.replace('\n', "\r\n");
    signs_get_session(&SigningKey::from_pem(&crlf).unwrap());
    let wrapped =
        format!("\u{feff}Bag Attributes\n    friendlyName: yoti\n{pem}\ntrailing notes\n");
    signs_get_session(&SigningKey::from_pem(&wrapped).unwrap());
    // A certificate before the key: the key is found.
    let cert = String::from_utf8(read("test-rsa2048-cert.pem")).unwrap();
    signs_get_session(&SigningKey::from_pem(format!("{cert}{pem}")).unwrap());
}

#[test]
fn the_default_backend_is_aws_lc_when_the_feature_is_on() {
    #[cfg(feature = "aws-lc-rs")]
    assert_eq!(
        (Backend::default(), Backend::ALL),
        (Backend::AwsLc, &[Backend::AwsLc, Backend::RustCrypto][..])
    );
    #[cfg(not(feature = "aws-lc-rs"))]
    assert_eq!(
        (Backend::default(), Backend::ALL),
        (Backend::RustCrypto, &[Backend::RustCrypto][..])
    );
    assert_eq!(
        SigningKey::from_pem(read("test-rsa2048-pkcs1.pem"))
            .unwrap()
            .backend(),
        Backend::default()
    );
}

#[test]
fn public_keys_load_from_spki_and_pkcs1_pem_and_der() {
    let key = common::key(Backend::default());
    let v = &vector("getSession");
    let keys = [
        PublicKey::from_pem(read("test-rsa2048-pub.pem")).unwrap(),
        PublicKey::from_pem(read("test-rsa2048-pub-pkcs1.pem")).unwrap(),
        PublicKey::from_der(&read("test-rsa2048-pub.der")).unwrap(),
        key.public_key(),
    ];
    for public in &keys {
        assert_eq!(public.bits(), 2048);
        public
            .verify_message(v.signed_message.as_bytes(), &v.digest)
            .unwrap();
    }
    assert_eq!(format!("{:?}", keys[0]), "PublicKey { bits: 2048, .. }");
}

#[test]
fn public_key_from_a_private_key_or_certificate_is_an_error() {
    for file in ["test-rsa2048-pkcs1.pem", "test-rsa2048-cert.pem"] {
        let error = PublicKey::from_pem(read(file)).unwrap_err();
        assert!(
            matches!(error, KeyError::Unsupported { .. }),
            "{file}: {error:?}"
        );
    }
    assert!(matches!(
        PublicKey::from_pem(read("ec-p256-pkcs8.pem")),
        Err(KeyError::Unsupported { .. })
    ));
    assert!(matches!(
        PublicKey::from_pem("hello"),
        Err(KeyError::NotPem)
    ));
    assert!(matches!(
        PublicKey::from_der(b"hello"),
        Err(KeyError::NotDer)
    ));
}

// One test per bad key, each asserting its exact error.

fn pem_error(file: &str) -> KeyError {
    SigningKey::from_pem(read(file)).unwrap_err()
}

#[test]
fn not_pem() {
    assert!(matches!(
        SigningKey::from_pem("not a key at all"),
        Err(KeyError::NotPem)
    ));
    assert!(matches!(SigningKey::from_pem(""), Err(KeyError::NotPem)));
    // DER given to from_pem: still "not PEM", and the message points to from_der.
    let error = SigningKey::from_pem(read("test-rsa2048-pkcs1.der")).unwrap_err();
    assert!(matches!(error, KeyError::NotPem));
    assert!(error.to_string().contains("from_der"));
}

#[test]
fn not_der() {
    assert!(matches!(SigningKey::from_der(b""), Err(KeyError::NotDer)));
    let error = SigningKey::from_der(&read("test-rsa2048-pkcs1.pem")).unwrap_err();
    assert!(matches!(error, KeyError::NotDer));
    assert!(error.to_string().contains("from_pem"));
}

#[test]
fn encrypted_pkcs8() {
    let error = pem_error("test-rsa2048-encrypted-pkcs8.pem");
    assert!(matches!(error, KeyError::Encrypted), "{error:?}");
    assert!(error.to_string().contains("openssl pkey"));
    let error = SigningKey::from_der(&read("test-rsa2048-encrypted-pkcs8.der")).unwrap_err();
    assert!(matches!(error, KeyError::Encrypted), "{error:?}");
}

#[test]
fn legacy_encrypted_pem() {
    let error = pem_error("test-rsa2048-encrypted-legacy.pem");
    assert!(matches!(error, KeyError::Encrypted), "{error:?}");
}

#[test]
fn public_key() {
    for file in ["test-rsa2048-pub.pem", "test-rsa2048-pub-pkcs1.pem"] {
        assert!(matches!(pem_error(file), KeyError::PublicKey), "{file}");
    }
    let error = SigningKey::from_der(&read("test-rsa2048-pub.der")).unwrap_err();
    assert!(matches!(error, KeyError::PublicKey), "{error:?}");
    assert!(error.to_string().contains("private key"));
}

#[test]
fn certificate() {
    assert!(matches!(
        pem_error("test-rsa2048-cert.pem"),
        KeyError::Certificate
    ));
    let error = SigningKey::from_der(&read("test-rsa2048-cert.der")).unwrap_err();
    assert!(matches!(error, KeyError::Certificate), "{error:?}");
}

#[test]
fn ec_key() {
    for (file, error) in [
        ("ec-p256-pkcs8.pem", pem_error("ec-p256-pkcs8.pem")),
        ("ec-p256-sec1.pem", pem_error("ec-p256-sec1.pem")),
        (
            "ec-p256-pkcs8.der",
            SigningKey::from_der(&read("ec-p256-pkcs8.der")).unwrap_err(),
        ),
        (
            "ec-p256-sec1.der",
            SigningKey::from_der(&read("ec-p256-sec1.der")).unwrap_err(),
        ),
    ] {
        assert!(
            matches!(&error, KeyError::NotRsa { algorithm } if algorithm == "EC"),
            "{file}: {error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("this is not an RSA key but EC,"),
            "{error}"
        );
    }
}

#[test]
fn ed25519_key() {
    let error = pem_error("ed25519-pkcs8.pem");
    assert!(
        matches!(&error, KeyError::NotRsa { algorithm } if algorithm == "Ed25519"),
        "{error:?}"
    );
}

#[test]
fn rsa_1024() {
    for &backend in Backend::ALL {
        let error =
            SigningKey::from_pem_with_backend(read("rsa1024-pkcs8.pem"), backend).unwrap_err();
        assert!(
            matches!(error, KeyError::TooSmall { bits: 1024 }),
            "{error:?}"
        );
        assert!(error.to_string().contains("1024 bits"));
    }
}

#[test]
fn missing_file() {
    let path = common::data("no-such-key.pem");
    let error = SigningKey::from_pem_file(&path).unwrap_err();
    assert!(
        matches!(&error, KeyError::File { path: p, error } if *p == path && error.kind() == std::io::ErrorKind::NotFound),
        "{error:?}"
    );
    assert!(
        error.to_string().contains(&path.display().to_string()),
        "{error}"
    );
}

#[test]
fn garbage_der() {
    for garbage in [
        &b"\x30\x03\x02\x01\x00"[..],
        b"\x30\x80",
        b"\x30\x82\xff\xff",
        b"\x30\x00",
    ] {
        let error = SigningKey::from_der(garbage).unwrap_err();
        assert!(
            matches!(error, KeyError::Malformed { .. }),
            "{garbage:?}: {error:?}"
        );
    }
}

#[test]
fn garbage_inside_a_pem_block() {
    for body in ["not base64 at all!", "AAAA", ""] {
        let pem =
            format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
        let error = SigningKey::from_pem(pem).unwrap_err();
        assert!(
            matches!(error, KeyError::Malformed { .. }),
            "{body}: {error:?}"
        );
    }
    // A truncated key: base64 is fine, DER is not.
    let pem = String::from_utf8(read("test-rsa2048-pkcs1.pem")).unwrap();
    let truncated: Vec<&str> = pem.lines().take(10).chain(pem.lines().last()).collect();
    assert!(matches!(
        SigningKey::from_pem(truncated.join("\n")),
        Err(KeyError::Malformed { .. })
    ));
}

#[test]
fn openssh_and_unknown_labels_are_unsupported() {
    for label in ["OPENSSH PRIVATE KEY", "X509 CRL"] {
        let pem = format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----\n");
        let error = SigningKey::from_pem(pem).unwrap_err();
        assert!(
            matches!(error, KeyError::Unsupported { .. }),
            "{label}: {error:?}"
        );
    }
}

/// The base64 lines of every PEM fixture, private or not, must never appear in an error's
/// or a key's Debug or Display.
#[test]
fn no_debug_or_display_contains_key_material() {
    let mut fixtures: Vec<(&str, String)> = Vec::new();
    let mut checked = 0;
    for file in [
        "test-rsa2048-pkcs1.pem",
        "test-rsa2048-pkcs8.pem",
        "test-rsa2048-encrypted-pkcs8.pem",
        "test-rsa2048-encrypted-legacy.pem",
        "test-rsa2048-pub.pem",
        "test-rsa2048-pub-pkcs1.pem",
        "test-rsa2048-cert.pem",
        "ec-p256-pkcs8.pem",
        "ec-p256-sec1.pem",
        "ed25519-pkcs8.pem",
        "rsa1024-pkcs8.pem",
    ] {
        let pem = String::from_utf8(read(file)).unwrap();
        let lines: Vec<String> = pem
            .lines()
            .filter(|line| !line.starts_with("-----") && !line.contains(':') && line.len() >= 16)
            .map(str::to_owned)
            .collect();
        assert!(!lines.is_empty(), "{file}");
        // The file as given, a truncated copy, and copies with a broken BEGIN line or
        // missing END line, whose errors must not quote the content either.
        let broken_begin = pem.replacen("-----\n", "\n", 1);
        let truncated: String = pem.lines().take(4).collect::<Vec<_>>().join("\n");
        for input in [pem.clone(), broken_begin, truncated] {
            for backend in Backend::ALL {
                let shown = match SigningKey::from_pem_with_backend(&input, *backend) {
                    Ok(key) => format!("{key:?}"),
                    Err(error) => format!("{error:?} {error}"),
                };
                fixtures.push((file, shown));
            }
            if let Err(error) = PublicKey::from_pem(&input) {
                fixtures.push((file, format!("{error:?} {error}")));
            }
        }
        for (_, shown) in fixtures.drain(..) {
            for line in &lines {
                assert!(
                    !shown.contains(line.as_str()),
                    "{file}: {shown} contains {line}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked}");
    let key = common::key(Backend::default());
    #[cfg(feature = "aws-lc-rs")]
    assert_eq!(
        format!("{key:?}"),
        "SigningKey { bits: 2048, backend: AwsLc, .. }"
    );
    #[cfg(not(feature = "aws-lc-rs"))]
    assert_eq!(
        format!("{key:?}"),
        "SigningKey { bits: 2048, backend: RustCrypto, .. }"
    );
}

#[test]
fn every_error_message_says_what_to_do() {
    let errors = [
        SigningKey::from_pem("x").unwrap_err(),
        SigningKey::from_der(b"x").unwrap_err(),
        pem_error("test-rsa2048-encrypted-pkcs8.pem"),
        pem_error("test-rsa2048-pub.pem"),
        pem_error("test-rsa2048-cert.pem"),
        pem_error("ec-p256-pkcs8.pem"),
        pem_error("rsa1024-pkcs8.pem"),
        SigningKey::from_der(b"\x30\x00").unwrap_err(),
        SigningKey::from_pem_file("/nonexistent/key.pem").unwrap_err(),
    ];
    for error in errors {
        let message = error.to_string();
        assert!(
            ["use ", "decrypt", "check the path", "download"]
                .iter()
                .any(|hint| message.contains(hint)),
            "{message}"
        );
    }
}

/// Only [`MAX_KEY_FILE_BYTES`] of a key file are read: a wrong path (a device, a log file)
/// fails at once instead of reading until memory runs out.
#[test]
fn a_key_file_over_the_size_cap_is_refused() {
    use idv_signing::MAX_KEY_FILE_BYTES;
    let cap = usize::try_from(MAX_KEY_FILE_BYTES).unwrap();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("key-over-the-cap.pem");
    // A good key followed by blank lines: at the cap it loads, one byte over it does not.
    let mut pem = read("test-rsa2048-pkcs1.pem");
    pem.resize(cap, b'\n');
    std::fs::write(&path, &pem).unwrap();
    signs_get_session(&SigningKey::from_pem_file(&path).unwrap());
    pem.push(b'\n');
    std::fs::write(&path, &pem).unwrap();
    let error = SigningKey::from_pem_file(&path).unwrap_err();
    assert!(
        matches!(&error, KeyError::FileTooLarge { path: p, limit } if *p == path && *limit == MAX_KEY_FILE_BYTES),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("check the path"),
        "{message}"
    );
    // An endless device stops at the cap too.
    if cfg!(unix) {
        let error = SigningKey::from_pem_file("/dev/zero").unwrap_err();
        assert!(matches!(error, KeyError::FileTooLarge { .. }), "{error:?}");
    }
}

/// A damaged key whose stored CRT values are wrong (see tests/data/README.md). AWS-LC refuses
/// it with nothing more than "UnexpectedError", while the `rsa` crate ignored those values
/// and loaded it: now both backends refuse it, saying what is wrong.
#[test]
fn a_key_with_wrong_crt_values_is_inconsistent_with_every_backend() {
    let pem = read("test-rsa2048-wrong-crt.pem");
    for &backend in Backend::ALL {
        let error = SigningKey::from_pem_with_backend(&pem, backend).unwrap_err();
        assert!(
            matches!(&error, KeyError::Inconsistent { reason } if reason.contains("CRT values")),
            "{backend:?}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("damaged")
                && message.contains("download")
                && !message.contains("Unexpected"),
            "{message}"
        );
    }
}

/// A public exponent over 33 bits: both backends refuse it, AWS-LC with only
/// "InvalidEncoding"; the error says what is wrong.
#[test]
fn a_public_exponent_over_33_bits_is_unsupported_with_every_backend() {
    let pem = read("rsa2048-exponent-41-bits.pem");
    for &backend in Backend::ALL {
        let error = SigningKey::from_pem_with_backend(&pem, backend).unwrap_err();
        assert!(
            matches!(&error, KeyError::Unsupported { what } if what.contains("public exponent has 41 bits")),
            "{backend:?}: {error:?}"
        );
    }
}

//! Signatures per second: a GET and a 64 KiB JSON POST, signed end to end by
//! `Signer::sign_parts` (URL, nonce, message, RSA-2048 signature, base64), with each backend;
//! plus the bare RSA signature and the emulator-side `verify`.
//!
//! `cargo bench -p idv-signing`; compare with `openssl speed -seconds 5 rsa2048` (README).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use idv_signing::{Backend, Signer, SigningKey, Url, verify};

const PEM: &str = include_str!("../tests/data/test-rsa2048-pkcs1.pem");
const BASE: &str = "https://api.yoti.com/idverify/v1";

/// About 64 KiB of JSON, like a session request with a large payload.
fn json_body() -> Vec<u8> {
    let mut body =
        String::from(r#"{"client_session_token_ttl":600,"user_tracking_id":"user-123","notes":["#);
    let mut i = 0;
    while body.len() < 64 * 1024 - 64 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(r#""note {i:05}: lorem ipsum dolor sit amet""#));
        i += 1;
    }
    body.push_str("]}");
    body.into_bytes()
}

fn sign(c: &mut Criterion) {
    let get = Url::parse(&format!(
        "{BASE}/sessions/8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b"
    ))
    .unwrap();
    let post = Url::parse(&format!("{BASE}/sessions")).unwrap();
    let body = json_body();
    for &backend in Backend::ALL {
        let key = SigningKey::from_pem_with_backend(PEM, backend).unwrap();
        let signer = Signer::new("a1b2c3d4-e5f6-7890-abcd-ef0123456789", key, BASE).unwrap();
        let mut group = c.benchmark_group(format!("{backend:?}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("sign GET", |b| {
            b.iter(|| signer.sign_parts("GET", black_box(&get), None).unwrap())
        });
        group.bench_function("sign POST 64 KiB JSON", |b| {
            b.iter(|| {
                signer
                    .sign_parts("POST", black_box(&post), Some(black_box(&body)))
                    .unwrap()
            })
        });
        group.finish();
    }

    let signer = Signer::new("sdk", SigningKey::from_pem(PEM).unwrap(), BASE).unwrap();
    let mut group = c.benchmark_group(format!("{:?}", Backend::default()));
    group.throughput(Throughput::Elements(1));
    let message = "GET&/sessions/8f6a9b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b?sdkId=a1b2c3d4-e5f6-7890-abcd-ef0123456789\
                   &nonce=5f0c4a3e-7d1b-4c2a-9e8f-0123456789ab&timestamp=1700000000";
    group.bench_function("bare RSA sign", |b| {
        b.iter(|| signer.key().sign(black_box(message.as_bytes())).unwrap())
    });
    let parts = signer.sign_parts("GET", &get, None).unwrap();
    let path_and_query = format!(
        "{}?{}",
        &parts.url.path()["/idverify/v1".len()..],
        parts.url.query().unwrap()
    );
    let public_key = signer.key().public_key();
    group.bench_function("verify GET", |b| {
        b.iter(|| {
            verify(
                &public_key,
                "GET",
                black_box(&path_and_query),
                None,
                &parts.digest,
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, sign);
criterion_main!(benches);

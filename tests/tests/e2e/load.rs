//! A bounded load test: 5,000 signed requests at concurrency 64, with no error and no nonce
//! collision. It asserts counts, never times.

use futures_util::StreamExt;

use super::start;

const REQUESTS: usize = 5_000;
const CONCURRENCY: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_signed_requests_at_concurrency_64() {
    let (emulator, client) = start().await;
    let id = emulator.demo_session();
    let results: Vec<_> = futures_util::stream::iter(0..REQUESTS)
        .map(|_| {
            let (client, id) = (client.clone(), id.clone());
            async move { client.get_session().session_id(&id).send().await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let errors: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors, e.g. {:?}",
        errors.len(),
        errors.first()
    );
    assert!(
        results
            .iter()
            .flatten()
            .all(|s| s.session_id.as_deref() == Some(id.as_str()))
    );

    let stats = emulator.stats();
    assert_eq!(
        stats.authenticated, REQUESTS as u64,
        "every request was checked and accepted"
    );
    assert_eq!(stats.replayed_nonces, 0, "no two requests shared a nonce");
    assert_eq!(stats.unauthorized, 0);
}

//! HTTPS works out of the box: progenitor-client turns reqwest's default features off, so
//! idv-api turns TLS back on (rustls by default, `native-tls` as a feature).

/// A TLS client talking to a server that hangs up fails in the handshake. A client without TLS
/// never gets that far: it refuses the `https` scheme.
#[tokio::test]
async fn an_https_request_attempts_a_tls_handshake() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}/idverify/v1", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        drop(socket); // hang up during the handshake
    });
    let client = crate::common::builder("sdk-id", &base).build().unwrap();

    let err = client
        .get_session()
        .session_id("s1")
        .send()
        .await
        .unwrap_err();
    let chain = format!("{err:#}");
    assert!(
        !chain.contains("scheme is not http"),
        "no TLS support: {chain}"
    );
    assert!(
        matches!(err, idv_api::Error::CommunicationError(ref e) if e.is_connect()),
        "{chain}"
    );
    server.await.unwrap();
}

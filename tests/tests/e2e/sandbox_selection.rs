//! The sandbox chooses the configured report by the session: document filters select it by
//! the document's country and type, and liveness types by the capture the requested check
//! asks for.

use idv_api::types::{
    CheckType, CreateSessionPayload, LivenessType, RecommendationValue, RequestedCheck,
    RequestedCheckConfig, ResponseConfig, SandboxCheckReports, SandboxDocumentCheck,
    SandboxDocumentFilter,
};

use super::sandbox::{check, liveness, recommending, report, restricted, result};
use super::{create, start};

#[tokio::test]
async fn document_filters_and_liveness_types_select_the_report() {
    let (emulator, client) = start().await;
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            id_document_authenticity: vec![
                SandboxDocumentCheck {
                    document_filter: Some(SandboxDocumentFilter {
                        country_codes: vec!["FRA".into()],
                        ..Default::default()
                    }),
                    result: Some(result(&recommending(RecommendationValue::Reject))),
                    ..Default::default()
                },
                SandboxDocumentCheck {
                    result: Some(result(&recommending(RecommendationValue::Approve))),
                    ..Default::default()
                },
            ],
            liveness: vec![liveness(
                LivenessType::Static,
                RecommendationValue::Consider,
            )],
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(config)
        .send()
        .await
        .unwrap();
    let payload = CreateSessionPayload {
        requested_checks: [CheckType::IdDocumentAuthenticity, CheckType::Liveness]
            .map(RequestedCheck::new)
            .into(),
        required_documents: vec![
            restricted("FRA", "NATIONAL_ID"),
            restricted("USA", "DRIVING_LICENCE"),
        ],
        ..Default::default()
    };
    let id = create(&client, payload).await;
    let session = client
        .get_session()
        .session_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();

    let documents = &session.resources.as_ref().unwrap().id_documents;
    let values: Vec<(String, String)> = session
        .checks
        .iter()
        .filter(|c| c.type_ == Some(CheckType::IdDocumentAuthenticity))
        .map(|c| {
            let document = documents
                .iter()
                .find(|d| d.id.as_ref() == c.resources_used.first())
                .unwrap();
            let value = report(c)["recommendation"]["value"]
                .as_str()
                .unwrap()
                .to_owned();
            (document.issuing_country.clone().unwrap(), value)
        })
        .collect();
    assert_eq!(
        values,
        [
            ("FRA".to_owned(), "REJECT".to_owned()),
            ("USA".to_owned(), "APPROVE".to_owned())
        ]
    );

    let liveness = &session.resources.as_ref().unwrap().liveness_capture[0];
    assert_eq!(liveness.liveness_type.as_ref().unwrap().as_str(), "STATIC");
    assert!(liveness.image.is_some() && liveness.facemap.is_none());
    assert_eq!(
        report(check(&session, CheckType::Liveness))["recommendation"]["value"],
        "CONSIDER"
    );
}

/// The requested liveness check's `config.liveness_type` decides the liveness resource, and so
/// which configured report applies; the sandbox configuration only decides for a check that
/// names no type.
#[tokio::test]
async fn the_requested_liveness_type_decides_the_capture() {
    let (emulator, client) = start().await;
    let config = ResponseConfig {
        check_reports: Some(SandboxCheckReports {
            liveness: vec![
                liveness(LivenessType::Zoom, RecommendationValue::Reject),
                liveness(LivenessType::Static, RecommendationValue::Consider),
            ],
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .put_application_response_config()
        .sdk_id(emulator.sdk_id())
        .body(config)
        .send()
        .await
        .unwrap();
    let static_ = RequestedCheckConfig {
        liveness_type: Some(LivenessType::Static),
        ..Default::default()
    };
    let zoom = RequestedCheckConfig {
        liveness_type: Some(LivenessType::Zoom),
        max_retries: Some(3),
        ..Default::default()
    };
    for (requested, expected, value) in [
        (static_, "STATIC", "CONSIDER"),
        (zoom, "ZOOM", "REJECT"),
        // No type asked for: the first configured one.
        (RequestedCheckConfig::default(), "ZOOM", "REJECT"),
    ] {
        let liveness_check = RequestedCheck {
            config: Some(requested.clone()),
            ..RequestedCheck::new(CheckType::Liveness)
        };
        let payload = CreateSessionPayload::builder().requested_checks([liveness_check]);
        let requested = serde_json::to_value(&requested).unwrap();
        let id = create(&client, payload).await;
        let session = client.get_session().session_id(&id).send().await.unwrap();
        let liveness = &session.resources.as_ref().unwrap().liveness_capture[0];
        assert_eq!(
            liveness.liveness_type.as_ref().unwrap().as_str(),
            expected,
            "{requested}"
        );
        let zoom = expected == "ZOOM";
        assert_eq!(liveness.facemap.is_some(), zoom, "{requested}");
        assert_eq!(liveness.frames.is_empty(), !zoom, "{requested}");
        assert_eq!(liveness.image.is_some(), !zoom, "{requested}");
        assert_eq!(
            report(check(&session, CheckType::Liveness))["recommendation"]["value"],
            value,
            "{requested}"
        );
    }
}

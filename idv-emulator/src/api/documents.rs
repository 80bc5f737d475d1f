//! The `supported-documents` tag: the documents the service accepts, by country.

use axum::Json;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::Answer;
use crate::error::ApiError;
use crate::schema::FieldError;

pub(super) async fn supported_documents(Query(query): Query<Vec<(String, String)>>) -> Answer {
    let mut non_latin = false;
    for (_, value) in query.iter().filter(|(name, _)| name == "includeNonLatin") {
        non_latin = match value.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => {
                let message = format!("\"{value}\" is not one of \"true\" or \"false\"");
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY_PARAMETER",
                    "the query does not match the API's schema",
                )
                .with_errors(vec![FieldError {
                    property: "includeNonLatin".to_owned(),
                    message,
                }]));
            }
        };
    }
    Ok(Json(crate::documents::supported(non_latin)).into_response())
}

//! How a request of a [`Client`] is sent: through the middleware stack (the caller's own
//! middleware, then the signer), under the client's deadline, traced.

use std::time::Duration;

use reqwest_middleware::ClientWithMiddleware;

use crate::generated::STREAMED_OPERATIONS;
use crate::middleware::{MiddlewareError, Refused};
use crate::{Client, Error, error, trace};

/// The middleware stack every request of a [`Client`] goes through, and the limits the
/// client applies to it.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    pub(crate) stack: ClientWithMiddleware,
    pub(crate) json_limit: usize,
    pub(crate) deadline: Option<Duration>,
}

/// Which operation a request is for. Generated code makes one for every request.
pub(crate) struct OperationInfo {
    /// The operation's snake-case name, e.g. `get_session`.
    pub(crate) operation_id: &'static str,
}

/// Why [`Client::exec`] returned no response.
pub(crate) enum ExecError {
    /// A middleware stopped the request.
    NotSent(MiddlewareError),
    /// Connecting, sending or receiving failed.
    Failed(reqwest::Error),
}

impl<E> From<ExecError> for Error<E> {
    fn from(e: ExecError) -> Self {
        match e {
            ExecError::NotSent(e) => Error::NotSent(e),
            ExecError::Failed(e) => Error::CommunicationError(e),
        }
    }
}

impl Client {
    /// Sends the request through the middleware stack. Generated code calls this for every
    /// request. Every operation but the streamed ones has the client's deadline.
    pub(crate) async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> Result<reqwest::Response, ExecError> {
        if let Some(deadline) = self.inner.deadline
            && !STREAMED_OPERATIONS.contains(&info.operation_id)
        {
            *request.timeout_mut() = Some(deadline);
        }
        let mut extensions = http::Extensions::new();
        let call = trace::Call::start(info.operation_id, &mut extensions);
        let sent = self
            .inner
            .stack
            .execute_with_extensions(request, &mut extensions);
        match call.instrument(sent).await {
            Ok(response) => {
                call.finish(&extensions, trace::Outcome::Status(response.status()));
                Ok(response)
            }
            Err(reqwest_middleware::Error::Reqwest(e)) => {
                call.finish(&extensions, trace::Outcome::Failed(&e));
                Err(ExecError::Failed(e))
            }
            Err(reqwest_middleware::Error::Middleware(error)) => {
                let signing = extensions.remove::<Refused>().map(|r| r.0);
                let refusal = signing
                    .as_deref()
                    .or_else(|| error::find(Some(error.as_ref())));
                let outcome = match (refusal, error::find(Some(error.as_ref()))) {
                    (None, Some(token)) => trace::Outcome::NoToken(token),
                    _ => trace::Outcome::Refused(refusal),
                };
                call.finish(&extensions, outcome);
                Err(ExecError::NotSent(MiddlewareError {
                    operation: info.operation_id,
                    error,
                    signing,
                }))
            }
        }
    }
}

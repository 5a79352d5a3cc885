//! The typed layer: encode a request, send its bytes, decode the reply — written once for every
//! endpoint and every transport.

use std::borrow::Cow;
use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::decode::{Strictness, decode_response};
use crate::transport::{BoxFuture, CallOptions, RawRequest, RetryPolicy, Transport};
use crate::{
    Access, ChiaConfig, Endpoint, Error, HttpsTransport, Result, Service, ServiceEndpoint,
};

/// A typed client of every Chia service, over any [`Transport`].
///
/// Cloning is cheap and shares the transport (and its connection pools). The service handles —
/// `client.full_node()`, `client.wallet()`, … — come from [`crate::ServiceClients`], which the
/// [prelude](crate::prelude) brings in.
///
/// ```no_run
/// use chia_rpc::prelude::*;
///
/// # async fn run() -> chia_rpc::Result<()> {
/// let client = Client::from_config(&ChiaConfig::discover()?)?;
/// let blocks = client
///     .full_node()
///     .get_blocks(0, 10)
///     .exclude_reorged(true)
///     .timeout(std::time::Duration::from_secs(5))
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    strictness: Strictness,
    options: CallOptions,
    retry: RetryPolicy,
}

impl Client {
    /// A client over `transport`, decoding leniently.
    pub fn new(transport: impl Transport + 'static) -> Self {
        Client::from_arc(Arc::new(transport))
    }

    /// A client over a transport that is already shared.
    pub fn from_arc(transport: Arc<dyn Transport>) -> Self {
        Client {
            transport,
            strictness: Strictness::Lenient,
            options: CallOptions::new(),
            retry: RetryPolicy::NONE,
        }
    }

    /// A client over HTTPS to every service of the installation described by `config`,
    /// verifying each server against the installation's private CA and the name `chia.net`.
    /// [`HttpsTransport::builder_from_config`] changes any setting first.
    pub fn from_config(config: &ChiaConfig) -> Result<Self> {
        Ok(Client::new(HttpsTransport::from_config(config)?))
    }

    /// This client, refusing (or accepting) fields and enum values the model does not know in
    /// every reply. The default is [`Strictness::Lenient`], so a newer node does not break you.
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// This client, with a timeout for every call that does not set its own.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// This client, with these options (timeouts, reply size) for every call that does not set
    /// its own.
    pub fn with_options(mut self, options: CallOptions) -> Self {
        self.options = options.or(self.options);
        self
    }

    /// This client, sending read-only calls again after failures a new attempt can cure
    /// (off by default). Writes and transactions are never sent twice; see [`RetryPolicy`].
    pub fn with_retries(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How replies are decoded.
    pub fn strictness(&self) -> Strictness {
        self.strictness
    }

    /// The transport underneath.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    /// A call of `request` on the service it belongs to; send it with `.await`.
    pub fn call<E: ServiceEndpoint>(&self, request: E) -> Call<E> {
        Call::new(self, E::SERVICE, request)
    }

    /// A call of `request` on `service`: for the routes every service shares, and for a
    /// service that also serves another's routes (the simulator serves the full node's).
    pub fn call_on<E: Endpoint>(&self, service: Service, request: E) -> Call<E> {
        Call::new(self, service, request)
    }

    /// Sends a JSON `body` to any `route` of `service` and returns the reply's bytes exactly as
    /// the service sent them, without looking at them. For routes the schema does not cover and
    /// for tools that show what the node said.
    pub async fn send_raw(
        &self,
        service: Service,
        route: impl Into<Cow<'static, str>>,
        body: impl Into<Bytes>,
        options: CallOptions,
    ) -> Result<Bytes> {
        let request = RawRequest::new(service, route, body).with_options(options.or(self.options));
        self.transport.send(request).await
    }

    async fn execute<E: Endpoint>(
        &self,
        service: Service,
        request: &E,
        options: CallOptions,
        strictness: Strictness,
        retry: RetryPolicy,
    ) -> Result<E::Response> {
        let body = Bytes::from(
            serde_json::to_vec(request)
                .map_err(|err| Error::invalid_request(E::NAME, err.to_string()))?,
        );
        // Only reads may go twice: a write or transaction may have been acted on.
        let attempts = if E::ACCESS == Access::Read { retry.attempts } else { 1 };
        let mut attempt = 1;
        loop {
            match self.send_raw(service, E::NAME, body.clone(), options).await {
                Ok(reply) => return decode_response::<E>(reply, strictness),
                Err(err) if attempt < attempts && RetryPolicy::can_cure(&err) => {
                    tokio::time::sleep(retry.delay_before_retry(attempt)).await;
                    attempt += 1;
                }
                // Whatever status it came with, a reply to such an endpoint may hold a secret.
                Err(err) if E::SENSITIVE => return Err(err.hiding_body()),
                Err(err) => return Err(err),
            }
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("strictness", &self.strictness)
            .field("options", &self.options)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// A call being prepared: a request, the service it goes to and per-call options. Nothing is
/// sent until it is `.await`ed.
///
/// Generated methods return a builder per endpoint (`GetBlocksCall`) that wraps one of these
/// and adds setters for the endpoint's optional fields.
#[must_use = "a call is sent only when it is awaited"]
pub struct Call<E> {
    client: Client,
    service: Service,
    request: E,
    options: CallOptions,
    strictness: Strictness,
    retry: RetryPolicy,
}

impl<E: Endpoint> Call<E> {
    /// A call of `request` on `service` through `client`, with the client's settings.
    pub fn new(client: &Client, service: Service, request: E) -> Self {
        Call {
            client: client.clone(),
            service,
            request,
            options: CallOptions::new(),
            strictness: client.strictness,
            retry: client.retry,
        }
    }

    /// The longest this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The longest the service may go silent once its reply has begun, instead of the
    /// transport's read timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.options.read_timeout = Some(timeout);
        self
    }

    /// The largest reply this call accepts, in bytes, instead of the transport's limit.
    pub fn max_reply_size(mut self, bytes: usize) -> Self {
        self.options.max_reply_size = Some(bytes);
        self
    }

    /// Every per-call option at once; options left unset keep what the call has.
    pub fn with_options(mut self, options: CallOptions) -> Self {
        self.options = options.or(self.options);
        self
    }

    /// Retries of this call, instead of the client's policy. Ignored unless the endpoint only
    /// reads.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Decode this call's reply strictly or leniently, instead of as the client does.
    pub fn strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// The request.
    pub fn request(&self) -> &E {
        &self.request
    }

    /// The request, to change.
    pub fn request_mut(&mut self) -> &mut E {
        &mut self.request
    }

    /// The request, without sending it.
    pub fn into_request(self) -> E {
        self.request
    }

    /// The service the call goes to.
    pub fn service(&self) -> Service {
        self.service
    }

    /// The per-call options set so far.
    pub fn options(&self) -> CallOptions {
        self.options
    }

    /// Sends the call; the same as `.await`ing it.
    pub async fn send(self) -> Result<E::Response> {
        let Call { client, service, request, options, strictness, retry } = self;
        client.execute(service, &request, options, strictness, retry).await
    }
}

impl<E: Endpoint> IntoFuture for Call<E> {
    type Output = Result<E::Response>;
    type IntoFuture = BoxFuture<'static, Result<E::Response>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<E: fmt::Debug> fmt::Debug for Call<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("service", &self.service)
            .field("request", &self.request)
            .field("options", &self.options)
            .field("strictness", &self.strictness)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

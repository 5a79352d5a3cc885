//! The byte-level transport every typed call goes through.
//!
//! A [`Transport`] moves bytes only: a service, a route, a JSON body and the call's options in;
//! the reply body, or a transport error, out. Encoding, the `success` envelope, typed decoding
//! and strictness live once above it, in [`crate::Client`]. So the HTTPS transport, a recorder,
//! or a fixture server written for tests are interchangeable under every generated method.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;

use crate::{Result, Service};

/// A boxed, sendable future: what a [`Transport`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Options of one call, passed down to the transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The longest the whole call may take; the transport's own default when `None`.
    pub timeout: Option<Duration>,
}

impl CallOptions {
    /// No options: the transport's defaults.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Sets the longest the whole call may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// These options, with every option `self` leaves unset taken from `defaults`.
    pub fn or(self, defaults: CallOptions) -> CallOptions {
        CallOptions { timeout: self.timeout.or(defaults.timeout) }
    }
}

/// One request, as a transport sees it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawRequest {
    /// The service to send it to.
    pub service: Service,
    /// The route (`get_blockchain_state`).
    pub route: Cow<'static, str>,
    /// The JSON body.
    pub body: Bytes,
    /// The call's options.
    pub options: CallOptions,
}

impl RawRequest {
    /// A request of `route` on `service` with a JSON `body` and default options.
    pub fn new(
        service: Service,
        route: impl Into<Cow<'static, str>>,
        body: impl Into<Bytes>,
    ) -> Self {
        RawRequest { service, route: route.into(), body: body.into(), options: CallOptions::new() }
    }

    /// The same request with `options`.
    pub fn with_options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }
}

/// Carries a request's bytes to a Chia service and brings the reply's bytes back.
///
/// Return the reply body as the service sent it, whatever it says (a `success: false` reply is
/// a reply, not a transport error). Report failures to deliver with the constructors of
/// [`crate::Error`]: [`connect`](crate::Error::connect) when nothing was sent,
/// [`connection_lost`](crate::Error::connection_lost) when the link broke afterwards,
/// [`timeout`](crate::Error::timeout), [`http_status`](crate::Error::http_status),
/// [`tls`](crate::Error::tls) and [`config`](crate::Error::config).
///
/// The trait is object-safe: [`crate::Client`] holds any transport as `Arc<dyn Transport>`.
///
/// ```
/// use bytes::Bytes;
/// use chia_rpc::transport::{BoxFuture, RawRequest, Transport};
///
/// /// Answers every route with the same reply.
/// struct Canned(&'static str);
///
/// impl Transport for Canned {
///     fn send(&self, _request: RawRequest) -> BoxFuture<'_, chia_rpc::Result<Bytes>> {
///         let reply = Bytes::from_static(self.0.as_bytes());
///         Box::pin(async move { Ok(reply) })
///     }
/// }
/// # let _ = chia_rpc::Client::new(Canned("{}"));
/// ```
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the reply body.
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<Bytes>> {
        (**self).send(request)
    }
}

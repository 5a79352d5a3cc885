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

/// Options of one call, passed down to the transport. Each is the transport's own default
/// when `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The longest the whole call may take.
    pub timeout: Option<Duration>,
    /// The longest the service may go silent once its reply has begun.
    pub read_timeout: Option<Duration>,
    /// The largest reply, in bytes, the call accepts.
    pub max_reply_size: Option<usize>,
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

    /// Sets the longest the service may go silent once its reply has begun.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Sets the largest reply, in bytes, the call accepts.
    pub fn max_reply_size(mut self, bytes: usize) -> Self {
        self.max_reply_size = Some(bytes);
        self
    }

    /// These options, with every option `self` leaves unset taken from `defaults`.
    pub fn or(self, defaults: CallOptions) -> CallOptions {
        CallOptions {
            timeout: self.timeout.or(defaults.timeout),
            read_timeout: self.read_timeout.or(defaults.read_timeout),
            max_reply_size: self.max_reply_size.or(defaults.max_reply_size),
        }
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

/// Whether and how often a failed call is sent again. Off unless chosen, and applied only to
/// endpoints whose [`Access`](crate::Access) is `Read`: a write or a transaction is never sent
/// twice, whatever the policy says, since the service may have acted on the first one.
///
/// A read is sent again after failures a new attempt can cure: no connection, a connection
/// lost, a time limit, an HTTP status of 500 or more. A reply that was decoded (`success:
/// false` included) is final. The delay before the n-th retry is `first_delay · 2ⁿ⁻¹`, capped
/// at `max_delay`.
///
/// ```
/// use std::time::Duration;
/// use chia_rpc::transport::RetryPolicy;
///
/// let policy = RetryPolicy::attempts(4).first_delay(Duration::from_millis(50));
/// assert_eq!(policy.delay_before_retry(3), Duration::from_millis(200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a call is sent at most, the first time included (1: no retries).
    pub attempts: u32,
    /// The delay before the first retry.
    pub first_delay: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub const NONE: RetryPolicy = RetryPolicy {
        attempts: 1,
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(2),
    };

    /// Up to `attempts` sends in all (at least one), 100 ms before the first retry, doubling
    /// up to 2 s.
    pub fn attempts(attempts: u32) -> Self {
        RetryPolicy { attempts: attempts.max(1), ..RetryPolicy::NONE }
    }

    /// Sets the delay before the first retry.
    pub fn first_delay(mut self, delay: Duration) -> Self {
        self.first_delay = delay;
        self
    }

    /// Sets the longest delay between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The delay before retry number `retry` (1 for the first).
    pub fn delay_before_retry(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// Whether `error` is one a new attempt of a read can cure.
    pub fn can_cure(error: &crate::Error) -> bool {
        use crate::ErrorKind;
        match error.kind() {
            ErrorKind::Connect { .. }
            | ErrorKind::ConnectionLost { .. }
            | ErrorKind::Timeout { .. } => true,
            ErrorKind::HttpStatus { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::NONE
    }
}

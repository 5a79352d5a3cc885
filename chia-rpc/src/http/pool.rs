//! HTTP/1.1 keep-alive connections to one service, never more than calls in flight.
//!
//! A call takes an idle connection when there is one and dials only when every open connection
//! is busy with another call, so a service sees at most as many connections as calls in flight.
//! A connection goes back to the idle list as soon as its reply is read, before the caller
//! decodes, so the caller's next call finds it. (A general-purpose pool that races a dial
//! against the return of a busy connection opens more connections than that under load.)

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_rustls::TlsConnector;

use super::Limits;
use crate::error::{TimeLimit, innermost};
use crate::{Error, Result};

/// An idle connection older than this is closed rather than reused, before the server closes it:
/// aiohttp, which Chia's services run on, closes a connection idle for 75 s by default.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The connections to one `host:port`.
pub(super) struct Pool {
    host: String,
    port: u16,
    server_name: ServerName<'static>,
    authority: HeaderValue,
    tls: TlsConnector,
    idle: Mutex<Vec<Idle>>,
}

struct Idle {
    sender: SendRequest<Full<Bytes>>,
    since: Instant,
}

/// A reply as read from the wire.
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) body: Bytes,
}

impl Pool {
    pub(super) fn new(host: &str, port: u16, tls: rustls::ClientConfig) -> Result<Pool> {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let server_name = ServerName::try_from(host.clone())
            .map_err(|err| Error::config(None, None, format!("host {host:?}: {err}")))?;
        let authority =
            HeaderValue::try_from(format!("{}:{port}", super::builder::bracket_ipv6(&host)))
                .map_err(|err| Error::config(None, None, format!("host {host:?}: {err}")))?;
        Ok(Pool {
            host,
            port,
            server_name,
            authority,
            tls: TlsConnector::from(Arc::new(tls)),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// POSTs `body` to `path` and reads the whole reply within `limits`' connect, read-idle and
    /// size limits (the caller bounds the total). `url` names the call in errors.
    pub(super) async fn post(
        &self,
        url: &str,
        path: &str,
        body: Bytes,
        limits: &Limits,
    ) -> Result<Reply> {
        let mut request = self.request(url, path, body)?;
        loop {
            // A fresh connection comes with the way to learn why it ended, should it end at once.
            let (mut sender, ended) = match self.idle() {
                Some(sender) => (sender, None),
                None => {
                    let (sender, ended) = self.dial(url, limits.connect).await?;
                    (sender, Some(ended))
                }
            };
            let reused = ended.is_none();
            // A connection whose last reply was just read may not have turned idle yet.
            if reused && sender.ready().await.is_err() {
                continue;
            }
            let response = match sender.try_send_request(request).await {
                Ok(response) => response,
                Err(mut err) => match err.take_message() {
                    // The connection closed before the request went out: send it on another.
                    Some(unsent) if reused => {
                        request = unsent;
                        continue;
                    }
                    _ => return Err(exchange_failure(url, err.into_error(), ended).await),
                },
            };
            let status = response.status();
            let length = response
                .headers()
                .get(CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
            if let Some(size) = length.filter(|&size| size > limits.max_reply_size as u64) {
                return Err(Error::too_large(
                    format!("the reply of {url}"),
                    Some(usize::try_from(size).unwrap_or(usize::MAX)),
                    limits.max_reply_size,
                ));
            }
            let length = length.and_then(|size| usize::try_from(size).ok());
            let body = read_body(url, response.into_body(), length, limits).await?;
            // Back to the idle list before the caller decodes, so its next call finds it.
            self.put_back(sender);
            return Ok(Reply { status, body });
        }
    }

    fn request(&self, url: &str, path: &str, body: Bytes) -> Result<Request<Full<Bytes>>> {
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(HOST, self.authority.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(Full::new(body))
            .map_err(|err| Error::connect(url, format!("building the request: {err}")))
    }

    /// The most recently used idle connection that is still open.
    fn idle(&self) -> Option<SendRequest<Full<Bytes>>> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(entry) = idle.pop() {
            if !entry.sender.is_closed() && entry.since.elapsed() < IDLE_TIMEOUT {
                return Some(entry.sender);
            }
        }
        None
    }

    fn put_back(&self, sender: SendRequest<Full<Bytes>>) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        // The oldest entries sit at the bottom: drop them once they expire.
        if idle.first().is_some_and(|oldest| oldest.since.elapsed() >= IDLE_TIMEOUT) {
            idle.retain(|entry| entry.since.elapsed() < IDLE_TIMEOUT);
        }
        idle.push(Idle { sender, since: Instant::now() });
    }

    /// Opens a connection: TCP, the TLS handshake, and the HTTP/1.1 connection task.
    async fn dial(&self, url: &str, limit: Duration) -> Result<(SendRequest<Full<Bytes>>, Ended)> {
        let connect = async {
            let tcp = TcpStream::connect((self.host.as_str(), self.port))
                .await
                .map_err(|err| Error::connect(url, err.to_string()).with_source(err))?;
            // Requests are small and written at once: do not hold them back.
            let _ = tcp.set_nodelay(true);
            let tls = self
                .tls
                .connect(self.server_name.clone(), tcp)
                .await
                .map_err(|err| Error::connect(url, innermost(&err)).with_source(err))?;
            let (sender, connection) = http1::handshake(TokioIo::new(tls))
                .await
                .map_err(|err| Error::connect(url, innermost(&err)).with_source(err))?;
            let (report, ended) = oneshot::channel();
            tokio::spawn(async move {
                if let Err(err) = connection.await {
                    let _ = report.send(err);
                }
            });
            Ok((sender, ended))
        };
        match tokio::time::timeout(limit, connect).await {
            Ok(result) => result,
            Err(_) => Err(Error::timeout_of(url, TimeLimit::Connect, limit)),
        }
    }
}

/// Reads a whole body into one buffer, reserved once from its `Content-Length`, failing as soon
/// as the service stays silent longer than the read-idle limit or the body passes the size limit.
/// A body that arrives in one piece is kept as it is, without a copy.
async fn read_body(
    url: &str,
    mut body: Incoming,
    length: Option<usize>,
    limits: &Limits,
) -> Result<Bytes> {
    let mut buffer: Option<BytesMut> = None;
    let mut first: Option<Bytes> = None;
    let mut read = 0usize;
    loop {
        let frame = tokio::time::timeout(limits.read_idle, body.frame())
            .await
            .map_err(|_| Error::timeout_of(url, TimeLimit::ReadIdle, limits.read_idle))?;
        let Some(frame) = frame else { break };
        let frame =
            frame.map_err(|err| Error::connection_lost(url, innermost(&err)).with_source(err))?;
        let Ok(data) = frame.into_data() else { continue };
        read += data.len();
        if read > limits.max_reply_size {
            return Err(Error::too_large(
                format!("the reply of {url}"),
                None,
                limits.max_reply_size,
            ));
        }
        match (&mut buffer, first.take()) {
            (Some(buffer), _) => buffer.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (None, Some(earlier)) => {
                let wanted = length.unwrap_or(0).max(earlier.len() + data.len());
                let mut joined = BytesMut::with_capacity(wanted.min(limits.max_reply_size));
                joined.extend_from_slice(&earlier);
                joined.extend_from_slice(&data);
                buffer = Some(joined);
            }
        }
    }
    Ok(match (buffer, first) {
        (Some(buffer), _) => buffer.freeze(),
        (None, Some(only)) => only,
        (None, None) => Bytes::new(),
    })
}

/// Why a connection's task ended, if it ended with an error.
type Ended = oneshot::Receiver<hyper::Error>;

/// How long to wait for a fresh connection's task to say why it ended.
const ENDED_GRACE: Duration = Duration::from_millis(500);

/// Classifies a failure to send a request or to receive the head of its reply. On a fresh
/// connection the reason is often in the connection's own end rather than in `err`.
async fn exchange_failure(url: &str, err: hyper::Error, ended: Option<Ended>) -> Error {
    if let Some(ended) = ended
        && let Ok(Ok(cause)) = tokio::time::timeout(ENDED_GRACE, ended).await
        && super::tls_refusal(&cause)
    {
        return refused(url, cause);
    }
    if super::tls_refusal(&err) {
        return refused(url, err);
    }
    Error::connection_lost(url, innermost(&err)).with_source(err)
}

/// Under TLS 1.3 the server refuses a client certificate after the client's side of the
/// handshake is done, so the refusal arrives as the request goes out. The service never saw the
/// request: no connection was made.
fn refused(url: &str, err: hyper::Error) -> Error {
    Error::connect(url, innermost(&err)).with_source(err)
}

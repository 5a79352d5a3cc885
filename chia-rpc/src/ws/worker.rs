//! The task that owns the connection: writes the calls' frames, routes replies to the calls
//! waiting for them and pushes to the event streams, and dials again when the link breaks.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::connection::{self, Socket, oversized};
use super::envelope::Incoming;
use super::{Broadcast, Frame, RawPush, Shared};
use crate::error::innermost;
use crate::{Error, Result};

/// Why a connection ended.
enum Ended {
    /// Every handle of the transport is gone.
    Shutdown,
    /// The link broke; the calls waiting on it fail with this error.
    Lost(Error),
}

/// Serves `socket` until the transport is dropped, dialling again after each break.
pub(super) async fn run(shared: Arc<Shared>, mut frames: UnboundedReceiver<Frame>, socket: Socket) {
    let mut socket = socket;
    loop {
        let ended = serve(&shared, &mut frames, &mut socket).await;
        let error = match ended {
            Ended::Shutdown => {
                let _ = socket.close(None).await;
                shared.disconnect(Error::connection_lost(&shared.url, "the transport was dropped"));
                return;
            }
            Ended::Lost(error) => error,
        };
        let reason = match error.kind() {
            crate::ErrorKind::ConnectionLost { reason, .. } => reason.clone(),
            _ => error.to_string(),
        };
        shared.disconnect(error);
        let _ = shared.pushes.send(Broadcast::Disconnected(reason.into()));
        if !shared.settings.reconnect.enabled {
            return;
        }
        match redial(&shared, &mut frames).await {
            Some(fresh) => socket = fresh,
            None => return,
        }
        shared.connected();
        let _ = shared.pushes.send(Broadcast::Reconnected);
    }
}

/// Moves frames out and messages in until the link breaks or the transport is dropped.
async fn serve(
    shared: &Shared,
    frames: &mut UnboundedReceiver<Frame>,
    socket: &mut Socket,
) -> Ended {
    let generation = shared.generation();
    let period = shared.settings.keepalive;
    let mut keepalive = tokio::time::interval_at(Instant::now() + period, period);
    let mut last_heard = Instant::now();
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            frame = frames.recv() => match frame {
                None => return Ended::Shutdown,
                // Written for a connection that is gone; its call has already failed.
                Some(frame) if frame.generation != generation => {}
                Some(frame) => {
                    if let Err(err) = sink.send(Message::text(frame.text)).await {
                        return Ended::Lost(Error::connection_lost(&shared.url, innermost(&err)));
                    }
                }
            },
            message = stream.next() => {
                last_heard = Instant::now();
                match message {
                    None => return Ended::Lost(Error::connection_lost(
                        &shared.url,
                        "the daemon closed the connection",
                    )),
                    Some(Err(err)) => return Ended::Lost(match oversized(&err) {
                        Some(size) => Error::too_large(
                            "a message from the daemon",
                            size,
                            shared.settings.max_message_size,
                        ),
                        None => Error::connection_lost(&shared.url, innermost(&err)),
                    }),
                    Some(Ok(Message::Text(text))) => shared.deliver(Bytes::from(text)),
                    Some(Ok(Message::Binary(bytes))) => shared.deliver(bytes),
                    Some(Ok(Message::Close(frame))) => {
                        let why = frame.map(|f| f.reason.to_string()).filter(|r| !r.is_empty());
                        return Ended::Lost(Error::connection_lost(
                            &shared.url,
                            match why {
                                Some(why) => format!("the daemon closed the connection: {why}"),
                                None => "the daemon closed the connection".to_owned(),
                            },
                        ));
                    }
                    Some(Ok(_)) => {}
                }
            }
            _ = keepalive.tick() => {
                if last_heard.elapsed() > period * 2 {
                    return Ended::Lost(Error::connection_lost(
                        &shared.url,
                        format!("nothing heard from the daemon for {:?}", last_heard.elapsed()),
                    ));
                }
                if let Err(err) = sink.send(Message::Ping(Bytes::new())).await {
                    return Ended::Lost(Error::connection_lost(&shared.url, innermost(&err)));
                }
            }
        }
    }
}

/// Dials until a connection is made and registered; `None` when the transport is dropped
/// meanwhile.
async fn redial(shared: &Shared, frames: &mut UnboundedReceiver<Frame>) -> Option<Socket> {
    let policy = shared.settings.reconnect;
    let mut delay = policy.first_delay;
    loop {
        if !wait(frames, delay).await {
            return None;
        }
        match open_registered(shared).await {
            Ok(socket) => return Some(socket),
            Err(error) => shared.set_reason(error),
        }
        delay = (delay * 2).min(policy.max_delay.max(policy.first_delay));
    }
}

/// Waits `delay`, dropping stale frames; `false` when the transport is dropped meanwhile.
async fn wait(frames: &mut UnboundedReceiver<Frame>, delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    loop {
        tokio::select! {
            () = tokio::time::sleep_until(deadline) => return true,
            frame = frames.recv() => if frame.is_none() { return false },
        }
    }
}

/// Opens a connection and registers the transport's names on it.
pub(super) async fn open_registered(shared: &Shared) -> Result<Socket> {
    let mut socket = shared.dial.open().await?;
    let mut names = vec![shared.origin.clone()];
    names.extend(shared.settings.listeners.iter().map(|l| l.name().to_owned()));
    connection::register(
        &mut socket,
        &names,
        &shared.origin,
        &mut || shared.request_id(),
        &shared.url,
        shared.settings.timeout,
        &mut |message| shared.deliver(message),
    )
    .await?;
    Ok(socket)
}

impl Shared {
    /// Routes one incoming message: a reply to the call waiting for it, a push to the streams.
    pub(super) fn deliver(&self, message: Bytes) {
        let Some(incoming) = std::str::from_utf8(&message).ok().and_then(Incoming::parse) else {
            // Not an envelope: nothing to route it to.
            return;
        };
        let data = incoming.data_bytes(&message);
        if incoming.ack {
            if let Some(pending) = self.take_pending(&incoming.request_id) {
                let _ = pending.send(Ok(data));
            }
            return;
        }
        let push = RawPush {
            origin: incoming.origin,
            destination: incoming.destination,
            command: incoming.command,
            request_id: incoming.request_id,
            data,
        };
        // No stream listening is fine.
        let _ = self.pushes.send(Broadcast::Push(Arc::new(push)));
    }
}

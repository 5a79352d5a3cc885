//! The pushes of a [`DaemonTransport`](super::DaemonTransport) as a stream of typed events.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use tokio::sync::broadcast;
use tokio_stream::Stream;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::{Broadcast, RawPush};
use crate::decode::Strictness;
use crate::{Event, Result, Service};

/// What an [`EventStream`] yields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Notice {
    /// A service pushed an event.
    Event(Box<Pushed>),
    /// The connection broke. Pushes sent until [`Notice::Reconnected`] are lost.
    Disconnected {
        /// Why.
        reason: String,
    },
    /// The connection is up again and registered: pushes flow again.
    Reconnected,
    /// The stream fell behind the pushes and skipped this many (see
    /// [`DaemonTransportBuilder::event_capacity`](super::DaemonTransportBuilder::event_capacity)).
    Lagged {
        /// How many pushes were skipped.
        missed: u64,
    },
}

/// One push with its envelope.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Pushed {
    /// The listener it was sent to (`wallet_ui`, `metrics`, …).
    pub destination: String,
    /// The sender's id of the push.
    pub request_id: String,
    /// The push, typed.
    pub event: Event,
    /// The push's `data` exactly as it came (a slice of the message, not a copy).
    pub data: Bytes,
}

/// The pushes of a daemon connection, typed, as a [`Stream`]; see
/// [`DaemonTransport::events`](super::DaemonTransport::events).
///
/// Each item is a [`Notice`], or an error when a push does not decode (a strict stream
/// refuses fields, values and pushes the model does not know). Filters narrow the pushes;
/// connection notices always come through. The stream ends when the transport is dropped.
pub struct EventStream {
    inner: BroadcastStream<Broadcast>,
    strictness: Strictness,
    services: Vec<Service>,
    commands: Vec<String>,
    listeners: Vec<String>,
}

impl EventStream {
    pub(super) fn new(receiver: broadcast::Receiver<Broadcast>) -> Self {
        EventStream {
            inner: BroadcastStream::new(receiver),
            strictness: Strictness::Lenient,
            services: Vec::new(),
            commands: Vec::new(),
            listeners: Vec::new(),
        }
    }

    /// Only pushes from `service` (call again to add more services).
    pub fn service(mut self, service: Service) -> Self {
        self.services.push(service);
        self
    }

    /// Only pushes with `command` (call again to add more commands).
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.commands.push(command.into());
        self
    }

    /// Only pushes sent to `listener` (call again to add more).
    pub fn listener(mut self, listener: &super::Listener) -> Self {
        self.listeners.push(listener.name().to_owned());
        self
    }

    /// Decode strictly or leniently (the default).
    pub fn strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    fn wants(&self, push: &RawPush) -> bool {
        let service_ok = self.services.is_empty()
            || Event::service_of(&push.origin).is_some_and(|s| self.services.contains(&s));
        let command_ok = self.commands.is_empty() || self.commands.contains(&push.command);
        let listener_ok = self.listeners.is_empty() || self.listeners.contains(&push.destination);
        service_ok && command_ok && listener_ok
    }

    fn decode(&self, push: &RawPush) -> Result<Notice> {
        let event = Event::decode(&push.origin, &push.command, &push.data, self.strictness)?;
        Ok(Notice::Event(Box::new(Pushed {
            destination: push.destination.clone(),
            request_id: push.request_id.clone(),
            event,
            data: push.data.clone(),
        })))
    }
}

impl Stream for EventStream {
    type Item = Result<Notice>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let item = match Pin::new(&mut self.inner).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(item)) => item,
            };
            let notice = match item {
                Err(BroadcastStreamRecvError::Lagged(missed)) => Ok(Notice::Lagged { missed }),
                Ok(Broadcast::Disconnected(reason)) => {
                    Ok(Notice::Disconnected { reason: reason.to_string() })
                }
                Ok(Broadcast::Reconnected) => Ok(Notice::Reconnected),
                Ok(Broadcast::Push(push)) if self.wants(&push) => self.decode(&push),
                Ok(Broadcast::Push(_)) => continue,
            };
            return Poll::Ready(Some(notice));
        }
    }
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("strictness", &self.strictness)
            .field("services", &self.services)
            .field("commands", &self.commands)
            .field("listeners", &self.listeners)
            .finish_non_exhaustive()
    }
}

//! The part every generated call builder shares: per-call options, the request, and sending.
//! One definition, expanded once per endpoint, so that the generated files hold only what
//! differs (the setters of each endpoint's optional fields).

/// Implements the shared methods of call builder `$call`, a newtype over
/// [`Call<$request>`](crate::Call) whose reply is `$response`.
#[doc(hidden)]
#[macro_export]
macro_rules! __call_builder {
    ($call:ident, $request:ident, $response:ident) => {
        impl $call {
            /// The longest this call may take, instead of the client's timeout.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// The longest the service may go silent once its reply has begun, instead of the
            /// transport's read timeout.
            pub fn read_timeout(self, timeout: ::std::time::Duration) -> Self {
                Self(self.0.read_timeout(timeout))
            }

            /// The largest reply this call accepts, in bytes, instead of the transport's limit.
            pub fn max_reply_size(self, bytes: usize) -> Self {
                Self(self.0.max_reply_size(bytes))
            }

            /// Every per-call option at once; options left unset keep what the call has.
            pub fn with_options(self, options: $crate::transport::CallOptions) -> Self {
                Self(self.0.with_options(options))
            }

            /// Retries of this call, instead of the client's policy. Ignored unless the
            /// endpoint only reads.
            pub fn retry(self, policy: $crate::transport::RetryPolicy) -> Self {
                Self(self.0.retry(policy))
            }

            /// Decode this call's reply strictly or leniently, instead of as the client does.
            pub fn strictness(self, strictness: $crate::decode::Strictness) -> Self {
                Self(self.0.strictness(strictness))
            }

            /// The request as built so far.
            pub fn request(&self) -> &$request {
                self.0.request()
            }

            /// The generic call underneath, with the request and options set so far.
            pub fn into_call(self) -> $crate::Call<$request> {
                self.0
            }
        }

        impl ::std::convert::From<$crate::Call<$request>> for $call {
            fn from(call: $crate::Call<$request>) -> Self {
                Self(call)
            }
        }

        impl ::std::future::IntoFuture for $call {
            type Output = $crate::Result<$response>;
            type IntoFuture = $crate::transport::BoxFuture<'static, $crate::Result<$response>>;

            // Inline: the decoder of an endpoint is compiled only in the programs that call
            // it, not in chia-rpc for every endpoint.
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.0)
            }
        }
    };
}

//! Replies of the services family: `route\n` then a body, decoded strictly and leniently.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| {
    chia_rpc_fuzz::reply(chia_rpc_fuzz::Family::Services, input);
});

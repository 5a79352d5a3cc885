//! Pushes through the daemon: `origin command\n` then the push's data, decoded strictly and
//! leniently.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| {
    chia_rpc_fuzz::event(input);
});

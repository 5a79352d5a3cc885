// A request is built with `new` and setters, so a field added upstream breaks nobody.
use chia_rpc::full_node::GetBlocks;

fn main() {
    let _request =
        GetBlocks { start: 0, end: 10, exclude_header_hash: None, exclude_reorged: None };
}

// A record the node sends may gain fields; it cannot be built with a struct expression.
use chia_rpc::types::MempoolItem;

fn cheaper(item: MempoolItem) -> MempoolItem {
    MempoolItem { fee: 0, ..item }
}

fn main() {
    let _ = cheaper;
}

//! The crawler, in a root of its own, crawling the simulator's node: its peer counts and the
//! addresses it has seen, a page at a time.

use std::net::IpAddr;
use std::time::Duration;

use chia_rpc::ServiceClients;

use super::poll;
use crate::Live;

pub async fn crawler(live: &Live) {
    let crawler = live.client.crawler();
    let version = live.client.full_node().get_version().await.unwrap().version;
    // The crawler counts the version of every node it completed a handshake with.
    let counts = poll(
        "the crawler's handshake with the simulator's node",
        Duration::from_secs(120),
        || async {
            let counts = crawler.get_peer_counts().await.unwrap().peer_counts;
            counts.versions.contains_key(&version).then_some(counts)
        },
    )
    .await;
    assert_eq!(counts.total_last_5_days, counts.ipv4_last_5_days + counts.ipv6_last_5_days);

    // Addresses come from peers' address lists; the simulator's node has no other peers, so
    // the list may be empty, but its length and the total must agree.
    let all = crawler.get_ips_after_timestamp(0).await.unwrap();
    assert_eq!(all.total, counts.total_last_5_days);
    assert_eq!(all.ips.len() as u64, all.total);
    assert!(all.ips.iter().all(|ip| ip.parse::<IpAddr>().is_ok()), "{:?}", all.ips);
    let page = crawler.get_ips_after_timestamp(0).offset(0).limit(1).await.unwrap();
    assert_eq!(page.total, all.total);
    assert_eq!(page.ips, all.ips.iter().take(1).cloned().collect::<Vec<_>>());
    let future = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs()
        + 86_400;
    let none = crawler.get_ips_after_timestamp(future).await.unwrap();
    assert_eq!((none.total, none.ips.len()), (0, 0));
}

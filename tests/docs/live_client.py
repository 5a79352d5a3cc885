"""Proof that another language can use the published documents: generates Python clients for
the full node and the wallet from docs/openapi/ with openapi-python-client, then calls the
harness's running simulator with them over mutual TLS.

Usage: python live_client.py WORKSPACE_ROOT OUT_DIR
Reads CHIA_ROOT, CHIA_RPC_FULL_NODE_PORT, CHIA_RPC_WALLET_PORT and CHIA_RPC_WALLET_FINGERPRINT
from the environment (the harness's sim.env). Ends with 'N passed, N failed'; exits 1 on any
failure.
"""

import os
import ssl
import sys
from pathlib import Path

from clients import generate

root, out = Path(sys.argv[1]), Path(sys.argv[2])
chia_root = Path(os.environ["CHIA_ROOT"])
passed = 0
failures = []


def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(f"{name} {detail}")


failures.extend(generate(root, out))
if failures:
    print("\n".join(f"FAILED {f}" for f in failures))
    print(f"{passed} passed, {len(failures)} failed")
    sys.exit(1)

from full_node_client import Client as FullNode  # noqa: E402
from full_node_client.api.full_node import get_block, get_block_record_by_height, get_blockchain_state  # noqa: E402
from full_node_client.api.shared import get_version  # noqa: E402
from full_node_client import models as node  # noqa: E402
from wallet_client import Client as Wallet  # noqa: E402
from wallet_client.api.transactions import get_wallet_balance  # noqa: E402
from wallet_client.api.wallet import get_logged_in_fingerprint, get_sync_status, get_wallets  # noqa: E402
from wallet_client import models as wallet  # noqa: E402


def tls(service):
    """Mutual TLS as Chia's own client does it: the service's private certificate, the server
    verified against the installation's private CA (its name, `chia.net`, is not the address we
    dial, so the chain is checked without the host name)."""
    ssl_dir = chia_root / "config/ssl"
    context = ssl.create_default_context(cafile=str(ssl_dir / "ca/private_ca.crt"))
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(str(ssl_dir / service / f"private_{service}.crt"),
                            str(ssl_dir / service / f"private_{service}.key"))
    return context


port = os.environ["CHIA_RPC_FULL_NODE_PORT"]
with FullNode(base_url=f"https://127.0.0.1:{port}", verify_ssl=tls("full_node"),
              raise_on_unexpected_status=True) as client:
    state = get_blockchain_state.sync(client=client, body=node.GetBlockchainState())
    check("get_blockchain_state succeeds", isinstance(state, node.GetBlockchainStateResponse), repr(state))
    peak = state.blockchain_state.peak
    check("the simulator has a peak", peak is not None and peak.height > 0)
    space = state.blockchain_state.space
    check("the uint128 space is an exact int", isinstance(space, int) and space > 0, repr(space))
    record = get_block_record_by_height.sync(
        client=client, body=node.GetBlockRecordByHeight(height=peak.height))
    check("get_block_record_by_height returns the peak",
          isinstance(record, node.GetBlockRecordByHeightResponse)
          and record.block_record.header_hash == peak.header_hash, repr(record))
    missing = get_block.sync(client=client, body=node.GetBlock(header_hash="0x" + "00" * 32))
    check("an unknown block is the failure envelope", isinstance(missing, node.RpcFailure)
          and missing.success is False and bool(missing.error), repr(missing))
    version = get_version.sync(client=client, body=node.GetVersion())
    check("get_version names the version", isinstance(version, node.GetVersionResponse)
          and version.version.startswith(os.environ.get("CHIA_RPC_CHIA_VERSION", "")), repr(version))
    print(f"full node: peak {peak.height}, space {space}, chia-blockchain {version.version}")

port = os.environ["CHIA_RPC_WALLET_PORT"]
with Wallet(base_url=f"https://127.0.0.1:{port}", verify_ssl=tls("wallet"),
            raise_on_unexpected_status=True) as client:
    fingerprint = get_logged_in_fingerprint.sync(client=client, body=wallet.GetLoggedInFingerprint())
    check("the harness's key is logged in", isinstance(fingerprint, wallet.GetLoggedInFingerprintResponse)
          and str(fingerprint.fingerprint) == os.environ["CHIA_RPC_WALLET_FINGERPRINT"], repr(fingerprint))
    sync = get_sync_status.sync(client=client, body=wallet.GetSyncStatus())
    check("get_sync_status succeeds", isinstance(sync, wallet.GetSyncStatusResponse), repr(sync))
    wallets = get_wallets.sync(client=client, body=wallet.GetWallets())
    check("the XCH wallet is listed", isinstance(wallets, wallet.GetWalletsResponse)
          and any(w.id == 1 for w in wallets.wallets), repr(wallets))
    balance = get_wallet_balance.sync(client=client, body=wallet.GetWalletBalance(wallet_id=1))
    check("get_wallet_balance succeeds", isinstance(balance, wallet.GetWalletBalanceResponse), repr(balance))
    confirmed = balance.wallet_balance.confirmed_wallet_balance
    check("the balance is an exact int", isinstance(confirmed, int), repr(confirmed))
    print(f"wallet: fingerprint {fingerprint.fingerprint}, {len(wallets.wallets)} wallets, "
          f"XCH balance {confirmed} mojos")

for failure in failures:
    print(f"FAILED {failure}")
print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)

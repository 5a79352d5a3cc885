//! The codes of `structuredError` (chia-blockchain's `RpcErrorCodes`).

use std::fmt;

macro_rules! rpc_error_codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)*) => {
        /// The machine-readable code of a failure, from `structuredError.code`.
        ///
        /// Codes this version does not know are kept as [`RpcErrorCode::Other`], so a newer node
        /// never makes a failure undecodable.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum RpcErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this version does not know.
            Other(String),
        }

        impl RpcErrorCode {
            /// The code as the node writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(RpcErrorCode::$variant => $wire,)*
                    RpcErrorCode::Other(code) => code,
                }
            }

            /// Parses a code; unknown codes become [`RpcErrorCode::Other`].
            pub fn from_wire(code: &str) -> Self {
                match code {
                    $($wire => RpcErrorCode::$variant,)*
                    other => RpcErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

rpc_error_codes! {
    /// An API-level check failed.
    ApiError = "API_ERROR",
    /// The block does not exist.
    BlockDoesNotExist = "BLOCK_DOES_NOT_EXIST",
    /// No block has this header hash.
    BlockHashNotFound = "BLOCK_HASH_NOT_FOUND",
    /// No block at this height.
    BlockHeightNotFound = "BLOCK_HEIGHT_NOT_FOUND",
    /// The block is in a fork, not the main chain.
    BlockInFork = "BLOCK_IN_FORK",
    /// The block was not found.
    BlockNotFound = "BLOCK_NOT_FOUND",
    /// No coin record with this name.
    CoinRecordNotFound = "COIN_RECORD_NOT_FOUND",
    /// A consensus rule was broken; `data.error_code` names it.
    ConsensusError = "CONSENSUS_ERROR",
    /// The end of sub-slot is not in the node's cache.
    EosNotInCache = "EOS_NOT_IN_CACHE",
    /// The request lacks `header_hash`.
    HeaderHashNotInRequest = "HEADER_HASH_NOT_IN_REQUEST",
    /// The height is not in the blockchain.
    HeightNotInBlockchain = "HEIGHT_NOT_IN_BLOCKCHAIN",
    /// The request lacks `hint`.
    HintNotInRequest = "HINT_NOT_IN_REQUEST",
    /// An internal assertion failed.
    InternalError = "INTERNAL_ERROR",
    /// The block or its generator is invalid.
    InvalidBlockOrGenerator = "INVALID_BLOCK_OR_GENERATOR",
    /// The cost is invalid.
    InvalidCost = "INVALID_COST",
    /// The height is invalid for the coin.
    InvalidHeightForCoin = "INVALID_HEIGHT_FOR_COIN",
    /// The network space request is invalid.
    InvalidNetworkSpaceRequest = "INVALID_NETWORK_SPACE_REQUEST",
    /// The request lacks `name`.
    NameNotInRequest = "NAME_NOT_IN_REQUEST",
    /// The request lacks `names`.
    NamesNotInRequest = "NAMES_NOT_IN_REQUEST",
    /// The new and old values must differ.
    NewAndOldMustDiffer = "NEW_AND_OLD_MUST_DIFFER",
    /// The newer block was not found.
    NewerBlockNotFound = "NEWER_BLOCK_NOT_FOUND",
    /// The chain has no blocks.
    NoBlocksInChain = "NO_BLOCKS_IN_CHAIN",
    /// The request lacks a coin name.
    NoCoinNameInRequest = "NO_COIN_NAME_IN_REQUEST",
    /// The request lacks `end`.
    NoEndInRequest = "NO_END_IN_REQUEST",
    /// The request lacks a header hash.
    NoHeaderHashInRequest = "NO_HEADER_HASH_IN_REQUEST",
    /// The request lacks `height`.
    NoHeightInRequest = "NO_HEIGHT_IN_REQUEST",
    /// The request lacks `start`.
    NoStartInRequest = "NO_START_IN_REQUEST",
    /// The request lacks `tx_id`.
    NoTxIdInRequest = "NO_TX_ID_IN_REQUEST",
    /// The older block was not found.
    OlderBlockNotFound = "OLDER_BLOCK_NOT_FOUND",
    /// The request lacks `parent_ids`.
    ParentIdsNotInRequest = "PARENT_IDS_NOT_IN_REQUEST",
    /// The node has no peak yet.
    PeakIsNone = "PEAK_IS_NONE",
    /// A protocol rule was broken.
    ProtocolError = "PROTOCOL_ERROR",
    /// The request lacks `puzzle_hash`.
    PuzzleHashNotInRequest = "PUZZLE_HASH_NOT_IN_REQUEST",
    /// The request lacks `puzzle_hashes`.
    PuzzleHashesNotInRequest = "PUZZLE_HASHES_NOT_IN_REQUEST",
    /// The puzzle and solution could not be found or run.
    PuzzleSolutionFailed = "PUZZLE_SOLUTION_FAILED",
    /// The request must contain exactly one of several fields.
    RequestMustContainExactlyOne = "REQUEST_MUST_CONTAIN_EXACTLY_ONE",
    /// The signage point is not in the node's cache.
    SpNotInCache = "SP_NOT_IN_CACHE",
    /// The request lacks `spend_bundle`.
    SpendBundleNotInRequest = "SPEND_BUNDLE_NOT_IN_REQUEST",
    /// Target times must not be negative.
    TargetTimesNonNegative = "TARGET_TIMES_NON_NEGATIVE",
    /// The request lacks `target_times`.
    TargetTimesRequired = "TARGET_TIMES_REQUIRED",
    /// A timestamp rule was broken.
    TimestampError = "TIMESTAMP_ERROR",
    /// The transaction failed.
    TransactionFailed = "TRANSACTION_FAILED",
    /// The transaction is not in the mempool.
    TxNotInMempool = "TX_NOT_IN_MEMPOOL",
    /// The node could not classify the failure.
    Unknown = "UNKNOWN",
    /// Validation failed; `data.error_code` names the rule.
    ValidationError = "VALIDATION_ERROR",
}

impl fmt::Display for RpcErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RpcErrorCode;

    #[test]
    fn known_and_unknown_codes() {
        assert_eq!(RpcErrorCode::from_wire("TX_NOT_IN_MEMPOOL"), RpcErrorCode::TxNotInMempool);
        assert_eq!(RpcErrorCode::TxNotInMempool.as_str(), "TX_NOT_IN_MEMPOOL");
        let other = RpcErrorCode::from_wire("SOMETHING_NEW");
        assert_eq!(other, RpcErrorCode::Other("SOMETHING_NEW".into()));
        assert_eq!(other.to_string(), "SOMETHING_NEW");
    }
}

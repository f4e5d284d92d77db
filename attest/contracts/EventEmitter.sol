// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title EventEmitter
/// @author groundtruth
/// @notice Emits many events per transaction, for log ingestion benchmarks and tests.
contract EventEmitter {
    /// @notice The sequence number the next {Ping} carries.
    uint256 public nextSeq;

    /// @notice One benchmark event.
    /// @param seq A sequence number, unique per emitter and increasing by one per event.
    /// @param from The caller that caused the event.
    /// @param value A value derived from the sequence number (seq * 1e9 + 7).
    /// @param tag The tag the caller passed.
    event Ping(uint256 indexed seq, address indexed from, uint256 value, bytes32 tag);

    /// @notice Emits `n` {Ping} events tagged with zero.
    /// @param n How many events to emit.
    function emitMany(uint256 n) external {
        _emit(n, bytes32(0));
    }

    /// @notice Emits `n` {Ping} events with the given tag.
    /// @param n How many events to emit.
    /// @param tag The tag every event carries.
    function emitTagged(uint256 n, bytes32 tag) external {
        _emit(n, tag);
    }

    /// @dev Emits `n` events and advances the sequence number once.
    function _emit(uint256 n, bytes32 tag) private {
        uint256 seq = nextSeq;
        for (uint256 i = 0; i < n; ++i) {
            emit Ping(seq + i, msg.sender, (seq + i) * 1e9 + 7, tag);
        }
        nextSeq = seq + n;
    }
}

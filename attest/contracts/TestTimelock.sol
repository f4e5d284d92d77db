// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title TestTimelock
/// @author groundtruth
/// @notice The timelock of the test DAO: OpenZeppelin's TimelockController unchanged.
contract TestTimelock is TimelockController {
    /// @notice Creates the timelock.
    /// @param minDelay The minimum delay, in seconds, between queueing and executing.
    /// @param proposers The accounts allowed to schedule and cancel.
    /// @param executors The accounts allowed to execute; the zero address means anyone.
    /// @param admin An optional administrator (zero for none) that can grant roles.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}

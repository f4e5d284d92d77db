// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title StewardSet
/// @author groundtruth
/// @notice A set of n stewards with a threshold k: an action needs EIP-712 signatures of at
/// least k distinct current stewards. A steward is a key (an EOA, checked with ecrecover)
/// or a contract such as a Safe multisig (checked with EIP-1271 `isValidSignature`). The set and the threshold change only with k
/// signatures over a {StewardUpdate} that carries the current {nonce}, so an update cannot
/// be replayed, and after a rotation a removed steward's signature no longer counts.
/// @dev The inheriting contract supplies the EIP-712 domain through {_typedDigest}.
abstract contract StewardSet {
    /// @notice One steward's signature. Contract signatures cannot be recovered, so each
    /// signature names its steward.
    /// @param signer The steward: a key's address or a contract (EIP-1271).
    /// @param signature A 65-byte (r, s, v) ECDSA signature for a key; for a contract, the
    /// bytes its `isValidSignature(bytes32, bytes)` accepts (for a Safe, its owners'
    /// signatures of the SafeMessage, concatenated and sorted by owner).
    struct StewardSignature {
        address signer;
        bytes signature;
    }

    /// @notice The largest steward set the registry accepts.
    uint256 public constant MAX_STEWARDS = 32;

    /// @notice The EIP-712 type hash of a steward set update.
    bytes32 public constant STEWARD_UPDATE_TYPEHASH =
        keccak256("StewardUpdate(address[] stewards,uint256 threshold,uint256 nonce)");

    address[] private _stewardList;
    mapping(address account => bool) private _isSteward;
    uint128 private _threshold;
    uint128 private _nonce;

    /// @notice Emitted when the steward set or the threshold is set, at deployment too.
    /// @param stewards The new stewards.
    /// @param threshold The new threshold k.
    event StewardsUpdated(address[] stewards, uint256 threshold);

    /// @notice The threshold is zero or larger than the number of stewards.
    /// @param threshold The rejected threshold.
    /// @param stewardCount The number of stewards.
    error InvalidThreshold(uint256 threshold, uint256 stewardCount);

    /// @notice The proposed steward set has more than {MAX_STEWARDS} members.
    /// @param count The number of proposed stewards.
    error TooManyStewards(uint256 count);

    /// @notice The proposed steward is the zero address or appears twice.
    /// @param steward The rejected address.
    error InvalidSteward(address steward);

    /// @notice A signature does not sign the digest for its steward: a key's signature is
    /// malformed, malleable or recovers another address, or a contract steward's
    /// `isValidSignature` did not return the EIP-1271 magic value.
    /// @param index The position of the signature in the array.
    /// @param signer The steward the signature names.
    error InvalidSignature(uint256 index, address signer);

    /// @notice A signature names an address that is not a current steward.
    /// @param signer The named address.
    error NotSteward(address signer);

    /// @notice Two signatures name the same steward.
    /// @param signer The steward named twice.
    error DuplicateSigner(address signer);

    /// @notice The signatures are not sorted by steward address, ascending.
    /// @param index The position of the first signature out of order.
    error SignersNotSorted(uint256 index);

    /// @notice Fewer signatures than the threshold were given.
    /// @param given The number of signatures.
    /// @param required The threshold k.
    error InsufficientSignatures(uint256 given, uint256 required);

    /// @notice Replaces the steward set and the threshold.
    /// @param newStewards The new stewards, distinct and non-zero.
    /// @param newThreshold The new threshold k, 1 ≤ k ≤ n.
    /// @param signatures Signatures of at least k current stewards over {stewardUpdateDigest}
    /// with the current {nonce}.
    function updateStewards(address[] calldata newStewards, uint256 newThreshold, StewardSignature[] calldata signatures)
        external
    {
        uint256 usedNonce = _useNonce();
        _checkSignatures(stewardUpdateDigest(newStewards, newThreshold, usedNonce), signatures);
        _clearStewards();
        _setStewards(newStewards, newThreshold);
    }

    /// @notice Returns the current stewards.
    /// @return The steward addresses.
    function stewards() external view returns (address[] memory) {
        return _stewardList;
    }

    /// @notice Tells whether an address is a current steward.
    /// @param account The address.
    /// @return True for a current steward.
    function isSteward(address account) external view returns (bool) {
        return _isSteward[account];
    }

    /// @notice Returns the threshold k.
    /// @return How many steward signatures an action needs.
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @notice Returns the nonce the next revocation or steward update must sign.
    /// @return The current steward nonce.
    function nonce() external view returns (uint256) {
        return _nonce;
    }

    /// @notice Returns the EIP-712 digest stewards sign to update the steward set.
    /// @param newStewards The proposed stewards.
    /// @param newThreshold The proposed threshold.
    /// @param updateNonce The steward nonce, normally the current {nonce}.
    /// @return The digest to sign.
    function stewardUpdateDigest(address[] calldata newStewards, uint256 newThreshold, uint256 updateNonce)
        public
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(
            abi.encode(STEWARD_UPDATE_TYPEHASH, keccak256(abi.encodePacked(newStewards)), newThreshold, updateNonce)
        );
        return _typedDigest(structHash);
    }

    /// @dev Returns the EIP-712 digest of a struct hash in the inheriting contract's domain.
    function _typedDigest(bytes32 structHash) internal view virtual returns (bytes32);

    /// @dev Returns the current nonce and increments it.
    function _useNonce() internal returns (uint256 current) {
        current = _nonce;
        _nonce = uint128(current + 1);
    }

    /// @dev Checks that `signatures` hold at least k signatures over `digest` by distinct
    /// current stewards, sorted by steward address, and returns the signers in that order.
    /// A key's 65-byte signature is checked with ecrecover; any other signature, or one
    /// that does not recover to its steward, is checked with EIP-1271 `isValidSignature`
    /// on the steward (false for an address without code).
    function _checkSignatures(bytes32 digest, StewardSignature[] calldata signatures)
        internal
        view
        returns (address[] memory signers)
    {
        uint256 k = _threshold;
        uint256 n = signatures.length;
        if (n < k) revert InsufficientSignatures(n, k);
        signers = new address[](n);
        address last;
        for (uint256 i = 0; i < n; ++i) {
            address signer = signatures[i].signer;
            if (!_isSteward[signer]) revert NotSteward(signer);
            if (signer <= last) {
                if (signer == last) revert DuplicateSigner(signer);
                revert SignersNotSorted(i);
            }
            if (!_validSignature(signer, digest, signatures[i].signature)) revert InvalidSignature(i, signer);
            signers[i] = signer;
            last = signer;
        }
    }

    /// @dev Tells whether `signature` signs `digest` for `signer`: ecrecover first (a key,
    /// no code lookup), then EIP-1271 (a contract).
    function _validSignature(address signer, bytes32 digest, bytes calldata signature) private view returns (bool) {
        if (signature.length == 65) {
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
            if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        }
        return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
    }

    /// @dev Validates and installs a steward set and emits {StewardsUpdated}.
    function _setStewards(address[] memory newStewards, uint256 newThreshold) internal {
        uint256 n = newStewards.length;
        if (n > MAX_STEWARDS) revert TooManyStewards(n);
        if (newThreshold == 0 || newThreshold > n) revert InvalidThreshold(newThreshold, n);
        for (uint256 i = 0; i < n; ++i) {
            address s = newStewards[i];
            if (s == address(0) || _isSteward[s]) revert InvalidSteward(s);
            _isSteward[s] = true;
            _stewardList.push(s);
        }
        _threshold = uint128(newThreshold);
        emit StewardsUpdated(newStewards, newThreshold);
    }

    /// @dev Removes every current steward.
    function _clearStewards() private {
        for (uint256 i = 0; i < _stewardList.length; ++i) {
            _isSteward[_stewardList[i]] = false;
        }
        delete _stewardList;
    }
}

// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title RFC6962
/// @author groundtruth
/// @notice Verifies inclusion proofs of the Merkle tree defined by RFC 6962 (Certificate
/// Transparency), the tree groundtruth builds over the rows of a dataset version.
/// @dev A leaf hash is sha256(0x00 ‖ row bytes) and an inner node is
/// sha256(0x01 ‖ left ‖ right); both use the sha256 precompile at address 0x02. The
/// algorithm mirrors `proof.RootFromInclusionProof` of github.com/transparency-dev/merkle:
/// the proof is split where the paths to `index` and to `size - 1` diverge, the lower
/// part is chained by the bits of `index`, and the upper part along the right border.
library RFC6962 {
    /// @notice Returns the leaf hash of a row: sha256(0x00 ‖ row).
    /// @param row The canonical bytes of the row.
    /// @return The RFC 6962 leaf hash.
    function hashLeaf(bytes memory row) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x00), row));
    }

    /// @notice Computes the root implied by an inclusion proof.
    /// @param index The position of the leaf, counted from zero.
    /// @param size The number of leaves of the tree.
    /// @param leafHash The leaf hash, sha256(0x00 ‖ row bytes).
    /// @param proof The sibling hashes from the leaf level upwards.
    /// @return ok False when the index is out of range or the proof has the wrong length.
    /// @return root The computed root when ok is true, zero otherwise.
    function rootFromInclusionProof(uint256 index, uint256 size, bytes32 leafHash, bytes32[] calldata proof)
        internal
        view
        returns (bool ok, bytes32 root)
    {
        if (index >= size) {
            return (false, bytes32(0));
        }
        uint256 inner = _bitLength(index ^ (size - 1));
        uint256 border = _popCount(index >> inner);
        if (proof.length != inner + border) {
            return (false, bytes32(0));
        }
        root = leafHash;
        for (uint256 i = 0; i < inner; ++i) {
            root = ((index >> i) & 1 == 0) ? hashChildren(root, proof[i]) : hashChildren(proof[i], root);
        }
        for (uint256 i = inner; i < proof.length; ++i) {
            root = hashChildren(proof[i], root);
        }
        return (true, root);
    }

    /// @notice Returns the hash of an inner node: sha256(0x01 ‖ left ‖ right).
    /// @param left The hash of the left child.
    /// @param right The hash of the right child.
    /// @return out The node hash.
    function hashChildren(bytes32 left, bytes32 right) internal view returns (bytes32 out) {
        assembly ("memory-safe") {
            // Use the free memory as scratch space without moving the free memory pointer.
            let ptr := mload(0x40)
            mstore8(ptr, 0x01)
            mstore(add(ptr, 0x01), left)
            mstore(add(ptr, 0x21), right)
            if iszero(staticcall(gas(), 0x02, ptr, 0x41, 0x00, 0x20)) { revert(0x00, 0x00) }
            out := mload(0x00)
        }
    }

    /// @dev Returns the number of bits needed to represent x (0 for x = 0).
    function _bitLength(uint256 x) private pure returns (uint256 n) {
        while (x != 0) {
            x >>= 1;
            ++n;
        }
    }

    /// @dev Returns the number of set bits of x.
    function _popCount(uint256 x) private pure returns (uint256 n) {
        while (x != 0) {
            x &= x - 1;
            ++n;
        }
    }
}

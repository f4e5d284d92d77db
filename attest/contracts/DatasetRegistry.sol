// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {RFC6962} from "./RFC6962.sol";
import {StewardSet} from "./StewardSet.sol";

/// @title DatasetRegistry
/// @author groundtruth
/// @notice Anchors versions of groundtruth datasets on-chain. A version is attested when k
/// distinct current stewards signed its EIP-712 statement; k stewards can revoke it later.
/// Contracts that act on data can call {verifyRecord} to demand that a row belongs to an
/// attested, unrevoked version.
/// @dev To keep `attest` cheap, a version stores its Merkle root, its row count and the
/// EIP-712 struct hash of the whole statement; the full statement is in the {Attested}
/// event, and {isStatementAttested} checks a full statement against the stored hash.
contract DatasetRegistry is EIP712, StewardSet {
    /// @notice The statement stewards sign to attest a dataset version.
    /// @param dataset The dataset name.
    /// @param version The version number, starting at 1.
    /// @param merkleRoot The RFC 6962 root over the version's rows.
    /// @param rowCount The number of rows, which is also the Merkle tree size.
    /// @param manifestHash The SHA-256 of the version's canonical JSON manifest.
    /// @param reportHash The SHA-256 of the version's validation report.
    /// @param parentRoot The Merkle root of the parent version, zero for the first one.
    struct Statement {
        string dataset;
        uint64 version;
        bytes32 merkleRoot;
        uint64 rowCount;
        bytes32 manifestHash;
        bytes32 reportHash;
        bytes32 parentRoot;
    }

    /// @notice What the registry stores for an attested version.
    /// @param merkleRoot The attested Merkle root.
    /// @param statementHash The EIP-712 struct hash of the attested statement.
    /// @param rowCount The attested row count.
    /// @param attestedBlock The block in which the version was attested (0 if never).
    /// @param attestedAt The timestamp of that block.
    /// @param revoked Whether the version was revoked.
    struct Record {
        bytes32 merkleRoot;
        bytes32 statementHash;
        uint64 rowCount;
        uint64 attestedBlock;
        uint64 attestedAt;
        bool revoked;
    }

    /// @notice The EIP-712 type hash of {Statement}.
    bytes32 public constant STATEMENT_TYPEHASH = keccak256(
        "Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)"
    );

    /// @notice The EIP-712 type hash of a revocation.
    bytes32 public constant REVOCATION_TYPEHASH =
        keccak256("Revocation(string dataset,uint64 version,string reason,uint256 nonce)");

    mapping(bytes32 datasetKey => mapping(uint64 version => Record)) private _records;
    mapping(bytes32 datasetKey => uint64) private _latest;

    /// @notice Emitted when a version is attested; carries the full statement.
    /// @param datasetKey keccak256 of the dataset name.
    /// @param version The version number.
    /// @param merkleRoot The attested Merkle root.
    /// @param dataset The dataset name.
    /// @param rowCount The row count.
    /// @param manifestHash The manifest hash.
    /// @param reportHash The validation report hash.
    /// @param parentRoot The parent version's root.
    /// @param signers The stewards whose signatures were counted, sorted by address.
    event Attested(
        bytes32 indexed datasetKey,
        uint64 indexed version,
        bytes32 indexed merkleRoot,
        string dataset,
        uint64 rowCount,
        bytes32 manifestHash,
        bytes32 reportHash,
        bytes32 parentRoot,
        address[] signers
    );

    /// @notice Emitted when a version is revoked.
    /// @param datasetKey keccak256 of the dataset name.
    /// @param version The version number.
    /// @param dataset The dataset name.
    /// @param reason Why the version was revoked.
    /// @param signers The stewards whose signatures were counted.
    event Revoked(
        bytes32 indexed datasetKey, uint64 indexed version, string dataset, string reason, address[] signers
    );

    /// @notice Version 0 is reserved: {latestVersion} answers 0 for a dataset without versions.
    error InvalidVersion();

    /// @notice The (dataset, version) pair was attested already.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @param attestedRoot The Merkle root attested for it.
    error AlreadyAttested(string dataset, uint64 version, bytes32 attestedRoot);

    /// @notice The (dataset, version) pair was never attested.
    /// @param dataset The dataset name.
    /// @param version The version number.
    error NotAttested(string dataset, uint64 version);

    /// @notice The (dataset, version) pair was revoked already.
    /// @param dataset The dataset name.
    /// @param version The version number.
    error AlreadyRevoked(string dataset, uint64 version);

    /// @notice Creates the registry with its first steward set.
    /// @param initialStewards The stewards, distinct and non-zero.
    /// @param initialThreshold How many steward signatures an action needs (1 ≤ k ≤ n).
    constructor(address[] memory initialStewards, uint256 initialThreshold)
        EIP712("groundtruth DatasetRegistry", "1")
    {
        _setStewards(initialStewards, initialThreshold);
    }

    /// @notice Attests a dataset version with the signatures of at least k distinct stewards.
    /// @dev Each signature names its steward and signs {statementDigest}: a key's is a
    /// 65-byte (r, s, v) EIP-712 signature (malleable high-s ones are rejected), a contract
    /// steward's is checked with EIP-1271 `isValidSignature`.
    /// @param statement The statement the stewards signed.
    /// @param signatures The steward signatures, sorted by steward address, ascending.
    function attest(Statement calldata statement, StewardSignature[] calldata signatures) external {
        if (statement.version == 0) revert InvalidVersion();
        bytes32 key = keccak256(bytes(statement.dataset));
        Record storage rec = _records[key][statement.version];
        if (rec.attestedBlock != 0) {
            revert AlreadyAttested(statement.dataset, statement.version, rec.merkleRoot);
        }
        bytes32 structHash = _hashStatement(key, statement);
        address[] memory signers = _checkSignatures(_hashTypedDataV4(structHash), signatures);

        rec.merkleRoot = statement.merkleRoot;
        rec.statementHash = structHash;
        rec.rowCount = statement.rowCount;
        rec.attestedBlock = uint64(block.number);
        rec.attestedAt = uint64(block.timestamp);
        if (statement.version > _latest[key]) {
            _latest[key] = statement.version;
        }
        emit Attested(
            key,
            statement.version,
            statement.merkleRoot,
            statement.dataset,
            statement.rowCount,
            statement.manifestHash,
            statement.reportHash,
            statement.parentRoot,
            signers
        );
    }

    /// @notice Revokes an attested version with the signatures of at least k stewards.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @param reason Why the version is revoked; part of the signed message.
    /// @param signatures Steward signatures over {revocationDigest} with the current {nonce},
    /// sorted by steward address, ascending.
    function revoke(string calldata dataset, uint64 version, string calldata reason, StewardSignature[] calldata signatures)
        external
    {
        bytes32 key = keccak256(bytes(dataset));
        Record storage rec = _records[key][version];
        if (rec.attestedBlock == 0) revert NotAttested(dataset, version);
        if (rec.revoked) revert AlreadyRevoked(dataset, version);
        uint256 usedNonce = _useNonce();
        bytes32 digest = revocationDigest(dataset, version, reason, usedNonce);
        address[] memory signers = _checkSignatures(digest, signatures);
        rec.revoked = true;
        emit Revoked(key, version, dataset, reason, signers);
    }

    /// @notice Tells whether a version is attested and not revoked.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @return True when the version is attested and not revoked.
    function isAttested(string calldata dataset, uint64 version) external view returns (bool) {
        Record storage rec = _records[keccak256(bytes(dataset))][version];
        return rec.attestedBlock != 0 && !rec.revoked;
    }

    /// @notice Tells whether exactly this statement is attested and not revoked.
    /// @param statement A full statement, for example from an off-chain bundle.
    /// @return True when the version is attested, unrevoked, and its stored struct hash
    /// equals the hash of `statement`.
    function isStatementAttested(Statement calldata statement) external view returns (bool) {
        bytes32 key = keccak256(bytes(statement.dataset));
        Record storage rec = _records[key][statement.version];
        return rec.attestedBlock != 0 && !rec.revoked && rec.statementHash == _hashStatement(key, statement);
    }

    /// @notice Tells whether a version was revoked.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @return True when the version was attested and then revoked.
    function isRevoked(string calldata dataset, uint64 version) external view returns (bool) {
        return _records[keccak256(bytes(dataset))][version].revoked;
    }

    /// @notice Returns the highest version ever attested for a dataset, revoked or not.
    /// @param dataset The dataset name.
    /// @return The version number, 0 when the dataset has none.
    function latestVersion(string calldata dataset) external view returns (uint64) {
        return _latest[keccak256(bytes(dataset))];
    }

    /// @notice Returns what the registry stores for a version.
    /// @dev The record is all zero when the version was never attested.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @return The stored record.
    function statementOf(string calldata dataset, uint64 version) external view returns (Record memory) {
        return _records[keccak256(bytes(dataset))][version];
    }

    /// @notice Checks that a row belongs to an attested, unrevoked version.
    /// @dev Never reverts on bad input: a bad proof, an index out of range, a tree size that
    /// differs from the attested row count, or an unattested or revoked version all give false.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @param leafHash The RFC 6962 leaf hash of the row, sha256(0x00 ‖ row bytes).
    /// @param index The row's position in the version, counted from zero.
    /// @param treeSize The tree size the proof is for; must equal the attested row count.
    /// @param proof The RFC 6962 inclusion proof, from the leaf level upwards.
    /// @return True when the proof shows the row in the attested Merkle root.
    function verifyRecord(
        string calldata dataset,
        uint64 version,
        bytes32 leafHash,
        uint64 index,
        uint64 treeSize,
        bytes32[] calldata proof
    ) external view returns (bool) {
        Record storage rec = _records[keccak256(bytes(dataset))][version];
        if (rec.attestedBlock == 0 || rec.revoked || rec.rowCount != treeSize) {
            return false;
        }
        (bool ok, bytes32 root) = RFC6962.rootFromInclusionProof(index, treeSize, leafHash, proof);
        return ok && root == rec.merkleRoot;
    }

    /// @notice Returns the RFC 6962 leaf hash of a row, sha256(0x00 ‖ row).
    /// @param row The canonical bytes of the row.
    /// @return The leaf hash to pass to {verifyRecord}.
    function hashLeaf(bytes calldata row) external pure returns (bytes32) {
        return RFC6962.hashLeaf(row);
    }

    /// @notice Returns the EIP-712 struct hash of a statement (chain and registry independent).
    /// @param statement The statement.
    /// @return The struct hash, as stored in {Record.statementHash}.
    function statementHash(Statement calldata statement) external pure returns (bytes32) {
        return _hashStatement(keccak256(bytes(statement.dataset)), statement);
    }

    /// @notice Returns the EIP-712 digest stewards sign to attest a statement.
    /// @param statement The statement.
    /// @return The digest keccak256(0x1901 ‖ domainSeparator ‖ structHash).
    function statementDigest(Statement calldata statement) external view returns (bytes32) {
        return _hashTypedDataV4(_hashStatement(keccak256(bytes(statement.dataset)), statement));
    }

    /// @notice Returns the EIP-712 digest stewards sign to revoke a version.
    /// @param dataset The dataset name.
    /// @param version The version number.
    /// @param reason Why the version is revoked.
    /// @param revocationNonce The steward nonce, normally the current {nonce}.
    /// @return The digest to sign.
    function revocationDigest(string calldata dataset, uint64 version, string calldata reason, uint256 revocationNonce)
        public
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                REVOCATION_TYPEHASH, keccak256(bytes(dataset)), version, keccak256(bytes(reason)), revocationNonce
            )
        );
        return _hashTypedDataV4(structHash);
    }

    /// @notice Returns the EIP-712 domain separator of this registry on this chain.
    /// @return The domain separator.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc StewardSet
    function _typedDigest(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }

    /// @dev Computes the EIP-712 struct hash of a statement whose dataset hashes to `key`.
    function _hashStatement(bytes32 key, Statement calldata s) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                STATEMENT_TYPEHASH, key, s.version, s.merkleRoot, s.rowCount, s.manifestHash, s.reportHash, s.parentRoot
            )
        );
    }
}

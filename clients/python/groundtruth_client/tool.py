"""A LangChain-style tool: a name, a description, a JSON schema of its
arguments and run(args) returning a JSON-ready dict. It imports no agent
framework; wrap it in one with a few lines (examples/langchain_tool.py)."""

from .errors import GroundtruthError


class GroundtruthRowTool:
    """Hands an agent one row of an attested dataset version, verified
    against the chain before the agent sees it. A row that does not verify
    is returned as {"verified": false, "error": ...}, never as data."""

    name = "groundtruth_get_row"
    description = (
        "Get one row of an attested groundtruth dataset version by its 0-based index. "
        "The row's inclusion proof is checked against the Merkle root that the on-chain "
        "DatasetRegistry attested; revoked or unattested versions are refused. Values use the "
        "server's canonical forms: integers, uint256 amounts (base units, e.g. wei) and "
        "timestamps (microseconds since 1970-01-01 UTC) as decimal strings, float64 as "
        "0x + the 16 hex digits of its IEEE-754 bits, bytes and addresses as 0x hex; "
        "or the readable forms (decimal numbers, ISO-8601 UTC timestamps) where the server sends them.")
    args_schema = {
        "type": "object",
        "properties": {
            "dataset": {"type": "string", "description": "dataset name, e.g. votes"},
            "version": {"type": ["integer", "string"], "description": "version number or \"latest\""},
            "index": {"type": "integer", "minimum": 0, "description": "0-based row index"},
        },
        "required": ["dataset", "index"],
    }

    def __init__(self, client):
        self.client = client

    def run(self, args):
        """Run the tool on a dict of arguments (see args_schema)."""
        try:
            row = self.client.row(args["dataset"], args.get("version", "latest"), int(args["index"]))
        except GroundtruthError as e:
            return {"verified": False, "error": str(e), "errorClass": type(e).__name__}
        v = row.version
        return {"verified": True, "dataset": v.dataset, "version": v.version, "index": row.index,
                "values": dict(row.values), "merkleRoot": "0x" + v.merkle_root.hex(),
                "manifestHash": "0x" + v.manifest_hash.hex(),
                "attestedBlock": v.record["attestedBlock"], "proof": row.proof()}

    __call__ = run

"""An agent tool over a groundtruth server, standard library only.

    python3 examples/langchain_tool.py --url http://127.0.0.1:8484 \\
        --rpc http://127.0.0.1:8545 --registry 0x... votes latest 1234

prints the verified row as JSON (exit 0), or the reason it did not verify
(exit 1). With LangChain installed, the same tool becomes a StructuredTool:

    from langchain_core.tools import StructuredTool
    t = GroundtruthRowTool(Client(url, rpc_url=rpc, registry=registry, token=token))
    lc_tool = StructuredTool.from_function(
        func=lambda dataset, index, version="latest": t.run(
            {"dataset": dataset, "version": version, "index": index}),
        name=t.name, description=t.description)
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from groundtruth_client import Client  # noqa: E402
from groundtruth_client.tool import GroundtruthRowTool  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="the groundtruth server, e.g. http://127.0.0.1:8484")
    p.add_argument("--rpc", required=True, help="your Ethereum node's JSON-RPC URL")
    p.add_argument("--registry", required=True, help="the DatasetRegistry address you trust")
    p.add_argument("--token", default=os.environ.get("GROUNDTRUTH_TOKEN"), help="bearer token (or $GROUNDTRUTH_TOKEN)")
    p.add_argument("dataset")
    p.add_argument("version", help='a version number or "latest"')
    p.add_argument("index", type=int)
    a = p.parse_args(argv)
    tool = GroundtruthRowTool(Client(a.url, rpc_url=a.rpc, registry=a.registry, token=a.token))
    out = tool.run({"dataset": a.dataset, "version": a.version, "index": a.index})
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0 if out["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())

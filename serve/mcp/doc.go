// Package mcp offers groundtruth's attested datasets to AI agents as Model
// Context Protocol tools (github.com/modelcontextprotocol/go-sdk), over
// stdio (`groundtruth serve --mcp-stdio`) and streamable HTTP (mounted at
// /mcp beside the API, behind the same bearer tokens and rate limits):
//
//	list_datasets     datasets and their attested versions with roots
//	describe_dataset  schema, key and versions of one dataset
//	get_rows          rows by index, range or key, each with its inclusion proof
//	query             read-only SQL over attested versions (row and time limits)
//	verify_version    recompute a version's hashes and root, check its attestation
//
// Every result names the dataset versions and Merkle roots it comes from.
// The tools call the server in-process (Service); they serve attested
// versions only, exactly as the HTTP API does.
package mcp

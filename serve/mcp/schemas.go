package mcp

import "encoding/json"

// Output schemas of the tools (MCP outputSchema): the structured content
// of each result validates against them. They name the fields an agent
// relies on and leave room for more.
const (
	hashSchema    = `{"type":"string","pattern":"^0x[0-9a-f]{64}$","description":"SHA-256, 0x and 64 hex digits"}`
	versionSchema = `{"type":"object","required":["dataset","version","rows","merkleRoot","manifestHash","attestation"],"properties":{` +
		`"dataset":{"type":"string"},"version":{"type":"integer","minimum":1},"rows":{"type":"integer","minimum":0},` +
		`"merkleRoot":` + hashSchema + `,"manifestHash":` + hashSchema + `,"appendOnly":{"type":"boolean"},` +
		`"createdAt":{"type":"string"},"status":{"type":"string"},"attestation":{"type":"object"}}}`
	datasetSchema = `{"type":"object","required":["name","latest","versions"],"properties":{"name":{"type":"string"},` +
		`"latest":{"type":"integer"},"schema":{"type":"object","description":"columns (name, logical type, nullable) and key"},` +
		`"versions":{"type":"array","items":` + versionSchema + `}}}`
	rowSchema = `{"type":"object","required":["dataset","version","index","values","proof"],"properties":{` +
		`"dataset":{"type":"string"},"version":{"type":"integer"},"index":{"type":"integer"},` +
		`"values":{"type":"object","description":"column name → value, in schema order; forms in the tool description"},` +
		`"proof":{"type":"object","required":["index","size","leaf","path","root"],"properties":{"index":{"type":"integer"},"size":{"type":"integer"},` +
		`"leaf":` + hashSchema + `,"path":{"type":"array","items":` + hashSchema + `},"root":` + hashSchema + `}},` +
		`"manifestHash":` + hashSchema + `,"attestation":{"type":"object"}}}`
)

var outputSchemas = map[string]json.RawMessage{
	"list_datasets":    json.RawMessage(`{"type":"object","required":["datasets"],"properties":{"datasets":{"type":"array","items":` + datasetSchema + `}}}`),
	"describe_dataset": json.RawMessage(datasetSchema),
	"get_rows": json.RawMessage(`{"type":"object","required":["dataset","version","merkleRoot","manifestHash","attestation","rows"],"properties":{` +
		`"dataset":{"type":"string"},"version":{"type":"integer"},"merkleRoot":` + hashSchema + `,"manifestHash":` + hashSchema + `,` +
		`"attestation":{"type":"object"},"rows":{"type":"array","items":` + rowSchema + `}}}`),
	"query": json.RawMessage(`{"type":"object","required":["versions","columns","rows","truncated"],"properties":{` +
		`"versions":{"type":"array","items":{"type":"object"},"description":"the attested versions the query could read, with their roots"},` +
		`"columns":{"type":"array","items":{"type":"string"}},"rows":{"type":"array","items":{"type":"array"}},"truncated":{"type":"boolean"}}}`),
	"verify_version": json.RawMessage(`{"type":"object","required":["dataset","version","merkleRoot","manifestHash","ok","checks"],"properties":{` +
		`"dataset":{"type":"string"},"version":{"type":"integer"},"merkleRoot":` + hashSchema + `,"manifestHash":` + hashSchema + `,` +
		`"attestation":{"type":"object"},"ok":{"type":"boolean"},"checks":{"type":"array","items":{"type":"object"}}}}`),
}

package mcp

import (
	"context"
	"errors"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// NewFailed returns an MCP server for a groundtruth that could not start
// (a configuration error, an unset environment variable, an unreachable
// chain): it lists the usual tools, and every call is a tool error that
// says what went wrong and how to fix it, so the host shows the reason
// instead of a closed connection.
func NewFailed(reason string) *sdk.Server {
	s := sdk.NewServer(Implementation, &sdk.ServerOptions{Instructions: "groundtruth could not start: " + reason})
	fail := func(context.Context, *sdk.CallToolRequest, map[string]any) (*sdk.CallToolResult, any, error) {
		return nil, nil, errors.New("groundtruth could not start: " + reason)
	}
	for _, name := range []string{"list_datasets", "describe_dataset", "get_rows", "query", "verify_version"} {
		sdk.AddTool(s, &sdk.Tool{Name: name, Description: "groundtruth could not start; calling this tool says why and how to fix it."}, fail)
	}
	return s
}

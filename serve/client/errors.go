package client

import (
	"errors"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// Sentinel errors: what the client caught the server doing.
var (
	// ErrManifestHash means the manifest does not hash to what the server
	// claims, or is not canonical.
	ErrManifestHash = errors.New("manifest hash mismatch")
	// ErrNotAttested means the chain does not attest the version's statement
	// (unknown, another root, revoked, not enough stewards).
	ErrNotAttested = errors.New("version not attested on-chain")
	// ErrSegment means a segment file does not match its hash or size.
	ErrSegment = errors.New("segment does not match its hash")
	// ErrMerkleRoot means the rows do not hash to the attested root.
	ErrMerkleRoot = errors.New("rows do not hash to the attested root")
	// ErrProof means a row's values or proof do not lead to the root.
	ErrProof = errors.New("row proof does not verify")
	// ErrMismatch means the server answered about another dataset, version
	// or row than asked.
	ErrMismatch = errors.New("answer does not match the request")
	// ErrIncomplete means a download ended before the server said it was
	// complete (cut connection, missing or mismatched trailers).
	ErrIncomplete = errors.New("incomplete download")
)

// APIError is an error answer of the server (its JSON envelope).
type APIError struct {
	// Status is the HTTP status, Type the errorType, Message the error.
	Status  int
	Type    string
	Message string
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Type, e.Message)
}

func apiError(e api.Error) *APIError {
	return &APIError{Status: e.Status, Type: e.ErrorType, Message: e.Error}
}

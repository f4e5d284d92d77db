// Package clientinterop runs the verifying clients of other languages
// (clients/python, clients/ts) against the real server and a registry on
// anvil. It has no code of its own besides its tests.
package clientinterop

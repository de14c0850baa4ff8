// Package app is the cognate command: it parses the command line and the
// environment, opens the store and runs the server (`cognate serve`), or
// prints the version. cmd/cognate only calls Main.
package app

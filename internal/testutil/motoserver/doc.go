// Package motoserver starts moto_server (it comes with the machine's
// Python) for tests that need an independent CloudWatch Logs API: the
// external sink's tests and the end-to-end export tests use the same
// start-up, keys and client.
package motoserver

// Package risk holds the deterministic parts of Cognate's threat
// protection: the breached-password list that ships with the binary
// (compromised-credentials detection), IP address ranges, the device name
// of a User-Agent, and the adaptive-authentication rule that turns a
// sign-in's address and device, set against the user's history, into a
// risk level. AWS publishes no rule for its risk scores [DOC: "IP address,
// user agent, and geographical distance from other sign-in attempts"];
// Cognate's is documented in Assess so that tests can predict it. It
// imports only the standard library.
package risk

// Package userpool is the domain of Cognate: user pools, their settings,
// tiers, tags and log delivery configuration, their app clients and users
// (sign-up, confirmation, password recovery, the admin operations), and
// the messages those send, with the rules AWS applies to them. Its
// operations take and return the generated api types and report failures
// as *api.Error values; it knows nothing of HTTP or JSON framing.
//
// Messages go through internal/messaging; what happened to each (the
// message, and a userNotification record per failure) is written to the
// outboxes in the transaction of the change that sent it (delivery.go).
// Passwords are kept only as argon2id hashes (password.go).
//
// It imports internal/api, internal/storage, internal/messaging,
// internal/logexport (the record format) and internal/builtin/cwlogs (the
// log delivery destination checks).
package userpool

// Package userpool is the domain of Cognate: user pools, their settings,
// tiers, tags and log delivery configuration, with the rules AWS applies to
// them. Its operations take and return the generated api types and report
// failures as *api.Error values; it knows nothing of HTTP or JSON framing.
// It imports internal/api and internal/storage.
package userpool

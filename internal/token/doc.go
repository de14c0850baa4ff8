// Package token signs and parses the JSON Web Tokens of user pools: RS256
// (RSASSA-PKCS1-v1_5 with SHA-256) compact JWS, as Cognito issues its ID
// and access tokens [DOC "Verifying a JSON Web Token": header {kid, alg
// RS256}], and the JSON Web Key Set that publishes the public keys.
// Tokens only the pool reads back (refresh tokens, auth sessions) are
// signed HS256 with a key derived from the private key instead, and each
// kind verifies only with its own algorithm. It knows nothing of claims'
// meaning; internal/userpool decides what goes in a token and what a
// parsed token allows. Only the standard library's crypto is used.
package token

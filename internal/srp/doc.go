// Package srp is the Secure Remote Password protocol (SRP-6a) exactly as
// Amazon Cognito computes it for USER_SRP_AUTH, so that the AWS client
// libraries (amazon-cognito-identity-js, Amplify, the mobile SDKs) sign in
// against Cognate: the 3072-bit group of RFC 5054 with g = 2, SHA-256,
// k = H(N | g), u = H(A | B), x = H(salt | H(poolName | userId ":" password)),
// numbers padded as the libraries pad them, the session key derived with
// HKDF (info "Caldera Derived Key", 16 bytes), and the password claim an
// HMAC-SHA256 over poolName | userId | secret block | timestamp [OBS
// amazon-cognito-identity-js AuthenticationHelper.js, CognitoUser.js].
// Both sides are here: the server's, and the client's for tests and
// benchmarks. It imports only the standard library.
package srp

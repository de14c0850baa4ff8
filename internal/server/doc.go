// Package server composes Cognate: it binds the domain's operations to the
// model's operation table (mount, the one place that lists them), puts the
// AWS JSON 1.1 layer and SigV4 in front, and adds the health endpoint. It
// imports every layer and is imported only by internal/app.
package server

// Package logexport turns what user pools log into the records AWS
// documents and delivers them to the configured destinations. This file
// set holds the record formats and the Sink contract; cwlsink delivers to
// an external CloudWatch Logs endpoint through aws-sdk-go-v2. It imports
// only the standard library.
package logexport

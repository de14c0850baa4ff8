// Command noop is an HTTP server that answers every request with 200 and
// `{}`, doing nothing else. Measured with the same load generator and the
// same requests as Cognate, it is the ceiling of the machine for this kind
// of request: no real service on this box can answer faster.
//
//	go run ./bench/noop -addr 127.0.0.1:9300
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9300", "listen address")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte("{}")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the request as a real service would.
		_, _ = io.Copy(io.Discard, r.Body)
		hdr := w.Header()
		hdr["Content-Type"] = []string{"application/x-amz-json-1.1"}
		hdr["Content-Length"] = []string{"2"}
		_, _ = w.Write(body)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(os.Stdout, "noop listening on http://%s\n", ln.Addr())
	log.Fatal(srv.Serve(ln))
}

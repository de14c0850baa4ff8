package s3

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	bolt "go.etcd.io/bbolt"
)

// Service is the built-in S3.
type Service struct {
	backend gofakes3.Backend
	handler http.Handler
	db      *bolt.DB // nil in memory
	owners  *ownerStore
	// createMu serialises bucket creations (owners.go).
	createMu sync.Mutex
}

// ErrNoSuchBucket means the bucket does not exist.
var ErrNoSuchBucket = errors.New("s3: no such bucket")

// Open opens the built-in S3 kept in dir/s3.db, or in memory when dir is
// "". The file is written with fsync on every change (bbolt's default),
// so that an object that was acknowledged survives a crash.
func Open(dir string) (*Service, error) {
	owners, err := openOwners(dir)
	if err != nil {
		return nil, err
	}
	s := &Service{owners: owners}
	if dir == "" {
		s.backend = s3mem.New()
	} else {
		db, err := bolt.Open(filepath.Join(dir, "s3.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second})
		if err != nil {
			owners.close()
			return nil, fmt.Errorf("open built-in S3: %w", err)
		}
		s.db = db
		s.backend = s3bolt.New(db)
	}
	// Path-style only: a virtual-host bucket would need DNS names.
	s.handler = gofakes3.New(s.backend, gofakes3.WithHostBucket(false), gofakes3.WithoutVersioning()).Server()
	return s, nil
}

// Close closes the files.
func (s *Service) Close() error {
	err := s.owners.close()
	if s.db == nil {
		return err
	}
	return errors.Join(err, s.db.Close())
}

// BucketExists reports whether a bucket exists.
func (s *Service) BucketExists(name string) (bool, error) {
	ok, err := s.backend.BucketExists(name)
	if err != nil {
		return false, fmt.Errorf("s3: bucket %s: %w", name, err)
	}
	return ok, nil
}

// PutObject stores body as bucket/key. A missing bucket is
// ErrNoSuchBucket.
func (s *Service) PutObject(bucket, key, contentType string, body []byte) error {
	// The metadata gofakes3 records for an upload: HEAD and GET answer
	// Last-Modified from it (the AWS CLI needs it to download).
	meta := map[string]string{"Content-Type": contentType, "Last-Modified": time.Now().UTC().Format(http.TimeFormat)}
	_, err := s.backend.PutObject(bucket, key, meta, bytes.NewReader(body), int64(len(body)), nil)
	if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchBucket) {
		return fmt.Errorf("%w: %s", ErrNoSuchBucket, bucket)
	}
	if err != nil {
		return fmt.Errorf("s3: put %s/%s: %w", bucket, key, err)
	}
	return nil
}

// IsRequest reports whether r is an S3 REST request: signed (in the
// Authorization header or a presigned URL's query) for the service s3, or
// a Signature Version 2 presigned URL (AWSAccessKeyId, Signature and
// Expires in the query: what the AWS CLI v1's `s3 presign` makes for a
// custom endpoint; only S3 ever took Signature Version 2 URLs).
// Everything else on the port (the JSON APIs, the health and outbox
// endpoints, the pools' .well-known documents) is not.
func IsRequest(r *http.Request) bool {
	if strings.Contains(r.Header.Get("Authorization"), "/s3/aws4_request") {
		return true
	}
	q := r.URL.Query()
	if q.Has("AWSAccessKeyId") && q.Has("Signature") && q.Has("Expires") {
		return true
	}
	return strings.Contains(q.Get("X-Amz-Credential"), "/s3/aws4_request")
}

// CreateBucket creates a bucket with no owner: every account may use it
// (in-process setups and tests; REST clients create through ServeAs).
func (s *Service) CreateBucket(name string) error {
	if err := s.backend.CreateBucket(name); err != nil {
		return fmt.Errorf("s3: create bucket %s: %w", name, err)
	}
	return nil
}

// GetObject returns the body of bucket/key.
func (s *Service) GetObject(bucket, key string) ([]byte, error) {
	obj, err := s.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, fmt.Errorf("s3: get %s/%s: %w", bucket, key, err)
	}
	defer obj.Contents.Close()
	return io.ReadAll(obj.Contents)
}

package s3

import (
	"fmt"

	"github.com/johannesboyne/gofakes3"
)

// ListKeys returns the keys of a bucket's objects, in key order (tests and
// in-process readers; clients list through the REST API).
func (s *Service) ListKeys(bucket string) ([]string, error) {
	list, err := s.backend.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return nil, fmt.Errorf("s3: list %s: %w", bucket, err)
	}
	keys := make([]string, 0, len(list.Contents))
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys, nil
}

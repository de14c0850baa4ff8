package logexport

import (
	"encoding/json"
	"strconv"
	"time"
)

// Event sources as they appear in exported records: UPPER_SNAKE, unlike the
// configuration's userNotification / userAuthEvents (spec/log-delivery.md §7).
const (
	SourceUserNotification = "USER_NOTIFICATION"
	SourceUserActivity     = "USER_ACTIVITY"
)

// UserNotification returns the record of a message-delivery error, in the
// documented shape (spec/log-delivery.md §7, [DOC] "Exporting logs from
// Amazon Cognito user pools"):
//
//	{"eventTimestamp":"1687297330677","eventSource":"USER_NOTIFICATION","logLevel":"ERROR",
//	 "message":{"details":"…"},"logSourceId":{"userPoolId":"…"}}
//
// eventTimestamp is epoch milliseconds as a string; members are written in
// the documented order.
func UserNotification(at time.Time, userPoolID, details string) []byte {
	b := make([]byte, 0, 160+len(details))
	b = append(b, `{"eventTimestamp":`...)
	b = appendJSONString(b, strconv.FormatInt(at.UnixMilli(), 10))
	b = append(b, `,"eventSource":"`+SourceUserNotification+`","logLevel":"ERROR","message":{"details":`...)
	b = appendJSONString(b, details)
	b = append(b, `},"logSourceId":{"userPoolId":`...)
	b = appendJSONString(b, userPoolID)
	return append(b, "}}"...)
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// Event is one record ready to deliver: its time and its JSON text.
type Event struct {
	Time    time.Time
	Message string
}

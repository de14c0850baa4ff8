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

// Activity is one threat-protection user-activity event, the message of a
// userAuthEvents record. Every field is a string in the record, "" when
// unknown (spec/log-delivery.md §7).
type Activity struct {
	EventID, EventType                      string // EventType: SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode
	UserSub, UserName, UserPoolID, ClientID string
	CreatedAt                               time.Time
	EventResponse                           string // Pass, Fail or InProgress
	RiskLevel                               string // "", Low, Medium or High
	RiskDecision                            string // the record's vocabulary: PASS, ACCOUNT_TAKEOVER or BLOCK
	Challenges                              []Challenge
	DeviceName, IPAddress, RequestID        string
	IdpName, City, Country                  string
	CompromisedCredentialDetected           bool
	HasContextData                          bool
	FeedbackValue, FeedbackProvider         string
	FeedbackDate                            time.Time // zero: no feedback
}

// Challenge is one element of a record's challenges: a challenge and how
// the user answered it. AWS documents the array but not its elements'
// shape; Cognate writes the API's ChallengeResponseType members in the
// record's camelCase [INF].
type Challenge struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResponse string `json:"challengeResponse"`
}

// UserActivity returns the record of a user-activity event, in the
// documented shape (spec/log-delivery.md §7, [DOC] "Exporting logs from
// Amazon Cognito user pools"): the envelope of UserNotification with
// eventSource USER_ACTIVITY and logLevel INFO, and a message of 23
// members (all strings but the challenges array) in the order of the
// spec's table. eventFeedbackDate, undocumented in form, is epoch
// milliseconds like eventTimestamp [INF].
// creationDate is in Java's Date.toString form, as in AWS's sample
// ("Wed Jul 17 17:25:55 UTC 2024").
func UserActivity(a Activity) []byte {
	b := make([]byte, 0, 768)
	b = append(b, `{"eventTimestamp":`...)
	b = appendJSONString(b, strconv.FormatInt(a.CreatedAt.UnixMilli(), 10))
	b = append(b, `,"eventSource":"`+SourceUserActivity+`","logLevel":"INFO","message":{"version":"1"`...)
	field := func(name, v string) {
		b = append(b, `,"`+name+`":`...)
		b = appendJSONString(b, v)
	}
	field("eventId", a.EventID)
	field("eventType", a.EventType)
	field("userSub", a.UserSub)
	field("userName", a.UserName)
	field("userPoolId", a.UserPoolID)
	field("clientId", a.ClientID)
	field("creationDate", a.CreatedAt.UTC().Format("Mon Jan 02 15:04:05 MST 2006"))
	field("eventResponse", a.EventResponse)
	field("riskLevel", a.RiskLevel)
	field("riskDecision", a.RiskDecision)
	challenges := a.Challenges
	if challenges == nil {
		challenges = []Challenge{}
	}
	cb, _ := json.Marshal(challenges) // strings always marshal
	b = append(b, `,"challenges":`...)
	b = append(b, cb...)
	field("deviceName", a.DeviceName)
	field("ipAddress", a.IPAddress)
	field("requestId", a.RequestID)
	field("idpName", a.IdpName)
	field("city", a.City)
	field("country", a.Country)
	field("compromisedCredentialDetected", strconv.FormatBool(a.CompromisedCredentialDetected))
	field("hasContextData", strconv.FormatBool(a.HasContextData))
	field("eventFeedbackValue", a.FeedbackValue)
	feedbackDate := ""
	if !a.FeedbackDate.IsZero() {
		feedbackDate = strconv.FormatInt(a.FeedbackDate.UnixMilli(), 10)
	}
	field("eventFeedbackDate", feedbackDate)
	field("eventFeedbackProvider", a.FeedbackProvider)
	b = append(b, `},"logSourceId":{"userPoolId":`...)
	b = appendJSONString(b, a.UserPoolID)
	return append(b, "}}"...)
}

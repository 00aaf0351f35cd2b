package policywatch

import (
	"time"
)

// Subscription asks for a notification of every change of the policies it
// covers (one policy, one platform, or all) at or above a level; an admin
// subscription gets failing and recovered alerts instead.
type Subscription struct {
	ID        int64
	Kind      string // webhook, shoutrrr, email (internal/notify)
	Target    string // URL or e-mail address
	Format    string // webhook format: "", auto, json, dingtalk, feishu, wecom
	Platform  string // "" = every platform
	PolicyID  int64  // 0 = every policy (of Platform)
	MinLevel  Level  // "" = every change
	Admin     bool
	Lang      string // zh or en
	CreatedAt time.Time
}

// Covers reports whether a change of the policy at the level concerns s.
func (s Subscription) Covers(policyID int64, platform string, level Level) bool {
	if s.Admin {
		return false
	}
	if s.PolicyID != 0 && s.PolicyID != policyID {
		return false
	}
	if s.Platform != "" && s.Platform != platform {
		return false
	}
	return level.AtLeast(s.MinLevel)
}

// CoversAlert reports whether a failing or recovered alert about the policy
// concerns s.
func (s Subscription) CoversAlert(policyID int64, platform string) bool {
	return s.Admin && (s.PolicyID == 0 || s.PolicyID == policyID) && (s.Platform == "" || s.Platform == platform)
}

// DeliveryStatus is where a notification stands.
type DeliveryStatus string

const (
	DeliveryPending DeliveryStatus = "pending" // not sent yet, or being retried
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed" // gave up: a permanent error or too many attempts
)

// Event is what a notification announces.
type Event string

const (
	EventChange    Event = "change"    // a new version of a policy (never a first version)
	EventFailing   Event = "failing"   // a policy became failing (admins)
	EventRecovered Event = "recovered" // a failing policy checked fine again (admins)
)

// Delivery is one notification to one subscription.
type Delivery struct {
	ID             int64
	SubscriptionID int64
	Event          Event
	EventKey       string // one delivery per subscription and key (e.g. change:<version>)
	PolicyID       int64
	ToVersion      int64  // the new version of a change
	Payload        []byte // the message as JSON
	Status         DeliveryStatus
	Attempts       int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SentAt         time.Time // zero until sent
}

// DeliveryFilter narrows ListDeliveries (zero values: all), newest first.
type DeliveryFilter struct {
	Status         DeliveryStatus
	SubscriptionID int64
	Before         int64 // only deliveries older than this one (by id): the next page
	Limit          int   // default 100
}

// DeliveryCounts are a subscription's deliveries by status.
type DeliveryCounts struct {
	Sent, Pending, Failed int
}

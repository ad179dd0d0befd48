package ec2

import (
	"strconv"
	"time"
)

// State is an instance state name as EC2 spells it.
type State string

// Instance states.
const (
	Pending      State = "pending"
	Running      State = "running"
	ShuttingDown State = "shutting-down"
	Terminated   State = "terminated"
	Stopping     State = "stopping"
	Stopped      State = "stopped"
)

// Code returns EC2's numeric code of the state (instanceState.code).
func (s State) Code() int {
	switch s {
	case Running:
		return 16
	case ShuttingDown:
		return 32
	case Terminated:
		return 48
	case Stopping:
		return 64
	case Stopped:
		return 80
	}
	return 0
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// MetadataOptions are an instance's instance-metadata settings.
type MetadataOptions struct {
	// HTTPTokens is "optional" (IMDSv1 and v2) or "required" (IMDSv2 only).
	HTTPTokens string `json:"tokens"`
	// HTTPEndpoint is "enabled" or "disabled".
	HTTPEndpoint string `json:"endpoint"`
	// HopLimit is the PUT response hop limit (1..64); it cannot be observed on loopback.
	HopLimit int `json:"hops"`
	// InstanceTags is "enabled" when tags are served under meta-data/tags/instance.
	InstanceTags string `json:"tags"`
}

// Metadata option values.
const (
	TokensOptional = "optional"
	TokensRequired = "required"
	Enabled        = "enabled"
	Disabled       = "disabled"
)

// Association ties an IAM instance profile to an instance.
type Association struct {
	// ID is "iip-assoc-" followed by 17 hexadecimal digits.
	ID string `json:"id"`
	// ProfileARN, ProfileID and ProfileName name the instance profile.
	ProfileARN  string    `json:"arn"`
	ProfileID   string    `json:"pid"`
	ProfileName string    `json:"name"`
	Since       time.Time `json:"since"`
}

// Association states as DescribeIamInstanceProfileAssociations reports them.
const (
	Associating    = "associating"
	Associated     = "associated"
	Disassociating = "disassociating"
)

// Instance is one EC2 instance: a record, not a machine.
type Instance struct {
	ID               string    `json:"id"`
	Account          string    `json:"acct"`
	Region           string    `json:"region"`
	AvailabilityZone string    `json:"az"`
	ReservationID    string    `json:"rid"`
	LaunchIndex      int       `json:"idx"`
	ImageID          string    `json:"ami"`
	InstanceType     string    `json:"type"`
	KeyName          string    `json:"key,omitempty"`
	ClientToken      string    `json:"token,omitempty"`
	State            State     `json:"state"`
	LaunchTime       time.Time `json:"launched"`
	// Changed is when the instance last changed state.
	Changed time.Time `json:"changed"`
	// Reason is the state transition reason ("User initiated (2024-01-02 03:04:05 GMT)").
	Reason string `json:"reason,omitempty"`
	// ReasonCode is the stateReason code of a stopped or terminated instance
	// ("Client.UserInitiatedShutdown").
	ReasonCode string `json:"reasonCode,omitempty"`
	PrivateIP  string `json:"ip"`
	// UserData is the user data as sent: base64.
	UserData              string          `json:"userData,omitempty"`
	Tags                  []Tag           `json:"tags,omitempty"`
	Metadata              MetadataOptions `json:"md"`
	Profile               *Association    `json:"profile,omitempty"`
	DisableAPITermination bool            `json:"noTerminate,omitempty"`
	DisableAPIStop        bool            `json:"noStop,omitempty"`
	// ShutdownBehavior is "stop" or "terminate" (instanceInitiatedShutdownBehavior).
	ShutdownBehavior string `json:"shutdown"`
	Monitoring       bool   `json:"monitoring,omitempty"`
	EBSOptimized     bool   `json:"ebsOptimized,omitempty"`
	SourceDestCheck  bool   `json:"srcDstCheck"`
	// MetadataPort is the loopback port of the instance metadata endpoint while the instance
	// runs; it is kept while stopped so a restart tries the same port.
	MetadataPort int `json:"mdPort,omitempty"`
}

// ARN returns arn:aws:ec2:REGION:ACCOUNT:instance/ID.
func (i *Instance) ARN() string {
	return InstanceARN(i.Region, i.Account, i.ID)
}

// InstanceARN returns the ARN of an instance.
func InstanceARN(region, account, id string) string {
	return "arn:aws:ec2:" + region + ":" + account + ":instance/" + id
}

// MetadataEndpoint returns "127.0.0.1:PORT" for a running instance with an endpoint, else "".
func (i *Instance) MetadataEndpoint() string {
	if i.State != Running || i.MetadataPort == 0 {
		return ""
	}
	return "127.0.0.1:" + strconv.Itoa(i.MetadataPort)
}

// PrivateDNSName returns the instance's private host name (ip-10-0-1-2.ec2.internal).
func (i *Instance) PrivateDNSName() string {
	host := "ip-" + dashed(i.PrivateIP)
	if i.Region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + i.Region + ".compute.internal"
}

// TagMap returns the tags as a map.
func (i *Instance) TagMap() map[string]string {
	if len(i.Tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(i.Tags))
	for _, t := range i.Tags {
		m[t.Key] = t.Value
	}
	return m
}

// clone returns a deep copy, so that a snapshot handed to the metadata endpoint never changes
// under it.
func (i *Instance) clone() *Instance {
	c := *i
	c.Tags = append([]Tag(nil), i.Tags...)
	if i.Profile != nil {
		p := *i.Profile
		c.Profile = &p
	}
	return &c
}

// StateChange is one instance's transition, as Start/Stop/TerminateInstances report it.
type StateChange struct {
	InstanceID string
	Previous   State
	Current    State
}

// Reservation is the result of one RunInstances call.
type Reservation struct {
	ID        string
	Account   string
	Instances []*Instance
}

func dashed(ip string) string {
	b := []byte(ip)
	for i, c := range b {
		if c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

package ec2

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// RunInput describes a RunInstances call, checked for syntax by the caller.
type RunInput struct {
	Account, Region  string
	ImageID          string
	InstanceType     string // "" means m1.small in AWS; here t2.micro, the smallest catalog type
	KeyName          string
	ClientToken      string
	UserData         string // base64
	AvailabilityZone string // "" picks REGION + "a"
	MinCount         int
	MaxCount         int
	Tags             []Tag
	// Metadata holds the requested options; empty fields take the image's defaults.
	Metadata              MetadataOptions
	Profile               *Profile
	DisableAPITermination bool
	DisableAPIStop        bool
	ShutdownBehavior      string // "" means stop
	Monitoring            bool
	EBSOptimized          bool
}

// DefaultInstanceType is launched when RunInstances names none.
const DefaultInstanceType = "t2.micro"

// tokenRecord remembers the reservation a client token launched.
type tokenRecord struct {
	Reservation string   `json:"rid"`
	Instances   []string `json:"ids"`
}

// Run launches instances. They are stored running, with their metadata endpoints open; the
// returned copies show them pending, as RunInstances does.
func (s *Service) Run(ctx context.Context, in RunInput) (*Reservation, error) {
	img, typ, err := checkLaunch(&in)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ClientToken != "" {
		if r, err := s.byClientToken(ctx, in); r != nil || err != nil {
			return r, err
		}
	}
	now := s.now()
	md := in.Metadata
	if md.HTTPTokens == "" {
		md.HTTPTokens = TokensOptional
		if img.IMDSSupport == "v2.0" {
			md.HTTPTokens = TokensRequired
		}
	}
	if md.HTTPEndpoint == "" {
		md.HTTPEndpoint = Enabled
	}
	if md.HopLimit == 0 {
		md.HopLimit = 1
		if img.IMDSSupport == "v2.0" {
			md.HopLimit = 2
		}
	}
	if md.InstanceTags == "" {
		md.InstanceTags = Disabled
	}
	count := min(in.MaxCount, MaxLaunchCount)
	res := &Reservation{ID: reservationPrefix + s.cfg.IDs.Hex(17), Account: in.Account}
	for i := 0; i < count; i++ {
		inst := &Instance{
			ID: instancePrefix + s.cfg.IDs.Hex(17), Account: in.Account, Region: in.Region,
			AvailabilityZone: in.AvailabilityZone, ReservationID: res.ID, LaunchIndex: i,
			ImageID: img.ID, InstanceType: typ.Name, KeyName: in.KeyName, ClientToken: in.ClientToken,
			State: Running, LaunchTime: now, Changed: now, PrivateIP: s.privateIP(), UserData: in.UserData,
			Tags: append([]Tag(nil), in.Tags...), Metadata: md, DisableAPITermination: in.DisableAPITermination,
			DisableAPIStop: in.DisableAPIStop, ShutdownBehavior: in.ShutdownBehavior, Monitoring: in.Monitoring,
			EBSOptimized: in.EBSOptimized, SourceDestCheck: true,
		}
		if p := in.Profile; p != nil {
			inst.Profile = &Association{ID: associationPrefix + s.cfg.IDs.Hex(17), ProfileARN: p.ARN, ProfileID: p.ID,
				ProfileName: p.Name, Since: now}
		}
		inst.MetadataPort = s.open(inst)
		res.Instances = append(res.Instances, inst)
	}
	err = s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		tok := tokenRecord{Reservation: res.ID}
		for _, inst := range res.Instances {
			if err := putInstance(tx, inst); err != nil {
				return err
			}
			tok.Instances = append(tok.Instances, inst.ID)
		}
		if in.ClientToken == "" {
			return nil
		}
		raw, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		return tx.Put(tToken, tokenKey(in.Account, in.Region, in.ClientToken), raw)
	})
	if err != nil {
		for _, inst := range res.Instances {
			s.close(inst.ID)
		}
		return nil, err
	}
	out := &Reservation{ID: res.ID, Account: res.Account}
	for _, inst := range res.Instances {
		c := inst.clone()
		c.State = Pending
		out.Instances = append(out.Instances, c)
	}
	return out, nil
}

func tokenKey(account, region, token string) string { return account + "/" + region + "/" + token }

// byClientToken returns the reservation an earlier call with the same client token launched, or
// nil. AWS: a repeated token returns the original launch instead of launching again.
func (s *Service) byClientToken(ctx context.Context, in RunInput) (*Reservation, error) {
	var out *Reservation
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		raw, err := tx.Get(tToken, tokenKey(in.Account, in.Region, in.ClientToken))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var tok tokenRecord
		if err := json.Unmarshal(raw, &tok); err != nil {
			return err
		}
		out = &Reservation{ID: tok.Reservation, Account: in.Account}
		for _, id := range tok.Instances {
			inst, err := getInstance(tx, in.Account, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if inst.ImageID != in.ImageID {
				return awserr.New(CodeIdempotentMismatch, "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
			}
			out.Instances = append(out.Instances, inst)
		}
		return nil
	})
	return out, err
}

// checkLaunch validates the image, the instance type and the placement of a launch and fills
// defaults in in.
func checkLaunch(in *RunInput) (Image, InstanceType, error) {
	if in.MinCount < 1 || in.MaxCount < in.MinCount {
		return Image{}, InstanceType{}, InvalidParameter("Invalid value '%d' for minCount. Must be at least 1 and no more than maxCount", in.MinCount)
	}
	if in.MinCount > MaxLaunchCount {
		return Image{}, InstanceType{}, awserr.Newf("InstanceLimitExceeded",
			"You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type.", in.MinCount, MaxLaunchCount)
	}
	if err := CheckImageID(in.ImageID); err != nil {
		return Image{}, InstanceType{}, err
	}
	img, ok := LookupImage(in.ImageID)
	if !ok {
		return Image{}, InstanceType{}, awserr.Newf(CodeAMINotFound, "The image id '[%s]' does not exist", in.ImageID)
	}
	if in.InstanceType == "" {
		in.InstanceType = DefaultInstanceType
	}
	typ, ok := LookupInstanceType(in.InstanceType)
	if !ok {
		// AWS: unverified wording for an unknown instance type at launch.
		return img, typ, InvalidParameter("Invalid value '%s' for InstanceType.", in.InstanceType)
	}
	if !typ.Supports(img.Architecture) {
		return img, typ, InvalidParameter("The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI. "+
			"Specify an instance type and an AMI that have matching architectures, and try again. "+
			"You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
			typ.Architectures[len(typ.Architectures)-1], img.Architecture)
	}
	if in.AvailabilityZone == "" {
		in.AvailabilityZone = in.Region + "a"
	} else if !validZone(in.Region, in.AvailabilityZone) {
		return img, typ, InvalidParameter("Invalid availability zone: [%s]", in.AvailabilityZone)
	}
	if in.ShutdownBehavior == "" {
		in.ShutdownBehavior = "stop"
	}
	if in.UserData != "" {
		if _, err := base64.StdEncoding.DecodeString(in.UserData); err != nil {
			return img, typ, InvalidParameter("Invalid BASE64 encoding of user data.")
		}
	}
	return img, typ, nil
}

// Zones returns the availability zones of region: REGION + a, b and c.
func Zones(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// ZoneID returns the zone ID of region's i-th zone ("use1-az1"), abbreviating the region as AWS
// does (us-east-1 → use1).
func ZoneID(region string, i int) string {
	parts := strings.Split(region, "-")
	abbr := ""
	for j, p := range parts {
		switch {
		case j == len(parts)-1:
			abbr += p
		case j == 0:
			abbr += p
		case p != "":
			abbr += p[:1]
		}
	}
	return abbr + "-az" + strconv.Itoa(i+1)
}

// validZone reports whether zone is one of region's zones.
func validZone(region, zone string) bool {
	for _, z := range Zones(region) {
		if z == zone {
			return true
		}
	}
	return false
}

// privateIP draws an address in 10.0.0.0/16, avoiding the network's reserved first hosts.
func (s *Service) privateIP() string {
	b := s.cfg.IDs.Bytes(2)
	host := 4 + int(b[1])%250
	return "10.0." + strconv.Itoa(int(b[0])) + "." + strconv.Itoa(host)
}

// Query selects instances for DescribeInstances.
type Query struct {
	IDs        []string
	Filters    []Filter
	MaxResults int // 0 means all
	NextToken  string
}

// Instances returns the instances of account in region that the query selects, ordered by ID, and
// the token of the next page ("" on the last).
func (s *Service) Instances(ctx context.Context, account, region string, q Query) ([]*Instance, string, error) {
	for _, id := range q.IDs {
		if err := CheckInstanceID(id); err != nil {
			return nil, "", err
		}
	}
	if err := checkInstanceFilters(q.Filters); err != nil {
		return nil, "", err
	}
	after := ""
	if q.NextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(q.NextToken)
		if err != nil || !IsInstanceID(string(raw)) {
			return nil, "", awserr.Newf(CodeInvalidNextToken, "The token '%s' is invalid.", q.NextToken)
		}
		after = string(raw)
	}
	var all []*Instance
	now := s.now()
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		if len(q.IDs) > 0 {
			var err error
			all, err = s.lookup(tx, account, region, q.IDs)
			return err
		}
		return tx.Scan(tInstance, account+"/", "", 0, func(_ string, v []byte) error {
			var in Instance
			if err := json.Unmarshal(v, &in); err != nil {
				return err
			}
			if visible(&in, region, now) {
				all = append(all, &in)
			}
			return nil
		})
	})
	if err != nil {
		return nil, "", err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	var out []*Instance
	for _, in := range all {
		if in.ID <= after || !matchInstance(in, q.Filters) {
			continue
		}
		if q.MaxResults > 0 && len(out) == q.MaxResults {
			return out, base64.RawURLEncoding.EncodeToString([]byte(out[len(out)-1].ID)), nil
		}
		out = append(out, in)
	}
	return out, "", nil
}

// AllInstances returns every instance of every account (for "rolegate instance list").
func (s *Service) AllInstances(ctx context.Context) ([]*Instance, error) {
	var out []*Instance
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tInstance, "", "", 0, func(_ string, v []byte) error {
			var in Instance
			if err := json.Unmarshal(v, &in); err != nil {
				return err
			}
			out = append(out, &in)
			return nil
		})
	})
	return out, err
}

// userReason is the state transition reason of a change the user asked for.
func userReason(now time.Time) string {
	return "User initiated (" + now.UTC().Format("2006-01-02 15:04:05") + " GMT)"
}

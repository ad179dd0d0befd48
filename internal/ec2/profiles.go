package ec2

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"rolegate/internal/api/awserr"
	"rolegate/internal/iam"
	"rolegate/internal/store"
)

// Profile is an instance profile resolved for a launch or an association.
type Profile struct {
	ARN, ID, Name string
	// Role is the profile's role (its first and only one), or nil for an empty profile.
	Role *iam.Role
}

// ProfileRef names an instance profile as IamInstanceProfile does: by Name or by Arn.
type ProfileRef struct {
	Name string
	ARN  string
}

// ResolveProfile finds the instance profile ref names in account. A missing profile, or one in
// another account, is EC2's InvalidParameterValue, whose text Terraform retries on while IAM
// propagates.
func (s *Service) ResolveProfile(ctx context.Context, account string, ref ProfileRef) (*Profile, error) {
	if ref.Name != "" && ref.ARN != "" {
		return nil, awserr.New(awserr.InvalidParameterCombination, "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'")
	}
	field, value, name := "name", ref.Name, ref.Name
	if ref.ARN != "" {
		field, value = "arn", ref.ARN
		acct, n, ok := parseProfileARN(ref.ARN)
		if !ok || acct != account {
			return nil, InvalidParameter("Value (%s) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN", ref.ARN)
		}
		name = n
	}
	invalid := func() error {
		if field == "arn" {
			return InvalidParameter("Value (%s) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN", value)
		}
		return InvalidParameter("Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", value)
	}
	if name == "" {
		return nil, invalid()
	}
	p, roles, err := s.cfg.Profiles.InstanceProfile(ctx, account, name)
	switch {
	case iam.IsNoSuchEntity(err):
		return nil, invalid()
	case err != nil:
		return nil, err
	case ref.ARN != "" && p.ARN() != ref.ARN:
		return nil, invalid()
	}
	out := &Profile{ARN: p.ARN(), ID: p.ID, Name: p.Name}
	if len(roles) == 0 {
		// AWS: Terraform retries RunInstances on " has no associated IAM Roles" while a role is
		// being added to a new profile.
		return nil, InvalidParameter("Value (%s) for parameter iamInstanceProfile.%s is invalid. The instance profile %s has no associated IAM Roles", value, field, p.Name)
	}
	out.Role = roles[0]
	return out, nil
}

// parseProfileARN splits arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME.
func parseProfileARN(arn string) (account, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", false
	}
	acct, res, ok := strings.Cut(rest, ":")
	if !ok || len(acct) != 12 || !strings.HasPrefix(res, "instance-profile/") {
		return "", "", false
	}
	name = res[strings.LastIndexByte(res, '/')+1:]
	return acct, name, name != ""
}

// AssociationView is an association as DescribeIamInstanceProfileAssociations shows it.
type AssociationView struct {
	Association
	InstanceID string
	State      string
}

// Associate gives a running or stopped instance a profile. An instance holds one association.
func (s *Service) Associate(ctx context.Context, account, region, id string, p *Profile) (*AssociationView, error) {
	var out *AssociationView
	err := s.mutate(ctx, account, region, []string{id}, func(in *Instance) error {
		if in.State != Running && in.State != Stopped && in.State != Pending && in.State != Stopping {
			return awserr.Newf(CodeIncorrectState, "The instance '%s' is not in a valid state for this operation.", in.ID)
		}
		if in.Profile != nil {
			return awserr.Newf(CodeIncorrectAssocState, "There is an existing association for instance %s", in.ID)
		}
		in.Profile = &Association{ID: associationPrefix + s.cfg.IDs.Hex(17), ProfileARN: p.ARN, ProfileID: p.ID,
			ProfileName: p.Name, Since: s.now()}
		out = &AssociationView{Association: *in.Profile, InstanceID: in.ID, State: Associating}
		return nil
	})
	return out, err
}

// Replace swaps the profile of an association; the association keeps its instance and gets a new
// ID, as in AWS.
func (s *Service) Replace(ctx context.Context, account, region, associationID string, p *Profile) (*AssociationView, error) {
	in, err := s.byAssociation(ctx, account, region, associationID)
	if err != nil {
		return nil, err
	}
	var out *AssociationView
	err = s.mutate(ctx, account, region, []string{in.ID}, func(in *Instance) error {
		if in.Profile == nil || in.Profile.ID != associationID {
			return associationNotFound(associationID)
		}
		in.Profile = &Association{ID: associationPrefix + s.cfg.IDs.Hex(17), ProfileARN: p.ARN, ProfileID: p.ID,
			ProfileName: p.Name, Since: s.now()}
		out = &AssociationView{Association: *in.Profile, InstanceID: in.ID, State: Associating}
		return nil
	})
	return out, err
}

// Disassociate removes an association.
func (s *Service) Disassociate(ctx context.Context, account, region, associationID string) (*AssociationView, error) {
	in, err := s.byAssociation(ctx, account, region, associationID)
	if err != nil {
		return nil, err
	}
	var out *AssociationView
	err = s.mutate(ctx, account, region, []string{in.ID}, func(in *Instance) error {
		if in.Profile == nil || in.Profile.ID != associationID {
			return associationNotFound(associationID)
		}
		out = &AssociationView{Association: *in.Profile, InstanceID: in.ID, State: Disassociating}
		in.Profile = nil
		return nil
	})
	return out, err
}

func associationNotFound(id string) error {
	return awserr.Newf(CodeAssociationNotFound, "An association with ID %s does not exist.", id)
}

// byAssociation finds the instance holding an association.
func (s *Service) byAssociation(ctx context.Context, account, region, associationID string) (*Instance, error) {
	if err := CheckAssociationID(associationID); err != nil {
		return nil, err
	}
	views, err := s.Associations(ctx, account, region, []string{associationID}, nil)
	if err != nil {
		return nil, err
	}
	return s.Instance(ctx, account, region, views[0].InstanceID)
}

// Associations lists the profile associations of account's instances in region, selected by ID
// and by the filters instance-id and state.
func (s *Service) Associations(ctx context.Context, account, region string, ids []string, fs []Filter) ([]AssociationView, error) {
	for _, f := range fs {
		if f.Name != "instance-id" && f.Name != "state" {
			return nil, InvalidParameter("The filter '%s' is invalid", f.Name)
		}
	}
	for _, id := range ids {
		if err := CheckAssociationID(id); err != nil {
			return nil, err
		}
	}
	var out []AssociationView
	now := s.now()
	err := s.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tInstance, account+"/", "", 0, func(_ string, v []byte) error {
			var in Instance
			if err := json.Unmarshal(v, &in); err != nil {
				return err
			}
			if in.Profile == nil || in.State == Terminated || in.State == ShuttingDown || !visible(&in, region, now) {
				return nil
			}
			out = append(out, AssociationView{Association: *in.Profile, InstanceID: in.ID, State: Associated})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	kept := out[:0]
	for _, v := range out {
		if len(ids) > 0 && !contains(ids, v.ID) {
			continue
		}
		ok := true
		for _, f := range fs {
			val := v.InstanceID
			if f.Name == "state" {
				val = v.State
			}
			ok = ok && f.matchAny(val)
		}
		if ok {
			kept = append(kept, v)
		}
	}
	for _, id := range ids {
		if !containsAssoc(kept, id) {
			return nil, associationNotFound(id)
		}
	}
	return kept, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func containsAssoc(vs []AssociationView, id string) bool {
	for _, v := range vs {
		if v.ID == id {
			return true
		}
	}
	return false
}

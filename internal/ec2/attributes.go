package ec2

import (
	"context"
	"encoding/base64"

	"rolegate/internal/api/awserr"
)

// AttributeChange is a ModifyInstanceAttribute call: the non-nil fields change.
type AttributeChange struct {
	DisableAPITermination *bool
	DisableAPIStop        *bool
	SourceDestCheck       *bool
	ShutdownBehavior      *string
	// InstanceType, UserData and EBSOptimized change only while the instance is stopped.
	InstanceType *string
	UserData     *string // base64
	EBSOptimized *bool
}

// ModifyAttribute changes instance attributes.
func (s *Service) ModifyAttribute(ctx context.Context, account, region, id string, c AttributeChange) error {
	if err := CheckInstanceID(id); err != nil {
		return err
	}
	if c.ShutdownBehavior != nil && *c.ShutdownBehavior != "stop" && *c.ShutdownBehavior != "terminate" {
		return InvalidParameter("Value (%s) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are stop and terminate.", *c.ShutdownBehavior)
	}
	if c.UserData != nil {
		if _, err := base64.StdEncoding.DecodeString(*c.UserData); err != nil {
			return InvalidParameter("Invalid BASE64 encoding of user data.")
		}
	}
	return s.mutate(ctx, account, region, []string{id}, func(in *Instance) error {
		if (c.InstanceType != nil || c.UserData != nil || c.EBSOptimized != nil) && in.State != Stopped {
			return awserr.Newf(CodeIncorrectState, "The instance '%s' is not in the 'stopped' state.", in.ID)
		}
		if c.InstanceType != nil {
			typ, ok := LookupInstanceType(*c.InstanceType)
			if !ok {
				return InvalidParameter("Invalid value '%s' for InstanceType.", *c.InstanceType)
			}
			img, _ := LookupImage(in.ImageID)
			if !typ.Supports(img.Architecture) {
				return InvalidParameter("The instance type '%s' does not support the architecture '%s' of the instance's AMI.", typ.Name, img.Architecture)
			}
			in.InstanceType = typ.Name
		}
		set(&in.DisableAPITermination, c.DisableAPITermination)
		set(&in.DisableAPIStop, c.DisableAPIStop)
		set(&in.SourceDestCheck, c.SourceDestCheck)
		set(&in.EBSOptimized, c.EBSOptimized)
		set(&in.ShutdownBehavior, c.ShutdownBehavior)
		set(&in.UserData, c.UserData)
		return nil
	})
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// MetadataChange is a ModifyInstanceMetadataOptions call: the non-empty fields change.
type MetadataChange struct {
	HTTPTokens, HTTPEndpoint, InstanceTags string
	HopLimit                               int
}

// ModifyMetadataOptions changes an instance's metadata options; the running endpoint applies
// them at once.
func (s *Service) ModifyMetadataOptions(ctx context.Context, account, region, id string, c MetadataChange) (*Instance, error) {
	if err := CheckInstanceID(id); err != nil {
		return nil, err
	}
	var out *Instance
	err := s.mutate(ctx, account, region, []string{id}, func(in *Instance) error {
		if in.State == Terminated || in.State == ShuttingDown {
			return awserr.Newf(CodeIncorrectState, "The instance '%s' is not in a valid state for this operation.", in.ID)
		}
		m := &in.Metadata
		set(&m.HTTPTokens, nonEmpty(c.HTTPTokens))
		set(&m.HTTPEndpoint, nonEmpty(c.HTTPEndpoint))
		set(&m.InstanceTags, nonEmpty(c.InstanceTags))
		if c.HopLimit > 0 {
			m.HopLimit = c.HopLimit
		}
		out = in.clone()
		return nil
	})
	return out, err
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
